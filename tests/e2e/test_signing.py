"""Digital signatures in the browser (issue 12): the office issues a decision, signs it (“Ký số”) and seals it
(“Đóng dấu số”), downloads the signed PDF, and the page “Kiểm tra chữ ký số” reports both signatures valid."""

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from councils import services
from tests.factories import UserFactory
from tests.factories import pki as P
from tests.factories.councils import reseed_voting_rules, vetted
from tests.factories.decisions import DECISION_DAY, agency, passed_meeting
from tests.factories.nominations import reseed_catalogues

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def signing_setup(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    reseed_catalogues()  # a live-server test's database is flushed after each test: the data migrations' rows too
    reseed_voting_rules()
    pki = P.build_pki(tmp_path / "pki")
    P.configure_signing(settings, pki)
    return pki


def confirm(page):
    page.get_by_role("button", name="Xác nhận").click()


def test_office_issues_signs_seals_downloads_and_verifies(page, live_server, login, signing_setup, tmp_path):
    office = UserFactory(role="office", full_name="Văn thư Sở")
    P.agency_images(agency())
    meeting, _items = passed_meeting(office=office, nominations=vetted(3))
    (draft,) = services.decisions_create_from_meeting(actor=office, meeting=meeting, date=DECISION_DAY)

    login(page, office)
    page.goto(f"{live_server.url}/hoi-dong/quyet-dinh/{draft.pk}/")
    page.get_by_role("link", name="Ban hành").click()
    confirm(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Quyết định số 01/QĐ-SKHCN$"))
    expect(page.locator("dl.facts")).to_contain_text("Chưa ký số")

    page.get_by_role("link", name="Ký số", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ký số Quyết định số 01/QĐ-SKHCN?")
    confirm(page)
    expect(page.get_by_role("status")).to_contain_text("Đã ký số Quyết định số 01/QĐ-SKHCN")
    expect(page.locator("dl.facts")).to_contain_text("Đã ký số, chờ đóng dấu số")
    expect(page.get_by_role("link", name="Ký số", exact=True)).to_have_count(0)

    page.get_by_role("link", name="Đóng dấu số").click()
    confirm(page)
    expect(page.get_by_role("status")).to_contain_text("Đã đóng dấu số Quyết định số 01/QĐ-SKHCN.")
    expect(page.locator("dl.facts")).to_contain_text("Đã ký số và đóng dấu số")
    page.screenshot(path=str(tmp_path / "decision.png"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải PDF đã ký số").click()
    signed = tmp_path / "quyet-dinh.pdf"
    download_info.value.save_as(signed)
    assert signed.read_bytes().startswith(b"%PDF-")

    page.get_by_role("link", name="Kiểm tra chữ ký số").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra chữ ký số")
    page.get_by_label("Tệp PDF đã ký số").set_input_files(str(signed))
    page.get_by_role("button", name="Kiểm tra").click()
    expect(page.get_by_role("status")).to_have_text(
        "Cả 2 chữ ký số đều hợp lệ: văn bản còn nguyên vẹn, chứng thư được tin cậy.")
    reports = page.locator("section.sig-report")
    expect(reports).to_have_count(2)
    expect(reports.nth(0)).to_contain_text("Chữ ký 1: Nguyễn Văn An")
    expect(reports.nth(1)).to_contain_text("Chữ ký 2: Sở Khoa học và Công nghệ tỉnh Hưng Yên")
    expect(page.locator("section.sig-report.sig-ok")).to_have_count(2)
    page.screenshot(path=str(tmp_path / "verify.png"), full_page=True)
    out = Path("test-results")  # the screenshots kept for a look (where failures land too)
    out.mkdir(exist_ok=True)
    for name in ("decision.png", "verify.png"):
        shutil.copy(tmp_path / name, out / f"signing-{name}")


def test_admin_uploads_the_signature_and_seal_images(page, live_server, login, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    agency()
    (tmp_path / "chu-ky.png").write_bytes(P.signature_png())
    (tmp_path / "con-dau.png").write_bytes(P.seal_png())
    (tmp_path / "trang.png").write_bytes(P.opaque_png())
    login(page, UserFactory(role="admin"))
    page.goto(f"{live_server.url}/co-quan/")
    expect(page.locator(".agency-image-empty")).to_have_count(2)
    page.get_by_label("Ảnh chữ ký của người ký").set_input_files(str(tmp_path / "trang.png"))
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("alert").first).to_contain_text("không có nền trong suốt")
    page.get_by_label("Ảnh chữ ký của người ký").set_input_files(str(tmp_path / "chu-ky.png"))
    page.get_by_label("Ảnh con dấu").set_input_files(str(tmp_path / "con-dau.png"))
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_have_text("Đã lưu thông tin cơ quan.")
    expect(page.locator(".agency-image img")).to_have_count(2)
    Path("test-results").mkdir(exist_ok=True)
    page.screenshot(path="test-results/signing-agency.png", full_page=True)
