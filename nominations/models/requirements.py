"""The documents a dossier must contain (issue 13), as data the office edits: for every nomination, or for those of
one title or form; one file per nominee (báo cáo thành tích, giấy chứng nhận sáng kiến) or one per unit's submission
(tờ trình, biên bản bình xét). The rules engine reads them (rule R12, ``rules_engine.documents``) when a list is sent:
sending is refused until every required file is there. Below the engine: this module imports only the catalogues."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..catalogues import CommendationForm, EmulationTitle
from ..enums import DocumentKind, RequirementScope


class RequiredDocument(models.Model):
    title = models.ForeignKey(EmulationTitle, verbose_name=_("danh hiệu thi đua"), on_delete=models.CASCADE, null=True, blank=True,
                              related_name="+", help_text=_("Để trống cả danh hiệu và hình thức: áp dụng cho mọi đề nghị."))
    form = models.ForeignKey(CommendationForm, verbose_name=_("hình thức khen thưởng"), on_delete=models.CASCADE, null=True,
                             blank=True, related_name="+")
    kind = models.CharField(_("loại tài liệu"), max_length=20, choices=DocumentKind.choices)
    scope = models.CharField(_("nộp cho"), max_length=12, choices=RequirementScope.choices, default=RequirementScope.NOMINEE)
    label = models.CharField(_("tên hiển thị"), max_length=200, help_text=_("Ví dụ: Báo cáo thành tích có xác nhận của thủ trưởng đơn vị"))
    active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("tài liệu bắt buộc")
        verbose_name_plural = _("tài liệu bắt buộc")
        ordering = ["scope", "title", "form", "kind", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(title__isnull=True) | Q(form__isnull=True), name="required_document_one_award",
                                   violation_error_message=_("Chọn một danh hiệu hoặc một hình thức, không chọn cả hai.")),
        ]

    def __str__(self):
        return f"{self.label} ({self.award_label})"

    @property
    def award_label(self):
        award = self.title or self.form
        return str(award.name) if award else str(_("mọi đề nghị"))

    def applies_to(self, title_id, form_id):
        """For a nomination of that title or form (an entry without either is for every nomination)."""
        if self.title_id is None and self.form_id is None:
            return True
        return (self.title_id is not None and self.title_id == title_id) or (self.form_id is not None and self.form_id == form_id)

    def clean(self):
        if self.title_id and self.form_id:
            raise ValidationError({"form": _("Chọn một danh hiệu hoặc một hình thức, không chọn cả hai.")})
        if self.scope == RequirementScope.SUBMISSION and self.kind in (DocumentKind.ACHIEVEMENT_REPORT,):
            raise ValidationError({"scope": _("Báo cáo thành tích là của từng người, tập thể được đề nghị: chọn “%(s)s”.")
                                   % {"s": RequirementScope.NOMINEE.label}})
        twins = RequiredDocument.objects.filter(title_id=self.title_id, form_id=self.form_id, kind=self.kind, scope=self.scope)
        if self.pk:
            twins = twins.exclude(pk=self.pk)
        if twins.exists():
            raise ValidationError(_("Đã có yêu cầu này (cùng loại tài liệu, cùng danh hiệu/hình thức, cùng phạm vi)."))
