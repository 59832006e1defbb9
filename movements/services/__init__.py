"""Writes for the organisation model, campaigns, registrations and clusters. Every function is keyword-only, atomic,
runs ``full_clean()`` and records an audit event; the state changes go through the workflows of
:mod:`movements.workflows`.

One module per concern; the public functions are re-exported here (``from movements import services``).
"""

from .acclamations import (
    ACCLAMATION_FIELDS,
    ACCLAMATION_FORM_CODES,
    ACCLAMATION_TITLE_CODES,
    acclamation_mark_nominated,
    acclamation_record,
    acclamation_transition,
    acclamation_withdraw,
)
from .campaigns import (
    CAMPAIGN_EDITABLE,
    CAMPAIGN_FIELDS,
    DOCUMENT_FIELDS,
    campaign_create,
    campaign_document_add,
    campaign_document_remove,
    campaign_transition,
    campaign_update,
)
from .clusters import (
    CLUSTER_FIELDS,
    SCORE_FIELDS,
    cluster_create,
    cluster_scores_save,
    cluster_transition,
    cluster_update,
    criterion_create,
    criterion_delete,
    section_create,
    section_delete,
)
from .organisation import (
    AGENCY_FIELDS,
    HISTORY_CHANGE_FIELDS,
    PERSON_FIELDS,
    UNIT_FIELDS,
    agency_profile_update,
    discipline_create,
    discipline_update,
    history_change_file,
    history_change_transition,
    person_change_position,
    person_change_position_or_request,
    person_create,
    person_leave_or_request,
    person_set_active,
    person_update,
    rating_set,
    unit_create,
    unit_set_active,
    unit_update,
)
from .registrations import (
    WINDOW_FIELDS,
    initiative_add,
    initiative_remove,
    registration_approve,
    registration_return,
    registration_save,
    registration_start,
    registration_submit,
    registration_transition,
    registration_window_create,
    registration_window_update,
)

__all__ = [
    "ACCLAMATION_FIELDS", "ACCLAMATION_FORM_CODES", "ACCLAMATION_TITLE_CODES", "acclamation_mark_nominated",
    "acclamation_record", "acclamation_transition", "acclamation_withdraw",
    "CAMPAIGN_EDITABLE", "CAMPAIGN_FIELDS", "DOCUMENT_FIELDS", "campaign_create", "campaign_document_add",
    "campaign_document_remove", "campaign_transition", "campaign_update",
    "CLUSTER_FIELDS", "SCORE_FIELDS", "cluster_create", "cluster_scores_save", "cluster_transition", "cluster_update",
    "criterion_create", "criterion_delete", "section_create", "section_delete",
    "AGENCY_FIELDS", "PERSON_FIELDS", "UNIT_FIELDS", "agency_profile_update", "discipline_create", "discipline_update",
    "HISTORY_CHANGE_FIELDS", "history_change_file", "history_change_transition", "person_change_position_or_request",
    "person_leave_or_request", "person_change_position", "person_create", "person_set_active", "person_update", "rating_set", "unit_create",
    "unit_set_active", "unit_update",
    "WINDOW_FIELDS", "initiative_add", "initiative_remove", "registration_approve", "registration_return",
    "registration_save", "registration_start", "registration_submit", "registration_transition",
    "registration_window_create", "registration_window_update",
]
