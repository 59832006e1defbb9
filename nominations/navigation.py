from django.urls import reverse
from django.utils.translation import gettext as _


def nav_items(user):
    items = [(_("Đợt đề nghị"), reverse("nominations:round_list")), (_("Đề nghị"), reverse("nominations:nomination_list"))]
    if user.is_office:
        items.append((_("Thẩm định"), reverse("nominations:vetting_queue")))
    items.append((_("Khen thưởng"), reverse("nominations:award_list")))
    return items
