import re

import pytest
from playwright.sync_api import expect

from tests.factories import PersonFactory, UnitFactory, UnitUserFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_failed_login_shows_vietnamese_error(page, live_server):
    UserFactory(username="vanphong")
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("vanphong")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_have_text("Tên đăng nhập hoặc mật khẩu không đúng. Vui lòng thử lại.")
    expect(page).to_have_url(re.compile(r"/dang-nhap/$"))


def test_unit_head_sees_only_own_unit_people(page, live_server, login):
    unit_a = UnitFactory(name="Phòng Quản lý khoa học", short_code="QLKH")
    unit_b = UnitFactory(name="Trung tâm Ứng dụng", short_code="TTUD")
    PersonFactory(unit=unit_a, full_name="Trần Thị Ánh")
    PersonFactory(unit=unit_b, full_name="Lê Văn Bảo")
    login(page, UnitUserFactory(unit=unit_a))
    page.get_by_role("link", name="Cá nhân").click()
    rows = page.locator("table.list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Trần Thị Ánh")
    expect(page.get_by_text("Lê Văn Bảo")).to_have_count(0)


def test_office_creates_a_person(page, live_server, login):
    unit = UnitFactory(name="Văn phòng Sở", short_code="VP")
    login(page, UserFactory(role="office"))
    page.get_by_role("link", name="Cá nhân").click()
    page.get_by_role("link", name="Thêm cá nhân").click()
    page.get_by_label("Họ và tên").fill("  Nguyễn   Thị Hằng ")
    page.get_by_label("Giới tính").select_option(label="Nữ")
    page.get_by_label("Ngày sinh").fill("1988-01-05")
    page.get_by_label("Đơn vị:", exact=True).select_option(label=unit.name)
    page.get_by_label("Chức vụ:", exact=True).fill("Chuyên viên")
    page.get_by_label("Giữ chức vụ từ ngày").fill("2020-03-01")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nguyễn Thị Hằng")
    expect(page.get_by_role("status")).to_have_text("Đã thêm Nguyễn Thị Hằng.")
    expect(page.locator("dl.facts")).to_contain_text("05/01/1988")


def test_person_search_updates_results_in_place_under_strict_csp(page, live_server, login):
    unit = UnitFactory(name="Văn phòng Sở", short_code="VP")
    PersonFactory(unit=unit, full_name="Đặng Thị Thủy")
    PersonFactory(unit=unit, full_name="Ngô Quang Nam")
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    login(page, UserFactory(role="office"))
    page.goto(f"{live_server.url}/ca-nhan/")
    expect(page.locator("table.list tbody tr")).to_have_count(2)
    page.get_by_label("Tìm theo tên, chức vụ").fill("dang thi thuy")
    expect(page.locator("table.list tbody tr")).to_have_count(1)
    expect(page.locator("table.list tbody tr").first).to_contain_text("Đặng Thị Thủy")
    expect(page).to_have_url(re.compile(r"q=dang(%20|\+)thi(%20|\+)thuy"))
    page.get_by_label("Tình trạng").select_option(label="Đã nghỉ")
    expect(page.get_by_text("Không có cá nhân nào phù hợp với bộ lọc.")).to_be_visible()
    assert errors == []
