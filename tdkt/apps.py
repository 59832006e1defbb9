from django.apps import AppConfig

from .db import register_lookups


class TdktConfig(AppConfig):
    name = "tdkt"
    verbose_name = "Hệ thống TĐKT"

    def ready(self):
        register_lookups()  # ``field__any`` (tdkt.db), before any query is built
