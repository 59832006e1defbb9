"""The state machines of the movements app, as :class:`tdkt.workflow.Workflow` tables.

Each table says from which states, to which state, who may (a predicate of :mod:`tdkt.roles` or
:mod:`movements.rules`), whether a reason is required and which checks must hold. The services
(``campaign_transition``, ``registration_transition``, ``cluster_transition``, ``acclamation_transition``)
are thin wrappers around ``WORKFLOW.apply``; the pages ask ``WORKFLOW.available(user, obj)`` for their
buttons. Every move writes one audit event and emits ``tdkt.events.transition_committed`` after commit.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tdkt.roles import is_office, is_office_user, writes_own_unit
from tdkt.workflow import Move, Workflow

from .enums import (
    AcclamationState,
    CampaignStatus,
    ClusterState,
    CriterionKind,
    HistoryChangeKind,
    HistoryChangeState,
    RegistrationState,
)
from .models import (
    CAMPAIGN_FIELDS,
    CAMPAIGN_STATE_DATE,
    Campaign,
    Cluster,
    ClusterAcclamation,
    HistoryChangeRequest,
    Registration,
    ScoringCriterion,
)
from .position_history import change_position, set_active
from .rules import may_decide_history_change, may_withdraw_history_change

OFFICE_ONLY = gettext_lazy("Chỉ Văn phòng Sở được thực hiện thao tác này.")


# ================================================================ campaigns (phong trào thi đua)


def _campaign_date_given(step):
    if step.params.get("date") is None:
        raise ValidationError({"date": _("Hãy nhập ngày.")})


def _campaign_record_date(step):
    """Each state records its date; the dates must follow the workflow order (the model's ``clean``)."""
    campaign = step.obj
    setattr(campaign, CAMPAIGN_STATE_DATE[step.to_state], step.params["date"])
    try:
        campaign.full_clean()
    except ValidationError as exc:
        # The date field of the form is called "date": move the model's error there.
        raise ValidationError({"date": exc.messages}) from exc


def _campaign_move(source, target, label):
    return Move(source=source, target=target, label=label, allowed=is_office, denied_message=OFFICE_ONLY,
                checks=[_campaign_date_given], before_save=[_campaign_record_date])


CAMPAIGN_WORKFLOW = Workflow(
    name="movements.campaign",
    model=Campaign,
    states=CampaignStatus,
    state_field="status",
    invalid_message=gettext_lazy("Không thể chuyển phong trào từ “%(from)s” sang “%(to)s”."),
    audit_fields=CAMPAIGN_FIELDS,
    validate=False,  # _campaign_record_date validates, with its error on the date
    moves=[
        _campaign_move((CampaignStatus.DRAFT,), CampaignStatus.LAUNCHED, gettext_lazy("Phát động")),
        _campaign_move((CampaignStatus.LAUNCHED,), CampaignStatus.INTERIM_REVIEW, gettext_lazy("Sơ kết")),
        _campaign_move((CampaignStatus.LAUNCHED, CampaignStatus.INTERIM_REVIEW), CampaignStatus.FINAL_REVIEW,
                       gettext_lazy("Tổng kết")),
        _campaign_move((CampaignStatus.FINAL_REVIEW,), CampaignStatus.CLOSED, gettext_lazy("Kết thúc phong trào")),
    ],
)


# ================================================================ registration (đăng ký thi đua)


def _date(value):
    return value.strftime("%d/%m/%Y")


def _now(step):
    return step.params.get("now") or timezone.now()


def _registration_window_open(step):
    """The window has opened; a first submission after the deadline is refused to units.

    A returned registration may be resubmitted late (the office asked for the fix), and the office may
    still act for a unit.
    """
    window = step.obj.window
    today = timezone.localdate(_now(step))
    if today < window.opens_on:
        raise ValidationError(_("Đợt đăng ký thi đua năm %(year)s mở từ ngày %(date)s: chưa thể gửi phiếu.")
                              % {"year": window.year, "date": _date(window.opens_on)})
    late = today > window.closes_on
    if late and step.from_state == RegistrationState.DRAFT and not (step.actor is None or is_office_user(step.actor)):
        raise ValidationError(_("Đã hết hạn đăng ký thi đua năm %(year)s (hạn cuối ngày %(date)s): đơn vị không thể gửi "
                                "phiếu đăng ký. Vui lòng liên hệ Văn phòng Sở.") % {"year": window.year, "date": _date(window.closes_on)})


def _registration_not_empty(step):
    registration = step.obj
    if not registration.unit_title_id and not registration.entries.exists():
        raise ValidationError(_("Phiếu đăng ký còn trống: hãy chọn danh hiệu tập thể hoặc đăng ký cho ít nhất một cá nhân."))


def _registration_submitted(step):
    step.obj.submitted_at = _now(step)
    step.obj.return_reason = ""


def _registration_reviewed(step):
    step.obj.reviewed_at = _now(step)


def _registration_returned(step):
    step.obj.return_reason = step.reason
    step.obj.reviewed_at = _now(step)


UNIT_SCOPE_ONLY = gettext_lazy("Bạn chỉ được cập nhật dữ liệu của đơn vị mình.")
REVIEW_OFFICE_ONLY = gettext_lazy("Chỉ Văn phòng Sở được trả lại hoặc duyệt phiếu đăng ký.")


def _registration_submit(source, label):
    return Move(source=source, target=RegistrationState.SUBMITTED, label=label, allowed=writes_own_unit,
                denied_message=UNIT_SCOPE_ONLY, checks=[_registration_window_open, _registration_not_empty],
                before_save=[_registration_submitted])


#: chưa gửi → chờ duyệt → (trả lại → chờ duyệt)* → đã duyệt; the office may reopen an approved registration.
#: ``now`` (a parameter of the call) dates the step and decides whether the window is open.
REGISTRATION_WORKFLOW = Workflow(
    name="movements.registration",
    model=Registration,
    states=RegistrationState,
    invalid_message=gettext_lazy("Không thể chuyển phiếu đăng ký từ “%(from)s” sang “%(to)s”."),
    related=("window", "unit", "unit_title"),
    moves=[
        _registration_submit((RegistrationState.DRAFT,), gettext_lazy("Gửi phiếu đăng ký")),
        _registration_submit((RegistrationState.RETURNED,), gettext_lazy("Gửi lại phiếu đăng ký")),
        Move(source=(RegistrationState.SUBMITTED,), target=RegistrationState.APPROVED, label=gettext_lazy("Duyệt"),
             allowed=is_office, denied_message=REVIEW_OFFICE_ONLY, before_save=[_registration_reviewed]),
        Move(source=(RegistrationState.SUBMITTED, RegistrationState.APPROVED), target=RegistrationState.RETURNED,
             label=gettext_lazy("Trả lại"), allowed=is_office, denied_message=REVIEW_OFFICE_ONLY, reason_required=True,
             reason_message=gettext_lazy("Hãy ghi lý do trả lại để đơn vị biết cần sửa gì."),
             before_save=[_registration_returned], danger=True),
    ],
)


# ================================================================ clusters (cụm, khối thi đua)


def _cluster_ready_to_score(step):
    cluster = step.obj
    problems = []
    if cluster.memberships.count() < 2:
        problems.append(_("cụm cần ít nhất 2 đơn vị thành viên"))
    if not cluster.leader_unit_id:
        problems.append(_("chưa chọn cụm trưởng"))
    if not ScoringCriterion.objects.filter(section__cluster=cluster, kind=CriterionKind.STANDARD).exists():
        problems.append(_("bảng điểm chưa có tiêu chí chấm điểm"))
    if problems:
        raise ValidationError(_("Chưa mở chấm điểm được: %(problems)s.") % {"problems": "; ".join(problems)})


def _cluster_has_no_scores(step):
    if step.obj.scores.exists():
        raise ValidationError(_("Đã có điểm chấm: không quay lại thiết lập bảng tiêu chí được."))


def _cluster_has_no_standing_acclamation(step):
    if step.obj.acclamations.exclude(state=AcclamationState.WITHDRAWN).exists():
        raise ValidationError(_("Cụm đã suy tôn đơn vị dẫn đầu: hãy huỷ kết quả suy tôn trước khi mở lại chấm điểm."))


#: Thiết lập → chấm điểm → kết thúc chấm điểm (bình xét); reopening needs a reason.
CLUSTER_WORKFLOW = Workflow(
    name="movements.cluster",
    model=Cluster,
    states=ClusterState,
    invalid_message=gettext_lazy("Không thể chuyển cụm từ “%(from)s” sang “%(to)s”."),
    related=("leader_unit", "deputy_unit"),
    validate=False,
    moves=[
        Move(source=(ClusterState.SETUP,), target=ClusterState.SCORING, label=gettext_lazy("Mở chấm điểm"),
             allowed=is_office, denied_message=OFFICE_ONLY, checks=[_cluster_ready_to_score]),
        Move(source=(ClusterState.SCORING,), target=ClusterState.CONCLUDED, label=gettext_lazy("Kết thúc chấm điểm"),
             allowed=is_office, denied_message=OFFICE_ONLY),
        Move(source=(ClusterState.SCORING,), target=ClusterState.SETUP, label=gettext_lazy("Quay lại thiết lập"),
             allowed=is_office, denied_message=OFFICE_ONLY, checks=[_cluster_has_no_scores]),
        Move(source=(ClusterState.CONCLUDED,), target=ClusterState.SCORING, label=gettext_lazy("Mở lại chấm điểm"),
             allowed=is_office, denied_message=OFFICE_ONLY, reason_required=True,
             reason_message=gettext_lazy("Hãy ghi lý do mở lại chấm điểm."), checks=[_cluster_has_no_standing_acclamation]),
    ],
)


# ================================================================ acclamation (suy tôn)

#: Đề xuất → đã đưa vào đề nghị (by the nominations app, through ``acclamation_mark_nominated``) or → huỷ
#: (with a reason).
ACCLAMATION_WORKFLOW = Workflow(
    name="movements.acclamation",
    model=ClusterAcclamation,
    states=AcclamationState,
    invalid_message=gettext_lazy("Không thể chuyển kết quả suy tôn từ “%(from)s” sang “%(to)s”."),
    validate=False,
    moves=[
        Move(source=(AcclamationState.PROPOSED,), target=AcclamationState.NOMINATED, label=gettext_lazy("Đưa vào đề nghị"),
             allowed=is_office, denied_message=OFFICE_ONLY),
        Move(source=(AcclamationState.PROPOSED,), target=AcclamationState.WITHDRAWN, label=gettext_lazy("Huỷ suy tôn"),
             allowed=is_office, denied_message=OFFICE_ONLY, reason_required=True,
             reason_message=gettext_lazy("Hãy ghi lý do huỷ kết quả suy tôn."), danger=True),
        Move(source=(AcclamationState.NOMINATED,), target=AcclamationState.PROPOSED, label=gettext_lazy("Trả về đề xuất"),
             allowed=is_office, denied_message=OFFICE_ONLY),
    ],
)


# ================================================================ change requests of the position history


def _history_change_decided(step):
    change = step.obj
    change.decided_by = step.actor
    change.decided_at = timezone.now()
    change.decision_reason = step.reason


def apply_history_change(change, *, actor):
    """Apply a change request to the position history as ``actor``'s own change (audited, and the event that
    re-judges the person's open nominations is sent after commit)."""
    reason = _("Theo đề nghị điều chỉnh số %(id)s của %(unit)s: %(reason)s") % {
        "id": change.pk or "…", "unit": change.unit, "reason": change.reason}
    if change.kind == HistoryChangeKind.POSITION:
        return change_position(actor=actor, person=change.person, unit=change.new_unit, title=change.title,
                               is_leadership=change.is_leadership, is_head=change.is_head, start_date=change.effective_date,
                               reason=reason)
    return set_active(actor=actor, person=change.person, active=False, date=change.effective_date, reason=reason)


def _history_change_apply(step):
    """An approved change is applied now; if it cannot be applied any more (the history changed since it was
    filed), nothing is approved."""
    apply_history_change(step.obj, actor=step.actor)


DECIDE_OFFICE_ONLY = gettext_lazy("Chỉ Văn phòng Sở được duyệt hoặc không duyệt đề nghị điều chỉnh.")

#: Chờ duyệt → đã duyệt (the change is applied) / không duyệt (with a reason) / rút (by the unit that filed it).
HISTORY_CHANGE_WORKFLOW = Workflow(
    name="movements.history_change",
    model=HistoryChangeRequest,
    states=HistoryChangeState,
    invalid_message=gettext_lazy("Đề nghị điều chỉnh đã được xử lý (“%(from)s”): không chuyển sang “%(to)s” được."),
    related=("person", "unit", "new_unit"),
    moves=[
        Move(source=(HistoryChangeState.PENDING,), target=HistoryChangeState.APPROVED, label=gettext_lazy("Duyệt và áp dụng"),
             allowed=may_decide_history_change, denied_message=DECIDE_OFFICE_ONLY, before_save=[_history_change_decided],
             after_save=[_history_change_apply]),
        Move(source=(HistoryChangeState.PENDING,), target=HistoryChangeState.REFUSED, label=gettext_lazy("Không duyệt"),
             allowed=may_decide_history_change, denied_message=DECIDE_OFFICE_ONLY, reason_required=True,
             reason_message=gettext_lazy("Hãy ghi lý do không duyệt để đơn vị biết."), before_save=[_history_change_decided],
             danger=True),
        Move(source=(HistoryChangeState.PENDING,), target=HistoryChangeState.WITHDRAWN, label=gettext_lazy("Rút đề nghị"),
             allowed=may_withdraw_history_change, denied_message=UNIT_SCOPE_ONLY, before_save=[_history_change_decided]),
    ],
)
