import datetime
import unicodedata

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from movements import services as org
from nominations import services
from nominations.enums import AwardType, NominationState, RoundStatus
from nominations.models import AwardRecord, Nomination, NominationRound, Rule, RuleOverride, SubmissionDocument, UnitSubmission
from tdkt.models import AuditEvent
from tdkt.validation import ManyValidationError
from tests.factories import DisciplineFactory, UnitFactory, UnitUserFactory
from tests.factories.nominations import (
    AdHocRoundFactory,
    CampaignFactory,
    NominationFactory,
    RoundFactory,
    SubmissionFactory,
    form,
    staff,
    title,
)

pytestmark = pytest.mark.integration

S = NominationState


def basis(code):
    return Rule.objects.get(code=code).legal_basis


def create(actor, nomination_round, unit, person, code="LDTT", **kwargs):
    award = {"title": title(code)} if code not in ("GIAY_KHEN", "BK_TINH") else {"form": form(code)}
    return services.nomination_create(actor=actor, nomination_round=nomination_round, unit=unit, person=person, **award, **kwargs)


def events(obj):
    return list(AuditEvent.objects.filter(content_type__model=obj._meta.model_name, object_id=str(obj.pk)).order_by("id")
                .values_list("action", "from_state", "to_state", "reason"))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# ---------------------------------------------------------------- create, update, delete

def test_create_normalises_opens_the_submission_and_audits(office_user, round_2025, unit_a):
    person = staff(unit_a, 1)[0]
    nomination = create(office_user, round_2025, unit_a, person,
                        achievement_summary=unicodedata.normalize("NFD", "  Hoàn thành   xuất sắc \n  nhiệm vụ được giao "))
    assert nomination.achievement_summary == "Hoàn thành xuất sắc\nnhiệm vụ được giao"
    assert (nomination.state, nomination.submission.unit, nomination.submission.round, nomination.created_by) == (
        S.DRAFT, unit_a, round_2025, office_user)
    assert events(nomination) == [("create", "", "", "")]


def test_the_forty_percent_rule_blocks_the_service_and_saves_nothing(head_a, round_2025, unit_a):
    # R1 judges the list when it is sent (issue 8): the drafts are typed in any order, sending is refused as a whole
    workers, leaders = staff(unit_a, 2), staff(unit_a, 2, leader=True)
    for person in [*workers, *leaders]:
        create(head_a, round_2025, unit_a, person)
    submission = Nomination.objects.first().submission
    services.submission_update(actor=head_a, submission=submission, memo_number="12/TTr-QLKH", memo_date=datetime.date(2025, 11, 20))
    with pytest.raises(ValidationError) as exc:
        services.submission_submit(actor=head_a, submission=submission)
    assert exc.value.messages == [
        f"{leaders[1]} – Lao động tiên tiến: R1 – Tỷ lệ cá nhân lãnh đạo, quản lý: Phòng Quản lý khoa học, năm 2025: 2/4 cá nhân là "
        f"lãnh đạo, quản lý (50,0%) > 40% (tối đa 1 người). Căn cứ: {basis('R1')}.",
        f"{leaders[1]} – Lao động tiên tiến: R1 – Tỷ lệ cá nhân lãnh đạo, quản lý: Toàn cơ quan, năm 2025: 2/4 cá nhân là lãnh đạo, "
        f"quản lý (50,0%) > 40% (tối đa 1 người). Căn cứ: {basis('R1')}.",
    ]
    assert set(Nomination.objects.values_list("state", flat=True)) == {S.DRAFT}


def test_a_warning_needs_an_override_reason_which_is_recorded(office_user, round_2025, unit_a, unit_b):
    person = staff(unit_b, 1)[0]
    ad_hoc = AdHocRoundFactory(year=2025, reference_date=datetime.date(2025, 5, 1))
    create(office_user, ad_hoc, unit_b, person, code="GIAY_KHEN")
    org.person_change_position(actor=office_user, person=person, unit=unit_a, title="Chuyên viên", is_leadership=False,
                               is_head=False, start_date=datetime.date(2025, 7, 1))
    with pytest.raises(ValidationError) as exc:
        create(office_user, round_2025, unit_a, person)
    [message] = exc.value.messages
    assert message.startswith(f"R5 – Một thành tích chỉ khen thưởng một lần: {person.full_name} cũng được Trung tâm Ứng dụng đề nghị")
    assert message.endswith("(Cảnh báo: ghi lý do vượt cảnh báo để tiếp tục.)")
    nomination = create(office_user, round_2025, unit_a, person, override_reason="Hai thành tích khác nhau, đã xác minh")
    override = RuleOverride.objects.get(nomination=nomination)
    assert (override.rule.code, override.reason, override.created_by) == ("R5", "Hai thành tích khác nhau, đã xác minh", office_user)
    assert AuditEvent.objects.filter(object_id=str(nomination.pk), content_type__model="nomination",
                                     changes={"vượt cảnh báo": [None, "R5"]}).count() == 1


def test_unit_heads_write_only_for_their_own_unit_and_the_council_never(head_a, council_user, round_2025, unit_b, person_b):
    with pytest.raises(PermissionDenied):
        create(head_a, round_2025, unit_b, person_b)
    with pytest.raises(PermissionDenied):
        create(council_user, round_2025, unit_b, person_b)
    assert Nomination.objects.count() == 0


def test_a_person_of_another_unit_cannot_be_proposed(head_a, round_2025, unit_a, person_b):
    with pytest.raises(ValidationError) as exc:
        create(head_a, round_2025, unit_a, person_b)
    assert exc.value.message_dict == {"person": ["Lê Văn Bảo không công tác tại Phòng Quản lý khoa học vào ngày xét 15/12/2025."]}


def test_award_must_fit_the_subject(office_user, round_2025, unit_a):
    person = staff(unit_a, 1)[0]
    with pytest.raises(ValidationError) as exc:
        create(office_user, round_2025, unit_a, person, code="TTLDTT")
    assert exc.value.message_dict == {"person": ["“Tập thể lao động tiên tiến” chỉ dành cho tập thể."]}


def test_linked_initiatives_must_be_the_nominees_own(office_user, round_2025, unit_a):
    from tests.factories.nominations import InitiativeFactory

    person, other = staff(unit_a, 2, rating="HTXSNV")
    mine, theirs = InitiativeFactory(person=person), InitiativeFactory(person=other)
    with pytest.raises(ValidationError):
        create(office_user, round_2025, unit_a, person, code="CSTDCS", initiatives=[mine, theirs])
    nomination = create(office_user, round_2025, unit_a, person, code="CSTDCS", initiatives=[mine])
    assert list(nomination.initiatives.all()) == [mine]


def test_update_only_while_editable_and_delete_only_drafts(head_a, office_user, round_2025, unit_a):
    first, second = staff(unit_a, 2)
    nomination = create(head_a, round_2025, unit_a, first)
    nomination = services.nomination_update(actor=head_a, nomination=nomination, person=second, title=title("LDTT"),
                                            achievement_summary="Đổi người")
    assert nomination.person == second
    services.submission_update(actor=head_a, submission=nomination.submission, memo_number="12/TTr-QLKH",
                               memo_date=datetime.date(2025, 12, 1))
    services.nomination_submit(actor=head_a, nomination=nomination)
    with pytest.raises(ValidationError):
        services.nomination_update(actor=head_a, nomination=nomination, person=first, title=title("LDTT"))
    with pytest.raises(ValidationError) as exc:
        services.nomination_delete(actor=head_a, nomination=nomination)
    assert exc.value.messages == ["Chỉ xoá được đề nghị ở trạng thái nháp."]
    services.nomination_return(actor=office_user, nomination=nomination, reason="Thiếu báo cáo thành tích")
    nomination = services.nomination_update(actor=head_a, nomination=nomination, person=second, title=title("LDTT"),
                                            achievement_summary="Bổ sung")
    assert nomination.achievement_summary == "Bổ sung"
    draft = create(head_a, round_2025, unit_a, first)
    services.nomination_delete(actor=head_a, nomination=draft)
    assert not Nomination.objects.filter(pk=draft.pk).exists()
    assert AuditEvent.objects.filter(action="delete", content_type__model="nomination", object_id=str(draft.pk)).count() == 1


# ---------------------------------------------------------------- the workflow

def test_the_whole_workflow_with_reasons_and_an_award_at_the_end(head_a, office_user, round_2025, unit_a):
    nomination = create(head_a, round_2025, unit_a, staff(unit_a, 1)[0])
    services.nomination_submit(actor=head_a, nomination=nomination)
    with pytest.raises(ValidationError) as exc:
        services.nomination_return(actor=office_user, nomination=nomination, reason="   ")
    assert exc.value.message_dict == {"reason": ["Hãy ghi lý do."]}
    services.nomination_return(actor=office_user, nomination=nomination, reason="Thiếu  báo cáo thành tích")
    nomination.refresh_from_db()
    assert (nomination.state, nomination.last_reason) == (S.RETURNED, "Thiếu báo cáo thành tích")
    services.nomination_submit(actor=head_a, nomination=nomination)
    services.nomination_vet(actor=office_user, nomination=nomination, passed=True)
    # the council step is made by the councils app (agenda, vote): no button of this app
    with pytest.raises(PermissionDenied) as exc:
        services.nomination_transition(actor=office_user, nomination=nomination, to_state=S.AT_COUNCIL)
    assert str(exc.value) == ("Bước này do Hội đồng Thi đua – Khen thưởng thực hiện trong phiên họp (chương trình họp, biểu "
                              "quyết).")
    services.nominations_council_transition(actor=office_user, nominations=[nomination], to_state=S.AT_COUNCIL)
    services.nominations_council_transition(actor=office_user, nominations=[nomination], to_state=S.COUNCIL_PASSED)
    with pytest.raises(PermissionDenied) as exc:  # one nomination at a time: no longer (issue 11), only a whole decision
        services.nomination_transition(actor=office_user, nomination=nomination, to_state=S.DECIDED)
    assert str(exc.value) == "Bước này do Văn phòng thực hiện khi ban hành quyết định khen thưởng cho cả danh sách."
    services.nominations_decide(actor=office_user, nominations=[nomination], decision_number="05/QĐ-SKHCN",
                                decision_date=datetime.date(2026, 1, 5), issuer="Giám đốc Sở")
    assert [(a, f, t, r) for a, f, t, r in events(nomination)] == [
        ("create", "", "", ""),
        ("transition", "draft", "submitted", ""),
        ("transition", "submitted", "returned", "Thiếu báo cáo thành tích"),
        ("transition", "returned", "resubmitted", ""),
        ("transition", "resubmitted", "vetted_pass", ""),
        ("transition", "vetted_pass", "at_council", ""),
        ("transition", "at_council", "council_passed", ""),
        ("transition", "council_passed", "decided", ""),
    ]
    award = AwardRecord.objects.get(nomination=nomination)
    assert (award.person, award.title.code, award.year, award.kind, award.decision_number) == (
        nomination.person, "LDTT", 2025, AwardType.ANNUAL, "05/QĐ-SKHCN")


@pytest.mark.parametrize(("start", "target"), [
    (S.DRAFT, S.VETTED_PASS), (S.DRAFT, S.RETURNED), (S.SUBMITTED, S.DECIDED), (S.VETTED_FAIL, S.VETTED_PASS), (S.DECIDED, S.DRAFT)])
def test_moves_outside_the_workflow_are_refused(office_user, sub_a, start, target):
    from tests.factories.nominations import NominationFactory

    nomination = NominationFactory(submission=sub_a, state=start)
    with pytest.raises(ValidationError) as exc:
        services.nomination_transition(actor=office_user, nomination=nomination, to_state=target, reason="x")
    assert "không chuyển được từ" in exc.value.messages[0]
    nomination.refresh_from_db()
    assert nomination.state == start


def test_unit_heads_send_but_never_vet(head_a, round_2025, unit_a):
    nomination = create(head_a, round_2025, unit_a, staff(unit_a, 1)[0])
    services.nomination_submit(actor=head_a, nomination=nomination)
    with pytest.raises(PermissionDenied):
        services.nomination_vet(actor=head_a, nomination=nomination, passed=True)
    other_head = UnitUserFactory()
    with pytest.raises(PermissionDenied):
        services.nomination_return(actor=other_head, nomination=nomination, reason="x")


def test_vetting_rechecks_the_rules(head_a, office_user, round_2025, unit_a):
    person = staff(unit_a, 1)[0]
    nomination = create(head_a, round_2025, unit_a, person)
    services.nomination_submit(actor=head_a, nomination=nomination)
    DisciplineFactory(person=person, kind="under_review", start_date=datetime.date(2025, 12, 1), end_date=None)
    with pytest.raises(ValidationError) as exc:
        services.nomination_vet(actor=office_user, nomination=nomination, passed=True)
    assert exc.value.messages[0].startswith(f"{person.full_name} – Lao động tiên tiến: R6 – Tạm dừng xét")
    services.nomination_vet(actor=office_user, nomination=nomination, passed=False, reason="Đang xem xét kỷ luật")
    nomination.refresh_from_db()
    assert nomination.state == S.VETTED_FAIL


def test_bulk_vetting_moves_all_or_none(head_a, office_user, round_2025, unit_a):
    people = staff(unit_a, 3)
    nominations = [create(head_a, round_2025, unit_a, p) for p in people]
    for n in nominations:
        services.nomination_submit(actor=head_a, nomination=n)
    services.nomination_return(actor=office_user, nomination=nominations[0], reason="Thiếu hồ sơ")
    with pytest.raises(ValidationError):
        services.nominations_bulk_transition(actor=office_user, nominations=nominations, to_state=S.VETTED_PASS)
    assert list(Nomination.objects.order_by("pk").values_list("state", flat=True)) == [S.RETURNED, S.SUBMITTED, S.SUBMITTED]
    services.nominations_bulk_transition(actor=office_user, nominations=nominations[1:], to_state=S.VETTED_PASS)
    assert list(Nomination.objects.order_by("pk").values_list("state", flat=True)) == [S.RETURNED, S.VETTED_PASS, S.VETTED_PASS]


# ---------------------------------------------------------------- the unit's list

def test_sending_the_list_needs_the_memo_and_judges_the_list_as_a_whole(head_a, round_2025, unit_a):
    workers, leader = staff(unit_a, 2), staff(unit_a, 1, leader=True)[0]
    drafts = [create(head_a, round_2025, unit_a, p) for p in [*workers, leader]]
    submission = drafts[0].submission
    with pytest.raises(ValidationError) as exc:
        services.submission_submit(actor=head_a, submission=submission)
    assert exc.value.messages == ["Hãy ghi số và ngày tờ trình của đơn vị trước khi gửi danh sách."]
    services.submission_update(actor=head_a, submission=submission, memo_number=" 12/TTr-QLKH ", memo_date=datetime.date(2025, 12, 1))
    services.nomination_delete(actor=head_a, nomination=drafts[0])  # 1 leader of 2 left: 50 %
    with pytest.raises(ValidationError) as exc:
        services.submission_submit(actor=head_a, submission=submission)
    assert "1/2 cá nhân là lãnh đạo, quản lý (50,0%) > 40%" in exc.value.messages[0]
    create(head_a, round_2025, unit_a, staff(unit_a, 1)[0])
    sent = services.submission_submit(actor=head_a, submission=submission)
    assert sorted(n.state for n in sent) == [S.SUBMITTED] * 3
    submission.refresh_from_db()
    assert (submission.memo_number, submission.submitted_by) == ("12/TTr-QLKH", head_a)


def test_the_deadline_blocks_new_dossiers_but_not_fixing_returned_ones(head_a, office_user, unit_a):
    nomination_round = RoundFactory(deadline=datetime.date.today() + datetime.timedelta(days=1))
    person, late = staff(unit_a, 2)
    nomination = create(head_a, nomination_round, unit_a, person)
    services.nomination_submit(actor=head_a, nomination=nomination)
    services.nomination_return(actor=office_user, nomination=nomination, reason="Bổ sung biên bản")
    NominationRound.objects.filter(pk=nomination_round.pk).update(deadline=datetime.date.today() - datetime.timedelta(days=1))
    nomination_round.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        create(head_a, nomination_round, unit_a, late)
    assert exc.value.messages[0].startswith("R9 – Hạn nộp hồ sơ: đợt “Tổng kết năm 2025")
    nomination.refresh_from_db()
    services.nomination_update(actor=head_a, nomination=nomination, person=person, title=title("LDTT"), achievement_summary="Đã bổ sung")
    services.nomination_submit(actor=head_a, nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.state == S.RESUBMITTED


def test_a_closed_round_takes_nothing(head_a, office_user, round_2025, unit_a):
    services.round_set_status(actor=office_user, nomination_round=round_2025, status=RoundStatus.CLOSED)
    round_2025.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        create(head_a, round_2025, unit_a, staff(unit_a, 1)[0])
    assert exc.value.messages == ["Đợt đề nghị “Tổng kết năm 2025” không còn nhận hồ sơ."]


# ---------------------------------------------------------------- rounds

def test_round_rules_ad_hoc_thematic_and_r10(office_user):
    ad_hoc = services.round_create(actor=office_user, name="Đột xuất: phòng chống bão", kind=AwardType.AD_HOC, year=2025,
                                   reference_date=datetime.date(2025, 9, 10), deadline=datetime.date(2025, 9, 30))
    assert ad_hoc.deadline is None
    with pytest.raises(ValidationError) as exc:
        services.round_create(actor=office_user, name="Tổng kết 2025", kind=AwardType.ANNUAL, year=2025,
                              reference_date=datetime.date(2025, 12, 15))
    assert exc.value.message_dict["deadline"] == ["Đợt đề nghị (trừ đột xuất) phải có hạn nộp hồ sơ."]
    with pytest.raises(ValidationError) as exc:
        services.round_create(actor=office_user, name="Chuyên đề", kind=AwardType.THEMATIC, year=2025,
                              reference_date=datetime.date(2025, 12, 15), deadline=datetime.date(2025, 12, 30))
    assert exc.value.message_dict["campaign"] == ["Đợt chuyên đề phải gắn với một phong trào thi đua."]
    campaign = CampaignFactory(name="Chuyển đổi số")
    with pytest.raises(ValidationError) as exc:
        services.round_create(actor=office_user, name="Chuyên đề", kind=AwardType.THEMATIC, year=2025, campaign=campaign,
                              reference_date=datetime.date(2025, 12, 15), deadline=datetime.date(2025, 12, 30))
    assert exc.value.message_dict["campaign"][0].startswith("R10 – Khen thưởng chuyên đề cần kế hoạch và báo cáo sơ kết, tổng kết")
    assert NominationRound.objects.count() == 1


def test_round_status_moves(office_user, head_a, round_2025):
    with pytest.raises(PermissionDenied):
        services.round_set_status(actor=head_a, nomination_round=round_2025, status=RoundStatus.CLOSED)
    with pytest.raises(ValidationError):
        services.round_set_status(actor=office_user, nomination_round=round_2025, status=RoundStatus.DECIDED)
    for status in (RoundStatus.CLOSED, RoundStatus.AT_COUNCIL, RoundStatus.DECIDED):
        services.round_set_status(actor=office_user, nomination_round=round_2025, status=status)
    assert [(f, t) for _a, f, t, _r in events(round_2025)] == [
        ("open", "closed"), ("closed", "at_council"), ("at_council", "decided")]


# ---------------------------------------------------------------- documents

def test_documents_are_checked_by_type_and_size_and_stored_outside_static(head_a, sub_a, media, settings):
    pdf = SimpleUploadedFile("Tờ trình.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    document = services.document_add(actor=head_a, submission=sub_a, kind="memo", uploaded_file=pdf)
    assert document.original_name == "Tờ trình.pdf"
    assert document.file.path.startswith(str(media))
    assert not document.file.path.startswith(str(settings.BASE_DIR / "static"))
    for name, content, message in [
        ("virus.exe", b"MZ....", "Tệp “virus.exe” không được chấp nhận: chỉ nhận PDF, Word (.docx), Excel (.xlsx) hoặc ảnh (PNG, JPEG)."),
        ("giả.pdf", b"<html>", "Nội dung tệp “giả.pdf” không đúng định dạng PDF (tệp hỏng hoặc bị đổi đuôi)."),
        ("to.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "Tệp “to.pdf” quá lớn (10,0 MB); tối đa 10,0 MB."),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.document_add(actor=head_a, submission=sub_a, kind="memo", uploaded_file=SimpleUploadedFile(name, content))
        assert exc.value.messages == [message]
    assert SubmissionDocument.objects.count() == 1


def test_achievement_reports_belong_to_a_nominee(head_a, sub_a, media):
    with pytest.raises(ValidationError) as exc:
        services.document_add(actor=head_a, submission=sub_a, kind="report",
                              uploaded_file=SimpleUploadedFile("bc.pdf", b"%PDF-1.4"))
    assert exc.value.message_dict == {"nomination": ["Báo cáo thành tích phải gắn với một người hoặc tập thể được đề nghị."]}


@pytest.fixture
def files_of_a(sub_a, media):
    """Unit A's files: a report of a draft, of a returned, of a sent and of a vetted nomination, and the tờ trình."""
    def upload(name, nomination=None, kind="report"):
        return services.document_add(actor=None, submission=sub_a, kind=kind, nomination=nomination,
                                     uploaded_file=SimpleUploadedFile(name, b"%PDF-1.4"))
    people = staff(sub_a.unit, 4)
    nominations = {state: NominationFactory(submission=sub_a, person=p, state=state)
                   for state, p in zip(["draft", "returned", "submitted", "vetted_pass"], people, strict=True)}
    files = {state: upload(f"bc-{state}.pdf", n) for state, n in nominations.items()}
    files["memo"] = upload("to-trinh.pdf", kind="memo")
    return files


def test_a_unit_head_deletes_only_files_the_unit_may_still_change(head_a, office_user, sub_a, files_of_a):
    for key in ("submitted", "vetted_pass"):
        with pytest.raises(ValidationError) as exc:
            services.document_delete(actor=head_a, document=files_of_a[key])
        state = S(key).label
        assert exc.value.messages == [f"Đề nghị “{files_of_a[key].nomination}” đã gửi ({state}): đơn vị không xoá tài liệu của "
                                      "đề nghị này được nữa."]
    sub_a.submitted_at = timezone.now()
    sub_a.save()
    with pytest.raises(ValidationError) as exc:
        services.document_delete(actor=head_a, document=files_of_a["memo"])
    assert exc.value.messages == ["Hồ sơ của đơn vị đã gửi: đơn vị không xoá tài liệu này được nữa."]
    assert not AuditEvent.objects.filter(action="delete").exists()
    services.document_delete(actor=head_a, document=files_of_a["draft"])
    services.document_delete(actor=head_a, document=files_of_a["returned"])
    services.document_delete(actor=office_user, document=files_of_a["vetted_pass"])  # the office still may, audited
    services.document_delete(actor=office_user, document=files_of_a["memo"])
    assert sorted(SubmissionDocument.objects.values_list("original_name", flat=True)) == ["bc-submitted.pdf"]
    assert sorted(AuditEvent.objects.filter(action="delete", content_type__model="submissiondocument")
                  .values_list("actor__username", "object_id")) == sorted(
        [(head_a.username, str(files_of_a["draft"].pk)), (head_a.username, str(files_of_a["returned"].pk)),
         (office_user.username, str(files_of_a["vetted_pass"].pk)), (office_user.username, str(files_of_a["memo"].pk))])


def test_a_unit_head_may_delete_the_memo_before_the_list_is_sent(head_a, files_of_a):
    services.document_delete(actor=head_a, document=files_of_a["memo"])
    assert not SubmissionDocument.objects.filter(original_name="to-trinh.pdf").exists()


# ---------------------------------------------------------------- award history

def test_award_history_is_kept_by_the_office(office_user, head_a, person_a):
    with pytest.raises(PermissionDenied):
        services.award_record_create(actor=head_a, person=person_a, title=title("LDTT"), year=2023)
    record = services.award_record_create(actor=office_user, person=person_a, title=title("LDTT"), year=2023,
                                          decision_number=" 05/QĐ-SKHCN ", decision_date=datetime.date(2024, 1, 5))
    assert record.decision_number == "05/QĐ-SKHCN"
    with pytest.raises(ValidationError):
        services.award_record_create(actor=office_user, person=person_a, title=title("LDTT"), year=2023)
    with pytest.raises(ValidationError):
        services.award_record_delete(actor=office_user, record=record, reason="")
    services.award_record_delete(actor=office_user, record=record, reason="Nhập nhầm")
    assert AwardRecord.objects.count() == 0


def test_submission_rows_are_unique_per_round_and_unit(office_user, round_2025, unit_a):
    first = services.submission_get_or_create(actor=office_user, nomination_round=round_2025, unit=unit_a)
    assert services.submission_get_or_create(actor=office_user, nomination_round=round_2025, unit=unit_a) == first
    assert SubmissionFactory._meta.model.objects.count() == 1


# ---------------------------------------------------------------- a whole list at once (an Excel import, issue 9)

def _rows(people, code="LDTT"):
    return [{"person": p, "title": title(code), "achievement_summary": f"Thành tích {p.full_name}"} for p in people]


def _written(nominations):
    """What a write left: the nominations, their audit events and overrides, without ids and times."""
    ids = [str(n.pk) for n in nominations]
    audit = sorted(AuditEvent.objects.filter(content_type__model="nomination", object_id__in=ids).values_list(
        "actor__username", "action", "object_repr", "changes", "reason"), key=str)
    overrides = sorted(RuleOverride.objects.filter(nomination__in=nominations).values_list(
        "nomination__person__full_name", "rule__code", "reason", "created_by__username"))
    rows = sorted(Nomination.objects.filter(pk__in=[n.pk for n in nominations]).values_list(
        "person__full_name", "title__code", "state", "achievement_summary", "created_by__username", "submission__unit__name"))
    return rows, audit, overrides


def test_a_list_at_once_writes_what_creating_each_row_writes(office_user, round_2025, unit_a, unit_b):
    people = staff(unit_a, 3)
    ad_hoc = AdHocRoundFactory(year=2025, reference_date=datetime.date(2025, 3, 1))
    NominationFactory(submission=SubmissionFactory(round=ad_hoc, unit=unit_b), person=people[2], title=None, form=form("GIAY_KHEN"))
    reason = "Hai thành tích khác nhau, đã xác minh"
    with transaction.atomic():
        one_by_one = _written([create(office_user, round_2025, unit_a, p, achievement_summary=f"Thành tích {p.full_name}",
                                      override_reason=reason) for p in people])
        transaction.set_rollback(True)
    created = services.nominations_import(actor=office_user, nomination_round=round_2025, unit=unit_a, rows=_rows(people),
                                          override_reason=reason)
    assert [n.person for n in created] == people and all(n.pk for n in created)
    assert _written(created) == one_by_one
    rows, audit, overrides = one_by_one
    assert len(rows) == 3 and overrides == [(people[2].full_name, "R5", reason, office_user.username)]
    assert [(action, changes) for _u, action, _r, changes, _why in audit].count(("update", {"vượt cảnh báo": [None, "R5"]})) == 1
    assert events(created[0].submission) == [("create", "", "", "")]  # the submission opened once, audited once


def test_a_list_at_once_saves_nothing_when_a_row_fails(head_a, round_2025, unit_a, unit_b):
    people = staff(unit_a, 2) + staff(unit_a, 1, rating="HTNV") + staff(unit_b, 1)
    with pytest.raises(ManyValidationError) as exc:
        services.nominations_import(actor=head_a, nomination_round=round_2025, unit=unit_a, rows=_rows(people))
    assert list(exc.value.by_index) == [2, 3]
    assert exc.value.by_index[2].messages[0].startswith("R4 – ")
    assert exc.value.by_index[3].messages == [f"{people[3].full_name} không công tác tại Phòng Quản lý khoa học vào ngày xét 15/12/2025."]
    assert (Nomination.objects.count(), AuditEvent.objects.count(), UnitSubmission.objects.count()) == (0, 0, 0)


def test_a_list_at_once_is_refused_for_another_unit_a_closed_round_or_nothing(head_a, round_2025, unit_a, unit_b):
    with pytest.raises(PermissionDenied):
        services.nominations_import(actor=head_a, nomination_round=round_2025, unit=unit_b, rows=_rows(staff(unit_b, 1)))
    with pytest.raises(ValidationError) as exc:
        services.nominations_import(actor=head_a, nomination_round=round_2025, unit=unit_a, rows=[])
    assert exc.value.messages == ["Danh sách không có đề nghị nào."]
    round_2025.status = RoundStatus.CLOSED
    round_2025.save()
    with pytest.raises(ValidationError) as exc:
        services.nominations_import(actor=head_a, nomination_round=round_2025, unit=unit_a, rows=_rows(staff(unit_a, 3)))
    assert exc.value.messages == ["Đợt đề nghị “Tổng kết năm 2025” không còn nhận hồ sơ."]
    assert Nomination.objects.count() == 0


@pytest.mark.parametrize("size", [10, 200])
def test_a_list_at_once_costs_the_same_number_of_queries_whatever_its_length(head_a, round_2025, unit_a, size,
                                                                            django_assert_max_num_queries):
    people = staff(unit_a, size)
    ad_hoc = AdHocRoundFactory(year=2025, reference_date=datetime.date(2025, 3, 1))
    other = SubmissionFactory(round=ad_hoc, unit=UnitFactory())
    NominationFactory(submission=other, person=people[-1], title=None, form=form("GIAY_KHEN"))  # a warning to record
    rows = _rows(people)
    with django_assert_max_num_queries(40):  # locks, submission, one query per foreign key, the rules (~20), inserts
        created = services.nominations_import(actor=head_a, nomination_round=round_2025, unit=unit_a, rows=rows,
                                              override_reason="Đã xác minh")
    assert len(created) == size and RuleOverride.objects.count() == 1
