"""The rules as data: one :class:`Rule` row per legal or local rule (app ``nominations``, table
``nominations_rule``; ``nominations.models`` re-exports it).

The model lives with the engine that reads it: the engine loads its rows (``batch.load_rules``) and the
row checks its parameters against the registered validators (``registry.parameter_errors``), so
neither needs the modules of ``nominations.models`` that themselves call the engine. Importing this module
imports the package first, which registers every validator: the codes a row may name are all known.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..catalogues import CommendationForm, EmulationTitle
from ..enums import RuleSeverity
from .registry import parameter_errors


class Rule(models.Model):
    """One legal or local rule: parameters, legal basis and effective dates are data.

    ``code`` names the validator that evaluates it (R1, R2, …; see ``rules_engine``).
    Several rows may share a code for different periods (a new decree replaces old
    parameters from a date): a row applies to a nomination when the round's
    reference date falls inside its effective period.
    """

    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("tên quy định"), max_length=200)
    description = models.TextField(_("nội dung"), blank=True)
    parameters = models.JSONField(_("tham số"), default=dict, blank=True)
    legal_basis = models.TextField(_("căn cứ"))
    effective_from = models.DateField(_("áp dụng từ"))
    effective_to = models.DateField(_("đến"), null=True, blank=True)
    severity = models.CharField(_("mức độ"), max_length=10, choices=RuleSeverity.choices, default=RuleSeverity.BLOCKING)
    active = models.BooleanField(_("đang áp dụng"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("quy định kiểm tra")
        verbose_name_plural = _("quy định kiểm tra")
        ordering = ["sort_order", "code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="rule_code_effective_from",
                                    violation_error_message=_("Quy định này đã có một phiên bản áp dụng từ ngày đó.")),
            models.CheckConstraint(condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                                   name="rule_effective_period_ordered",
                                   violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu áp dụng.")),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"

    def applies_on(self, date):
        return self.active and self.effective_from <= date and (self.effective_to is None or date <= self.effective_to)

    def clean(self):
        errors = parameter_errors(self.code, self.parameters)
        if not errors and isinstance(self.parameters, dict) and self.parameters.get("awards"):
            known = set(EmulationTitle.objects.values_list("code", flat=True)) | set(CommendationForm.objects.values_list("code", flat=True))
            unknown = [code for code in self.parameters["awards"] if code not in known]
            if unknown:
                errors.append(_("Không có danh hiệu, hình thức mã: %(codes)s.") % {"codes": ", ".join(unknown)})
        if errors:
            raise ValidationError({"parameters": errors})
