from django.apps import AppConfig

from .db import register_lookups


class TdktConfig(AppConfig):
    name = "tdkt"
    verbose_name = "Hệ thống TĐKT"

    def ready(self):
        register_lookups()  # ``field__any`` (tdkt.db), before any query is built
        # Imported here: ready() is the documented place to connect signal receivers.
        from .logs import connect_task_signals

        connect_task_signals()
