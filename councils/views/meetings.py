"""Meetings: the members' home of the council, the list, the meeting page (the agenda grouped by title, live while the
meeting runs), and the office's management: creating and editing a meeting, its workflow, the attendance with the
quorum shown live, the agenda builder, and who opened which item."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tdkt.shortcuts import apply_service_errors, paginate, require_perm

from .. import selectors, services
from ..counting import roll_of
from ..enums import CouncilPosition, ItemState, MeetingKind, MeetingState
from ..forms import AgendaFilter, AttendanceForm, MeetingFilter, MeetingForm, ReasonForm
from ..selectors import pages
from ..workflows import MEETING_WORKFLOW
from .common import meeting_or_404

# ---------------------------------------------------------------- the council's home, the list

@login_required
def council_home(request):
    """``/hoi-dong/``: what waits for the user (votes, items to review, meetings) and, for the office, the management."""
    user = request.user
    require_perm(user, "councils.view_council")
    upcoming, past = pages.my_meetings(user)
    open_votes = list(selectors.open_votes_for(user))
    to_review = list(selectors.items_to_review(user))
    opened = pages.opened_item_ids(user, to_review)
    return render(request, "councils/home.html", {
        "upcoming": upcoming, "past": past, "open_votes": open_votes, "opened": opened,
        "to_review": [(item, item.pk in opened) for item in to_review], "seated": selectors.seats_of(user).exists(),
        "manage": user.has_perm("councils.manage_meeting"), "council": selectors.active_council()})


@login_required
def meeting_list(request):
    require_perm(request.user, "councils.view_council")
    meeting_filter = MeetingFilter(request.GET or None, queryset=pages.meetings_for_list(request.user))
    template = "councils/meeting_list.html#results" if request.htmx else "councils/meeting_list.html"
    return render(request, template, {"filter": meeting_filter, "page": paginate(request, meeting_filter.qs),
                                      "manage": request.user.has_perm("councils.manage_meeting"),
                                      "filtered": bool(request.GET.get("q") or request.GET.get("state") or request.GET.get("kind")
                                                       or request.GET.get("year"))})


# ---------------------------------------------------------------- the meeting page

@login_required
def meeting_detail(request, pk):
    """The agenda grouped by title, with each item's state, turnout and result; the quorum; the user's ballot. While the
    meeting runs, its ``#state`` part refreshes itself every 3 seconds (htmx)."""
    meeting = meeting_or_404(request, pk)
    user = request.user
    roll = roll_of(meeting)
    rows = selectors.agenda(meeting, user=user, roll=roll)
    seat = roll.member_of(user)
    context = {
        "meeting": meeting, "groups": pages.grouped(rows), "rows": rows, "seat": seat,
        "quorum": selectors.quorum_status(meeting, roll=roll, rows=rows) if meeting.is_sitting else None,
        "opened": pages.opened_item_ids(user, [row.item for row in rows]) if seat else set(),
        "my_votes": sum(1 for row in rows if row.viewer_may_vote),
        "live": meeting.state == MeetingState.IN_PROGRESS,
        "may_open": user.has_perm("councils.open_vote", meeting) and meeting.state == MeetingState.IN_PROGRESS,
        "may_close": user.has_perm("councils.close_vote", meeting) and meeting.state == MeetingState.IN_PROGRESS,
        "office": user.has_perm("councils.manage_meeting"),
    }
    if request.htmx:
        return render(request, "councils/meeting_detail.html#state", context)
    context.update({
        "moves": MEETING_WORKFLOW.available(user, meeting),
        "may_attend": user.has_perm("councils.record_attendance", meeting) and meeting.state in (MeetingState.SCHEDULED,
                                                                                                 MeetingState.IN_PROGRESS),
        "preparing": meeting.state in (MeetingState.DRAFT, MeetingState.SCHEDULED),
        "roll": roll.attendances,
    })
    return render(request, "councils/meeting_detail.html", context)


# ---------------------------------------------------------------- creating, editing, the workflow

def _council_or_message(request):
    council = selectors.active_council()
    if council is None:
        messages.error(request, _("Chưa có Hội đồng đang hoạt động: hãy thành lập Hội đồng và thêm thành viên trước."))
    return council


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    require_perm(request.user, "councils.manage_meeting")
    council = _council_or_message(request)
    if council is None:
        return redirect("councils:council_list")
    seats = list(selectors.council_members(council, active_only=True))
    initial = {"chair": next((m for m in seats if m.position == CouncilPosition.CHAIR), None),
               "secretary": next((m for m in seats if m.position == CouncilPosition.SECRETARY), None)}
    form = MeetingForm(request.POST or None, council=council, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, council=council, **form.cleaned_data)
            messages.success(request, _("Đã tạo phiên họp (dự thảo): hãy đưa các đề nghị vào chương trình."))
            return redirect("councils:agenda_builder", pk=meeting.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "councils/form.html", {"form": form, "title": _("Thêm phiên họp"), "intro": str(council),
                                                  "back": reverse("councils:meeting_list")})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    require_perm(request.user, "councils.manage_meeting")
    meeting = meeting_or_404(request, pk)
    initial = {name: getattr(meeting, name) for name in services.EDITABLE_FIELDS}
    form = MeetingForm(request.POST or None, council=meeting.council, meeting=meeting, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, **form.cleaned_data)
            messages.success(request, _("Đã lưu phiên họp."))
            return redirect("councils:meeting_detail", pk=meeting.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "councils/form.html", {
        "form": form, "title": _("Sửa phiên họp: %(m)s") % {"m": meeting}, "intro": meeting.get_kind_display(),
        "back": reverse("councils:meeting_detail", args=[meeting.pk])})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_transition(request, pk, to_state):
    """A move of the meeting's workflow, on a confirmation page (a reason where the move asks one: cancelling)."""
    meeting = meeting_or_404(request, pk)
    move = MEETING_WORKFLOW.find(meeting.state, to_state)
    if move is None:
        raise Http404
    if not MEETING_WORKFLOW.may(request.user, meeting, move):
        raise PermissionDenied
    form = ReasonForm(request.POST or None, required=move.reason_required,
                      label=_("Lý do huỷ") if to_state == MeetingState.CANCELLED else _("Ghi chú")) \
        if move.reason_required or to_state == MeetingState.CLOSED else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            services.meeting_transition(actor=request.user, meeting=meeting, to_state=to_state,
                                        reason=form.cleaned_data["reason"] if form else "")
            messages.success(request, _("Phiên họp chuyển sang “%(s)s”.") % {"s": MeetingState(to_state).label})
            return redirect("councils:meeting_detail", pk=meeting.pk)
        except ValidationError as exc:
            if form is not None:
                apply_service_errors(form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
                return redirect("councils:meeting_detail", pk=meeting.pk)
    pending = list(meeting.items.filter(state=ItemState.PENDING).select_related(*selectors.ITEM_RELATED)) \
        if to_state in (MeetingState.CLOSED, MeetingState.CANCELLED) else []
    return render(request, "councils/confirm.html", {
        "title": _("%(action)s: %(m)s?") % {"action": move.label, "m": meeting}, "form": form, "danger": move.danger,
        "intro": _TRANSITION_INTRO.get(to_state, ""), "items": pending,
        "items_intro": _("Các nội dung chưa biểu quyết sẽ được hoãn xét (đề nghị trở về Văn phòng):") if pending else "",
        "back": reverse("councils:meeting_detail", args=[meeting.pk])})


_TRANSITION_INTRO = {
    MeetingState.SCHEDULED: gettext_lazy("Thành viên Hội đồng thấy phiên họp, chương trình và hồ sơ từng nội dung để nghiên cứu trước."),
    MeetingState.IN_PROGRESS: gettext_lazy("Phiên họp trực tiếp: người chủ trì mở biểu quyết từng nội dung khi đủ số thành viên có mặt. "
                                           "Lấy ý kiến bằng văn bản: mọi nội dung được mở để thành viên trả lời đến hạn."),
    MeetingState.CLOSED: gettext_lazy("Kết thúc phiên họp: không biểu quyết thêm được nữa."),
    MeetingState.CANCELLED: gettext_lazy("Huỷ phiên họp: các đề nghị trong chương trình trở về trạng thái “thẩm định đạt”."),
}


# ---------------------------------------------------------------- attendance, with the quorum live

@login_required
@require_http_methods(["GET", "POST"])
def attendance(request, pk):
    """The roll of a sitting (the office or the secretary): present / absent / absent with a written opinion. The quorum
    under the form follows the choices as they are made (htmx ``#quorum``), before anything is saved."""
    meeting = meeting_or_404(request, pk)
    require_perm(request.user, "councils.record_attendance", meeting)
    roll = roll_of(meeting)
    rows = selectors.agenda(meeting, roll=roll)
    if request.htmx and request.method == "GET":
        preview = AttendanceForm(request.GET, roll=roll.attendances).preview_statuses()
        return render(request, "councils/attendance.html#quorum", {
            "quorum": pages.quorum_preview(meeting, preview, roll=roll, rows=rows), "preview": True})
    form = AttendanceForm(request.POST or None, roll=roll.attendances)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.attendance_set(actor=request.user, meeting=meeting, statuses=form.statuses(), notes=form.notes())
            messages.success(request, _("Đã lưu điểm danh (%(n)s thay đổi).") % {"n": len(changed)})
            return redirect("councils:meeting_detail", pk=meeting.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "councils/attendance.html", {
        "meeting": meeting, "form": form, "quorum": selectors.quorum_status(meeting, roll=roll, rows=rows)})


# ---------------------------------------------------------------- the agenda builder

@login_required
@require_http_methods(["GET", "POST"])
def agenda_builder(request, pk):
    """The office puts vetted nominations on the agenda in bulk: filtered by round, title or unit, grouped by title,
    with a “select all” box; the items already on the agenda below, each with its removal."""
    require_perm(request.user, "councils.manage_meeting")
    meeting = meeting_or_404(request, pk)
    preparing = meeting.state in (MeetingState.DRAFT, MeetingState.SCHEDULED)
    agenda_filter = AgendaFilter(request.GET or None)
    candidates = selectors.agenda_candidates(request.user, **agenda_filter.selector_kwargs()) if preparing else []
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit() and len(i) <= 12]
        chosen = list(selectors.agenda_candidates(request.user).filter(pk__in=ids)) if ids else []
        if not chosen:
            messages.error(request, _("Chưa chọn đề nghị nào."))
        else:
            try:
                items = services.agenda_add(actor=request.user, meeting=meeting, nominations=chosen)
                messages.success(request, _("Đã đưa %(n)s đề nghị vào chương trình phiên họp.") % {"n": len(items)})
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        return redirect(request.get_full_path())
    page = paginate(request, candidates, size=200) if preparing else None
    rows = selectors.agenda(meeting)
    return render(request, "councils/agenda_builder.html", {
        "meeting": meeting, "filter": agenda_filter, "page": page, "preparing": preparing,
        "candidate_groups": _group_by_award(page.object_list) if page else [],
        "groups": selectors.agenda_groups(rows), "count": len(rows)})


def _group_by_award(nominations):
    groups = []
    for nomination in nominations:
        if groups and groups[-1][0] == nomination.award:
            groups[-1][1].append(nomination)
        else:
            groups.append((nomination.award, [nomination]))
    return groups


@login_required
def readings(request, pk):
    """Who has opened which item, and the comments per item (the office)."""
    require_perm(request.user, "councils.view_readings")
    meeting = meeting_or_404(request, pk)
    grid = pages.reading_grid(meeting)
    return render(request, "councils/readings.html", {"meeting": meeting, "grid": grid, "roll": grid.roll,
                                                      "sitting": meeting.kind == MeetingKind.SITTING})
