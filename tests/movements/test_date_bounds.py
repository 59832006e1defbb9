"""Dates within sane bounds (01/01/1945 – 31/12/2100) and in order, on every write path (issue 8)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from movements import services
from movements.models import Campaign, ClusterAcclamation, DisciplineRecord, Person, PositionAssignment, RegistrationWindow
from tests.factories import PersonFactory
from tests.factories.movements import CampaignFactory, scoring_cluster, title

pytestmark = pytest.mark.integration

d = datetime.date
TOO_EARLY, TOO_LATE = d(202, 1, 1), d(9999, 12, 31)


def bounds_message(value):
    return f"Ngày {value.day:02d}/{value.month:02d}/{value.year:04d} không hợp lệ: chỉ nhận ngày từ 01/01/1945 đến 31/12/2100."


def test_birth_date_bounds(office_user, unit_a):
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=office_user, full_name="Ngô Văn Cổ", gender="male", unit=unit_a, date_of_birth=d(1900, 1, 1))
    assert exc.value.message_dict["date_of_birth"] == [bounds_message(d(1900, 1, 1))]
    assert not Person.objects.filter(full_name="Ngô Văn Cổ").exists()


@pytest.mark.parametrize("value", [TOO_EARLY, TOO_LATE])
def test_position_dates_bounds(office_user, person_a, value):
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=office_user, full_name="Ngô Văn Mới", gender="male", unit=person_a.unit, start_date=value)
    assert exc.value.message_dict["start_date"] == [bounds_message(value)]
    if value > person_a.positions.get().start_date:
        with pytest.raises(ValidationError) as exc:
            services.person_change_position(actor=office_user, person=person_a, unit=person_a.unit, title="Trưởng phòng",
                                            is_leadership=True, is_head=False, start_date=value)
        assert exc.value.message_dict["start_date"] == [bounds_message(value)]
    assert PositionAssignment.objects.filter(person=person_a).count() == 1


def test_departure_date_bounds(office_user, person_a):
    with pytest.raises(ValidationError) as exc:
        services.person_set_active(actor=office_user, person=person_a, active=False, reason="Nghỉ hưu", date=TOO_LATE)
    assert exc.value.message_dict["date"] == [bounds_message(TOO_LATE)]
    person_a.refresh_from_db()
    assert person_a.active and person_a.positions.get().end_date is None


def test_position_end_not_before_start_in_clean(person_a):
    post = person_a.positions.get()
    post.end_date = post.start_date - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        post.full_clean(validate_constraints=False)
    assert exc.value.message_dict["end_date"] == ["Ngày kết thúc phải sau ngày bắt đầu."]


def test_discipline_dates_bounds_and_order(office_user, person_a):
    with pytest.raises(ValidationError) as exc:
        services.discipline_create(actor=office_user, person=person_a, kind="reprimand", start_date=TOO_EARLY, reason="x")
    assert exc.value.message_dict["start_date"] == [bounds_message(TOO_EARLY)]
    with pytest.raises(ValidationError) as exc:
        services.discipline_create(actor=office_user, person=person_a, kind="reprimand", start_date=d(2024, 5, 1),
                                   end_date=d(2024, 1, 1), reason="x")
    assert exc.value.message_dict["end_date"] == ["Ngày kết thúc phải sau ngày bắt đầu."]
    record = services.discipline_create(actor=office_user, person=person_a, kind="reprimand", start_date=d(2024, 5, 1), reason="x")
    with pytest.raises(ValidationError) as exc:
        services.discipline_update(actor=office_user, record=record, kind="reprimand", start_date=d(2024, 5, 1),
                                   end_date=TOO_LATE, reason="x")
    assert exc.value.message_dict["end_date"] == [bounds_message(TOO_LATE)]
    assert DisciplineRecord.objects.get().end_date is None


def test_campaign_milestone_and_document_dates_bounds(office_user):
    campaign = CampaignFactory()
    with pytest.raises(ValidationError) as exc:
        services.campaign_transition(campaign=campaign, actor=office_user, to_state="launched", date=TOO_LATE)
    assert exc.value.message_dict["date"] == [bounds_message(TOO_LATE)]
    assert Campaign.objects.get().status == "draft"
    with pytest.raises(ValidationError) as exc:
        services.campaign_document_add(actor=office_user, campaign=campaign, kind="plan", title="Kế hoạch", issued_on=TOO_EARLY)
    assert exc.value.message_dict["issued_on"] == [bounds_message(TOO_EARLY)]


def test_registration_window_dates_bounds_and_order(office_user):
    with pytest.raises(ValidationError) as exc:
        services.registration_window_create(actor=office_user, year=2026, opens_on=TOO_EARLY, closes_on=d(2026, 3, 1))
    assert exc.value.message_dict["opens_on"] == [bounds_message(TOO_EARLY)]
    with pytest.raises(ValidationError) as exc:
        services.registration_window_create(actor=office_user, year=2026, opens_on=d(2026, 3, 1), closes_on=d(2026, 2, 1))
    assert exc.value.message_dict["closes_on"] == ["Hạn cuối phải từ ngày mở trở đi."]
    assert not RegistrationWindow.objects.exists()


def test_cluster_pact_and_acclamation_dates_bounds(office_user, unit_a, unit_b):
    with pytest.raises(ValidationError) as exc:
        services.cluster_create(actor=office_user, year=2024, name="Cụm 1", members=[unit_a, unit_b], pact_signed_on=TOO_LATE)
    assert exc.value.message_dict["pact_signed_on"] == [bounds_message(TOO_LATE)]
    cluster, criteria = scoring_cluster(units=[unit_a, unit_b], leader=unit_a, deputy=unit_b)
    services.cluster_scores_save(actor=office_user, cluster=cluster, unit=unit_a, self_scores={criteria[0].pk: ("20", "")})
    services.cluster_transition(cluster=cluster, actor=office_user, to_state="concluded")
    # The service already keeps the meeting between the cluster's year and today; the model keeps the bounds on any path.
    acclamation = ClusterAcclamation(cluster=cluster, unit=unit_a, year=3000, meeting_date=TOO_EARLY, title=title("CO_TINH"))
    with pytest.raises(ValidationError) as exc:
        acclamation.full_clean()
    assert exc.value.message_dict["year"] == ["Năm 3000 không hợp lệ: chỉ nhận năm từ 1945 đến 2100."]
    assert exc.value.message_dict["meeting_date"] == [bounds_message(TOO_EARLY)]


def test_the_page_shows_the_bound_next_to_the_field(client, office_user, unit_a):
    person = PersonFactory(unit=unit_a, full_name="Phan Văn Tâm")
    client.force_login(office_user)
    response = client.post(reverse("movements:person_edit", args=[person.pk]),
                           {"full_name": "Phan Văn Tâm", "gender": "male", "date_of_birth": "01/01/0202"})
    assert response.status_code == 200
    assert bounds_message(d(202, 1, 1)) in response.content.decode()
