"""The nomination list's Excel template (issue 13): the unit's members pre-filled, drop-down lists of the valid kinds
and titles (data validation), a frozen header; a member left without a title is not proposed."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from nominations.importers import NominationImporter
from nominations.models import Nomination
from tests.factories import PersonFactory
from tests.factories.nominations import staff

pytestmark = pytest.mark.integration


@pytest.fixture
def people(unit_a, unit_b):
    PersonFactory(unit=unit_b, full_name="Lê Văn Bảo")  # another unit's: never in the template
    return [*staff(unit_a, 1, full_name="Trần Thị Ánh", date_of_birth=datetime.date(1985, 5, 17)),
            *staff(unit_a, 1, full_name="Bùi Văn Hùng", date_of_birth=datetime.date(1979, 2, 3))]


def workbook(client, head_a, sub_a):
    client.force_login(head_a)
    response = client.get(reverse("nominations:nomination_import_template", args=[sub_a.round_id, sub_a.unit_id]))
    return response.content, load_workbook(io.BytesIO(response.content))


def test_the_template_lists_the_units_members_with_drop_downs_and_a_frozen_header(client, head_a, sub_a, people):
    _content, book = workbook(client, head_a, sub_a)
    sheet = book["Danh sách"]
    assert sheet.freeze_panes == "A2"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3, values_only=False)]
    assert rows == [[None, "Cá nhân", "Bùi Văn Hùng", "03/02/1979", None, None],
                    [None, "Cá nhân", "Trần Thị Ánh", "17/05/1985", None, None]]
    lists = book["Danh mục"]
    assert lists.sheet_state == "hidden"
    validations = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert validations == {"B3:B504": "'Danh mục'!$A$1:$A$2", "E3:E504": f"'Danh mục'!$B$1:$B${lists.max_row}"}
    assert [lists.cell(row=i, column=1).value for i in (1, 2)] == ["Cá nhân", "Tập thể"]
    awards = [lists.cell(row=i, column=2).value for i in range(1, lists.max_row + 1)]
    assert "Lao động tiên tiến" in awards and "Bằng khen của Chủ tịch UBND tỉnh" in awards
    assert "Lê Văn Bảo" not in str(rows)


def test_members_left_without_a_title_are_not_proposed(client, head_a, sub_a, people):
    _content, book = workbook(client, head_a, sub_a)
    sheet = book["Danh sách"]
    sheet["A4"], sheet["E4"] = 1, "Lao động tiên tiến"  # Trần Thị Ánh proposed; Bùi Văn Hùng left as listed
    out = io.BytesIO()
    book.save(out)
    importer = NominationImporter(nomination_round=sub_a.round, unit=sub_a.unit)
    created = importer.save(SimpleUploadedFile("danh-sach.xlsx", out.getvalue()), actor=head_a)
    assert [(n.person.full_name, n.title.code) for n in created] == [("Trần Thị Ánh", "LDTT")]
    assert Nomination.objects.count() == 1


def test_a_listed_row_with_a_number_but_no_title_is_still_an_error(client, head_a, sub_a, people):
    _content, book = workbook(client, head_a, sub_a)
    book["Danh sách"]["A3"] = 1
    out = io.BytesIO()
    book.save(out)
    importer = NominationImporter(nomination_round=sub_a.round, unit=sub_a.unit)
    assert importer.preview(SimpleUploadedFile("danh-sach.xlsx", out.getvalue())).all_errors == [
        "Dòng 3, cột E: chưa ghi danh hiệu hoặc hình thức khen thưởng."]
