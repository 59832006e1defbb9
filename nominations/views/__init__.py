"""Views of the nominations app: thin — scope with selectors, check permissions, ask the workflows which
moves a user may make, call services. One module per page family; ``urls.py`` reads them from here."""

from .awards import (
    award_certificate,
    award_certificates,
    award_create,
    award_delete,
    award_export,
    award_list,
    initiative_create,
    initiative_list,
    rule_list,
)
from .imports import award_import, award_import_template, import_job, nomination_import, nomination_import_template
from .nominations import (
    nomination_check,
    nomination_create,
    nomination_delete,
    nomination_detail,
    nomination_edit,
    nomination_export,
    nomination_form_fields,
    nomination_list,
    nomination_transition,
    person_options,
    unit_options,
)
from .requirements import required_document_delete, required_document_form, required_document_list
from .rounds import (
    round_by_unit_export,
    round_detail,
    round_form,
    round_from_acclamation,
    round_list,
    round_statistics_export,
    round_status,
)
from .submissions import (
    document_delete,
    document_download,
    document_upload,
    submission_detail,
    submission_dossier,
    submission_submit,
)
from .vetting import vetting_bulk, vetting_queue

__all__ = [
    "award_certificate", "award_certificates", "award_create", "award_delete", "award_export", "award_list", "initiative_create", "initiative_list", "rule_list",
    "award_import", "award_import_template", "import_job", "nomination_import", "nomination_import_template",
    "nomination_check", "nomination_create", "nomination_delete", "nomination_detail", "nomination_edit", "nomination_export",
    "nomination_form_fields", "nomination_list", "nomination_transition", "person_options", "unit_options",
    "required_document_delete", "required_document_form", "required_document_list",
    "round_by_unit_export", "round_statistics_export", "round_detail", "round_form", "round_from_acclamation", "round_list", "round_status",
    "document_delete", "document_download", "document_upload", "submission_detail", "submission_dossier", "submission_submit",
    "vetting_bulk", "vetting_queue",
]
