from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    UNIT = "unit", _("Tập thể")
    BOTH = "both", _("Cá nhân và tập thể")


class Authority(models.TextChoices):
    """Who awards: the Sở's director decides; the province's chairman needs a tờ trình."""

    DIRECTOR = "director", _("Giám đốc Sở")
    PROVINCE = "province", _("Chủ tịch UBND tỉnh")
    HIGHER = "higher", _("Cấp trên (Bộ, Chính phủ, Chủ tịch nước)")


class AwardCategory(models.TextChoices):
    TITLE = "title", _("Danh hiệu thi đua")
    FORM = "form", _("Hình thức khen thưởng")
