"""The council's documents (councils/minutes.py): the biên bản họp Hội đồng (Mẫu 1.9) and the biên bản kiểm phiếu,
numbered in the council's own series when the secretary issues them, printed on the Nghị định 30 document base."""

import io
import re

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from councils import minutes, selectors, services
from councils.models import MeetingMinutes
from tdkt.documents import render_docx, render_pdf
from tdkt.models import AuditEvent
from tdkt.roles import Role
from tests.factories import UnitUserFactory, UserFactory
from tests.factories.councils import present, sitting, vetted
from tests.pdfcheck import pdf_text, render_checked

pytestmark = pytest.mark.integration


def test_the_secretary_issues_the_minutes_and_takes_numbers_in_the_council_series(closed, office):
    meeting, seats, secretary, _own, _cstdcs = closed
    with pytest.raises(PermissionDenied):
        services.meeting_minutes_issue(actor=seats[1].user, meeting=meeting)
    issued = services.meeting_minutes_issue(actor=secretary.user, meeting=meeting)
    year = timezone.localdate().year
    assert (issued.number, issued.tally_number) == ("01/BB-HĐTĐKT", "02/BB-HĐTĐKT")
    assert AuditEvent.objects.filter(content_type__model="meetingminutes", object_id=str(issued.pk), action="create").count() == 1
    with pytest.raises(ValidationError, match="đã được ban hành"):
        services.meeting_minutes_issue(actor=office, meeting=meeting)
    assert MeetingMinutes.objects.count() == 1 and year >= 2026


def test_an_open_meeting_has_no_minutes_to_issue(office, council9):
    council, seats, secretary = council9
    meeting, _items = sitting(office=office, council=council, chair=seats[0], secretary=secretary,
                              nominations=vetted(1), statuses=present(seats))
    with pytest.raises(ValidationError, match="chưa kết thúc"):
        services.meeting_minutes_issue(actor=secretary.user, meeting=meeting)
    assert not MeetingMinutes.objects.exists()


def test_the_minutes_pdf_follows_form_1_9(closed, tmp_path):
    meeting, seats, secretary, own, cstdcs = closed
    draft = pdf_text(render_checked(render_pdf, minutes.minutes_document(selectors.meeting_summary(meeting)), tmp_path / "d.pdf"))
    assert re.search(r"Số: {2,}/BB-HĐTĐKT", draft)  # not issued yet: the number left blank
    services.meeting_minutes_issue(actor=secretary.user, meeting=meeting)
    meeting = type(meeting).objects.get(pk=meeting.pk)
    text = pdf_text(render_checked(render_pdf, minutes.minutes_document(selectors.meeting_summary(meeting)), tmp_path / "m.pdf"))
    flat = " ".join(text.split())
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    number = next(line for line in lines if line.startswith("Số:"))
    assert lines[0].startswith("SỞ KHOA HỌC VÀ CÔNG NGHỆ") and lines[1].startswith("HỘI ĐỒNG THI ĐUA - KHEN")
    assert number == "Số: 01/BB-HĐTĐKT"  # and no place-and-date line beside it
    assert "BIÊN BẢN" in lines and "Họp Hội đồng Thi đua - Khen thưởng: Phiên họp xét khen thưởng" in flat
    assert "Thời gian: bắt đầu vào 08 giờ 30 ngày 15 tháng 01 năm 2026." in flat
    assert "Địa điểm: Phòng họp tầng 3." in flat
    assert f"Chủ trì: {seats[0].person.full_name}, Chủ tịch Hội đồng." in flat
    assert f"Thư ký: {secretary.person.full_name}." in flat
    assert "Có mặt: 7/9 thành viên có quyền biểu quyết:" in flat
    assert f"Vắng mặt, có ý kiến bằng văn bản: {seats[7].person.full_name} (lý do: không có lý do)." in flat
    assert f"Vắng mặt: {seats[8].person.full_name} (lý do: Đi công tác); {secretary.person.full_name} (lý do: không có lý do)." in flat
    assert "Hình thức và quy tắc biểu quyết: Biểu quyết công khai;" in flat
    assert "Hình thức và quy tắc biểu quyết: Bỏ phiếu kín;" in flat
    # per item: counts and percentage (LĐTT 5/6 = 83,33 %, the nominee recused; CSTĐCS 5 of all 9 = 55,56 %)
    assert re.search(rf"1 +{own.person.full_name} +.* 5 +0 +0 +83,33 +Đạt", text)
    assert re.search(rf"1 +{cstdcs.person.full_name} +.* 5 +1 +1 +55,56 +Đạt", text)
    assert f"Thành viên không tham gia xét: {seats[5].person.full_name} ({own.person.full_name}: Là người được đề nghị)." in flat
    assert "Hội đồng thống nhất: 2 trường hợp đạt, 0 trường hợp không đạt." in flat
    assert "Cuộc họp kết thúc vào 10 giờ 15 ngày 15 tháng 01 năm 2026." in flat
    signatures = next(line for line in text.splitlines() if "THƯ KÝ" in line)
    assert signatures.index("THƯ KÝ") < signatures.index("CHỦ TỌA")
    assert "- Thành viên Hội đồng;" in text and "- Lưu: VT, Hồ sơ." in text


def test_the_vote_count_minutes_print_counts_only(closed, tmp_path):
    meeting, seats, secretary, own, cstdcs = closed
    services.meeting_minutes_issue(actor=secretary.user, meeting=meeting)
    meeting = type(meeting).objects.get(pk=meeting.pk)
    document = minutes.tally_document(selectors.meeting_summary(meeting))
    text = pdf_text(render_checked(render_pdf, document, tmp_path / "kp.pdf"))
    flat = " ".join(text.split())
    assert "Số: 02/BB-HĐTĐKT" in text and "Kèm theo Biên bản họp Hội đồng số 01/BB-HĐTĐKT." in flat
    # the item's row: its number and subject, then issued, returned, yes, no, abstain, share, outcome (a long factory
    # name may wrap inside its cell, so the name and the counts are read on their own)
    assert re.search(r"^ *1 +Nguyễn Văn Thử \d+", text, re.M)
    assert re.search(r" 7 +7 +5 +1 +1 +55,56 +Đạt$", text, re.M)
    assert own.person.full_name not in flat  # the open vote is not in the count
    voters = [seat.person.full_name for seat in seats[1:7]]  # the chair (seats[0]) signs
    assert not [name for name in voters if re.search(rf"{name}\b", flat)]  # no voter named: only the signatories
    docx_text = "\n".join(p.text for p in docx.Document(io.BytesIO(render_docx(document))).paragraphs)
    assert "Kèm theo Biên bản họp Hội đồng số 01/BB-HĐTĐKT." in docx_text


def test_the_pages_offer_and_serve_the_minutes(client, closed, office, unit_a):
    meeting, seats, secretary, _own, _cstdcs = closed
    client.force_login(secretary.user)
    page = client.get(reverse("councils:meeting_summary", args=[meeting.pk])).content.decode()
    issue = reverse("councils:minutes_issue", args=[meeting.pk])
    assert issue in page and "Chưa ban hành: bản in để trống số." in page
    assert "Ban hành biên bản phiên họp" in client.get(issue).content.decode()
    assert client.post(issue).status_code == 302
    assert MeetingMinutes.objects.get().number == "01/BB-HĐTĐKT"
    page = client.get(reverse("councils:meeting_summary", args=[meeting.pk])).content.decode()
    assert "Biên bản số <strong>01/BB-HĐTĐKT</strong> đã ban hành." in page and issue not in page
    url = reverse("councils:minutes_download", args=[meeting.pk])
    for user in (office, seats[3].user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'attachment; filename="bien-ban-hop-{meeting.pk}.pdf"'
    assert client.get(url + "?loai=kiem-phieu")["Content-Disposition"] == f'attachment; filename="bien-ban-kiem-phieu-{meeting.pk}.pdf"'
    word = client.get(url + "?dinh-dang=docx")
    assert "Số: 01/BB-HĐTĐKT" in [c.text for c in docx.Document(io.BytesIO(word.content)).tables[0].rows[1].cells]
    assert client.post(issue).status_code == 403  # a member without the secretary's seat
    for outsider in (UnitUserFactory(unit=unit_a, password=None), UserFactory(role=Role.COUNCIL, password=None)):
        client.force_login(outsider)
        assert client.get(url).status_code in (403, 404)
