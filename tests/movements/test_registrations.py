"""Registration (đăng ký thi đua): every transition, every refusal, the overview and its query bound."""

import datetime
import unicodedata

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from movements import services
from movements.models import RegisteredInitiative, Registration, RegistrationEntry, RegistrationWindow
from movements.selectors import registered_title_ids, registration_overview, registration_required
from tdkt.models import AuditEvent
from tests.factories import PersonFactory, UnitFactory
from tests.factories.movements import (
    RegistrationEntryFactory,
    RegistrationFactory,
    RegistrationWindowFactory,
    title,
)

pytestmark = pytest.mark.integration

TODAY = timezone.localdate()


def _at(date):
    """A moment (noon, local time) on ``date``."""
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(12, 0)))


@pytest.fixture
def window(db):
    return RegistrationWindowFactory(year=2026)


@pytest.fixture
def registration(window, unit_a, person_a, office_user):
    registration = services.registration_start(actor=office_user, window=window, unit=unit_a)
    services.registration_save(actor=office_user, registration=registration, unit_title=title("TTLDTT"),
                               titles={person_a: title("LDTT")})
    return registration


def _events(registration, action="transition"):
    return list(AuditEvent.objects.filter(content_type__model="registration", object_id=str(registration.pk), action=action)
                .order_by("id").values_list("from_state", "to_state", "reason"))


# ---------------------------------------------------------------- window

def test_window_create_and_unique_year(office_user):
    window = services.registration_window_create(actor=office_user, year=2027, opens_on=datetime.date(2027, 1, 4),
                                                 closes_on=datetime.date(2027, 2, 28), required_for_nomination=False,
                                                 note=unicodedata.normalize("NFD", "Theo Kế hoạch số 02"))
    assert (window.note, window.required_for_nomination) == ("Theo Kế hoạch số 02", False)
    assert registration_required(2027) is False
    with pytest.raises(ValidationError) as exc:
        services.registration_window_create(actor=office_user, year=2027, opens_on=datetime.date(2027, 1, 4),
                                            closes_on=datetime.date(2027, 2, 28))
    assert exc.value.message_dict["year"] == ["Đã có đợt đăng ký thi đua cho năm này."]


def test_window_refuses_reversed_dates_and_unit_heads(office_user, head_a):
    with pytest.raises(ValidationError) as exc:
        services.registration_window_create(actor=office_user, year=2027, opens_on=datetime.date(2027, 3, 1),
                                            closes_on=datetime.date(2027, 2, 1))
    assert exc.value.message_dict["closes_on"] == ["Hạn cuối phải từ ngày mở trở đi."]
    with pytest.raises(PermissionDenied):
        services.registration_window_create(actor=head_a, year=2027, opens_on=datetime.date(2027, 1, 1),
                                            closes_on=datetime.date(2027, 2, 1))
    assert RegistrationWindow.objects.count() == 0


# ---------------------------------------------------------------- filling in

def test_start_is_idempotent_and_audited(window, unit_a, head_a):
    first = services.registration_start(actor=head_a, window=window, unit=unit_a)
    again = services.registration_start(actor=head_a, window=window, unit=unit_a)
    assert first == again
    assert (first.state, Registration.objects.count()) == ("draft", 1)
    assert _events(first, "create") == [("", "draft", "")]


def test_save_sets_titles_and_records_one_event(window, unit_a, head_a, person_a):
    second = PersonFactory(unit=unit_a, full_name="Phạm Văn Cường")
    registration = services.registration_start(actor=head_a, window=window, unit=unit_a)
    services.registration_save(actor=head_a, registration=registration, unit_title=title("TTLDXS"),
                               titles={person_a: title("CSTDCS"), second: title("LDTT")}, note="  Năm   thứ hai ")
    registration.refresh_from_db()
    assert (registration.unit_title.code, registration.note) == ("TTLDXS", "Năm thứ hai")
    assert sorted(registration.entries.values_list("person__full_name", "title__code")) == [
        ("Phạm Văn Cường", "LDTT"), ("Trần Thị Ánh", "CSTDCS")]
    services.registration_save(actor=head_a, registration=registration, unit_title=title("TTLDXS"),
                               titles={person_a: title("LDTT"), second: None}, note="Năm thứ hai")
    assert list(registration.entries.values_list("person__full_name", "title__code")) == [("Trần Thị Ánh", "LDTT")]
    updates = AuditEvent.objects.filter(content_type__model="registration", object_id=str(registration.pk), action="update")
    assert [e.changes for e in updates.order_by("id")] == [
        {"danh hiệu tập thể": [None, "Tập thể lao động xuất sắc"], "ghi chú": ["", "Năm thứ hai"],
         "Trần Thị Ánh": [None, "Chiến sĩ thi đua cơ sở"], "Phạm Văn Cường": [None, "Lao động tiên tiến"]},
        {"Trần Thị Ánh": ["Chiến sĩ thi đua cơ sở", "Lao động tiên tiến"], "Phạm Văn Cường": ["Lao động tiên tiến", None]},
    ]


def test_save_refuses_wrong_kinds_of_title(registration, office_user, person_a):
    with pytest.raises(ValidationError) as exc:
        services.registration_save(actor=office_user, registration=registration, unit_title=title("LDTT"), titles={})
    assert exc.value.message_dict["unit_title"] == ["“Lao động tiên tiến” là danh hiệu cá nhân, không đăng ký cho tập thể."]
    with pytest.raises(ValidationError) as exc:
        services.registration_save(actor=office_user, registration=registration, unit_title=None,
                                   titles={person_a: title("TTLDXS")})
    assert exc.value.messages == ["“Tập thể lao động xuất sắc” là danh hiệu tập thể, không đăng ký cho cá nhân."]
    assert list(registration.entries.values_list("title__code", flat=True)) == ["LDTT"]


def test_save_refuses_a_person_of_another_unit(registration, office_user, person_b):
    with pytest.raises(ValidationError) as exc:
        services.registration_save(actor=office_user, registration=registration, unit_title=None,
                                   titles={person_b: title("LDTT")})
    assert exc.value.messages == ["Lê Văn Bảo không thuộc Phòng Quản lý khoa học."]
    assert not RegistrationEntry.objects.filter(person=person_b).exists()


def test_save_refuses_an_inactive_person(registration, office_user, unit_a):
    retired = PersonFactory(unit=unit_a, full_name="Đỗ Văn Hưu", active=False)
    with pytest.raises(ValidationError) as exc:
        services.registration_save(actor=office_user, registration=registration, unit_title=None,
                                   titles={retired: title("LDTT")})
    assert exc.value.messages == ["Đỗ Văn Hưu đã nghỉ công tác: không đăng ký được."]


def test_unit_head_cannot_write_another_units_registration(window, unit_b, person_b, head_a, office_user):
    other = services.registration_start(actor=office_user, window=window, unit=unit_b)
    with pytest.raises(PermissionDenied) as exc:
        services.registration_start(actor=head_a, window=RegistrationWindowFactory(year=2027), unit=unit_b)
    assert str(exc.value) == "Bạn chỉ được cập nhật dữ liệu của đơn vị mình."
    with pytest.raises(PermissionDenied):
        services.registration_save(actor=head_a, registration=other, unit_title=title("TTLDTT"), titles={person_b: title("LDTT")})
    with pytest.raises(PermissionDenied):
        services.initiative_add(actor=head_a, registration=other, title="Sáng kiến", owner=person_b)
    with pytest.raises(PermissionDenied):
        services.registration_submit(registration=other, actor=head_a)
    other.refresh_from_db()
    assert (other.state, other.unit_title, other.entries.count(), other.initiatives.count()) == ("draft", None, 0, 0)


def test_initiatives_belong_to_the_unit(registration, office_user, person_a, person_b):
    initiative = services.initiative_add(actor=office_user, registration=registration, title="  Số hoá   hồ sơ ", owner=person_a)
    assert (initiative.title, initiative.owner) == ("Số hoá hồ sơ", person_a)
    with pytest.raises(ValidationError) as exc:
        services.initiative_add(actor=office_user, registration=registration, title="Khác", owner=person_b)
    assert exc.value.message_dict["owner"] == ["Lê Văn Bảo không thuộc Phòng Quản lý khoa học."]
    services.initiative_remove(actor=office_user, initiative=initiative)
    assert RegisteredInitiative.objects.count() == 0


# ---------------------------------------------------------------- transitions

def test_submit_then_approve(registration, head_a, office_user):
    registration = services.registration_submit(registration=registration, actor=head_a)
    assert registration.state == "submitted"
    assert registration.submitted_at is not None
    registration = services.registration_approve(registration=registration, actor=office_user)
    assert registration.state == "approved"
    assert _events(registration) == [("draft", "submitted", ""), ("submitted", "approved", "")]
    assert registered_title_ids(2026, person=registration.entries.get().person) == {title("LDTT").pk}
    assert registered_title_ids(2026, unit=registration.unit) == {title("TTLDTT").pk}


def test_return_needs_a_reason_then_unit_fixes_and_resubmits(registration, head_a, office_user, person_a):
    services.registration_submit(registration=registration, actor=head_a)
    with pytest.raises(ValidationError) as exc:
        services.registration_return(registration=registration, actor=office_user, reason="   ")
    assert exc.value.message_dict["reason"] == ["Hãy ghi lý do trả lại để đơn vị biết cần sửa gì."]
    registration.refresh_from_db()
    assert registration.state == "submitted"
    registration = services.registration_return(registration=registration, actor=office_user,
                                                reason="Bổ sung sáng kiến cho cá nhân đăng ký CSTĐCS")
    assert (registration.state, registration.return_reason) == ("returned", "Bổ sung sáng kiến cho cá nhân đăng ký CSTĐCS")
    services.registration_save(actor=head_a, registration=registration, unit_title=title("TTLDTT"),
                               titles={person_a: title("CSTDCS")})
    registration = services.registration_submit(registration=registration, actor=head_a)
    assert (registration.state, registration.return_reason) == ("submitted", "")
    assert _events(registration) == [("draft", "submitted", ""),
                                     ("submitted", "returned", "Bổ sung sáng kiến cho cá nhân đăng ký CSTĐCS"),
                                     ("returned", "submitted", "")]


def test_submitted_or_approved_registration_is_not_editable(registration, head_a, office_user, person_a):
    services.registration_submit(registration=registration, actor=head_a)
    with pytest.raises(ValidationError) as exc:
        services.registration_save(actor=head_a, registration=registration, unit_title=None, titles={person_a: None})
    assert exc.value.messages == ["Phiếu đăng ký đang ở trạng thái “Chờ duyệt”: không sửa được. "
                                  "Văn phòng Sở trả lại thì mới sửa tiếp."]
    services.registration_approve(registration=registration, actor=office_user)
    with pytest.raises(ValidationError):
        services.initiative_add(actor=head_a, registration=registration, title="Sáng kiến", owner=person_a)
    assert registration.entries.count() == 1


def test_empty_registration_cannot_be_submitted(window, unit_a, head_a):
    registration = services.registration_start(actor=head_a, window=window, unit=unit_a)
    with pytest.raises(ValidationError) as exc:
        services.registration_submit(registration=registration, actor=head_a)
    assert exc.value.messages == ["Phiếu đăng ký còn trống: hãy chọn danh hiệu tập thể hoặc đăng ký cho ít nhất một cá nhân."]


def test_late_first_submission_is_refused_to_the_unit(registration, head_a):
    window = registration.window
    late = _at(window.closes_on + datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        services.registration_submit(registration=registration, actor=head_a, now=late)
    assert exc.value.messages == [
        f"Đã hết hạn đăng ký thi đua năm 2026 (hạn cuối ngày {window.closes_on:%d/%m/%Y}): đơn vị không thể gửi phiếu đăng ký. "
        "Vui lòng liên hệ Văn phòng Sở."]
    registration.refresh_from_db()
    assert registration.state == "draft"
    # On the last day it is still on time.
    assert services.registration_submit(registration=registration, actor=head_a, now=_at(window.closes_on)).state == "submitted"


def test_submission_before_the_window_opens_is_refused(registration, head_a):
    window = registration.window
    with pytest.raises(ValidationError) as exc:
        services.registration_submit(registration=registration, actor=head_a, now=_at(window.opens_on - datetime.timedelta(days=1)))
    assert exc.value.messages == [f"Đợt đăng ký thi đua năm 2026 mở từ ngày {window.opens_on:%d/%m/%Y}: chưa thể gửi phiếu."]


def test_after_the_deadline_the_office_still_returns_approves_and_the_unit_resubmits(registration, head_a, office_user):
    window = registration.window
    services.registration_submit(registration=registration, actor=head_a, now=_at(window.closes_on))
    late = _at(window.closes_on + datetime.timedelta(days=10))
    services.registration_return(registration=registration, actor=office_user, reason="Sửa danh hiệu", now=late)
    # A returned registration may be resubmitted after the deadline: the office asked for the fix.
    services.registration_submit(registration=registration, actor=head_a, now=late)
    registration = services.registration_approve(registration=registration, actor=office_user, now=late)
    assert (registration.state, registration.reviewed_at) == ("approved", late)


def test_office_may_submit_late_for_a_unit(registration, office_user):
    late = _at(registration.window.closes_on + datetime.timedelta(days=3))
    assert services.registration_submit(registration=registration, actor=office_user, now=late).state == "submitted"


@pytest.mark.parametrize(("state", "target", "message"), [
    ("draft", "approved", "Không thể chuyển phiếu đăng ký từ “Chưa gửi” sang “Đã duyệt”."),
    ("draft", "returned", "Không thể chuyển phiếu đăng ký từ “Chưa gửi” sang “Trả lại”."),
    ("approved", "submitted", "Không thể chuyển phiếu đăng ký từ “Đã duyệt” sang “Chờ duyệt”."),
    ("submitted", "submitted", "Không thể chuyển phiếu đăng ký từ “Chờ duyệt” sang “Chờ duyệt”."),
])
def test_transitions_outside_the_workflow_are_refused(registration, office_user, state, target, message):
    Registration.objects.filter(pk=registration.pk).update(state=state)
    with pytest.raises(ValidationError) as exc:
        services.registration_transition(registration=registration, actor=office_user, to_state=target, reason="x")
    assert exc.value.messages == [message]


def test_unit_head_cannot_return_or_approve_own_registration(registration, head_a):
    services.registration_submit(registration=registration, actor=head_a)
    with pytest.raises(PermissionDenied) as exc:
        services.registration_approve(registration=registration, actor=head_a)
    assert str(exc.value) == "Chỉ Văn phòng Sở được trả lại hoặc duyệt phiếu đăng ký."
    with pytest.raises(PermissionDenied):
        services.registration_return(registration=registration, actor=head_a, reason="Tự trả lại")
    registration.refresh_from_db()
    assert registration.state == "submitted"


def test_office_may_reopen_an_approved_registration_with_a_reason(registration, office_user):
    services.registration_submit(registration=registration, actor=office_user)
    services.registration_approve(registration=registration, actor=office_user)
    registration = services.registration_return(registration=registration, actor=office_user, reason="Điều chỉnh theo biên chế")
    assert registration.state == "returned"


# ---------------------------------------------------------------- overview

def test_overview_counts_per_unit_and_rollup(window, office_user):
    unit_x = UnitFactory(name="Phòng X", short_code="X", sort_order=1)
    unit_y = UnitFactory(name="Phòng Y", short_code="Y", sort_order=2)
    UnitFactory(name="Phòng Z", short_code="Z", sort_order=3)
    reg_x = RegistrationFactory(window=window, unit=unit_x, unit_title=title("TTLDXS"), state="approved")
    RegistrationEntryFactory.create_batch(3, registration=reg_x, title=title("LDTT"))
    RegistrationEntryFactory(registration=reg_x, title=title("CSTDCS"))
    reg_y = RegistrationFactory(window=window, unit=unit_y, unit_title=title("TTLDTT"), state="submitted")
    RegistrationEntryFactory.create_batch(2, registration=reg_y, title=title("LDTT"))
    PersonFactory(unit=unit_y, active=False)  # not counted among members
    overview = registration_overview(window)
    codes = [t.code for t in overview.titles]
    assert codes == ["LDTT", "CSTDCS", "CSTD_TINH"]
    rows = {r.unit.short_code: r for r in overview.rows}
    assert list(rows) == ["X", "Y", "Z"]
    assert (rows["X"].state, rows["X"].counts, rows["X"].people, rows["X"].members) == ("approved", [3, 1, 0], 4, 4)
    assert (rows["Y"].state, rows["Y"].counts, rows["Y"].people, rows["Y"].members) == ("submitted", [2, 0, 0], 2, 2)
    assert (rows["Z"].registration, rows["Z"].state_label, rows["Z"].counts) == (None, "Chưa lập phiếu", [0, 0, 0])
    assert (overview.totals, overview.total_people, overview.total_members) == ([5, 1, 0], 6, 6)
    assert [(str(t), n) for t, n in overview.unit_title_totals] == [("Tập thể lao động tiên tiến", 1),
                                                                    ("Tập thể lao động xuất sắc", 1)]
    assert [(v, n) for v, _label, n in overview.state_totals] == [
        ("none", 1), ("draft", 0), ("submitted", 1), ("returned", 0), ("approved", 1)]
    assert [r.unit.short_code for r in registration_overview(window, state="none").rows] == ["Z"]
    assert [r.unit.short_code for r in registration_overview(window, state="submitted").rows] == ["Y"]


def _units_with_registrations(window, n, offset):
    for i in range(n):
        unit = UnitFactory(name=f"Đơn vị {offset + i}", short_code=f"U{offset + i}")
        registration = RegistrationFactory(window=window, unit=unit, unit_title=title("TTLDTT"), state="submitted")
        RegistrationEntryFactory(registration=registration, title=title("LDTT"))
        RegistrationEntryFactory(registration=registration, title=title("CSTDCS"))


@pytest.mark.parametrize("units", [3, 15])
def test_overview_page_queries_do_not_grow_with_units(client, office_user, window, django_assert_max_num_queries, units):
    _units_with_registrations(window, units, 0)
    client.force_login(office_user)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("movements:registration_window", args=[window.year]))
    assert response.status_code == 200
    assert len(response.context["overview"].rows) == units
    assert response.context["overview"].totals == [units, units, 0]


def test_overview_page_htmx_filter_returns_partial(client, office_user, window):
    _units_with_registrations(window, 2, 0)
    UnitFactory(name="Phòng Chưa Lập", short_code="CL")
    client.force_login(office_user)
    response = client.get(reverse("movements:registration_window", args=[window.year]), {"state": "none"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert "Phòng Chưa Lập" in body and "Đơn vị 0" not in body


def test_demo_registration_window(db):
    from movements.demo import seed_demo

    seed_demo()
    seed_demo()
    window = RegistrationWindow.objects.get(year=2026)
    states = sorted(window.registrations.values_list("unit__short_code", "state"))
    assert states == [("CCTDC", "approved"), ("KHTC", "submitted"), ("QLKH", "submitted"), ("TTTT", "draft"),
                      ("TTUD", "returned"), ("VP", "approved")]
    assert window.registrations.get(unit__short_code="TTUD").return_reason.startswith("Đề nghị rà soát lại")
    assert RegisteredInitiative.objects.filter(registration__window=window).count() == 4


def test_office_opens_a_window_through_the_page(client, office_user):
    client.force_login(office_user)
    response = client.post(reverse("movements:registration_window_create"), {
        "year": "2027", "opens_on": "04/01/2027", "closes_on": "26/02/2027", "required_for_nomination": "on", "note": ""})
    assert response["Location"] == reverse("movements:registration_window", args=[2027])
    window = RegistrationWindow.objects.get()
    assert (window.opens_on, window.closes_on, window.required_for_nomination) == (
        datetime.date(2027, 1, 4), datetime.date(2027, 2, 26), True)
    response = client.post(reverse("movements:registration_window_create"), {
        "year": "2028", "opens_on": "04/03/2028", "closes_on": "26/02/2028"})
    assert "Hạn cuối phải từ ngày mở trở đi." in response.content.decode()


@pytest.mark.parametrize("members", [2, 12])
def test_edit_page_queries_do_not_grow_with_members(client, head_a, registration, django_assert_max_num_queries, members):
    PersonFactory.create_batch(members - 1, unit=registration.unit)
    client.force_login(head_a)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("movements:registration_edit", args=[registration.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("— Không đăng ký —</option>") == members  # one select per member
    assert body.count(f'<option value="{title("LDTT").pk}" selected>Lao động tiên tiến</option>') == 1
