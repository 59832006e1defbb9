from importlib import import_module

from django.apps import apps
from django.urls import reverse
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _

from .notifications import unread_count


def _navigation_modules():
    """Each app's ``navigation`` module (``nav_items(user) -> [(label, url), …]``), in INSTALLED_APPS order.

    A registration hook: the core names no app."""
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "navigation"):
            yield import_module(f"{config.name}.navigation")


def navigation(request):
    """Menu entries for the logged-in user's role, collected from the apps in order."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(_("Trang chủ"), reverse("home"))]
    for module in _navigation_modules():
        items += module.nav_items(user)
    return {"nav_items": items}


def unread_notifications(request):
    """The unread count of the header (issue 13): one indexed count, read only when the header is drawn."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: unread_count(user)}
