"""The four workflows of the movements app (movements/workflows.py) on the one mechanism of tdkt.workflow:
each move through its service writes exactly one audit event and emits exactly one ``transition_committed``
after the commit, nothing when the surrounding transaction rolls back; ``available()`` gives each role its
buttons."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from movements import services
from movements.models import Campaign, Cluster, ClusterAcclamation, Registration
from movements.workflows import ACCLAMATION_WORKFLOW, CAMPAIGN_WORKFLOW, CLUSTER_WORKFLOW, REGISTRATION_WORKFLOW
from tdkt.enums import AuditAction
from tdkt.events import transition_committed
from tdkt.models import AuditEvent
from tests.factories import UnitFactory, UnitUserFactory
from tests.factories.movements import (
    CampaignFactory,
    RegistrationEntryFactory,
    RegistrationFactory,
    RegistrationWindowFactory,
    scoring_cluster,
    title,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def events():
    received = []

    def receiver(sender, **kwargs):
        received.append((sender, kwargs))

    transition_committed.connect(receiver)
    yield received
    transition_committed.disconnect(receiver)


@pytest.fixture
def unit_c(db):
    return UnitFactory(name="Chi cục Tiêu chuẩn Đo lường Chất lượng", short_code="CCTDC")


def _registration(unit, state="draft"):
    registration = RegistrationFactory(window=RegistrationWindowFactory(year=2026), unit=unit, unit_title=title("TTLDTT"), state=state)
    RegistrationEntryFactory(registration=registration, title=title("LDTT"))
    return registration


def _acclamation(units, leader, office_user):
    cluster, _criteria = scoring_cluster(units=units, leader=leader, state="concluded")
    return services.acclamation_record(actor=office_user, cluster=cluster, unit=leader, title=title("CO_TINH"),
                                       meeting_date=datetime.date(2024, 12, 20))


# Each case: (workflow name, model, make the object, make the move, state field, from, to, reason).
def _campaign_case(ctx):
    campaign = CampaignFactory()
    return campaign, lambda: services.campaign_transition(
        campaign=campaign, actor=ctx["office"], to_state="launched", date=datetime.date(2022, 4, 5), reason=" Theo kế hoạch ")


def _registration_case(ctx):
    registration = _registration(ctx["unit_a"], state="submitted")
    return registration, lambda: services.registration_return(
        registration=registration, actor=ctx["office"], reason="Bổ sung sáng kiến")


def _cluster_case(ctx):
    cluster, _criteria = scoring_cluster(units=[ctx["unit_a"], ctx["unit_b"]], leader=ctx["unit_a"], state="concluded")
    return cluster, lambda: services.cluster_transition(cluster=cluster, actor=ctx["office"], to_state="scoring",
                                                        reason="Bổ sung minh chứng")


def _acclamation_case(ctx):
    acclamation = _acclamation([ctx["unit_a"], ctx["unit_b"]], ctx["unit_a"], ctx["office"])
    return acclamation, lambda: services.acclamation_withdraw(acclamation=acclamation, actor=ctx["office"],
                                                              reason="Biên bản ghi nhầm đơn vị")


CASES = {
    "campaign": ("movements.campaign", Campaign, _campaign_case, "status", "draft", "launched", "Theo kế hoạch"),
    "registration": ("movements.registration", Registration, _registration_case, "state", "submitted", "returned",
                     "Bổ sung sáng kiến"),
    "cluster": ("movements.cluster", Cluster, _cluster_case, "state", "concluded", "scoring", "Bổ sung minh chứng"),
    "acclamation": ("movements.acclamation", ClusterAcclamation, _acclamation_case, "state", "proposed", "withdrawn",
                    "Biên bản ghi nhầm đơn vị"),
}


@pytest.fixture
def ctx(office_user, unit_a, unit_b):
    return {"office": office_user, "unit_a": unit_a, "unit_b": unit_b}


@pytest.mark.parametrize("case", list(CASES))
def test_a_move_writes_one_audit_event_and_emits_one_event_after_commit(ctx, events, django_capture_on_commit_callbacks, case):
    name, model, make, state_field, from_state, to_state, reason = CASES[case]
    obj, move = make(ctx)
    existing = set(AuditEvent.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        moved = move()
        assert events == []  # nothing before the commit
    assert len(callbacks) == 1
    assert getattr(moved, state_field) == to_state
    obj.refresh_from_db()
    assert getattr(obj, state_field) == to_state
    new = list(AuditEvent.objects.exclude(pk__in=existing))
    assert len(new) == 1
    audit = new[0]
    assert (audit.action, audit.content_type.model, audit.object_id, audit.from_state, audit.to_state, audit.reason,
            audit.actor) == (AuditAction.TRANSITION, model._meta.model_name, str(obj.pk), from_state, to_state, reason,
                             ctx["office"])
    assert len(events) == 1
    sender, kwargs = events[0]
    assert sender is model
    assert (kwargs["workflow"], kwargs["instance"].pk, kwargs["from_state"], kwargs["to_state"], kwargs["event"]) == (
        name, obj.pk, from_state, to_state, audit)


@pytest.mark.parametrize("case", list(CASES))
def test_nothing_is_emitted_or_kept_when_the_transaction_rolls_back(ctx, events, django_capture_on_commit_callbacks, case):
    _name, _model, make, state_field, from_state, _to_state, _reason = CASES[case]
    obj, move = make(ctx)
    existing = set(AuditEvent.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            move()
            raise RuntimeError("later failure in the same transaction")
    assert callbacks == []
    assert events == []
    assert list(AuditEvent.objects.exclude(pk__in=existing)) == []
    obj.refresh_from_db()
    assert getattr(obj, state_field) == from_state


def test_the_campaign_move_records_its_date_in_the_audit_diff(office_user):
    campaign = services.campaign_transition(campaign=CampaignFactory(), actor=office_user, to_state="launched",
                                            date=datetime.date(2022, 4, 5))
    audit = AuditEvent.objects.get(content_type__model="campaign", object_id=str(campaign.pk))
    assert audit.changes == {"status": ["draft", "launched"], "launched_on": [None, "2022-04-05"]}


def test_the_registration_moves_keep_their_dates_and_return_reason(office_user, head_a, unit_a):
    registration = _registration(unit_a)
    registration = services.registration_submit(registration=registration, actor=head_a)
    assert (registration.state, registration.submitted_at is not None, registration.reviewed_at) == ("submitted", True, None)
    registration = services.registration_return(registration=registration, actor=office_user, reason="Sửa danh hiệu")
    assert (registration.state, registration.return_reason, registration.reviewed_at is not None) == (
        "returned", "Sửa danh hiệu", True)
    registration = services.registration_submit(registration=registration, actor=head_a)
    assert (registration.state, registration.return_reason) == ("submitted", "")


# ---------------------------------------------------------------- available(): the buttons of each role

def _moves(workflow, user, obj):
    return [(m.target, str(m.label)) for m in workflow.available(user, obj)]


def test_available_campaign_moves(office_user, head_a):
    campaign = CampaignFactory(status="launched", launched_on=datetime.date(2022, 1, 1))
    assert _moves(CAMPAIGN_WORKFLOW, office_user, campaign) == [("interim_review", "Sơ kết"), ("final_review", "Tổng kết")]
    assert _moves(CAMPAIGN_WORKFLOW, head_a, campaign) == []


def test_available_registration_moves(office_user, head_a, unit_a, unit_b):
    head_b = UnitUserFactory(unit=unit_b)
    registration = _registration(unit_a)
    assert _moves(REGISTRATION_WORKFLOW, office_user, registration) == [("submitted", "Gửi phiếu đăng ký")]
    assert _moves(REGISTRATION_WORKFLOW, head_a, registration) == [("submitted", "Gửi phiếu đăng ký")]
    assert _moves(REGISTRATION_WORKFLOW, head_b, registration) == []
    registration.state = "submitted"
    assert _moves(REGISTRATION_WORKFLOW, office_user, registration) == [("approved", "Duyệt"), ("returned", "Trả lại")]
    assert _moves(REGISTRATION_WORKFLOW, head_a, registration) == []
    registration.state = "returned"
    assert _moves(REGISTRATION_WORKFLOW, head_a, registration) == [("submitted", "Gửi lại phiếu đăng ký")]
    assert REGISTRATION_WORKFLOW.find("approved", "returned").reason_required is True


def test_available_cluster_moves(office_user, unit_a, unit_b):
    leader_head = UnitUserFactory(unit=unit_a)
    cluster, _criteria = scoring_cluster(units=[unit_a, unit_b], leader=unit_a)
    assert _moves(CLUSTER_WORKFLOW, office_user, cluster) == [("concluded", "Kết thúc chấm điểm"), ("setup", "Quay lại thiết lập")]
    assert _moves(CLUSTER_WORKFLOW, leader_head, cluster) == []  # even the cluster leader
    cluster.state = "concluded"
    moves = CLUSTER_WORKFLOW.available(office_user, cluster)
    assert [(m.target, str(m.label), m.reason_required) for m in moves] == [("scoring", "Mở lại chấm điểm", True)]


def test_available_acclamation_moves(office_user, unit_a, unit_b):
    acclamation = _acclamation([unit_a, unit_b], unit_a, office_user)
    assert _moves(ACCLAMATION_WORKFLOW, office_user, acclamation) == [("nominated", "Đưa vào đề nghị"), ("withdrawn", "Huỷ suy tôn")]
    assert _moves(ACCLAMATION_WORKFLOW, UnitUserFactory(unit=unit_a), acclamation) == []


def test_pages_show_the_moves_the_workflow_offers(client, office_user, head_a, unit_a):
    campaign = CampaignFactory()
    url = reverse("movements:campaign_transition", args=[campaign.pk, "launched"])
    client.force_login(office_user)
    body = client.get(reverse("movements:campaign_detail", args=[campaign.pk])).content.decode()
    assert f'href="{url}">Phát động</a>' in body
    assert client.get(reverse("movements:campaign_transition", args=[campaign.pk, "draft"])).status_code == 404
    registration = _registration(unit_a)
    client.force_login(head_a)
    body = client.get(reverse("movements:registration_detail", args=[registration.pk])).content.decode()
    assert f'href="{reverse("movements:registration_submit", args=[registration.pk])}">Gửi phiếu đăng ký</a>' in body
    assert reverse("movements:registration_approve", args=[registration.pk]) not in body
    assert f'href="{url}"' not in client.get(reverse("movements:campaign_detail", args=[campaign.pk])).content.decode()
