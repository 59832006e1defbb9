"""Browser journey of the nominations issue: the 40 % rule (a warning on a draft, refused when the list is sent), an Excel
import with a bad row, vetting."""

import re

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from movements.models import PerformanceRating
from nominations.models import Nomination
from tests.factories import PersonFactory, UnitFactory, UnitUserFactory, UserFactory
from tests.factories.nominations import RoundFactory, reseed_catalogues

pytestmark = pytest.mark.django_db(transaction=True)

HEADERS = ["STT", "Cá nhân / Tập thể", "Họ và tên / Tên tập thể", "Ngày sinh", "Danh hiệu / Hình thức", "Tóm tắt thành tích"]


def person(unit, name, *, leader=False):
    p = PersonFactory(unit=unit, full_name=name, is_leadership=leader, position_title="Phó Trưởng phòng" if leader else "Chuyên viên")
    PerformanceRating.objects.create(person=p, year=2025, rating="HTTNV")
    return p


def workbook(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return str(path)


def add(page, name, position):
    page.locator("#id_person").select_option(label=f"{name} – {position}")
    page.locator("#id_award").select_option(label="Lao động tiên tiến")


def test_unit_head_hits_the_40_percent_rule_imports_and_the_office_vets(page, live_server, login, tmp_path):
    reseed_catalogues()
    unit = UnitFactory(name="Phòng Quản lý khoa học", short_code="QLKH")
    UnitFactory(name="Trung tâm Ứng dụng", short_code="TTUD")
    nomination_round = RoundFactory(name="Khen thưởng tổng kết năm 2025")
    for name in ("Trần Thị Ánh", "Lê Văn Bình", "Ngô Thu Ngọc", "Phạm Minh Đức"):
        person(unit, name)
    for name in ("Đỗ Văn Hùng", "Bùi Thị Lan"):
        person(unit, name, leader=True)
    head = UnitUserFactory(unit=unit, full_name="Trưởng phòng QLKH")
    office = UserFactory(role="office", full_name="Chuyên viên Văn phòng")

    # 1. The unit head enters nominations in any order; the 40 % rule warns while the list is a draft (issue 8).
    login(page, head)
    page.get_by_role("link", name="Đợt đề nghị").click()
    page.get_by_role("link", name="Khen thưởng tổng kết năm 2025").click()
    page.get_by_role("link", name="Phòng Quản lý khoa học").click()
    page.get_by_role("link", name="Thêm đề nghị").first.click()
    for name, position in (("Trần Thị Ánh", "Chuyên viên"), ("Lê Văn Bình", "Chuyên viên"), ("Đỗ Văn Hùng", "Phó Trưởng phòng")):
        add(page, name, position)
        expect(page.locator("#rule-feedback")).to_contain_text("Đạt các quy định kiểm tra.")
        page.get_by_role("button", name="Lưu và thêm tiếp").click()
        expect(page.get_by_role("status")).to_contain_text(f"Đã thêm đề nghị: {name} – Lao động tiên tiến.")
    add(page, "Bùi Thị Lan", "Phó Trưởng phòng")
    message = "Phòng Quản lý khoa học, năm 2025: 2/4 cá nhân là lãnh đạo, quản lý (50,0%) > 40% (tối đa 1 người)"
    expect(page.locator("#rule-feedback")).to_contain_text("Nếu gửi danh sách như hiện tại: " + message)  # a warning, before saving
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Đã thêm đề nghị: Bùi Thị Lan – Lao động tiên tiến.")
    assert Nomination.objects.count() == 4

    # 1b. R1 judges the list when it is sent: 2 leaders of 4 are refused, nothing is sent.
    page.get_by_label("Số tờ trình").fill("12/TTr-QLKH")
    page.get_by_label("Ngày tờ trình").fill("2025-12-01")
    page.get_by_role("button", name="Lưu tờ trình").click()
    page.get_by_role("link", name="Gửi danh sách").click()
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("alert").first).to_contain_text("Bùi Thị Lan – Lao động tiên tiến: R1 – Tỷ lệ cá nhân lãnh đạo, quản lý: "
                                                            + message)
    assert set(Nomination.objects.values_list("state", flat=True)) == {"draft"}

    # 2. An Excel list with one bad row, then the fixed file.
    page.get_by_role("link", name="Huỷ").click()
    page.get_by_role("link", name="Nhập từ Excel").click()
    page.locator("#id_file").set_input_files(workbook(tmp_path / "danh-sach.xlsx", [
        [1, "Cá nhân", "Ngô Thu Ngọc", None, "LĐTT", "Hoàn thành tốt nhiệm vụ"],
        [2, "Cá nhân", "Nguyễn Văn Không Có", None, "LĐTT", ""],
    ]))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_role("alert")).to_contain_text("Dòng 3, cột C: không tìm thấy “Nguyễn Văn Không Có” trong Phòng Quản lý khoa học.")
    expect(page.get_by_role("button", name="Xác nhận nhập")).to_have_count(0)
    page.locator("#id_file").set_input_files(workbook(tmp_path / "danh-sach-da-sua.xlsx", [
        [1, "Cá nhân", "Ngô Thu Ngọc", None, "LĐTT", "Hoàn thành tốt nhiệm vụ"],
        [2, "Cá nhân", "Phạm Minh Đức", None, "Lao động tiên tiến", ""],
    ]))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_text("2 dòng hợp lệ.")).to_be_visible()
    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.get_by_role("status")).to_contain_text("Đã nhập 2 dòng từ “danh-sach-da-sua.xlsx”.")
    expect(page.locator("table.nominations tbody tr")).to_have_count(6)

    # 3. The unit sends its list with its tờ trình.
    page.get_by_label("Số tờ trình").fill("12/TTr-QLKH")
    page.get_by_label("Ngày tờ trình").fill("2025-12-01")
    page.get_by_role("button", name="Lưu tờ trình").click()
    page.get_by_role("link", name="Gửi danh sách").click()
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("status")).to_contain_text("Đã gửi 6 đề nghị tới Văn phòng Sở.")  # 2 leaders of 6
    page.get_by_role("button", name="Đăng xuất").click()

    # 4. The office returns one nomination with a reason and vets the rest.
    login(page, office)
    page.get_by_role("link", name="Thẩm định", exact=True).click()
    expect(page.get_by_text("6 đề nghị chờ thẩm định")).to_be_visible()
    page.get_by_label("Chọn Lê Văn Bình").check()
    page.get_by_label("Với các đề nghị đã chọn:").select_option(label="Trả lại đơn vị")
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_label("Lý do:", exact=True).fill("Bổ sung báo cáo thành tích có xác nhận của Thủ trưởng đơn vị")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("status")).to_contain_text("1 đề nghị: Trả lại.")
    for name in ("Trần Thị Ánh", "Đỗ Văn Hùng", "Bùi Thị Lan", "Ngô Thu Ngọc", "Phạm Minh Đức"):
        page.get_by_label(f"Chọn {name}").check()
    page.get_by_label("Với các đề nghị đã chọn:").select_option(label="Thẩm định đạt")
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("status")).to_contain_text("5 đề nghị: Thẩm định đạt.")
    expect(page.get_by_text("Không có đề nghị nào chờ thẩm định.")).to_be_visible()
    states = dict(Nomination.objects.values_list("person__full_name", "state"))
    assert states == {"Trần Thị Ánh": "vetted_pass", "Lê Văn Bình": "returned", "Đỗ Văn Hùng": "vetted_pass", "Bùi Thị Lan": "vetted_pass",
                      "Ngô Thu Ngọc": "vetted_pass", "Phạm Minh Đức": "vetted_pass"}
    assert Nomination.objects.get(state="returned").last_reason == "Bổ sung báo cáo thành tích có xác nhận của Thủ trưởng đơn vị"
    assert nomination_round.nominations.count() == 6
    expect(page).to_have_url(re.compile(r"/de-nghi/tham-dinh/$"))
