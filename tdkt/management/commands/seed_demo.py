from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import module_has_submodule


def demo_modules():
    """Each app's ``demo`` module, in INSTALLED_APPS order (lower apps first: their data is needed above).

    A demo module offers ``seed(stdout=None)`` (safe to repeat) and may offer ``demo_logins()``.
    The core names no app: this is a registration hook, like ``navigation``.
    """
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "demo"):
            module = import_module(f"{config.name}.demo")
            if hasattr(module, "seed"):
                yield module


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (Sở Khoa học và Công nghệ tỉnh Hưng Yên) và tài khoản thử; chạy lại nhiều lần không bị trùng."

    def add_arguments(self, parser):
        parser.add_argument("--print-logins", action="store_true", help="In danh sách tài khoản thử.")
        parser.add_argument("--force", action="store_true",
                            help="Chạy cả khi DJANGO_DEBUG=false (tạo tài khoản thử với mật khẩu công khai!).")

    def handle(self, *args, print_logins=False, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Không tạo dữ liệu mẫu khi DJANGO_DEBUG=false: dữ liệu mẫu có tài khoản thử với mật khẩu công khai. "
                               "Nếu đây đúng là máy thử nghiệm, chạy lại với --force.")
        modules = list(demo_modules())
        for module in modules:
            module.seed(stdout=self.stdout)
        if print_logins:
            self.stdout.write("\nTài khoản thử (tên đăng nhập / mật khẩu / vai trò):")
            for module in modules:
                for username, password, role, unit in getattr(module, "demo_logins", list)():
                    self.stdout.write(f"  {username:<10} {password:<16} {role}{' – ' + unit if unit else ''}")
