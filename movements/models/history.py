"""Change requests for a person's position history at a past date (issue 8).

A unit head cannot rewrite history to pass a rule: a change of posts or a departure dated before today is
filed as a :class:`HistoryChangeRequest` with a reason; the office approves it (the change is applied then,
by the change-request workflow, and audited) or refuses it with a reason.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tdkt.validators import validate_date_bounds

from ..enums import HistoryChangeKind, HistoryChangeState
from .organisation import Person, Unit


class HistoryChangeRequest(models.Model):
    """Đề nghị điều chỉnh quá trình công tác: one backdated change of one person, waiting for the office."""

    person = models.ForeignKey(Person, verbose_name=_("cá nhân"), on_delete=models.PROTECT, related_name="history_changes")
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị đề nghị"), on_delete=models.PROTECT, related_name="+",
                             help_text=_("Đơn vị của cá nhân khi gửi đề nghị."))
    kind = models.CharField(_("nội dung"), max_length=12, choices=HistoryChangeKind.choices)
    effective_date = models.DateField(_("có hiệu lực từ ngày"), validators=[validate_date_bounds])
    new_unit = models.ForeignKey(Unit, verbose_name=_("đơn vị mới"), on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    title = models.CharField(_("chức vụ mới"), max_length=150, blank=True)
    is_leadership = models.BooleanField(_("lãnh đạo, quản lý"), default=False)
    is_head = models.BooleanField(_("người đứng đầu"), default=False)
    reason = models.TextField(_("lý do, căn cứ"), blank=True)  # required, by clean(): one clear message
    state = models.CharField(_("trạng thái"), max_length=12, choices=HistoryChangeState.choices,
                             default=HistoryChangeState.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người gửi"), on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người xử lý"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("xử lý lúc"), null=True, blank=True)
    decision_reason = models.TextField(_("ý kiến của Văn phòng"), blank=True)

    class Meta:
        verbose_name = _("đề nghị điều chỉnh quá trình công tác")
        verbose_name_plural = _("đề nghị điều chỉnh quá trình công tác")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(state="pending"), name="history_change_one_pending_per_person",
                                    violation_error_message=_("Cá nhân này đã có một đề nghị điều chỉnh đang chờ Văn phòng duyệt.")),
            models.CheckConstraint(condition=~Q(kind="position") | Q(new_unit__isnull=False), name="history_change_position_has_unit",
                                   violation_error_message=_("Hãy chọn đơn vị của chức vụ mới.")),
            models.CheckConstraint(condition=Q(is_head=False) | Q(is_leadership=True), name="history_change_head_is_leadership",
                                   violation_error_message=_("Người đứng đầu đơn vị phải là chức vụ lãnh đạo, quản lý.")),
        ]

    def __str__(self):
        return _("Đề nghị điều chỉnh số %(id)s: %(kind)s – %(person)s") % {
            "id": self.pk or "…", "kind": self.get_kind_display(), "person": self.person}

    @property
    def scope_unit_id(self):
        """For :mod:`tdkt.roles`: the request belongs to the unit that filed it."""
        return self.unit_id

    def clean(self):
        errors = {}
        if not (self.reason or "").strip():
            errors["reason"] = _("Thay đổi lùi ngày cần ghi lý do, căn cứ để Văn phòng Sở xem xét.")
        if self.kind == HistoryChangeKind.POSITION and not self.new_unit_id:
            errors["new_unit"] = _("Hãy chọn đơn vị của chức vụ mới.")
        if errors:
            raise ValidationError(errors)
