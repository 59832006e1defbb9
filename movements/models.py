import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tdkt.uploads import storage_name

from .enums import (
    AcclamationState,
    CampaignDocumentKind,
    CampaignKind,
    CampaignLevel,
    CampaignStatus,
    ClusterState,
    CriterionKind,
    DisciplineKind,
    Gender,
    Rating,
    RegistrationState,
    UnitKind,
)


class AgencyProfile(models.Model):
    """The agency that uses the product, as printed on its documents (one row).

    Nothing in code names a particular Sở: another agency changes this row only.
    """

    name = models.CharField(_("tên cơ quan"), max_length=200, help_text=_("Ví dụ: Sở Khoa học và Công nghệ"))
    parent_name = models.CharField(
        _("cơ quan chủ quản"), max_length=200, help_text=_("Ví dụ: UBND tỉnh Hưng Yên")
    )
    doc_code = models.CharField(
        _("ký hiệu viết tắt"), max_length=20, help_text=_("Dùng trong số văn bản, ví dụ: SKHCN → 05/QĐ-SKHCN")
    )
    place_name = models.CharField(_("địa danh"), max_length=100, help_text=_("Dùng khi ghi ngày tháng: Hưng Yên, ngày …"))
    director_title = models.CharField(_("chức danh người ký"), max_length=100, default="Giám đốc")
    director_name = models.CharField(_("họ tên người ký"), max_length=150, blank=True)
    singleton = models.BooleanField(default=True, editable=False, unique=True)

    class Meta:
        verbose_name = _("thông tin cơ quan")
        verbose_name_plural = _("thông tin cơ quan")
        constraints = [models.CheckConstraint(condition=Q(singleton=True), name="agency_profile_single_row")]

    def __str__(self):
        return self.name

    @property
    def name_upper(self):
        return self.name.upper()

    @property
    def parent_name_upper(self):
        return self.parent_name.upper()


class Unit(models.Model):
    """The agency itself and its phòng chuyên môn, đơn vị thuộc and đơn vị trực thuộc (a tree)."""

    name = models.CharField(_("tên đơn vị"), max_length=200)
    short_code = models.CharField(_("mã viết tắt"), max_length=20, unique=True)
    kind = models.CharField(_("loại đơn vị"), max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("đơn vị cấp trên"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="children",
    )
    active = models.BooleanField(_("đang hoạt động"), default=True)
    sort_order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "parent"], name="unit_name_unique_per_parent"),
            models.CheckConstraint(
                condition=Q(kind="agency") | Q(parent__isnull=False),
                name="unit_non_agency_has_parent",
                violation_error_message=_("Phòng, đơn vị phải thuộc một đơn vị cấp trên."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id and self.pk:
            node, seen = self.parent, set()
            while node is not None and node.pk not in seen:
                if node.pk == self.pk:
                    raise ValidationError({"parent": _("Đơn vị cấp trên không được là chính đơn vị này hoặc đơn vị cấp dưới của nó.")})
                seen.add(node.pk)
                node = node.parent
        if self.kind != UnitKind.AGENCY and not self.parent_id:
            raise ValidationError({"parent": _("Phòng, đơn vị phải thuộc một đơn vị cấp trên.")})

    @property
    def head(self):
        """The person currently holding this unit's head post (from the position history)."""
        assignment = (
            self.positions.filter(is_head=True, end_date__isnull=True).select_related("person").first()
        )
        return assignment.person if assignment else None


class Person(models.Model):
    """A civil servant, public employee or worker of a unit.

    ``unit``, ``position_title``, ``is_leadership`` and ``is_head`` mirror the
    open :class:`PositionAssignment`; rules judged at a date read the history.
    """

    full_name = models.CharField(_("họ và tên"), max_length=150)
    name_folded = models.CharField(max_length=150, editable=False, db_index=True)
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="people")
    position_title = models.CharField(_("chức vụ"), max_length=150, blank=True)
    is_leadership = models.BooleanField(
        _("giữ chức vụ lãnh đạo, quản lý"), default=False,
        help_text=_("Dùng cho quy định tỷ lệ lãnh đạo, quản lý không quá 40%."),
    )
    is_head = models.BooleanField(_("là người đứng đầu đơn vị"), default=False)
    active = models.BooleanField(_("đang công tác"), default=True)

    class Meta:
        verbose_name = _("cá nhân")
        verbose_name_plural = _("cá nhân")
        ordering = ["unit__sort_order", "-is_head", "-is_leadership", "full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_head=False) | Q(is_leadership=True),
                name="person_head_is_leadership",
                violation_error_message=_("Người đứng đầu đơn vị phải là chức vụ lãnh đạo, quản lý."),
            ),
        ]

    def __str__(self):
        return self.full_name

    def clean(self):
        if self.date_of_birth and self.date_of_birth > datetime.date.today():
            raise ValidationError({"date_of_birth": _("Ngày sinh không được ở tương lai.")})
        if self.date_of_birth and self.date_of_birth.year < 1930:
            raise ValidationError({"date_of_birth": _("Ngày sinh không hợp lệ.")})
        if self.unit_id and not self.unit.active and self.active:
            raise ValidationError({"unit": _("Đơn vị này đã ngừng hoạt động.")})


class PositionAssignment(models.Model):
    """Who held which post in which unit, from when to when (end empty = still holds it)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="positions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="positions")
    title = models.CharField(_("chức vụ"), max_length=150, blank=True)
    is_leadership = models.BooleanField(_("lãnh đạo, quản lý"), default=False)
    is_head = models.BooleanField(_("người đứng đầu"), default=False)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("quá trình công tác")
        verbose_name_plural = _("quá trình công tác")
        ordering = ["person", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="position_end_after_start",
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu."),
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(end_date__isnull=True), name="position_one_open_per_person",
                violation_error_message=_("Mỗi người chỉ có một chức vụ hiện tại."),
            ),
            models.UniqueConstraint(
                fields=["unit"], condition=Q(end_date__isnull=True, is_head=True), name="position_one_head_per_unit",
                violation_error_message=_("Đơn vị này đã có người đứng đầu."),
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.title} ({self.unit})"

    def covers(self, date):
        return self.start_date <= date and (self.end_date is None or date <= self.end_date)


class SubjectMixin(models.Model):
    """A record about exactly one subject: a person or a unit."""

    person = models.ForeignKey(Person, verbose_name=_("cá nhân"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("tập thể"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        abstract = True

    @property
    def subject(self):
        return self.person or self.unit

    def clean(self):
        if bool(self.person_id) == bool(self.unit_id):
            raise ValidationError(_("Chọn đúng một đối tượng: cá nhân hoặc tập thể."))


def _one_subject(name):
    return models.CheckConstraint(
        condition=(Q(person__isnull=False, unit__isnull=True) | Q(person__isnull=True, unit__isnull=False)),
        name=name,
        violation_error_message=_("Chọn đúng một đối tượng: cá nhân hoặc tập thể."),
    )


class PerformanceRating(SubjectMixin):
    """Yearly rating (xếp loại chất lượng) of a person or a unit."""

    person = models.ForeignKey(Person, verbose_name=_("cá nhân"), on_delete=models.PROTECT, null=True, blank=True, related_name="ratings")
    unit = models.ForeignKey(Unit, verbose_name=_("tập thể"), on_delete=models.PROTECT, null=True, blank=True, related_name="ratings")
    year = models.PositiveSmallIntegerField(_("năm"))
    rating = models.CharField(_("xếp loại"), max_length=8, choices=Rating.choices)

    class Meta:
        verbose_name = _("xếp loại chất lượng")
        verbose_name_plural = _("xếp loại chất lượng")
        ordering = ["-year"]
        constraints = [
            _one_subject("rating_one_subject"),
            models.UniqueConstraint(fields=["person", "year"], name="rating_person_year",
                                    violation_error_message=_("Cá nhân này đã có xếp loại của năm này.")),
            models.UniqueConstraint(fields=["unit", "year"], name="rating_unit_year",
                                    violation_error_message=_("Tập thể này đã có xếp loại của năm này.")),
            models.CheckConstraint(condition=Q(year__gte=1990, year__lte=2100), name="rating_year_range",
                                   violation_error_message=_("Năm không hợp lệ.")),
        ]

    def __str__(self):
        return f"{self.subject} – {self.year}: {self.get_rating_display()}"


class DisciplineRecord(SubjectMixin):
    """A discipline measure or a hold (review, investigation, complaint) over a period."""

    person = models.ForeignKey(Person, verbose_name=_("cá nhân"), on_delete=models.PROTECT, null=True, blank=True, related_name="disciplines")
    unit = models.ForeignKey(Unit, verbose_name=_("tập thể"), on_delete=models.PROTECT, null=True, blank=True, related_name="disciplines")
    kind = models.CharField(_("hình thức"), max_length=16, choices=DisciplineKind.choices)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"), null=True, blank=True, help_text=_("Để trống nếu chưa kết thúc."))
    reason = models.TextField(_("lý do, căn cứ"))

    class Meta:
        verbose_name = _("kỷ luật, tạm dừng xét")
        verbose_name_plural = _("kỷ luật, tạm dừng xét")
        ordering = ["-start_date"]
        constraints = [
            _one_subject("discipline_one_subject"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="discipline_end_after_start",
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu."),
            ),
        ]

    def __str__(self):
        return f"{self.subject} – {self.get_kind_display()}"

    def covers(self, date):
        return self.start_date <= date and (self.end_date is None or date <= self.end_date)


class Campaign(models.Model):
    """Phong trào thi đua: launched by the Prime Minister, the province or the Sở itself."""

    name = models.CharField(_("tên phong trào"), max_length=500)
    level = models.CharField(_("cấp phát động"), max_length=16, choices=CampaignLevel.choices)
    kind = models.CharField(_("loại"), max_length=10, choices=CampaignKind.choices)
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(_("đến năm"))
    lead_unit = models.ForeignKey(Unit, verbose_name=_("đơn vị chủ trì"), on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="led_campaigns")
    description = models.TextField(_("mô tả"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    launched_on = models.DateField(_("ngày phát động"), null=True, blank=True)
    interim_review_on = models.DateField(_("ngày sơ kết"), null=True, blank=True)
    final_review_on = models.DateField(_("ngày tổng kết"), null=True, blank=True)
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phong trào thi đua")
        verbose_name_plural = _("phong trào thi đua")
        ordering = ["-start_year", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")), name="campaign_period_ordered",
                                   violation_error_message=_("Năm kết thúc phải từ năm bắt đầu trở đi.")),
        ]

    def __str__(self):
        return self.name

    @property
    def period(self):
        return f"{self.start_year}–{self.end_year}" if self.end_year != self.start_year else str(self.start_year)

    def covers_year(self, year):
        return self.start_year <= year <= self.end_year

    def clean(self):
        errors = {}
        for name in ("start_year", "end_year"):
            value = getattr(self, name)
            if value is not None and not 1990 <= value <= 2100:
                errors[name] = _("Năm không hợp lệ.")
        if self.start_year and self.end_year and self.end_year < self.start_year:
            errors["end_year"] = _("Năm kết thúc phải từ năm bắt đầu trở đi.")
        # The milestone dates follow the workflow order: phát động ≤ sơ kết ≤ tổng kết ≤ kết thúc.
        previous = None
        for name in CAMPAIGN_DATE_FIELDS:
            value = getattr(self, name)
            if value is None:
                continue
            if previous is not None and value < previous[1]:
                errors[name] = _("%(this)s không được trước %(prev)s (%(date)s).") % {
                    "this": self._meta.get_field(name).verbose_name.capitalize(),
                    "prev": self._meta.get_field(previous[0]).verbose_name,
                    "date": previous[1].strftime("%d/%m/%Y")}
            previous = (name, value)
        if errors:
            raise ValidationError(errors)


# The date recorded when a campaign enters each state, in workflow order.
CAMPAIGN_DATE_FIELDS = ["launched_on", "interim_review_on", "final_review_on", "closed_on"]
CAMPAIGN_STATE_DATE = {
    CampaignStatus.LAUNCHED: "launched_on",
    CampaignStatus.INTERIM_REVIEW: "interim_review_on",
    CampaignStatus.FINAL_REVIEW: "final_review_on",
    CampaignStatus.CLOSED: "closed_on",
}


def campaign_document_path(instance, filename):
    return storage_name(f"campaigns/{instance.campaign_id}", filename)


class CampaignDocument(models.Model):
    """A typed attachment of a campaign (plan, launch letter, interim/final review report…)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("loại văn bản"), max_length=16, choices=CampaignDocumentKind.choices)
    title = models.CharField(_("trích yếu"), max_length=500)
    number = models.CharField(_("số, ký hiệu"), max_length=50, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    file = models.FileField(_("tệp"), upload_to=campaign_document_path, blank=True, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("văn bản của phong trào")
        verbose_name_plural = _("văn bản của phong trào")
        ordering = ["campaign", "issued_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"


# ---------------------------------------------------------------- registration (đăng ký thi đua)

class RegistrationWindow(models.Model):
    """The office opens registration for a year; units fill their registration between the dates."""

    year = models.PositiveSmallIntegerField(_("năm đăng ký"), unique=True, error_messages={
        "unique": _("Đã có đợt đăng ký thi đua cho năm này.")})
    opens_on = models.DateField(_("mở từ ngày"))
    closes_on = models.DateField(_("hạn cuối"))
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
        ordering = ["window", "unit__sort_order", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["window", "unit"], name="registration_one_per_unit_year",
                                    violation_error_message=_("Đơn vị đã có phiếu đăng ký của năm này.")),
        ]

    def __str__(self):
        return _("Đăng ký thi đua %(year)s – %(unit)s") % {"year": self.window.year, "unit": self.unit}

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
        ordering = ["registration", "person__unit__sort_order", "-person__is_head", "-person__is_leadership", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "person"], name="registration_entry_one_per_person",
                                    violation_error_message=_("Cá nhân này đã có trong phiếu đăng ký.")),
        ]

    def __str__(self):
        return f"{self.person} – {self.title}"

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

    def clean(self):
        if self.owner_id and self.registration_id and self.owner.unit_id != self.registration.unit_id:
            raise ValidationError({"owner": _("%(name)s không thuộc %(unit)s.")
                                   % {"name": self.owner, "unit": self.registration.unit}})


# ---------------------------------------------------------------- clusters (cụm, khối thi đua)

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
    pact_signed_on = models.DateField(_("ngày ký giao ước"), null=True, blank=True)
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
        ordering = ["cluster", "unit__sort_order", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["cluster", "unit"], name="cluster_member_once")]

    def __str__(self):
        return f"{self.unit} – {self.cluster}"


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

    def clean(self):
        errors = {}
        maximum = self.criterion.max_score if self.criterion_id else None
        for name in ("self_score", "agreed_score"):
            value = getattr(self, name)
            if value is None:
                continue
            if value < 0:
                errors[name] = _("Tiêu chí “%(name)s”: điểm không được âm.") % {"name": self.criterion}
            elif maximum is not None and value > maximum:
                errors[name] = _("Tiêu chí “%(name)s”: điểm %(value)s vượt điểm tối đa %(max)s.") % {
                    "name": self.criterion, "value": format_score(value), "max": format_score(maximum)}
        if errors:
            raise ValidationError(errors)


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
    year = models.PositiveSmallIntegerField(_("năm thành tích"))
    rank = models.PositiveSmallIntegerField(_("xếp hạng"), null=True, blank=True)
    total_score = models.DecimalField(_("tổng điểm"), max_digits=8, decimal_places=2, null=True, blank=True)
    meeting_date = models.DateField(_("ngày họp bình xét, suy tôn"))
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
    def award(self):
        return self.title or self.form

    @property
    def award_code(self):
        return self.award.code if self.award else ""

    def clean(self):
        if bool(self.title_id) == bool(self.form_id):
            raise ValidationError(_("Chọn đúng một danh hiệu hoặc một hình thức khen thưởng."))
