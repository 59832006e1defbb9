"""``manage.py db_worker``: django-tasks-db's worker, which first makes sure the periodic task is queued.

This command takes precedence over the package's (``tdkt`` comes before ``django_tasks_db`` in
``INSTALLED_APPS``); its options and behaviour are the package's (``--max-tasks``, ``--queue-name``, …).
"""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from tdkt.periodic import ensure_scheduled


class Command(DatabaseWorkerCommand):
    help = "Chạy tiến trình tác vụ nền (django-tasks-db) cùng các công việc định kỳ: nhịp cho /healthz, dọn tệp hết hạn."

    def handle(self, *args, **options):
        ensure_scheduled()
        return super().handle(*args, **options)
