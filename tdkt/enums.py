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
