"""The council (Hội đồng Thi đua – Khen thưởng) for a term, and its members."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from movements.api import Person
from tdkt.roles import may_sit_on_council
from tdkt.validators import check_ordered, validate_date_bounds

from ..enums import CouncilPosition


class Council(models.Model):
    """The council set up by the Director's decision, for a term. One council is active at a time."""

    name = models.CharField(_("tên Hội đồng"), max_length=300)
    decision_number = models.CharField(_("số quyết định thành lập"), max_length=50)
    decision_date = models.DateField(_("ngày quyết định"), validators=[validate_date_bounds])
    doc_code = models.CharField(_("ký hiệu văn bản của Hội đồng"), max_length=20, default="HĐTĐKT",
                                help_text=_("Dùng trong số biên bản của Hội đồng, ví dụ: 01/BB-HĐTĐKT."))
    term_start = models.DateField(_("nhiệm kỳ từ"), validators=[validate_date_bounds])
    term_end = models.DateField(_("nhiệm kỳ đến"), null=True, blank=True, validators=[validate_date_bounds])
    active = models.BooleanField(_("đang hoạt động"), default=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("Hội đồng Thi đua – Khen thưởng")
        verbose_name_plural = _("Hội đồng Thi đua – Khen thưởng")
        ordering = ["-active", "-term_start", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                                   name="council_term_ordered",
                                   violation_error_message=_("Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu.")),
            models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="council_one_active",
                                    violation_error_message=_("Đã có một Hội đồng đang hoạt động: hãy kết thúc Hội đồng đó trước.")),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        check_ordered(errors, self, "term_start", "term_end", _("Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu."))
        if errors:
            raise ValidationError(errors)

    def covers(self, date):
        return self.term_start <= date and (self.term_end is None or date <= self.term_end)


class CouncilMember(models.Model):
    """A seat on the council: the account the member logs in with and the person they are in the organisation (so
    the member's unit and head-of-unit posts on a date are known from the position history).

    A member who leaves is made inactive (past meetings keep them). Only the secretary may sit without a vote (the
    “thư ký có biểu quyết” setting); the chair always votes.
    """

    council = models.ForeignKey(Council, verbose_name=_("Hội đồng"), on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("tài khoản"), on_delete=models.PROTECT,
                             related_name="council_seats")
    person = models.ForeignKey(Person, verbose_name=_("cá nhân"), on_delete=models.PROTECT, related_name="council_seats")
    position = models.CharField(_("chức danh trong Hội đồng"), max_length=12, choices=CouncilPosition.choices,
                                default=CouncilPosition.MEMBER)
    votes = models.BooleanField(_("có quyền biểu quyết"), default=True,
                                help_text=_("Chỉ thư ký có thể không biểu quyết (theo Quy chế của Hội đồng)."))
    active = models.BooleanField(_("đang là thành viên"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("thành viên Hội đồng")
        verbose_name_plural = _("thành viên Hội đồng")
        ordering = ["council", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="council_member_user_once",
                                    violation_error_message=_("Tài khoản này đã là thành viên của Hội đồng.")),
            models.UniqueConstraint(fields=["council", "person"], name="council_member_person_once",
                                    violation_error_message=_("Cá nhân này đã là thành viên của Hội đồng.")),
            models.UniqueConstraint(fields=["council"], condition=Q(position="chair", active=True), name="council_one_chair",
                                    violation_error_message=_("Hội đồng đã có Chủ tịch.")),
            models.UniqueConstraint(fields=["council"], condition=Q(position="secretary", active=True),
                                    name="council_one_secretary", violation_error_message=_("Hội đồng đã có Thư ký.")),
            models.CheckConstraint(condition=Q(votes=True) | Q(position="secretary"), name="council_member_votes_unless_secretary",
                                   violation_error_message=_("Chỉ Thư ký có thể là thành viên không biểu quyết.")),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_position_display()})"

    def clean(self):
        errors = {}
        if self.user_id and not may_sit_on_council(self.user):
            errors["user"] = [_("Tài khoản “%(user)s” không thể là thành viên Hội đồng: chỉ tài khoản Hội đồng hoặc Văn phòng "
                                "(đang hoạt động) được tham gia; Trưởng đơn vị dùng một tài khoản Hội đồng riêng.")
                              % {"user": self.user.get_username()}]
        if not self.votes and self.position != CouncilPosition.SECRETARY:
            errors["votes"] = [_("Chỉ Thư ký có thể là thành viên không biểu quyết.")]
        if errors:
            raise ValidationError(errors)

    @property
    def name(self):
        return self.person.full_name
