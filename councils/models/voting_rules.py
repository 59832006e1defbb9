"""Voting rules as data: per emulation title or commendation form (or a default row for any other), with the legal basis
and the period they apply in, like the nomination rules (``nominations.Rule``)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nominations.api import CommendationForm, EmulationTitle
from tdkt.validators import check_ordered, validate_date_bounds

from ..enums import ThresholdComparison, VotingBase, VotingMethod
from ..tally import Terms, describe, quorum_needed


def choose_rule(rules, award):
    """Of ``rules`` (in force on one date), the one for ``award``: its own rule, else the default row (no title, no
    form), else ``None``."""
    field = "title_id" if isinstance(award, EmulationTitle) else "form_id"
    own = [rule for rule in rules if getattr(rule, field) == award.pk]
    default = [rule for rule in rules if rule.title_id is None and rule.form_id is None]
    return (own or default or [None])[0]


class VotingRuleQuerySet(models.QuerySet):
    def in_force(self, on):
        """Rules that apply on ``on``."""
        return self.filter(active=True, effective_from__lte=on).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))

    def for_award(self, award, on):
        """The rule for ``award`` (an emulation title or a commendation form) on ``on``: its own rule, else the default
        row; ``ValidationError`` when neither exists."""
        field = "title" if isinstance(award, EmulationTitle) else "form"
        found = choose_rule(list(self.in_force(on).filter(Q(**{field: award}) | Q(title__isnull=True, form__isnull=True))), award)
        if found is None:
            raise ValidationError(no_rule_message(award, on))
        return found


def no_rule_message(award, on):
    return _("Chưa có quy tắc biểu quyết áp dụng cho “%(award)s” vào ngày %(date)s: Văn phòng cần khai báo quy tắc (hoặc quy "
             "tắc chung).") % {"award": award, "date": on.strftime("%d/%m/%Y")}


class VotingRule(models.Model):
    """How the council votes on one title or form (``title`` and ``form`` empty: every award without a rule of its own).

    A rule applies to an agenda item when the meeting's date is inside its period; a new Quy chế is a new row with its
    own ``effective_from``. A vote round keeps a copy of the terms it was opened with, so editing a rule never changes
    a result.
    """

    name = models.CharField(_("tên quy tắc"), max_length=200)
    title = models.ForeignKey(EmulationTitle, verbose_name=_("danh hiệu thi đua"), on_delete=models.PROTECT, null=True,
                              blank=True, related_name="voting_rules")
    form = models.ForeignKey(CommendationForm, verbose_name=_("hình thức khen thưởng"), on_delete=models.PROTECT, null=True,
                             blank=True, related_name="voting_rules")
    method = models.CharField(_("hình thức biểu quyết"), max_length=8, choices=VotingMethod.choices, default=VotingMethod.OPEN)
    base = models.CharField(_("tính tỷ lệ trên"), max_length=8, choices=VotingBase.choices, default=VotingBase.PRESENT)
    threshold = models.DecimalField(_("tỷ lệ đồng ý (%)"), max_digits=5, decimal_places=2,
                                    validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))])
    comparison = models.CharField(_("so sánh"), max_length=4, choices=ThresholdComparison.choices,
                                  default=ThresholdComparison.AT_LEAST)
    quorum_numerator = models.PositiveSmallIntegerField(_("số thành viên có mặt tối thiểu: tử số"), default=2,
                                                        validators=[MinValueValidator(1)])
    quorum_denominator = models.PositiveSmallIntegerField(_("mẫu số"), default=3, validators=[MinValueValidator(1)])
    written_opinions_count = models.BooleanField(_("tính ý kiến bằng văn bản của thành viên vắng mặt"), default=False)
    allows_abstention = models.BooleanField(_("có lựa chọn “không biểu quyết”"), default=True)
    legal_basis = models.TextField(_("căn cứ"))
    description = models.TextField(_("ghi chú"), blank=True)
    effective_from = models.DateField(_("áp dụng từ"), validators=[validate_date_bounds])
    effective_to = models.DateField(_("đến"), null=True, blank=True, validators=[validate_date_bounds])
    active = models.BooleanField(_("đang áp dụng"), default=True)

    objects = VotingRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("quy tắc biểu quyết")
        verbose_name_plural = _("quy tắc biểu quyết")
        ordering = ["title__sort_order", "form__sort_order", "-effective_from", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(title__isnull=True) | Q(form__isnull=True), name="voting_rule_one_award",
                                   violation_error_message=_("Chọn một danh hiệu hoặc một hình thức khen thưởng, không chọn cả hai.")),
            models.CheckConstraint(condition=Q(threshold__gt=0, threshold__lte=100), name="voting_rule_threshold_range",
                                   violation_error_message=_("Tỷ lệ đồng ý phải lớn hơn 0% và không quá 100%.")),
            models.CheckConstraint(condition=Q(quorum_numerator__gte=1, quorum_numerator__lte=models.F("quorum_denominator")),
                                   name="voting_rule_quorum_fraction",
                                   violation_error_message=_("Số thành viên có mặt tối thiểu phải là một phân số từ 1/n đến 1.")),
            models.CheckConstraint(condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                                   name="voting_rule_period_ordered",
                                   violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu áp dụng.")),
        ]

    def __str__(self):
        return self.name

    @property
    def award(self):
        return self.title or self.form

    @property
    def terms(self):
        return Terms.of(self)

    @property
    def description_text(self):
        return describe(self.terms)

    def applies_on(self, date):
        return self.active and self.effective_from <= date and (self.effective_to is None or date <= self.effective_to)

    def quorum_for(self, members):
        return quorum_needed(members, self.quorum_numerator, self.quorum_denominator)

    def clean(self):
        errors = {}
        if self.title_id and self.form_id:
            errors["form"] = [_("Chọn một danh hiệu hoặc một hình thức khen thưởng, không chọn cả hai.")]
        if self.quorum_numerator and self.quorum_denominator and self.quorum_numerator > self.quorum_denominator:
            errors["quorum_numerator"] = [_("Số thành viên có mặt tối thiểu không được quá toàn bộ thành viên (tử số ≤ mẫu số).")]
        check_ordered(errors, self, "effective_from", "effective_to", _("Ngày kết thúc phải sau ngày bắt đầu áp dụng."))
        if not errors and self.active and self.effective_from:
            overlapping = self.overlapping().first()
            if overlapping is not None:
                errors["effective_from"] = [_("Quy tắc “%(other)s” đã áp dụng cho %(award)s trong khoảng thời gian này: hãy "
                                              "kết thúc quy tắc đó trước ngày bắt đầu của quy tắc mới.")
                                            % {"other": overlapping, "award": self.award or _("mọi danh hiệu, hình thức khác")}]
        if errors:
            raise ValidationError(errors)

    def overlapping(self):
        """Other active rules for the same award (or other default rows) whose period meets this one's."""
        qs = VotingRule.objects.filter(active=True, title_id=self.title_id, form_id=self.form_id).exclude(pk=self.pk)
        qs = qs.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=self.effective_from))
        if self.effective_to is not None:
            qs = qs.filter(effective_from__lte=self.effective_to)
        return qs
