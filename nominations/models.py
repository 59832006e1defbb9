"""Nominations app. Catalogues of emulation titles and commendation forms (kept apart,
as the law does), bonus coefficients and the base salary with effective dates."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import Authority, SubjectKind


class AwardKind(models.Model):
    """Fields shared by emulation titles and commendation forms."""

    code = models.CharField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    subject_kind = models.CharField(_("đối tượng"), max_length=8, choices=SubjectKind.choices)
    authority = models.CharField(_("thẩm quyền"), max_length=12, choices=Authority.choices)
    counts_as_merit = models.BooleanField(
        _("tính là thành tích để xét điều kiện"), default=True,
        help_text=_("Khen thưởng đột xuất, chuyên đề không tính (R7)."),
    )
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    @property
    def needs_province_submission(self):
        return self.authority != Authority.DIRECTOR


class EmulationTitle(AwardKind):
    """Danh hiệu thi đua (LĐTT, CSTĐCS, CSTĐ tỉnh, TTLĐTT, TTLĐXS, Cờ thi đua…)."""

    class Meta(AwardKind.Meta):
        verbose_name = _("danh hiệu thi đua")
        verbose_name_plural = _("danh hiệu thi đua")


class CommendationForm(AwardKind):
    """Hình thức khen thưởng (Giấy khen, Bằng khen…)."""

    class Meta(AwardKind.Meta):
        verbose_name = _("hình thức khen thưởng")
        verbose_name_plural = _("hình thức khen thưởng")


class BonusCoefficient(models.Model):
    """Bonus = coefficient × base salary in force on the decision date; data with effective dates."""

    title = models.ForeignKey(EmulationTitle, on_delete=models.PROTECT, null=True, blank=True, related_name="coefficients")
    form = models.ForeignKey(CommendationForm, on_delete=models.PROTECT, null=True, blank=True, related_name="coefficients")
    subject_kind = models.CharField(_("áp dụng cho"), max_length=8, choices=SubjectKind.choices, default=SubjectKind.BOTH)
    coefficient = models.DecimalField(_("hệ số"), max_digits=5, decimal_places=2)
    effective_from = models.DateField(_("áp dụng từ"))
    effective_to = models.DateField(_("đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("hệ số tiền thưởng")
        verbose_name_plural = _("hệ số tiền thưởng")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(condition=Q(title__isnull=False, form__isnull=True) | Q(title__isnull=True, form__isnull=False),
                                   name="bonus_one_award_kind"),
            models.CheckConstraint(condition=Q(coefficient__gt=0), name="bonus_coefficient_positive"),
        ]

    def __str__(self):
        return f"{self.title or self.form}: {self.coefficient}"

    def clean(self):
        if bool(self.title_id) == bool(self.form_id):
            raise ValidationError(_("Chọn đúng một danh hiệu hoặc một hình thức khen thưởng."))


class BaseSalary(models.Model):
    """Lương cơ sở, by the date it takes effect."""

    amount = models.PositiveIntegerField(_("mức lương cơ sở (đồng)"))
    effective_from = models.DateField(_("áp dụng từ"), unique=True)
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("lương cơ sở")
        verbose_name_plural = _("lương cơ sở")
        ordering = ["-effective_from"]

    def __str__(self):
        return f"{self.amount:,} đ từ {self.effective_from:%d/%m/%Y}".replace(",", ".")
