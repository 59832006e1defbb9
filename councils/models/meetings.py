"""Meetings (phiên họp: a sitting or a written consultation), the roll of the members with their attendance, the
agenda items (one per nomination), recusals, and the members' review of the items (who opened which, comments)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nominations.api import Nomination
from tdkt.validators import validate_date_bounds

from ..enums import AttendanceStatus, ItemState, MeetingKind, MeetingState, Outcome
from .councils import Council, CouncilMember


class Meeting(models.Model):
    """A meeting of the council: a sitting (họp trực tiếp: date, time, place, chair, secretary, attendance) or a
    written consultation (lấy ý kiến bằng văn bản: members answer on their own time until ``deadline``).

    ``date`` is the day of the sitting, or the day a consultation is sent: the voting rules in force on it apply.
    """

    council = models.ForeignKey(Council, verbose_name=_("Hội đồng"), on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("hình thức"), max_length=8, choices=MeetingKind.choices, default=MeetingKind.SITTING)
    title = models.CharField(_("nội dung phiên họp"), max_length=300)
    date = models.DateField(_("ngày họp, ngày gửi lấy ý kiến"), validators=[validate_date_bounds])
    start_time = models.TimeField(_("giờ họp"), null=True, blank=True)
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)
    deadline = models.DateTimeField(_("hạn trả lời"), null=True, blank=True,
                                    help_text=_("Lấy ý kiến bằng văn bản: thành viên trả lời trước thời điểm này."))
    chair = models.ForeignKey(CouncilMember, verbose_name=_("chủ trì"), on_delete=models.PROTECT, related_name="+")
    secretary = models.ForeignKey(CouncilMember, verbose_name=_("thư ký"), on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("trạng thái"), max_length=12, choices=MeetingState.choices, default=MeetingState.DRAFT)
    note = models.TextField(_("ghi chú"), blank=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("phiên họp Hội đồng")
        verbose_name_plural = _("phiên họp Hội đồng")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind="sitting") | Q(deadline__isnull=False), name="meeting_written_has_deadline",
                                   violation_error_message=_("Lấy ý kiến bằng văn bản phải có hạn trả lời.")),
            models.CheckConstraint(condition=~Q(chair=models.F("secretary")), name="meeting_chair_not_secretary",
                                   violation_error_message=_("Người chủ trì và thư ký phải là hai người khác nhau.")),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.kind == MeetingKind.SITTING:
            if self.start_time is None:
                errors["start_time"] = [_("Hãy ghi giờ họp.")]
            if not (self.place or "").strip():
                errors["place"] = [_("Hãy ghi địa điểm họp.")]
        elif self.deadline is None:
            errors["deadline"] = [_("Lấy ý kiến bằng văn bản phải có hạn trả lời.")]
        elif self.date and timezone.localtime(self.deadline).date() < self.date:
            errors["deadline"] = [_("Hạn trả lời không được trước ngày gửi lấy ý kiến.")]
        preparing = self.state in (MeetingState.DRAFT, MeetingState.SCHEDULED)
        for field in ("chair", "secretary"):
            member = getattr(self, field) if getattr(self, f"{field}_id") else None
            if member is None or not self.council_id:
                continue
            if member.council_id != self.council_id or (preparing and not member.active):
                errors[field] = [_("%(member)s không phải thành viên đang hoạt động của Hội đồng này.") % {"member": member}]
        if self.chair_id and self.chair_id == self.secretary_id:
            errors["secretary"] = [_("Người chủ trì và thư ký phải là hai người khác nhau.")]
        elif self.chair_id and "chair" not in errors and not self.chair.votes:
            errors["chair"] = [_("Người chủ trì phải là thành viên có quyền biểu quyết.")]
        if preparing and self.council_id and self.date and not self.council.covers(self.date):
            errors["date"] = [_("Ngày %(date)s nằm ngoài nhiệm kỳ của Hội đồng.") % {"date": self.date.strftime("%d/%m/%Y")}]
        if errors:
            raise ValidationError(errors)

    @property
    def is_sitting(self):
        return self.kind == MeetingKind.SITTING

    @property
    def is_written(self):
        return self.kind == MeetingKind.WRITTEN


class Attendance(models.Model):
    """The roll: one row per member of the council when the meeting was called, with their attendance (a sitting)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("phiên họp"), on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(CouncilMember, verbose_name=_("thành viên"), on_delete=models.PROTECT, related_name="attendances")
    status = models.CharField(_("tình trạng"), max_length=8, choices=AttendanceStatus.choices, default=AttendanceStatus.ABSENT)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("thành phần tham dự")
        verbose_name_plural = _("thành phần tham dự")
        ordering = ["meeting", "member__sort_order", "member_id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once_per_member")]

    def __str__(self):
        return f"{self.member}: {self.get_status_display()}"


class AgendaItem(models.Model):
    """One nomination on the agenda (the page groups items by title or form). Closing its vote moves the nomination to
    “Hội đồng thông qua” or “Hội đồng không thông qua”; a deferred item let the nomination go back to the office."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("phiên họp"), on_delete=models.PROTECT, related_name="items")
    nomination = models.ForeignKey(Nomination, verbose_name=_("đề nghị"), on_delete=models.PROTECT, related_name="council_items")
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    state = models.CharField(_("trạng thái"), max_length=8, choices=ItemState.choices, default=ItemState.PENDING)
    outcome = models.CharField(_("kết quả"), max_length=8, choices=Outcome.choices, blank=True)

    class Meta:
        verbose_name = _("nội dung xét")
        verbose_name_plural = _("nội dung xét")
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "nomination"], name="item_once_per_meeting",
                                    violation_error_message=_("Đề nghị này đã có trong chương trình phiên họp.")),
            models.UniqueConstraint(fields=["nomination"], condition=~Q(state="deferred"), name="item_one_live_per_nomination",
                                    violation_error_message=_("Đề nghị này đang ở chương trình một phiên họp khác.")),
            models.CheckConstraint(condition=(Q(state="closed") & ~Q(outcome="")) | (~Q(state="closed") & Q(outcome="")),
                                   name="item_outcome_when_closed",
                                   violation_error_message=_("Chỉ mục đã biểu quyết mới có kết quả.")),
        ]

    def __str__(self):
        return str(self.nomination)

    @property
    def award(self):
        return self.nomination.award

    @property
    def scope_unit_id(self):
        """The unit that proposed the nomination (role scoping, ``tdkt.roles``)."""
        return self.nomination.scope_unit_id


class Recusal(models.Model):
    """A member left out of one item (không tham gia xét): automatically (the nominee, or a member of the nominated
    unit or its head on the round's reference date) or by hand with a reason. Recused members are out of the base."""

    item = models.ForeignKey(AgendaItem, verbose_name=_("nội dung xét"), on_delete=models.CASCADE, related_name="recusals")
    member = models.ForeignKey(CouncilMember, verbose_name=_("thành viên"), on_delete=models.PROTECT, related_name="recusals")
    automatic = models.BooleanField(_("tự động"), default=False)
    reason = models.TextField(_("lý do"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người ghi"), on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")

    class Meta:
        verbose_name = _("thành viên không tham gia xét")
        verbose_name_plural = _("thành viên không tham gia xét")
        ordering = ["item", "member__sort_order", "member_id"]
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="recusal_once_per_item")]

    def __str__(self):
        return f"{self.member}: {self.reason}"


class ItemReading(models.Model):
    """A member opened an item's dossier (the office sees who has read what before the meeting)."""

    item = models.ForeignKey(AgendaItem, verbose_name=_("nội dung xét"), on_delete=models.CASCADE, related_name="readings")
    member = models.ForeignKey(CouncilMember, verbose_name=_("thành viên"), on_delete=models.PROTECT, related_name="+")
    first_opened_at = models.DateTimeField(_("mở lần đầu lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lượt xem hồ sơ")
        verbose_name_plural = _("lượt xem hồ sơ")
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="reading_once_per_member")]

    def __str__(self):
        return f"{self.member} – {self.item}"


class ItemComment(models.Model):
    """A member's comment on an item, for the meeting."""

    item = models.ForeignKey(AgendaItem, verbose_name=_("nội dung xét"), on_delete=models.CASCADE, related_name="comments")
    member = models.ForeignKey(CouncilMember, verbose_name=_("thành viên"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("ý kiến"))
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("ý kiến về hồ sơ")
        verbose_name_plural = _("ý kiến về hồ sơ")
        ordering = ["item", "created_at", "id"]

    def __str__(self):
        return f"{self.member}: {self.text[:50]}"
