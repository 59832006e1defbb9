from django.core.management.base import BaseCommand

from movements.demo import demo_logins, seed_demo


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (Sở Khoa học và Công nghệ tỉnh Hưng Yên) và tài khoản thử; chạy lại nhiều lần không bị trùng."

    def add_arguments(self, parser):
        parser.add_argument("--print-logins", action="store_true", help="In danh sách tài khoản thử.")

    def handle(self, *args, print_logins=False, **options):
        seed_demo(stdout=self.stdout)
        from nominations.demo import seed_demo_nominations

        seed_demo_nominations(stdout=self.stdout)
        if print_logins:
            self.stdout.write("\nTài khoản thử (tên đăng nhập / mật khẩu / vai trò):")
            for username, password, role, unit in demo_logins():
                self.stdout.write(f"  {username:<10} {password:<16} {role}{' – ' + unit if unit else ''}")
