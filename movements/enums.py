from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    AGENCY = "agency", _("Cơ quan (Sở)")
    DIVISION = "division", _("Phòng chuyên môn, Văn phòng, Thanh tra")
    ATTACHED = "attached", _("Đơn vị thuộc Sở")
    SUBORDINATE = "subordinate", _("Đơn vị trực thuộc Sở")


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class Rating(models.TextChoices):
    """Yearly performance rating (xếp loại chất lượng) of a person or unit, best first."""

    HTXSNV = "HTXSNV", _("Hoàn thành xuất sắc nhiệm vụ")
    HTTNV = "HTTNV", _("Hoàn thành tốt nhiệm vụ")
    HTNV = "HTNV", _("Hoàn thành nhiệm vụ")
    KHTNV = "KHTNV", _("Không hoàn thành nhiệm vụ")

    @classmethod
    def rank(cls, value):
        """4 for HTXSNV down to 1 for KHTNV, so ratings compare with ``>=``."""
        return {cls.HTXSNV: 4, cls.HTTNV: 3, cls.HTNV: 2, cls.KHTNV: 1}[value]

    @classmethod
    def at_least(cls, value):
        """The ratings equal to or better than ``value``."""
        return [r for r in cls.values if cls.rank(r) >= cls.rank(value)]


class DisciplineKind(models.TextChoices):
    """Discipline measures and the "hold" situations that block a nomination (R6)."""

    REPRIMAND = "reprimand", _("Kỷ luật: khiển trách")
    WARNING = "warning", _("Kỷ luật: cảnh cáo")
    DEMOTION = "demotion", _("Kỷ luật: hạ bậc lương / giáng chức / cách chức")
    UNDER_REVIEW = "under_review", _("Đang xem xét kỷ luật")
    INVESTIGATION = "investigation", _("Đang bị điều tra, thanh tra, kiểm tra")
    COMPLAINT = "complaint", _("Có đơn thư khiếu nại, tố cáo đang xác minh")

    @classmethod
    def disciplines(cls):
        return [cls.REPRIMAND, cls.WARNING, cls.DEMOTION]


class CampaignLevel(models.TextChoices):
    PRIME_MINISTER = "prime_minister", _("Thủ tướng Chính phủ")
    PROVINCE = "province", _("UBND tỉnh")
    AGENCY = "agency", _("Sở")
    OTHER = "other", _("Khác")


class CampaignKind(models.TextChoices):
    REGULAR = "regular", _("Thường xuyên")
    THEMATIC = "thematic", _("Chuyên đề, theo đợt")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    LAUNCHED = "launched", _("Đã phát động")
    INTERIM_REVIEW = "interim_review", _("Sơ kết")
    FINAL_REVIEW = "final_review", _("Tổng kết")
    CLOSED = "closed", _("Đã kết thúc")


class CampaignDocumentKind(models.TextChoices):
    PLAN = "plan", _("Kế hoạch")
    LAUNCH = "launch", _("Văn bản phát động")
    INTERIM_REPORT = "interim_report", _("Báo cáo sơ kết")
    FINAL_REPORT = "final_report", _("Báo cáo tổng kết")
    OTHER = "other", _("Khác")


class RegistrationState(models.TextChoices):
    DRAFT = "draft", _("Chưa gửi")
    SUBMITTED = "submitted", _("Chờ duyệt")
    RETURNED = "returned", _("Trả lại")
    APPROVED = "approved", _("Đã duyệt")


class ClusterState(models.TextChoices):
    SETUP = "setup", _("Đang thiết lập")
    SCORING = "scoring", _("Đang chấm điểm")
    CONCLUDED = "concluded", _("Đã kết thúc chấm điểm")


class CriterionKind(models.TextChoices):
    """A standard criterion adds its score; a bonus adds; a penalty deducts (all capped by the maximum)."""

    STANDARD = "standard", _("Tiêu chí chấm điểm")
    BONUS = "bonus", _("Điểm thưởng")
    PENALTY = "penalty", _("Điểm trừ")


class AcclamationState(models.TextChoices):
    PROPOSED = "proposed", _("Đề xuất khen thưởng")
    NOMINATED = "nominated", _("Đã đưa vào đề nghị")
    WITHDRAWN = "withdrawn", _("Đã huỷ")


class HistoryChangeKind(models.TextChoices):
    """What a unit head asks the office to change in a person's position history, at a past date."""

    POSITION = "position", _("Thay đổi chức vụ")
    DEPARTURE = "departure", _("Nghỉ công tác")


class HistoryChangeState(models.TextChoices):
    PENDING = "pending", _("Chờ Văn phòng duyệt")
    APPROVED = "approved", _("Đã duyệt, đã áp dụng")
    REFUSED = "refused", _("Không duyệt")
    WITHDRAWN = "withdrawn", _("Đơn vị đã rút")
