"""The nominations app's official documents (nominations/documents.py): a unit's dossier summary (the official list:
the unit as issuer under the Sở, the memo's number and "kèm theo" line, no internal column, no draft) and the giấy khen
(one landscape page per award record, on blank paper with the frame or fields only on the pre-printed form)."""

import datetime
import io
import subprocess
import unicodedata

import docx
import pytest
from django.urls import reverse

from movements.models import AgencyProfile
from nominations import documents
from nominations.enums import NominationState
from nominations.models import SubmissionDocument
from tdkt.documents import render_certificates, render_docx, render_pdf
from tests.factories import PersonFactory, UnitUserFactory
from tests.factories.nominations import AwardFactory, NominationFactory, form
from tests.pdfcheck import page_texts, pdf_text, render_checked

pytestmark = pytest.mark.integration


@pytest.fixture
def agency(db):
    return AgencyProfile.objects.create(name="Sở Khoa học và Công nghệ", parent_name="UBND tỉnh Hưng Yên", doc_code="SKHCN",
                                        place_name="Hưng Yên", director_title="Giám đốc", director_name="Phạm Minh Đức")


@pytest.fixture
def dossier(agency, sub_a, unit_a):
    sub_a.memo_number, sub_a.memo_date = "12/TTr-QLKH", datetime.date(2026, 1, 8)
    sub_a.save()
    sent = NominationFactory(submission=sub_a, person=PersonFactory(unit=unit_a, full_name=unicodedata.normalize("NFD", "Đặng Thị Thủy"),
                                                                   position_title="Chuyên viên"),
                             state=NominationState.VETTED_PASS, achievement_summary="Hoàn thành xuất sắc nhiệm vụ.",
                             last_reason="LÝ DO NỘI BỘ")
    draft = NominationFactory(submission=sub_a, person=PersonFactory(unit=unit_a, full_name="Nguyễn Văn Nháp"))
    returned = NominationFactory(submission=sub_a, person=PersonFactory(unit=unit_a, full_name="Lê Văn Trả"),
                                 state=NominationState.RETURNED, last_reason="Thiếu báo cáo")
    SubmissionDocument.objects.create(submission=sub_a, kind="memo", file="x.pdf", original_name="to-trinh.pdf")
    return sub_a, sent, draft, returned


def test_the_dossier_summary_is_the_official_list(dossier, office_user, unit_a, tmp_path):
    submission, sent, _draft, _returned = dossier
    document = documents.dossier_for(office_user, {"round": str(submission.round_id), "unit": str(unit_a.pk)})
    text = pdf_text(render_checked(render_pdf, document, tmp_path / "hs.pdf"))
    flat = " ".join(text.split())
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[0].startswith("SỞ KHOA HỌC VÀ CÔNG NGHỆ") and lines[1].startswith("PHÒNG QUẢN LÝ KHOA HỌC")
    number = next(line for line in lines if line.startswith("Số:"))
    assert number.startswith("Số: 12/TTr-QLKH") and number.endswith("Hưng Yên, ngày 08 tháng 01 năm 2026")
    assert "DANH SÁCH" in lines and "(Kèm theo Tờ trình số 12/TTr-QLKH ngày 08 tháng 01 năm 2026 của Phòng Quản lý khoa học)" in flat
    assert "Đặng Thị Thủy" in flat and "Chuyên viên" in flat and "Hoàn thành xuất sắc nhiệm vụ." in flat
    for internal in ("Nguyễn Văn Nháp", "Lê Văn Trả", "LÝ DO NỘI BỘ", "Thiếu báo cáo", "Trạng thái", "Thẩm định đạt"):
        assert internal not in flat  # no draft, no returned nomination, no state, no reason
    assert "Lao động tiên tiến" in flat and "to-trinh.pdf" in flat and "THỦ TRƯỞNG ĐƠN VỊ" in flat
    assert "- Lưu: VT, QLKH." in text
    word = docx.Document(io.BytesIO(render_docx(document)))
    assert [c.text for c in word.tables[0].rows[1].cells] == ["Số: 12/TTr-QLKH", "Hưng Yên, ngày 08 tháng 01 năm 2026"]


def test_the_dossier_page_serves_it_to_the_unit_and_the_office_only(client, dossier, head_a, office_user, unit_a, unit_b):
    submission, *_ = dossier
    url = reverse("nominations:submission_dossier", args=[submission.round_id, unit_a.pk])
    for user in (head_a, office_user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'attachment; filename="ho-so-de-nghi-qlkh-{submission.round_id}.pdf"'
    client.force_login(UnitUserFactory(unit=unit_b, username="truong_ttud"))
    assert client.get(url).status_code == 404
    client.force_login(head_a)
    page = client.get(reverse("nominations:submission_detail", args=[submission.round_id, unit_a.pk])).content.decode()
    assert url in page and "Hồ sơ đề nghị (PDF)" in page


def test_giay_khen_on_blank_paper_and_on_the_pre_printed_form(agency, tmp_path):
    person = PersonFactory(full_name=unicodedata.normalize("NFD", "Trần Thị Ánh"), position_title="Chuyên viên")
    record = AwardFactory(person=person, title=None, form=form("GIAY_KHEN"), year=2025, decision_number="05/QĐ-SKHCN",
                          decision_date=datetime.date(2026, 1, 5), note="Đã có thành tích xuất sắc trong năm 2025")
    certificates, layout = documents.certificates_for([record], frame=True)
    path = render_checked(lambda c: render_certificates(c, layout), certificates, tmp_path / "gk.pdf")
    text = " ".join(pdf_text(path).split())
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ", "GIẤY KHEN", "Trần Thị Ánh",
                     f"Chuyên viên, {person.unit.name}", "Đã có thành tích xuất sắc trong năm 2025",
                     "Quyết định số 05/QĐ-SKHCN ngày 05/01/2026", "Hưng Yên, ngày 05 tháng 01 năm 2026", "Phạm Minh Đức"):
        assert expected in text
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595.276 pts (A4)" in info  # landscape A4

    agency.cert_print_frame, agency.cert_name_y = False, 60
    agency.save()
    certificates, layout = documents.certificates_for([record, record])
    assert (layout.frame, layout.positions["name"]) == (False, (148, 60))
    path = render_checked(lambda c: render_certificates(c, layout), certificates, tmp_path / "phoi.pdf")
    pages = page_texts(path)
    assert len(pages) == 2 and "GIẤY KHEN" not in pages[0] and "CỘNG HÒA" not in pages[0] and "Trần Thị Ánh" in pages[0]
    bbox = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    name_line = next(line for line in bbox.splitlines() if ">Trần<" in line)
    y_min = float(name_line.split('yMin="')[1].split('"')[0])
    assert 60 * 72 / 25.4 - 1 <= y_min <= 60 * 72 / 25.4 + 12  # the field's top at 60 mm (a 24 pt line)


def test_only_the_office_prints_giay_khen(client, agency, office_user, head_a, person_a):
    record = AwardFactory(person=person_a, decision_number="07/QĐ-SKHCN")
    client.force_login(head_a)
    assert client.get(reverse("nominations:award_certificate", args=[record.pk])).status_code == 403
    assert client.get(reverse("nominations:award_certificates")).status_code == 403
    client.force_login(office_user)
    response = client.get(reverse("nominations:award_certificate", args=[record.pk]), {"khung": "0"})
    assert response["Content-Disposition"] == f'attachment; filename="giay-khen-{record.pk}.pdf"'
    response = client.get(reverse("nominations:award_certificates"), {"year": "2024"})
    assert response["Content-Disposition"] == 'attachment; filename="giay-khen.pdf"'
    empty = client.get(reverse("nominations:award_certificates"), {"year": "2019"})
    assert empty.status_code == 302
    assert "Không có khen thưởng nào để in giấy khen." in client.get(empty["Location"]).content.decode()
    page = client.get(reverse("nominations:award_list")).content.decode()
    assert reverse("nominations:award_certificate", args=[record.pk]) in page and "In lên phôi" in page
