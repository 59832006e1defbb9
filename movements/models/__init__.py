"""The models of the ``movements`` app, one module per concern (app label and tables unchanged).

The old migrations name ``movements.models.campaign_document_path`` and ``movements.models.cluster_pact_path``:
they stay importable from here.
"""

from .campaigns import CAMPAIGN_DATE_FIELDS, CAMPAIGN_FIELDS, CAMPAIGN_STATE_DATE, Campaign, CampaignDocument, campaign_document_path
from .clusters import (
    SCORE_MAX_CHARS,
    Cluster,
    ClusterAcclamation,
    ClusterMember,
    ClusterScore,
    ScoringCriterion,
    ScoringSection,
    cluster_pact_path,
    format_score,
    parse_score,
)
from .history import HistoryChangeRequest
from .organisation import (
    AgencyProfile,
    DisciplineRecord,
    PerformanceRating,
    Person,
    PositionAssignment,
    SubjectMixin,
    Unit,
    _one_subject,
)
from .registrations import RegisteredInitiative, Registration, RegistrationEntry, RegistrationWindow

__all__ = [
    "AgencyProfile", "Unit", "Person", "PositionAssignment", "SubjectMixin", "PerformanceRating", "DisciplineRecord",
    "_one_subject", "Campaign", "CampaignDocument", "CAMPAIGN_DATE_FIELDS", "CAMPAIGN_FIELDS", "CAMPAIGN_STATE_DATE", "campaign_document_path",
    "RegistrationWindow", "Registration", "RegistrationEntry", "RegisteredInitiative", "Cluster", "ClusterMember",
    "HistoryChangeRequest", "ScoringSection", "ScoringCriterion", "ClusterScore", "ClusterAcclamation", "cluster_pact_path", "format_score", "parse_score", "SCORE_MAX_CHARS",
]
