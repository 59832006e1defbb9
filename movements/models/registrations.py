"""Registration (đăng ký thi đua): the yearly window, each unit's registration, its entries and initiatives."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tdkt.validators import validate_date_bounds

from ..enums import RegistrationState
from .organisation import Person, Unit


class RegistrationWindow(models.Model):
    """The office opens registration for a year; units fill their registration between the dates."""

    year = models.PositiveSmallIntegerField(_("năm đăng ký"), unique=True, error_messages={
        "unique": _("Đã có đợt đăng ký thi đua cho năm này.")})
    opens_on = models.DateField(_("mở từ ngày"), validators=[validate_date_bounds])
    closes_on = models.DateField(_("hạn cuối"), validators=[validate_date_bounds])
    required_for_nomination = models.BooleanField(
        _("bắt buộc đăng ký trước khi đề nghị"), default=True,
        help_text=_("Nếu chọn: chỉ xét đề nghị danh hiệu cho tập thể, cá nhân đã đăng ký và được duyệt trong năm."))
    note = models.TextField(_("ghi chú, căn cứ"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đợt đăng ký thi đua")
        verbose_name_plural = _("đợt đăng ký thi đua")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="registration_window_ordered",
                                   violation_error_message=_("Hạn cuối phải từ ngày mở trở đi.")),
            models.CheckConstraint(condition=Q(year__gte=1990, year__lte=2100), name="registration_window_year_range",
                                   violation_error_message=_("Năm không hợp lệ.")),
        ]

    def __str__(self):
        return _("Đăng ký thi đua năm %(year)s") % {"year": self.year}

    def clean(self):
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("Hạn cuối phải từ ngày mở trở đi.")})

    def is_open_on(self, date):
        return self.opens_on <= date <= self.closes_on


class Registration(models.Model):
    """One unit's registration for a year: its collective title, its members' titles, its initiatives."""

    window = models.ForeignKey(RegistrationWindow, verbose_name=_("đợt đăng ký"), on_delete=models.PROTECT,
                               related_name="registrations")
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="registrations")
    unit_title = models.ForeignKey("nominations.EmulationTitle", verbose_name=_("danh hiệu tập thể đăng ký"),
                                   on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    state = models.CharField(_("trạng thái"), max_length=12, choices=RegistrationState.choices,
                             default=RegistrationState.DRAFT)
    note = models.TextField(_("ghi chú"), blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("duyệt / trả lại lúc"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiếu đăng ký thi đua")
        verbose_name_plural = _("phiếu đăng ký thi đua")
        ordering = ["window", "unit__sort_order", "unit__sort_name"]
        constraints = [
            models.UniqueConstraint(fields=["window", "unit"], name="registration_one_per_unit_year",
                                    violation_error_message=_("Đơn vị đã có phiếu đăng ký của năm này.")),
        ]

    def __str__(self):
        return _("Đăng ký thi đua %(year)s – %(unit)s") % {"year": self.window.year, "unit": self.unit}

    @property
    def scope_unit_id(self):
        """For :mod:`tdkt.roles`: a registration belongs to its unit."""
        return self.unit_id

    @property
    def is_editable(self):
        return self.state in (RegistrationState.DRAFT, RegistrationState.RETURNED)

    def clean(self):
        if self.unit_title_id and self.unit_title.subject_kind not in ("unit", "both"):
            raise ValidationError({"unit_title": _("“%(title)s” là danh hiệu cá nhân, không đăng ký cho tập thể.")
                                   % {"title": self.unit_title}})


class RegistrationEntry(models.Model):
    """The individual title one member of the unit aims for."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="entries")
    person = models.ForeignKey(Person, verbose_name=_("cá nhân"), on_delete=models.PROTECT, related_name="registrations")
    title = models.ForeignKey("nominations.EmulationTitle", verbose_name=_("danh hiệu đăng ký"),
                              on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("cá nhân đăng ký")
        verbose_name_plural = _("cá nhân đăng ký")
        ordering = ["registration", "person__unit__sort_order", "-person__is_head", "-person__is_leadership", "person__sort_name"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "person"], name="registration_entry_one_per_person",
                                    violation_error_message=_("Cá nhân này đã có trong phiếu đăng ký.")),
        ]

    def __str__(self):
        return f"{self.person} – {self.title}"

    @property
    def scope_unit_id(self):
        return self.registration.unit_id if self.registration_id else None

    def clean(self):
        if self.title_id and self.title.subject_kind not in ("person", "both"):
            raise ValidationError({"title": _("“%(title)s” là danh hiệu tập thể, không đăng ký cho cá nhân.")
                                   % {"title": self.title}})
        if self.person_id and self.registration_id and self.person.unit_id != self.registration.unit_id:
            raise ValidationError({"person": _("%(name)s không thuộc %(unit)s.")
                                   % {"name": self.person, "unit": self.registration.unit}})


class RegisteredInitiative(models.Model):
    """A sáng kiến the unit registers for the year, with the person who owns it."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="initiatives")
    title = models.CharField(_("tên sáng kiến"), max_length=500)
    owner = models.ForeignKey(Person, verbose_name=_("tác giả"), on_delete=models.PROTECT, related_name="registered_initiatives")

    class Meta:
        verbose_name = _("sáng kiến đăng ký")
        verbose_name_plural = _("sáng kiến đăng ký")
        ordering = ["registration", "id"]

    def __str__(self):
        return self.title

    @property
    def scope_unit_id(self):
        return self.registration.unit_id if self.registration_id else None

    def clean(self):
        if self.owner_id and self.registration_id and self.owner.unit_id != self.registration.unit_id:
            raise ValidationError({"owner": _("%(name)s không thuộc %(unit)s.")
                                   % {"name": self.owner, "unit": self.registration.unit}})
