from django.apps import AppConfig


class MovementsConfig(AppConfig):
    name = "movements"
    verbose_name = "Tổ chức và phong trào thi đua"

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before the models are, and ready() is the
        # documented place to wire an app into the core's hooks.
        from tdkt import hooks

        from . import selectors, subscribers  # noqa: F401  (subscribers: connects the receivers)

        hooks.provide_agency(selectors.agency_profile)
        hooks.provide_home_context(selectors.home_counts)
        hooks.provide_dashboard(selectors.dashboard)
