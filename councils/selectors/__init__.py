"""Reads of the councils app and their role scoping. Every list starts from a ``*_visible_to(user)``
(``access``); the agenda, the quorum and what waits for a member (``agenda``); the meeting summary, an item's dossier
and the home page's block (``summary``). The public functions are re-exported here (``from councils import selectors``).
"""

from .access import (
    MEETING_RELATED,
    active_council,
    agenda_candidates,
    council_members,
    councils_visible_to,
    meetings_visible_to,
    member_posts,
    seat_in,
    seats_of,
    voting_rule_for,
    voting_rules_visible_to,
)
from .agenda import (
    ITEM_RELATED,
    AgendaRow,
    PaperPreview,
    QuorumStatus,
    Turnout,
    agenda,
    agenda_groups,
    items_to_review,
    open_votes_for,
    paper_result_preview,
    quorum_status,
    rules_by_award,
    vote_turnout,
)
from .decisions import decisions_visible_to, proposals_visible_to
from .summary import (
    Dossier,
    MeetingSummary,
    SummaryItem,
    home_summary,
    item_comments,
    item_dossier,
    item_readings,
    meeting_summary,
)

__all__ = [
    "MEETING_RELATED", "ITEM_RELATED", "active_council", "council_members", "councils_visible_to", "meetings_visible_to",
    "member_posts", "seat_in", "seats_of", "voting_rule_for", "voting_rules_visible_to",
    "AgendaRow", "PaperPreview", "QuorumStatus", "Turnout", "agenda", "agenda_groups", "agenda_candidates",
    "items_to_review", "open_votes_for", "paper_result_preview", "quorum_status", "rules_by_award", "vote_turnout",
    "Dossier", "MeetingSummary", "SummaryItem", "home_summary", "item_comments", "item_dossier", "item_readings",
    "meeting_summary", "decisions_visible_to", "proposals_visible_to",
]
