"""Nominations app. Catalogues of emulation titles and commendation forms (kept apart,
as the law does), bonus coefficients and the base salary with effective dates; the
rules as data; award history; rounds, unit submissions and nominations."""

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from movements.models import Campaign, Person, Unit, _one_subject

from .catalogues import AwardKind, CommendationForm, EmulationTitle  # noqa: F401  (the catalogues module defines them)
from .enums import (
    AwardType,
    DocumentKind,
    InitiativeKind,
    InitiativeScope,
    NominationState,
    RoundStatus,
    RuleSeverity,
    SubjectKind,
)


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


# ---------------------------------------------------------------- rules as data

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
        from .rules_engine import parameter_errors

        errors = parameter_errors(self.code, self.parameters)
        if errors:
            raise ValidationError({"parameters": errors})


# ---------------------------------------------------------------- initiatives and award history

class Initiative(models.Model):
    """A recognised sáng kiến or an accepted research project (đề tài nghiệm thu) of a person."""

    person = models.ForeignKey(Person, verbose_name=_("cá nhân"), on_delete=models.PROTECT, related_name="initiatives")
    title = models.CharField(_("tên sáng kiến, đề tài"), max_length=500)
    kind = models.CharField(_("loại"), max_length=12, choices=InitiativeKind.choices, default=InitiativeKind.INITIATIVE)
    scope = models.CharField(_("phạm vi ảnh hưởng"), max_length=10, choices=InitiativeScope.choices, default=InitiativeScope.BASE)
    year = models.PositiveSmallIntegerField(_("năm công nhận"))
    recognised_on = models.DateField(_("ngày công nhận, nghiệm thu"), null=True, blank=True)
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


def _one_award(name):
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
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
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
            _one_subject("award_one_subject"),
            _one_award("award_one_award"),
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

    @property
    def counts_as_merit(self):
        return self.award.counts_as_merit and self.kind not in (AwardType.THEMATIC, AwardType.AD_HOC)


# ---------------------------------------------------------------- rounds, unit submissions, nominations

class NominationRound(models.Model):
    """Đợt đề nghị: annual (tổng kết năm), thematic (tied to a campaign), ad hoc or other."""

    name = models.CharField(_("tên đợt"), max_length=300)
    kind = models.CharField(_("loại đợt"), max_length=10, choices=AwardType.choices, default=AwardType.ANNUAL)
    year = models.PositiveSmallIntegerField(_("năm thành tích"))
    reference_date = models.DateField(
        _("ngày xét"), help_text=_("Ngày dùng để xác định chức vụ lãnh đạo, kỷ luật… của người được đề nghị."))
    deadline = models.DateField(_("hạn nộp hồ sơ"), null=True, blank=True, help_text=_("Đợt đột xuất không có hạn nộp."))
    campaign = models.ForeignKey(Campaign, verbose_name=_("phong trào thi đua"), on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="nomination_rounds")
    status = models.CharField(_("trạng thái"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("đợt đề nghị")
        verbose_name_plural = _("đợt đề nghị")
        ordering = ["-year", "-reference_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=1990, year__lte=2100), name="round_year_range",
                                   violation_error_message=_("Năm không hợp lệ.")),
            models.CheckConstraint(condition=Q(kind="ad_hoc") | Q(deadline__isnull=False), name="round_deadline_unless_ad_hoc",
                                   violation_error_message=_("Đợt đề nghị (trừ đột xuất) phải có hạn nộp hồ sơ.")),
            models.CheckConstraint(condition=~Q(kind="ad_hoc") | Q(deadline__isnull=True), name="round_ad_hoc_no_deadline",
                                   violation_error_message=_("Đợt đột xuất không có hạn nộp hồ sơ.")),
            models.CheckConstraint(condition=~Q(kind="thematic") | Q(campaign__isnull=False), name="round_thematic_has_campaign",
                                   violation_error_message=_("Đợt chuyên đề phải gắn với một phong trào thi đua.")),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        from .rules_engine import round_violations

        if self.kind == AwardType.AD_HOC and self.deadline:
            raise ValidationError({"deadline": _("Đợt đột xuất không có hạn nộp hồ sơ.")})
        if self.kind != AwardType.AD_HOC and not self.deadline:
            raise ValidationError({"deadline": _("Đợt đề nghị (trừ đột xuất) phải có hạn nộp hồ sơ.")})
        if self.kind == AwardType.THEMATIC and not self.campaign_id:
            raise ValidationError({"campaign": _("Đợt chuyên đề phải gắn với một phong trào thi đua.")})
        if self.reference_date and self.year and not 0 <= self.reference_date.year - self.year <= 1:
            raise ValidationError({"reference_date": _("Ngày xét phải thuộc năm thành tích hoặc năm liền sau.")})
        blocking = [str(v) for v in round_violations(self) if v.blocking]
        if blocking:
            raise ValidationError({"campaign": blocking})

    @property
    def is_open(self):
        return self.status == RoundStatus.OPEN

    @property
    def past_deadline(self):
        return bool(self.deadline) and timezone.localdate() > self.deadline


class UnitSubmission(models.Model):
    """A unit's dossier for one round: its tờ trình and attachments; nominations hang from it."""

    round = models.ForeignKey(NominationRound, verbose_name=_("đợt đề nghị"), on_delete=models.PROTECT, related_name="submissions")
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị đề nghị"), on_delete=models.PROTECT, related_name="nomination_submissions")
    memo_number = models.CharField(_("số tờ trình"), max_length=50, blank=True)
    memo_date = models.DateField(_("ngày tờ trình"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người gửi"), on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("hồ sơ đề nghị của đơn vị")
        verbose_name_plural = _("hồ sơ đề nghị của đơn vị")
        ordering = ["round", "unit__sort_order", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="submission_one_per_round_unit",
                                    violation_error_message=_("Đơn vị này đã có hồ sơ trong đợt này.")),
        ]

    def __str__(self):
        return f"{self.unit} – {self.round}"


def submission_document_path(instance, filename):
    ext = os.path.splitext(filename)[1].lower()
    return f"nominations/{instance.submission.round_id}/{instance.submission.unit_id}/{uuid.uuid4().hex}{ext}"


class SubmissionDocument(models.Model):
    """A typed attachment of a unit submission. Files live under MEDIA_ROOT (outside the web
    root) and are served only by a permission-checked view."""

    submission = models.ForeignKey(UnitSubmission, verbose_name=_("hồ sơ đơn vị"), on_delete=models.PROTECT, related_name="documents")
    nomination = models.ForeignKey("Nomination", verbose_name=_("đề nghị"), on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="documents", help_text=_("Bắt buộc với báo cáo thành tích."))
    kind = models.CharField(_("loại tài liệu"), max_length=12, choices=DocumentKind.choices)
    file = models.FileField(_("tệp"), upload_to=submission_document_path, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tài liệu hồ sơ")
        verbose_name_plural = _("tài liệu hồ sơ")
        ordering = ["kind", "uploaded_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"

    def clean(self):
        if self.kind == DocumentKind.ACHIEVEMENT_REPORT and not self.nomination_id:
            raise ValidationError({"nomination": _("Báo cáo thành tích phải gắn với một người hoặc tập thể được đề nghị.")})
        if self.nomination_id and self.submission_id and self.nomination.submission_id != self.submission_id:
            raise ValidationError({"nomination": _("Đề nghị này không thuộc hồ sơ của đơn vị.")})

    @property
    def is_sent(self):
        """Reached the office: a nominee's file once that nomination was sent (never a draft's), a file of the
        submission itself (tờ trình, biên bản) once the unit sent its list. The council reads only these."""
        if self.nomination_id:
            return self.nomination.state != NominationState.DRAFT
        return self.submission.submitted_at is not None

    @property
    def unit_may_remove(self):
        """The unit may still remove it: a file of a draft or returned nomination, or of a submission not yet sent."""
        if self.nomination_id:
            return self.nomination.state in NominationState.editable()
        return self.submission.submitted_at is None


class Nomination(AwardMixin):
    """Đề nghị khen thưởng: one subject (person or unit) for one title or form, in a unit's submission."""

    round = models.ForeignKey(NominationRound, verbose_name=_("đợt đề nghị"), on_delete=models.PROTECT, related_name="nominations")
    submission = models.ForeignKey(UnitSubmission, verbose_name=_("hồ sơ đơn vị"), on_delete=models.PROTECT, related_name="nominations")
    person = models.ForeignKey(Person, verbose_name=_("cá nhân"), on_delete=models.PROTECT, null=True, blank=True,
                               related_name="nominations")
    unit = models.ForeignKey(Unit, verbose_name=_("tập thể"), on_delete=models.PROTECT, null=True, blank=True,
                             related_name="nominations")
    title = models.ForeignKey(EmulationTitle, verbose_name=_("danh hiệu thi đua"), on_delete=models.PROTECT, null=True, blank=True,
                              related_name="nominations")
    form = models.ForeignKey(CommendationForm, verbose_name=_("hình thức khen thưởng"), on_delete=models.PROTECT, null=True,
                             blank=True, related_name="nominations")
    achievement_summary = models.TextField(_("tóm tắt thành tích"), blank=True)
    initiatives = models.ManyToManyField(Initiative, verbose_name=_("sáng kiến, đề tài"), blank=True, related_name="nominations")
    state = models.CharField(_("trạng thái"), max_length=16, choices=NominationState.choices, default=NominationState.DRAFT)
    last_reason = models.TextField(_("lý do gần nhất"), blank=True,
                                   help_text=_("Lý do trả lại, không đạt hoặc không thông qua lần gần nhất."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    CONTENT_FIELDS = ("round_id", "submission_id", "person_id", "unit_id", "title_id", "form_id")

    class Meta:
        verbose_name = _("đề nghị khen thưởng")
        verbose_name_plural = _("đề nghị khen thưởng")
        ordering = ["round", "submission", "id"]
        constraints = [
            _one_subject("nomination_one_subject"),
            _one_award("nomination_one_award"),
        ]
        indexes = [
            models.Index(fields=["round", "state"]),
            models.Index(fields=["state", "-updated_at"]),
        ]

    def __str__(self):
        subject, award = self.subject, self.award
        return f"{subject or '—'} – {award or '—'}"

    def content_changed(self):
        if self._state.adding or self.pk is None:
            return True
        original = Nomination.objects.filter(pk=self.pk).values(*self.CONTENT_FIELDS).first()
        return original is None or any(original[f] != getattr(self, f) for f in self.CONTENT_FIELDS)

    def clean(self):
        from .rules_engine import STAGE_ENTRY, enforce

        self.clean_subject_and_award()
        if self.submission_id and self.round_id and self.submission.round_id != self.round_id:
            raise ValidationError(_("Hồ sơ đơn vị không thuộc đợt đề nghị này."))
        if not self.content_changed():
            return
        if self.round.status != RoundStatus.OPEN:
            raise ValidationError(_("Đợt đề nghị “%(round)s” không còn nhận hồ sơ.") % {"round": self.round})
        if self.state not in NominationState.editable():
            raise ValidationError(_("Đề nghị ở trạng thái “%(state)s” không sửa được.") % {"state": self.get_state_display()})
        self._clean_subject_belongs_to_unit()
        enforce(self, stage=STAGE_ENTRY)

    def _clean_subject_belongs_to_unit(self):
        from movements.selectors import positions_at

        unit = self.submission.unit
        if self.person_id:
            worked_there = self.person.unit_id == unit.pk or positions_at(
                self.round.reference_date, persons=[self.person_id], units=[unit.pk]).exists()
            if not worked_there:
                raise ValidationError({"person": _("%(name)s không công tác tại %(unit)s vào ngày xét %(date)s.") % {
                    "name": self.person, "unit": unit, "date": self.round.reference_date.strftime("%d/%m/%Y")}})
        elif self.unit_id and self.unit_id != unit.pk and self.unit.parent_id != unit.pk:
            raise ValidationError({"unit": _("%(unit)s chỉ đề nghị chính đơn vị mình hoặc đơn vị cấp dưới.") % {"unit": unit}})

    @property
    def is_editable(self):
        return self.state in NominationState.editable()

    @property
    def proposing_unit(self):
        return self.submission.unit


class RuleOverride(models.Model):
    """A warning rule explicitly overridden for one nomination, with the reason (recorded)."""

    nomination = models.ForeignKey(Nomination, verbose_name=_("đề nghị"), on_delete=models.CASCADE, related_name="overrides")
    rule = models.ForeignKey(Rule, verbose_name=_("quy định"), on_delete=models.PROTECT, related_name="overrides")
    reason = models.TextField(_("lý do"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("vượt cảnh báo")
        verbose_name_plural = _("vượt cảnh báo")
        constraints = [models.UniqueConstraint(fields=["nomination", "rule"], name="override_once_per_rule")]

    def __str__(self):
        return f"{self.rule.code}: {self.nomination}"
