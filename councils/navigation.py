from django.urls import reverse
from django.utils.translation import gettext as _


def nav_items(user):
    """“Hội đồng” for the office and for the members of the council (``councils.view_council``)."""
    if user.has_perm("councils.view_council"):
        return [(_("Hội đồng"), reverse("councils:home"))]
    return []
