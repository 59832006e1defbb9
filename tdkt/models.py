import uuid

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import AuditAction, NotificationKind
from .roles import Role, is_admin_user, is_council_member, is_office_user, is_unit_head


class User(AbstractUser):
    """A person who logs in. The role decides what they see; unit heads are tied to one unit."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices, default=Role.COUNCIL)
    unit = models.ForeignKey(
        "movements.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Bắt buộc với vai trò Trưởng đơn vị: người dùng chỉ thấy dữ liệu của đơn vị này."),
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.UNIT) | Q(unit__isnull=False),
                name="user_unit_role_needs_unit",
                violation_error_message=_("Tài khoản Trưởng đơn vị phải gắn với một đơn vị."),
            )
        ]

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self):
        return self.full_name or self.username

    @property
    def scope_unit_id(self):
        """For :mod:`tdkt.roles`: a unit's account belongs to its unit (office, council, admin accounts to none)."""
        return self.unit_id

    @property
    def is_office(self):
        return is_office_user(self)

    @property
    def is_admin_role(self):
        return is_admin_user(self)

    @property
    def is_council_member(self):
        return is_council_member(self)

    @property
    def is_unit_head(self):
        return is_unit_head(self)


class AuditEvent(models.Model):
    """Append-only journal of every write made through a service.

    Rows are never edited or deleted by the application: there is no update or
    delete service, the admin is read-only and ``save()`` refuses updates.
    """

    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("người thực hiện"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    action = models.CharField(_("hành động"), max_length=16, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("đối tượng"), max_length=255)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    from_state = models.CharField(_("từ trạng thái"), max_length=32, blank=True)
    to_state = models.CharField(_("sang trạng thái"), max_length=32, blank=True)
    reason = models.TextField(_("lý do"), blank=True)

    class Meta:
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = _("nhật ký thay đổi")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("AuditEvent is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("AuditEvent is append-only")


class ExportJob(models.Model):
    """A long export made by the task worker; only the user who asked may download it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ")
        RUNNING = "running", _("Đang tạo tệp")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Lỗi")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="export_jobs")
    key = models.CharField(max_length=50)
    fmt = models.CharField(max_length=4)
    params = models.JSONField(default=dict, blank=True)
    rows = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to="exports/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    title = models.CharField(_("tệp gì"), max_length=300, blank=True, help_text=_("Trang của tệp ghi rõ đang tạo tệp gì."))
    back_url = models.CharField(_("trang quay lại"), max_length=500, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tệp xuất dữ liệu")
        verbose_name_plural = _("tệp xuất dữ liệu")
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename or str(self.pk)


class PeriodicJob(models.Model):
    """The last run of one periodic job of the task worker (``tdkt/periodic.py``); one row per job name.

    A run claims its row (``last_started_at``) in a short locked transaction before it starts, so two
    workers never run the same job in the same interval.
    """

    name = models.CharField(_("tên công việc"), max_length=100, unique=True)
    last_started_at = models.DateTimeField(_("lần chạy gần nhất"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    last_ok = models.BooleanField(_("thành công"), null=True)
    last_message = models.TextField(_("kết quả"), blank=True)
    last_duration_ms = models.PositiveIntegerField(_("thời gian (ms)"), null=True, blank=True)
    runs = models.PositiveIntegerField(_("số lần chạy"), default=0)

    class Meta:
        verbose_name = _("công việc định kỳ")
        verbose_name_plural = _("công việc định kỳ")
        ordering = ["name"]

    def __str__(self):
        return self.name


class WorkerHeartbeat(models.Model):
    """The task worker's heartbeat: one row (``pk=1``), written by every run of the periodic task.

    ``/healthz`` reads it. Its row lock also serialises the scheduling of the periodic task, so two
    workers never queue it twice.
    """

    SINGLETON = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON, editable=False)
    beat_at = models.DateTimeField(_("lần gần nhất"), null=True, blank=True)
    worker_id = models.CharField(_("tiến trình"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("nhịp của tiến trình tác vụ nền")
        verbose_name_plural = _("nhịp của tiến trình tác vụ nền")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="worker_heartbeat_singleton")]

    def __str__(self):
        return f"{self.beat_at or '-'}"


class DocumentSeries(models.Model):
    """One numbering series of official documents: per issuer, per kind (QĐ, TTr, BB…), per calendar year.

    ``last_number`` is the last number taken; ``tdkt.numbering.number_next`` locks the row and takes the next one
    inside the caller's transaction (a rolled-back document gives its number back: no gap, no duplicate).
    """

    issuer_code = models.CharField(_("ký hiệu cơ quan ban hành"), max_length=20)
    kind = models.CharField(_("loại văn bản"), max_length=10)
    year = models.PositiveSmallIntegerField(_("năm"))
    last_number = models.PositiveIntegerField(_("số cuối đã cấp"), default=0)

    class Meta:
        verbose_name = _("sổ đăng ký văn bản")
        verbose_name_plural = _("sổ đăng ký văn bản")
        ordering = ["-year", "issuer_code", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["issuer_code", "kind", "year"], name="document_series_unique"),
        ]

    def __str__(self):
        return f"{self.kind}-{self.issuer_code} {self.year}: {self.last_number}"
class Notification(models.Model):
    """One message of a user's inbox (issue 13), written by the subscribers of the workflow events and by the reminder
    jobs (``tdkt/notifications.py``). ``key`` makes a reminder idempotent: one row per recipient and key."""

    recipient = models.ForeignKey(User, verbose_name=_("người nhận"), on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("loại"), max_length=16, choices=NotificationKind.choices)
    text = models.TextField(_("nội dung"))
    link = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    key = models.CharField(_("khoá chống trùng"), max_length=120, blank=True)
    created = models.DateTimeField(_("lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"]), models.Index(fields=["recipient", "-created", "-id"])]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], condition=~Q(key=""), name="notification_once_per_key")]

    def __str__(self):
        return self.text[:80]

    @property
    def scope_unit_id(self):
        """A notification belongs to its recipient's unit (role scoping, ``tdkt.roles``); only the recipient reads it."""
        return self.recipient.unit_id


class NotificationPreference(models.Model):
    """A user's choice of e-mail for one kind of notification (no row: e-mail on)."""

    user = models.ForeignKey(User, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(_("loại"), max_length=16, choices=NotificationKind.choices)
    email = models.BooleanField(_("gửi thư điện tử"), default=True)

    class Meta:
        verbose_name = _("tuỳ chọn thông báo")
        verbose_name_plural = _("tuỳ chọn thông báo")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")]

    def __str__(self):
        return f"{self.user} – {self.kind}"
