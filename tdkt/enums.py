from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import Role  # noqa: F401  (re-exported: the roles live in tdkt.roles)


class AuditAction(models.TextChoices):
    CREATE = "create", _("Tạo mới")
    UPDATE = "update", _("Cập nhật")
    DEACTIVATE = "deactivate", _("Ngừng hoạt động")
    REACTIVATE = "reactivate", _("Kích hoạt lại")
    TRANSITION = "transition", _("Chuyển trạng thái")
    DELETE = "delete", _("Xoá")
    IMPORT = "import", _("Nhập từ tệp")


class NotificationKind(models.TextChoices):
    """What a notification is about (issue 13): the inbox shows the label, the user turns e-mail on or off per kind."""

    REGISTRATION_RETURNED = "reg_returned", _("Phiếu đăng ký bị trả lại")
    REGISTRATION_APPROVED = "reg_approved", _("Phiếu đăng ký được duyệt")
    NOMINATION_RETURNED = "nom_returned", _("Đề nghị bị trả lại")
    NOMINATION_FAILED = "nom_failed", _("Đề nghị thẩm định không đạt")
    ROUND_OPENED = "round_opened", _("Mở đợt đề nghị")
    DEADLINE = "deadline", _("Sắp đến hạn nộp hồ sơ")
    MEETING_SCHEDULED = "meeting", _("Triệu tập phiên họp Hội đồng")
    VOTE_OPENED = "vote_opened", _("Mở biểu quyết")
    CONSULTATION_CLOSING = "consult_closing", _("Sắp hết hạn lấy ý kiến bằng văn bản")
    DECISION_ISSUED = "decision", _("Có quyết định khen thưởng")
