"""One workflow mechanism for every state machine of the apps.

A :class:`Workflow` is a declarative table of :class:`Move` rows (from which states, to which state,
who may make it, whether a reason is required, which checks must hold). :meth:`Workflow.apply` is the
one function that changes a state: it locks the row, checks the move, the actor and the reason, runs
the move's checks, saves, writes one audit event (who, when, from, to, reason) and, once the
transaction commits, emits :data:`tdkt.events.transition_committed` carrying that audit event.
Features such as notifications subscribe to that event; they are never added to services.

Views do not keep their own maps of buttons: they ask :meth:`Workflow.available` which moves the
user may make on an object, and each move carries its button label. A move marked ``manual=False`` is
never offered to people (no button, :meth:`Workflow.may` says no, a call without ``automatic=True`` is
refused): another feature makes it from its own services, which say who may act (e.g. the council's
votes move the nominations they decide).

A move's hooks receive a :class:`Step` (the object, the actor, the from/to states, the reason, the
extra parameters of the call and a scratch ``data`` dict shared by the hooks of one call):

- ``checks``: per object, after the lock and before anything changes; raise ``ValidationError``.
- ``batch_checks``: once for all objects of one call (a list judged as a whole, e.g. the rules of a
  unit's list); receives the list of steps.
- ``before_save``: set the fields that go with the new state (dates, reasons).
- ``after_save``: further writes of the same transaction (e.g. an award record); they have their own
  audit.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit import BULK_BATCH, audit_record, audit_records, diff, snapshot
from .enums import AuditAction
from .events import emit_transition
from .roles import allows
from .text import nfc_multiline


@dataclass(frozen=True)
class Move:
    """One allowed move of a workflow."""

    source: tuple  # the states it starts from
    target: str
    label: Any = ""  # the verb on its button ("Gửi", "Trả lại"…)
    allowed: Callable | None = None  # a ``rules`` predicate ``(user, obj)``; None: nobody but the system
    reason_required: bool = False
    reason_message: Any = gettext_lazy("Hãy ghi lý do.")
    denied_message: Any = None
    checks: Sequence[Callable] = ()
    batch_checks: Sequence[Callable] = ()
    before_save: Sequence[Callable] = ()
    after_save: Sequence[Callable] = ()
    danger: bool = False  # shown as a destructive button, with a confirmation page
    manual: bool = True  # False: never a button; made only by a service calling ``apply(..., automatic=True)``

    def admits(self, state):
        return state in self.source


@dataclass
class Step:
    """What the hooks of one move see."""

    workflow: "Workflow"
    move: Move
    obj: Any
    actor: Any
    from_state: str
    reason: str
    params: dict
    data: dict = field(default_factory=dict)

    @property
    def to_state(self):
        return self.move.target


class Workflow:
    """A state machine on ``model.<state_field>`` with its table of moves.

    ``invalid_message`` is the refusal of a move the table does not have, with ``%(obj)s``,
    ``%(from)s`` and ``%(to)s``. ``lock`` returns the locked rows of a list of objects (default: the
    rows themselves, ``select_for_update``, with the ``related`` rows the checks read joined in; only the
    rows themselves are locked, as PostgreSQL refuses FOR UPDATE on the nullable side of an outer join). ``audit_fields``: fields whose change is recorded in the
    audit event besides the state. ``validate``: run ``full_clean()`` before saving.

    ``validate_many``: a callable judging a list of objects at once (e.g. ``Model.full_clean_many``). With it (and
    ``save_fields``), :meth:`apply_many` saves a list in a number of queries that does not grow with it: one check, one
    ``bulk_update``, the audit events inserted together, and the ``after_save`` hooks that offer a ``many`` version
    (``hook.many(steps)``) called once per move; a hook without one still runs per object.
    """

    def __init__(self, *, name, model, states, moves, state_field="state", invalid_message=None, lock=None,
                 related=(), audit_fields=(), validate=True, save_fields=None, validate_many=None):
        self.name = name
        self.model = model
        self.states = states
        self.moves = tuple(moves)
        self.state_field = state_field
        self.invalid_message = invalid_message or gettext_lazy("Không thể chuyển “%(obj)s” từ “%(from)s” sang “%(to)s”.")
        self._lock = lock
        self.related = tuple(related)
        self.audit_fields = tuple(audit_fields)
        self.validate = validate
        self.save_fields = tuple(save_fields) if save_fields else None
        self.validate_many = validate_many
        seen = set()
        for move in self.moves:
            for source in move.source:
                if (source, move.target) in seen:
                    raise ValueError(f"{name}: two moves from {source} to {move.target}")
                seen.add((source, move.target))

    # ------------------------------------------------------------ reading the table

    def __repr__(self):
        return f"<Workflow {self.name}>"

    def state_of(self, obj):
        return getattr(obj, self.state_field)

    def label_of(self, state):
        try:
            return self.states(state).label
        except ValueError:
            return state

    def targets(self, state):
        """The states reachable in one move from ``state``."""
        return {move.target for move in self.moves if move.admits(state)}

    def find(self, from_state, to_state):
        """The move from ``from_state`` to ``to_state``, or ``None``."""
        for move in self.moves:
            if move.target == to_state and move.admits(from_state):
                return move
        return None

    def move_for(self, obj, to_state):
        """The move that takes ``obj`` to ``to_state``; ``ValidationError`` when the table has none."""
        from_state = self.state_of(obj)
        move = self.find(from_state, to_state)
        if move is None:
            raise ValidationError(self.invalid_message % {
                "obj": obj, "from": self.label_of(from_state), "to": self.label_of(to_state)}, code="invalid_move")
        return move

    @staticmethod
    def may(user, obj, move):
        """Whether ``user`` may make ``move`` on ``obj`` from a page (``None`` is the system: always). A move that is
        not ``manual`` is offered to nobody."""
        if user is None:
            return True
        return move.manual and allows(move.allowed, user, obj)

    @staticmethod
    def _permitted(actor, obj, move, automatic):
        if not move.manual and not automatic:
            raise PermissionDenied(move.denied_message or _("Bước này không thực hiện trực tiếp được."))
        if actor is not None and not allows(move.allowed, actor, obj):
            raise PermissionDenied(move.denied_message or _("Bạn không có quyền thực hiện thao tác này."))

    def available(self, user, obj):
        """The moves ``user`` may make on ``obj`` now, in table order (for the buttons of a page)."""
        state = self.state_of(obj)
        return [move for move in self.moves if move.admits(state) and self.may(user, obj, move)]

    # ------------------------------------------------------------ changing a state

    def lock(self, objs):
        if self._lock is not None:
            return self._lock(objs)
        pks = [obj.pk for obj in objs]
        rows = self.model._default_manager.select_for_update(of=("self",))
        if self.related:
            rows = rows.select_related(*self.related)
        locked = rows.in_bulk(pks)
        return [locked[pk] for pk in pks]

    def apply(self, obj, *, actor, to, reason="", automatic=False, **params):
        """Move one object to ``to``; returns the object as saved."""
        return self.apply_many([obj], actor=actor, to=to, reason=reason, automatic=automatic, **params)[0]

    def apply_many(self, objs, *, actor, to, reason="", automatic=False, **params):
        """Move every object to ``to`` in one transaction: all move, or none (the first refusal is raised).

        ``automatic``: the call comes from a service that makes the moves marked ``manual=False`` (it has checked
        who may act by its own rules; the move's ``allowed`` is still asked)."""
        objs = list(objs)
        if not objs:
            raise ValidationError(_("Chưa chọn mục nào."))
        with transaction.atomic():
            objs = self.lock(objs)
            reason = nfc_multiline(reason or "")
            steps = []
            for obj in objs:
                move = self.move_for(obj, to)
                self._permitted(actor, obj, move, automatic)
                steps.append(Step(workflow=self, move=move, obj=obj, actor=actor, from_state=self.state_of(obj),
                                  reason=reason, params=params))
            for step in steps:
                if step.move.reason_required and not reason:
                    raise ValidationError({"reason": step.move.reason_message})
            for step in steps:
                for check in step.move.checks:
                    check(step)
            moves = {id(step.move): step.move for step in steps}
            for move in moves.values():
                group = [step for step in steps if step.move is move]
                for check in move.batch_checks:
                    check(group)
            if self.validate_many is not None and self.save_fields:
                self._save_many(steps)
            else:
                for step in steps:
                    self._save(step)
        return [step.obj for step in steps]

    def _save_many(self, steps):
        """What :meth:`_save` does for each step, for the whole list at once (``validate_many``)."""
        objs = [step.obj for step in steps]
        befores = [snapshot(obj, self.audit_fields) if self.audit_fields else None for obj in objs]
        now = timezone.now()
        auto_now = [name for name in self.save_fields if getattr(self.model._meta.get_field(name), "auto_now", False)]
        for step in steps:
            setattr(step.obj, self.state_field, step.to_state)
            for name in auto_now:
                setattr(step.obj, name, now)
            for hook in step.move.before_save:
                hook(step)
        if self.validate:
            self.validate_many(objs)
        self.model._default_manager.bulk_update(objs, [self.state_field, *self.save_fields], batch_size=BULK_BATCH)
        events = audit_records(
            actor=steps[0].actor, action=AuditAction.TRANSITION, objs=objs,
            changes=[diff(before, snapshot(obj, self.audit_fields)) if self.audit_fields else None for obj, before in zip(objs, befores, strict=True)],
            reasons=[step.reason for step in steps], from_states=[step.from_state for step in steps],
            to_states=[step.to_state for step in steps])
        for step, event in zip(steps, events, strict=True):
            step.data["audit_event"] = event
        moves = {id(step.move): step.move for step in steps}
        for move in moves.values():
            group = [step for step in steps if step.move is move]
            for hook in move.after_save:
                many = getattr(hook, "many", None)
                if many is not None:
                    many(group)
                else:
                    for step in group:
                        hook(step)
        for step in steps:
            emit_transition(workflow=self, obj=step.obj, event=step.data["audit_event"])

    def _save(self, step):
        obj = step.obj
        before = snapshot(obj, self.audit_fields) if self.audit_fields else None
        setattr(obj, self.state_field, step.to_state)
        for hook in step.move.before_save:
            hook(step)
        if self.validate:
            obj.full_clean()
        if self.save_fields:
            obj.save(update_fields=[self.state_field, *self.save_fields])
        else:
            obj.save()
        changes = diff(before, snapshot(obj, self.audit_fields)) if self.audit_fields else None
        event = audit_record(actor=step.actor, action=AuditAction.TRANSITION, obj=obj, changes=changes,
                             from_state=step.from_state, to_state=step.to_state, reason=step.reason)
        step.data["audit_event"] = event
        for hook in step.move.after_save:
            hook(step)
        emit_transition(workflow=self, obj=obj, event=event)
