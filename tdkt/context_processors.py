from importlib import import_module

from django.urls import reverse
from django.utils.translation import gettext as _

# Each domain app may provide ``navigation.nav_items(user) -> [(label, url), …]``.
NAV_APPS = ["movements", "nominations", "councils"]


def navigation(request):
    """Menu entries for the logged-in user's role, collected from the apps in order."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(_("Trang chủ"), reverse("home"))]
    for app in NAV_APPS:
        try:
            module = import_module(f"{app}.navigation")
        except ModuleNotFoundError:
            continue
        items += module.nav_items(user)
    return {"nav_items": items}
