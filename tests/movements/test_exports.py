"""Excel exports: the registration roll-up, a unit's list and a cluster ranking — content and formula safety."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from movements.exports import RegistrationRollupExporter, RegistrationUnitExporter
from movements.selectors import registration_entries, registration_initiatives, registration_overview
from tdkt.exports import render_xlsx
from tests.factories import PersonFactory, UnitFactory
from tests.factories.movements import (
    ClusterScoreFactory,
    RegisteredInitiativeFactory,
    RegistrationEntryFactory,
    RegistrationFactory,
    RegistrationWindowFactory,
    scoring_cluster,
    title,
)

pytestmark = pytest.mark.integration

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows(content):
    wb = load_workbook(io.BytesIO(content))
    ws = wb.worksheets[0]
    return [[c.value for c in row] for row in ws.iter_rows()], ws


def registration_unit_xlsx(registration, entries, initiatives):
    return render_xlsx(RegistrationUnitExporter(registration, entries, initiatives))


def registration_rollup_xlsx(overview):
    return render_xlsx(RegistrationRollupExporter(overview))


@pytest.fixture
def registration(db):
    window = RegistrationWindowFactory(year=2026)
    unit = UnitFactory(name="Phòng Quản lý khoa học", short_code="QLKH")
    registration = RegistrationFactory(window=window, unit=unit, unit_title=title("TTLDXS"), state="approved", note="Năm thứ 3")
    ann = PersonFactory(unit=unit, full_name="Trần Thị Ánh", gender="female", date_of_birth=datetime.date(1988, 1, 5),
                        position_title="Trưởng phòng", is_leadership=True, is_head=True)
    bao = PersonFactory(unit=unit, full_name="Lê Văn Bảo", gender="male", date_of_birth=datetime.date(1990, 3, 2))
    RegistrationEntryFactory(registration=registration, person=ann, title=title("CSTDCS"))
    RegistrationEntryFactory(registration=registration, person=bao, title=title("LDTT"))
    RegisteredInitiativeFactory(registration=registration, title="Số hoá hồ sơ nghiệm thu", owner=ann)
    return registration


def test_unit_list_layout(registration):
    rows, _ws = _rows(registration_unit_xlsx(registration, registration_entries(registration),
                                             registration_initiatives(registration)))
    assert rows[0][0] == "Danh sách đăng ký thi đua năm 2026"
    assert rows[1][0] == "Đơn vị: Phòng Quản lý khoa học – Trạng thái: Đã duyệt"
    assert rows[3][0] == "I. CÁ NHÂN"
    assert rows[4] == ["STT", "Họ và tên", "Năm sinh Nam", "Năm sinh Nữ", "Chức vụ, đơn vị công tác", "Danh hiệu đăng ký", "Ghi chú"]
    assert rows[5][:6] == [1, "Trần Thị Ánh", None, 1988, "Trưởng phòng, Phòng Quản lý khoa học", "Chiến sĩ thi đua cơ sở"]
    assert rows[6][:6] == [2, "Lê Văn Bảo", 1990, None, "Chuyên viên, Phòng Quản lý khoa học", "Lao động tiên tiến"]
    assert ["II. TẬP THỂ"] == [v for v in rows[8] if v]
    assert [v for v in rows[10] if v] == [1, "Phòng Quản lý khoa học", "Tập thể lao động xuất sắc", "Năm thứ 3"]
    assert rows[12][0] == "III. SÁNG KIẾN ĐĂNG KÝ"
    assert [v for v in rows[14] if v] == [1, "Số hoá hồ sơ nghiệm thu", "Trần Thị Ánh"]


def test_rollup_has_one_row_per_unit_and_totals(registration):
    UnitFactory(name="Thanh tra Sở", short_code="TTRA")
    rows, _ws = _rows(registration_rollup_xlsx(registration_overview(registration.window)))
    assert rows[0][0] == "Tổng hợp đăng ký thi đua năm 2026"
    assert rows[3] == ["STT", "Đơn vị", "Trạng thái", "Danh hiệu tập thể đăng ký", "Lao động tiên tiến", "Chiến sĩ thi đua cơ sở",
                       "Chiến sĩ thi đua cấp tỉnh", "Tổng số cá nhân đăng ký", "Số người đang công tác", "Số sáng kiến"]
    body = {row[1]: row for row in rows[4:]}
    assert body["Phòng Quản lý khoa học"] == [1, "Phòng Quản lý khoa học", "Đã duyệt", "Tập thể lao động xuất sắc", 1, 1, 0, 2, 2, 1]
    assert body["Thanh tra Sở"][2:] == ["Chưa lập phiếu", None, 0, 0, 0, 0, 0, 0]
    assert body["Tổng cộng"][3:] == ["Tập thể lao động xuất sắc: 1", 1, 1, 0, 2, 2, 1]


@pytest.mark.parametrize("evil", ["=HYPERLINK(\"http://x\",\"bấm\")", "+1+1", "-2+3", "@SUM(A1:A2)"])
def test_formula_injection_is_neutralised(registration, evil):
    person = registration.entries.first().person
    person.full_name = evil
    person.save()
    RegisteredInitiativeFactory(registration=registration, title=evil, owner=person)
    content = registration_unit_xlsx(registration, registration_entries(registration), registration_initiatives(registration))
    rows, ws = _rows(content)
    cells = [c for row in ws.iter_rows() for c in row if c.value == evil]
    assert len(cells) == 4  # name in the list, owner of both initiatives, the new initiative's title
    assert {c.data_type for c in cells} == {"s"}
    raw = io.BytesIO(content)
    import zipfile

    with zipfile.ZipFile(raw) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet


def test_unit_export_view_and_rollup_view(client, office_user, registration):
    client.force_login(office_user)
    response = client.get(reverse("movements:registration_export", args=[registration.pk]))
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="dang-ky-thi-dua-2026-qlkh.xlsx"'
    assert _rows(response.content)[0][5][1] == "Trần Thị Ánh"
    response = client.get(reverse("movements:registration_export", args=[registration.pk]), {"dinh-dang": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="dang-ky-thi-dua-2026-qlkh.pdf"'
    assert response.content.startswith(b"%PDF")
    response = client.get(reverse("movements:registration_rollup_export", args=[2026]))
    assert response["Content-Disposition"] == 'attachment; filename="tong-hop-dang-ky-thi-dua-2026.xlsx"'


def test_cluster_ranking_export(client, office_user):
    units = [UnitFactory(name="Phòng A", short_code="PA"), UnitFactory(name="=Phòng B", short_code="PB")]
    cluster, criteria = scoring_cluster(units=units, leader=units[0])
    ClusterScoreFactory(cluster=cluster, criterion=criteria[0], unit=units[0], self_score=Decimal("25"), agreed_score=Decimal("24.5"))
    ClusterScoreFactory(cluster=cluster, criterion=criteria[0], unit=units[1], self_score=Decimal("28"), agreed_score=Decimal("27"))
    client.force_login(office_user)
    response = client.get(reverse("movements:cluster_ranking_export", args=[cluster.pk]))
    rows, ws = _rows(response.content)
    assert rows[3] == ["Xếp hạng", "Đơn vị", "Vai trò", "Điểm tự chấm", "Điểm thống nhất", "Điểm xét", "Suy tôn"]
    assert rows[4][:6] == [1, "=Phòng B", None, 28, 27, 27]
    assert rows[5][:6] == [2, "Phòng A", "Cụm trưởng", 25, 24.5, 24.5]
    assert ws["B5"].data_type == "s"
