"""An agenda item: its page (the dossier a member reads, the vote box, the result; the ``#state`` part refreshes itself
while the meeting runs), comments, recusals by hand, and taking an item off the agenda."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tdkt.roles import allows
from tdkt.shortcuts import apply_service_errors, require_perm

from .. import rules as perms
from .. import selectors, services
from ..counting import roll_of
from ..enums import AttendanceStatus, ItemState, MeetingState
from ..forms import CommentForm, RecusalForm, VoteForm
from ..models import CouncilMember
from ..selectors import pages
from .common import item_or_404, recusal_or_404, refusal


def item_state(request, item):
    """What the item's live part shows ``request.user``: the agenda row (rule, rounds, recusals, the viewer's
    situation), the turnout of an open vote, the choices of closed open votes, and the buttons the user may press."""
    user, meeting = request.user, item.meeting
    roll = roll_of(meeting)
    rows = selectors.agenda(meeting, user=user, roll=roll)
    index = next(i for i, row in enumerate(rows) if row.item.pk == item.pk)
    row = rows[index]
    running = meeting.state == MeetingState.IN_PROGRESS
    seat = roll.member_of(user)
    chair, office = user.has_perm("councils.close_vote", meeting), user.has_perm("councils.manage_meeting")
    secretary = user.has_perm("councils.enter_paper", meeting)
    choices = pages.open_choices([r for r in row.rounds if not r.is_open])
    written_members = [a.member for a in roll.attendances if a.status == AttendanceStatus.ABSENT_WRITTEN and a.member.votes]
    current = row.current_round
    return {
        "meeting": meeting, "item": row.item, "row": row, "seat": seat, "live": running and row.item.state in (
            ItemState.PENDING, ItemState.VOTING),
        "previous": rows[index - 1] if index > 0 else None, "next": rows[index + 1] if index + 1 < len(rows) else None,
        "position": index + 1, "total": len(rows),
        "turnout": selectors.vote_turnout(row.item, roll=roll) if current is not None else None,
        "sees_waiting": chair or office or secretary,
        "result_choices": choices.get(row.result.pk, []) if row.result is not None else [],
        "earlier": [(r, choices.get(r.pk, [])) for r in row.earlier_results],
        "vote_form": VoteForm(allows_abstention=current.allows_abstention) if row.viewer_may_vote else None,
        "may_open": running and row.item.state == ItemState.PENDING and user.has_perm("councils.open_vote", row.item),
        "may_close": running and row.item.state == ItemState.VOTING and chair,
        "may_repeat": running and row.item.state == ItemState.CLOSED and user.has_perm("councils.repeat_vote", row.item),
        "may_defer": running and row.item.state == ItemState.PENDING and user.has_perm("councils.defer_item", row.item),
        "may_paper": running and row.item.state == ItemState.PENDING and secretary,
        "may_written": (running and row.item.state == ItemState.VOTING and secretary and current is not None
                        and current.written_opinions_count and bool(written_members)),
        "may_recuse": row.item.state == ItemState.PENDING and meeting.state in (*MeetingState.upcoming(), MeetingState.DRAFT)
                      and (user.has_perm("councils.recuse_member", row.item) or (seat is not None and row.own_recusal is None)),
        "may_remove": office and row.item.state == ItemState.PENDING and meeting.state in (MeetingState.DRAFT, MeetingState.SCHEDULED),
        "may_unrecuse": row.item.state == ItemState.PENDING and meeting.state in (*MeetingState.upcoming(), MeetingState.DRAFT)
                        and user.has_perm("councils.recuse_member", row.item),
    }


@login_required
@require_GET
def item_detail(request, pk):
    """The item's page: the dossier (achievement summary, files, award history and ratings, rule checks with the
    overrides and their reasons, the office's vetting note), the comments, and the live vote part. Opening it records
    that the member has read it."""
    item = item_or_404(request, pk)
    context = item_state(request, item)
    if request.htmx:
        return render(request, "councils/item_detail.html#state", context)
    services.item_mark_read(actor=request.user, item=item)
    dossier = selectors.item_dossier(context["item"], user=request.user)
    nomination = dossier.nomination
    context.update({
        "dossier": dossier, "n": nomination, "subject": nomination.person if nomination.person_id else nomination.unit,
        "comment_form": CommentForm() if _may_comment(request.user, item) else None,
    })
    return render(request, "councils/item_detail.html", context)


def _may_comment(user, item):
    return item.meeting.state in MeetingState.upcoming() and user.has_perm("councils.take_part", item.meeting)


@login_required
@require_POST
def item_comment(request, pk):
    item = item_or_404(request, pk)
    back = reverse("councils:item_detail", args=[item.pk]) + "#y-kien"
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    try:
        services.item_comment_add(actor=request.user, item=item, text=form.cleaned_data["text"])
        messages.success(request, _("Đã ghi ý kiến của bạn."))
    except ValidationError as exc:
        refusal(request, exc)
    return redirect(back)


# ---------------------------------------------------------------- recusals by hand

@login_required
@require_http_methods(["GET", "POST"])
def recusal_add(request, pk):
    """The office or the chair recuses a member from an item, with a reason; a member may recuse themselves."""
    item = item_or_404(request, pk)
    user = request.user
    on_roll = CouncilMember.objects.filter(attendances__meeting=item.meeting).select_related("person").order_by("sort_order", "pk")
    if allows(perms.recuses_members, user, item):
        members = on_roll.exclude(recusals__item=item)
    else:
        if not user.has_perm("councils.take_part", item.meeting):
            raise PermissionDenied
        members = on_roll.filter(user=user).exclude(recusals__item=item)
    back = reverse("councils:item_detail", args=[item.pk])
    form = RecusalForm(request.POST or None, members=members, initial={"member": members.first()} if members.count() == 1 else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recusal_add(actor=user, item=item, member=form.cleaned_data["member"], reason=form.cleaned_data["reason"])
            messages.success(request, _("Đã ghi nhận %(m)s không tham gia xét nội dung này.") % {
                "m": form.cleaned_data["member"].person.full_name})
            return redirect(back)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "councils/form.html", {
        "form": form, "title": _("Không tham gia xét: %(item)s") % {"item": item},
        "intro": _("Thành viên không tham gia xét được trừ khỏi mẫu số khi tính tỷ lệ của nội dung này."), "back": back})


@login_required
@require_http_methods(["GET", "POST"])
def recusal_remove(request, pk):
    recusal, item = recusal_or_404(request, pk)
    require_perm(request.user, "councils.recuse_member", item)
    back = reverse("councils:item_detail", args=[item.pk])
    if request.method == "POST":
        try:
            services.recusal_remove(actor=request.user, recusal=recusal)
            messages.success(request, _("%(m)s tham gia xét lại nội dung này.") % {"m": recusal.member.person.full_name})
        except ValidationError as exc:
            refusal(request, exc)
        return redirect(back)
    return render(request, "councils/confirm.html", {
        "title": _("Bỏ việc không tham gia xét của %(m)s?") % {"m": recusal.member.person.full_name},
        "intro": recusal.reason, "back": back, "danger": True})


# ---------------------------------------------------------------- taking an item off the agenda

@login_required
@require_http_methods(["GET", "POST"])
def item_remove(request, pk):
    item = item_or_404(request, pk)
    require_perm(request.user, "councils.manage_meeting")
    back = reverse("councils:agenda_builder", args=[item.meeting_id])
    if request.method == "POST":
        try:
            services.agenda_remove(actor=request.user, item=item)
            messages.success(request, _("Đã rút “%(item)s” khỏi chương trình: đề nghị trở về “thẩm định đạt”.") % {"item": item})
        except ValidationError as exc:
            refusal(request, exc)
        return redirect(back)
    return render(request, "councils/confirm.html", {
        "title": _("Rút “%(item)s” khỏi chương trình phiên họp?") % {"item": item},
        "intro": _("Đề nghị trở về trạng thái “thẩm định đạt” và có thể đưa vào phiên họp khác."), "back": back, "danger": True})
