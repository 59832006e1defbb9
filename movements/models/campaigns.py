"""Campaigns (phong trào thi đua) and their typed documents."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tdkt.uploads import storage_name
from tdkt.validators import validate_date_bounds

from ..enums import CampaignDocumentKind, CampaignKind, CampaignLevel, CampaignStatus
from .organisation import Unit


class Campaign(models.Model):
    """Phong trào thi đua: launched by the Prime Minister, the province or the Sở itself."""

    name = models.CharField(_("tên phong trào"), max_length=500)
    level = models.CharField(_("cấp phát động"), max_length=16, choices=CampaignLevel.choices)
    kind = models.CharField(_("loại"), max_length=10, choices=CampaignKind.choices)
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(_("đến năm"))
    lead_unit = models.ForeignKey(Unit, verbose_name=_("đơn vị chủ trì"), on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="led_campaigns")
    description = models.TextField(_("mô tả"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    launched_on = models.DateField(_("ngày phát động"), null=True, blank=True, validators=[validate_date_bounds])
    interim_review_on = models.DateField(_("ngày sơ kết"), null=True, blank=True, validators=[validate_date_bounds])
    final_review_on = models.DateField(_("ngày tổng kết"), null=True, blank=True, validators=[validate_date_bounds])
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True, validators=[validate_date_bounds])

    class Meta:
        verbose_name = _("phong trào thi đua")
        verbose_name_plural = _("phong trào thi đua")
        ordering = ["-start_year", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")), name="campaign_period_ordered",
                                   violation_error_message=_("Năm kết thúc phải từ năm bắt đầu trở đi.")),
        ]

    def __str__(self):
        return self.name

    @property
    def period(self):
        return f"{self.start_year}–{self.end_year}" if self.end_year != self.start_year else str(self.start_year)

    def covers_year(self, year):
        return self.start_year <= year <= self.end_year

    def clean(self):
        errors = {}
        for name in ("start_year", "end_year"):
            value = getattr(self, name)
            if value is not None and not 1990 <= value <= 2100:
                errors[name] = _("Năm không hợp lệ.")
        if self.start_year and self.end_year and self.end_year < self.start_year:
            errors["end_year"] = _("Năm kết thúc phải từ năm bắt đầu trở đi.")
        # The milestone dates follow the workflow order: phát động ≤ sơ kết ≤ tổng kết ≤ kết thúc.
        previous = None
        for name in CAMPAIGN_DATE_FIELDS:
            value = getattr(self, name)
            if value is None:
                continue
            if previous is not None and value < previous[1]:
                errors[name] = _("%(this)s không được trước %(prev)s (%(date)s).") % {
                    "this": self._meta.get_field(name).verbose_name.capitalize(),
                    "prev": self._meta.get_field(previous[0]).verbose_name,
                    "date": previous[1].strftime("%d/%m/%Y")}
            previous = (name, value)
        if errors:
            raise ValidationError(errors)


#: The fields a campaign's audit events record (creation, edits, and the date each move of its workflow sets).
CAMPAIGN_FIELDS = ["name", "level", "kind", "start_year", "end_year", "lead_unit", "description", "status",
                   "launched_on", "interim_review_on", "final_review_on", "closed_on"]

# The date recorded when a campaign enters each state, in workflow order.
CAMPAIGN_DATE_FIELDS = ["launched_on", "interim_review_on", "final_review_on", "closed_on"]
CAMPAIGN_STATE_DATE = {
    CampaignStatus.LAUNCHED: "launched_on",
    CampaignStatus.INTERIM_REVIEW: "interim_review_on",
    CampaignStatus.FINAL_REVIEW: "final_review_on",
    CampaignStatus.CLOSED: "closed_on",
}


def campaign_document_path(instance, filename):
    return storage_name(f"campaigns/{instance.campaign_id}", filename)


class CampaignDocument(models.Model):
    """A typed attachment of a campaign (plan, launch letter, interim/final review report…)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("loại văn bản"), max_length=16, choices=CampaignDocumentKind.choices)
    title = models.CharField(_("trích yếu"), max_length=500)
    number = models.CharField(_("số, ký hiệu"), max_length=50, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True, validators=[validate_date_bounds])
    file = models.FileField(_("tệp"), upload_to=campaign_document_path, blank=True, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("văn bản của phong trào")
        verbose_name_plural = _("văn bản của phong trào")
        ordering = ["campaign", "issued_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"
