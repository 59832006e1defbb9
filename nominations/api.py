"""What the ``nominations`` app offers the apps above it (``councils``): the one module they import
from it. Anything not named here is private to ``nominations`` and may move."""

from .catalogues import CommendationForm, EmulationTitle, person_titles, unit_titles
from .demo import attach_demo_documents  # the councils app's demo sends lists: their required files first (R12)
from .documents import certificates_for, unit_issuer  # the giấy khen of award records; a unit as issuer (part: docs)
from .enums import Authority, AwardType, NominationState, RoundStatus, SubjectKind
from .models import AwardRecord, Nomination, NominationRound, UnitSubmission
from .selectors import awards_for_subject, bonus_amount, documents_visible_to, nominations_visible_to, violations_for
from .services import (  # the council and decision steps; and what the councils app's demo builds on (a list sent and vetted)
    nomination_create,
    nomination_vet,
    nominations_council_transition,
    nominations_decide,
    nominations_undecide,
    round_create,
    submission_submit,
    submission_update,
)
from .workflows import NOMINATION_WORKFLOW, ROUND_WORKFLOW

__all__ = [
    "CommendationForm", "EmulationTitle", "person_titles", "unit_titles",
    "Authority", "AwardType", "NominationState", "bonus_amount", "nominations_decide", "nominations_undecide", "RoundStatus", "SubjectKind",
    "AwardRecord", "Nomination", "NominationRound", "UnitSubmission",
    "attach_demo_documents", "nomination_create", "nomination_vet", "round_create", "submission_submit", "submission_update",
    "certificates_for", "unit_issuer",
    "awards_for_subject", "documents_visible_to", "nominations_visible_to", "violations_for", "nominations_council_transition", "NOMINATION_WORKFLOW", "ROUND_WORKFLOW",
]
