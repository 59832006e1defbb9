"""Writes for the organisation model, campaigns, registrations and clusters. Every function is keyword-only, atomic,
runs ``full_clean()`` and records an audit event."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tdkt.audit import audit_changes, audit_record, diff, snapshot
from tdkt.enums import AuditAction
from tdkt.guards import require_admin, require_office, require_unit_scope
from tdkt.text import fold, nfc, nfc_multiline
from tdkt.uploads import original_name, validate_upload

from .enums import AcclamationState, CampaignStatus, ClusterState, CriterionKind, RegistrationState, UnitKind
from .models import (
    CAMPAIGN_STATE_DATE,
    AgencyProfile,
    Campaign,
    CampaignDocument,
    Cluster,
    ClusterAcclamation,
    ClusterMember,
    ClusterScore,
    DisciplineRecord,
    PerformanceRating,
    Person,
    PositionAssignment,
    RegisteredInitiative,
    Registration,
    RegistrationEntry,
    RegistrationWindow,
    ScoringCriterion,
    ScoringSection,
    Unit,
    format_score,
)

UNIT_FIELDS = ["name", "short_code", "kind", "parent", "active", "sort_order"]
PERSON_FIELDS = ["full_name", "gender", "date_of_birth", "unit", "position_title", "is_leadership", "is_head", "active"]
AGENCY_FIELDS = ["name", "parent_name", "doc_code", "place_name", "director_title", "director_name"]


def _today():
    return datetime.date.today()


# ---------------------------------------------------------------- agency profile

@transaction.atomic
def agency_profile_update(*, actor, **values):
    require_admin(actor)
    profile = AgencyProfile.objects.select_for_update().filter(singleton=True).first() or AgencyProfile()
    before = snapshot(profile, AGENCY_FIELDS) if profile.pk else {}
    for name in AGENCY_FIELDS:
        if name in values:
            setattr(profile, name, nfc(values[name]))
    profile.full_clean()
    created = profile.pk is None
    profile.save()
    audit_record(actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=profile,
                 changes=diff(before, snapshot(profile, AGENCY_FIELDS)))
    return profile


# ---------------------------------------------------------------- units

@transaction.atomic
def unit_create(*, actor, name, short_code, kind, parent=None, sort_order=0):
    require_office(actor)
    unit = Unit(name=nfc(name), short_code=nfc(short_code).upper(), kind=kind, parent=parent, sort_order=sort_order)
    unit.full_clean()
    unit.save()
    audit_changes(actor=actor, obj=unit, fields=UNIT_FIELDS)
    return unit


@transaction.atomic
def unit_update(*, actor, unit, **values):
    require_office(actor)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(unit, UNIT_FIELDS)
    for name in ("name", "short_code", "kind", "parent", "sort_order"):
        if name in values:
            value = values[name]
            if name in ("name", "short_code"):
                value = nfc(value)
            if name == "short_code":
                value = value.upper()
            setattr(unit, name, value)
    unit.full_clean()
    unit.save()
    audit_changes(actor=actor, obj=unit, fields=UNIT_FIELDS, before=before)
    return unit


@transaction.atomic
def unit_set_active(*, actor, unit, active, reason=""):
    require_office(actor)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.active == active:
        return unit
    if not active:
        if Person.objects.filter(unit=unit, active=True).exists():
            raise ValidationError(_("Đơn vị còn cá nhân đang công tác: hãy chuyển hoặc cho nghỉ các cá nhân trước."))
        if Unit.objects.filter(parent=unit, active=True).exists():
            raise ValidationError(_("Đơn vị còn đơn vị cấp dưới đang hoạt động."))
    unit.active = active
    unit.save(update_fields=["active"])
    audit_record(actor=actor, action=AuditAction.REACTIVATE if active else AuditAction.DEACTIVATE, obj=unit,
                 changes={"active": [not active, active]}, reason=nfc_multiline(reason))
    return unit


# ---------------------------------------------------------------- people

def _mirror_position(person, assignment):
    person.unit = assignment.unit
    person.position_title = assignment.title
    person.is_leadership = assignment.is_leadership
    person.is_head = assignment.is_head


def _open_position(*, person, unit, title, is_leadership, is_head, start_date):
    assignment = PositionAssignment(
        person=person, unit=unit, title=nfc(title or ""), is_leadership=is_leadership or is_head,
        is_head=is_head, start_date=start_date,
    )
    assignment.full_clean(validate_constraints=False)
    overlapping = (PositionAssignment.objects.filter(person=person).filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
                   .order_by("-end_date").first())
    if overlapping is not None:
        # Positions of one person never overlap: rules judged at a date (R1, R2) must find one post.
        raise ValidationError({"date" if overlapping.end_date else "start_date": _(
            "Ngày bắt đầu phải sau ngày %(date)s (ngày cuối của chức vụ trước: %(title)s).") % {
            "date": overlapping.end_date.strftime("%d/%m/%Y") if overlapping.end_date else "…", "title": overlapping.title or "—"}})
    if is_head:
        holder = PositionAssignment.objects.filter(unit=unit, is_head=True, end_date__isnull=True).exclude(person=person).select_related("person").first()
        if holder:
            raise ValidationError({"is_head": _("%(unit)s đã có người đứng đầu: %(name)s. Hãy kết thúc chức vụ của người đó trước.")
                                   % {"unit": unit, "name": holder.person}})
    assignment.save()
    return assignment


@transaction.atomic
def person_create(*, actor, full_name, gender, unit, date_of_birth=None, position_title="", is_leadership=False,
                  is_head=False, start_date=None):
    require_unit_scope(actor, unit)
    person = Person(
        full_name=nfc(full_name), gender=gender, date_of_birth=date_of_birth, unit=unit,
        position_title=nfc(position_title or ""), is_leadership=bool(is_leadership or is_head), is_head=bool(is_head),
    )
    person.name_folded = fold(person.full_name)
    person.full_clean(exclude=["name_folded"])
    person.save()
    _open_position(person=person, unit=unit, title=person.position_title, is_leadership=person.is_leadership,
                   is_head=person.is_head, start_date=start_date or _today())
    audit_changes(actor=actor, obj=person, fields=PERSON_FIELDS)
    return person


@transaction.atomic
def person_update(*, actor, person, full_name=None, gender=None, date_of_birth=None):
    """Change a person's identity data. Posts change through :func:`person_change_position`."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    require_unit_scope(actor, person.unit)
    before = snapshot(person, PERSON_FIELDS)
    if full_name is not None:
        person.full_name = nfc(full_name)
        person.name_folded = fold(person.full_name)
    if gender is not None:
        person.gender = gender
    person.date_of_birth = date_of_birth
    person.full_clean(exclude=["name_folded"])
    person.save()
    audit_changes(actor=actor, obj=person, fields=PERSON_FIELDS, before=before)
    return person


@transaction.atomic
def person_change_position(*, actor, person, unit, title, is_leadership, is_head, start_date, reason=""):
    """Close the current post the day before ``start_date`` and open the new one."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    require_unit_scope(actor, person.unit)
    require_unit_scope(actor, unit)
    if not person.active:
        raise ValidationError(_("Cá nhân này đã nghỉ công tác: hãy kích hoạt lại trước."))
    before = snapshot(person, PERSON_FIELDS)
    current = PositionAssignment.objects.select_for_update().filter(person=person, end_date__isnull=True).first()
    if current:
        if start_date <= current.start_date:
            raise ValidationError({"start_date": _("Ngày nhận chức vụ mới phải sau ngày %(date)s (ngày bắt đầu chức vụ hiện tại).")
                                   % {"date": current.start_date.strftime("%d/%m/%Y")}})
        current.end_date = start_date - datetime.timedelta(days=1)
        current.save(update_fields=["end_date"])
    assignment = _open_position(person=person, unit=unit, title=title, is_leadership=is_leadership, is_head=is_head,
                                start_date=start_date)
    _mirror_position(person, assignment)
    person.full_clean(exclude=["name_folded"])
    person.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=person, changes=diff(before, snapshot(person, PERSON_FIELDS)),
                 reason=nfc_multiline(reason))
    return person


@transaction.atomic
def person_set_active(*, actor, person, active, date=None, reason=""):
    """Deactivate (nghỉ hưu, chuyển công tác…) or reactivate a person. People are never deleted."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    require_unit_scope(actor, person.unit)
    if person.active == active:
        return person
    date = date or _today()
    if not active:
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Hãy ghi lý do (nghỉ hưu, chuyển công tác…).")})
        current = PositionAssignment.objects.select_for_update().filter(person=person, end_date__isnull=True).first()
        if current:
            if date < current.start_date:
                raise ValidationError({"date": _("Ngày nghỉ không được trước ngày nhận chức vụ hiện tại.")})
            current.end_date = date
            current.save(update_fields=["end_date"])
        person.is_head = False
    else:
        if not person.unit.active:
            raise ValidationError(_("Đơn vị của cá nhân này đã ngừng hoạt động: hãy đổi đơn vị."))
        _open_position(person=person, unit=person.unit, title=person.position_title,
                       is_leadership=person.is_leadership, is_head=False, start_date=date)
    person.active = active
    person.save(update_fields=["active", "is_head"])
    audit_record(actor=actor, action=AuditAction.REACTIVATE if active else AuditAction.DEACTIVATE, obj=person,
                 changes={"active": [not active, active]}, reason=nfc_multiline(reason))
    return person


# ---------------------------------------------------------------- ratings and discipline

@transaction.atomic
def rating_set(*, actor, year, rating, person=None, unit=None):
    """Create or change the yearly rating of one person or unit."""
    require_office(actor)
    lookup = {"person": person} if person is not None else {"unit": unit}
    existing = PerformanceRating.objects.select_for_update().filter(year=year, **lookup).first()
    if existing:
        old = existing.rating
        existing.rating = rating
        existing.full_clean()
        existing.save()
        if old != rating:
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=existing, changes={"rating": [old, rating]})
        return existing
    record = PerformanceRating(person=person, unit=unit, year=year, rating=rating)
    record.full_clean()
    record.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=record, changes={"rating": [None, rating]})
    return record


@transaction.atomic
def discipline_create(*, actor, kind, start_date, reason, end_date=None, person=None, unit=None):
    require_office(actor)
    record = DisciplineRecord(person=person, unit=unit, kind=kind, start_date=start_date, end_date=end_date,
                              reason=nfc_multiline(reason))
    record.full_clean()
    record.save()
    audit_changes(actor=actor, obj=record, fields=["kind", "start_date", "end_date", "reason"])
    return record


@transaction.atomic
def discipline_update(*, actor, record, kind, start_date, end_date, reason):
    require_office(actor)
    record = DisciplineRecord.objects.select_for_update().get(pk=record.pk)
    fields = ["kind", "start_date", "end_date", "reason"]
    before = snapshot(record, fields)
    record.kind, record.start_date, record.end_date, record.reason = kind, start_date, end_date, nfc_multiline(reason)
    record.full_clean()
    record.save()
    audit_changes(actor=actor, obj=record, fields=fields, before=before)
    return record


# ================================================================ campaigns (phong trào thi đua)

CAMPAIGN_FIELDS = ["name", "level", "kind", "start_year", "end_year", "lead_unit", "description", "status",
                   "launched_on", "interim_review_on", "final_review_on", "closed_on"]
CAMPAIGN_EDITABLE = ["name", "level", "kind", "start_year", "end_year", "lead_unit", "description"]
DOCUMENT_FIELDS = ["kind", "title", "number", "issued_on", "original_name"]

# Allowed moves of the campaign workflow; each target state records its date.
CAMPAIGN_TRANSITIONS = {
    CampaignStatus.DRAFT: {CampaignStatus.LAUNCHED},
    CampaignStatus.LAUNCHED: {CampaignStatus.INTERIM_REVIEW, CampaignStatus.FINAL_REVIEW},
    CampaignStatus.INTERIM_REVIEW: {CampaignStatus.FINAL_REVIEW},
    CampaignStatus.FINAL_REVIEW: {CampaignStatus.CLOSED},
    CampaignStatus.CLOSED: set(),
}


def _text(value):
    return nfc(value or "")


@transaction.atomic
def campaign_create(*, actor, name, level, kind, start_year, end_year, lead_unit=None, description=""):
    require_office(actor)
    campaign = Campaign(name=_text(name), level=level, kind=kind, start_year=start_year, end_year=end_year,
                        lead_unit=lead_unit, description=nfc_multiline(description or ""))
    campaign.full_clean()
    campaign.save()
    audit_changes(actor=actor, obj=campaign, fields=CAMPAIGN_FIELDS)
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign, **values):
    require_office(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    before = snapshot(campaign, CAMPAIGN_FIELDS)
    for name in CAMPAIGN_EDITABLE:
        if name in values:
            value = values[name]
            if name == "name":
                value = _text(value)
            elif name == "description":
                value = nfc_multiline(value or "")
            setattr(campaign, name, value)
    campaign.full_clean()
    campaign.save()
    audit_changes(actor=actor, obj=campaign, fields=CAMPAIGN_FIELDS, before=before)
    return campaign


@transaction.atomic
def campaign_transition(*, campaign, actor, to_state, date, reason=""):
    """Move a campaign along draft → launched → sơ kết → tổng kết → closed, recording the date."""
    require_office(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    from_state = campaign.status
    if to_state not in CAMPAIGN_TRANSITIONS.get(from_state, set()):
        raise ValidationError(_("Không thể chuyển phong trào từ “%(from)s” sang “%(to)s”.")
                              % {"from": CampaignStatus(from_state).label, "to": CampaignStatus(to_state).label})
    if date is None:
        raise ValidationError({"date": _("Hãy nhập ngày.")})
    before = snapshot(campaign, CAMPAIGN_FIELDS)
    campaign.status = to_state
    setattr(campaign, CAMPAIGN_STATE_DATE[to_state], date)
    try:
        campaign.full_clean()
    except ValidationError as exc:
        # The date field of the form is called "date": move the model's error there.
        raise ValidationError({"date": exc.messages}) from exc
    campaign.save()
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=campaign, changes=diff(before, snapshot(campaign, CAMPAIGN_FIELDS)),
                 from_state=from_state, to_state=to_state, reason=nfc_multiline(reason))
    return campaign


@transaction.atomic
def campaign_document_add(*, actor, campaign, kind, title, number="", issued_on=None, file=None):
    require_office(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if file is not None:
        try:
            validate_upload(file)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
    document = CampaignDocument(campaign=campaign, kind=kind, title=_text(title), number=_text(number), issued_on=issued_on)
    document.full_clean(exclude=["file"])
    if file is not None:
        document.original_name = original_name(file)
        document.file = file
    document.save()
    audit_changes(actor=actor, obj=document, fields=DOCUMENT_FIELDS)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=campaign,
                 changes={_("văn bản"): [None, str(document)]})
    return document


@transaction.atomic
def campaign_document_remove(*, actor, document, reason=""):
    """Remove a document record and its stored file (the audit trail keeps what it was)."""
    require_office(actor)
    document = CampaignDocument.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=document.pk)
    campaign = document.campaign
    audit_record(actor=actor, action=AuditAction.DELETE, obj=document, changes=diff(snapshot(document, DOCUMENT_FIELDS), {
        name: None for name in DOCUMENT_FIELDS}), reason=nfc_multiline(reason))
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=campaign, changes={_("văn bản"): [str(document), None]},
                 reason=nfc_multiline(reason))
    stored = document.file.name if document.file else ""
    storage = document.file.storage if document.file else None
    document.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
    return campaign


# ================================================================ registration (đăng ký thi đua)

WINDOW_FIELDS = ["year", "opens_on", "closes_on", "required_for_nomination", "note"]

# Allowed moves of a unit's registration. Submitting happens from "chưa gửi" or "trả lại".
REGISTRATION_TRANSITIONS = {
    RegistrationState.DRAFT: {RegistrationState.SUBMITTED},
    RegistrationState.RETURNED: {RegistrationState.SUBMITTED},
    RegistrationState.SUBMITTED: {RegistrationState.RETURNED, RegistrationState.APPROVED},
    RegistrationState.APPROVED: {RegistrationState.RETURNED},
}


def _date(value):
    return value.strftime("%d/%m/%Y")


@transaction.atomic
def registration_window_create(*, actor, year, opens_on, closes_on, required_for_nomination=True, note=""):
    require_office(actor)
    window = RegistrationWindow(year=year, opens_on=opens_on, closes_on=closes_on,
                                required_for_nomination=required_for_nomination, note=nfc_multiline(note or ""))
    window.full_clean()
    window.save()
    audit_changes(actor=actor, obj=window, fields=WINDOW_FIELDS)
    return window


@transaction.atomic
def registration_window_update(*, actor, window, opens_on, closes_on, required_for_nomination, note=""):
    require_office(actor)
    window = RegistrationWindow.objects.select_for_update().get(pk=window.pk)
    before = snapshot(window, WINDOW_FIELDS)
    window.opens_on, window.closes_on = opens_on, closes_on
    window.required_for_nomination = required_for_nomination
    window.note = nfc_multiline(note or "")
    window.full_clean()
    window.save()
    audit_changes(actor=actor, obj=window, fields=WINDOW_FIELDS, before=before)
    return window


@transaction.atomic
def registration_start(*, actor, window, unit):
    """The unit's registration for the window, created empty ("chưa gửi") on first use."""
    require_unit_scope(actor, unit)
    existing = Registration.objects.filter(window=window, unit=unit).first()
    if existing:
        return existing
    if unit.kind == UnitKind.AGENCY or not unit.active:
        raise ValidationError(_("%(unit)s không lập phiếu đăng ký thi đua.") % {"unit": unit})
    registration = Registration(window=window, unit=unit)
    registration.full_clean()
    registration.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=registration, to_state=registration.state)
    return registration


def _lock_registration(registration):
    return Registration.objects.select_for_update(of=("self",)).select_related("window", "unit", "unit_title").get(pk=registration.pk)


def _check_editable(registration):
    if not registration.is_editable:
        raise ValidationError(_("Phiếu đăng ký đang ở trạng thái “%(state)s”: không sửa được. Văn phòng Sở trả lại thì mới sửa tiếp.")
                              % {"state": registration.get_state_display()})


@transaction.atomic
def registration_save(*, actor, registration, unit_title, titles, note=""):
    """Set the unit's collective title and each member's title (``titles``: {person: title or None}).

    A member mapped to ``None`` is taken off the registration. One audit event lists every change.
    """
    registration = _lock_registration(registration)
    require_unit_scope(actor, registration.unit)
    _check_editable(registration)
    changes = {}
    if registration.unit_title_id != getattr(unit_title, "pk", None):
        changes[_("danh hiệu tập thể")] = [str(registration.unit_title or "") or None, str(unit_title or "") or None]
    registration.unit_title = unit_title
    new_note = nfc_multiline(note or "")
    if new_note != registration.note:
        changes[_("ghi chú")] = [registration.note, new_note]
    registration.note = new_note
    registration.full_clean()
    registration.save()

    current = {e.person_id: e for e in registration.entries.select_related("person", "title")}
    errors = []
    for person, title in titles.items():
        entry = current.get(person.pk)
        if title is None:
            if entry:
                changes[person.full_name] = [str(entry.title), None]
                entry.delete()
            continue
        if entry and entry.title_id == title.pk:
            continue
        if entry is None and not person.active:
            errors.append(_("%(name)s đã nghỉ công tác: không đăng ký được.") % {"name": person})
            continue
        if entry is None:
            entry = RegistrationEntry(registration=registration, person=person)
        old = str(entry.title) if entry.title_id else None
        entry.title = title
        try:
            entry.full_clean(validate_constraints=False)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        entry.save()
        changes[person.full_name] = [old, str(title)]
    if errors:
        raise ValidationError(errors)
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=registration, changes=changes)
    return registration


@transaction.atomic
def initiative_add(*, actor, registration, title, owner):
    registration = _lock_registration(registration)
    require_unit_scope(actor, registration.unit)
    _check_editable(registration)
    initiative = RegisteredInitiative(registration=registration, title=_text(title), owner=owner)
    initiative.full_clean()
    initiative.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=registration,
                 changes={_("sáng kiến"): [None, f"{initiative.title} ({owner})"]})
    return initiative


@transaction.atomic
def initiative_remove(*, actor, initiative):
    registration = _lock_registration(initiative.registration)
    require_unit_scope(actor, registration.unit)
    _check_editable(registration)
    initiative = RegisteredInitiative.objects.select_related("owner").get(pk=initiative.pk, registration=registration)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=registration,
                 changes={_("sáng kiến"): [f"{initiative.title} ({initiative.owner})", None]})
    initiative.delete()
    return registration


@transaction.atomic
def registration_transition(*, registration, actor, to_state, reason="", now=None):
    """The one workflow function: chưa gửi → chờ duyệt → (trả lại → chờ duyệt)* → đã duyệt.

    ``now`` (default: the current time) dates the step and decides whether the window is open.
    """
    registration = _lock_registration(registration)
    from_state = registration.state
    reason = nfc_multiline(reason or "")
    if to_state not in REGISTRATION_TRANSITIONS.get(from_state, set()):
        raise ValidationError(_("Không thể chuyển phiếu đăng ký từ “%(from)s” sang “%(to)s”.")
                              % {"from": RegistrationState(from_state).label, "to": RegistrationState(to_state).label})
    window = registration.window
    now = now or timezone.now()
    today = timezone.localdate(now)
    if to_state == RegistrationState.SUBMITTED:
        require_unit_scope(actor, registration.unit)
        if today < window.opens_on:
            raise ValidationError(_("Đợt đăng ký thi đua năm %(year)s mở từ ngày %(date)s: chưa thể gửi phiếu.")
                                  % {"year": window.year, "date": _date(window.opens_on)})
        # A first submission after the deadline is refused to units; a returned registration may be
        # resubmitted (the office asked for the fix), and the office may still act for a unit.
        late = today > window.closes_on
        if late and from_state == RegistrationState.DRAFT and not (actor is None or actor.is_office):
            raise ValidationError(_("Đã hết hạn đăng ký thi đua năm %(year)s (hạn cuối ngày %(date)s): đơn vị không thể gửi "
                                    "phiếu đăng ký. Vui lòng liên hệ Văn phòng Sở.") % {"year": window.year, "date": _date(window.closes_on)})
        if not registration.unit_title_id and not registration.entries.exists():
            raise ValidationError(_("Phiếu đăng ký còn trống: hãy chọn danh hiệu tập thể hoặc đăng ký cho ít nhất một cá nhân."))
        registration.submitted_at = now
        registration.return_reason = ""
    else:
        require_office(actor, _("Chỉ Văn phòng Sở được trả lại hoặc duyệt phiếu đăng ký."))
        if to_state == RegistrationState.RETURNED:
            if not reason:
                raise ValidationError({"reason": _("Hãy ghi lý do trả lại để đơn vị biết cần sửa gì.")})
            registration.return_reason = reason
        registration.reviewed_at = now
    registration.state = to_state
    registration.full_clean()
    registration.save()
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=registration, from_state=from_state, to_state=to_state,
                 reason=reason)
    return registration


def registration_submit(*, registration, actor, now=None):
    return registration_transition(registration=registration, actor=actor, to_state=RegistrationState.SUBMITTED, now=now)


def registration_return(*, registration, actor, reason, now=None):
    return registration_transition(registration=registration, actor=actor, to_state=RegistrationState.RETURNED, reason=reason,
                                   now=now)


def registration_approve(*, registration, actor, now=None):
    return registration_transition(registration=registration, actor=actor, to_state=RegistrationState.APPROVED, now=now)


# ================================================================ clusters (cụm, khối thi đua)

CLUSTER_FIELDS = ["year", "name", "description", "leader_unit", "deputy_unit", "pact_number", "pact_signed_on",
                  "pact_original_name"]

CLUSTER_TRANSITIONS = {
    ClusterState.SETUP: {ClusterState.SCORING},
    ClusterState.SCORING: {ClusterState.CONCLUDED, ClusterState.SETUP},
    ClusterState.CONCLUDED: {ClusterState.SCORING},
}


def _check_leaders_are_members(cluster, member_ids):
    errors = {}
    if cluster.leader_unit_id and cluster.leader_unit_id not in member_ids:
        errors["leader_unit"] = _("Cụm trưởng phải là đơn vị thành viên của cụm.")
    if cluster.deputy_unit_id and cluster.deputy_unit_id not in member_ids:
        errors["deputy_unit"] = _("Cụm phó phải là đơn vị thành viên của cụm.")
    if errors:
        raise ValidationError(errors)


def _set_pact_file(cluster, pact_file):
    try:
        validate_upload(pact_file)
    except ValidationError as exc:
        raise ValidationError({"pact_file": exc.messages}) from exc
    old = cluster.pact_file.name if cluster.pact_file else ""
    storage = cluster.pact_file.storage
    cluster.pact_original_name = original_name(pact_file)
    cluster.pact_file = pact_file
    cluster.save()
    if old:
        transaction.on_commit(lambda: storage.delete(old))


@transaction.atomic
def cluster_create(*, actor, year, name, members, leader_unit=None, deputy_unit=None, description="", pact_number="",
                   pact_signed_on=None, pact_file=None):
    require_office(actor)
    cluster = Cluster(year=year, name=_text(name), description=nfc_multiline(description or ""), leader_unit=leader_unit,
                      deputy_unit=deputy_unit, pact_number=_text(pact_number), pact_signed_on=pact_signed_on)
    cluster.full_clean(exclude=["pact_file"])
    member_ids = {u.pk for u in members}
    _check_leaders_are_members(cluster, member_ids)
    cluster.save()
    ClusterMember.objects.bulk_create([ClusterMember(cluster=cluster, unit=unit) for unit in members])
    if pact_file is not None:
        _set_pact_file(cluster, pact_file)
    changes = diff({}, snapshot(cluster, CLUSTER_FIELDS))
    changes[_("thành viên")] = [None, ", ".join(sorted(u.short_code for u in members))]
    audit_record(actor=actor, action=AuditAction.CREATE, obj=cluster, changes=changes, to_state=cluster.state)
    return cluster


@transaction.atomic
def cluster_update(*, actor, cluster, year, name, members, leader_unit=None, deputy_unit=None, description="", pact_number="",
                   pact_signed_on=None, pact_file=None):
    require_office(actor)
    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    before = snapshot(cluster, CLUSTER_FIELDS)
    old_members = set(cluster.memberships.values_list("unit_id", flat=True))
    member_ids = {u.pk for u in members}
    if cluster.state != ClusterState.SETUP and year != cluster.year:
        raise ValidationError({"year": _("Cụm đã bắt đầu chấm điểm: không đổi năm được.")})
    removed = old_members - member_ids
    if removed and ClusterScore.objects.filter(cluster=cluster, unit_id__in=removed).exists():
        raise ValidationError({"members": _("Không bỏ được đơn vị đã có điểm chấm trong cụm.")})
    cluster.year, cluster.name, cluster.description = year, _text(name), nfc_multiline(description or "")
    cluster.leader_unit, cluster.deputy_unit = leader_unit, deputy_unit
    cluster.pact_number, cluster.pact_signed_on = _text(pact_number), pact_signed_on
    cluster.full_clean(exclude=["pact_file"])
    _check_leaders_are_members(cluster, member_ids)
    cluster.save()
    ClusterMember.objects.filter(cluster=cluster, unit_id__in=removed).delete()
    ClusterMember.objects.bulk_create([ClusterMember(cluster=cluster, unit=u) for u in members if u.pk not in old_members])
    old_file = cluster.pact_file.name if cluster.pact_file else None
    if pact_file is not None:
        _set_pact_file(cluster, pact_file)
    changes = diff(before, snapshot(cluster, CLUSTER_FIELDS))
    if pact_file is not None:
        # A replaced pact is always recorded, even under the same original file name.
        changes["pact_file"] = [old_file, cluster.pact_file.name]
    if old_members != member_ids:
        codes = dict(Unit.objects.filter(pk__in=old_members | member_ids).values_list("pk", "short_code"))
        changes[_("thành viên")] = [", ".join(sorted(codes[i] for i in old_members)), ", ".join(sorted(codes[i] for i in member_ids))]
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=cluster, changes=changes)
    return cluster


def _lock_cluster(cluster):
    return Cluster.objects.select_for_update(of=("self",)).select_related("leader_unit", "deputy_unit").get(pk=cluster.pk)


def _check_table_editable(cluster):
    if cluster.state != ClusterState.SETUP:
        raise ValidationError(_("Bảng tiêu chí chỉ sửa được khi cụm đang thiết lập (chưa mở chấm điểm)."))


@transaction.atomic
def section_create(*, actor, cluster, name, order=1):
    require_office(actor)
    cluster = _lock_cluster(cluster)
    _check_table_editable(cluster)
    section = ScoringSection(cluster=cluster, name=_text(name), order=order)
    section.full_clean()
    section.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=cluster, changes={_("nhóm tiêu chí"): [None, section.name]})
    return section


@transaction.atomic
def criterion_create(*, actor, section, name, max_score, kind=CriterionKind.STANDARD, order=1):
    require_office(actor)
    cluster = _lock_cluster(section.cluster)
    _check_table_editable(cluster)
    criterion = ScoringCriterion(section=section, name=_text(name), max_score=max_score, kind=kind, order=order)
    criterion.full_clean()
    criterion.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=cluster, changes={
        _("tiêu chí"): [None, f"{criterion.name} ({criterion.get_kind_display()}, tối đa {format_score(criterion.max_score)})"]})
    return criterion


@transaction.atomic
def criterion_delete(*, actor, criterion):
    require_office(actor)
    cluster = _lock_cluster(criterion.section.cluster)
    _check_table_editable(cluster)
    if criterion.scores.exists():
        raise ValidationError(_("Tiêu chí đã có điểm chấm: không xoá được."))
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=cluster, changes={_("tiêu chí"): [criterion.name, None]})
    criterion.delete()
    return cluster


@transaction.atomic
def section_delete(*, actor, section):
    require_office(actor)
    cluster = _lock_cluster(section.cluster)
    _check_table_editable(cluster)
    if section.criteria.exists():
        raise ValidationError(_("Nhóm còn tiêu chí: hãy xoá các tiêu chí trước."))
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=cluster, changes={_("nhóm tiêu chí"): [section.name, None]})
    section.delete()
    return cluster


@transaction.atomic
def cluster_transition(*, cluster, actor, to_state, reason=""):
    """Thiết lập → chấm điểm → kết thúc chấm điểm (bình xét); reopening needs a reason."""
    require_office(actor)
    cluster = _lock_cluster(cluster)
    from_state = cluster.state
    reason = nfc_multiline(reason or "")
    if to_state not in CLUSTER_TRANSITIONS.get(from_state, set()):
        raise ValidationError(_("Không thể chuyển cụm từ “%(from)s” sang “%(to)s”.")
                              % {"from": ClusterState(from_state).label, "to": ClusterState(to_state).label})
    if to_state == ClusterState.SCORING and from_state == ClusterState.SETUP:
        problems = []
        if cluster.memberships.count() < 2:
            problems.append(_("cụm cần ít nhất 2 đơn vị thành viên"))
        if not cluster.leader_unit_id:
            problems.append(_("chưa chọn cụm trưởng"))
        if not ScoringCriterion.objects.filter(section__cluster=cluster, kind=CriterionKind.STANDARD).exists():
            problems.append(_("bảng điểm chưa có tiêu chí chấm điểm"))
        if problems:
            raise ValidationError(_("Chưa mở chấm điểm được: %(problems)s.") % {"problems": "; ".join(problems)})
    if to_state == ClusterState.SETUP and cluster.scores.exists():
        raise ValidationError(_("Đã có điểm chấm: không quay lại thiết lập bảng tiêu chí được."))
    if from_state == ClusterState.CONCLUDED:
        if not reason:
            raise ValidationError({"reason": _("Hãy ghi lý do mở lại chấm điểm.")})
        if cluster.acclamations.exclude(state=AcclamationState.WITHDRAWN).exists():
            raise ValidationError(_("Cụm đã suy tôn đơn vị dẫn đầu: hãy huỷ kết quả suy tôn trước khi mở lại chấm điểm."))
    cluster.state = to_state
    cluster.save(update_fields=["state"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=cluster, from_state=from_state, to_state=to_state, reason=reason)
    return cluster


def _parse_score(value):
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).replace(",", ".").strip())
    except InvalidOperation as exc:
        raise ValidationError(_("Điểm “%(value)s” không phải là số.") % {"value": value}) from exc


@transaction.atomic
def cluster_scores_save(*, actor, cluster, unit, self_scores=None, agreed_scores=None):
    """Save a member unit's scores: ``{criterion_id: (score or None, note)}`` for the self-score and/or the agreed score.

    The unit itself (or the office) enters its self-score; only the cluster leader's unit head or the office
    enters the agreed score. Scores must lie between 0 and the criterion's maximum. Each changed row is audited.
    Errors come back keyed ``self_<id>`` / ``agreed_<id>`` so a form can show them next to the field.
    """
    cluster = _lock_cluster(cluster)
    if cluster.state != ClusterState.SCORING:
        raise ValidationError(_("Cụm không ở giai đoạn chấm điểm (trạng thái: %(state)s).") % {"state": cluster.get_state_display()})
    if not cluster.memberships.filter(unit=unit).exists():
        raise ValidationError(_("%(unit)s không phải thành viên của cụm.") % {"unit": unit})
    is_office = actor is None or actor.is_office
    if self_scores and not (is_office or actor.unit_id == unit.pk):
        raise ValidationError(_("Chỉ đơn vị %(unit)s (hoặc Văn phòng Sở) được tự chấm điểm của đơn vị mình.") % {"unit": unit})
    if agreed_scores and not (is_office or (cluster.leader_unit_id and actor.unit_id == cluster.leader_unit_id)):
        raise ValidationError(_("Chỉ cụm trưởng hoặc Văn phòng Sở được nhập điểm thống nhất."))
    criteria = {c.pk: c for c in ScoringCriterion.objects.filter(section__cluster=cluster)}
    existing = {s.criterion_id: s for s in ClusterScore.objects.select_for_update().filter(cluster=cluster, unit=unit)}
    before_by_pk = {s.pk: snapshot(s, SCORE_FIELDS) for s in existing.values()}
    errors = {}
    touched = []
    for prefix, values, score_field, note_field in (("self", self_scores, "self_score", "self_note"),
                                                    ("agreed", agreed_scores, "agreed_score", "agreed_note")):
        for criterion_id, (raw, note) in (values or {}).items():
            criterion = criteria.get(int(criterion_id))
            key = f"{prefix}_{criterion_id}"
            if criterion is None:
                errors[key] = [_("Tiêu chí không thuộc bảng điểm của cụm.")]
                continue
            try:
                value = _parse_score(raw)
            except ValidationError as exc:
                errors[key] = exc.messages
                continue
            if value is not None and value < 0:
                errors[key] = [_("Tiêu chí “%(name)s”: điểm không được âm.") % {"name": criterion}]
                continue
            if value is not None and value > criterion.max_score:
                errors[key] = [_("Tiêu chí “%(name)s”: điểm %(value)s vượt điểm tối đa %(max)s.") % {
                    "name": criterion, "value": format_score(value), "max": format_score(criterion.max_score)}]
                continue
            if value is not None and value != value.quantize(Decimal("0.01")):
                errors[key] = [_("Tiêu chí “%(name)s”: điểm chỉ lấy tối đa 2 chữ số thập phân.") % {"name": criterion}]
                continue
            if value is not None:
                value = value.quantize(Decimal("0.01"))
            score = existing.get(criterion.pk)
            if score is None:
                score = ClusterScore(cluster=cluster, criterion=criterion, unit=unit)
                existing[criterion.pk] = score
            setattr(score, score_field, value)
            setattr(score, note_field, nfc(note or "")[:500])
            touched.append(score)
    if errors:
        raise ValidationError(errors)
    seen = set()
    for score in touched:
        if id(score) in seen:
            continue
        seen.add(id(score))
        before = before_by_pk.get(score.pk, {})
        after = snapshot(score, SCORE_FIELDS)
        changes = diff(before, after) if before else {k: [None, v] for k, v in after.items() if v not in (None, "")}
        if not changes:
            continue
        created = score.pk is None
        score.full_clean(validate_constraints=False)
        score.save()
        audit_record(actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=score, changes=changes)
    return cluster


SCORE_FIELDS = ["self_score", "self_note", "agreed_score", "agreed_note"]


# ================================================================ acclamation (suy tôn)

ACCLAMATION_TITLE_CODES = ("CO_TINH",)
ACCLAMATION_FORM_CODES = ("BK_TINH",)
ACCLAMATION_FIELDS = ["unit", "year", "rank", "total_score", "meeting_date", "minutes_number", "title", "form", "note"]
ACCLAMATION_TRANSITIONS = {
    AcclamationState.PROPOSED: {AcclamationState.NOMINATED, AcclamationState.WITHDRAWN},
    AcclamationState.NOMINATED: {AcclamationState.PROPOSED},
    AcclamationState.WITHDRAWN: set(),
}


@transaction.atomic
def acclamation_record(*, actor, cluster, unit, meeting_date, title=None, form=None, minutes_number="", note=""):
    """Record the suy tôn of a leading unit; the row is the proposal the nominations app picks up."""
    from .selectors import cluster_ranking

    require_office(actor, _("Chỉ Văn phòng Sở được ghi nhận kết quả suy tôn."))
    cluster = _lock_cluster(cluster)
    if cluster.state != ClusterState.CONCLUDED:
        raise ValidationError(_("Hãy kết thúc chấm điểm của cụm trước khi ghi nhận kết quả suy tôn."))
    if not cluster.memberships.filter(unit=unit).exists():
        raise ValidationError({"unit": _("%(unit)s không phải thành viên của cụm.") % {"unit": unit}})
    if bool(title) == bool(form):
        raise ValidationError({"award": _("Chọn đúng một danh hiệu hoặc một hình thức khen thưởng.")})
    if title is not None and title.code not in ACCLAMATION_TITLE_CODES:
        raise ValidationError({"award": _("Suy tôn chỉ đề nghị Cờ thi đua hoặc Bằng khen, không phải “%(t)s”.") % {"t": title}})
    if form is not None and form.code not in ACCLAMATION_FORM_CODES:
        raise ValidationError({"award": _("Suy tôn chỉ đề nghị Cờ thi đua hoặc Bằng khen, không phải “%(t)s”.") % {"t": form}})
    if meeting_date is None or meeting_date.year < cluster.year:
        raise ValidationError({"meeting_date": _("Ngày họp suy tôn phải thuộc năm %(year)s trở về sau.") % {"year": cluster.year}})
    if meeting_date > timezone.localdate():
        raise ValidationError({"meeting_date": _("Ngày họp suy tôn không được ở tương lai.")})
    ranking = {row.unit.pk: row for row in cluster_ranking(cluster)}
    row = ranking.get(unit.pk)
    acclamation = ClusterAcclamation(
        cluster=cluster, unit=unit, year=cluster.year, meeting_date=meeting_date, title=title, form=form,
        minutes_number=_text(minutes_number), note=nfc_multiline(note or ""),
        rank=row.rank if row else None, total_score=row.final_total if row else None)
    acclamation.full_clean()
    acclamation.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=acclamation, to_state=acclamation.state,
                 changes=diff({}, snapshot(acclamation, ACCLAMATION_FIELDS)))
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=cluster, changes={_("suy tôn"): [None, str(acclamation)]})
    return acclamation


@transaction.atomic
def acclamation_transition(*, acclamation, actor, to_state, reason=""):
    """Đề xuất → đã đưa vào đề nghị (by the nominations app) or → huỷ (with a reason)."""
    require_office(actor)
    acclamation = ClusterAcclamation.objects.select_for_update().get(pk=acclamation.pk)
    from_state = acclamation.state
    reason = nfc_multiline(reason or "")
    if to_state not in ACCLAMATION_TRANSITIONS.get(from_state, set()):
        raise ValidationError(_("Không thể chuyển kết quả suy tôn từ “%(from)s” sang “%(to)s”.")
                              % {"from": AcclamationState(from_state).label, "to": AcclamationState(to_state).label})
    if to_state == AcclamationState.WITHDRAWN and not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do huỷ kết quả suy tôn.")})
    acclamation.state = to_state
    acclamation.save(update_fields=["state"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=acclamation, from_state=from_state, to_state=to_state,
                 reason=reason)
    return acclamation


def acclamation_withdraw(*, acclamation, actor, reason):
    return acclamation_transition(acclamation=acclamation, actor=actor, to_state=AcclamationState.WITHDRAWN, reason=reason)


def acclamation_mark_nominated(*, acclamation, actor, reason=""):
    """For the nominations app: the proposal has been turned into a nomination."""
    return acclamation_transition(acclamation=acclamation, actor=actor, to_state=AcclamationState.NOMINATED, reason=reason)
