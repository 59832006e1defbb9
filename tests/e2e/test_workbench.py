"""Browser journey of issue 13 (home pages and notifications): the office returns a nomination with a reason; the unit
head sees it on the home page and in the inbox (the header counts it), fixes it and sends it again."""

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from movements.models import PerformanceRating
from nominations.enums import NominationState
from nominations.models import Nomination
from tdkt.models import Notification
from tests.factories import PersonFactory, UnitFactory, UnitUserFactory, UserFactory
from tests.factories.nominations import NominationFactory, RoundFactory, SubmissionFactory, reseed_catalogues

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_unit_head_sees_a_returned_nomination_on_the_home_page_and_in_the_inbox_fixes_and_resends_it(page, live_server, login):
    reseed_catalogues()
    unit = UnitFactory(name="Phòng Quản lý khoa học", short_code="QLKH")
    other = UnitFactory(name="Trung tâm Ứng dụng", short_code="TTUD")
    nomination_round = RoundFactory(name="Khen thưởng tổng kết năm 2025", deadline=timezone.localdate() + timezone.timedelta(days=5))
    person = PersonFactory(unit=unit, full_name="Trần Thị Ánh")
    PerformanceRating.objects.create(person=person, year=2025, rating="HTTNV")
    submission = SubmissionFactory(round=nomination_round, unit=unit, memo_number="12/TTr-QLKH", memo_date=timezone.localdate(),
                                   submitted_at=timezone.now())
    nomination = NominationFactory(submission=submission, person=person, state=NominationState.SUBMITTED,
                                   achievement_summary="Hoàn thành tốt nhiệm vụ.")
    # another unit's returned nomination, whose reason must never reach this head
    NominationFactory(submission=SubmissionFactory(round=nomination_round, unit=other), state=NominationState.RETURNED,
                      last_reason="Lý do riêng của Trung tâm")
    head = UnitUserFactory(unit=unit, full_name="Trưởng phòng QLKH", email="qlkh@example.gov.vn")
    office = UserFactory(role="office", full_name="Chuyên viên Văn phòng")

    # 1. The office returns the nomination with a reason.
    login(page, office)
    page.goto(f"{live_server.url}/de-nghi/{nomination.pk}/")
    page.get_by_role("link", name="Trả lại").click()
    page.locator("#id_reason").fill("Tóm tắt thành tích chưa nêu kết quả cụ thể")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("status")).to_contain_text("Đề nghị chuyển sang “Trả lại”.")
    page.get_by_role("button", name="Đăng xuất").click()

    # 2. The unit head's header counts one unread notification; the home page shows the item with its reason.
    login(page, head)
    expect(page.locator(".topbar .bell .count")).to_have_text("1")
    work = page.locator("section.home-block", has=page.get_by_role("heading", name="Việc đơn vị cần làm"))
    expect(work).to_contain_text("Trần Thị Ánh – Lao động tiên tiến")
    expect(work).to_contain_text("Lý do: Tóm tắt thành tích chưa nêu kết quả cụ thể")
    expect(work).to_contain_text("1 đề nghị bị trả lại.")
    expect(page.locator("body")).not_to_contain_text("Lý do riêng của Trung tâm")
    expect(page.locator("body")).not_to_contain_text("Trung tâm Ứng dụng")

    # 3. The inbox has it too, with the reason; opening it marks it read and leads to the nomination.
    page.locator(".topbar .bell").click()
    item = page.locator(".inbox-item.unread")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Đề nghị bị trả lại")
    expect(item).to_contain_text("Đề nghị “Trần Thị Ánh – Lao động tiên tiến” (đợt “Khen thưởng tổng kết năm 2025”) bị trả lại. "
                                 "Lý do: Tóm tắt thành tích chưa nêu kết quả cụ thể. Hãy sửa và gửi lại.")
    item.get_by_role("button", name="Xem").click()
    page.wait_for_url(f"{live_server.url}/de-nghi/{nomination.pk}/")
    expect(page.locator(".topbar .bell .count")).to_have_count(0)
    assert Notification.objects.get(recipient=head).read_at is not None
    assert [m.to for m in mail.outbox] == [["qlkh@example.gov.vn"]]
    assert f"/de-nghi/{nomination.pk}/" in mail.outbox[0].body

    # 4. The head fixes it and sends it again, from the home page's link.
    page.get_by_role("link", name="Sửa").click()
    page.get_by_label("Tóm tắt thành tích").fill("Hoàn thành xuất sắc nhiệm vụ; chủ trì 2 đề tài cấp cơ sở đã nghiệm thu.")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu đề nghị.")
    page.get_by_role("link", name="Trang chủ").click()
    page.locator("section.home-block").get_by_role("link", name="Trần Thị Ánh – Lao động tiên tiến", exact=True).click()
    page.get_by_role("link", name="Gửi lại").click()
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("status")).to_contain_text("Đề nghị chuyển sang “Đã gửi lại”.")
    nomination.refresh_from_db()
    assert nomination.state == NominationState.RESUBMITTED
    assert nomination.achievement_summary == "Hoàn thành xuất sắc nhiệm vụ; chủ trì 2 đề tài cấp cơ sở đã nghiệm thu."
    page.get_by_role("link", name="Trang chủ").click()
    expect(page.locator("section.home-block", has=page.get_by_role("heading", name="Việc đơn vị cần làm"))).to_contain_text(
        "Không có đề nghị nào bị trả lại.")
    assert Nomination.objects.filter(submission__unit=unit, state=NominationState.RETURNED).count() == 0
