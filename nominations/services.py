"""Writes of the nominations app. Every function is keyword-only, atomic, runs ``full_clean()``
(which runs the rules engine for nominations, with the rule context passed explicitly) and records
an audit event. State changes are moves of the workflows (``nominations/workflows.py``); the functions
below keep their names and signatures as thin wrappers.

Rule checks are serialised: a write locks the rounds of the year (``select_for_update``,
``workflows.lock_for_rules``) and then the unit submission row, so two clerks adding the leader that
crosses 40 % at the same moment cannot both succeed on PostgreSQL.
"""

import os

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from movements.api import AcclamationState, ClusterAcclamation, acclamation_mark_nominated
from tdkt.audit import BULK_BATCH, audit_changes, audit_created, audit_record, diff, snapshot
from tdkt.enums import AuditAction
from tdkt.guards import require_office, require_unit_scope
from tdkt.roles import is_office_user
from tdkt.text import nfc, nfc_multiline
from tdkt.uploads import validate_upload

from .award_history import AWARD_FIELDS, award_record_create, award_record_delete, award_record_update, initiative_create
from .enums import AwardType, DocumentKind, NominationState, RoundStatus
from .models import Nomination, NominationRound, RequiredDocument, SubmissionDocument, UnitSubmission
from .rules_engine import RuleContext
from .workflows import NOMINATION_WORKFLOW, ROUND_WORKFLOW, lock_for_rules, record_overrides, record_overrides_many, stored_actor

S = NominationState

__all__ = [
    "AWARD_FIELDS", "NOMINATION_FIELDS", "ROUND_FIELDS", "award_record_create", "award_record_delete", "award_record_update",
    "document_add", "document_delete", "initiative_create", "lock_for_rules", "nomination_admin_save", "nomination_create",
    "nomination_create_from_acclamation", "nomination_delete", "nominations_council_transition", "nominations_decide",
    "nominations_undecide", "nomination_return", "nomination_set_initiatives", "nomination_submit", "nomination_transition",
    "nomination_update", "nomination_vet", "nominations_bulk_transition", "nominations_import", "required_document_delete",
    "required_document_save", "round_create", "round_set_status", "round_update",
    "submission_get_or_create", "submission_submit", "submission_update",
]

ROUND_FIELDS = ["name", "kind", "year", "reference_date", "deadline", "campaign", "note"]
NOMINATION_FIELDS = ["person", "unit", "title", "form", "achievement_summary"]


# ---------------------------------------------------------------- helpers

def _require_unit_scope(actor, unit):
    require_unit_scope(actor, unit, _("Bạn chỉ được lập hồ sơ đề nghị của đơn vị mình."))


def _office_or_system(actor):
    return actor is None or is_office_user(actor)


# ---------------------------------------------------------------- rounds

@transaction.atomic
def round_create(*, actor, name, kind, year, reference_date, deadline=None, campaign=None, note=""):
    require_office(actor)
    nomination_round = NominationRound(name=nfc(name), kind=kind, year=year, reference_date=reference_date,
                                       deadline=deadline if kind != AwardType.AD_HOC else None,
                                       campaign=campaign, note=nfc_multiline(note or ""))
    nomination_round.full_clean()
    nomination_round.save()
    audit_changes(actor=actor, obj=nomination_round, fields=ROUND_FIELDS)
    return nomination_round


def _refuse_frozen_round_fields(nomination_round, values):
    """Only what may change at the round's status changes (``NominationRound.frozen_fields``)."""
    frozen, why = nomination_round.frozen_fields()
    errors = {}
    for name in frozen:
        if name not in values:
            continue
        new = values[name]
        current = getattr(nomination_round, name + "_id" if name == "campaign" else name)
        if name == "campaign":
            new = getattr(new, "pk", new)
        if name == "deadline" and nomination_round.kind == AwardType.AD_HOC:
            continue  # always empty for an ad hoc round
        if new != current:
            label = NominationRound._meta.get_field(name).verbose_name
            errors[name] = [_("Không sửa được %(field)s: %(why)s.") % {"field": label, "why": why}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def round_update(*, actor, nomination_round, **values):
    require_office(actor)
    nomination_round = NominationRound.objects.select_for_update().get(pk=nomination_round.pk)
    before = snapshot(nomination_round, ROUND_FIELDS)
    _refuse_frozen_round_fields(nomination_round, values)
    for name in ROUND_FIELDS:
        if name in values:
            value = values[name]
            if name == "name":
                value = nfc(value)
            elif name == "note":
                value = nfc_multiline(value or "")
            setattr(nomination_round, name, value)
    if nomination_round.kind == AwardType.AD_HOC:
        nomination_round.deadline = None
    nomination_round.full_clean()
    nomination_round.save()
    audit_changes(actor=actor, obj=nomination_round, fields=ROUND_FIELDS, before=before)
    return nomination_round


@transaction.atomic
def round_set_status(*, actor, nomination_round, status, reason=""):
    """A move of the round workflow (``workflows.ROUND_WORKFLOW``)."""
    require_office(actor)
    return ROUND_WORKFLOW.apply(nomination_round, actor=actor, to=status, reason=reason)


# ---------------------------------------------------------------- unit submissions and documents

def _submission_for(*, nomination_round, unit, actor):
    submission, created = UnitSubmission.objects.get_or_create(round=nomination_round, unit=unit)
    if created:
        audit_record(actor=actor, action=AuditAction.CREATE, obj=submission)
    lock_for_rules(nomination_round, submission)
    return submission


@transaction.atomic
def submission_get_or_create(*, actor, nomination_round, unit):
    _require_unit_scope(actor, unit)
    return _submission_for(nomination_round=nomination_round, unit=unit, actor=actor)


@transaction.atomic
def submission_update(*, actor, submission, memo_number, memo_date):
    submission = UnitSubmission.objects.select_for_update().select_related("unit", "round").get(pk=submission.pk)
    _require_unit_scope(actor, submission.unit)
    if submission.round.status != RoundStatus.OPEN and not _office_or_system(actor):
        raise ValidationError(_("Đợt đề nghị đã đóng: không sửa tờ trình được nữa."))
    before = snapshot(submission, ["memo_number", "memo_date"])
    submission.memo_number = nfc(memo_number or "")
    submission.memo_date = memo_date
    submission.full_clean()
    submission.save()
    audit_changes(actor=actor, obj=submission, fields=["memo_number", "memo_date"], before=before)
    return submission


@transaction.atomic
def document_add(*, actor, submission, kind, uploaded_file, nomination=None):
    submission = UnitSubmission.objects.select_related("unit", "round").get(pk=submission.pk)
    _require_unit_scope(actor, submission.unit)
    if submission.round.status != RoundStatus.OPEN and not _office_or_system(actor):
        raise ValidationError(_("Đợt đề nghị đã đóng: không bổ sung tài liệu được nữa."))
    validate_upload(uploaded_file)
    document = SubmissionDocument(submission=submission, nomination=nomination, kind=kind,
                                  original_name=nfc(os.path.basename(uploaded_file.name))[:255], size=uploaded_file.size,
                                  uploaded_by=stored_actor(actor))
    document.file = uploaded_file
    document.full_clean(exclude=["file"])
    document.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=document,
                 changes={"kind": [None, kind], "original_name": [None, document.original_name]})
    return document


@transaction.atomic
def document_delete(*, actor, document):
    """The office may remove any file (audited); a unit head only what the unit may still change: a file of a
    draft or returned nomination, or a file of the submission (tờ trình, biên bản) before the list is sent."""
    document = SubmissionDocument.objects.select_related("submission__unit", "submission__round", "nomination").get(pk=document.pk)
    _require_unit_scope(actor, document.submission.unit)
    if not _office_or_system(actor):
        if document.submission.round.status != RoundStatus.OPEN:
            raise ValidationError(_("Đợt đề nghị đã đóng: không xoá tài liệu được nữa."))
        if not document.unit_may_remove:
            if document.nomination_id:
                raise ValidationError(_("Đề nghị “%(n)s” đã gửi (%(state)s): đơn vị không xoá tài liệu của đề nghị này được nữa.")
                                      % {"n": document.nomination, "state": document.nomination.get_state_display()})
            raise ValidationError(_("Hồ sơ của đơn vị đã gửi: đơn vị không xoá tài liệu này được nữa."))
    audit_record(actor=actor, action=AuditAction.DELETE, obj=document, changes={"original_name": [document.original_name, None]})
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


# ---------------------------------------------------------------- nominations: content

def _check_initiatives(person, initiatives):
    initiatives = list(initiatives or [])
    if initiatives and (person is None or any(i.person_id != person.pk for i in initiatives)):
        raise ValidationError({"initiatives": _("Chỉ gắn sáng kiến, đề tài của chính cá nhân được đề nghị.")})
    return initiatives


def _set_initiatives(*, actor, nomination, initiatives):
    """Attach ``initiatives`` to the nomination; a change of the set is an audit event."""
    before = sorted(nomination.initiatives.all(), key=lambda i: i.pk)
    after = sorted(initiatives, key=lambda i: i.pk)
    nomination.initiatives.set(after)
    if [i.pk for i in before] != [i.pk for i in after]:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=nomination, changes={
            "initiatives": ["; ".join(map(str, before)) or None, "; ".join(map(str, after)) or None]})


@transaction.atomic
def nomination_set_initiatives(*, actor, nomination, initiatives):
    """The initiatives of a nomination changed in the Django admin (office): only the nominee's own, audited."""
    require_office(actor)
    nomination = Nomination.objects.select_related("person").get(pk=nomination.pk)
    _set_initiatives(actor=actor, nomination=nomination, initiatives=_check_initiatives(nomination.person, initiatives))
    return nomination


@transaction.atomic
def nomination_create(*, actor, nomination_round, unit, person=None, subject_unit=None, title=None, form=None,
                      achievement_summary="", initiatives=(), override_reason="", batch_rest=()):
    """Add a nomination to ``unit``'s submission in the round (created on first use).

    ``batch_rest``: nominations of the same import still to be saved, so the rules judge the list as a whole;
    ``override_reason``: goes past the warnings, which are recorded with it.
    """
    _require_unit_scope(actor, unit)
    lock_for_rules(nomination_round)
    nomination_round = NominationRound.objects.get(pk=nomination_round.pk)
    submission = _submission_for(nomination_round=nomination_round, unit=unit, actor=actor)
    initiatives = _check_initiatives(person, initiatives)
    nomination = Nomination(round=nomination_round, submission=submission, person=person, unit=subject_unit, title=title,
                            form=form, achievement_summary=nfc_multiline(achievement_summary or ""), created_by=stored_actor(actor))
    warnings = nomination.full_clean(rules=RuleContext(override_reason=nfc_multiline(override_reason or ""), batch=tuple(batch_rest)))
    nomination.save()
    audit_changes(actor=actor, obj=nomination, fields=NOMINATION_FIELDS)
    _set_initiatives(actor=actor, nomination=nomination, initiatives=initiatives)
    record_overrides(nomination, warnings, override_reason, actor)
    return nomination


@transaction.atomic
def nominations_import(*, actor, nomination_round, unit, rows, override_reason=""):
    """Add a whole list to ``unit``'s submission in the round (an Excel import): all of it, or nothing.

    ``rows``: one mapping per nomination with the arguments of :func:`nomination_create` (``person``,
    ``subject_unit``, ``title``, ``form``, ``achievement_summary``). What :func:`nomination_create` does for one,
    done once for the list, in a number of queries that does not grow with it: the locks of the rule checks are
    taken once, the list is judged by the model (:meth:`Nomination.full_clean_many <nominations.models.Nomination.full_clean_many>`:
    Django's validation and the entry checks of each row, the rules engine once over the whole list), then the
    rows, their audit events and the overridden warnings (with ``override_reason``) are inserted in bulk.

    Raises ``ValidationError`` when the round no longer takes nominations, and
    :class:`tdkt.validation.ManyValidationError` (``by_index``: the position of each failing row in ``rows``) when
    any row fails: nothing is saved. Returns the nominations created, in the order of ``rows``.
    """
    _require_unit_scope(actor, unit)
    lock_for_rules(nomination_round)
    nomination_round = NominationRound.objects.get(pk=nomination_round.pk)
    if nomination_round.status != RoundStatus.OPEN:
        raise ValidationError(_("Đợt đề nghị “%(round)s” không còn nhận hồ sơ.") % {"round": nomination_round})
    submission = _submission_for(nomination_round=nomination_round, unit=unit, actor=actor)
    submission.round, submission.unit = nomination_round, unit  # loaded already: no query per row
    reason = nfc_multiline(override_reason or "")
    creator = stored_actor(actor)
    nominations = [Nomination(round=nomination_round, submission=submission, person=row.get("person"), unit=row.get("subject_unit"),
                              title=row.get("title"), form=row.get("form"),
                              achievement_summary=nfc_multiline(row.get("achievement_summary") or ""), created_by=creator)
                   for row in rows]
    if not nominations:
        raise ValidationError(_("Danh sách không có đề nghị nào."))
    warnings = Nomination.full_clean_many(nominations, rules=RuleContext(override_reason=reason, whole_list=True))
    created = Nomination.objects.bulk_create(nominations, batch_size=BULK_BATCH)
    audit_created(actor=actor, objs=created, fields=NOMINATION_FIELDS)
    record_overrides_many(zip(created, warnings, strict=True), reason, actor)
    return created


@transaction.atomic
def nomination_update(*, actor, nomination, person=None, subject_unit=None, title=None, form=None, achievement_summary="",
                      initiatives=(), override_reason=""):
    lock_for_rules(nomination.round, nomination.submission)
    nomination = Nomination.objects.select_for_update(of=("self",)).select_related(
        "round", "submission__unit").get(pk=nomination.pk)
    _require_unit_scope(actor, nomination.submission.unit)
    if not nomination.is_editable:
        raise ValidationError(_("Đề nghị ở trạng thái “%(state)s” không sửa được.") % {"state": nomination.get_state_display()})
    if nomination.round.status != RoundStatus.OPEN:
        raise ValidationError(_("Đợt đề nghị “%(round)s” không còn nhận hồ sơ.") % {"round": nomination.round})
    before = snapshot(nomination, NOMINATION_FIELDS)
    initiatives = _check_initiatives(person, initiatives)
    nomination.person, nomination.unit, nomination.title, nomination.form = person, subject_unit, title, form
    nomination.achievement_summary = nfc_multiline(achievement_summary or "")
    warnings = nomination.full_clean(rules=RuleContext(override_reason=nfc_multiline(override_reason or "")))
    nomination.save()
    audit_changes(actor=actor, obj=nomination, fields=NOMINATION_FIELDS, before=before)
    _set_initiatives(actor=actor, nomination=nomination, initiatives=initiatives)
    record_overrides(nomination, warnings, override_reason, actor)
    return nomination


@transaction.atomic
def nomination_admin_save(*, actor, nomination, override_reason=""):
    """Save a nomination edited in the Django admin (already validated by its form): locked, re-validated, audited."""
    require_office(actor)
    lock_for_rules(nomination.round, nomination.submission if nomination.submission_id else None)
    created = nomination.pk is None
    before = {} if created else snapshot(Nomination.objects.get(pk=nomination.pk), NOMINATION_FIELDS)
    nomination.achievement_summary = nfc_multiline(nomination.achievement_summary or "")
    if created:
        nomination.created_by = stored_actor(actor)
    warnings = nomination.full_clean(rules=RuleContext(override_reason=nfc_multiline(override_reason or "")))
    nomination.save()
    audit_record(actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=nomination,
                 changes=diff(before, snapshot(nomination, NOMINATION_FIELDS)))
    record_overrides(nomination, warnings, override_reason, actor)
    return nomination


@transaction.atomic
def nomination_delete(*, actor, nomination):
    """Drafts only: anything sent stays in the record (returned, refused…)."""
    nomination = Nomination.objects.select_related("submission__unit", "round").get(pk=nomination.pk)
    _require_unit_scope(actor, nomination.submission.unit)
    if nomination.state != S.DRAFT:
        raise ValidationError(_("Chỉ xoá được đề nghị ở trạng thái nháp."))
    if nomination.round.status != RoundStatus.OPEN and not _office_or_system(actor):
        raise ValidationError(_("Đợt đề nghị “%(round)s” đã đóng: đơn vị không xoá đề nghị được nữa.") % {"round": nomination.round})
    for document in nomination.documents.all():
        document_delete(actor=actor, document=document)
    audit_record(actor=actor, action=AuditAction.DELETE, obj=nomination, changes=diff(snapshot(nomination, NOMINATION_FIELDS), {
        k: None for k in NOMINATION_FIELDS}))
    nomination.initiatives.clear()
    nomination.delete()


# ---------------------------------------------------------------- nominations: the workflow

def _transition_all(*, actor, nominations, to_state, reason="", override_reason=""):
    """Moves of the nomination workflow (``workflows.NOMINATION_WORKFLOW``) made by hand: all move, or none."""
    if not nominations:
        raise ValidationError(_("Chưa chọn đề nghị nào."))
    return NOMINATION_WORKFLOW.apply_many(nominations, actor=actor, to=to_state, reason=reason, override_reason=override_reason)


@transaction.atomic
def nomination_transition(*, actor, nomination, to_state, reason="", override_reason=""):
    return _transition_all(actor=actor, nominations=[nomination], to_state=to_state, reason=reason,
                           override_reason=override_reason)[0]


@transaction.atomic
def nominations_bulk_transition(*, actor, nominations, to_state, reason="", override_reason=""):
    """Office vetting of several nominations at once: all move or none (errors name each nomination)."""
    return _transition_all(actor=actor, nominations=list(nominations), to_state=to_state, reason=reason,
                           override_reason=override_reason)


@transaction.atomic
def nominations_council_transition(*, actor, nominations, to_state, reason=""):
    """The council step of the nomination workflow (``workflows._council_move``: on an agenda, withdrawn from it,
    passed, not passed, back for a re-vote), for the services of the ``councils`` app only: they check who may act
    (the office builds the agenda, the chair closes a vote); no page of this app offers these moves. All move, or none;
    the rules of the stage judge the list as a whole and each move is audited."""
    nominations = list(nominations)
    if not nominations:
        raise ValidationError(_("Chưa chọn đề nghị nào."))
    return NOMINATION_WORKFLOW.apply_many(nominations, actor=actor, to=to_state, reason=reason, automatic=True)


def nominations_decide(*, actor, nominations, decision_number, decision_date, issuer):
    """The decision step for a whole list (``workflows``: made only by the decision services of the ``councils`` app):
    every nomination moves to “có quyết định” and gets its award record with the decision's number, date and issuer, in
    the caller's transaction. All move, or none."""
    nominations = list(nominations)
    if not nominations:
        raise ValidationError(_("Chưa chọn đề nghị nào."))
    decision = {"decision_number": decision_number, "decision_date": decision_date, "issuer": issuer}
    return NOMINATION_WORKFLOW.apply_many(nominations, actor=actor, to=S.DECIDED, automatic=True, decision=decision)


def nominations_undecide(*, actor, nominations, to_state, reason):
    """A decision revoked or replaced: the nominations go back to ``to_state`` (“Hội đồng thông qua”, or “thẩm định
    đạt” for a form granted without the council) and their award records leave the history, audited with ``reason``."""
    nominations = list(nominations)
    if not nominations:
        raise ValidationError(_("Chưa chọn đề nghị nào."))
    return NOMINATION_WORKFLOW.apply_many(nominations, actor=actor, to=to_state, reason=reason, automatic=True)


def nomination_submit(*, actor, nomination, override_reason=""):
    to_state = S.RESUBMITTED if nomination.state == S.RETURNED else S.SUBMITTED
    return nomination_transition(actor=actor, nomination=nomination, to_state=to_state, override_reason=override_reason)


def nomination_return(*, actor, nomination, reason):
    return nomination_transition(actor=actor, nomination=nomination, to_state=S.RETURNED, reason=reason)


def nomination_vet(*, actor, nomination, passed, reason="", override_reason=""):
    return nomination_transition(actor=actor, nomination=nomination, to_state=S.VETTED_PASS if passed else S.VETTED_FAIL,
                                 reason=reason, override_reason=override_reason)


@transaction.atomic
def submission_submit(*, actor, submission, override_reason=""):
    """Send the unit's list: drafts become “đã gửi”, returned ones “đã gửi lại”; the list is judged as a whole."""
    submission = UnitSubmission.objects.select_related("unit", "round").get(pk=submission.pk)
    _require_unit_scope(actor, submission.unit)
    if not submission.memo_number or not submission.memo_date:
        raise ValidationError(_("Hãy ghi số và ngày tờ trình của đơn vị trước khi gửi danh sách."))
    drafts = list(submission.nominations.filter(state=S.DRAFT).order_by("pk"))
    returned = list(submission.nominations.filter(state=S.RETURNED).order_by("pk"))
    if not drafts and not returned:
        raise ValidationError(_("Không có đề nghị nào ở trạng thái nháp hoặc trả lại để gửi."))
    sent = []
    if drafts:
        sent += _transition_all(actor=actor, nominations=drafts, to_state=S.SUBMITTED, override_reason=override_reason)
    if returned:
        sent += _transition_all(actor=actor, nominations=returned, to_state=S.RESUBMITTED, override_reason=override_reason)
    submission = UnitSubmission.objects.select_for_update().get(pk=submission.pk)
    submission.submitted_at = timezone.now()
    submission.submitted_by = stored_actor(actor)
    submission.save(update_fields=["submitted_at", "submitted_by"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=submission, to_state="submitted",
                 reason=_("Gửi %(n)s đề nghị") % {"n": len(sent)})
    return sent


# ---------------------------------------------------------------- required documents (the office's list, rule R12)

REQUIRED_DOCUMENT_FIELDS = ["title", "form", "kind", "scope", "label", "active"]


@transaction.atomic
def required_document_save(*, actor, required_document=None, **values):
    """Add (``required_document=None``) or change an entry of the list of required documents; audited."""
    require_office(actor)
    created = required_document is None
    if created:
        required_document = RequiredDocument()
        before = None
    else:
        required_document = RequiredDocument.objects.select_for_update().get(pk=required_document.pk)
        before = snapshot(required_document, REQUIRED_DOCUMENT_FIELDS)
    for name in REQUIRED_DOCUMENT_FIELDS:
        if name in values:
            setattr(required_document, name, nfc(values[name]) if name == "label" else values[name])
    required_document.full_clean()
    required_document.save()
    audit_changes(actor=actor, obj=required_document, fields=REQUIRED_DOCUMENT_FIELDS, before=before)
    return required_document


@transaction.atomic
def required_document_delete(*, actor, required_document):
    require_office(actor)
    audit_record(actor=actor, action=AuditAction.DELETE, obj=required_document,
                 changes=diff(snapshot(required_document, REQUIRED_DOCUMENT_FIELDS), dict.fromkeys(REQUIRED_DOCUMENT_FIELDS)))
    required_document.delete()


# ---------------------------------------------------------------- award history and initiatives (writes in award_history.py)


DOCUMENT_KINDS_PER_NOMINEE = {DocumentKind.ACHIEVEMENT_REPORT, DocumentKind.INITIATIVE}


# ---------------------------------------------------------------- from a cluster's acclamation (suy tôn)

@transaction.atomic
def nomination_create_from_acclamation(*, actor, acclamation, nomination_round):
    """Turn a cluster's acclamation (Cờ thi đua / Bằng khen proposed for the leading unit) into a
    nomination of that unit in ``nomination_round``, and mark the acclamation as nominated."""
    require_office(actor)
    acclamation = ClusterAcclamation.objects.select_for_update(of=("self",)).select_related("cluster", "unit", "title", "form").get(
        pk=acclamation.pk)
    if acclamation.state != AcclamationState.PROPOSED:
        raise ValidationError(_("Đề xuất suy tôn này đã được xử lý (%(state)s).") % {"state": acclamation.get_state_display()})
    if acclamation.year != nomination_round.year:
        raise ValidationError(_("Suy tôn năm %(a)s không đưa vào đợt đề nghị năm %(r)s.") % {
            "a": acclamation.year, "r": nomination_round.year})
    score = f"{acclamation.total_score:.2f}".rstrip("0").rstrip(".").replace(".", ",") if acclamation.total_score is not None else ""
    summary = _("Đơn vị dẫn đầu %(cluster)s (xếp thứ %(rank)s, tổng điểm %(score)s), được suy tôn tại cuộc họp ngày %(date)s%(minutes)s.") % {
        "cluster": acclamation.cluster, "rank": acclamation.rank or "—", "score": score or "—",
        "date": acclamation.meeting_date.strftime("%d/%m/%Y"),
        "minutes": _(" (biên bản số %(n)s)") % {"n": acclamation.minutes_number} if acclamation.minutes_number else ""}
    nomination = nomination_create(actor=actor, nomination_round=nomination_round, unit=acclamation.unit,
                                   subject_unit=acclamation.unit, title=acclamation.title, form=acclamation.form,
                                   achievement_summary=summary)
    acclamation_mark_nominated(acclamation=acclamation, actor=actor,
                               reason=_("Đã tạo đề nghị trong đợt “%(round)s”.") % {"round": nomination_round})
    return nomination
