from django.apps import AppConfig


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = "Hội đồng Thi đua – Khen thưởng"

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before the models are, and ready() is the documented place
        # to wire an app into the core's hooks.
        from tdkt import hooks

        from . import navigation, subscribers  # noqa: F401  (subscribers: connects the receivers)
        from .selectors import dashboard

        hooks.provide_dashboard(dashboard.dashboard)
        hooks.provide_object_links(navigation.object_links)
