"""Journey: a unit head registers, the office returns it with a reason, the unit fixes and resubmits, the office approves."""

import re

import pytest
from playwright.sync_api import expect

from movements.models import Registration
from tests.factories import PersonFactory, UnitFactory, UnitUserFactory, UserFactory
from tests.factories.movements import RegistrationWindowFactory, ensure_catalogues

pytestmark = pytest.mark.django_db(transaction=True)


def _logout(page):
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(r"/dang-nhap/"))


def test_registration_return_fix_resubmit_approve(page, live_server, login):
    ensure_catalogues()  # transactional tests before this one flushed the migration's data
    unit = UnitFactory(name="Phòng Quản lý khoa học", short_code="QLKH")
    other = UnitFactory(name="Trung tâm Ứng dụng", short_code="TTUD")
    PersonFactory(unit=unit, full_name="Trần Thị Ánh", position_title="Trưởng phòng", is_leadership=True, is_head=True)
    PersonFactory(unit=unit, full_name="Phạm Văn Cường")
    PersonFactory(unit=unit, full_name="Ngô Thị Lan")
    PersonFactory(unit=other, full_name="Lê Văn Bảo")
    RegistrationWindowFactory(year=2026)
    head = UnitUserFactory(unit=unit, username="truong_qlkh")
    office = UserFactory(role="office", username="vanphong")

    # 1. The unit head registers the unit and two members, then submits.
    login(page, head)
    page.get_by_role("link", name="Đăng ký thi đua").click()
    page.get_by_role("link", name="Năm 2026").click()
    expect(page.get_by_text("Lê Văn Bảo")).to_have_count(0)
    page.get_by_role("button", name="Lập phiếu đăng ký").click()
    page.get_by_label("Danh hiệu tập thể đăng ký").select_option(label="Tập thể lao động tiên tiến")
    page.get_by_label("Trần Thị Ánh").select_option(label="Chiến sĩ thi đua cơ sở")
    page.get_by_label("Phạm Văn Cường").select_option(label="Lao động tiên tiến")
    page.get_by_role("button", name="Lưu phiếu đăng ký").click()
    rows = page.locator("table.list").first.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Trần Thị Ánh")
    expect(rows.nth(0)).to_contain_text("Chiến sĩ thi đua cơ sở")
    page.get_by_role("link", name="Gửi phiếu đăng ký").click()
    page.get_by_role("button", name="Gửi phiếu đăng ký").click()
    expect(page.get_by_role("status")).to_have_text("Đã gửi phiếu đăng ký thi đua đến Văn phòng Sở.")
    expect(page.locator("h1 .badge")).to_have_text("Chờ duyệt")
    expect(page.get_by_role("link", name="Sửa phiếu đăng ký")).to_have_count(0)
    _logout(page)

    # 2. The office returns it with a reason.
    login(page, office)
    page.get_by_role("link", name="Đăng ký thi đua").click()
    page.get_by_role("link", name="Năm 2026").click()
    row = page.locator("table.list tbody tr", has_text="Phòng Quản lý khoa học")
    expect(row).to_contain_text("Chờ duyệt")
    row.get_by_role("link", name="Phòng Quản lý khoa học").click()
    page.get_by_role("link", name="Trả lại").click()
    page.get_by_label("Lý do trả lại").fill("Đề nghị bổ sung sáng kiến của đồng chí Trần Thị Ánh (đăng ký CSTĐCS).")
    page.get_by_role("button", name="Trả lại").click()
    expect(page.get_by_role("status")).to_have_text("Đã trả lại phiếu đăng ký cho Phòng Quản lý khoa học.")
    _logout(page)

    # 3. The unit head sees the reason, fixes and resubmits.
    login(page, head)
    page.get_by_role("link", name="Đăng ký thi đua").click()
    page.get_by_role("link", name="Năm 2026").click()
    expect(page.get_by_role("note").filter(has_text="trả lại")).to_contain_text("Đề nghị bổ sung sáng kiến của đồng chí Trần Thị Ánh (đăng ký CSTĐCS).")
    expect(page.locator("h1 .badge")).to_have_text("Trả lại")
    page.get_by_role("link", name="Thêm sáng kiến").click()
    page.get_by_label("Tên sáng kiến").fill("Quy trình nghiệm thu nhiệm vụ khoa học trực tuyến")
    page.get_by_label("Tác giả").select_option(label="Trần Thị Ánh")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_have_text("Đã thêm sáng kiến.")
    page.get_by_role("link", name="Gửi lại phiếu đăng ký").click()
    page.get_by_role("button", name="Gửi phiếu đăng ký").click()
    expect(page.locator("h1 .badge")).to_have_text("Chờ duyệt")
    expect(page.get_by_role("note")).to_have_count(0)
    _logout(page)

    # 4. The office approves.
    login(page, office)
    page.get_by_role("link", name="Đăng ký thi đua").click()
    page.get_by_role("link", name="Năm 2026").click()
    page.locator("table.list tbody tr", has_text="Phòng Quản lý khoa học").get_by_role("link", name="Xem và duyệt").click()
    expect(page.get_by_text("Quy trình nghiệm thu nhiệm vụ khoa học trực tuyến")).to_be_visible()
    page.get_by_role("link", name="Duyệt").click()
    page.get_by_role("button", name="Duyệt").click()
    expect(page.get_by_role("status")).to_have_text("Đã duyệt phiếu đăng ký của Phòng Quản lý khoa học.")
    expect(page.locator("h1 .badge")).to_have_text("Đã duyệt")

    registration = Registration.objects.get()
    assert registration.state == "approved"
    assert sorted(registration.entries.values_list("person__full_name", "title__code")) == [
        ("Phạm Văn Cường", "LDTT"), ("Trần Thị Ánh", "CSTDCS")]
