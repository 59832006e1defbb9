"""History cannot be rewritten to pass a rule (issue 8): a unit head's change of posts or departure dated before today
becomes a change request the office approves (applied then, audited) or refuses (with a reason); the office may
still backdate. Ratings and discipline are the office's only."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from movements import services
from movements.models import DisciplineRecord, HistoryChangeRequest, PerformanceRating, Person, PositionAssignment
from movements.selectors import leadership_at
from tdkt.enums import AuditAction
from tdkt.events import subject_facts_changed, transition_committed
from tdkt.models import AuditEvent
from tests.factories import PersonFactory, UnitUserFactory, UserFactory

pytestmark = pytest.mark.integration

TODAY = datetime.date.today()
PAST = TODAY - datetime.timedelta(days=14)       # "from 01/12" when the round's reference date is 15/12…
REFERENCE = TODAY - datetime.timedelta(days=7)   # …and the reference date lies between it and today


@pytest.fixture
def facts():
    received = []

    def receiver(sender, **kwargs):
        received.append((sender, kwargs))

    subject_facts_changed.connect(receiver)
    yield received
    subject_facts_changed.disconnect(receiver)


@pytest.fixture
def leader(unit_a):
    return PersonFactory(unit=unit_a, full_name="Đỗ Văn Lãnh", position_title="Phó Trưởng phòng", is_leadership=True)


def _step_down(actor, person, start_date, **extra):
    return dict(actor=actor, person=person, unit=person.unit, title="Chuyên viên", is_leadership=False, is_head=False,
                start_date=start_date, **extra)


def _posts(person):
    return list(PositionAssignment.objects.filter(person=person).order_by("start_date").values_list(
        "title", "start_date", "end_date"))


# ---------------------------------------------------------------- a unit head cannot backdate

def test_unit_head_cannot_end_a_leaders_post_in_the_past_through_the_service(head_a, leader):
    """The exploit of the review: ending the leader's post "from 01/12" turns a refused leader into a non-leader at 15/12."""
    before = _posts(leader)
    with pytest.raises(ValidationError) as exc:
        services.person_change_position(**_step_down(head_a, leader, PAST))
    assert exc.value.error_dict["start_date"][0].code == "backdated"
    assert "phải được Văn phòng Sở duyệt" in exc.value.message_dict["start_date"][0]
    assert _posts(leader) == before
    assert leadership_at(REFERENCE, [leader]) == {leader.pk: True}


def test_unit_head_cannot_backdate_a_departure_or_a_return(head_a, person_a, office_user):
    with pytest.raises(ValidationError) as exc:
        services.person_set_active(actor=head_a, person=person_a, active=False, date=PAST, reason="Nghỉ hưu")
    assert exc.value.error_dict["date"][0].code == "backdated"
    person_a.refresh_from_db()
    assert person_a.active is True
    services.person_set_active(actor=office_user, person=person_a, active=False, date=PAST - datetime.timedelta(days=30),
                               reason="Nghỉ không lương")
    with pytest.raises(ValidationError) as exc:
        services.person_set_active(actor=head_a, person=person_a, active=True, date=PAST)
    assert exc.value.error_dict["date"][0].code == "backdated"


def test_unit_head_changes_take_effect_from_today(head_a, leader):
    services.person_change_position(**_step_down(head_a, leader, TODAY))
    assert _posts(leader)[-1] == ("Chuyên viên", TODAY, None)
    assert leadership_at(TODAY - datetime.timedelta(days=1), [leader]) == {leader.pk: True}


def test_office_may_backdate_audited_with_its_reason(office_user, leader):
    services.person_change_position(**_step_down(office_user, leader, PAST, reason="Quyết định số 12/QĐ-SKHCN"))
    assert leadership_at(REFERENCE, [leader]) == {leader.pk: False}
    event = AuditEvent.objects.filter(content_type__model="person", object_id=str(leader.pk)).latest("id")
    assert (event.actor, event.reason) == (office_user, "Quyết định số 12/QĐ-SKHCN")


def test_ratings_and_discipline_stay_office_only(head_a, person_a):
    with pytest.raises(PermissionDenied):
        services.rating_set(actor=head_a, person=person_a, year=TODAY.year - 1, rating="HTXSNV")
    with pytest.raises(PermissionDenied):
        services.discipline_create(actor=head_a, person=person_a, kind="reprimand", start_date=PAST, reason="x")


# ---------------------------------------------------------------- the change request

def test_a_backdated_change_by_a_unit_head_is_filed_for_the_office(head_a, leader, facts, django_capture_on_commit_callbacks):
    before = _posts(leader)
    with django_capture_on_commit_callbacks(execute=True):
        change = services.person_change_position_or_request(**_step_down(head_a, leader, PAST, reason=" Bổ nhiệm lại theo QĐ 5 "))
    assert isinstance(change, HistoryChangeRequest)
    assert (change.state, change.kind, change.effective_date, change.unit, change.requested_by, change.reason) == (
        "pending", "position", PAST, leader.unit, head_a, "Bổ nhiệm lại theo QĐ 5")
    assert _posts(leader) == before  # nothing changes until the office approves
    assert facts == []
    audit = AuditEvent.objects.get(content_type__model="historychangerequest", object_id=str(change.pk))
    assert (audit.action, audit.actor, audit.to_state, audit.reason) == (AuditAction.CREATE, head_a, "pending",
                                                                         "Bổ nhiệm lại theo QĐ 5")


def test_a_change_request_needs_a_reason(head_a, leader):
    with pytest.raises(ValidationError) as exc:
        services.person_change_position_or_request(**_step_down(head_a, leader, PAST, reason="  "))
    assert exc.value.message_dict["reason"] == ["Thay đổi lùi ngày cần ghi lý do, căn cứ để Văn phòng Sở xem xét."]
    assert not HistoryChangeRequest.objects.exists()


def test_a_change_that_could_not_be_applied_is_refused_at_filing_and_leaves_nothing(head_a, leader):
    audits = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.person_change_position_or_request(**_step_down(head_a, leader, datetime.date(2010, 1, 1), reason="Nhầm"))
    assert "phải sau ngày 01/01/2015" in exc.value.message_dict["start_date"][0]
    assert not HistoryChangeRequest.objects.exists()
    assert AuditEvent.objects.count() == audits


def test_one_pending_request_per_person(head_a, leader):
    services.person_change_position_or_request(**_step_down(head_a, leader, PAST, reason="Lần 1"))
    with pytest.raises(ValidationError) as exc:
        services.person_change_position_or_request(**_step_down(head_a, leader, PAST, reason="Lần 2"))
    assert "đã có một đề nghị điều chỉnh đang chờ Văn phòng duyệt" in str(exc.value)


def test_the_office_approves_and_the_change_is_applied_audited_with_one_event(
        head_a, office_user, leader, facts, django_capture_on_commit_callbacks):
    change = services.person_change_position_or_request(**_step_down(head_a, leader, PAST, reason="QĐ 5/QĐ-SKHCN"))
    moved = []
    transition_committed.connect(receiver := lambda sender, **kw: moved.append(kw["to_state"]))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.history_change_transition(change=change, actor=office_user, to_state="approved", reason="Đúng QĐ")
            assert facts == []  # only after the commit
    finally:
        transition_committed.disconnect(receiver)
    change.refresh_from_db()
    assert (change.state, change.decided_by, change.decision_reason) == ("approved", office_user, "Đúng QĐ")
    assert change.decided_at is not None
    assert _posts(leader)[-1] == ("Chuyên viên", PAST, None)
    assert leadership_at(REFERENCE, [leader]) == {leader.pk: False}
    person_audit = AuditEvent.objects.filter(content_type__model="person", object_id=str(leader.pk)).latest("id")
    assert person_audit.actor == office_user
    assert person_audit.reason == f"Theo đề nghị điều chỉnh số {change.pk} của Phòng Quản lý khoa học: QĐ 5/QĐ-SKHCN"
    assert moved == ["approved"]
    assert len(facts) == 1
    sender, kwargs = facts[0]
    assert (sender, kwargs["person_ids"], kwargs["unit_ids"], kwargs["actor"]) == (
        PositionAssignment, frozenset({leader.pk}), frozenset({leader.unit_id}), office_user)


def test_the_office_refuses_with_a_reason_and_nothing_changes(head_a, office_user, leader, facts,
                                                              django_capture_on_commit_callbacks):
    change = services.person_change_position_or_request(**_step_down(head_a, leader, PAST, reason="QĐ 5"))
    before = _posts(leader)
    with pytest.raises(ValidationError):
        services.history_change_transition(change=change, actor=office_user, to_state="refused", reason="")
    with django_capture_on_commit_callbacks(execute=True):
        services.history_change_transition(change=change, actor=office_user, to_state="refused",
                                           reason="Chưa có quyết định miễn nhiệm")
    change.refresh_from_db()
    assert (change.state, change.decision_reason) == ("refused", "Chưa có quyết định miễn nhiệm")
    assert _posts(leader) == before
    assert facts == []
    with pytest.raises(ValidationError):  # decided: no second decision
        services.history_change_transition(change=change, actor=office_user, to_state="approved")


def test_only_the_office_decides_and_only_the_unit_withdraws(head_a, office_user, leader):
    change = services.person_change_position_or_request(**_step_down(head_a, leader, PAST, reason="QĐ 5"))
    for actor in (head_a, UserFactory(role="council")):
        with pytest.raises(PermissionDenied):
            services.history_change_transition(change=change, actor=actor, to_state="approved")
    with pytest.raises(PermissionDenied):
        services.history_change_transition(change=change, actor=office_user, to_state="withdrawn")
    services.history_change_transition(change=change, actor=head_a, to_state="withdrawn")
    change.refresh_from_db()
    assert change.state == "withdrawn"
    assert leadership_at(REFERENCE, [leader]) == {leader.pk: True}


def test_another_units_head_cannot_file_for_or_withdraw_a_request(head_a, person_b, leader):
    head_b = UnitUserFactory(unit=person_b.unit)
    with pytest.raises(PermissionDenied):
        services.person_change_position_or_request(**_step_down(head_b, leader, PAST, reason="x"))
    change = services.person_change_position_or_request(**_step_down(head_a, leader, PAST, reason="QĐ 5"))
    with pytest.raises(PermissionDenied):
        services.history_change_transition(change=change, actor=head_b, to_state="withdrawn")


def test_an_approval_that_no_longer_applies_changes_nothing(head_a, office_user, leader):
    change = services.person_change_position_or_request(**_step_down(head_a, leader, PAST, reason="QĐ 5"))
    services.person_change_position(**_step_down(office_user, leader, PAST + datetime.timedelta(days=3), reason="QĐ khác"))
    with pytest.raises(ValidationError):
        services.history_change_transition(change=change, actor=office_user, to_state="approved")
    change.refresh_from_db()
    assert change.state == "pending"


def test_a_backdated_departure_is_a_request_and_applies_on_approval(head_a, office_user, person_a):
    change = services.person_leave_or_request(actor=head_a, person=person_a, date=PAST, reason="Nghỉ hưu theo QĐ 9")
    assert (change.kind, change.effective_date) == ("departure", PAST)
    person_a.refresh_from_db()
    assert person_a.active is True
    services.history_change_transition(change=change, actor=office_user, to_state="approved")
    person_a.refresh_from_db()
    assert person_a.active is False
    assert _posts(person_a)[-1][2] == PAST


def test_a_departure_from_today_is_recorded_at_once(head_a, person_a):
    assert services.person_leave_or_request(actor=head_a, person=person_a, date=TODAY, reason="Chuyển công tác") is None
    person_a.refresh_from_db()
    assert person_a.active is False


# ---------------------------------------------------------------- pages

def test_unit_head_page_files_a_request_for_a_past_date(client, head_a, leader):
    client.force_login(head_a)
    url = reverse("movements:person_position", args=[leader.pk])
    data = {"unit": leader.unit_id, "title": "Chuyên viên", "start_date": PAST.strftime("%d/%m/%Y")}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "hãy ghi căn cứ, lý do của thay đổi lùi ngày" in response.content.decode()
    assert "Văn phòng Sở duyệt" in client.get(url).content.decode()  # the help text says so beforehand
    response = client.post(url, {**data, "reason": "QĐ 5/QĐ-SKHCN"})
    change = HistoryChangeRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("movements:history_change_detail", args=[change.pk])
    body = client.get(response.url).content.decode()
    assert "Chờ Văn phòng duyệt" in body and "QĐ 5/QĐ-SKHCN" in body and "Rút đề nghị" in body and "Duyệt và áp dụng" not in body
    assert leadership_at(REFERENCE, [leader]) == {leader.pk: True}
    assert leader.full_name in client.get(reverse("movements:history_change_list")).content.decode()
    assert str(change.pk) in client.get(reverse("movements:person_detail", args=[leader.pk])).content.decode()


def test_unit_head_page_deactivation_in_the_past_is_a_request(client, head_a, person_a):
    client.force_login(head_a)
    response = client.post(reverse("movements:person_toggle_active", args=[person_a.pk]),
                           {"date": PAST.strftime("%d/%m/%Y"), "reason": "Nghỉ hưu"})
    change = HistoryChangeRequest.objects.get()
    assert response.url == reverse("movements:history_change_detail", args=[change.pk])
    person_a.refresh_from_db()
    assert person_a.active is True


def test_office_lists_pending_requests_and_approves_after_confirmation(client, head_a, office_user, leader, person_b):
    change = services.person_change_position_or_request(**_step_down(head_a, leader, PAST, reason="QĐ 5"))
    client.force_login(office_user)
    body = client.get(reverse("movements:history_change_list")).content.decode()
    assert leader.full_name in body and "Chờ Văn phòng duyệt" in body
    url = reverse("movements:history_change_transition", args=[change.pk, "approved"])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Duyệt và áp dụng" in confirm.content.decode()
    change.refresh_from_db()
    assert change.state == "pending"  # GET only asks
    assert client.post(url, {"reason": ""}).status_code == 302
    change.refresh_from_db()
    assert change.state == "approved"
    assert "Không có đề nghị nào đang chờ duyệt." in client.get(reverse("movements:history_change_list")).content.decode()


def test_office_refusal_page_requires_a_reason(client, head_a, office_user, leader):
    change = services.person_change_position_or_request(**_step_down(head_a, leader, PAST, reason="QĐ 5"))
    client.force_login(office_user)
    url = reverse("movements:history_change_transition", args=[change.pk, "refused"])
    assert client.post(url, {"reason": ""}).status_code == 200
    change.refresh_from_db()
    assert change.state == "pending"
    client.post(url, {"reason": "Thiếu quyết định"})
    change.refresh_from_db()
    assert (change.state, change.decision_reason) == ("refused", "Thiếu quyết định")
    client.force_login(head_a)
    assert "Thiếu quyết định" in client.get(reverse("movements:history_change_detail", args=[change.pk])).content.decode()


def test_request_pages_by_role(client, head_a, leader, person_b):
    change = services.person_change_position_or_request(**_step_down(head_a, leader, PAST, reason="QĐ 5"))
    head_b = UnitUserFactory(unit=person_b.unit)
    client.force_login(head_b)
    assert client.get(reverse("movements:history_change_detail", args=[change.pk])).status_code == 404
    assert client.post(reverse("movements:history_change_transition", args=[change.pk, "withdrawn"])).status_code == 404
    assert leader.full_name not in client.get(reverse("movements:history_change_list")).content.decode()
    client.force_login(head_a)
    assert client.get(reverse("movements:history_change_transition", args=[change.pk, "approved"])).status_code == 403
    client.force_login(UserFactory(role="council"))
    assert client.get(reverse("movements:history_change_list")).status_code == 403
    assert client.get(reverse("movements:history_change_detail", args=[change.pk])).status_code == 404


def test_rating_correction_of_a_past_year_needs_a_reason_on_the_page(client, office_user, person_a):
    services.rating_set(actor=office_user, person=person_a, year=TODAY.year - 1, rating="HTTNV")
    client.force_login(office_user)
    url = reverse("movements:person_rating", args=[person_a.pk])
    response = client.post(url, {"year": TODAY.year - 1, "rating": "HTXSNV"})
    assert response.status_code == 200 and "hãy ghi lý do điều chỉnh" in response.content.decode()
    client.post(url, {"year": TODAY.year - 1, "rating": "HTXSNV", "reason": "Sai sót khi nhập"})
    assert person_a.ratings.get().rating == "HTXSNV"
    event = AuditEvent.objects.filter(content_type__model="performancerating").latest("id")
    assert (event.reason, event.changes) == ("Sai sót khi nhập", {"rating": ["HTTNV", "HTXSNV"]})
    # A missing rating of last year is ordinary entry: no reason needed.
    other = PersonFactory(unit=person_a.unit)
    assert client.post(reverse("movements:person_rating", args=[other.pk]), {"year": TODAY.year - 1, "rating": "HTNV"}).status_code == 302


# ---------------------------------------------------------------- the event of every write

def _writes(office_user, unit_a, unit_b):
    person = Person.objects.get(full_name="Trần Thị Ánh")
    return {
        "person_create": (lambda: services.person_create(actor=office_user, full_name="Ngô Thị Mới", gender="female",
                                                         unit=unit_a, start_date=PAST),
                          PositionAssignment, lambda: {Person.objects.get(full_name="Ngô Thị Mới").pk}, {unit_a.pk}),
        "position": (lambda: services.person_change_position(actor=office_user, person=person, unit=unit_b, title="Phó Giám đốc",
                                                             is_leadership=True, is_head=False, start_date=PAST),
                     PositionAssignment, lambda: {person.pk}, {unit_a.pk, unit_b.pk}),
        "departure": (lambda: services.person_set_active(actor=office_user, person=person, active=False, date=PAST,
                                                        reason="Nghỉ hưu"),
                      PositionAssignment, lambda: {person.pk}, {unit_a.pk}),
        "rating_person": (lambda: services.rating_set(actor=office_user, person=person, year=2024, rating="HTXSNV"),
                          PerformanceRating, lambda: {person.pk}, {unit_a.pk}),
        "rating_unit": (lambda: services.rating_set(actor=office_user, unit=unit_b, year=2024, rating="HTXSNV"),
                        PerformanceRating, set, {unit_b.pk}),
        "discipline": (lambda: services.discipline_create(actor=office_user, person=person, kind="reprimand",
                                                          start_date=PAST, reason="Vi phạm"),
                       DisciplineRecord, lambda: {person.pk}, {unit_a.pk}),
    }


WRITES = ["person_create", "position", "departure", "rating_person", "rating_unit", "discipline"]


@pytest.mark.parametrize("name", WRITES)
def test_each_write_emits_one_event_after_commit_with_the_ids(name, office_user, unit_a, unit_b, person_a, facts,
                                                              django_capture_on_commit_callbacks):
    write, sender, person_ids, unit_ids = _writes(office_user, unit_a, unit_b)[name]
    with django_capture_on_commit_callbacks(execute=True):
        write()
        assert facts == []
    assert len(facts) == 1
    got_sender, kwargs = facts[0]
    assert got_sender is sender
    assert (kwargs["person_ids"], kwargs["unit_ids"], kwargs["actor"]) == (frozenset(person_ids()), frozenset(unit_ids), office_user)
    assert kwargs["reason"]


@pytest.mark.parametrize("name", WRITES)
def test_no_event_when_the_write_rolls_back(name, office_user, unit_a, unit_b, person_a, facts, django_capture_on_commit_callbacks):
    write = _writes(office_user, unit_a, unit_b)[name][0]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            write()
            raise RuntimeError("later failure")
    assert callbacks == [] and facts == []


def test_discipline_update_emits_one_event(office_user, person_a, facts, django_capture_on_commit_callbacks):
    record = services.discipline_create(actor=office_user, person=person_a, kind="reprimand", start_date=PAST, reason="x")
    with django_capture_on_commit_callbacks(execute=True):
        services.discipline_update(actor=office_user, record=record, kind="reprimand", start_date=PAST, end_date=TODAY,
                                   reason="x")
    assert len(facts) == 1 and facts[0][1]["person_ids"] == frozenset({person_a.pk})


def test_an_unchanged_rating_writes_nothing_and_emits_nothing(office_user, person_a, facts, django_capture_on_commit_callbacks):
    services.rating_set(actor=office_user, person=person_a, year=2024, rating="HTTNV")
    facts.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.rating_set(actor=office_user, person=person_a, year=2024, rating="HTTNV")
    assert facts == []


def test_a_units_rating_page_saves_and_asks_the_same_reason(client, office_user, unit_a, head_a):
    client.force_login(head_a)
    url = reverse("movements:unit_rating", args=[unit_a.pk])
    assert client.get(url).status_code == 403
    client.force_login(office_user)
    page = client.get(url)
    assert page.status_code == 200 and "Xếp loại chất lượng: Phòng Quản lý khoa học" in page.content.decode()
    response = client.post(url, {"year": TODAY.year - 1, "rating": "HTTNV"})
    assert response.status_code == 302 and response["Location"] == reverse("movements:unit_detail", args=[unit_a.pk])
    assert list(unit_a.ratings.values_list("year", "rating")) == [(TODAY.year - 1, "HTTNV")]
    response = client.post(url, {"year": TODAY.year - 1, "rating": "HTXSNV"})
    assert response.status_code == 200 and "hãy ghi lý do điều chỉnh" in response.content.decode()
    assert unit_a.ratings.get().rating == "HTTNV"
