from django.core.management.base import BaseCommand

from nominations.demo import seed_demo_nominations


class Command(BaseCommand):
    help = ("Tạo dữ liệu mẫu khen thưởng (lịch sử 2021–2024, sáng kiến, đợt tổng kết năm 2025 đang mở) sau manage.py seed_demo; "
            "chạy lại nhiều lần không bị trùng.")

    def handle(self, *args, **options):
        seed_demo_nominations(stdout=self.stdout)
