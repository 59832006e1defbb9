"""Excel imports: every malformed file gets a clear message and the database stays unchanged."""

import datetime
import io
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from movements.models import PerformanceRating
from nominations.importers import AwardHistoryImporter, NominationImporter
from nominations.models import AwardRecord, Nomination, RuleOverride
from nominations.rules_engine import STAGE_ENTRY, evaluate
from tests.factories import PersonFactory
from tests.factories.nominations import SubmissionFactory, build_nomination, staff, title

pytestmark = pytest.mark.integration

HEADERS = ["STT", "Cá nhân / Tập thể", "Họ và tên / Tên tập thể", "Ngày sinh", "Danh hiệu / Hình thức", "Tóm tắt thành tích"]


def xlsx(rows, *, headers=HEADERS, sheet="Danh sách", name="danh-sach.xlsx"):
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


@pytest.fixture
def importer(round_2025, unit_a):
    return NominationImporter(nomination_round=round_2025, unit=unit_a)


def person(unit, name, born=datetime.date(1985, 5, 17), rating="HTTNV", **kwargs):
    p = PersonFactory(unit=unit, full_name=name, date_of_birth=born, **kwargs)
    PerformanceRating.objects.create(person=p, year=2025, rating=rating)
    return p


def nfd(text):
    return unicodedata.normalize("NFD", text)


# ---------------------------------------------------------------- template

def test_the_template_has_headers_a_sample_row_and_instructions(importer, unit_a):
    person(unit_a, "Trần Thị Ánh")
    book = load_workbook(io.BytesIO(importer.template(importer.sample_row())))
    sheet = book["Danh sách"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert [c.value for c in sheet[2]][:5] == ["Ví dụ", "Cá nhân", "Trần Thị Ánh", "17/05/1985", "Lao động tiên tiến"]
    assert book.sheetnames == ["Danh sách", "Hướng dẫn"]
    untouched = SimpleUploadedFile("mau.xlsx", importer.template(importer.sample_row()))
    assert importer.preview(untouched).errors == ["Tệp không có dòng dữ liệu nào (dòng “Ví dụ” của tệp mẫu được bỏ qua)."]


# ---------------------------------------------------------------- a good file

def test_nfd_names_spaces_text_and_cell_dates_codes_and_names(importer, office_user, unit_a):
    anh = person(unit_a, "Trần Thị Ánh", born=datetime.date(1980, 1, 5))
    binh = person(unit_a, "Lê Văn Bình", born=datetime.date(1990, 3, 2))
    cuong = person(unit_a, "Phạm Quốc Cường", born=datetime.date(1979, 12, 1))
    upload = xlsx([
        [1, "Cá nhân", nfd("  Trần   Thị Ánh "), "05/01/1980", "LĐTT", nfd("Hoàn thành  tốt\nnhiệm vụ ")],
        [2, nfd("cá nhân"), "lê văn bình", datetime.datetime(1990, 3, 2), "Lao động tiên tiến", None],
        [3, None, "Phạm Quốc Cường", 1979, "ldtt", ""],
        [None, None, None, None, None, None],
    ])
    preview = importer.preview(upload)
    assert preview.all_errors == []
    assert [row.obj.person for row in preview.rows] == [anh, binh, cuong]
    created = importer.save(upload, actor=office_user)
    assert [(n.person, n.title.code, n.state, n.achievement_summary) for n in created] == [
        (anh, "LDTT", "draft", "Hoàn thành tốt\nnhiệm vụ"), (binh, "LDTT", "draft", ""), (cuong, "LDTT", "draft", "")]


def test_a_collective_row_is_the_unit_itself(importer, office_user, unit_a, unit_b):
    staff(unit_a, 3)
    PerformanceRating.objects.create(unit=unit_a, year=2025, rating="HTTNV")
    rows = [[i + 1, "Cá nhân", p.full_name, None, "LĐTT", ""] for i, p in enumerate(unit_a.people.all()[:2])]
    rows += [[3, "Tập thể", "phòng quản lý khoa học", None, "TTLĐTT", ""], [4, "Tập thể", unit_b.name, None, "TTLĐTT", ""]]
    preview = importer.preview(xlsx(rows))
    assert preview.all_errors == [
        "Dòng 5, cột C: tập thể “Trung tâm Ứng dụng” không phải Phòng Quản lý khoa học hoặc đơn vị cấp dưới của nó."]
    assert preview.rows[2].obj.unit == unit_a


# ---------------------------------------------------------------- malformed files

@pytest.mark.parametrize(("upload", "message"), [
    (lambda: xlsx([[1, "Cá nhân", "A", None, "LĐTT", ""]], headers=["STT", "Cá nhân / Tập thể", "Tên", "Ngày sinh",
                                                                   "Danh hiệu / Hình thức", "Tóm tắt thành tích"]),
     "Dòng 1, cột C: tiêu đề phải là “Họ và tên / Tên tập thể” (tệp ghi “Tên”)."),
    (lambda: xlsx([[1, "Cá nhân", "A", None, "LĐTT", ""]], sheet="Sheet1"),
     "Không tìm thấy trang tính “Danh sách” (tệp có: “Sheet1”). Hãy dùng tệp mẫu."),
    (lambda: SimpleUploadedFile("rac.xlsx", b"\x00\x13rubbish" * (4 * 1024 * 1024 // 9 + 1)),
     "Tệp “rac.xlsx” quá lớn (4,0 MB); tối đa 3,0 MB."),  # 1 MB until lists grew to 5,000 rows (issue 9)
    (lambda: SimpleUploadedFile("rac.xlsx", b"this is not a workbook at all"),
     "Tệp “rac.xlsx” không phải tệp Excel .xlsx. Hãy dùng tệp mẫu tải từ trang này."),
    (lambda: SimpleUploadedFile("cu.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000),
     "Tệp “cu.xlsx” là định dạng Excel cũ (.xls). Hãy mở bằng Excel và lưu lại dưới dạng “Excel Workbook (.xlsx)” rồi tải lên lại."),
    (lambda: SimpleUploadedFile("zip.xlsx", b"PK\x03\x04" + b"\x00" * 200),
     "Không đọc được tệp “zip.xlsx” như một tệp Excel .xlsx (tệp hỏng hoặc không đúng định dạng)."),
    (lambda: SimpleUploadedFile("danh-sach.csv", b"PK\x03\x04" + b"\x00" * 200),
     "Tệp “danh-sach.csv” không phải tệp Excel .xlsx. Hãy dùng tệp mẫu tải từ trang này."),
])
def test_malformed_files_get_a_clear_message_and_change_nothing(importer, office_user, upload, message):
    file = upload()
    assert importer.preview(file).errors == [message]
    with pytest.raises(ValidationError) as exc:
        importer.save(file, actor=office_user)
    assert exc.value.messages == [message]
    assert Nomination.objects.count() == 0


def test_a_formula_cell_is_refused(importer, office_user, unit_a):
    anh = person(unit_a, "Trần Thị Ánh")
    file = xlsx([[1, "Cá nhân", anh.full_name, None, "LĐTT", '=HYPERLINK("http://x","bấm")'],
                 [2, "Cá nhân", "=A1", None, "LĐTT", ""]])
    assert importer.preview(file).all_errors == [
        'Dòng 2, cột F: ô chứa công thức (=HYPERLINK("http://x","bấm")); hãy nhập giá trị, không dùng công thức.',
        "Dòng 3, cột C: ô chứa công thức (=A1); hãy nhập giá trị, không dùng công thức.",
        "Dòng 3, cột C: chưa ghi họ và tên.",
    ]
    with pytest.raises(ValidationError):
        importer.save(file, actor=office_user)
    assert Nomination.objects.count() == 0


# ---------------------------------------------------------------- matching people

def test_ambiguous_names_are_reported_not_guessed(importer, office_user, unit_a):
    person(unit_a, "Nguyễn Văn An", born=datetime.date(1980, 1, 5))
    second = person(unit_a, "Nguyễn Văn An", born=datetime.date(1992, 7, 9))
    person(unit_a, "Nguyễn Văn Ấn", born=datetime.date(1992, 7, 9))
    preview = importer.preview(xlsx([
        [1, "Cá nhân", "Nguyễn Văn An", None, "LĐTT", ""],
        [2, "Cá nhân", "Nguyễn Văn An", "09/07/1992", "LĐTT", ""],
        [3, "Cá nhân", "Nguyễn Văn An", "01/01/1970", "LĐTT", ""],
        [4, "Cá nhân", "Nguyen Van An", None, "LĐTT", ""],
        [5, "Cá nhân", "Nguyễn Văn An", "31/02/1990", "LĐTT", ""],
    ]))
    assert [row.errors for row in preview.rows] == [
        ["Dòng 2, cột C: có 2 người tên “Nguyễn Văn An” trong Phòng Quản lý khoa học: hãy ghi ngày sinh để phân biệt."],
        [],
        ["Dòng 4, cột C: Phòng Quản lý khoa học không có ai tên “Nguyễn Văn An” sinh 01/01/1970."],
        ["Dòng 5, cột C: không tìm thấy “Nguyen Van An” trong Phòng Quản lý khoa học (có phải: Nguyễn Văn An, Nguyễn Văn Ấn?)."],
        ["Dòng 6, cột D: ngày sinh “31/02/1990” không hợp lệ (ghi dd/mm/yyyy hoặc năm sinh).",
         "Dòng 6, cột C: có 2 người tên “Nguyễn Văn An” trong Phòng Quản lý khoa học: hãy ghi ngày sinh để phân biệt."],
    ]
    assert preview.rows[1].obj.person == second


def test_other_units_people_are_not_found(importer, unit_b):
    person(unit_b, "Lê Văn Bảo")
    preview = importer.preview(xlsx([[1, "Cá nhân", "Lê Văn Bảo", None, "LĐTT", ""]]))
    assert preview.all_errors == ["Dòng 2, cột C: không tìm thấy “Lê Văn Bảo” trong Phòng Quản lý khoa học."]


def test_award_and_kind_cells_are_checked(importer, unit_a):
    anh = person(unit_a, "Trần Thị Ánh")
    preview = importer.preview(xlsx([[1, "Cá nhân", anh.full_name, None, "Huân chương", ""],
                                     [2, "Nhóm", anh.full_name, None, "LĐTT", ""],
                                     [3, "Cá nhân", anh.full_name, None, "TTLĐXS", ""]]))
    assert preview.all_errors == [
        "Dòng 2, cột E: không có danh hiệu, hình thức “Huân chương” (ví dụ: LĐTT, CSTĐCS, Giấy khen).",
        "Dòng 3, cột B: ghi “Cá nhân” hoặc “Tập thể” (tệp ghi “Nhóm”).",
        "Dòng 4, cột E: “Tập thể lao động xuất sắc” chỉ dành cho tập thể.",
    ]


# ---------------------------------------------------------------- rules on the whole list

def test_rule_violations_are_shown_per_row_and_nothing_is_saved(importer, office_user, unit_a):
    leaders = [person(unit_a, n, is_leadership=True, position_title="Phó Trưởng phòng") for n in ("Đỗ Văn Hùng", "Bùi Thị Lan",
                                                                                                 "Vũ Đức Long")]
    workers = [person(unit_a, n) for n in ("Trần Thị Ánh", "Lê Văn Bình", "Ngô Thu Ngọc")]
    file = xlsx([[i + 1, "Cá nhân", p.full_name, None, "LĐTT", ""] for i, p in enumerate(leaders + workers[:2])])
    preview = importer.preview(file)
    assert [len(row.errors) for row in preview.rows] == [0, 0, 2, 0, 0]
    assert preview.rows[2].errors[0].startswith(
        "Dòng 4: R1 – Tỷ lệ cá nhân lãnh đạo, quản lý: Phòng Quản lý khoa học, năm 2025: 3/5 cá nhân là lãnh đạo, quản lý (60,0%) > 40%")
    with pytest.raises(ValidationError):
        importer.save(file, actor=office_user)
    assert Nomination.objects.count() == 0
    # without the third leader the list passes as a whole, whatever the order of the rows
    created = importer.save(xlsx([[i + 1, "Cá nhân", p.full_name, None, "LĐTT", ""] for i, p in enumerate(leaders[:2] + workers)]),
                            actor=office_user)
    assert len(created) == 5


def test_warnings_need_a_reason_which_is_recorded(importer, office_user, unit_a, unit_b, round_2025):
    anh = person(unit_a, "Trần Thị Ánh")
    # unit B proposed her earlier in the year (an ad hoc round): a person proposed by two units is a warning
    from tests.factories.nominations import AdHocRoundFactory, NominationFactory, form

    earlier = SubmissionFactory(round=AdHocRoundFactory(year=2025, reference_date=datetime.date(2025, 3, 1)), unit=unit_b)
    NominationFactory(submission=earlier, person=anh, title=None, form=form("GIAY_KHEN"))
    file = xlsx([[1, "Cá nhân", anh.full_name, None, "LĐTT", ""]])
    preview = importer.preview(file)
    assert preview.all_errors == [] and len(preview.warnings) == 1
    with pytest.raises(ValidationError) as exc:
        importer.save(file, actor=office_user)
    assert exc.value.messages[-1] == "Có cảnh báo: hãy ghi lý do vượt cảnh báo để nhập."
    [created] = importer.save(file, actor=office_user, override_reason="Thành tích khác nhau")
    assert RuleOverride.objects.get(nomination=created).reason == "Thành tích khác nhau"


def test_the_engine_and_the_import_agree(importer, unit_a, round_2025):
    anh = person(unit_a, "Trần Thị Ánh", rating="HTNV")
    preview = importer.preview(xlsx([[1, "Cá nhân", anh.full_name, None, "LĐTT", ""]]))
    [expected] = evaluate([build_nomination(SubmissionFactory.build(round=round_2025, unit=unit_a), person=anh)], stage=STAGE_ENTRY)
    assert preview.row_errors == [f"Dòng 2: {v}" for v in expected]


# ---------------------------------------------------------------- award history

AWARD_HEADERS = ["STT", "Cá nhân / Tập thể", "Họ và tên / Tên tập thể", "Ngày sinh", "Đơn vị", "Danh hiệu / Hình thức", "Năm",
                 "Số quyết định", "Ngày quyết định", "Cấp quyết định", "Loại khen thưởng"]


def test_award_history_import_makes_prerequisites_work_from_day_one(office_user, unit_a, sub_a):
    ha = person(unit_a, "Phạm Thu Hà")
    rows = [[i + 1, "Cá nhân", nfd("Phạm Thu Hà"), None, "QLKH", "CSTĐCS", year, f"0{i + 1}/QĐ-SKHCN", f"15/01/{year + 1}",
             "Giám đốc Sở", ""] for i, year in enumerate((2022, 2023, 2024))]
    rows.append([4, "Tập thể", "Phòng Quản lý khoa học", None, "QLKH", "TTLĐTT", 2024, "07/QĐ-SKHCN",
                 datetime.datetime(2025, 1, 15), "Giám đốc Sở", "Tổng kết năm"])
    importer = AwardHistoryImporter()
    created = importer.save(xlsx(rows, headers=AWARD_HEADERS), actor=office_user)
    assert [(a.subject, a.award.code, a.year, a.kind) for a in created] == [
        (ha, "CSTDCS", 2022, "annual"), (ha, "CSTDCS", 2023, "annual"), (ha, "CSTDCS", 2024, "annual"),
        (unit_a, "TTLDTT", 2024, "annual")]
    from tests.factories.nominations import InitiativeFactory, messages

    InitiativeFactory(person=ha, year=2024, scope="province")
    assert messages(evaluate([build_nomination(sub_a, person=ha, code="CSTD_TINH")], stage=STAGE_ENTRY)[0], "R4") == []


def test_award_history_import_errors(office_user, unit_a, person_a):
    AwardRecord.objects.create(person=person_a, title=title("LDTT"), year=2023)
    rows = [
        [1, "Cá nhân", person_a.full_name, None, "QLKH", "LĐTT", 2023, "", "", "", ""],
        [2, "Cá nhân", person_a.full_name, None, "XYZ", "LĐTT", 2022, "", "", "", ""],
        [3, "Cá nhân", person_a.full_name, None, "QLKH", "LĐTT", "năm ngoái", "", "", "", "Thường niên"],
        [4, "Cá nhân", person_a.full_name, None, "QLKH", "LĐTT", 2021, "", "", "", ""],
        [5, "Cá nhân", person_a.full_name, None, "QLKH", "LĐTT", 2021, "", "", "", "Tổng kết năm"],
    ]
    preview = AwardHistoryImporter().preview(xlsx(rows, headers=AWARD_HEADERS))
    assert preview.all_errors == [
        "Dòng 2: Cá nhân này đã có danh hiệu này trong năm đó.",
        "Dòng 3, cột E: không có đơn vị “XYZ”.",
        "Dòng 4, cột G: năm “năm ngoái” không hợp lệ.",
        "Dòng 4, cột K: loại khen thưởng “Thường niên” không hợp lệ (Tổng kết năm, Chuyên đề, Đột xuất, Khác).",
        "Dòng 6: trùng với dòng 5.",
    ]
    with pytest.raises(ValidationError):
        AwardHistoryImporter().save(xlsx(rows, headers=AWARD_HEADERS), actor=office_user)
    assert AwardRecord.objects.count() == 1


# ---------------------------------------------------------------- long lists (issue 9)

SENTENCES = ["Hoàn thành xuất sắc nhiệm vụ được giao", "chủ trì thẩm định {n} đề tài khoa học cấp tỉnh về {w}",
             "hướng dẫn {n} doanh nghiệp đăng ký sở hữu trí tuệ", "có sáng kiến “{w}” được công nhận",
             "phối hợp kiểm tra {n} cơ sở về tiêu chuẩn, đo lường, chất lượng", "tham gia biên soạn tài liệu về {w}"]
TOPICS = ["công nghệ sinh học", "chất lượng sản phẩm", "số hoá quy trình", "năng suất", "đo lường", "giống cây trồng", "an toàn bức xạ"]


def long_list(rows, *, sample=True, summary_length=0, extra=()):
    """A workbook of ``rows`` data rows (the template's sample row first), each with a distinct summary."""
    import random

    rng = random.Random(rows)
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("Danh sách")
    ws.append(HEADERS)
    if sample:
        ws.append(["Ví dụ", "Cá nhân", "Nguyễn Văn A", "05/01/1985", "Lao động tiên tiến", "Mẫu"])
    for i in range(rows):
        text = ""
        while len(text) < summary_length:
            text += rng.choice(SENTENCES).format(n=rng.randint(2, 90), w=rng.choice(TOPICS)) + f" (mã {rng.randint(1, 10**6)}); "
        ws.append([i + 1, "Cá nhân", f"Người Thử {i}", None, "LĐTT", text[:summary_length] or None])
    for row in extra:
        ws.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_list_holds_5000_data_rows_and_the_sample_row_does_not_count(importer):
    from nominations.importers import MAX_ROWS

    assert MAX_ROWS == 5000
    errors, data = importer.read(SimpleUploadedFile("ds.xlsx", long_list(5000, extra=[[None] * 6])))
    assert errors == [] and len(data) == 5000 and data[0][0] == 3 and data[-1][0] == 5002  # row 2 is the sample
    errors, data = importer.read(SimpleUploadedFile("ds.xlsx", long_list(5001)))
    assert (errors, data) == (["Tệp có quá 5.000 dòng dữ liệu (dòng 5003 là dòng thứ 5.001): hãy chia nhỏ danh sách."], [])
    errors, data = importer.read(SimpleUploadedFile("ds.xlsx", long_list(5000, sample=False)))
    assert errors == [] and len(data) == 5000


def test_a_stray_cell_far_below_the_list_is_refused_without_walking_every_row(importer):
    errors, _data = importer.read(SimpleUploadedFile("ds.xlsx", long_list(3, extra=[[None] * 6] * 20_000)))
    assert errors == ["Trang tính có hơn 20.000 dòng (kể cả dòng trống): hãy xoá các dòng trống thừa hoặc chia nhỏ danh sách."]


def test_the_size_limits_admit_a_real_5000_row_list_with_long_summaries():
    import zipfile

    from nominations.importers import import_max_unpacked_bytes, inspect_archive
    from tdkt.uploads import import_max_bytes, validate_xlsx

    data = long_list(5000, summary_length=2000)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(m.file_size for m in archive.infolist())
    assert 10 * 1024 * 1024 < unpacked < import_max_unpacked_bytes()  # the old 10 MB cap refused it
    assert 1024 * 1024 < len(data) < import_max_bytes()                 # so did the old 1 MB upload limit
    validate_xlsx(SimpleUploadedFile("ds.xlsx", data))
    assert inspect_archive(data, "ds.xlsx") == []


def test_the_preview_asks_the_database_the_same_number_of_times_whatever_the_length(importer, unit_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories.nominations import staff

    people = staff(unit_a, 60)

    def queries(n):
        file = xlsx([[i + 1, "Cá nhân", p.full_name, None, "LĐTT", "Hoàn thành tốt nhiệm vụ"] for i, p in enumerate(people[:n])])
        with CaptureQueriesContext(connection) as ctx:
            assert importer.preview(file).ok
        return len(ctx.captured_queries)

    assert queries(5) == queries(60)


@pytest.mark.parametrize("size", [10, 200])
def test_the_commit_costs_the_same_number_of_queries_whatever_the_length(importer, office_user, unit_a, size,
                                                                        django_assert_max_num_queries):
    from tests.factories.nominations import staff

    file = xlsx([[i + 1, "Cá nhân", p.full_name, None, "LĐTT", "Hoàn thành tốt nhiệm vụ"] for i, p in enumerate(staff(unit_a, size))])
    with django_assert_max_num_queries(50):  # the read (awards, people, units, submission), then the service's ~40
        created = importer.save(file, actor=office_user)
    assert len(created) == size and Nomination.objects.count() == size
