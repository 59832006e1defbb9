"""The meeting summary exported through the shared exporter interface (councils/exports.py): XLSX and PDF from one data
source, only for those who may read the meeting."""

import io
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from openpyxl import load_workbook

from councils import selectors, services
from councils.enums import Choice, VotingBase, VotingMethod
from councils.exports import MeetingSummaryExporter
from nominations.enums import NominationState
from tdkt.exports import build_export, render_pdf, render_xlsx
from tdkt.roles import Role
from tests.factories import UnitUserFactory, UserFactory
from tests.factories.councils import present, rule_for, sitting, vetted
from tests.factories.nominations import NominationFactory, SubmissionFactory, title

pytestmark = pytest.mark.integration


@pytest.fixture
def finished(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"), method=VotingMethod.OPEN, base=VotingBase.PRESENT, threshold=Decimal("50"), comparison="gt")
    rule_for(title("CSTDCS"), method=VotingMethod.SECRET, base=VotingBase.ALL, threshold=Decimal("70"))
    own = NominationFactory(submission=SubmissionFactory(unit=seats[5].person.unit), person=seats[5].person,
                            state=NominationState.VETTED_PASS)
    cstdcs = vetted(1, code="CSTDCS")
    meeting, items = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=[own, *cstdcs],
                             statuses=present(seats[:8], written=seats[8:]))
    ldtt, secret = sorted(items, key=lambda i: i.position)
    services.voting_open(actor=seats[0].user, items=[ldtt, secret])
    for seat, choice in zip(seats[:5], [Choice.YES, Choice.YES, Choice.NO, Choice.YES, Choice.ABSTAIN], strict=True):
        services.vote_cast(actor=seat.user, item=ldtt, choice=choice)
    for seat in seats[:6]:
        services.vote_cast(actor=seat.user, item=secret, choice=Choice.YES)
    services.voting_close(actor=seats[0].user, items=[ldtt, secret])
    return meeting, seats, secretary, own, cstdcs[0]


def test_the_summary_as_a_workbook(finished):
    meeting, seats, secretary, own, cstdcs = finished
    content = render_xlsx(MeetingSummaryExporter(selectors.meeting_summary(meeting)))
    rows = [r for r in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True) if any(v is not None for v in r)]
    assert rows[0][0] == "Kết quả xét khen thưởng: Phiên họp xét khen thưởng"
    assert rows[1][0] == (f"Họp ngày 15/01/2026, 08:30, tại Phòng họp tầng 3; chủ trì: {seats[0].person.full_name}; thư ký: "
                          f"{secretary.person.full_name}; có mặt 8/9 thành viên có quyền biểu quyết, 1 vắng mặt có ý kiến bằng văn bản.")
    assert rows[2][0] == "I. THÀNH PHẦN"
    assert rows[4] == (1, seats[0].person.full_name, "Chủ tịch Hội đồng", seats[0].person.unit.name, "Có mặt", None,
                       *([None] * 7))
    assert rows[12][3:5] == (seats[8].person.unit.name, "Vắng mặt, có ý kiến bằng văn bản")
    assert rows[13][1:6] == (secretary.person.full_name, "Thư ký", secretary.person.unit.name, "Vắng mặt", "không biểu quyết")
    results = rows.index(("II. KẾT QUẢ BIỂU QUYẾT", *([None] * 12)))
    assert rows[results + 2] == (1, own.person.full_name, own.submission.unit.name, "Lao động tiên tiến", "Biểu quyết công khai",
                                 3, 1, 1, 7, 42.86, "Không đạt",
                                 f"{seats[5].person.full_name} (Là người được đề nghị)", None)
    assert rows[results + 3] == (2, cstdcs.person.full_name, cstdcs.submission.unit.name, "Chiến sĩ thi đua cơ sở", "Bỏ phiếu kín",
                                 6, 0, 0, 9, 66.67, "Không đạt", None, None)
    assert rows[results + 4][1] == "Đạt: 0; không đạt: 2"
    assert rows[results + 5][0] == "III. BIỂU QUYẾT CÔNG KHAI: Ý KIẾN CỦA TỪNG THÀNH VIÊN"
    assert [r[2:4] for r in rows[results + 7:]] == [
        (seats[0].person.full_name, "Đồng ý"), (seats[1].person.full_name, "Đồng ý"), (seats[2].person.full_name, "Không đồng ý"),
        (seats[3].person.full_name, "Đồng ý"), (seats[4].person.full_name, "Không biểu quyết")]


def test_the_summary_as_a_pdf(finished, tmp_path):
    meeting, seats, _secretary, _own, _cstdcs = finished
    path = tmp_path / "ket-qua.pdf"
    path.write_bytes(render_pdf(MeetingSummaryExporter(selectors.meeting_summary(meeting))))
    # reading order, whitespace folded: a cell's text may wrap inside its column (widths follow the content)
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())
    for expected in ("KẾT QUẢ XÉT KHEN THƯỞNG: PHIÊN HỌP XÉT KHEN THƯỞNG", "I. THÀNH PHẦN", "II. KẾT QUẢ BIỂU QUYẾT",
                     "42,86", "66,67", "Đạt: 0; không đạt: 2", seats[4].person.full_name):
        assert expected in text


def test_only_who_may_read_the_meeting_exports_it(finished, office, unit_a):
    meeting, seats, _secretary, _own, _cstdcs = finished
    for user in (office, seats[2].user):
        assert build_export("councils.meeting_summary", user, {"meeting": str(meeting.pk)}).summary.meeting == meeting
    with pytest.raises(PermissionDenied):
        build_export("councils.meeting_summary", UnitUserFactory(unit=unit_a, password=None), {"meeting": str(meeting.pk)})
    with pytest.raises(PermissionDenied):
        build_export("councils.meeting_summary", UserFactory(role=Role.COUNCIL, password=None), {"meeting": str(meeting.pk)})
    for params in ({"meeting": "x"}, {"meeting": str(meeting.pk + 1)}, {}):
        with pytest.raises(Http404):
            build_export("councils.meeting_summary", office, params)
