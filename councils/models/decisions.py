"""Decisions (quyết định khen thưởng) of the Sở, entered once for a whole list, and the tờ trình to UBND tỉnh for the
titles above the Sở's authority, with the province's decision recorded once for the list it covers.

A decision is a draft while the office edits it (date, signer, legal bases, Điều 1–3, nơi nhận, its lines); issuing
gives it its number (``tdkt.numbering``), moves its nominations to “có quyết định” and writes their award records in
one transaction; an issued decision is never edited again: it is revoked or replaced, with a reason kept on it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nominations.api import CommendationForm, EmulationTitle, Nomination, NominationRound
from tdkt.uploads import storage_name
from tdkt.validators import validate_date_bounds

from ..enums import DecisionSource, DecisionState, ProposalState, SignatureState, SignerPrefix
from .meetings import Meeting


def decision_pdf_path(instance, filename):
    """Where a signed document's PDFs are stored: a folder per kind (decisions, tờ trình, minutes; issue 12)."""
    return storage_name(getattr(instance, "pdf_folder", "decisions"), filename)


def province_decision_path(instance, filename):
    return storage_name("province-decisions", filename)


class DigitallySigned(models.Model):
    """The digital signatures of a document of the Sở (issue 12; decisions, tờ trình, minutes): the steps after issuing
    (``councils/workflows.py`` ``signing_workflow``, one mechanism for the three). The signed file is what is
    downloaded; the unsigned one (``pdf_unsigned``) stays in the record. Each signature's certificate is kept."""

    pdf_folder = "decisions"

    pdf_unsigned = models.FileField(_("bản PDF (chưa ký)"), upload_to=decision_pdf_path, blank=True, max_length=255)
    signature_state = models.CharField(_("ký số"), max_length=8, choices=SignatureState.choices,
                                       default=SignatureState.UNSIGNED)
    pdf_signed = models.FileField(_("bản PDF đã ký số"), upload_to=decision_pdf_path, blank=True, max_length=255)
    signed_subject = models.CharField(_("chứng thư của người ký"), max_length=300, blank=True)
    signed_serial = models.CharField(_("số hiệu chứng thư của người ký"), max_length=80, blank=True)
    signed_at = models.DateTimeField(_("ký số lúc"), null=True, blank=True)
    sealed_subject = models.CharField(_("chứng thư của cơ quan"), max_length=300, blank=True)
    sealed_serial = models.CharField(_("số hiệu chứng thư của cơ quan"), max_length=80, blank=True)
    sealed_at = models.DateTimeField(_("đóng dấu số lúc"), null=True, blank=True)

    class Meta:
        abstract = True


class Signed(models.Model):
    """The number, the date and the signer every numbered document of the Sở carries."""

    number = models.CharField(_("số, ký hiệu"), max_length=50, blank=True, help_text=_("Cấp khi ban hành."))
    number_int = models.PositiveIntegerField(_("số thứ tự trong sổ"), null=True, blank=True)
    date = models.DateField(_("ngày ban hành"), validators=[validate_date_bounds])
    subject = models.CharField(_("trích yếu"), max_length=300)
    signer_prefix = models.CharField(_("quyền hạn ký"), max_length=4, choices=SignerPrefix.choices, blank=True)
    signer_authority = models.CharField(_("chức vụ của người đứng đầu"), max_length=100, default="Giám đốc",
                                        help_text=_("Sau “KT.”, “TM.”, “Q.”: ví dụ GIÁM ĐỐC."))
    signer_position = models.CharField(_("chức vụ người ký"), max_length=100, default="Giám đốc",
                                       help_text=_("Ví dụ: Phó Giám đốc (khi ký thay)."))
    signer_name = models.CharField(_("họ tên người ký"), max_length=150)
    recipients = models.JSONField(_("nơi nhận"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người lập"), on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(_("lập lúc"), auto_now_add=True)

    class Meta:
        abstract = True

    def clean_signer(self):
        errors = {}
        if self.signer_prefix and not (self.signer_authority or "").strip():
            errors["signer_authority"] = [_("Hãy ghi chức vụ của người đứng đầu sau “%(prefix)s”.") % {"prefix": self.signer_prefix}]
        if not (self.signer_name or "").strip():
            errors["signer_name"] = [_("Hãy ghi họ tên người ký.")]
        return errors

    @property
    def authority_lines(self):
        """The signer's authority block, upper case: ``["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]`` or ``["GIÁM ĐỐC"]``."""
        if self.signer_prefix:
            return [f"{self.signer_prefix} {self.signer_authority.upper()}", self.signer_position.upper()]
        return [self.signer_position.upper()]


class Decision(DigitallySigned, Signed):
    """A decision of the director granting one title or form to a list (its lines)."""

    title = models.ForeignKey(EmulationTitle, verbose_name=_("danh hiệu thi đua"), on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    form = models.ForeignKey(CommendationForm, verbose_name=_("hình thức khen thưởng"), on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    source = models.CharField(_("căn cứ đề nghị"), max_length=8, choices=DecisionSource.choices, default=DecisionSource.MEETING)
    meeting = models.ForeignKey(Meeting, verbose_name=_("phiên họp Hội đồng"), on_delete=models.PROTECT, null=True, blank=True,
                                related_name="decisions")
    round = models.ForeignKey(NominationRound, verbose_name=_("đợt đề nghị"), on_delete=models.PROTECT, related_name="+")
    bases = models.JSONField(_("căn cứ ban hành"), default=list, blank=True)
    article1 = models.TextField(_("Điều 1"))
    article2 = models.TextField(_("Điều 2"), blank=True)
    article3 = models.TextField(_("Điều 3"), blank=True)
    state = models.CharField(_("trạng thái"), max_length=10, choices=DecisionState.choices, default=DecisionState.DRAFT)
    reason = models.TextField(_("lý do thu hồi, thay thế"), blank=True)
    replaced_by = models.ForeignKey("self", verbose_name=_("được thay thế bởi"), on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="replaces")
    issued_at = models.DateTimeField(_("ban hành lúc"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người ban hành"), on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+")
    ended_at = models.DateTimeField(_("thu hồi, thay thế lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(title__isnull=False, form__isnull=True) | Q(title__isnull=True, form__isnull=False),
                                   name="decision_one_award",
                                   violation_error_message=_("Chọn đúng một danh hiệu thi đua hoặc một hình thức khen thưởng.")),
            models.CheckConstraint(condition=Q(state="draft") | ~Q(number=""), name="decision_issued_has_number",
                                   violation_error_message=_("Quyết định đã ban hành phải có số.")),
            models.CheckConstraint(condition=Q(state__in=["draft", "issued"]) | ~Q(reason=""), name="decision_ended_has_reason",
                                   violation_error_message=_("Thu hồi, thay thế quyết định phải có lý do.")),
        ]

    def __str__(self):
        if self.number:
            return _("Quyết định số %(number)s") % {"number": self.number}
        return _("Dự thảo quyết định: %(subject)s") % {"subject": self.subject}

    @property
    def award(self):
        return self.title if self.title_id else self.form

    @property
    def is_draft(self):
        return self.state == DecisionState.DRAFT

    @property
    def is_issued(self):
        return self.state == DecisionState.ISSUED

    def clean(self):
        errors = self.clean_signer()
        if self.source == DecisionSource.MEETING and not self.meeting_id:
            errors["meeting"] = [_("Quyết định theo kết quả họp Hội đồng phải gắn với phiên họp.")]
        if not (self.article1 or "").strip():
            errors["article1"] = [_("Hãy ghi nội dung Điều 1.")]
        if errors:
            raise ValidationError(errors)


class DecisionLine(models.Model):
    """One person or collective of a decision's list, with the bonus (hệ số × lương cơ sở on the decision date)."""

    decision = models.ForeignKey(Decision, verbose_name=_("quyết định"), on_delete=models.CASCADE, related_name="lines")
    nomination = models.ForeignKey(Nomination, verbose_name=_("đề nghị"), on_delete=models.PROTECT, related_name="decision_lines")
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    coefficient = models.DecimalField(_("hệ số"), max_digits=5, decimal_places=2, null=True, blank=True)
    base_salary = models.PositiveIntegerField(_("lương cơ sở"), null=True, blank=True)
    amount = models.PositiveBigIntegerField(_("tiền thưởng (đồng)"), null=True, blank=True)

    class Meta:
        verbose_name = _("dòng danh sách kèm quyết định")
        verbose_name_plural = _("danh sách kèm quyết định")
        ordering = ["decision", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["decision", "nomination"], name="decision_line_once")]

    def __str__(self):
        return str(self.nomination)

    @property
    def scope_unit_id(self):
        """The unit that proposed the line's nomination (role scoping, ``tdkt.roles``)."""
        return self.nomination.scope_unit_id


class Proposal(DigitallySigned, Signed):
    """A tờ trình of the Sở to UBND tỉnh (through its Ban Thi đua – Khen thưởng) proposing a title or form above the
    director's authority for a list; the province's decision is recorded on it once, for the lines it passed."""

    pdf_folder = "proposals"

    title = models.ForeignKey(EmulationTitle, verbose_name=_("danh hiệu thi đua"), on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    form = models.ForeignKey(CommendationForm, verbose_name=_("hình thức khen thưởng"), on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    meeting = models.ForeignKey(Meeting, verbose_name=_("phiên họp Hội đồng"), on_delete=models.PROTECT, null=True, blank=True,
                                related_name="proposals")
    round = models.ForeignKey(NominationRound, verbose_name=_("đợt đề nghị"), on_delete=models.PROTECT, related_name="+")
    addressee = models.CharField(_("kính gửi"), max_length=300,
                                 default="Ủy ban nhân dân tỉnh (qua Ban Thi đua – Khen thưởng tỉnh)")
    body = models.TextField(_("nội dung tờ trình"))
    state = models.CharField(_("trạng thái"), max_length=10, choices=ProposalState.choices, default=ProposalState.DRAFT)
    sent_at = models.DateTimeField(_("trình lúc"), null=True, blank=True)
    province_issuer = models.CharField(_("cấp quyết định"), max_length=200, blank=True)
    province_number = models.CharField(_("số quyết định của tỉnh"), max_length=50, blank=True)
    province_date = models.DateField(_("ngày quyết định của tỉnh"), null=True, blank=True, validators=[validate_date_bounds])
    province_file = models.FileField(_("bản quét quyết định"), upload_to=province_decision_path, blank=True, max_length=255)
    province_file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("tờ trình đề nghị khen thưởng")
        verbose_name_plural = _("tờ trình đề nghị khen thưởng")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(title__isnull=False, form__isnull=True) | Q(title__isnull=True, form__isnull=False),
                                   name="proposal_one_award",
                                   violation_error_message=_("Chọn đúng một danh hiệu thi đua hoặc một hình thức khen thưởng.")),
            models.CheckConstraint(condition=Q(state="draft") | ~Q(number=""), name="proposal_sent_has_number",
                                   violation_error_message=_("Tờ trình đã trình phải có số.")),
        ]

    def __str__(self):
        if self.number:
            return _("Tờ trình số %(number)s") % {"number": self.number}
        return _("Dự thảo tờ trình: %(subject)s") % {"subject": self.subject}

    @property
    def award(self):
        return self.title if self.title_id else self.form

    def clean(self):
        errors = self.clean_signer()
        if not (self.body or "").strip():
            errors["body"] = [_("Hãy ghi nội dung tờ trình.")]
        if self.province_date and self.date and self.province_date < self.date:
            errors["province_date"] = [_("Ngày quyết định của tỉnh không được trước ngày tờ trình.")]
        if errors:
            raise ValidationError(errors)


class ProposalLine(models.Model):
    """One person or collective of a tờ trình's list; ``passed`` once the province has decided."""

    proposal = models.ForeignKey(Proposal, verbose_name=_("tờ trình"), on_delete=models.CASCADE, related_name="lines")
    nomination = models.ForeignKey(Nomination, verbose_name=_("đề nghị"), on_delete=models.PROTECT, related_name="proposal_lines")
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    passed = models.BooleanField(_("được tỉnh khen thưởng"), null=True, blank=True)

    class Meta:
        verbose_name = _("dòng danh sách kèm tờ trình")
        verbose_name_plural = _("danh sách kèm tờ trình")
        ordering = ["proposal", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "nomination"], name="proposal_line_once")]

    def __str__(self):
        return str(self.nomination)

    @property
    def scope_unit_id(self):
        """The unit that proposed the line's nomination (role scoping, ``tdkt.roles``)."""
        return self.nomination.scope_unit_id
