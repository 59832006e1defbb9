"""A large Excel import run by the task worker (``nominations.import_jobs``): the uploaded file, who asked, where
the list goes, and its progress for the page that follows it."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from movements.api import Unit

from .rounds import NominationRound


class ImportJob(models.Model):
    """A unit's nomination list too long to save within a request: the worker reads the file again, checks it again
    (permission, round, rules) and saves all of it or nothing. Only the user who asked sees it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ")
        READING = "reading", _("Đang đọc và đối chiếu")
        SAVING = "saving", _("Đang kiểm tra và lưu")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Lỗi")

    RUNNING = (Status.PENDING, Status.READING, Status.SAVING)

    id = models.UUIDField(_("mã"), primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người nhập"), on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(NominationRound, verbose_name=_("đợt đề nghị"), on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")
    file = models.FileField(_("tệp"), upload_to="import_jobs/", blank=True)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    override_reason = models.TextField(_("lý do vượt cảnh báo"), blank=True)
    rows = models.PositiveIntegerField(_("số dòng"), default=0)
    done_rows = models.PositiveIntegerField(_("số dòng đã đọc"), default=0)
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.PENDING)
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    created_count = models.PositiveIntegerField(_("số đề nghị đã tạo"), default=0)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lượt nhập danh sách")
        verbose_name_plural = _("lượt nhập danh sách")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name} ({self.rows} dòng)"

    @property
    def scope_unit_id(self):
        """The unit it belongs to (role scoping, ``tdkt.roles``); the page itself is its owner's only."""
        return self.unit_id

    @property
    def running(self):
        return self.status in self.RUNNING

    @property
    def percent(self):
        return min(100, round(100 * self.done_rows / self.rows)) if self.rows else 0
