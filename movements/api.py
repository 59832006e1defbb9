"""What the ``movements`` app offers the apps above it (``nominations``, ``councils``): the one module
they import from it. Anything not named here is private to ``movements`` and may move.

The organisation (agency profile, units, people, their posts on a date, ratings, discipline), the
campaigns (R10 reads their documents), the year's registrations (R11) and the cluster acclamations
that become nominations.
"""

from .demo import DEMO_PASSWORD, random_rating  # demo data of the apps above builds on these
from .enums import AcclamationState, CampaignDocumentKind, CampaignStatus, DisciplineKind, Gender, Rating, RegistrationState, UnitKind
from .models import (
    AgencyProfile,
    Campaign,
    CampaignDocument,
    ClusterAcclamation,
    DisciplineRecord,
    PerformanceRating,
    Person,
    PositionAssignment,
    Unit,
)
from .models import _one_subject as one_subject
from .selectors import (
    acclamations_pending,
    agency_profile,
    campaign_document_kinds,
    campaign_has_plan_and_review,
    has_plan_and_review,
    leadership_at,
    positions_at,
    registered_title_ids,
    registered_titles,
    registration_required,
    registration_required_years,
    unit_head_at,
)
from .services import acclamation_mark_nominated, rating_set

__all__ = [
    "AcclamationState", "CampaignDocumentKind", "CampaignStatus", "DisciplineKind", "Gender", "Rating", "RegistrationState", "UnitKind",
    "AgencyProfile", "Campaign", "CampaignDocument", "ClusterAcclamation", "DisciplineRecord", "PerformanceRating",
    "Person", "PositionAssignment", "Unit", "one_subject",
    "acclamations_pending", "agency_profile", "campaign_document_kinds", "campaign_has_plan_and_review", "has_plan_and_review", "leadership_at", "positions_at",
    "registered_title_ids", "registered_titles", "registration_required", "registration_required_years", "unit_head_at",
    "acclamation_mark_nominated", "rating_set", "random_rating", "DEMO_PASSWORD",
]
