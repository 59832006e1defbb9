"""Events other features subscribe to (notifications, dashboards), emitted only after a commit.

``transition_committed`` is sent once per object a workflow moved, after the transaction that moved
it commits (never when it rolls back), with ``sender`` the model class and the keyword arguments
``workflow`` (its name), ``instance``, ``from_state``, ``to_state`` and ``event`` (the
:class:`tdkt.models.AuditEvent` the move wrote). A subscriber that fails is logged and does not
undo the move::

    from django.dispatch import receiver
    from tdkt.events import transition_committed

    @receiver(transition_committed)
    def notify(sender, *, workflow, instance, event, **kwargs): ...
"""

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

transition_committed = Signal()


def _send(sender, **kwargs):
    for receiver, result in transition_committed.send_robust(sender=sender, **kwargs):
        if isinstance(result, Exception):
            logger.error("subscriber %r of transition_committed failed", receiver, exc_info=result)


def emit_transition(*, workflow, obj, event):
    """Queue the event of one move until the surrounding transaction commits."""
    kwargs = {"workflow": workflow.name, "instance": obj, "from_state": event.from_state, "to_state": event.to_state,
              "event": event}
    transaction.on_commit(lambda: _send(type(obj), **kwargs))


#: Sent after commit when a fact the rules read about people or units changed (posts and their dates,
#: departures, ratings, discipline and holds), so that what was judged earlier can be judged again. Keyword
#: arguments: ``person_ids`` and ``unit_ids`` (sets of ids), ``actor`` (the user who made the change, or
#: ``None``) and ``reason`` (a short description of the change, in Vietnamese). ``sender`` is the model class
#: of the changed record.
subject_facts_changed = Signal()


def emit_subject_facts_changed(*, sender, person_ids=(), unit_ids=(), actor=None, reason=""):
    """Queue the event until the surrounding transaction commits (nothing is sent on rollback)."""
    kwargs = {"person_ids": frozenset(person_ids), "unit_ids": frozenset(unit_ids), "actor": actor, "reason": reason}

    def send():
        for receiver, result in subject_facts_changed.send_robust(sender=sender, **kwargs):
            if isinstance(result, Exception):
                logger.error("subscriber %r of subject_facts_changed failed", receiver, exc_info=result)

    transaction.on_commit(send)
