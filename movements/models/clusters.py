"""Clusters (cụm, khối thi đua): members, scoring table, scores and acclamations (suy tôn)."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tdkt.uploads import storage_name
from tdkt.validators import validate_date_bounds, validate_year_bounds

from ..enums import AcclamationState, ClusterState, CriterionKind
from .organisation import Unit


def cluster_pact_path(instance, filename):
    return storage_name(f"clusters/{instance.pk or 'new'}", filename)


class Cluster(models.Model):
    """A cụm / khối thi đua of one year: member units, leader and deputy, pact and scoring table."""

    year = models.PositiveSmallIntegerField(_("năm"))
    name = models.CharField(_("tên cụm, khối thi đua"), max_length=300)
    description = models.TextField(_("ghi chú"), blank=True)
    members = models.ManyToManyField(Unit, through="ClusterMember", related_name="clusters", verbose_name=_("đơn vị thành viên"))
    leader_unit = models.ForeignKey(Unit, verbose_name=_("cụm trưởng"), on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    deputy_unit = models.ForeignKey(Unit, verbose_name=_("cụm phó"), on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    state = models.CharField(_("trạng thái"), max_length=12, choices=ClusterState.choices, default=ClusterState.SETUP)
    pact_number = models.CharField(_("số giao ước"), max_length=50, blank=True)
    pact_signed_on = models.DateField(_("ngày ký giao ước"), null=True, blank=True, validators=[validate_date_bounds])
    pact_file = models.FileField(_("tệp giao ước"), upload_to=cluster_pact_path, blank=True, max_length=255)
    pact_original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cụm, khối thi đua")
        verbose_name_plural = _("cụm, khối thi đua")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["year", "name"], name="cluster_name_unique_per_year",
                                    violation_error_message=_("Đã có cụm, khối thi đua cùng tên trong năm này.")),
            models.CheckConstraint(condition=Q(year__gte=1990, year__lte=2100), name="cluster_year_range",
                                   violation_error_message=_("Năm không hợp lệ.")),
            models.CheckConstraint(condition=Q(leader_unit__isnull=True) | Q(deputy_unit__isnull=True) | ~Q(leader_unit=models.F("deputy_unit")),
                                   name="cluster_leader_not_deputy",
                                   violation_error_message=_("Cụm trưởng và cụm phó phải là hai đơn vị khác nhau.")),
        ]

    def __str__(self):
        return f"{self.name} ({self.year})"

    def clean(self):
        if self.leader_unit_id and self.leader_unit_id == self.deputy_unit_id:
            raise ValidationError({"deputy_unit": _("Cụm trưởng và cụm phó phải là hai đơn vị khác nhau.")})


class ClusterMember(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="cluster_memberships")

    class Meta:
        verbose_name = _("đơn vị thành viên")
        verbose_name_plural = _("đơn vị thành viên")
        ordering = ["cluster", "unit__sort_order", "unit__sort_name"]
        constraints = [models.UniqueConstraint(fields=["cluster", "unit"], name="cluster_member_once")]

    def __str__(self):
        return f"{self.unit} – {self.cluster}"

    @property
    def scope_unit_id(self):
        """For :mod:`tdkt.roles`: a membership (and its score sheet) belongs to the member unit."""
        return self.unit_id


class ScoringSection(models.Model):
    """A group of criteria in the scoring table (I. Thực hiện nhiệm vụ chuyên môn…)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    name = models.CharField(_("tên nhóm tiêu chí"), max_length=300)

    class Meta:
        verbose_name = _("nhóm tiêu chí")
        verbose_name_plural = _("nhóm tiêu chí")
        ordering = ["cluster", "order", "id"]

    def __str__(self):
        return self.name


class ScoringCriterion(models.Model):
    section = models.ForeignKey(ScoringSection, verbose_name=_("nhóm tiêu chí"), on_delete=models.CASCADE,
                                related_name="criteria")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    name = models.CharField(_("tiêu chí"), max_length=500)
    max_score = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2)
    kind = models.CharField(_("loại"), max_length=10, choices=CriterionKind.choices, default=CriterionKind.STANDARD)

    class Meta:
        verbose_name = _("tiêu chí chấm điểm")
        verbose_name_plural = _("tiêu chí chấm điểm")
        ordering = ["section__order", "section_id", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(max_score__gt=0), name="criterion_max_positive",
                                   violation_error_message=_("Điểm tối đa phải lớn hơn 0.")),
        ]

    def __str__(self):
        return self.name

    @property
    def sign(self):
        return -1 if self.kind == CriterionKind.PENALTY else 1


class ClusterScore(models.Model):
    """A member unit's self-score and the agreed score for one criterion."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ScoringCriterion, on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cluster_scores")
    self_score = models.DecimalField(_("điểm tự chấm"), max_digits=6, decimal_places=2, null=True, blank=True)
    self_note = models.CharField(_("minh chứng"), max_length=500, blank=True)
    agreed_score = models.DecimalField(_("điểm thống nhất"), max_digits=6, decimal_places=2, null=True, blank=True)
    agreed_note = models.CharField(_("ghi chú của cụm"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("điểm thi đua")
        verbose_name_plural = _("điểm thi đua")
        ordering = ["cluster", "unit", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "unit"], name="cluster_score_once"),
            models.CheckConstraint(condition=Q(self_score__isnull=True) | Q(self_score__gte=0), name="cluster_self_score_not_negative",
                                   violation_error_message=_("Điểm không được âm.")),
            models.CheckConstraint(condition=Q(agreed_score__isnull=True) | Q(agreed_score__gte=0),
                                   name="cluster_agreed_score_not_negative", violation_error_message=_("Điểm không được âm.")),
        ]

    def __str__(self):
        return f"{self.unit} – {self.criterion}"

    @property
    def scope_unit_id(self):
        return self.unit_id

    def clean(self):
        errors = {}
        maximum = self.criterion.max_score if self.criterion_id else None
        for name in ("self_score", "agreed_score"):
            value = getattr(self, name)
            if value is None or not value.is_finite():
                continue  # not a number: the field's own validator says so
            if value < 0:
                errors[name] = _("Tiêu chí “%(name)s”: điểm không được âm.") % {"name": self.criterion}
            elif maximum is not None and value > maximum:
                errors[name] = _("Tiêu chí “%(name)s”: điểm %(value)s vượt điểm tối đa %(max)s.") % {
                    "name": self.criterion, "value": format_score(value), "max": format_score(maximum)}
        if errors:
            raise ValidationError(errors)


#: A score as typed: digits with an optional sign and one decimal separator (comma or point), nothing else
#: (no exponent, no NaN or Infinity), and short: a score has at most 4 integer digits and 2 decimals.
SCORE_PATTERN = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
SCORE_MAX_CHARS = 12


def parse_score(value, criterion):
    """A typed score (text or ``Decimal``) as a finite ``Decimal``, ``None`` when empty.

    Refuses with a message naming the criterion anything but a plain decimal: NaN, Infinity, ``1e999``, words,
    overlong input. The range (0 … maximum) and the 2 decimals are the caller's checks.
    """
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        if value.is_finite():
            return value
        raise ValidationError(_("Tiêu chí “%(name)s”: điểm phải là một số hữu hạn.") % {"name": criterion})
    text = str(value).strip()
    if not text:
        return None
    if len(text) > SCORE_MAX_CHARS:
        raise ValidationError(_("Tiêu chí “%(name)s”: điểm quá dài (tối đa %(n)s ký tự).") % {"name": criterion,
                                                                                          "n": SCORE_MAX_CHARS})
    if not SCORE_PATTERN.fullmatch(text):
        raise ValidationError(_("Tiêu chí “%(name)s”: điểm “%(value)s” không phải là số (nhập số thập phân, ví dụ 12,5).")
                              % {"name": criterion, "value": text})
    return Decimal(text.replace(",", "."))


def format_score(value):
    """12.50 → "12,5"; 30.00 → "30" (Vietnamese decimal comma)."""
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


class ClusterAcclamation(models.Model):
    """Suy tôn: a cluster acclaims a leading unit and proposes it for Cờ thi đua or Bằng khen.

    The nominations app reads these rows (``state = proposed``) to pre-fill a nomination,
    then marks them ``nominated``.
    """

    cluster = models.ForeignKey(Cluster, verbose_name=_("cụm, khối thi đua"), on_delete=models.PROTECT,
                                related_name="acclamations")
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị được suy tôn"), on_delete=models.PROTECT, related_name="acclamations")
    year = models.PositiveSmallIntegerField(_("năm thành tích"), validators=[validate_year_bounds])
    rank = models.PositiveSmallIntegerField(_("xếp hạng"), null=True, blank=True)
    total_score = models.DecimalField(_("tổng điểm"), max_digits=8, decimal_places=2, null=True, blank=True)
    meeting_date = models.DateField(_("ngày họp bình xét, suy tôn"), validators=[validate_date_bounds])
    minutes_number = models.CharField(_("số biên bản"), max_length=50, blank=True)
    title = models.ForeignKey("nominations.EmulationTitle", verbose_name=_("danh hiệu đề nghị"), on_delete=models.PROTECT,
                              null=True, blank=True, related_name="+")
    form = models.ForeignKey("nominations.CommendationForm", verbose_name=_("hình thức đề nghị"), on_delete=models.PROTECT,
                             null=True, blank=True, related_name="+")
    state = models.CharField(_("trạng thái"), max_length=12, choices=AcclamationState.choices, default=AcclamationState.PROPOSED)
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("suy tôn của cụm, khối thi đua")
        verbose_name_plural = _("suy tôn của cụm, khối thi đua")
        ordering = ["-year", "cluster", "rank", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(title__isnull=False, form__isnull=True) | Q(title__isnull=True, form__isnull=False),
                                   name="acclamation_one_award",
                                   violation_error_message=_("Chọn đúng một danh hiệu hoặc một hình thức khen thưởng.")),
            models.UniqueConstraint(fields=["cluster", "unit"], condition=~Q(state="withdrawn"), name="acclamation_once_per_unit",
                                    violation_error_message=_("Đơn vị này đã được suy tôn trong cụm.")),
        ]

    def __str__(self):
        return _("Suy tôn %(unit)s – %(award)s (%(year)s)") % {"unit": self.unit, "award": self.award, "year": self.year}

    @property
    def scope_unit_id(self):
        return self.unit_id

    @property
    def award(self):
        return self.title or self.form

    @property
    def award_code(self):
        return self.award.code if self.award else ""

    def clean(self):
        if bool(self.title_id) == bool(self.form_id):
            raise ValidationError(_("Chọn đúng một danh hiệu hoặc một hình thức khen thưởng."))
