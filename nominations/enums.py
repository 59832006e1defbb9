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


class AwardType(models.TextChoices):
    """Occasion of an award or a nomination round. Ad hoc and thematic ones do not count (R7)."""

    ANNUAL = "annual", _("Tổng kết năm")
    THEMATIC = "thematic", _("Chuyên đề")
    AD_HOC = "ad_hoc", _("Đột xuất")
    OTHER = "other", _("Khác (cống hiến, niên hạn…)")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Đang nhận hồ sơ")
    CLOSED = "closed", _("Đã đóng")
    AT_COUNCIL = "at_council", _("Đang trình Hội đồng")
    DECIDED = "decided", _("Đã có quyết định")


class NominationState(models.TextChoices):
    DRAFT = "draft", _("Nháp")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Trả lại")
    RESUBMITTED = "resubmitted", _("Đã gửi lại")
    VETTED_PASS = "vetted_pass", _("Thẩm định đạt")
    VETTED_FAIL = "vetted_fail", _("Thẩm định không đạt")
    AT_COUNCIL = "at_council", _("Đưa ra Hội đồng")
    COUNCIL_PASSED = "council_passed", _("Hội đồng thông qua")
    COUNCIL_REJECTED = "council_rejected", _("Hội đồng không thông qua")
    DECIDED = "decided", _("Có quyết định")

    @classmethod
    def editable(cls):
        """States in which the unit (or the office on its behalf) may change the content."""
        return [cls.DRAFT, cls.RETURNED]

    @classmethod
    def sent(cls):
        """States of a nomination the unit has sent to the office (every one but a draft)."""
        return [s for s in cls.values if s != cls.DRAFT]

    @classmethod
    def waiting_for_vetting(cls):
        return [cls.SUBMITTED, cls.RESUBMITTED]

    @classmethod
    def counted(cls):
        """States that count for ratios and duplicates (everything not refused)."""
        return [s for s in cls.values if s not in (cls.VETTED_FAIL, cls.COUNCIL_REJECTED)]


class DocumentKind(models.TextChoices):
    MEMO = "memo", _("Tờ trình")
    MINUTES = "minutes", _("Biên bản bình xét của đơn vị")
    ACHIEVEMENT_REPORT = "report", _("Báo cáo thành tích")
    INITIATIVE = "initiative", _("Giấy chứng nhận sáng kiến, nghiệm thu đề tài")
    OTHER = "other", _("Khác")


class InitiativeKind(models.TextChoices):
    INITIATIVE = "initiative", _("Sáng kiến")
    RESEARCH = "research", _("Đề tài, đề án KH&CN đã nghiệm thu")


class InitiativeScope(models.TextChoices):
    BASE = "base", _("Cấp cơ sở")
    PROVINCE = "province", _("Cấp tỉnh")


class RuleSeverity(models.TextChoices):
    BLOCKING = "blocking", _("Chặn")
    WARNING = "warning", _("Cảnh báo (được vượt khi ghi lý do)")


class RequirementScope(models.TextChoices):
    """Whom a required document is for (``RequiredDocument``): each nominee, or the unit's submission as a whole."""

    NOMINEE = "nominee", _("Mỗi cá nhân, tập thể được đề nghị")
    SUBMISSION = "submission", _("Cả hồ sơ của đơn vị")
