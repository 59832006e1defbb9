from django.apps import AppConfig


class NominationsConfig(AppConfig):
    name = "nominations"
    verbose_name = "Đề nghị khen thưởng"

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before the models are, and ready() is the documented
        # place to connect an app's signal receivers.
        from tdkt import hooks

        from . import dashboard, subscribers  # noqa: F401  (subscribers: connects the receivers)

        hooks.provide_dashboard(dashboard.dashboard)
