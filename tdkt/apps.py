from django.apps import AppConfig


class TdktConfig(AppConfig):
    name = "tdkt"
    verbose_name = "Hệ thống TĐKT"

    def ready(self):
        # Imported here: ready() is the documented place to connect signal receivers.
        from .logs import connect_task_signals

        connect_task_signals()
