"""Votes: a member's vote (one item, or the ballot of every item open to them), with a confirmation; the chair opens
and closes votes (an item or a title group), orders a re-vote or defers an item; the secretary enters paper results
and written opinions. Every decision is the services'; these views ask, confirm and report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tdkt.shortcuts import apply_service_errors, require_perm

from .. import selectors, services
from ..counting import roll_of
from ..enums import AttendanceStatus, Choice, ItemState, MeetingState, VoteRoundState
from ..forms import PaperForm, ReasonForm, VoteForm, WrittenOpinionForm, award_from_key, award_key
from ..models import AgendaItem, CouncilMember, VoteRound
from ..selectors import pages
from .common import item_or_404, meeting_or_404, next_url, refusal


def _open_round(item):
    return VoteRound.objects.filter(item=item, state=VoteRoundState.OPEN).first()


# ---------------------------------------------------------------- a member's vote

@login_required
@require_POST
def vote(request, pk):
    """One vote: the choice, then its confirmation (``confirm``), then the service."""
    item = item_or_404(request, pk)
    back = next_url(request, reverse("councils:item_detail", args=[item.pk]))
    vote_round = _open_round(item)
    if vote_round is None:
        messages.error(request, _("“%(item)s” không đang biểu quyết.") % {"item": item})
        return redirect(back)
    form = VoteForm(request.POST, allows_abstention=vote_round.allows_abstention)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["choice"]))
        return redirect(back)
    choice = form.cleaned_data["choice"]
    if "confirm" not in request.POST:
        return render(request, "councils/vote_confirm.html", {
            "item": item, "choices": [(item, Choice(choice))], "vote_round": vote_round, "back": back,
            "action": reverse("councils:vote", args=[item.pk]), "single": True})
    try:
        services.vote_cast(actor=request.user, item=item, choice=choice)
        messages.success(request, _("Đã ghi nhận biểu quyết của bạn: %(item)s.") % {"item": item})
    except ValidationError as exc:
        refusal(request, exc)
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def ballot(request, pk):
    """The member's ballot: every item of the meeting open to their vote, grouped by title; the choices, their
    confirmation, then all are cast together (all or none)."""
    meeting = meeting_or_404(request, pk)
    require_perm(request.user, "councils.take_part", meeting)
    groups = pages.ballot_rows(meeting, request.user)
    rows = [row for group in groups for row in group.rows]
    back = reverse("councils:meeting_detail", args=[meeting.pk])
    if request.method == "POST":
        chosen = []
        for row in rows:
            value = request.POST.get(f"choice_{row.item.pk}", "")
            if value in Choice.values and (value != Choice.ABSTAIN or row.current_round.allows_abstention):
                chosen.append((row.item, Choice(value)))
        open_keys = {f"choice_{row.item.pk}" for row in rows}
        gone = [key for key in request.POST if key.startswith("choice_") and key not in open_keys]
        if gone:  # voted from another screen, closed, or never open to this member: the ballot as a whole is refused
            messages.error(request, _("Có nội dung không còn chờ bạn biểu quyết (đã biểu quyết hoặc đã kết thúc): hãy xem lại "
                                      "phiếu biểu quyết."))
            return redirect("councils:ballot", pk=meeting.pk)
        if not chosen:
            messages.error(request, _("Chưa chọn ý kiến cho nội dung nào."))
            return redirect("councils:ballot", pk=meeting.pk)
        if "confirm" not in request.POST:
            return render(request, "councils/vote_confirm.html", {
                "meeting": meeting, "choices": chosen, "back": reverse("councils:ballot", args=[meeting.pk]),
                "action": reverse("councils:ballot", args=[meeting.pk])})
        try:
            services.votes_cast(actor=request.user, choices=chosen)
            messages.success(request, _("Đã ghi nhận %(n)s ý kiến biểu quyết của bạn.") % {"n": len(chosen)})
            return redirect(back)
        except ValidationError as exc:
            refusal(request, exc)
            return redirect("councils:ballot", pk=meeting.pk)
    return render(request, "councils/ballot.html", {"meeting": meeting, "groups": groups, "count": len(rows), "back": back})


# ---------------------------------------------------------------- the chair: opening and closing

@login_required
@require_POST
def voting_open(request, pk):
    item = item_or_404(request, pk)
    require_perm(request.user, "councils.open_vote", item)
    try:
        services.voting_open(actor=request.user, items=[item])
        messages.success(request, _("Đã mở biểu quyết: %(item)s.") % {"item": item})
    except ValidationError as exc:
        refusal(request, exc)
    return redirect(next_url(request, reverse("councils:item_detail", args=[item.pk])))


def _group_award(request):
    award = award_from_key(request.POST.get("nhom") or request.GET.get("nhom"))
    if award is None:
        messages.error(request, _("Chưa chọn nhóm danh hiệu, hình thức."))
    return award


@login_required
@require_POST
def voting_open_group(request, pk):
    """Open the vote on every pending item of one title (or form) group."""
    meeting = meeting_or_404(request, pk)
    require_perm(request.user, "councils.open_vote", meeting)
    award = _group_award(request)
    if award is not None:
        key = "title" if award_key(award).startswith("t:") else "form"
        try:
            items = services.voting_open_group(actor=request.user, meeting=meeting, **{key: award})
            messages.success(request, _("Đã mở biểu quyết %(n)s nội dung: %(award)s.") % {"n": len(items), "award": award})
        except ValidationError as exc:
            refusal(request, exc)
    return redirect("councils:meeting_detail", pk=meeting.pk)


@login_required
@require_http_methods(["GET", "POST"])
def voting_close(request, pk):
    """Close the vote on an item (the chair), on a page showing the turnout."""
    item = item_or_404(request, pk)
    require_perm(request.user, "councils.close_vote", item)
    return _close(request, item.meeting, [item], reverse("councils:item_detail", args=[item.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def voting_close_group(request, pk):
    """Close the vote on every item of one title group that is being voted on."""
    meeting = meeting_or_404(request, pk)
    require_perm(request.user, "councils.close_vote", meeting)
    back = reverse("councils:meeting_detail", args=[meeting.pk])
    award = _group_award(request)
    if award is None:
        return redirect(back)
    lookup = {"nomination__title": award} if award_key(award).startswith("t:") else {"nomination__form": award}
    items = list(AgendaItem.objects.filter(meeting=meeting, state=ItemState.VOTING, **lookup)
                 .select_related("meeting", *selectors.ITEM_RELATED).order_by("position", "pk"))
    if not items:
        messages.error(request, _("Không có nội dung nào của “%(award)s” đang biểu quyết.") % {"award": award})
        return redirect(back)
    return _close(request, meeting, items, back, award=award)


def _close(request, meeting, items, back, award=None):
    if request.method == "POST" and "confirm" in request.POST:
        try:
            services.voting_close(actor=request.user, items=items)
            messages.success(request, _("Đã kết thúc biểu quyết %(n)s nội dung.") % {"n": len(items)})
        except ValidationError as exc:
            refusal(request, exc)
        return redirect(back)
    roll = roll_of(meeting)
    turnouts = [(item, selectors.vote_turnout(item, roll=roll)) for item in items]
    title = (_("Kết thúc biểu quyết: %(award)s (%(n)s nội dung)?") % {"award": award, "n": len(items)} if award is not None
             else _("Kết thúc biểu quyết: %(item)s?") % {"item": items[0]})
    return render(request, "councils/close_confirm.html", {
        "title": title, "turnouts": turnouts, "back": back, "meeting": meeting, "nhom": award_key(award) if award else ""})


def _item_step_with_reason(request, pk, *, perm, label, required, step, done, title, intro):
    """A chair's or office's step on an item behind a confirmation page with a reason (``step(item, reason)`` is the
    service call); the service's refusals come back on the form."""
    item = item_or_404(request, pk)
    require_perm(request.user, perm, item)
    back = reverse("councils:item_detail", args=[item.pk])
    form = ReasonForm(request.POST or None, required=required, label=label)
    if request.method == "POST" and form.is_valid():
        try:
            step(item, form.cleaned_data["reason"])
            messages.success(request, done % {"item": item})
            return redirect(back)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "councils/confirm.html", {
        "title": title % {"item": item}, "form": form, "danger": True, "back": back, "intro": intro})


@login_required
@require_http_methods(["GET", "POST"])
def vote_repeat(request, pk):
    """A re-vote (the chair, with a reason): the earlier result is kept."""
    return _item_step_with_reason(
        request, pk, perm="councils.repeat_vote", label=_("Lý do biểu quyết lại"), required=True,
        step=lambda item, reason: services.vote_repeat(actor=request.user, item=item, reason=reason),
        done=_("“%(item)s” chờ biểu quyết lại; kết quả lần trước vẫn được lưu."), title=_("Biểu quyết lại: %(item)s?"),
        intro=_("Kết quả lần biểu quyết trước được giữ lại trong biên bản; đề nghị trở về trạng thái “Đưa ra Hội đồng”."))


@login_required
@require_http_methods(["GET", "POST"])
def item_defer(request, pk):
    return _item_step_with_reason(
        request, pk, perm="councils.defer_item", label=_("Lý do hoãn xét"), required=False,
        step=lambda item, reason: services.item_defer(actor=request.user, item=item, reason=reason),
        done=_("Đã hoãn xét “%(item)s”: đề nghị trở về Văn phòng."), title=_("Hoãn xét: %(item)s?"),
        intro=_("Đề nghị trở về trạng thái “thẩm định đạt” và có thể đưa vào phiên họp sau."))


# ---------------------------------------------------------------- the secretary: paper results, written opinions

@login_required
@require_http_methods(["GET", "POST"])
def paper_entry(request, pk):
    """The counted result of paper ballots: the counts, then a confirmation page with the totals against the members
    present and the result they give, then the service (the round is marked as paper)."""
    item = item_or_404(request, pk)
    require_perm(request.user, "councils.enter_paper", item)
    back = reverse("councils:item_detail", args=[item.pk])
    try:
        allows_abstention = selectors.voting_rule_for(item.nomination.award, item.meeting.date).allows_abstention
    except ValidationError as exc:
        refusal(request, exc)
        return redirect(back)
    form = PaperForm(request.POST or None, allows_abstention=allows_abstention)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            preview = selectors.paper_result_preview(item, **form.counts())
            if "confirm" in request.POST:
                services.paper_result_enter(actor=request.user, item=item, **form.counts())
                messages.success(request, _("Đã nhập kết quả phiếu giấy: %(item)s.") % {"item": item})
                return redirect(back)
        except ValidationError as exc:
            preview = None
            apply_service_errors(form, exc)
    return render(request, "councils/paper_entry.html", {"item": item, "form": form, "preview": preview, "back": back,
                                                         "present": roll_of(item.meeting).present})


@login_required
@require_http_methods(["GET", "POST"])
def written_opinion(request, pk):
    """The secretary records the written opinion of a member absent from the sitting, when the item's rule counts it."""
    item = item_or_404(request, pk)
    require_perm(request.user, "councils.enter_paper", item)
    back = reverse("councils:item_detail", args=[item.pk])
    vote_round = _open_round(item)
    if vote_round is None or item.meeting.state != MeetingState.IN_PROGRESS:
        messages.error(request, _("“%(item)s” không đang biểu quyết.") % {"item": item})
        return redirect(back)
    if not vote_round.written_opinions_count:
        messages.error(request, _("Theo quy tắc biểu quyết của nội dung này, ý kiến bằng văn bản của thành viên vắng mặt không "
                                  "được tính."))
        return redirect(back)
    members = (CouncilMember.objects.filter(attendances__meeting=item.meeting, attendances__status=AttendanceStatus.ABSENT_WRITTEN,
                                            votes=True)
               .exclude(recusals__item=item).exclude(participations__round=vote_round).select_related("person"))
    form = WrittenOpinionForm(request.POST or None, members=members, allows_abstention=vote_round.allows_abstention)
    if request.method == "POST" and form.is_valid():
        member, choice = form.cleaned_data["member"], form.cleaned_data["choice"]
        if "confirm" in request.POST:
            try:
                services.written_opinion_record(actor=request.user, item=item, member=member, choice=choice)
                messages.success(request, _("Đã ghi ý kiến bằng văn bản của %(m)s.") % {"m": member.person.full_name})
                return redirect(back)
            except ValidationError as exc:
                apply_service_errors(form, exc)
        else:
            return render(request, "councils/written_confirm.html", {
                "item": item, "member": member, "choice": Choice(choice), "form": form, "back": back})
    return render(request, "councils/form.html", {
        "form": form, "title": _("Ghi ý kiến bằng văn bản: %(item)s") % {"item": item}, "back": back,
        "submit_label": _("Tiếp tục"),
        "intro": _("Ý kiến được tính như lá phiếu của chính thành viên đó, một lần, trước khi kết thúc biểu quyết.")})

