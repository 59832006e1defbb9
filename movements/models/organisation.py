"""The organisation: the agency profile, units, people and their posts, yearly ratings, discipline."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tdkt.collation import KEY_MAX_LENGTH, sort_key
from tdkt.uploads import storage_name
from tdkt.validators import check_ordered, validate_date_bounds

from ..enums import DisciplineKind, Gender, Rating, UnitKind


def agency_image_path(_instance, filename):
    return storage_name("agency", filename)


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
    # Issue 12: printed over digitally signed documents (Nghị định 30, Phụ lục I); PNG with transparency.
    signature_image = models.FileField(
        _("ảnh chữ ký của người ký"), upload_to=agency_image_path, blank=True, max_length=255,
        help_text=_("Chữ ký tay màu xanh, ảnh PNG nền trong suốt; đặt giữa chức vụ và họ tên khi ký số."))
    seal_image = models.FileField(
        _("ảnh con dấu"), upload_to=agency_image_path, blank=True, max_length=255,
        help_text=_("Con dấu màu đỏ, ảnh PNG nền trong suốt; in đúng kích thước thật, trùm 1/3 chữ ký về bên trái."))
    seal_size_mm = models.PositiveSmallIntegerField(
        _("đường kính con dấu (mm)"), default=36, validators=[MinValueValidator(20), MaxValueValidator(60)],
        help_text=_("Kích thước thật của con dấu khi in, thường 35–36 mm."))
    # Giấy khen printed on the agency's pre-printed form (part: docs, issue 11): where each field goes, in mm from the
    # top-left corner of a landscape A4 sheet (x: the centre of the field's line), and whether to print the frame too.
    cert_print_frame = models.BooleanField(
        _("giấy khen: in cả khung và chữ in sẵn"), default=True,
        help_text=_("Bỏ chọn khi in lên phôi giấy khen đã in sẵn: chỉ in các trường (họ tên, đơn vị, lý do, số quyết định, người ký)."))
    cert_name_x = models.PositiveSmallIntegerField(_("họ tên: x (mm)"), default=148, validators=[MaxValueValidator(297)])
    cert_name_y = models.PositiveSmallIntegerField(_("họ tên: y (mm)"), default=92, validators=[MaxValueValidator(210)])
    cert_unit_x = models.PositiveSmallIntegerField(_("chức vụ, đơn vị: x (mm)"), default=148, validators=[MaxValueValidator(297)])
    cert_unit_y = models.PositiveSmallIntegerField(_("chức vụ, đơn vị: y (mm)"), default=106, validators=[MaxValueValidator(210)])
    cert_reason_x = models.PositiveSmallIntegerField(_("thành tích: x (mm)"), default=148, validators=[MaxValueValidator(297)])
    cert_reason_y = models.PositiveSmallIntegerField(_("thành tích: y (mm)"), default=120, validators=[MaxValueValidator(210)])
    cert_decision_x = models.PositiveSmallIntegerField(_("số, ngày quyết định: x (mm)"), default=72,
                                                       validators=[MaxValueValidator(297)])
    cert_decision_y = models.PositiveSmallIntegerField(_("số, ngày quyết định: y (mm)"), default=172,
                                                       validators=[MaxValueValidator(210)])
    cert_signer_x = models.PositiveSmallIntegerField(_("người ký: x (mm)"), default=215, validators=[MaxValueValidator(297)])
    cert_signer_y = models.PositiveSmallIntegerField(_("người ký: y (mm)"), default=142, validators=[MaxValueValidator(210)])
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


class SortNameQuerySet(models.QuerySet):
    """``bulk_create`` sets the Vietnamese sort key as ``save()`` does (``tdkt/collation.py``)."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.set_sort_name()
        return super().bulk_create(objs, *args, **kwargs)


class SortNameMixin(models.Model):
    """A name sorted in Vietnamese order: ``sort_name`` is a copy of the name's key (``tdkt.collation``), set on
    ``save()`` (when the name is saved) and ``bulk_create``; lists order by it instead of by the name."""

    sort_name = models.CharField(_("khoá sắp xếp tên"), max_length=KEY_MAX_LENGTH, default="", editable=False, db_index=True)

    objects = SortNameQuerySet.as_manager()
    NAME_FIELD = "name"
    PERSON_NAME = False

    class Meta:
        abstract = True

    def save(self, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or self.NAME_FIELD in update_fields:
            self.set_sort_name()
            if update_fields is not None:
                kwargs["update_fields"] = [*update_fields, "sort_name"]
        super().save(**kwargs)

    def set_sort_name(self):
        self.sort_name = sort_key(getattr(self, self.NAME_FIELD), person=self.PERSON_NAME)


class Unit(SortNameMixin):
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
        ordering = ["sort_order", "sort_name", "id"]
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

    @property
    def scope_unit_id(self):
        """For :mod:`tdkt.roles`: a unit is its own."""
        return self.pk

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


class Person(SortNameMixin):
    """A civil servant, public employee or worker of a unit.

    ``unit``, ``position_title``, ``is_leadership`` and ``is_head`` mirror the
    open :class:`PositionAssignment`; rules judged at a date read the history.
    """

    full_name = models.CharField(_("họ và tên"), max_length=150)
    name_folded = models.CharField(max_length=150, editable=False, db_index=True)
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True, validators=[validate_date_bounds])
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="people")
    position_title = models.CharField(_("chức vụ"), max_length=150, blank=True)
    is_leadership = models.BooleanField(
        _("giữ chức vụ lãnh đạo, quản lý"), default=False,
        help_text=_("Dùng cho quy định tỷ lệ lãnh đạo, quản lý không quá 40%."),
    )
    is_head = models.BooleanField(_("là người đứng đầu đơn vị"), default=False)
    active = models.BooleanField(_("đang công tác"), default=True)

    NAME_FIELD = "full_name"
    PERSON_NAME = True  # by given name, then family and middle names

    class Meta:
        verbose_name = _("cá nhân")
        verbose_name_plural = _("cá nhân")
        ordering = ["unit__sort_order", "-is_head", "-is_leadership", "sort_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_head=False) | Q(is_leadership=True),
                name="person_head_is_leadership",
                violation_error_message=_("Người đứng đầu đơn vị phải là chức vụ lãnh đạo, quản lý."),
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def scope_unit_id(self):
        """For :mod:`tdkt.roles`: a person belongs to their (current) unit."""
        return self.unit_id

    def clean(self):
        if self.date_of_birth and self.date_of_birth > datetime.date.today():
            raise ValidationError({"date_of_birth": _("Ngày sinh không được ở tương lai.")})
        if self.unit_id and not self.unit.active and self.active:
            raise ValidationError({"unit": _("Đơn vị này đã ngừng hoạt động.")})


class PositionAssignment(models.Model):
    """Who held which post in which unit, from when to when (end empty = still holds it)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="positions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="positions")
    title = models.CharField(_("chức vụ"), max_length=150, blank=True)
    is_leadership = models.BooleanField(_("lãnh đạo, quản lý"), default=False)
    is_head = models.BooleanField(_("người đứng đầu"), default=False)
    start_date = models.DateField(_("từ ngày"), validators=[validate_date_bounds])
    end_date = models.DateField(_("đến ngày"), null=True, blank=True, validators=[validate_date_bounds])

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

    @property
    def scope_unit_id(self):
        return self.unit_id

    def clean(self):
        errors = {}
        check_ordered(errors, self, "start_date", "end_date", _("Ngày kết thúc phải sau ngày bắt đầu."))
        if errors:
            raise ValidationError(errors)

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

    @property
    def scope_unit_id(self):
        """For :mod:`tdkt.roles`: a unit's record belongs to the unit, a person's to the person's unit."""
        if self.unit_id:
            return self.unit_id
        return self.person.unit_id if self.person_id else None

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
    start_date = models.DateField(_("từ ngày"), validators=[validate_date_bounds])
    end_date = models.DateField(_("đến ngày"), null=True, blank=True, help_text=_("Để trống nếu chưa kết thúc."), validators=[validate_date_bounds])
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

    def clean(self):
        super().clean()
        errors = {}
        check_ordered(errors, self, "start_date", "end_date", _("Ngày kết thúc phải sau ngày bắt đầu."))
        if errors:
            raise ValidationError(errors)

    def covers(self, date):
        return self.start_date <= date and (self.end_date is None or date <= self.end_date)
