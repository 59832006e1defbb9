"""The Excel importers fed generated hostile workbooks (issue 8): a zip bomb, a huge cell, DTD and entity
expansion, malformed XML, formulas, NFD text, another sheet, binary junk and random corruptions of a real file.

For each: a clear Vietnamese error (or, for NFD text and formulas, the correct safe handling), nothing saved, and a
bounded memory peak (``tracemalloc``) — the read never holds more than the archive's capped unpacked size. Both
importers (a unit's list and the office's award history) go through the same reader. Runs on SQLite and
PostgreSQL, in seconds.
"""

import io
import random
import tracemalloc
import unicodedata
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from movements.models import PerformanceRating
from nominations.importers import AwardHistoryImporter, NominationImporter
from nominations.models import AwardRecord, Nomination
from tests.factories import PersonFactory

pytestmark = pytest.mark.integration

HEADERS = ["STT", "Cá nhân / Tập thể", "Họ và tên / Tên tập thể", "Ngày sinh", "Danh hiệu / Hình thức", "Tóm tắt thành tích"]
SHEET = "xl/worksheets/sheet1.xml"
PEAK_BOUND = 48 * 1024 * 1024  # bytes traced while one hostile file is read: a fraction of a worker's memory
UNREADABLE = "như một tệp Excel .xlsx (tệp hỏng hoặc không đúng định dạng)"
DTD = "chứa khai báo DTD hoặc thực thể XML"
BOMB = "khi giải nén lớn tới"


def workbook_bytes(rows, *, sheet="Danh sách", headers=HEADERS):
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def rewrite(data, replace=None, add=None, compression=zipfile.ZIP_DEFLATED):
    """The same archive with some members replaced or added."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", compression) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, content in add.items():
            target.writestr(name, content)
    return out.getvalue()


def sheet_xml(cells, prolog=""):
    """A worksheet whose row 1 is the header and row 2 holds ``cells`` (inline strings)."""
    def row(number, values):
        return f'<row r="{number}">' + "".join(
            f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values)) + "</row>"
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + row(1, HEADERS) + row(2, cells) + "</sheetData></worksheet>")


BASE = None


def base():
    global BASE  # noqa: PLW0603  (built once: openpyxl's writer is the slow part)
    if BASE is None:
        BASE = workbook_bytes([[1, "Cá nhân", "Trần Thị Ánh", "17/05/1985", "LĐTT", "Hoàn thành tốt nhiệm vụ"]])
    return BASE


LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)) + "]>")


def hostile():
    """(id, file bytes, what the error says) — generated, each small enough to pass the 1 MB upload limit."""
    huge = "A" * 40_000_000
    return [
        ("zip-bomb-40-million-character-cell", rewrite(base(), {SHEET: sheet_xml([1, "Cá nhân", huge, "", "LĐTT", ""])}), BOMB),
        ("zip-bomb-extra-member", rewrite(base(), add={"xl/media/bomb.bin": b"\0" * 60_000_000}), BOMB),
        ("too-many-members", rewrite(base(), add={f"xl/media/x{i}.bin": b"x" for i in range(400)}, compression=zipfile.ZIP_STORED),
         "thành phần nén, quá nhiều"),
        ("billion-laughs-in-the-sheet", rewrite(base(), {SHEET: sheet_xml([1, "Cá nhân", "&lol9;", "", "LĐTT", ""], LAUGHS)}), DTD),
        ("external-entity", rewrite(base(), {SHEET: sheet_xml(
            [1, "Cá nhân", "&xxe;", "", "LĐTT", ""], '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')}), DTD),
        ("dtd-in-content-types", rewrite(base(), {"[Content_Types].xml": '<?xml version="1.0"?><!DOCTYPE Types []><Types/>'}), DTD),
        ("dtd-in-utf-16", rewrite(base(), {SHEET: sheet_xml([1, "Cá nhân", "x", "", "LĐTT", ""], "<!DOCTYPE w []>")
                                           .replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")}), DTD),
        ("malformed-sheet-xml", rewrite(base(), {SHEET: sheet_xml([1, "Cá nhân", "x", "", "LĐTT", ""])[:-40]}), UNREADABLE),
        ("malformed-workbook-xml", rewrite(base(), {"xl/workbook.xml": "<workbook><sheets><sheet"}), UNREADABLE),
        ("malformed-styles-xml", rewrite(base(), {"xl/styles.xml": "<styleSheet><fonts><font></fonts>"}), UNREADABLE),
        ("sheet-missing-from-the-archive", rewrite(base(), {SHEET: b""}), UNREADABLE),
        ("wrong-sheet", workbook_bytes([[1, "Cá nhân", "Trần Thị Ánh", "", "LĐTT", ""]], sheet="Sheet1"),
         "Không tìm thấy trang tính “Danh sách”"),
        ("wrong-headers", workbook_bytes([[1]], headers=["A", "B"]), "Dòng 1, cột A: tiêu đề phải là “STT”"),
        ("binary-junk-with-a-zip-signature", b"PK\x03\x04" + random.Random(8).randbytes(4000), UNREADABLE),
        ("binary-junk", random.Random(9).randbytes(4000), "không phải tệp Excel .xlsx"),
        ("old-xls-renamed", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, "định dạng Excel cũ (.xls)"),
    ]


def preview_traced(importer, data):
    tracemalloc.start()
    try:
        preview = importer.preview(SimpleUploadedFile("danh-sach.xlsx", data))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return preview, peak


@pytest.fixture
def importers(round_2025, unit_a):
    return {"list": NominationImporter(nomination_round=round_2025, unit=unit_a), "history": AwardHistoryImporter()}


@pytest.mark.parametrize(("case", "data", "expected"), [pytest.param(*c, id=c[0]) for c in hostile()])
@pytest.mark.parametrize("which", ["list", "history"])
def test_a_hostile_workbook_gets_a_clear_error_saves_nothing_in_bounded_memory(importers, office_user, which, case, data, expected):
    assert len(data) < 1024 * 1024, "each hostile file passes the upload size limit"
    importer = importers[which]
    preview, peak = preview_traced(importer, data)
    if case == "wrong-headers" and which == "history":
        expected = "Dòng 1, cột A: tiêu đề phải là “STT”"
    assert any(expected in e for e in preview.errors), preview.errors
    assert not preview.ok and not preview.rows
    assert peak < PEAK_BOUND, f"{case}: {peak / 1e6:.1f} MB traced"
    with pytest.raises(ValidationError):
        if which == "list":
            importer.save(SimpleUploadedFile("danh-sach.xlsx", data), actor=office_user)
        else:
            importer.save(SimpleUploadedFile("danh-sach.xlsx", data), actor=office_user)
    assert (Nomination.objects.count(), AwardRecord.objects.count()) == (0, 0)


@pytest.fixture
def anh(unit_a):
    person = PersonFactory(unit=unit_a, full_name="Trần Thị Ánh")
    PerformanceRating.objects.create(person=person, year=2025, rating="HTTNV")
    return person


@pytest.mark.parametrize(("length", "shown"), [(5001, "5.001"), (1_000_000, "1.000.000")])
def test_a_cell_longer_than_the_form_allows_is_an_error_of_its_row_never_truncated(importers, office_user, anh, length, shown):
    # written into the sheet's XML: openpyxl itself would cut a cell at Excel's 32,767 characters
    data = rewrite(base(), {SHEET: sheet_xml([1, "Cá nhân", anh.full_name, "", "LĐTT", "x" * length])})
    preview, peak = preview_traced(importers["list"], data)
    assert preview.all_errors == [f"Dòng 2, cột F: nội dung dài {shown} ký tự, tối đa 5.000 ký tự."]
    assert peak < PEAK_BOUND
    with pytest.raises(ValidationError):
        importers["list"].save(SimpleUploadedFile("danh-sach.xlsx", data), actor=office_user)
    assert Nomination.objects.count() == 0


def test_a_cell_just_within_the_unpacked_cap_is_read_in_bounded_memory(importers, anh):
    data = rewrite(base(), {SHEET: sheet_xml([1, "Cá nhân", anh.full_name, "", "LĐTT", "y" * 9_000_000])})
    preview, peak = preview_traced(importers["list"], data)
    assert preview.all_errors == ["Dòng 2, cột F: nội dung dài 9.000.000 ký tự, tối đa 5.000 ký tự."]
    assert peak < PEAK_BOUND


def test_formulas_are_refused_never_evaluated(importers, office_user, anh):
    data = workbook_bytes([[1, "Cá nhân", anh.full_name, "", "LĐTT", '=HYPERLINK("http://example.com","Bấm")']])
    preview, _peak = preview_traced(importers["list"], data)
    assert preview.all_errors == ['Dòng 2, cột F: ô chứa công thức (=HYPERLINK("http://example.com","Bấm")); hãy nhập giá trị, '
                                  "không dùng công thức."]
    with pytest.raises(ValidationError):
        importers["list"].save(SimpleUploadedFile("danh-sach.xlsx", data), actor=office_user)
    assert Nomination.objects.count() == 0


def test_nfd_text_is_matched_and_saved_as_nfc(importers, office_user, anh):
    nfd = unicodedata.normalize("NFD", "Trần Thị Ánh")
    assert nfd != anh.full_name
    data = workbook_bytes([[1, unicodedata.normalize("NFD", "Cá nhân"), f"  {nfd} ", "", unicodedata.normalize("NFD", "Lao động tiên tiến"),
                            unicodedata.normalize("NFD", "Hoàn thành tốt nhiệm vụ")]])
    preview, _peak = preview_traced(importers["list"], data)
    assert preview.ok, preview.all_errors
    [created] = importers["list"].save(SimpleUploadedFile("danh-sach.xlsx", data), actor=office_user)
    assert (created.person, created.achievement_summary) == (anh, "Hoàn thành tốt nhiệm vụ")


@pytest.mark.parametrize("seed", range(16))
def test_random_corruptions_of_a_real_file_never_crash_and_save_nothing_unless_valid(importers, office_user, anh, seed):
    rng = random.Random(seed)
    data = bytearray(base())
    for _ in range(rng.randint(1, 40)):
        data[rng.randrange(30, len(data))] = rng.randrange(256)
    preview, peak = preview_traced(importers["list"], bytes(data))
    assert peak < PEAK_BOUND
    if preview.ok:  # a corruption the zip and XML readers cannot see (e.g. in an unused byte): a valid list
        return
    assert preview.all_errors and all(isinstance(e, str) and e for e in preview.all_errors)
    with pytest.raises(ValidationError):
        importers["list"].save(SimpleUploadedFile("danh-sach.xlsx", bytes(data)), actor=office_user)
    assert Nomination.objects.count() == 0
