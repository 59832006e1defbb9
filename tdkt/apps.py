from django.apps import AppConfig


class TdktConfig(AppConfig):
    name = "tdkt"
    verbose_name = "Hệ thống TĐKT"
