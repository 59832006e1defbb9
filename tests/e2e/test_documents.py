"""Browser journey of the official documents (part: docs of issue 11): the meeting's secretary issues the minutes of a
closed meeting from its summary page and downloads them; the office prints a giấy khen from the award history and
finds its background files in "Tệp của tôi". With ``TDKT_SCREENSHOTS=<folder>`` the pages are saved as PNGs there."""

import os
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from councils.enums import VotingMethod
from councils.models import Meeting, MeetingMinutes
from movements.models import AgencyProfile
from tdkt.models import ExportJob
from tests.factories import PASSWORD, UserFactory
from tests.factories.councils import make_council, present, reseed_voting_rules, rule_for, sitting, vetted
from tests.factories.nominations import AwardFactory, reseed_catalogues, title

pytestmark = pytest.mark.django_db(transaction=True)


def shot(page, name):
    folder = os.environ.get("TDKT_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_the_secretary_issues_the_minutes_the_office_prints_and_finds_its_files(page, live_server, login, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    reseed_catalogues()
    reseed_voting_rules()
    AgencyProfile.objects.create(name="Sở Khoa học và Công nghệ", parent_name="UBND tỉnh Hưng Yên", doc_code="SKHCN",
                                 place_name="Hưng Yên", director_title="Giám đốc", director_name="Phạm Minh Đức")
    office = UserFactory(role="office", full_name="Chuyên viên Văn phòng")
    council, seats, secretary = make_council(3)
    secretary.user.set_password(PASSWORD)
    secretary.user.save(update_fields=["password"])
    rule_for(title("LDTT"), method=VotingMethod.SECRET, base="present", threshold=Decimal("50"))
    meeting, _items = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1),
                              statuses=present(seats))
    Meeting.objects.filter(pk=meeting.pk).update(state="closed")

    login(page, secretary.user)
    page.goto(f"{live_server.url}/hoi-dong/phien-hop/{meeting.pk}/ket-qua/")
    expect(page.locator(".minutes-card")).to_contain_text("Chưa ban hành: bản in để trống số.")
    shot(page, "meeting-summary-minutes")
    page.get_by_role("link", name="Ban hành biên bản").click()
    shot(page, "minutes-issue-confirm")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("status")).to_contain_text("Đã ban hành biên bản số 01/BB-HĐTĐKT.")
    expect(page.locator(".minutes-card")).to_contain_text("Biên bản số 01/BB-HĐTĐKT đã ban hành.")
    with page.expect_download() as download:
        page.get_by_role("link", name="Biên bản họp (PDF)").click()
    path = tmp_path / "bien-ban.pdf"
    download.value.save_as(path)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Số: 01/BB-HĐTĐKT" in text and MeetingMinutes.objects.get().number == "01/BB-HĐTĐKT"
    page.get_by_role("button", name="Đăng xuất").click()

    record = AwardFactory(person=seats[1].person, decision_number="05/QĐ-SKHCN")
    ExportJob.objects.create(user=office, key="nominations.list", fmt="xlsx", rows=1200, title="Danh sách đề nghị (Excel)",
                             status=ExportJob.Status.DONE, filename="de-nghi-khen-thuong.xlsx")
    login(page, office)
    page.goto(f"{live_server.url}/de-nghi/khen-thuong/")
    shot(page, "award-list-certificates")
    with page.expect_download() as download:
        page.get_by_role("link", name="Giấy khen", exact=True).click()
    assert download.value.suggested_filename == f"giay-khen-{record.pk}.pdf"
    page.get_by_role("link", name="Tệp của tôi").click()
    expect(page.get_by_role("heading", name="Tệp của tôi")).to_be_visible()
    expect(page.locator("table.my-files")).to_contain_text("Danh sách đề nghị (Excel)")
    expect(page.get_by_role("link", name="Tải về")).to_be_visible()
    shot(page, "my-files")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "my-files-phone")
