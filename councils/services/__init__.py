"""Writes of the councils app. Every function is keyword-only, atomic, checks who may act (``councils.rules``,
``tdkt.guards``), runs ``full_clean()`` and writes the audit trail; state changes are moves of the workflows
(``councils.workflows``), which emit ``tdkt.events.transition_committed`` after the commit.

One module per concern (the set-up of the council, meetings and their agenda, votes); the public functions are
re-exported here (``from councils import services``).
"""

from .councils import (
    COUNCIL_FIELDS,
    MEMBER_FIELDS,
    VOTING_RULE_FIELDS,
    council_create,
    council_update,
    member_add,
    member_update,
    voting_rule_create,
    voting_rule_update,
)
from .decisions import (
    DIRECT_GRANT_KINDS,
    bonus_round_up,
    decision_delete,
    decision_issue,
    decision_line_remove,
    decision_lines,
    decision_replace,
    decision_revoke,
    decision_update,
    decisions_create_from_meeting,
    decisions_create_from_round,
    default_bases,
    direct_grants_of_round,
    line_bonuses,
    passed_at_meeting,
    proposal_lines,
    proposal_record_decision,
    proposal_send,
    proposal_update,
    proposals_create_from_meeting,
)
from .meetings import (
    EDITABLE_FIELDS,
    MEETING_FIELDS,
    agenda_add,
    agenda_remove,
    attendance_set,
    item_comment_add,
    item_mark_read,
    meeting_cancel,
    meeting_close,
    meeting_create,
    meeting_schedule,
    meeting_start,
    meeting_transition,
    meeting_update,
    recusal_add,
    recusal_remove,
)
from .minutes import meeting_minutes_issue
from .signing import decision_seal, decision_sign, document_seal, document_sign  # issue 12: digital signatures
from .voting import (
    consultations_close_due,
    item_defer,
    paper_result_enter,
    vote_cast,
    vote_repeat,
    votes_cast,
    voting_close,
    voting_open,
    voting_open_group,
    written_opinion_record,
)

__all__ = [
    "decision_seal", "decision_sign", "document_seal", "document_sign",
    "COUNCIL_FIELDS", "EDITABLE_FIELDS", "MEETING_FIELDS", "MEMBER_FIELDS", "VOTING_RULE_FIELDS",
    "council_create", "council_update", "member_add", "member_update", "voting_rule_create", "voting_rule_update",
    "meeting_create", "meeting_update", "meeting_transition", "meeting_schedule", "meeting_start", "meeting_close",
    "meeting_cancel", "attendance_set", "agenda_add", "agenda_remove", "recusal_add", "recusal_remove", "item_mark_read",
    "item_comment_add",
    "voting_open", "voting_open_group", "voting_close", "vote_cast", "votes_cast", "written_opinion_record", "paper_result_enter",
    "vote_repeat", "item_defer", "consultations_close_due", "meeting_minutes_issue",
    "DIRECT_GRANT_KINDS", "bonus_round_up", "decision_delete", "decision_issue", "decision_line_remove", "decision_lines",
    "decision_replace", "decision_revoke", "decision_update", "decisions_create_from_meeting", "decisions_create_from_round",
    "default_bases", "direct_grants_of_round", "line_bonuses", "passed_at_meeting", "proposal_lines",
    "proposal_record_decision", "proposal_send", "proposal_update", "proposals_create_from_meeting",
]
