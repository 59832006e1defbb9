"""Browser journey of the decisions (issue 11): the office opens the results of a closed meeting, drafts the decision
from the passed items, issues it, downloads its PDF, Word file and Excel annex; the nominations show “Có quyết định”
and the award history of the people has the decision's lines."""

import io
from pathlib import Path

import openpyxl
import pytest
from docx import Document as WordDocument
from playwright.sync_api import expect

from councils.models import Decision
from nominations.enums import NominationState
from nominations.models import AwardRecord, Nomination
from tests.factories import UserFactory
from tests.factories.councils import reseed_voting_rules, vetted
from tests.factories.decisions import agency, passed_meeting
from tests.factories.nominations import reseed_catalogues

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_office_issues_a_decision_from_a_meetings_passed_items_and_downloads_it(page, live_server, login, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    reseed_catalogues()
    reseed_voting_rules()
    agency()
    office = UserFactory(role="office", full_name="Chuyên viên Văn phòng")
    nominations = vetted(3)
    meeting, _items = passed_meeting(office=office, nominations=nominations)
    names = sorted(n.person.full_name for n in nominations)

    login(page, office)
    page.goto(f"{live_server.url}/hoi-dong/phien-hop/{meeting.pk}/ket-qua/")
    page.get_by_role("link", name="Lập quyết định, tờ trình").click()
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Thuộc thẩm quyền Giám đốc Sở")
    page.get_by_label("Ngày quyết định, tờ trình").fill("2026-01-05")  # a native date input
    page.get_by_role("button", name="Lập dự thảo").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dự thảo quyết định")
    expect(page.locator("table.list")).to_contain_text("2.130.000")  # 3 × 710.000

    page.get_by_role("link", name="Ban hành").click()
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quyết định số 01/QĐ-SKHCN")
    expect(page.locator(".messages, [role=status]").first).to_contain_text("Đã ban hành Quyết định số 01/QĐ-SKHCN")

    with page.expect_download() as pdf:
        page.get_by_role("link", name="Tải PDF").click()
    assert pdf.value.suggested_filename == "01-QĐ-SKHCN.pdf"
    assert Path(pdf.value.path()).read_bytes()[:5] == b"%PDF-"
    with page.expect_download() as docx:
        page.get_by_role("link", name="Tải Word").click()
    word = WordDocument(io.BytesIO(Path(docx.value.path()).read_bytes()))
    text = "\n".join([p.text for p in word.paragraphs] + [c.text for t in word.tables for r in t.rows for c in r.cells])
    assert "Số: 01/QĐ-SKHCN" in text and all(name in text for name in names) and "2.130.000" in text
    with page.expect_download() as xlsx:
        page.get_by_role("link", name="Danh sách (Excel)").click()
    sheet = openpyxl.load_workbook(io.BytesIO(Path(xlsx.value.path()).read_bytes())).active
    cells = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert all(name in cells for name in names)

    # the nominations show “Có quyết định”, the award history has the lines
    expect(page.locator("table.list")).to_contain_text("Có quyết định")
    page.get_by_role("link", name=nominations[0].person.full_name).click()
    expect(page.locator("body")).to_contain_text("Có quyết định")
    page.goto(f"{live_server.url}/ca-nhan/{nominations[0].person_id}/")
    expect(page.locator("body")).to_contain_text("01/QĐ-SKHCN")
    page.goto(f"{live_server.url}/de-nghi/khen-thuong/")
    for name in names:
        expect(page.locator("body")).to_contain_text(name)

    assert set(Nomination.objects.filter(pk__in=[n.pk for n in nominations]).values_list("state", flat=True)) == {NominationState.DECIDED}
    assert AwardRecord.objects.filter(decision_number="01/QĐ-SKHCN").count() == 3
    assert Decision.objects.get().state == "issued"
