import datetime
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nominations import services
from nominations.models import AwardRecord, Nomination, RuleOverride
from tdkt.models import AuditEvent
from tests.factories import PersonFactory, UnitFactory, UserFactory
from tests.factories.nominations import (
    AwardFactory,
    InitiativeFactory,
    NominationFactory,
    RoundFactory,
    SubmissionFactory,
    form,
    nomination_list_xlsx,
    staff,
    title,
)

pytestmark = pytest.mark.integration


def text(response):
    return response.content.decode()


def no_inline_code(body):
    assert "style=" not in body
    assert not re.search(r"<script(?![^>]*\bsrc=)", body)


@pytest.fixture
def admin_user(db):
    return UserFactory(role="admin", is_staff=True, is_superuser=True)


# ---------------------------------------------------------------- every page renders, without inline code

def test_every_page_renders_for_the_office(client, office_user, sub_a, person_a):
    nomination = NominationFactory(submission=sub_a, person=person_a, state="submitted")
    AwardFactory(person=person_a, year=2023)
    InitiativeFactory(person=person_a)
    client.force_login(office_user)
    r, u = sub_a.round_id, sub_a.unit_id
    for url in [
        reverse("nominations:round_list"), reverse("nominations:round_detail", args=[r]), reverse("nominations:round_create"),
        reverse("nominations:round_edit", args=[r]), reverse("nominations:round_status", args=[r, "closed"]),
        reverse("nominations:submission_detail", args=[r, u]), reverse("nominations:nomination_create", args=[r, u]),
        reverse("nominations:nomination_import", args=[r, u]), reverse("nominations:submission_submit", args=[r, u]),
        reverse("nominations:nomination_list"), reverse("nominations:nomination_detail", args=[nomination.pk]),
        reverse("nominations:nomination_transition", args=[nomination.pk, "returned"]),
        reverse("nominations:vetting_queue"), reverse("nominations:award_list"), reverse("nominations:award_create"),
        reverse("nominations:award_import"), reverse("nominations:initiative_list"), reverse("nominations:initiative_create"),
        reverse("nominations:rule_list"), reverse("movements:person_detail", args=[person_a.pk]),
        reverse("movements:unit_detail", args=[sub_a.unit_id]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        no_inline_code(text(response))


def test_person_and_unit_pages_show_the_award_history(client, office_user, person_a):
    AwardFactory(person=person_a, year=2023, decision_number="05/QĐ-SKHCN", decision_date=datetime.date(2024, 1, 5))
    AwardFactory(person=person_a, year=2024, title=title("CSTDCS"), kind="thematic")
    AwardFactory(person=None, unit=person_a.unit, title=title("TTLDTT"), year=2023)
    client.force_login(office_user)
    body = text(client.get(reverse("movements:person_detail", args=[person_a.pk])))
    assert "Lịch sử khen thưởng" in body
    assert "Số 05/QĐ-SKHCN ngày 05/01/2024" in body
    assert "không tính điều kiện" in body  # the thematic award (R7)
    body = text(client.get(reverse("movements:unit_detail", args=[person_a.unit_id])))
    assert "Tập thể lao động tiên tiến" in body


# ---------------------------------------------------------------- the form write path and instant feedback

def _post_nomination(client, sub, person, **extra):
    return client.post(reverse("nominations:nomination_create", args=[sub.round_id, sub.unit_id]),
                       {"subject_kind": "person", "person": person.pk, "award": f"t:{title('LDTT').pk}",
                        "achievement_summary": "Hoàn thành tốt nhiệm vụ", **extra})


def test_the_form_blocks_the_leader_that_crosses_40_percent(client, head_a, sub_a):
    # R1 judges the list when it is sent (issue 8): the form saves the draft, sending the list is refused
    for p in staff(sub_a.unit, 1):
        NominationFactory(submission=sub_a, person=p)
    leader = staff(sub_a.unit, 1, leader=True)[0]
    client.force_login(head_a)
    assert _post_nomination(client, sub_a, leader).status_code == 302
    sub_a.memo_number, sub_a.memo_date = "12/TTr-QLKH", datetime.date(2025, 11, 20)
    sub_a.save()
    send = reverse("nominations:submission_submit", args=[sub_a.round_id, sub_a.unit_id])
    response = client.post(send, {"reason": ""})
    assert response.status_code == 200
    assert "R1 – Tỷ lệ cá nhân lãnh đạo, quản lý: Phòng Quản lý khoa học, năm 2025: 1/2 cá nhân là lãnh đạo, quản lý (50,0%) &gt; 40%" \
        in text(response)
    assert Nomination.objects.filter(state="draft").count() == 2
    worker = staff(sub_a.unit, 1)[0]
    assert _post_nomination(client, sub_a, worker).status_code == 302
    assert client.post(send, {"reason": ""}).status_code == 302  # 1 of 3 now
    assert Nomination.objects.filter(state="submitted").count() == 3


def test_instant_rule_feedback_is_a_partial(client, head_a, sub_a):
    leader = staff(sub_a.unit, 1, leader=True)[0]
    client.force_login(head_a)
    url = reverse("nominations:nomination_check", args=[sub_a.round_id, sub_a.unit_id])
    response = client.post(url, {"subject_kind": "person", "person": leader.pk, "award": f"t:{title('LDTT').pk}"}, HTTP_HX_REQUEST="true")
    body = text(response)
    assert "<html" not in body
    assert "1/1 cá nhân là lãnh đạo, quản lý (100,0%) &gt; 40% (tối đa 0 người)" in body
    worker = staff(sub_a.unit, 1)[0]
    body = text(client.post(url, {"subject_kind": "person", "person": worker.pk, "award": f"t:{title('LDTT').pk}"}, HTTP_HX_REQUEST="true"))
    assert "Đạt các quy định kiểm tra." in body
    assert text(client.post(url, {"subject_kind": "person"}, HTTP_HX_REQUEST="true")).strip() == ""


def test_a_warning_is_overridden_from_the_form_with_a_reason(client, office_user, sub_a, sub_b):
    person = staff(sub_a.unit, 1)[0]
    NominationFactory(submission=sub_b, person=person, title=title("CSTDCS"))
    client.force_login(office_user)
    response = _post_nomination(client, sub_a, person)
    assert "(Cảnh báo: ghi lý do vượt cảnh báo để tiếp tục.)" in text(response)
    assert _post_nomination(client, sub_a, person, override_reason="Đã xác minh").status_code == 302
    assert RuleOverride.objects.get().reason == "Đã xác minh"


def test_the_round_gauges_refresh_as_a_partial(client, office_user, sub_a):
    NominationFactory(submission=sub_a, person=staff(sub_a.unit, 1, leader=True)[0])
    client.force_login(office_user)
    body = text(client.get(reverse("nominations:round_detail", args=[sub_a.round_id]), HTTP_HX_REQUEST="true"))
    assert body.lstrip().startswith('<section id="gauges"')
    assert "1/1 <small>(100,0%)</small>" in body


# ---------------------------------------------------------------- the admin write path

def test_the_admin_runs_the_rules_too(client, admin_user, sub_a):
    unrated = PersonFactory(unit=sub_a.unit, full_name="Ngô Văn Mới")
    client.force_login(admin_user)
    data = {"round": sub_a.round_id, "submission": sub_a.pk, "person": unrated.pk, "title": title("LDTT").pk,
            "achievement_summary": "x", "override_reason": ""}
    response = client.post(reverse("admin:nominations_nomination_add"), data)
    assert response.status_code == 200
    assert "R4 – Điều kiện danh hiệu, hình thức khen thưởng: Ngô Văn Mới chưa đủ điều kiện “Lao động tiên tiến”: chưa có xếp loại " \
           "chất lượng năm 2025" in text(response)
    assert Nomination.objects.count() == 0
    staff_member = staff(sub_a.unit, 1)[0]
    response = client.post(reverse("admin:nominations_nomination_add"), {**data, "person": staff_member.pk})
    assert response.status_code == 302
    created = Nomination.objects.get()
    assert AuditEvent.objects.filter(content_type__model="nomination", object_id=str(created.pk), actor=admin_user).count() == 1


def test_the_admin_changelist_renders(client, admin_user, sub_a):
    NominationFactory(submission=sub_a)
    client.force_login(admin_user)
    assert client.get(reverse("admin:nominations_nomination_changelist")).status_code == 200
    assert client.get(reverse("admin:nominations_rule_changelist")).status_code == 200


# ---------------------------------------------------------------- import through the pages

def test_import_preview_then_confirm(client, head_a, sub_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    a, b = staff(sub_a.unit, 2)
    client.force_login(head_a)
    url = reverse("nominations:nomination_import", args=[sub_a.round_id, sub_a.unit_id])
    bad = SimpleUploadedFile("ds.xlsx", nomination_list_xlsx([[1, "Cá nhân", a.full_name, None, "LĐTT", ""], [2, "Cá nhân", "Không Có Ai", None, "LĐTT", ""]]))
    body = text(client.post(url, {"file": bad}))
    assert "Dòng 3, cột C: không tìm thấy “Không Có Ai” trong Phòng Quản lý khoa học." in body
    assert 'name="token"' not in body
    good = SimpleUploadedFile("ds.xlsx", nomination_list_xlsx([[1, "Cá nhân", a.full_name, None, "LĐTT", ""], [2, "Cá nhân", b.full_name, None, "LĐTT", ""]]))
    body = text(client.post(url, {"file": good}))
    assert "2 dòng hợp lệ." in body
    token = re.search(r'name="token" value="([0-9a-f]+)"', body).group(1)
    assert Nomination.objects.count() == 0
    response = client.post(url, {"token": token})
    assert response.status_code == 302
    assert sorted(Nomination.objects.values_list("person__full_name", flat=True)) == sorted([a.full_name, b.full_name])
    assert not list((tmp_path / "imports").rglob("*.xlsx"))
    assert client.post(url, {"token": token}).status_code == 302  # a used token is gone
    assert Nomination.objects.count() == 2


def test_the_import_template_downloads(client, head_a, sub_a):
    client.force_login(head_a)
    response = client.get(reverse("nominations:nomination_import_template", args=[sub_a.round_id, sub_a.unit_id]))
    assert response["Content-Disposition"] == 'attachment; filename="mau-de-nghi-QLKH.xlsx"'


# ---------------------------------------------------------------- vetting

def test_bulk_vetting_with_confirmation_and_reason(client, office_user, sub_a):
    sent = [NominationFactory(submission=sub_a, person=p, state="submitted") for p in staff(sub_a.unit, 3)]
    client.force_login(office_user)
    ids = [n.pk for n in sent[:2]]
    response = client.post(reverse("nominations:vetting_bulk"), {"ids": ids, "action": "returned"})
    assert "Trả lại đơn vị: xác nhận 2 đề nghị" in text(response)
    assert Nomination.objects.filter(state="returned").count() == 0
    response = client.post(reverse("nominations:vetting_bulk"), {"ids": ids, "action": "returned", "confirm": "1", "reason": ""})
    assert "Hãy ghi lý do." in text(response)
    response = client.post(reverse("nominations:vetting_bulk"), {"ids": ids, "action": "returned", "confirm": "1",
                                                                 "reason": "Thiếu biên bản bình xét"})
    assert response.status_code == 302
    assert list(Nomination.objects.order_by("pk").values_list("state", "last_reason")) == [
        ("returned", "Thiếu biên bản bình xét"), ("returned", "Thiếu biên bản bình xét"), ("submitted", "")]
    response = client.post(reverse("nominations:vetting_bulk"), {"ids": [sent[2].pk], "action": "vetted_pass", "confirm": "1"})
    assert response.status_code == 302
    sent[2].refresh_from_db()
    assert sent[2].state == "vetted_pass"


def test_a_transition_page_returns_with_a_reason(client, office_user, sub_a):
    nomination = NominationFactory(submission=sub_a, person=staff(sub_a.unit, 1)[0], state="submitted")
    client.force_login(office_user)
    url = reverse("nominations:nomination_transition", args=[nomination.pk, "returned"])
    assert "Trường này là bắt buộc." in text(client.post(url, {"reason": ""}))
    assert client.post(url, {"reason": "Bổ sung báo cáo"}).status_code == 302
    nomination.refresh_from_db()
    assert (nomination.state, nomination.last_reason) == ("returned", "Bổ sung báo cáo")
    assert client.get(reverse("nominations:nomination_transition", args=[nomination.pk, "decided"])).status_code == 404


def test_the_council_step_has_no_button_and_its_page_is_refused(client, office_user, sub_a):
    """“Đưa ra Hội đồng” and “Ghi nhận Hội đồng (không) thông qua” are made by the councils app (agenda, votes)."""
    vetted = NominationFactory(submission=sub_a, person=staff(sub_a.unit, 1)[0], state="vetted_pass")
    at_council = NominationFactory(submission=sub_a, person=staff(sub_a.unit, 1)[0], state="at_council")
    client.force_login(office_user)
    for nomination, target in ((vetted, "at_council"), (at_council, "council_passed"), (at_council, "council_rejected")):
        url = reverse("nominations:nomination_transition", args=[nomination.pk, target])
        page = text(client.get(reverse("nominations:nomination_detail", args=[nomination.pk])))
        assert url not in page
        assert (client.get(url).status_code, client.post(url, {"reason": "Hội đồng đã họp"}).status_code) == (403, 403)
    assert list(Nomination.objects.order_by("pk").values_list("state", flat=True)) == ["vetted_pass", "at_council"]


def test_round_form_explains_what_is_missing(client, office_user):
    client.force_login(office_user)
    response = client.post(reverse("nominations:round_create"), {"name": "Chuyên đề chuyển đổi số", "kind": "thematic", "year": 2025,
                                                                 "reference_date": "15/12/2025", "deadline": "20/12/2025"})
    assert "Đợt chuyên đề phải gắn với một phong trào thi đua." in text(response)
    response = client.post(reverse("nominations:round_create"), {"name": "Đột xuất", "kind": "ad_hoc", "year": 2025,
                                                                 "reference_date": "15/09/2025"})
    assert response.status_code == 302


def test_document_upload_refuses_wrong_files(client, head_a, sub_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(head_a)
    url = reverse("nominations:document_upload", args=[sub_a.round_id, sub_a.unit_id])
    response = client.post(url, {"kind": "memo", "file": SimpleUploadedFile("a.exe", b"MZ")}, follow=True)
    assert "Tệp “a.exe” không được chấp nhận: chỉ nhận PDF, Word (.docx), Excel (.xlsx) hoặc ảnh (PNG, JPEG)." in text(response)
    response = client.post(url, {"kind": "memo", "file": SimpleUploadedFile("tt.pdf", b"%PDF-1.4")}, follow=True)
    assert "Đã tải lên “tt.pdf”." in text(response)


# ---------------------------------------------------------------- bounded queries of the lists

def _list_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_do_not_grow_with_rows(client, office_user, sub_a):
    client.force_login(office_user)
    other = SubmissionFactory(round=sub_a.round, unit=UnitFactory())
    for p in staff(sub_a.unit, 3):
        NominationFactory(submission=sub_a, person=p, state="submitted")
        AwardFactory(person=p, year=2022)
    urls = [reverse("nominations:nomination_list"), reverse("nominations:vetting_queue"),
            reverse("nominations:submission_detail", args=[sub_a.round_id, sub_a.unit_id]),
            reverse("nominations:round_detail", args=[sub_a.round_id]), reverse("nominations:award_list")]
    before = [_list_queries(client, url) for url in urls]
    for p in staff(sub_a.unit, 12):
        NominationFactory(submission=sub_a, person=p, state="submitted")
        AwardFactory(person=p, year=2023)
    for p in staff(other.unit, 5):
        NominationFactory(submission=other, person=p, state="submitted")
    assert [_list_queries(client, url) for url in urls] == before
    assert AwardRecord.objects.count() == 15


def _nominate_mixed(submission, n):
    """``n`` persons and a collective, some with a commendation form: every kind of row the list page shows."""
    for p in staff(submission.unit, n):
        NominationFactory(submission=submission, person=p, state="submitted")
    NominationFactory(submission=submission, person=None, unit=submission.unit, title=None, form=form("GIAY_KHEN"),
                      state="submitted")


@pytest.mark.parametrize("role", ["office", "unit"])
def test_the_nomination_list_reads_a_fixed_number_of_queries_whatever_its_length(client, office_user, head_a, sub_a, role,
                                                                                  django_assert_max_num_queries):
    client.force_login(office_user if role == "office" else head_a)
    other = SubmissionFactory(round=sub_a.round, unit=UnitFactory())
    _nominate_mixed(sub_a, 2)
    _nominate_mixed(other, 2)
    url = reverse("nominations:nomination_list")
    filtered_url = url + f"?round={sub_a.round_id}&state=submitted&page=2"
    small, small_filtered = _list_queries(client, url), _list_queries(client, filtered_url)  # one page each
    for submission in (sub_a, other):
        _nominate_mixed(submission, 30)
    with django_assert_max_num_queries(small):
        first = client.get(url)
    with django_assert_max_num_queries(small):
        second = client.get(url + "?page=2")
    with django_assert_max_num_queries(small_filtered):  # + the chosen round, read by the filter's form
        filtered = client.get(filtered_url)
    assert small_filtered == small + 1
    expected = 34 * 2 if role == "office" else 34
    assert f"{expected} đề nghị" in text(first)
    assert "Trang 2/" in text(second) and "Trang 2/" in text(filtered)
    assert len(re.findall(r'href="/de-nghi/\d+/"', text(first))) == 25


def test_a_list_longer_than_the_count_limit_says_more_than_and_pages_on(client, office_user, sub_a, monkeypatch):
    monkeypatch.setattr("tdkt.shortcuts.LIST_COUNT_LIMIT", 30)
    _nominate_mixed(sub_a, 40)
    client.force_login(office_user)
    url = reverse("nominations:nomination_list")
    first = text(client.get(url))
    assert "Hơn 30 đề nghị: lọc theo đợt, đơn vị, trạng thái… để thu hẹp danh sách" in first
    assert "Trang 1<" in first and "Trang 1/" not in first
    assert "?page=2" in first
    last = text(client.get(url + "?page=2"))
    assert len(re.findall(r'href="/de-nghi/\d+/"', last)) == 16
    assert "?page=3" not in last and "?page=1" in last
    assert "1 đề nghị" in text(client.get(url + "?subject=unit"))  # under the limit the count is exact


# ---------------------------------------------------------------- bonus, files, deletions, pending imports

def test_a_decided_nomination_shows_the_bonus_on_its_decision_date(client, office_user, unit_a, person_a):
    round_2023 = RoundFactory(name="Tổng kết năm 2023", year=2023, reference_date=datetime.date(2023, 12, 15))
    nomination = NominationFactory(submission=SubmissionFactory(round=round_2023, unit=unit_a), person=person_a, state="decided")
    AwardFactory(person=person_a, year=2023, nomination=nomination, decision_number="07/QĐ-SKHCN",
                 decision_date=datetime.date(2024, 3, 10))
    pending = NominationFactory(submission=SubmissionFactory(round=round_2023, unit=UnitFactory()), state="council_passed")
    client.force_login(office_user)
    body = text(client.get(reverse("nominations:nomination_detail", args=[nomination.pk])))
    assert "<dt>Mức thưởng</dt><dd>540.000 đ" in body  # 0,3 × 1.800.000 đ (Nghị định 24/2023), not today's base salary
    assert "lương cơ sở 1.800.000 đ áp dụng ngày 10/03/2024" in body
    body = text(client.get(reverse("nominations:nomination_detail", args=[pending.pk])))
    today = datetime.date.today().strftime("%d/%m/%Y")
    assert "<dt>Mức thưởng dự kiến</dt><dd>710.000 đ" in body and f"lương cơ sở 2.340.000 đ áp dụng ngày {today}" in body


def test_a_missing_stored_file_answers_404(client, office_user, sub_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = services.document_add(actor=None, submission=sub_a, kind="memo", uploaded_file=SimpleUploadedFile("tt.pdf", b"%PDF-1.4"))
    Path(document.file.path).unlink()
    client.force_login(office_user)
    assert client.get(reverse("nominations:document_download", args=[document.pk])).status_code == 404


def test_the_pages_let_a_unit_head_delete_only_files_still_changeable(client, head_a, sub_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sent = NominationFactory(submission=sub_a, person=staff(sub_a.unit, 1)[0], state="submitted")
    draft = NominationFactory(submission=sub_a, person=staff(sub_a.unit, 1)[0])
    sent_report, draft_report = (services.document_add(actor=None, submission=sub_a, kind="report", nomination=n,
                                                       uploaded_file=SimpleUploadedFile(f"bc-{n.state}.pdf", b"%PDF-1.4"))
                                 for n in (sent, draft))
    client.force_login(head_a)
    body = text(client.get(reverse("nominations:submission_detail", args=[sub_a.round_id, sub_a.unit_id])))
    assert reverse("nominations:document_delete", args=[draft_report.pk]) in body
    assert reverse("nominations:document_delete", args=[sent_report.pk]) not in body
    assert client.post(reverse("nominations:document_delete", args=[sent_report.pk])).status_code == 403
    assert client.post(reverse("nominations:document_delete", args=[draft_report.pk])).status_code == 302
    assert list(sub_a.documents.values_list("original_name", flat=True)) == ["bc-submitted.pdf"]


def test_a_new_upload_drops_the_previous_pending_import(client, head_a, sub_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    a, b = staff(sub_a.unit, 2)
    client.force_login(head_a)
    url = reverse("nominations:nomination_import", args=[sub_a.round_id, sub_a.unit_id])

    def upload(rows):
        return text(client.post(url, {"file": SimpleUploadedFile("ds.xlsx", nomination_list_xlsx(rows))}))

    first = re.search(r'name="token" value="([0-9a-f]+)"', upload([[1, "Cá nhân", a.full_name, None, "LĐTT", ""]])).group(1)
    second = re.search(r'name="token" value="([0-9a-f]+)"', upload([[1, "Cá nhân", b.full_name, None, "LĐTT", ""]])).group(1)
    pending = tmp_path / "imports" / str(head_a.pk)
    assert [p.name for p in pending.iterdir()] == [f"{second}.xlsx"]
    assert list(client.session["imports"]) == [second]
    response = client.post(url, {"token": first}, follow=True)
    assert "Phiên nhập đã hết hạn: hãy tải tệp lên lại." in text(response)
    assert Nomination.objects.count() == 0
    upload([[1, "Cá nhân", "Không Có Ai", None, "LĐTT", ""]])  # a refused upload also ends the earlier pending one
    assert (list(pending.iterdir()), client.session["imports"]) == ([], {})


def test_the_template_download_name_survives_a_quote_in_the_unit_code(client, office_user, unit_a, round_2025):
    unit_a.short_code = 'QL"KH\r\nX'
    unit_a.save()
    client.force_login(office_user)
    response = client.get(reverse("nominations:nomination_import_template", args=[round_2025.pk, unit_a.pk]))
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert "\r" not in header and "\n" not in header and header.startswith("attachment; filename")
