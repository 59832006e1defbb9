from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị")
    OFFICE = "office", _("Văn phòng")
    COUNCIL = "council", _("Hội đồng")
    UNIT = "unit", _("Trưởng đơn vị")


class AuditAction(models.TextChoices):
    CREATE = "create", _("Tạo mới")
    UPDATE = "update", _("Cập nhật")
    DEACTIVATE = "deactivate", _("Ngừng hoạt động")
    REACTIVATE = "reactivate", _("Kích hoạt lại")
    TRANSITION = "transition", _("Chuyển trạng thái")
    DELETE = "delete", _("Xoá")
    IMPORT = "import", _("Nhập từ tệp")
