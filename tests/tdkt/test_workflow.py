"""The workflow mechanism itself (tdkt/workflow.py), on a small machine over the export job's status.

Each app's own workflows are tested in ``tests/<app>/test_workflows.py``.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from tdkt.enums import AuditAction
from tdkt.events import transition_committed
from tdkt.models import AuditEvent, ExportJob
from tdkt.roles import is_office
from tdkt.workflow import Move, Workflow
from tests.factories import UnitUserFactory, UserFactory

pytestmark = pytest.mark.integration

S = ExportJob.Status


def _machine(calls=None):
    calls = calls if calls is not None else []

    def check(step):
        calls.append(("check", step.obj.pk, step.from_state, step.to_state))
        if step.params.get("refuse") == step.obj.pk:
            raise ValidationError("bị từ chối")

    def batch(steps):
        calls.append(("batch", [s.obj.pk for s in steps]))

    def before(step):
        calls.append(("before", step.obj.pk))
        step.obj.error = step.reason

    def after(step):
        calls.append(("after", step.obj.pk, step.data["audit_event"].to_state))

    return Workflow(
        name="test.export_job", model=ExportJob, states=S, state_field="status",
        invalid_message="Không thể chuyển tệp “%(obj)s” từ “%(from)s” sang “%(to)s”.",
        audit_fields=["error"],
        moves=[
            Move(source=(S.PENDING,), target=S.RUNNING, label="Chạy", allowed=is_office,
                 checks=[check], batch_checks=[batch], before_save=[before], after_save=[after]),
            Move(source=(S.PENDING, S.RUNNING), target=S.FAILED, label="Huỷ", allowed=is_office, reason_required=True,
                 reason_message="Hãy ghi lý do huỷ.", danger=True),
        ])


@pytest.fixture
def events():
    received = []

    def receiver(sender, **kwargs):
        received.append((sender, kwargs))

    transition_committed.connect(receiver)
    yield received
    transition_committed.disconnect(receiver)


@pytest.fixture
def office(db):
    return UserFactory(role="office")


def _job(user, name="a"):
    return ExportJob.objects.create(user=user, key="k", fmt="xlsx", filename=name)


def test_a_move_saves_audits_once_and_emits_once_after_commit(office, events, django_capture_on_commit_callbacks):
    calls = []
    job = _job(office)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        moved = _machine(calls).apply(job, actor=office, to=S.RUNNING, reason="  bắt đầu ")
        assert events == []  # nothing before the commit
    assert len(callbacks) == 1
    assert moved.status == S.RUNNING
    job.refresh_from_db()
    assert (job.status, job.error) == (S.RUNNING, "bắt đầu")
    audit = AuditEvent.objects.get()
    assert (audit.action, audit.from_state, audit.to_state, audit.reason, audit.actor) == (
        AuditAction.TRANSITION, S.PENDING, S.RUNNING, "bắt đầu", office)
    assert audit.changes == {"error": ["", "bắt đầu"]}
    assert calls == [("check", job.pk, S.PENDING, S.RUNNING), ("batch", [job.pk]), ("before", job.pk),
                     ("after", job.pk, S.RUNNING)]
    assert len(events) == 1
    sender, kwargs = events[0]
    assert sender is ExportJob
    assert (kwargs["workflow"], kwargs["instance"].pk, kwargs["from_state"], kwargs["to_state"], kwargs["event"]) == (
        "test.export_job", job.pk, S.PENDING, S.RUNNING, audit)


def test_nothing_is_emitted_or_kept_when_the_transaction_rolls_back(office, events, django_capture_on_commit_callbacks):
    job = _job(office)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            _machine().apply(job, actor=office, to=S.RUNNING)
            raise RuntimeError("later failure in the same transaction")
    assert callbacks == []
    assert events == []
    assert AuditEvent.objects.count() == 0
    job.refresh_from_db()
    assert job.status == S.PENDING


def test_a_move_not_in_the_table_is_refused_with_the_workflows_message(office, events):
    job = _job(office, "bao-cao")
    job.status = S.DONE
    job.save()
    with pytest.raises(ValidationError) as exc:
        _machine().apply(job, actor=office, to=S.RUNNING)
    assert exc.value.messages == ["Không thể chuyển tệp “bao-cao” từ “Đã xong” sang “Đang tạo tệp”."]
    assert AuditEvent.objects.count() == 0


def test_who_may_is_checked_and_the_system_may_always(office, unit_a, events):
    head = UnitUserFactory(unit=unit_a)
    job = _job(office)
    with pytest.raises(PermissionDenied):
        _machine().apply(job, actor=head, to=S.RUNNING)
    assert ExportJob.objects.get(pk=job.pk).status == S.PENDING
    assert _machine().apply(job, actor=None, to=S.RUNNING).status == S.RUNNING
    assert AuditEvent.objects.get().actor is None


def test_a_required_reason_is_asked_for_on_the_reason_field(office):
    job = _job(office)
    with pytest.raises(ValidationError) as exc:
        _machine().apply(job, actor=office, to=S.FAILED, reason="   ")
    assert exc.value.message_dict == {"reason": ["Hãy ghi lý do huỷ."]}
    assert _machine().apply(job, actor=office, to=S.FAILED, reason="Sai bộ lọc").status == S.FAILED


def test_apply_many_moves_all_or_none(office, events, django_capture_on_commit_callbacks):
    calls = []
    jobs = [_job(office, name) for name in "abc"]
    with pytest.raises(ValidationError):
        _machine(calls).apply_many(jobs, actor=office, to=S.RUNNING, refuse=jobs[2].pk)
    assert sorted(ExportJob.objects.values_list("status", flat=True)) == [S.PENDING] * 3
    assert AuditEvent.objects.count() == 0
    calls.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _machine(calls).apply_many(jobs, actor=office, to=S.RUNNING)
    assert [c[0] for c in calls] == ["check", "check", "check", "batch", "before", "after", "before", "after", "before", "after"]
    assert calls[3] == ("batch", [j.pk for j in jobs])
    assert AuditEvent.objects.count() == 3
    assert [kwargs["instance"].pk for _sender, kwargs in events] == [j.pk for j in jobs]
    with pytest.raises(ValidationError) as exc:
        _machine().apply_many([], actor=office, to=S.RUNNING)
    assert exc.value.messages == ["Chưa chọn mục nào."]


def test_available_lists_the_moves_a_user_may_make_now(office, unit_a):
    machine = _machine()
    job = _job(office)
    assert [(m.target, str(m.label)) for m in machine.available(office, job)] == [(S.RUNNING, "Chạy"), (S.FAILED, "Huỷ")]
    assert machine.available(UnitUserFactory(unit=unit_a), job) == []
    job.status = S.RUNNING
    assert [m.target for m in machine.available(office, job)] == [S.FAILED]
    assert machine.targets(S.DONE) == set()
    assert machine.find(S.RUNNING, S.FAILED).danger is True


def test_a_table_with_two_moves_between_the_same_states_is_refused():
    with pytest.raises(ValueError, match="two moves from pending to running"):
        Workflow(name="x", model=ExportJob, states=S, state_field="status",
                 moves=[Move(source=(S.PENDING,), target=S.RUNNING), Move(source=(S.PENDING,), target=S.RUNNING)])


def test_a_move_that_is_not_manual_is_offered_to_nobody_and_made_only_automatically(office, events,
                                                                                    django_capture_on_commit_callbacks):
    machine = Workflow(name="test.auto", model=ExportJob, states=S, state_field="status", moves=[
        Move(source=(S.PENDING,), target=S.RUNNING, label="Chạy", allowed=is_office, manual=False,
             denied_message="Bước này do tác vụ nền thực hiện."),
    ])
    job = _job(office)
    assert (machine.available(office, job), machine.may(office, job, machine.moves[0])) == ([], False)
    with pytest.raises(PermissionDenied) as exc:
        machine.apply(job, actor=office, to=S.RUNNING)
    assert str(exc.value) == "Bước này do tác vụ nền thực hiện."
    with pytest.raises(PermissionDenied):
        machine.apply(job, actor=None, to=S.RUNNING)  # not even the system without saying so
    with pytest.raises(PermissionDenied):  # automatic still asks who may
        machine.apply(job, actor=UserFactory(role="council"), to=S.RUNNING, automatic=True)
    with django_capture_on_commit_callbacks(execute=True):
        moved = machine.apply(job, actor=office, to=S.RUNNING, automatic=True)
    assert (moved.status, AuditEvent.objects.get().to_state, len(events)) == (S.RUNNING, S.RUNNING, 1)
