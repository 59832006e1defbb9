"""The catalogues of awards: emulation titles (danh hiệu thi đua) and commendation forms (hình thức
khen thưởng), kept apart as the law does.

A leaf module on purpose: it imports nothing but Django and ``nominations.enums``, so the
``movements`` app (registrations name a title, acclamations a title or form) may import it. It is the
one allowed import from ``movements`` into ``nominations`` (see ``tests/test_architecture.py``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import Authority, SubjectKind


class AwardKind(models.Model):
    """Fields shared by emulation titles and commendation forms."""

    code = models.CharField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    subject_kind = models.CharField(_("đối tượng"), max_length=8, choices=SubjectKind.choices)
    authority = models.CharField(_("thẩm quyền"), max_length=12, choices=Authority.choices)
    counts_as_merit = models.BooleanField(
        _("tính là thành tích để xét điều kiện"), default=True,
        help_text=_("Khen thưởng đột xuất, chuyên đề không tính (R7)."),
    )
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    @property
    def needs_province_submission(self):
        return self.authority != Authority.DIRECTOR


class EmulationTitle(AwardKind):
    """Danh hiệu thi đua (LĐTT, CSTĐCS, CSTĐ tỉnh, TTLĐTT, TTLĐXS, Cờ thi đua…)."""

    class Meta(AwardKind.Meta):
        verbose_name = _("danh hiệu thi đua")
        verbose_name_plural = _("danh hiệu thi đua")


class CommendationForm(AwardKind):
    """Hình thức khen thưởng (Giấy khen, Bằng khen…)."""

    class Meta(AwardKind.Meta):
        verbose_name = _("hình thức khen thưởng")
        verbose_name_plural = _("hình thức khen thưởng")


def person_titles():
    """Active emulation titles a person may register for or be nominated for."""
    return EmulationTitle.objects.filter(subject_kind__in=[SubjectKind.PERSON, SubjectKind.BOTH], active=True)


def unit_titles():
    """Active emulation titles of a collective."""
    return EmulationTitle.objects.filter(subject_kind__in=[SubjectKind.UNIT, SubjectKind.BOTH], active=True)
