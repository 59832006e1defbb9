"""Award history and what it is counted with: bonus coefficients and the base salary (with effective
dates), initiatives, and the awards received (``AwardRecord``). The lower layer of the models: the rules
engine reads these, and nothing here calls the engine."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from movements.api import Person, Unit, one_subject
from tdkt.validators import validate_date_bounds

from ..catalogues import CommendationForm, EmulationTitle
from ..enums import AwardType, InitiativeKind, InitiativeScope, SubjectKind

# ---------------------------------------------------------------- dates within sane bounds

# The one date-bounds validator of the project; the old name stays for migration 0007.
validate_sane_date = validate_date_bounds


def not_after_tomorrow(value, field):
    """``{field: [message]}`` when ``value`` is later than tomorrow (a record of something that has happened)."""
    if value is not None and value > timezone.localdate() + datetime.timedelta(days=1):
        return {field: [_("Ngày %(date)s ở tương lai: chỉ nhận đến ngày mai.") % {"date": value.strftime("%d/%m/%Y")}]}
    return {}



class BonusCoefficient(models.Model):
    """Bonus = coefficient × base salary in force on the decision date; data with effective dates."""

    title = models.ForeignKey(EmulationTitle, verbose_name=_("danh hiệu thi đua"), on_delete=models.PROTECT, null=True, blank=True,
                              related_name="coefficients")
    form = models.ForeignKey(CommendationForm, verbose_name=_("hình thức khen thưởng"), on_delete=models.PROTECT, null=True, blank=True,
                             related_name="coefficients")
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


# ---------------------------------------------------------------- initiatives and award history

class Initiative(models.Model):
    """A recognised sáng kiến or an accepted research project (đề tài nghiệm thu) of a person."""

    person = models.ForeignKey(Person, verbose_name=_("cá nhân"), on_delete=models.PROTECT, related_name="initiatives")
    title = models.CharField(_("tên sáng kiến, đề tài"), max_length=500)
    kind = models.CharField(_("loại"), max_length=12, choices=InitiativeKind.choices, default=InitiativeKind.INITIATIVE)
    scope = models.CharField(_("phạm vi ảnh hưởng"), max_length=10, choices=InitiativeScope.choices, default=InitiativeScope.BASE)
    year = models.PositiveSmallIntegerField(_("năm công nhận"))
    recognised_on = models.DateField(_("ngày công nhận, nghiệm thu"), null=True, blank=True, validators=[validate_date_bounds])
    decision_number = models.CharField(_("số quyết định, biên bản"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("sáng kiến, đề tài")
        verbose_name_plural = _("sáng kiến, đề tài")
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=1990, year__lte=2100), name="initiative_year_range",
                                   violation_error_message=_("Năm không hợp lệ.")),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def clean(self):
        if self.recognised_on and self.year and self.recognised_on.year != self.year:
            raise ValidationError({"recognised_on": _("Ngày công nhận phải thuộc năm công nhận.")})
        future = not_after_tomorrow(self.recognised_on, "recognised_on")
        if future:
            raise ValidationError(future)


def one_award(name):
    return models.CheckConstraint(
        condition=Q(title__isnull=False, form__isnull=True) | Q(title__isnull=True, form__isnull=False),
        name=name,
        violation_error_message=_("Chọn đúng một danh hiệu thi đua hoặc một hình thức khen thưởng."),
    )


class AwardMixin(models.Model):
    """Exactly one subject (person or unit) and exactly one award (title or form)."""

    class Meta:
        abstract = True

    @property
    def subject(self):
        return self.person if self.person_id else self.unit

    @property
    def award(self):
        return self.title if self.title_id else self.form

    @property
    def award_code(self):
        return self.award.code if self.award else ""

    def clean_subject_and_award(self):
        errors = {}
        if bool(self.person_id) == bool(self.unit_id):
            errors["person"] = [_("Chọn đúng một đối tượng: cá nhân hoặc tập thể.")]
        if bool(self.title_id) == bool(self.form_id):
            errors["title"] = [_("Chọn đúng một danh hiệu thi đua hoặc một hình thức khen thưởng.")]
        if not errors:
            kind = self.award.subject_kind
            if kind == SubjectKind.PERSON and self.unit_id:
                errors["unit"] = [_("“%(award)s” chỉ dành cho cá nhân.") % {"award": self.award}]
            elif kind == SubjectKind.UNIT and self.person_id:
                errors["person"] = [_("“%(award)s” chỉ dành cho tập thể.") % {"award": self.award}]
        if errors:
            raise ValidationError(errors)


class AwardRecord(AwardMixin):
    """An award received by a person or a unit (history; created by decisions or entered/imported by the office)."""

    person = models.ForeignKey(Person, verbose_name=_("cá nhân"), on_delete=models.PROTECT, null=True, blank=True, related_name="awards")
    unit = models.ForeignKey(Unit, verbose_name=_("tập thể"), on_delete=models.PROTECT, null=True, blank=True, related_name="awards")
    title = models.ForeignKey(EmulationTitle, verbose_name=_("danh hiệu thi đua"), on_delete=models.PROTECT, null=True, blank=True,
                              related_name="awards")
    form = models.ForeignKey(CommendationForm, verbose_name=_("hình thức khen thưởng"), on_delete=models.PROTECT, null=True, blank=True,
                             related_name="awards")
    year = models.PositiveSmallIntegerField(_("năm thành tích"))
    kind = models.CharField(_("loại khen thưởng"), max_length=10, choices=AwardType.choices, default=AwardType.ANNUAL)
    decision_number = models.CharField(_("số quyết định"), max_length=50, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True, validators=[validate_date_bounds])
    issuer = models.CharField(_("cấp quyết định"), max_length=200, blank=True, help_text=_("Ví dụ: Giám đốc Sở, Chủ tịch UBND tỉnh"))
    note = models.TextField(_("ghi chú"), blank=True)
    nomination = models.OneToOneField("Nomination", verbose_name=_("đề nghị"), on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="award_record")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("khen thưởng đã nhận")
        verbose_name_plural = _("lịch sử khen thưởng")
        ordering = ["-year", "id"]
        constraints = [
            one_subject("award_one_subject"),
            one_award("award_one_award"),
            models.CheckConstraint(condition=Q(year__gte=1990, year__lte=2100), name="award_year_range",
                                   violation_error_message=_("Năm không hợp lệ.")),
            models.UniqueConstraint(fields=["person", "title", "year"], condition=Q(kind="annual", title__isnull=False),
                                    name="award_person_annual_title_once",
                                    violation_error_message=_("Cá nhân này đã có danh hiệu này trong năm đó.")),
            models.UniqueConstraint(fields=["unit", "title", "year"], condition=Q(kind="annual", title__isnull=False),
                                    name="award_unit_annual_title_once",
                                    violation_error_message=_("Tập thể này đã có danh hiệu này trong năm đó.")),
        ]
        indexes = [models.Index(fields=["year", "kind"])]

    def __str__(self):
        return f"{self.subject} – {self.award} ({self.year})"

    def clean(self):
        self.clean_subject_and_award()
        if self.decision_date and self.year and self.decision_date.year < self.year:
            raise ValidationError({"decision_date": _("Ngày quyết định không được trước năm thành tích.")})
        future = not_after_tomorrow(self.decision_date, "decision_date")
        if future:
            raise ValidationError(future)

    @property
    def scope_unit_id(self):
        """The unit it belongs to for role scoping: the person's unit, or the collective itself."""
        return self.person.unit_id if self.person_id else self.unit_id

    @property
    def counts_as_merit(self):
        return self.award.counts_as_merit and self.kind not in (AwardType.THEMATIC, AwardType.AD_HOC)

