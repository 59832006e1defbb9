"""Browser journey of bulk vetting (issue 13): the office filters the queue by unit, selects all the items matching
the filter, vets them with one confirmation, and comes back to the same filtered queue; then selects a page with the
header box and returns it; then vets one by one, the next item opening after each move."""

import re

import pytest
from playwright.sync_api import expect

from movements.models import PerformanceRating
from nominations.models import Nomination
from tests.factories import PersonFactory, UnitFactory, UserFactory
from tests.factories.nominations import NominationFactory, RoundFactory, SubmissionFactory, reseed_catalogues

pytestmark = pytest.mark.django_db(transaction=True)


def sent(submission, names):
    made = []
    for name in names:
        person = PersonFactory(unit=submission.unit, full_name=name)
        PerformanceRating.objects.create(person=person, year=2025, rating="HTTNV")  # LĐTT's prerequisite (R4)
        made.append(NominationFactory(submission=submission, person=person, state="submitted"))
    return made


def test_the_office_selects_all_filtered_items_vets_them_and_the_filter_is_kept(page, live_server, login):
    reseed_catalogues()
    qlkh = UnitFactory(name="Phòng Quản lý khoa học", short_code="QLKH")
    ttud = UnitFactory(name="Trung tâm Ứng dụng", short_code="TTUD")
    nomination_round = RoundFactory(name="Khen thưởng tổng kết năm 2025")
    mine = sent(SubmissionFactory(round=nomination_round, unit=qlkh), ["Trần Thị Ánh", "Lê Văn Bình", "Ngô Thu Ngọc"])
    others = sent(SubmissionFactory(round=nomination_round, unit=ttud), ["Phạm Minh Đức", "Đỗ Văn Hùng", "Bùi Thị Lan"])
    office = UserFactory(role="office", full_name="Chuyên viên Văn phòng")

    login(page, office)
    page.get_by_role("link", name="Thẩm định", exact=True).click()
    expect(page.get_by_text("6 đề nghị chờ thẩm định")).to_be_visible()

    # 1. Filter by the proposing unit (the select submits the filter), select all that match, vet them.
    page.get_by_label("Đơn vị đề nghị").select_option(label="Phòng Quản lý khoa học")
    expect(page.get_by_text("3 đề nghị chờ thẩm định")).to_be_visible()
    filtered = page.url
    assert f"unit={qlkh.pk}" in filtered
    page.get_by_label("Cả 3 đề nghị khớp bộ lọc").check()
    page.get_by_label("Với các đề nghị đã chọn:").select_option(label="Thẩm định đạt")
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_role("heading", name="Thẩm định đạt: xác nhận 3 đề nghị")).to_be_visible()
    expect(page.get_by_text("Tất cả 3 đề nghị đang khớp bộ lọc của hàng chờ.")).to_be_visible()
    expect(page.get_by_label("Lý do vượt cảnh báo")).to_have_count(0)  # no warning among them: no box to explain
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("status")).to_contain_text("3 đề nghị: Thẩm định đạt.")
    expect(page).to_have_url(re.compile(rf"/de-nghi/tham-dinh/\?.*unit={qlkh.pk}"))
    expect(page.get_by_label("Đơn vị đề nghị")).to_have_value(str(qlkh.pk))  # the filter is kept
    expect(page.get_by_text("Không có đề nghị nào khớp bộ lọc.")).to_be_visible()
    assert {n.state for n in Nomination.objects.filter(pk__in=[n.pk for n in mine])} == {"vetted_pass"}
    assert {n.state for n in Nomination.objects.filter(pk__in=[n.pk for n in others])} == {"submitted"}

    # 2. The other unit: the header box selects the page, the return needs its reason.
    page.get_by_label("Đơn vị đề nghị").select_option(label="Trung tâm Ứng dụng")
    expect(page.get_by_text("3 đề nghị chờ thẩm định")).to_be_visible()
    page.get_by_label("Chọn tất cả trên trang này").check()
    for name in ("Phạm Minh Đức", "Đỗ Văn Hùng", "Bùi Thị Lan"):
        expect(page.get_by_label(f"Chọn {name}")).to_be_checked()
    page.get_by_label(f"Chọn {others[2].person.full_name}").uncheck()
    page.get_by_label("Với các đề nghị đã chọn:").select_option(label="Trả lại đơn vị")
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_label("Lý do vượt cảnh báo")).to_have_count(0)
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("alert").first).to_contain_text("Hãy ghi lý do.")
    page.get_by_label("Lý do:", exact=True).fill("Bổ sung báo cáo thành tích")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("status")).to_contain_text("2 đề nghị: Trả lại.")
    expect(page.get_by_label("Đơn vị đề nghị")).to_have_value(str(ttud.pk))
    assert list(Nomination.objects.filter(pk__in=[n.pk for n in others]).order_by("pk").values_list("state", flat=True)) == [
        "returned", "returned", "submitted"]

    # 3. One by one: the last one is vetted from its page, and the (now empty) filtered queue comes back.
    page.get_by_role("link", name="Bùi Thị Lan").click()
    page.get_by_role("link", name="Thẩm định đạt").click()
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("status")).to_contain_text("Đề nghị chuyển sang “Thẩm định đạt”.")
    expect(page).to_have_url(re.compile(rf"/de-nghi/tham-dinh/\?.*unit={ttud.pk}"))
    expect(page.get_by_text("Không có đề nghị nào khớp bộ lọc.")).to_be_visible()
