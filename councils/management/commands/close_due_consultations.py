"""Close the written consultations whose deadline has passed. The task worker does it every five minutes
(``councils/periodic.py``); this command is for running it by hand. Each open item is counted and its nomination moved, then the
consultation is closed, by the system (audited without an actor)."""

from django.core.management.base import BaseCommand

from councils.enums import ItemState
from councils.services import consultations_close_due


class Command(BaseCommand):
    help = "Kết thúc các đợt lấy ý kiến bằng văn bản đã hết hạn trả lời: tính kết quả từng nội dung, chuyển trạng thái đề nghị."

    def handle(self, *args, **options):
        closed = consultations_close_due()
        for meeting in closed:
            self.stdout.write(f"Đã kết thúc: {meeting} ({meeting.items.filter(state=ItemState.CLOSED).count()} nội dung có kết quả).")
        self.stdout.write(f"{len(closed)} đợt lấy ý kiến đã kết thúc.")
