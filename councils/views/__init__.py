"""Views of the councils app, one module per concern: the set-up (council, members, voting rules), meetings (the
members' home, the list, the meeting page, the office's management), agenda items (the dossier, comments, recusals),
votes, and the meeting summary. Thin: every read is a selector, every write a service."""

from .decisions import (
    decision_certificates,
    decision_delete,
    decision_detail,
    decision_edit,
    decision_file,
    decision_issue,
    decision_line_remove,
    decision_list,
    decision_replace,
    decision_revoke,
    decision_seal,
    decision_sign,
    decision_statistics,
    decision_unsigned_pdf,
    decision_verify,
    decisions_from_meeting,
    decisions_from_round,
    proposal_detail,
    proposal_edit,
    proposal_file,
    proposal_record,
    proposal_seal,
    proposal_send,
    proposal_sign,
    proposal_verify,
)
from .items import item_comment, item_detail, item_remove, recusal_add, recusal_remove
from .meetings import (
    agenda_builder,
    attendance,
    council_home,
    meeting_create,
    meeting_detail,
    meeting_edit,
    meeting_list,
    meeting_transition,
    readings,
)
from .setup import council_detail, council_form, council_list, member_add, member_edit, rule_form, rule_list
from .summary import meeting_summary, minutes_download, minutes_issue, minutes_sign, minutes_verify, summary_export
from .voting import (
    ballot,
    item_defer,
    paper_entry,
    vote,
    vote_repeat,
    voting_close,
    voting_close_group,
    voting_open,
    voting_open_group,
    written_opinion,
)

__all__ = [
    "decision_seal", "decision_sign", "decision_unsigned_pdf", "decision_verify",
    "item_comment", "item_detail", "item_remove", "recusal_add", "recusal_remove",
    "agenda_builder", "attendance", "council_home", "meeting_create", "meeting_detail", "meeting_edit", "meeting_list",
    "meeting_transition", "readings",
    "council_detail", "council_form", "council_list", "member_add", "member_edit", "rule_form", "rule_list",
    "meeting_summary", "minutes_download", "minutes_issue", "summary_export",
    "ballot", "item_defer", "paper_entry", "vote", "vote_repeat", "voting_close", "voting_close_group", "voting_open",
    "voting_open_group", "written_opinion",
    "decision_certificates", "decision_delete", "decision_statistics", "decision_detail", "decision_edit", "decision_file", "decision_issue", "decision_line_remove",
    "decision_list", "decision_replace", "decision_revoke", "decisions_from_meeting", "decisions_from_round", "proposal_detail",
    "proposal_edit", "proposal_file", "proposal_record", "proposal_send", "proposal_seal", "proposal_sign", "proposal_verify",
    "minutes_sign", "minutes_verify",
]
