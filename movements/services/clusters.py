"""Writes for clusters (cụm, khối thi đua): set-up, the scoring table, the workflow and the scores."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tdkt.audit import audit_record, diff, snapshot
from tdkt.enums import AuditAction
from tdkt.guards import require_office
from tdkt.text import nfc, nfc_multiline
from tdkt.uploads import original_name, validate_upload

from ..enums import ClusterState, CriterionKind
from ..models import Cluster, ClusterMember, ClusterScore, ScoringCriterion, ScoringSection, Unit, format_score, parse_score
from ..rules import is_leader_sheet, may_agree_score, may_self_score
from ..workflows import CLUSTER_WORKFLOW
from .common import text as _text

CLUSTER_FIELDS = ["year", "name", "description", "leader_unit", "deputy_unit", "pact_number", "pact_signed_on",
                  "pact_original_name"]


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


def lock_cluster(cluster):
    return Cluster.objects.select_for_update(of=("self",)).select_related("leader_unit", "deputy_unit").get(pk=cluster.pk)


def _check_table_editable(cluster):
    if cluster.state != ClusterState.SETUP:
        raise ValidationError(_("Bảng tiêu chí chỉ sửa được khi cụm đang thiết lập (chưa mở chấm điểm)."))


@transaction.atomic
def section_create(*, actor, cluster, name, order=1):
    require_office(actor)
    cluster = lock_cluster(cluster)
    _check_table_editable(cluster)
    section = ScoringSection(cluster=cluster, name=_text(name), order=order)
    section.full_clean()
    section.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=cluster, changes={_("nhóm tiêu chí"): [None, section.name]})
    return section


@transaction.atomic
def criterion_create(*, actor, section, name, max_score, kind=CriterionKind.STANDARD, order=1):
    require_office(actor)
    cluster = lock_cluster(section.cluster)
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
    cluster = lock_cluster(criterion.section.cluster)
    _check_table_editable(cluster)
    if criterion.scores.exists():
        raise ValidationError(_("Tiêu chí đã có điểm chấm: không xoá được."))
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=cluster, changes={_("tiêu chí"): [criterion.name, None]})
    criterion.delete()
    return cluster


@transaction.atomic
def section_delete(*, actor, section):
    require_office(actor)
    cluster = lock_cluster(section.cluster)
    _check_table_editable(cluster)
    if section.criteria.exists():
        raise ValidationError(_("Nhóm còn tiêu chí: hãy xoá các tiêu chí trước."))
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=cluster, changes={_("nhóm tiêu chí"): [section.name, None]})
    section.delete()
    return cluster


def cluster_transition(*, cluster, actor, to_state, reason=""):
    """Thiết lập → chấm điểm → kết thúc chấm điểm (bình xét); reopening needs a reason."""
    return CLUSTER_WORKFLOW.apply(cluster, actor=actor, to=to_state, reason=reason)


@transaction.atomic
def cluster_scores_save(*, actor, cluster, unit, self_scores=None, agreed_scores=None):
    """Save a member unit's scores: ``{criterion_id: (score or None, note)}`` for the self-score and/or the agreed score.

    The unit itself (or the office) enters its self-score; the agreed score is entered by the office, by the
    cluster leader's unit head for the other members, and by the deputy's unit head for the leader's own sheet
    (``movements.rules.may_agree_score``: nobody agrees their own score). Scores must lie between 0 and the
    criterion's maximum. Each changed row is audited.
    Errors come back keyed ``self_<id>`` / ``agreed_<id>`` so a form can show them next to the field.
    """
    cluster = lock_cluster(cluster)
    if cluster.state != ClusterState.SCORING:
        raise ValidationError(_("Cụm không ở giai đoạn chấm điểm (trạng thái: %(state)s).") % {"state": cluster.get_state_display()})
    membership = cluster.memberships.filter(unit=unit).first()
    if membership is None:
        raise ValidationError(_("%(unit)s không phải thành viên của cụm.") % {"unit": unit})
    membership.cluster = cluster
    # Who may enter which score is the rule of the pages' permissions (movements.rules), asked here too.
    if self_scores and not (actor is None or may_self_score(actor, membership)):
        raise ValidationError(_("Chỉ đơn vị %(unit)s (hoặc Văn phòng Sở) được tự chấm điểm của đơn vị mình.") % {"unit": unit})
    if agreed_scores and not (actor is None or may_agree_score(actor, membership)):
        if is_leader_sheet(actor, membership):
            raise ValidationError(_("Điểm thống nhất của đơn vị cụm trưởng do cụm phó hoặc Văn phòng Sở nhập: "
                                    "không đơn vị nào tự thống nhất điểm của mình."))
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
                value = parse_score(raw, criterion)
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
