"""Issue 8 on the nominations side: finalised records are frozen (item 2), rules that judge right in every order
(item 3), dates within sane bounds and attachments checked by content (item 4)."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from movements.models import PositionAssignment
from nominations import services
from nominations.enums import NominationState, RoundStatus
from nominations.models import AwardRecord, Initiative, Nomination, Rule, SubmissionDocument
from nominations.rules_engine import STAGE_AUDIT, check_nominations, evaluate
from nominations.selectors import preview_violations
from tdkt.models import AuditEvent
from tests.factories import PersonFactory, UnitFactory, UserFactory
from tests.factories.nominations import (
    AwardFactory,
    InitiativeFactory,
    NominationFactory,
    RoundFactory,
    SubmissionFactory,
    build_nomination,
    messages,
    staff,
    title,
)

pytestmark = pytest.mark.integration

S = NominationState


def r1(violations):
    return messages(violations, "R1")


@pytest.fixture
def admin_user(db):
    return UserFactory(role="admin", is_staff=True, is_superuser=True)


def admin_url(obj, view="change"):
    return reverse(f"admin:nominations_{obj._meta.model_name}_{view}", args=[obj.pk])


# ---------------------------------------------------------------- item 2: finalised records are frozen

def round_values(nomination_round, **changes):
    values = {f: getattr(nomination_round, f) for f in services.ROUND_FIELDS}
    return {**values, **changes}


def test_round_basis_is_fixed_once_a_nomination_was_sent(office_user, sub_a):
    nomination_round = sub_a.round
    NominationFactory(submission=sub_a)  # a draft: the basis may still change
    nomination_round = services.round_update(actor=office_user, nomination_round=nomination_round,
                                             **round_values(nomination_round, reference_date=datetime.date(2025, 12, 20)))
    NominationFactory(submission=sub_a, state=S.SUBMITTED)
    for field, value, label in (("reference_date", datetime.date(2025, 12, 1), "ngày xét"), ("year", 2024, "năm thành tích"),
                                ("kind", "other", "loại đợt")):
        with pytest.raises(ValidationError) as exc:
            services.round_update(actor=office_user, nomination_round=nomination_round, **round_values(nomination_round, **{field: value}))
        assert exc.value.message_dict == {field: [f"Không sửa được {label}: đã có đề nghị được gửi."]}
    # what may change while the round is open: its name, note and deadline
    updated = services.round_update(actor=office_user, nomination_round=nomination_round, **round_values(
        nomination_round, name="Khen thưởng tổng kết năm 2025", note="Gia hạn", deadline=nomination_round.deadline + datetime.timedelta(days=5)))
    assert (updated.name, updated.reference_date) == ("Khen thưởng tổng kết năm 2025", datetime.date(2025, 12, 20))


def test_a_closed_round_changes_only_its_name_and_note_and_a_decided_one_only_its_note(office_user, round_2025):
    round_2025.status = RoundStatus.CLOSED
    round_2025.save()
    with pytest.raises(ValidationError) as exc:
        services.round_update(actor=office_user, nomination_round=round_2025,
                              **round_values(round_2025, deadline=round_2025.deadline + datetime.timedelta(days=1)))
    assert exc.value.message_dict == {"deadline": ["Không sửa được hạn nộp hồ sơ: đợt đã đóng (Đã đóng)."]}
    services.round_update(actor=office_user, nomination_round=round_2025, **round_values(round_2025, name="Đợt đã đóng"))
    round_2025.status = RoundStatus.DECIDED
    round_2025.save()
    with pytest.raises(ValidationError) as exc:
        services.round_update(actor=office_user, nomination_round=round_2025, **round_values(round_2025, name="Đổi tên"))
    assert exc.value.message_dict == {"name": ["Không sửa được tên đợt: đợt đã có quyết định."]}
    assert services.round_update(actor=office_user, nomination_round=round_2025, **round_values(round_2025, note="Lưu")).note == "Lưu"


def test_the_admin_shows_sent_and_decided_nominations_read_only(client, admin_user, sub_a):
    client.force_login(admin_user)
    for state in (S.SUBMITTED, S.DECIDED, S.RETURNED):
        nomination = NominationFactory(submission=sub_a, state=state, achievement_summary="Như đã gửi")
        data = {"round": sub_a.round_id, "submission": sub_a.pk, "person": nomination.person_id, "title": title("LDTT").pk,
                "achievement_summary": "Sửa sau khi gửi", "override_reason": ""}
        assert client.post(admin_url(nomination), data).status_code == 403, state
        assert 'name="achievement_summary"' not in client.get(admin_url(nomination)).content.decode()
        nomination.refresh_from_db()
        assert nomination.achievement_summary == "Như đã gửi"
    draft = NominationFactory(submission=sub_a)
    assert 'name="achievement_summary"' in client.get(admin_url(draft)).content.decode()


def test_the_admin_fixes_a_submissions_round_and_unit_once_sent(client, admin_user, sub_a):
    client.force_login(admin_user)
    other_round, other_unit = RoundFactory(), UnitFactory()
    data = {"round": other_round.pk, "unit": other_unit.pk, "memo_number": "12/TTr", "memo_date": "10/11/2025"}
    sub_a.submitted_at = timezone.now()
    sub_a.save()
    assert client.post(admin_url(sub_a), data).status_code == 302
    sub_a.refresh_from_db()
    assert (sub_a.round_id, sub_a.unit_id, sub_a.memo_number) != (other_round.pk, other_unit.pk, "12/TTr")
    assert (sub_a.round_id, sub_a.unit_id, sub_a.memo_number) == (sub_a.round_id, sub_a.unit_id, "12/TTr")
    assert sub_a.round_id != other_round.pk and sub_a.unit_id != other_unit.pk
    unsent = SubmissionFactory()
    assert client.post(admin_url(unsent), data).status_code == 302
    unsent.refresh_from_db()
    assert (unsent.round_id, unsent.unit_id) == (other_round.pk, other_unit.pk)


def test_the_admin_shows_an_award_record_of_a_decision_read_only(client, admin_user, sub_a, person_a):
    client.force_login(admin_user)
    decided = NominationFactory(submission=sub_a, person=person_a, state=S.DECIDED)
    linked = AwardFactory(person=person_a, year=2025, nomination=decided, decision_number="01/QĐ")
    entered = AwardFactory(person=person_a, year=2023, decision_number="02/QĐ")
    for record, status in ((linked, 403), (entered, 302)):
        data = {"person": person_a.pk, "title": title("LDTT").pk, "year": record.year, "kind": "annual", "decision_number": "99/QĐ",
                "decision_date": "", "issuer": "", "note": "", "nomination": record.nomination_id or ""}
        assert client.post(admin_url(record), data).status_code == status
    assert AwardRecord.objects.get(pk=linked.pk).decision_number == "01/QĐ"
    assert AwardRecord.objects.get(pk=entered.pk).decision_number == "99/QĐ"


def initiative_events(nomination):
    return [e.changes["initiatives"] for e in AuditEvent.objects.filter(
        content_type__model="nomination", object_id=str(nomination.pk), changes__has_key="initiatives").order_by("id")]


def test_changes_to_a_nominations_initiatives_are_audited_on_every_path(client, admin_user, head_a, sub_a):
    person = staff(sub_a.unit, 1)[0]
    first, second = InitiativeFactory(person=person, title="Sáng kiến A"), InitiativeFactory(person=person, title="Sáng kiến B")
    nomination = services.nomination_create(actor=head_a, nomination_round=sub_a.round, unit=sub_a.unit, person=person,
                                            title=title("LDTT"), initiatives=[first])
    services.nomination_update(actor=head_a, nomination=nomination, person=person, title=title("LDTT"), initiatives=[first, second])
    services.nomination_update(actor=head_a, nomination=nomination, person=person, title=title("LDTT"), initiatives=[first, second])
    assert initiative_events(nomination) == [[None, "Sáng kiến A (2025)"], ["Sáng kiến A (2025)", "Sáng kiến A (2025); Sáng kiến B (2025)"]]
    client.force_login(admin_user)
    data = {"round": sub_a.round_id, "submission": sub_a.pk, "person": person.pk, "title": title("LDTT").pk,
            "achievement_summary": "", "override_reason": "", "initiatives": str(second.pk)}
    assert client.post(admin_url(nomination), data).status_code == 302
    assert initiative_events(nomination)[-1] == ["Sáng kiến A (2025); Sáng kiến B (2025)", "Sáng kiến B (2025)"]
    someone_elses = InitiativeFactory(person=staff(sub_a.unit, 1)[0])
    response = client.post(admin_url(nomination), {**data, "initiatives": str(someone_elses.pk)})
    assert response.status_code == 200
    assert "Chỉ gắn sáng kiến, đề tài của chính cá nhân được đề nghị." in response.content.decode()
    assert list(Nomination.objects.get(pk=nomination.pk).initiatives.all()) == [second]


def test_a_unit_head_cannot_delete_drafts_once_the_round_is_closed(head_a, office_user, sub_a):
    drafts = [NominationFactory(submission=sub_a) for _ in range(2)]
    sub_a.round.status = RoundStatus.CLOSED
    sub_a.round.save()
    with pytest.raises(ValidationError) as exc:
        services.nomination_delete(actor=head_a, nomination=drafts[0])
    assert exc.value.messages == [f"Đợt đề nghị “{sub_a.round}” đã đóng: đơn vị không xoá đề nghị được nữa."]
    services.nomination_delete(actor=office_user, nomination=drafts[1])
    assert list(Nomination.objects.all()) == [drafts[0]]


# ---------------------------------------------------------------- item 3: rules that judge right in every order

def test_r5_a_decided_nomination_is_not_flagged_against_its_own_award(sub_a, person_a):
    decided = NominationFactory(submission=sub_a, person=person_a, state=S.DECIDED)
    AwardFactory(person=person_a, year=2025, nomination=decided, decision_number="05/QĐ-SKHCN")
    assert messages(check_nominations([decided], stage=STAGE_AUDIT)[decided.pk], "R5") == []
    # another nomination of the same achievement is still one too many
    again = build_nomination(SubmissionFactory(round=RoundFactory(), unit=sub_a.unit), person=person_a)
    assert messages(evaluate([again], stage="entry")[0], "R5") == [
        f"{person_a.full_name} đã có đề nghị trong đợt “{sub_a.round}” “Lao động tiên tiến” năm 2025: một thành tích chỉ khen thưởng "
        "một lần"]


def test_r1_a_leader_typed_first_into_an_empty_list_is_saved_and_warned_then_judged_when_sent(head_a, sub_a):
    leader, workers = staff(sub_a.unit, 1, leader=True)[0], staff(sub_a.unit, 2)
    # the form's live check: the share as a warning, never blocking at entry
    [advice] = [v for v in preview_violations(build_nomination(sub_a, person=leader)) if v.code == "R1"][:1]
    assert (advice.advisory, advice.blocking) == (True, False)
    assert advice.message == ("Nếu gửi danh sách như hiện tại: Phòng Quản lý khoa học, năm 2025: 1/1 cá nhân là lãnh đạo, quản lý "
                              "(100,0%) > 40% (tối đa 0 người)")
    first = services.nomination_create(actor=head_a, nomination_round=sub_a.round, unit=sub_a.unit, person=leader, title=title("LDTT"))
    assert first.state == S.DRAFT
    services.submission_update(actor=head_a, submission=sub_a, memo_number="12/TTr-QLKH", memo_date=datetime.date(2025, 11, 10))
    with pytest.raises(ValidationError) as exc:
        services.submission_submit(actor=head_a, submission=sub_a)
    assert exc.value.messages[0].startswith(f"{leader.full_name} – Lao động tiên tiến: R1 – Tỷ lệ cá nhân lãnh đạo, quản lý: "
                                            "Phòng Quản lý khoa học, năm 2025: 1/1 cá nhân")
    assert set(Nomination.objects.values_list("state", flat=True)) == {S.DRAFT}
    for person in workers:
        services.nomination_create(actor=head_a, nomination_round=sub_a.round, unit=sub_a.unit, person=person, title=title("LDTT"))
    assert len(services.submission_submit(actor=head_a, submission=sub_a)) == 3  # 1/3: within 40 %


def test_r1_no_saved_sent_state_breaks_it_editing_or_adding_on_behalf_after_send(office_user, sub_a):
    workers = staff(sub_a.unit, 2)
    leader, second_leader = staff(sub_a.unit, 2, leader=True)
    for p in [*workers, leader]:
        NominationFactory(submission=sub_a, person=p, state=S.SUBMITTED)  # 1/3 sent
    returned = NominationFactory(submission=sub_a, person=staff(sub_a.unit, 1)[0], state=S.RETURNED)  # 1/4
    # the returned one is a sent state: turning it into a leader is judged at once (2/4 > 1)
    with pytest.raises(ValidationError) as exc:
        services.nomination_update(actor=office_user, nomination=returned, person=second_leader, title=title("LDTT"))
    assert exc.value.messages[0].startswith("R1 – Tỷ lệ cá nhân lãnh đạo, quản lý: Phòng Quản lý khoa học, năm 2025: 2/4")
    # added on behalf after the list was sent: drafts, judged when sent (2/5 is within 40 %, 3/6 is not)
    first, second = (services.nomination_create(actor=office_user, nomination_round=sub_a.round, unit=sub_a.unit, person=p,
                                                title=title("LDTT")) for p in (second_leader, staff(sub_a.unit, 1, leader=True)[0]))
    assert services.nomination_submit(actor=office_user, nomination=first).state == S.SUBMITTED
    with pytest.raises(ValidationError) as exc:
        services.nomination_submit(actor=office_user, nomination=second)
    assert "Phòng Quản lý khoa học, năm 2025: 3/6 cá nhân là lãnh đạo, quản lý (50,0%) > 40% (tối đa 2 người)" in exc.value.messages[0]
    assert Nomination.objects.get(pk=second.pk).state == S.DRAFT


def test_r1_is_judged_at_every_later_stage(office_user, sub_a):
    people = staff(sub_a.unit, 2) + staff(sub_a.unit, 1, leader=True)
    nominations = [NominationFactory(submission=sub_a, person=p, state=S.VETTED_PASS) for p in people]
    # after vetting, a worker's post changes on the reference date: 2/3 > 1
    PositionAssignment.objects.filter(person=people[1]).update(is_leadership=True)
    with pytest.raises(ValidationError) as exc:
        services.nominations_council_transition(actor=office_user, nominations=nominations, to_state=S.AT_COUNCIL)
    assert "R1 – Tỷ lệ cá nhân lãnh đạo, quản lý: Phòng Quản lý khoa học, năm 2025: 2/3" in exc.value.messages[0]
    PositionAssignment.objects.filter(person=people[1]).update(is_leadership=False)
    assert len(services.nominations_council_transition(actor=office_user, nominations=nominations, to_state=S.AT_COUNCIL)) == 3


def test_r1_other_units_drafts_never_count(sub_a, sub_b):
    for p in staff(sub_b.unit, 3, leader=True):
        NominationFactory(submission=sub_b, person=p)  # drafts of another unit: not a list yet
    ours = [build_nomination(sub_a, person=p) for p in staff(sub_a.unit, 3) + staff(sub_a.unit, 1, leader=True)]
    assert [r1(v) for v in evaluate(ours, stage="submit")] == [[], [], [], []]


def test_r4_names_the_missing_year_of_a_consecutive_prerequisite(sub_a):
    person = PersonFactory(unit=sub_a.unit, full_name="Phạm Thu Hà")
    for year in (2022, 2024, 2025):
        AwardFactory(person=person, title=title("CSTDCS"), year=year)
    InitiativeFactory(person=person, year=2025, scope="province")
    [problem] = messages(evaluate([build_nomination(sub_a, person=person, code="CSTD_TINH")], stage="entry")[0], "R4")
    assert problem.endswith("(Chiến sĩ thi đua cơ sở: 2022, 2024, 2025); thiếu năm 2023")


def test_r2_covers_the_titles_and_forms_its_parameter_names(sub_a, unit_a):
    head = PersonFactory(unit=unit_a, is_leadership=True, is_head=True, position_title="Trưởng phòng")
    NominationFactory(submission=sub_a, unit=unit_a, title=title("TTLDTT"))
    candidate = build_nomination(sub_a, person=head)
    assert len(messages(evaluate([candidate], stage="entry")[0], "R2")) == 1  # default: every title and form
    rule = Rule.objects.get(code="R2")
    assert rule.parameters == {"period": "year", "awards": []}  # seeded row, shown by the data migration
    rule.parameters = {**rule.parameters, "awards": ["CSTD_TINH", "BK_TINH"]}
    rule.full_clean()
    rule.save()
    assert messages(evaluate([candidate], stage="entry")[0], "R2") == []


@pytest.mark.parametrize(("awards", "error"), [
    ("CSTD_TINH", "“awards” phải là danh sách mã danh hiệu, hình thức (ví dụ [\"CSTD_TINH\", \"BK_TINH\"]); để trống ([]) là mọi "
                  "danh hiệu, hình thức."),
    (["CSTD_TINH", "KHONG_CO"], "Không có danh hiệu, hình thức mã: KHONG_CO."),
])
def test_r2_awards_parameter_is_validated(db, awards, error):
    rule = Rule(code="R2", name="Thử", parameters={"awards": awards}, legal_basis="Căn cứ", effective_from=datetime.date(2030, 1, 1))
    with pytest.raises(ValidationError) as exc:
        rule.full_clean()
    assert exc.value.message_dict["parameters"] == [error]


def test_r2_awards_parameter_is_validated_in_the_admin(client, admin_user):
    rule = Rule.objects.get(code="R2")
    client.force_login(admin_user)
    data = {"code": "R2", "name": rule.name, "description": rule.description, "parameters": '{"awards": ["KHONG_CO"]}',
            "legal_basis": rule.legal_basis, "effective_from": rule.effective_from.strftime("%d/%m/%Y"), "effective_to": "",
            "severity": rule.severity, "active": "on", "sort_order": rule.sort_order}
    response = client.post(admin_url(rule), data)
    assert response.status_code == 200
    assert "Không có danh hiệu, hình thức mã: KHONG_CO." in response.content.decode()


# ---------------------------------------------------------------- item 4: dates within sane bounds

@pytest.mark.parametrize(("changes", "errors"), [
    ({"reference_date": datetime.date(1900, 12, 15), "year": 1900}, {"__all__", "reference_date"}),
    ({"deadline": datetime.date(2101, 1, 1)}, {"deadline"}),
    ({"deadline": datetime.date(2025, 12, 14)}, {"deadline"}),
])
def test_round_dates_are_within_bounds_and_the_deadline_not_before_the_reference_date(office_user, changes, errors):
    values = {"name": "Tổng kết năm 2025", "kind": "annual", "year": 2025, "reference_date": datetime.date(2025, 12, 15),
              "deadline": datetime.date(2026, 1, 15), **changes}
    with pytest.raises(ValidationError) as exc:
        services.round_create(actor=office_user, **values)
    assert set(exc.value.message_dict) == errors


def test_the_deadline_message_names_both_dates(office_user):
    with pytest.raises(ValidationError) as exc:
        services.round_create(actor=office_user, name="x", kind="annual", year=2025, reference_date=datetime.date(2025, 12, 15),
                              deadline=datetime.date(2025, 12, 1))
    assert exc.value.message_dict == {"deadline": ["Hạn nộp hồ sơ (01/12/2025) không được trước ngày xét (15/12/2025)."]}


def test_award_decision_dates_are_not_in_the_future_beyond_a_day(office_user, person_a):
    today = timezone.localdate()
    record = services.award_record_create(actor=office_user, person=person_a, title=title("LDTT"), year=today.year - 1,
                                          decision_number="01/QĐ", decision_date=today + datetime.timedelta(days=1))
    assert record.pk
    with pytest.raises(ValidationError) as exc:
        services.award_record_create(actor=office_user, person=person_a, title=title("CSTDCS"), year=today.year - 1,
                                     decision_date=today + datetime.timedelta(days=2))
    assert list(exc.value.message_dict) == ["decision_date"]
    with pytest.raises(ValidationError) as exc:
        services.award_record_create(actor=office_user, person=person_a, title=title("CSTDCS"), year=1990,
                                     decision_date=datetime.date(1900, 1, 1))
    assert exc.value.message_dict["decision_date"][0] == "Ngày 01/01/1900 không hợp lệ: chỉ nhận ngày từ 01/01/1945 đến 31/12/2100."


def test_a_decision_dated_in_the_future_is_refused_and_nothing_moves(office_user, sub_a):
    nomination = NominationFactory(submission=sub_a, state=S.COUNCIL_PASSED)
    later = timezone.localdate() + datetime.timedelta(days=10)
    with pytest.raises(ValidationError):
        services.nominations_decide(actor=office_user, nominations=[nomination], decision_number="09/QĐ", decision_date=later,
                                    issuer="Giám đốc Sở")
    assert (Nomination.objects.get(pk=nomination.pk).state, AwardRecord.objects.count()) == (S.COUNCIL_PASSED, 0)


def test_initiative_and_memo_dates_are_within_bounds(office_user, head_a, sub_a, person_a):
    with pytest.raises(ValidationError) as exc:
        services.initiative_create(actor=office_user, person=person_a, title="Sáng kiến", year=2025, kind="initiative",
                                   scope="base", recognised_on=timezone.localdate() + datetime.timedelta(days=40))
    assert list(exc.value.message_dict) == ["recognised_on"]
    with pytest.raises(ValidationError) as exc:
        services.initiative_create(actor=office_user, person=person_a, title="Sáng kiến", year=2025, kind="initiative",
                                   scope="base", recognised_on=datetime.date(1020, 3, 1))
    assert "recognised_on" in exc.value.message_dict
    assert not Initiative.objects.exists()
    for memo_date in (datetime.date(1900, 1, 1), timezone.localdate() + datetime.timedelta(days=3)):
        with pytest.raises(ValidationError) as exc:
            services.submission_update(actor=head_a, submission=sub_a, memo_number="12/TTr", memo_date=memo_date)
        assert list(exc.value.message_dict) == ["memo_date"]


# ---------------------------------------------------------------- item 4: attachments checked by content

def docx_without_word_folder():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("payload/readme.txt", "không phải tài liệu Word")
    return buffer.getvalue()


def test_a_docx_that_is_a_zip_without_word_is_refused_for_a_submission_document(client, head_a, sub_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("bao-cao.docx", docx_without_word_folder())
    with pytest.raises(ValidationError) as exc:
        services.document_add(actor=head_a, submission=sub_a, kind="memo", uploaded_file=upload)
    assert exc.value.messages == ["Nội dung tệp “bao-cao.docx” không đúng định dạng DOCX (tệp hỏng hoặc bị đổi đuôi)."]
    client.force_login(head_a)
    response = client.post(reverse("nominations:document_upload", args=[sub_a.round_id, sub_a.unit_id]),
                           {"kind": "memo", "file": SimpleUploadedFile("bao-cao.docx", docx_without_word_folder())}, follow=True)
    assert "không đúng định dạng DOCX" in response.content.decode()
    assert not SubmissionDocument.objects.exists()


def test_r1_shows_a_draft_list_as_it_would_be_sent_as_an_advisory_warning(sub_a, sub_b):
    for p in staff(sub_a.unit, 2):
        NominationFactory(submission=sub_a, person=p, state=S.SUBMITTED)
    for p in staff(sub_b.unit, 4):
        NominationFactory(submission=sub_b, person=p)  # another unit's drafts: never counted for us
    first, second = (NominationFactory(submission=sub_a, person=p) for p in staff(sub_a.unit, 2, leader=True))
    found = check_nominations([first, second], stage=STAGE_AUDIT)
    assert r1(found[first.pk]) == []
    assert r1(found[second.pk]) == [
        "Nếu gửi danh sách như hiện tại: Phòng Quản lý khoa học, năm 2025: 2/4 cá nhân là lãnh đạo, quản lý (50,0%) > 40% (tối đa 1 người)",
        "Nếu gửi danh sách như hiện tại: Toàn cơ quan, năm 2025: 2/4 cá nhân là lãnh đạo, quản lý (50,0%) > 40% (tối đa 1 người)"]
    assert all(v.advisory and not v.blocking for v in found[second.pk] if v.code == "R1")
