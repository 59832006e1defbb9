from django.urls import reverse
from django.utils.translation import gettext as _

from tdkt.roles import is_admin_user, is_office_user, is_unit_head, reads_every_unit


def nav_items(user):
    items = []
    if reads_every_unit(user):
        items += [(_("Đơn vị"), reverse("movements:unit_list")), (_("Cá nhân"), reverse("movements:person_list"))]
    elif user.unit_id:
        items += [(_("Đơn vị của tôi"), reverse("movements:unit_detail", args=[user.unit_id])),
                  (_("Cá nhân"), reverse("movements:person_list"))]
    if is_office_user(user) or is_unit_head(user):
        items.append((_("Điều chỉnh công tác"), reverse("movements:history_change_list")))
    items += [(_("Phong trào"), reverse("movements:campaign_list")),
              (_("Đăng ký thi đua"), reverse("movements:registration_windows")),
              (_("Cụm thi đua"), reverse("movements:cluster_list"))]
    if is_admin_user(user):
        items.append((_("Thông tin cơ quan"), reverse("movements:agency_profile")))
    return items
