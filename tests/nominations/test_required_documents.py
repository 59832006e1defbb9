"""Required documents per title or form (issue 13): data the office edits, a checklist on the unit's send page, and
rule R12 refusing to send a list until its files are there, naming the missing ones."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nominations import services
from nominations.models import Nomination, RequiredDocument
from nominations.rules_engine import STAGE_SUBMIT, VALIDATORS, evaluate
from tdkt.models import AuditEvent
from tests.factories import UnitFactory
from tests.factories.nominations import NominationFactory, SubmissionFactory, build_nomination, staff, title

pytestmark = [pytest.mark.integration, pytest.mark.required_documents]

PDF = b"%PDF-1.4\n% test\n"
MEMO = "Tờ trình đề nghị khen thưởng của đơn vị"
MINUTES = "Biên bản họp bình xét thi đua, khen thưởng của đơn vị"
REPORT = "Báo cáo thành tích (có xác nhận của thủ trưởng đơn vị)"
INITIATIVE = "Giấy chứng nhận sáng kiến hoặc biên bản nghiệm thu đề tài"


def upload(actor, submission, kind, nomination=None):
    return services.document_add(actor=actor, submission=submission, kind=kind, nomination=nomination,
                                 uploaded_file=SimpleUploadedFile(f"{kind}.pdf", PDF, content_type="application/pdf"))


def draft_list(head, sub, n=2, code="LDTT"):
    people = staff(sub.unit, n)
    made = [services.nomination_create(actor=head, nomination_round=sub.round, unit=sub.unit, person=p, title=title(code))
            for p in people]
    services.submission_update(actor=head, submission=sub, memo_number="12/TTr-QLKH", memo_date=datetime.date(2025, 12, 16))
    return made


def test_the_usual_documents_are_seeded(db):
    rows = sorted((r.title.code if r.title else r.form.code if r.form else "*", r.kind, r.scope, r.label)
                  for r in RequiredDocument.objects.select_related("title", "form"))
    assert rows == sorted([
        ("*", "memo", "submission", MEMO), ("*", "minutes", "submission", MINUTES),
        ("CSTDCS", "report", "nominee", REPORT), ("CSTDCS", "initiative", "nominee", INITIATIVE),
        ("CSTD_TINH", "report", "nominee", REPORT), ("CSTD_TINH", "initiative", "nominee", INITIATIVE),
        ("TTLDXS", "report", "nominee", REPORT), ("CO_TINH", "report", "nominee", REPORT), ("BK_TINH", "report", "nominee", REPORT),
    ])


def test_sending_is_refused_until_the_files_are_there_with_the_missing_ones_named(head_a, sub_a):
    made = draft_list(head_a, sub_a)
    with pytest.raises(ValidationError) as exc:
        services.submission_submit(actor=head_a, submission=sub_a)
    assert exc.value.messages == [
        f"{made[0].subject} – Lao động tiên tiến: R12 – Hồ sơ đủ tài liệu bắt buộc: hồ sơ của đơn vị thiếu {MEMO}, {MINUTES}. "
        "Căn cứ: Điều 84 và Điều 85 Nghị định 98/2023/NĐ-CP (hồ sơ đề nghị khen thưởng); Luật Thi đua, khen thưởng 2022."]
    assert set(Nomination.objects.values_list("state", flat=True)) == {"draft"}
    upload(head_a, sub_a, "memo")
    with pytest.raises(ValidationError) as exc:
        services.submission_submit(actor=head_a, submission=sub_a)
    assert f"hồ sơ của đơn vị thiếu {MINUTES}." in exc.value.messages[0]
    upload(head_a, sub_a, "minutes")
    assert len(services.submission_submit(actor=head_a, submission=sub_a)) == 2


def test_a_file_per_nominee_is_asked_of_each_nominee_of_that_title(sub_a):
    people = staff(sub_a.unit, 2)
    cstdcs = [NominationFactory(submission=sub_a, person=p, title=title("CSTDCS")) for p in people]
    ldtt = NominationFactory(submission=sub_a, person=staff(sub_a.unit, 1)[0])
    upload(None, sub_a, "report", cstdcs[0])
    found = evaluate([*cstdcs, ldtt], stage=STAGE_SUBMIT)
    r12 = [[v.message for v in violations if v.code == "R12"] for violations in found]
    assert r12 == [
        [f"thiếu {INITIATIVE} của “{people[0].full_name}”; hồ sơ của đơn vị thiếu {MEMO}, {MINUTES}"],
        [f"thiếu {REPORT}, {INITIATIVE} của “{people[1].full_name}”"],
        [],
    ]


def test_r12_judges_the_sent_and_resent_lists_only():
    assert VALIDATORS["R12"].stages == frozenset({"submit", "resubmit"})


def test_without_requirements_r12_says_nothing(sub_a):
    RequiredDocument.objects.all().delete()
    found = evaluate([build_nomination(sub_a, person=p) for p in staff(sub_a.unit, 2)], stage=STAGE_SUBMIT)
    assert [[v for v in f if v.code == "R12"] for f in found] == [[], []]


def test_r12_reads_the_same_queries_for_any_list(sub_a):
    counts = []
    for n in (2, 12):
        submission = SubmissionFactory(round=sub_a.round, unit=UnitFactory())
        batch = [NominationFactory(submission=submission, person=p, title=title("CSTDCS")) for p in staff(submission.unit, n)]
        with CaptureQueriesContext(connection) as ctx:
            evaluate(batch, stage=STAGE_SUBMIT)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


# ---------------------------------------------------------------- the send page

def test_the_send_page_shows_the_checklist_and_no_send_button_until_complete(client, head_a, sub_a):
    made = draft_list(head_a, sub_a, 1, code="LDTT")
    client.force_login(head_a)
    url = reverse("nominations:submission_submit", args=[sub_a.round_id, sub_a.unit_id])
    body = client.get(url).content.decode()
    assert f'<span class="sr-only">Còn thiếu:</span> {MEMO}' in body
    assert "Chưa gửi được: hồ sơ còn thiếu tài liệu bắt buộc (quy định R12)." in body
    assert "Xác nhận gửi</button>" not in body
    assert 'name="reason"' not in body  # sending asks no reason
    upload(head_a, sub_a, "memo")
    upload(head_a, sub_a, "minutes")
    body = client.get(url).content.decode()
    assert f'<span class="sr-only">Đã có:</span> {MEMO}' in body
    assert "Đủ tài liệu bắt buộc." in body
    assert "Xác nhận gửi</button>" in body
    assert "Lý do vượt cảnh báo" not in body  # no warning in the list: no box
    assert client.post(url, {"override_reason": ""}).status_code == 302
    assert Nomination.objects.get(pk=made[0].pk).state == "submitted"


def test_the_submission_page_shows_the_checklist(client, head_a, sub_a):
    draft_list(head_a, sub_a, 1)
    client.force_login(head_a)
    body = client.get(reverse("nominations:submission_detail", args=[sub_a.round_id, sub_a.unit_id])).content.decode()
    assert "Còn thiếu 2 tài liệu" in body


# ---------------------------------------------------------------- the office's list

def test_the_office_adds_changes_and_deletes_an_entry_audited(client, office_user):
    client.force_login(office_user)
    response = client.post(reverse("nominations:required_document_create"), {
        "award": f"t:{title('LDTT').pk}", "kind": "report", "scope": "nominee", "label": "Báo cáo tóm tắt", "active": "on"})
    assert response.status_code == 302
    entry = RequiredDocument.objects.get(label="Báo cáo tóm tắt")
    assert (entry.title.code, entry.form, entry.kind, entry.scope, entry.active) == ("LDTT", None, "report", "nominee", True)
    body = client.get(reverse("nominations:required_document_list")).content.decode()
    assert "Báo cáo tóm tắt" in body
    response = client.post(reverse("nominations:required_document_edit", args=[entry.pk]), {
        "award": f"t:{title('LDTT').pk}", "kind": "report", "scope": "nominee", "label": "Báo cáo tóm tắt thành tích"})
    entry.refresh_from_db()
    assert (entry.label, entry.active) == ("Báo cáo tóm tắt thành tích", False)
    delete = reverse("nominations:required_document_delete", args=[entry.pk])
    assert "Xoá tài liệu bắt buộc “Báo cáo tóm tắt thành tích” (Lao động tiên tiến)?" in client.get(delete).content.decode()
    assert RequiredDocument.objects.filter(pk=entry.pk).exists()  # asking changes nothing
    assert client.post(delete).status_code == 302
    assert not RequiredDocument.objects.filter(pk=entry.pk).exists()
    assert list(AuditEvent.objects.filter(content_type__model="requireddocument", object_id=str(entry.pk)).order_by("id")
                .values_list("action", flat=True)) == ["create", "update", "delete"]


def test_a_duplicate_entry_and_a_report_for_the_whole_submission_are_refused(client, office_user):
    client.force_login(office_user)
    url = reverse("nominations:required_document_create")
    body = client.post(url, {"award": "", "kind": "memo", "scope": "submission", "label": "Tờ trình"}).content.decode()
    assert "Đã có yêu cầu này (cùng loại tài liệu, cùng danh hiệu/hình thức, cùng phạm vi)." in body
    body = client.post(url, {"award": "", "kind": "report", "scope": "submission", "label": "Báo cáo"}).content.decode()
    assert "Báo cáo thành tích là của từng người, tập thể được đề nghị: chọn “Mỗi cá nhân, tập thể được đề nghị”." in body
    assert RequiredDocument.objects.count() == 9


def test_only_the_office_edits_the_list_and_every_role_reads_it(client, head_a):
    client.force_login(head_a)
    assert client.get(reverse("nominations:required_document_list")).status_code == 200
    assert client.get(reverse("nominations:required_document_create")).status_code == 403
    entry = RequiredDocument.objects.first()
    assert client.post(reverse("nominations:required_document_delete", args=[entry.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.required_document_delete(actor=head_a, required_document=entry)
    assert RequiredDocument.objects.filter(pk=entry.pk).exists()
