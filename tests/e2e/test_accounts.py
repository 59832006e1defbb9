"""Accounts without the Django admin, in Chromium (polish, issue 13). The live server runs in a thread of this
process, so the e-mails it sends land in this process's locmem outbox (``django.core.mail.outbox``)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import UnitFactory, UnitUserFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"(http://\S+/dat-mat-khau/\S+/\S+/)")
NEW_PASSWORD = "Sen-hong-Dong-Thap-26"


def _link_in_outbox(to):
    assert [m.to for m in mail.outbox] == [[to]]
    match = LINK.search(mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1)


def _set_password_and_log_in(page, live_server, link, username):
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Đặt mật khẩu mới")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Lưu mật khẩu mới").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã đặt mật khẩu mới")
    page.get_by_role("link", name="Đăng nhập").last.click()
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
    # the link is used up
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Liên kết không còn dùng được")


def test_new_user_resets_a_forgotten_password_through_the_emailed_link(page, live_server):
    unit = UnitFactory(name="Phòng Quản lý khoa học", short_code="QLKH")
    UnitUserFactory(unit=unit, username="qlkh.moi", email="qlkh.moi@example.test")
    UnitUserFactory(unit=UnitFactory(name="Trung tâm Ứng dụng", short_code="TTUD"), username="ttud", email="ttud@example.test")
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_role("link", name="Quên mật khẩu?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quên mật khẩu")
    page.get_by_label("Thư điện tử").fill("qlkh.moi@example.test")
    page.get_by_role("button", name="Gửi liên kết đặt mật khẩu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hãy kiểm tra hộp thư")
    link = _link_in_outbox("qlkh.moi@example.test")
    assert mail.outbox[0].subject == "Đặt lại mật khẩu tài khoản TĐKT"
    _set_password_and_log_in(page, live_server, link, "qlkh.moi")


def test_office_creates_an_account_and_the_new_user_sets_the_password(page, live_server, login):
    unit = UnitFactory(name="Phòng Quản lý khoa học", short_code="QLKH")
    login(page, UserFactory(role="office", username="vanphong"))
    page.goto(f"{live_server.url}/don-vi/{unit.pk}/")
    page.get_by_role("link", name="Tạo tài khoản").click()
    page.get_by_label("Tên đăng nhập").fill("qlkh.vanthu")
    page.get_by_label("Họ và tên").fill("Phạm Thị Thu")
    page.get_by_label("Thư điện tử").fill("thu@example.test")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_have_text(
        "Đã tạo tài khoản qlkh.vanthu và gửi liên kết đặt mật khẩu đến thu@example.test.")
    expect(page.locator("#tai-khoan + div table")).to_contain_text("Phạm Thị Thu")
    link = _link_in_outbox("thu@example.test")
    page.context.clear_cookies()
    _set_password_and_log_in(page, live_server, link, "qlkh.vanthu")
