"""Writes for campaigns (phong trào thi đua) and their documents."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tdkt.audit import audit_changes, audit_record, diff, snapshot
from tdkt.enums import AuditAction
from tdkt.guards import require_office
from tdkt.text import nfc_multiline
from tdkt.uploads import original_name, validate_upload

from ..models import CAMPAIGN_FIELDS, Campaign, CampaignDocument
from ..workflows import CAMPAIGN_WORKFLOW
from .common import text as _text

CAMPAIGN_EDITABLE = ["name", "level", "kind", "start_year", "end_year", "lead_unit", "description"]
DOCUMENT_FIELDS = ["kind", "title", "number", "issued_on", "original_name"]


@transaction.atomic
def campaign_create(*, actor, name, level, kind, start_year, end_year, lead_unit=None, description=""):
    require_office(actor)
    campaign = Campaign(name=_text(name), level=level, kind=kind, start_year=start_year, end_year=end_year,
                        lead_unit=lead_unit, description=nfc_multiline(description or ""))
    campaign.full_clean()
    campaign.save()
    audit_changes(actor=actor, obj=campaign, fields=CAMPAIGN_FIELDS)
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign, **values):
    require_office(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    before = snapshot(campaign, CAMPAIGN_FIELDS)
    for name in CAMPAIGN_EDITABLE:
        if name in values:
            value = values[name]
            if name == "name":
                value = _text(value)
            elif name == "description":
                value = nfc_multiline(value or "")
            setattr(campaign, name, value)
    campaign.full_clean()
    campaign.save()
    audit_changes(actor=actor, obj=campaign, fields=CAMPAIGN_FIELDS, before=before)
    return campaign


def campaign_transition(*, campaign, actor, to_state, date, reason=""):
    """Move a campaign along draft → launched → sơ kết → tổng kết → closed, recording the date."""
    return CAMPAIGN_WORKFLOW.apply(campaign, actor=actor, to=to_state, reason=reason, date=date)


@transaction.atomic
def campaign_document_add(*, actor, campaign, kind, title, number="", issued_on=None, file=None):
    require_office(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if file is not None:
        try:
            validate_upload(file)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
    document = CampaignDocument(campaign=campaign, kind=kind, title=_text(title), number=_text(number), issued_on=issued_on)
    document.full_clean(exclude=["file"])
    if file is not None:
        document.original_name = original_name(file)
        document.file = file
    document.save()
    audit_changes(actor=actor, obj=document, fields=DOCUMENT_FIELDS)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=campaign,
                 changes={_("văn bản"): [None, str(document)]})
    return document


@transaction.atomic
def campaign_document_remove(*, actor, document, reason=""):
    """Remove a document record and its stored file (the audit trail keeps what it was)."""
    require_office(actor)
    document = CampaignDocument.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=document.pk)
    campaign = document.campaign
    audit_record(actor=actor, action=AuditAction.DELETE, obj=document, changes=diff(snapshot(document, DOCUMENT_FIELDS), {
        name: None for name in DOCUMENT_FIELDS}), reason=nfc_multiline(reason))
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=campaign, changes={_("văn bản"): [str(document), None]},
                 reason=nfc_multiline(reason))
    stored = document.file.name if document.file else ""
    storage = document.file.storage if document.file else None
    document.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
    return campaign
