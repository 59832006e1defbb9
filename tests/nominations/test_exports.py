import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from nominations.exports import NominationListExporter
from nominations.models import AwardRecord, Nomination
from tdkt.exports import render_xlsx as to_xlsx
from tdkt.exports import xlsx
from tests.factories import PersonFactory
from tests.factories.nominations import AwardFactory, NominationFactory, form, title

pytestmark = pytest.mark.integration


def read(content):
    return load_workbook(io.BytesIO(content))


def nominations():
    return Nomination.objects.select_related("round", "submission__unit", "person", "unit", "title", "form").order_by("pk")


def test_the_nomination_list_export_with_formula_safe_cells(sub_a):
    tricky = PersonFactory(unit=sub_a.unit, full_name="=HYPERLINK(\"http://x\",\"bấm\")", date_of_birth=datetime.date(1980, 1, 5))
    NominationFactory(submission=sub_a, person=tricky, achievement_summary="+84 912 345 678\x07 gọi ngay")
    NominationFactory(submission=sub_a, person=PersonFactory(unit=sub_a.unit, full_name="Lê Văn Bình"),
                      achievement_summary="@SUM(1+1)", last_reason="-1")
    sheet = read(to_xlsx(NominationListExporter(nominations())))["Danh sách đề nghị khen thưởng"]
    rows = [r for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]
    assert rows[0][0] == "Danh sách đề nghị khen thưởng"
    assert rows[1] == ("STT", "Họ và tên / Tên tập thể", "Ngày sinh", "Chức vụ", "Đơn vị đề nghị", "Danh hiệu / Hình thức", "Đợt đề nghị",
                       "Năm", "Trạng thái", "Tóm tắt thành tích", "Lý do trả lại, không đạt")
    assert rows[2][:2] == (1, '=HYPERLINK("http://x","bấm")')
    assert rows[2][2] == datetime.datetime(1980, 1, 5)
    assert rows[2][4:] == ("Phòng Quản lý khoa học", "Lao động tiên tiến", "Tổng kết năm 2025", 2025, "Nháp", "+84 912 345 678 gọi ngay", None)
    assert rows[3][9:] == ("@SUM(1+1)", "-1")
    # nothing is a formula: every text cell that looks like one is stored as text
    cells = [c for row in sheet.iter_rows(min_row=4) for c in row if isinstance(c.value, str)]
    assert {c.data_type for c in cells} == {"s"}


def test_the_rows_come_from_one_query_of_the_printed_columns(sub_a, django_assert_num_queries):
    NominationFactory(submission=sub_a, person=PersonFactory(unit=sub_a.unit, full_name="Lê Văn Bình", position_title="Chuyên viên",
                                                            date_of_birth=datetime.date(1985, 3, 4)),
                      state="council_passed", achievement_summary="Có sáng kiến.")
    NominationFactory(submission=sub_a, unit=sub_a.unit, form=form("GIAY_KHEN"), state="returned", last_reason="Thiếu minh chứng")
    exporter = NominationListExporter(nominations())
    with django_assert_num_queries(1):
        rows = list(exporter.rows())
    assert rows == [
        ("Lê Văn Bình", datetime.date(1985, 3, 4), "Chuyên viên", "Phòng Quản lý khoa học", "Lao động tiên tiến", "Tổng kết năm 2025",
         2025, "Hội đồng thông qua", "Có sáng kiến.", ""),
        ("Phòng Quản lý khoa học", None, None, "Phòng Quản lý khoa học", "Giấy khen của Giám đốc Sở", "Tổng kết năm 2025", 2025,
         "Trả lại", "", "Thiếu minh chứng"),
    ]


def test_the_award_history_rows_come_from_one_query(person_a, django_assert_num_queries):
    from nominations.exports import AwardHistoryExporter

    AwardFactory(person=person_a, year=2023, decision_number="05/QĐ-SKHCN", decision_date=datetime.date(2024, 1, 5))
    AwardFactory(person=None, unit=person_a.unit, title=None, form=form("BK_TINH"), year=2022, kind="ad_hoc", issuer="",
                  decision_number="", decision_date=None)
    with django_assert_num_queries(1):
        rows = list(AwardHistoryExporter(AwardRecord.objects.order_by("-year")).rows())
    assert rows == [
        ("Trần Thị Ánh", "Phòng Quản lý khoa học", "Lao động tiên tiến", 2023, "Tổng kết năm", "05/QĐ-SKHCN", datetime.date(2024, 1, 5),
         "Giám đốc Sở"),
        ("Phòng Quản lý khoa học", "Phòng Quản lý khoa học", "Bằng khen của Chủ tịch UBND tỉnh", 2022, "Đột xuất", "", None, ""),
    ]


def test_exports_use_a_write_only_workbook(sub_a, monkeypatch):
    seen = []
    real = xlsx.Workbook

    def spy(*args, **kwargs):
        seen.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(xlsx, "Workbook", spy)
    to_xlsx(NominationListExporter(nominations()))
    assert seen == [{"write_only": True}]


def test_the_export_view_follows_the_filters_and_the_scope(client, head_a, sub_a, sub_b):
    NominationFactory(submission=sub_a, person=PersonFactory(unit=sub_a.unit, full_name="Trần Thị Ánh"))
    NominationFactory(submission=sub_a, person=PersonFactory(unit=sub_a.unit, full_name="Ngô Thu Ngọc"), title=title("CSTDCS"))
    NominationFactory(submission=sub_b, person=PersonFactory(unit=sub_b.unit, full_name="Lê Văn Bảo"))
    client.force_login(head_a)
    response = client.get(reverse("nominations:nomination_export"), {"award": f"t:{title('LDTT').pk}"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="de-nghi-khen-thuong.xlsx"'
    names = [row[1] for row in read(response.content).active.iter_rows(min_row=5, values_only=True)]
    assert names == ["Trần Thị Ánh"]
    response = client.get(reverse("nominations:nomination_export"), {"unit": sub_b.unit_id})
    # another unit in the filter is not a valid choice for a unit head: still only their own rows
    assert [row[1] for row in read(response.content).active.iter_rows(min_row=5, values_only=True)] == ["Trần Thị Ánh", "Ngô Thu Ngọc"]


def test_the_award_history_export(client, office_user, person_a):
    AwardFactory(person=person_a, year=2023, decision_number="05/QĐ-SKHCN", decision_date=datetime.date(2024, 1, 5))
    AwardFactory(person=None, unit=person_a.unit, title=title("TTLDTT"), year=2023)
    client.force_login(office_user)
    response = client.get(reverse("nominations:award_export"), {"year": 2023})
    rows = list(read(response.content).active.iter_rows(min_row=5, values_only=True))
    assert [(r[1], r[2], r[3], r[4], r[5]) for r in rows] == [
        ("Trần Thị Ánh", "Phòng Quản lý khoa học", "Lao động tiên tiến", 2023, "Tổng kết năm"),
        ("Phòng Quản lý khoa học", "Phòng Quản lý khoa học", "Tập thể lao động tiên tiến", 2023, "Tổng kết năm")]
    assert AwardRecord.objects.count() == 2


def test_the_nomination_list_also_exports_as_pdf(client, head_a, sub_a):
    NominationFactory(submission=sub_a, person=PersonFactory(unit=sub_a.unit, full_name="Trần Thị Ánh"))
    client.force_login(head_a)
    response = client.get(reverse("nominations:nomination_export"), {"dinh-dang": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="de-nghi-khen-thuong.pdf"'
    assert response.content.startswith(b"%PDF")


# ---------------------------------------------------------------- a round by unit, statistics (part: docs, issue 11)

def test_a_round_by_unit_has_a_sheet_per_unit(client, office_user, sub_a, sub_b, head_a):
    from tests.factories.nominations import staff

    for submission, state in ((sub_a, "submitted"), (sub_b, "vetted_pass")):
        for person in staff(submission.unit, 2):
            NominationFactory(submission=submission, person=person, state=state, achievement_summary="Hoàn thành xuất sắc")
    NominationFactory(submission=sub_b, person=PersonFactory(unit=sub_b.unit, full_name="Nháp Của Đơn Vị B"))
    client.force_login(office_user)
    url = reverse("nominations:round_by_unit_export", args=[sub_a.round_id])
    wb = read(client.get(url).content)
    assert wb.sheetnames == ["Phòng Quản lý khoa học", "Trung tâm Ứng dụng"]
    ws = wb["Trung tâm Ứng dụng"]
    assert ws.freeze_panes == "A6" and ws.print_title_rows == "$5:$5" and ws.page_setup.orientation == "landscape"
    assert [r[1] for r in ws.iter_rows(min_row=6, values_only=True)] == [
        n.person.full_name for n in Nomination.objects.filter(submission=sub_b).order_by("pk")]  # a working list: as the list page
    client.force_login(head_a)
    assert read(client.get(url).content).sheetnames == ["Phòng Quản lý khoa học"]  # the unit reads only its own


def test_round_statistics_count_by_title_and_unit_with_the_leaders_share(client, office_user, sub_a, sub_b):
    from tests.factories.nominations import staff

    leaders, others = staff(sub_a.unit, 1, leader=True), staff(sub_a.unit, 3)
    for person in leaders + others:
        NominationFactory(submission=sub_a, person=person, state="submitted")
    NominationFactory(submission=sub_b, person=staff(sub_b.unit, 1)[0], state="vetted_fail")  # refused: not counted
    NominationFactory(submission=sub_b, unit=sub_b.unit, person=None, title=title("TTLDTT"), state="submitted")
    client.force_login(office_user)
    ws = read(client.get(reverse("nominations:round_statistics_export", args=[sub_a.round_id])).content).active
    rows = [r for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)]
    assert rows[0][0] == f"Thống kê đề nghị khen thưởng: {sub_a.round.name}"
    by_award = rows.index(("I. THEO DANH HIỆU, HÌNH THỨC", None, None, None, None, None))
    assert rows[by_award + 2] == (1, "Lao động tiên tiến", 4, 0, 1, 25)
    assert rows[by_award + 3] == (2, "Tập thể lao động tiên tiến", 0, 1, 0, None)
    assert rows[by_award + 4] == (None, "Tổng cộng", 4, 1, 1, 25)
    by_unit = rows.index(("II. THEO ĐƠN VỊ", None, None, None, None, None))
    assert rows[by_unit + 2:by_unit + 5] == [(1, "Phòng Quản lý khoa học", 4, 0, 1, 25), (2, "Trung tâm Ứng dụng", 0, 1, 0, None),
                                             (None, "Tổng cộng", 4, 1, 1, 25)]
