"""Pages of clusters (cụm, khối thi đua): set-up, scoring table, score sheets, ranking, acclamations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

# The award catalogues: the one allowed import from nominations (a leaf module).
from nominations.catalogues import CommendationForm, EmulationTitle
from tdkt.forms import ReasonForm
from tdkt.shortcuts import apply_service_errors, paginate, require_perm
from tdkt.uploads import file_response

from .. import services
from ..enums import AcclamationState, ClusterState
from ..exports import ClusterRankingExporter
from ..forms import (
    AcclamationForm,
    ClusterForm,
    CriterionForm,
    ScoreSheetForm,
    SectionForm,
)
from ..models import (
    ClusterAcclamation,
    ClusterMember,
    ScoringCriterion,
    ScoringSection,
    Unit,
)
from ..selectors import (
    acclamations_for,
    cluster_max_total,
    cluster_memberships,
    cluster_ranking,
    cluster_scores_for,
    cluster_table,
    clusters_visible_to,
)
from ..workflows import ACCLAMATION_WORKFLOW, CLUSTER_WORKFLOW
from .common import confirm_page, export_page, move_to


def _cluster_for(request, pk, perm="movements.view_cluster"):
    cluster = get_object_or_404(clusters_visible_to(request.user), pk=pk)
    require_perm(request.user, perm, cluster)
    return cluster


@login_required
def cluster_list(request):
    qs = clusters_visible_to(request.user).annotate(member_count=Count("memberships", distinct=True)).order_by("-year", "name")
    year = request.GET.get("year", "").strip()
    if year.isdigit():
        qs = qs.filter(year=int(year))
    return render(request, "movements/cluster_list.html", {
        "page": paginate(request, qs), "year": year, "can_manage": request.user.has_perm("movements.manage_cluster")})


@login_required
def cluster_detail(request, pk):
    cluster = _cluster_for(request, pk)
    user = request.user
    table = cluster_table(cluster)
    memberships = list(cluster_memberships(cluster))
    can_rank = user.has_perm("movements.view_cluster_ranking", cluster)
    can_manage = user.has_perm("movements.manage_cluster")
    own = next((m for m in memberships if m.unit_id == user.unit_id), None) if user.unit_id else None
    actions = CLUSTER_WORKFLOW.available(user, cluster)
    acclamations = list(acclamations_for(cluster))
    for acclamation in acclamations:  # the "Huỷ" link of each row: the workflow says whether it may be withdrawn
        acclamation.withdrawable = any(move.target == AcclamationState.WITHDRAWN
                                       for move in ACCLAMATION_WORKFLOW.available(user, acclamation))
    return render(request, "movements/cluster_detail.html", {
        "cluster": cluster, "table": table, "max_total": cluster_max_total(table), "memberships": memberships,
        "ranking": cluster_ranking(cluster) if can_rank else None, "own_membership": own,
        "acclamations": acclamations, "can_manage": can_manage, "actions": actions,
        "is_leader": bool(user.unit_id) and user.unit_id == cluster.leader_unit_id,
        "is_deputy": bool(user.unit_id) and user.unit_id == cluster.deputy_unit_id and cluster.leader_unit_id is not None,
        "can_acclaim": user.has_perm("movements.record_acclamation") and cluster.state == ClusterState.CONCLUDED,
        "table_editable": can_manage and cluster.state == ClusterState.SETUP})


@login_required
@require_http_methods(["GET", "POST"])
def cluster_form(request, pk=None):
    require_perm(request.user, "movements.manage_cluster")
    cluster = get_object_or_404(clusters_visible_to(request.user), pk=pk) if pk else None
    initial = {}
    if cluster:
        initial = {name: getattr(cluster, name) for name in ("year", "name", "description", "leader_unit", "deputy_unit",
                                                              "pact_number", "pact_signed_on")}
        initial["members"] = list(cluster.memberships.values_list("unit_id", flat=True))
    else:
        initial = {"year": timezone.localdate().year}
    form = ClusterForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["members"] = list(data["members"])
        try:
            if cluster:
                cluster = services.cluster_update(actor=request.user, cluster=cluster, **data)
                messages.success(request, _("Đã lưu cụm thi đua."))
            else:
                cluster = services.cluster_create(actor=request.user, **data)
                messages.success(request, _("Đã tạo cụm thi đua. Tiếp theo: lập bảng tiêu chí chấm điểm."))
            return redirect("movements:cluster_detail", pk=cluster.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    title = _("Sửa cụm thi đua") if cluster else _("Tạo cụm, khối thi đua")
    cancel = reverse("movements:cluster_detail", args=[cluster.pk]) if cluster else reverse("movements:cluster_list")
    return render(request, "movements/form_page.html", {"form": form, "title": title, "cancel_url": cancel, "multipart": True})


@login_required
def cluster_pact_download(request, pk):
    cluster = _cluster_for(request, pk)
    return file_response(cluster.pact_file, cluster.pact_original_name)


@login_required
@require_http_methods(["GET", "POST"])
def cluster_section_add(request, pk):
    require_perm(request.user, "movements.manage_cluster")
    cluster = _cluster_for(request, pk)
    detail = reverse("movements:cluster_detail", args=[cluster.pk])
    form = SectionForm(request.POST or None, initial={"order": cluster.sections.count() + 1})
    if request.method == "POST" and form.is_valid():
        try:
            services.section_create(actor=request.user, cluster=cluster, **form.cleaned_data)
            messages.success(request, _("Đã thêm nhóm tiêu chí."))
            return redirect(detail)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "movements/form_page.html", {"form": form, "title": _("Thêm nhóm tiêu chí"), "cancel_url": detail})


@login_required
@require_http_methods(["GET", "POST"])
def cluster_criterion_add(request, pk):
    require_perm(request.user, "movements.manage_cluster")
    cluster = _cluster_for(request, pk)
    detail = reverse("movements:cluster_detail", args=[cluster.pk])
    sections = ScoringSection.objects.filter(cluster=cluster).order_by("order", "id")
    if not sections.exists():
        messages.error(request, _("Hãy thêm nhóm tiêu chí trước."))
        return redirect(detail)
    initial = {"section": request.GET.get("nhom") or sections.last().pk}
    form = CriterionForm(request.POST or None, sections=sections, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Đã thêm tiêu chí."))
            return redirect(detail)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "movements/form_page.html", {"form": form, "title": _("Thêm tiêu chí chấm điểm"), "cancel_url": detail})


@login_required
@require_http_methods(["GET", "POST"])
def cluster_criterion_delete(request, pk, criterion_pk):
    require_perm(request.user, "movements.manage_cluster")
    cluster = _cluster_for(request, pk)
    criterion = get_object_or_404(ScoringCriterion.objects.select_related("section__cluster"), pk=criterion_pk,
                                  section__cluster=cluster)
    detail = reverse("movements:cluster_detail", args=[cluster.pk])
    if request.method == "POST":
        try:
            services.criterion_delete(actor=request.user, criterion=criterion)
            messages.success(request, _("Đã xoá tiêu chí."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(detail)
    return confirm_page(request, title=_("Xoá tiêu chí “%(name)s”?") % {"name": criterion.name}, submit_label=_("Xoá tiêu chí"),
                        cancel_url=detail, danger=True)


@login_required
@require_http_methods(["GET", "POST"])
def cluster_section_delete(request, pk, section_pk):
    require_perm(request.user, "movements.manage_cluster")
    cluster = _cluster_for(request, pk)
    section = get_object_or_404(ScoringSection.objects.select_related("cluster"), pk=section_pk, cluster=cluster)
    detail = reverse("movements:cluster_detail", args=[cluster.pk])
    if request.method == "POST":
        try:
            services.section_delete(actor=request.user, section=section)
            messages.success(request, _("Đã xoá nhóm tiêu chí."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(detail)
    return confirm_page(request, title=_("Xoá nhóm tiêu chí “%(name)s”?") % {"name": section.name}, submit_label=_("Xoá nhóm"),
                        cancel_url=detail, danger=True)


@login_required
@require_http_methods(["GET", "POST"])
def cluster_transition(request, pk, to_state):
    require_perm(request.user, "movements.manage_cluster")
    cluster = _cluster_for(request, pk)
    move = move_to(CLUSTER_WORKFLOW, cluster, to_state)
    detail = reverse("movements:cluster_detail", args=[cluster.pk])
    needs_reason = move.reason_required
    form = ReasonForm(request.POST or None)
    form.fields["reason"].required = needs_reason
    if request.method == "POST" and form.is_valid():
        try:
            services.cluster_transition(cluster=cluster, actor=request.user, to_state=to_state, reason=form.cleaned_data["reason"])
            messages.success(request, _("Cụm đã chuyển sang “%(state)s”.") % {"state": ClusterState(to_state).label})
            return redirect(detail)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    messages_by_target = {
        ClusterState.SCORING: _("Các đơn vị thành viên tự chấm điểm; cụm trưởng nhập điểm thống nhất. Bảng tiêu chí sẽ bị khoá."),
        ClusterState.CONCLUDED: _("Điểm được khoá để bình xét, suy tôn."),
        ClusterState.SETUP: _("Mở lại việc sửa bảng tiêu chí (chỉ khi chưa có điểm chấm)."),
    }
    label = move.label
    return confirm_page(request, title=_("%(action)s: %(name)s?") % {"action": label, "name": cluster},
                        message=messages_by_target[to_state], form=form, submit_label=label, cancel_url=detail)


@login_required
@require_http_methods(["GET", "POST"])
def cluster_score_sheet(request, pk, unit_pk):
    user = request.user
    cluster = _cluster_for(request, pk)
    membership = get_object_or_404(ClusterMember.objects.select_related("unit", "cluster"), cluster=cluster, unit_id=unit_pk)
    if not user.has_perm("movements.view_cluster_scores", membership):
        raise Http404  # another unit's scores: as if it did not exist
    scoring = cluster.state == ClusterState.SCORING
    can_self = scoring and user.has_perm("movements.self_score", membership)
    can_agree = scoring and user.has_perm("movements.agree_score", membership)
    if request.method == "POST" and not (can_self or can_agree):
        raise PermissionDenied
    table = cluster_table(cluster)
    criteria = [c for _s, cs in table for c in cs]
    scores = cluster_scores_for(cluster, membership.unit)
    form = ScoreSheetForm(request.POST or None, criteria=criteria, scores=scores, can_self=can_self, can_agree=can_agree)
    if request.method == "POST" and form.is_valid():
        try:
            services.cluster_scores_save(actor=user, cluster=cluster, unit=membership.unit, **form.payload())
            messages.success(request, _("Đã lưu điểm của %(unit)s.") % {"unit": membership.unit})
            return redirect("movements:cluster_score_sheet", pk=cluster.pk, unit_pk=membership.unit_id)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    rows = {row["criterion"].pk: row for row in form.rows()}
    sections = [(section, [rows[c.pk] for c in cs]) for section, cs in table]
    ranking_row = next((r for r in cluster_ranking(cluster) if r.unit.pk == membership.unit_id), None)
    return render(request, "movements/cluster_scores.html", {
        "cluster": cluster, "membership": membership, "unit": membership.unit, "form": form, "sections": sections,
        "can_self": can_self, "can_agree": can_agree, "agrees_as_deputy": can_agree and membership.unit_id == cluster.leader_unit_id
        and user.unit_id == cluster.deputy_unit_id, "editable": can_self or can_agree, "total": ranking_row,
        "max_total": cluster_max_total(table)})


@login_required
def cluster_ranking_export(request, pk):
    cluster = _cluster_for(request, pk, "movements.view_cluster_ranking")
    return export_page(request, ClusterRankingExporter(cluster, cluster_ranking(cluster), cluster_max_total(cluster_table(cluster))))


def _acclamation_awards():
    titles = EmulationTitle.objects.filter(code__in=services.ACCLAMATION_TITLE_CODES, active=True)
    forms_ = CommendationForm.objects.filter(code__in=services.ACCLAMATION_FORM_CODES, active=True)
    return [("title", t) for t in titles] + [("form", f) for f in forms_]


@login_required
@require_http_methods(["GET", "POST"])
def acclamation_add(request, pk):
    require_perm(request.user, "movements.record_acclamation")
    cluster = _cluster_for(request, pk)
    detail = reverse("movements:cluster_detail", args=[cluster.pk])
    ranking = cluster_ranking(cluster)
    initial = {"unit": ranking[0].unit.pk} if ranking and ranking[0].rank == 1 else {}
    form = AcclamationForm(request.POST or None, units=Unit.objects.filter(cluster_memberships__cluster=cluster),
                           awards=_acclamation_awards(), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            acclamation = services.acclamation_record(actor=request.user, cluster=cluster, **form.service_kwargs())
            messages.success(request, _("Đã ghi nhận suy tôn %(unit)s; đề xuất %(award)s đã sẵn sàng cho đợt đề nghị khen thưởng.")
                             % {"unit": acclamation.unit, "award": acclamation.award})
            return redirect(detail)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "movements/form_page.html", {
        "form": form, "title": _("Ghi nhận suy tôn: %(name)s") % {"name": cluster}, "cancel_url": detail,
        "intro": _("Đơn vị dẫn đầu được suy tôn sẽ có sẵn đề xuất Cờ thi đua hoặc Bằng khen để đưa vào đợt đề nghị khen thưởng.")})


@login_required
@require_http_methods(["GET", "POST"])
def acclamation_withdraw(request, pk, acclamation_pk):
    require_perm(request.user, "movements.record_acclamation")
    cluster = _cluster_for(request, pk)
    acclamation = get_object_or_404(ClusterAcclamation, pk=acclamation_pk, cluster=cluster)
    detail = reverse("movements:cluster_detail", args=[cluster.pk])
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.acclamation_withdraw(acclamation=acclamation, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("Đã huỷ kết quả suy tôn."))
            return redirect(detail)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return confirm_page(request, title=_("Huỷ kết quả suy tôn %(unit)s?") % {"unit": acclamation.unit},
                        message=_("Đề xuất khen thưởng tương ứng sẽ không còn được đưa vào đợt đề nghị."), form=form,
                        submit_label=_("Huỷ suy tôn"), cancel_url=detail, danger=True)
