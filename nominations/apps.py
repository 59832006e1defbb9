from django.apps import AppConfig


class NominationsConfig(AppConfig):
    name = "nominations"
    verbose_name = "Đề nghị khen thưởng"

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before the models are, and ready() is the documented
        # place to connect an app's signal receivers.
        from . import subscribers  # noqa: F401  (connects the receivers)
