import datetime
import unicodedata

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from movements import services
from movements.models import PerformanceRating, Person, PositionAssignment
from movements.selectors import leadership_at, unit_head_at
from tdkt.models import AuditEvent
from tests.factories import PersonFactory, UnitFactory

pytestmark = pytest.mark.integration


def test_person_create_normalises_name_opens_position_and_audits(office_user, unit_a):
    name = unicodedata.normalize("NFD", "  Nguyễn  Thị Hằng ")
    person = services.person_create(actor=office_user, full_name=name, gender="female", unit=unit_a,
                                    position_title="Chuyên viên", start_date=datetime.date(2020, 1, 1))
    assert person.full_name == "Nguyễn Thị Hằng"
    assert person.name_folded == "nguyen thi hang"
    assert list(PositionAssignment.objects.filter(person=person).values_list("title", "start_date", "end_date")) == [
        ("Chuyên viên", datetime.date(2020, 1, 1), None)]
    event = AuditEvent.objects.get(content_type__model="person", object_id=str(person.pk))
    assert (event.actor, event.action, event.changes["full_name"]) == (office_user, "create", [None, "Nguyễn Thị Hằng"])


def test_position_change_keeps_history_and_drives_leadership_at_date(office_user, unit_a):
    person = services.person_create(actor=office_user, full_name="Vũ Đức Long", gender="male", unit=unit_a,
                                    position_title="Chuyên viên", start_date=datetime.date(2019, 1, 1))
    services.person_change_position(actor=office_user, person=person, unit=unit_a, title="Phó Trưởng phòng",
                                    is_leadership=True, is_head=False, start_date=datetime.date(2023, 7, 1))
    person.refresh_from_db()
    assert (person.position_title, person.is_leadership) == ("Phó Trưởng phòng", True)
    assert leadership_at(datetime.date(2023, 6, 30), [person]) == {person.pk: False}
    assert leadership_at(datetime.date(2023, 7, 1), [person]) == {person.pk: True}
    assert list(PositionAssignment.objects.filter(person=person).order_by("start_date").values_list("end_date", flat=True)) == [
        datetime.date(2023, 6, 30), None]


def test_position_change_must_start_after_current(office_user, person_a):
    with pytest.raises(ValidationError) as exc:
        services.person_change_position(actor=office_user, person=person_a, unit=person_a.unit, title="Trưởng phòng",
                                        is_leadership=True, is_head=True, start_date=datetime.date(2010, 1, 1))
    assert "phải sau ngày 01/01/2015" in str(exc.value)
    assert PositionAssignment.objects.filter(person=person_a).count() == 1


def test_a_unit_has_one_head_at_a_time(office_user, unit_a):
    head = services.person_create(actor=office_user, full_name="Đỗ Văn Hùng", gender="male", unit=unit_a,
                                  position_title="Trưởng phòng", is_head=True, start_date=datetime.date(2018, 1, 1))
    assert head.is_leadership is True
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=office_user, full_name="Bùi Văn Nam", gender="male", unit=unit_a,
                               position_title="Trưởng phòng", is_head=True)
    assert "đã có người đứng đầu: Đỗ Văn Hùng" in str(exc.value)
    assert Person.objects.filter(full_name="Bùi Văn Nam").exists() is False
    assert unit_a.head == head
    assert unit_head_at(unit_a, datetime.date(2017, 12, 31)) is None
    assert unit_head_at(unit_a, datetime.date(2024, 1, 1)) == head


def test_deactivate_needs_reason_and_never_deletes(office_user, person_a):
    with pytest.raises(ValidationError):
        services.person_set_active(actor=office_user, person=person_a, active=False, reason="  ")
    person_a.refresh_from_db()
    assert person_a.active is True
    services.person_set_active(actor=office_user, person=person_a, active=False, reason="Chuyển công tác",
                               date=datetime.date(2025, 6, 30))
    person_a.refresh_from_db()
    assert person_a.active is False
    assert PositionAssignment.objects.get(person=person_a).end_date == datetime.date(2025, 6, 30)
    services.person_set_active(actor=office_user, person=person_a, active=True, date=datetime.date(2026, 1, 1))
    assert PositionAssignment.objects.filter(person=person_a, end_date__isnull=True).count() == 1


def test_unit_head_cannot_write_into_another_unit(head_a, unit_b, person_b):
    with pytest.raises(PermissionDenied):
        services.person_create(actor=head_a, full_name="Ngô Thị Lan", gender="female", unit=unit_b)
    with pytest.raises(PermissionDenied):
        services.person_update(actor=head_a, person=person_b, full_name="Đổi tên")
    person_b.refresh_from_db()
    assert person_b.full_name == "Lê Văn Bảo"


def test_unit_cannot_be_deactivated_while_people_work_there(office_user, person_a):
    with pytest.raises(ValidationError):
        services.unit_set_active(actor=office_user, unit=person_a.unit, active=False)
    person_a.unit.refresh_from_db()
    assert person_a.unit.active is True


def test_unit_parent_cycle_is_refused(office_user):
    parent = UnitFactory()
    child = UnitFactory(parent=parent)
    with pytest.raises(ValidationError):
        services.unit_update(actor=office_user, unit=parent, parent=child)


def test_rating_set_creates_then_updates_one_row(office_user, person_a):
    services.rating_set(actor=office_user, person=person_a, year=2024, rating="HTTNV")
    services.rating_set(actor=office_user, person=person_a, year=2024, rating="HTXSNV")
    assert list(PerformanceRating.objects.filter(person=person_a).values_list("year", "rating")) == [(2024, "HTXSNV")]
    assert AuditEvent.objects.filter(content_type__model="performancerating").count() == 2


def test_discipline_needs_one_subject_and_ordered_dates(office_user, person_a, unit_a):
    with pytest.raises(ValidationError):
        services.discipline_create(actor=office_user, person=person_a, unit=unit_a, kind="reprimand",
                                   start_date=datetime.date(2024, 1, 1), reason="x")
    with pytest.raises(ValidationError):
        services.discipline_create(actor=office_user, person=person_a, kind="reprimand", start_date=datetime.date(2024, 5, 1),
                                   end_date=datetime.date(2024, 1, 1), reason="x")
    record = services.discipline_create(actor=office_user, person=person_a, kind="complaint",
                                        start_date=datetime.date(2024, 5, 1), reason="Đơn thư đang xác minh")
    assert record.covers(datetime.date(2030, 1, 1)) is True


def test_agency_profile_is_data(db):
    from tests.factories import UserFactory

    admin = UserFactory(role="admin")
    profile = services.agency_profile_update(actor=admin, name="Sở Tài chính", parent_name="UBND tỉnh Bắc Ninh",
                                             doc_code="STC", place_name="Bắc Ninh", director_title="Giám đốc",
                                             director_name="Nguyễn Văn A")
    assert (profile.name_upper, profile.parent_name_upper) == ("SỞ TÀI CHÍNH", "UBND TỈNH BẮC NINH")
    services.agency_profile_update(actor=admin, doc_code="STC2")
    profile.refresh_from_db()
    assert profile.doc_code == "STC2"


def test_seed_demo_is_idempotent(db):
    from movements.demo import seed_demo

    assert seed_demo() == 108
    leaders = Person.objects.filter(is_leadership=True).count()
    assert seed_demo() == 0
    assert Person.objects.count() == 108
    assert 30 <= leaders <= 45
    assert PersonFactory._meta.model.objects.filter(disciplines__isnull=False).distinct().count() == 2


def test_reactivation_cannot_overlap_the_previous_post(office_user, person_a):
    services.person_set_active(actor=office_user, person=person_a, active=False, reason="Nghỉ việc", date=datetime.date(2025, 6, 30))
    with pytest.raises(ValidationError) as exc:
        services.person_set_active(actor=office_user, person=person_a, active=True, date=datetime.date(2025, 3, 1))
    assert "phải sau ngày 30/06/2025" in str(exc.value)
    person_a.refresh_from_db()
    assert person_a.active is False
    services.person_set_active(actor=office_user, person=person_a, active=True, date=datetime.date(2025, 7, 1))
    assert list(PositionAssignment.objects.filter(person=person_a).order_by("start_date").values_list("start_date", "end_date")) == [
        (datetime.date(2015, 1, 1), datetime.date(2025, 6, 30)), (datetime.date(2025, 7, 1), None)]


@pytest.mark.parametrize("call", [
    lambda actor, unit, person: services.unit_create(actor=actor, name="Phòng Mới", short_code="PM", kind="division", parent=unit.parent),
    lambda actor, unit, person: services.unit_update(actor=actor, unit=unit, name="Đổi tên"),
    lambda actor, unit, person: services.unit_set_active(actor=actor, unit=unit, active=False),
    lambda actor, unit, person: services.rating_set(actor=actor, person=person, year=2025, rating="HTXSNV"),
    lambda actor, unit, person: services.discipline_create(actor=actor, person=person, kind="reprimand",
                                                           start_date=datetime.date(2025, 1, 1), reason="x"),
    lambda actor, unit, person: services.agency_profile_update(actor=actor, name="Sở khác"),
], ids=["unit_create", "unit_update", "unit_deactivate", "rating", "discipline", "agency_profile"])
def test_office_only_services_refuse_a_unit_head_even_for_their_own_unit(call, head_a, person_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        call(head_a, person_a.unit, person_a)
    person_a.unit.refresh_from_db()
    assert (person_a.unit.name, person_a.unit.active, person_a.ratings.count(), person_a.disciplines.count()) == (
        "Phòng Quản lý khoa học", True, 0, 0)


def test_the_giay_khen_layout_is_kept_in_the_agency_profile(client, db):
    """Part: docs (issue 11): the field positions on the pre-printed form and the frame choice, through the form."""
    from django.urls import reverse

    from movements.forms import AgencyProfileForm
    from tdkt.models import AuditEvent
    from tests.factories import UserFactory

    admin = UserFactory(role="admin")
    profile = services.agency_profile_update(actor=admin, name="Sở Tài chính", parent_name="UBND tỉnh Bắc Ninh",
                                             doc_code="STC", place_name="Bắc Ninh")
    assert (profile.cert_print_frame, profile.cert_name_x, profile.cert_name_y, profile.cert_signer_x) == (True, 148, 92, 215)
    form = AgencyProfileForm({**{f: getattr(profile, f) for f in AgencyProfileForm.Meta.fields}, "cert_name_y": "300",
                              "cert_print_frame": ""}, instance=profile)
    assert not form.is_valid() and "cert_name_y" in form.errors  # beyond the 210 mm of the sheet
    services.agency_profile_update(actor=admin, cert_name_y=70, cert_print_frame=False)
    profile.refresh_from_db()
    assert (profile.cert_name_y, profile.cert_print_frame) == (70, False)
    assert AuditEvent.objects.filter(object_id=str(profile.pk)).latest("pk").changes == {
        "cert_print_frame": [True, False], "cert_name_y": [92, 70]}
    client.force_login(admin)
    page = client.get(reverse("movements:agency_profile")).content.decode()
    assert 'name="cert_name_y"' in page and 'name="cert_print_frame"' in page
