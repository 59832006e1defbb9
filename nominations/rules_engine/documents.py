"""R12: the required documents (``RequiredDocument``, edited by the office) are in the dossier when a list is sent.

Per nominee: a file of that kind attached to the nomination; per submission: a file of that kind in the unit's
submission. A missing file of the submission is reported once, on the first nomination of that submission in the list.
Two queries for any list: the active requirements, the files of the submissions concerned."""

from collections import defaultdict

from django.utils.translation import gettext as _

from ..enums import RequirementScope
from ..models.requirements import RequiredDocument
from .registry import STAGE_RESUBMIT, STAGE_SUBMIT, register, violation


def required_documents():
    return list(RequiredDocument.objects.filter(active=True).order_by("scope", "id"))


def present_files(submission_ids, documents):
    """``(by_nomination, by_submission)``: the kinds of file attached to each nomination and found in each submission.
    ``documents``: the files' table (``SubmissionDocument``; the engine does not import the model that calls it)."""
    by_nomination, by_submission = defaultdict(set), defaultdict(set)
    for submission_id, nomination_id, kind in documents.objects.filter(submission_id__any=submission_ids).values_list(
            "submission_id", "nomination_id", "kind"):
        by_submission[submission_id].add(kind)
        if nomination_id:
            by_nomination[nomination_id].add(kind)
    return by_nomination, by_submission


def missing_files(items, requirements, by_nomination, by_submission):
    """``[(index, [labels missing for the nominee], [labels missing for its submission])]``, the submission's missing
    files given once, with its first nomination among ``items``."""
    out, seen = [], set()
    for i, n in enumerate(items):
        own = [r.label for r in requirements if r.scope == RequirementScope.NOMINEE and r.applies_to(n.title_id, n.form_id)
               and r.kind not in by_nomination.get(n.pk, ())]
        shared = []
        if n.submission_id not in seen:
            seen.add(n.submission_id)
            awards = [(m.title_id, m.form_id) for m in items if m.submission_id == n.submission_id]
            shared = [r.label for r in requirements if r.scope == RequirementScope.SUBMISSION
                      and any(r.applies_to(t, f) for t, f in awards) and r.kind not in by_submission.get(n.submission_id, ())]
        if own or shared:
            out.append((i, own, shared))
    return out


@register("R12", stages=(STAGE_SUBMIT, STAGE_RESUBMIT))
def documents_complete(rule, batch, idx):
    """Hồ sơ gửi đi phải có đủ các tài liệu bắt buộc của danh hiệu, hình thức (danh mục “Tài liệu bắt buộc” do Văn phòng
    quản lý): báo cáo thành tích của từng người, tập thể; tờ trình và biên bản bình xét của đơn vị…"""
    requirements = batch._once("required_documents", required_documents)
    if not requirements:
        return []
    items = [batch.items[i] for i in idx]
    documents = type(items[0])._meta.get_field("documents").related_model
    by_nomination, by_submission = batch._once("present_files", lambda: present_files(
        sorted({n.submission_id for n in batch.items if n.submission_id}), documents))
    out = []
    for j, own, shared in missing_files(items, requirements, by_nomination, by_submission):
        parts = []
        if own:
            parts.append(_("thiếu %(files)s của “%(subject)s”") % {"files": ", ".join(own), "subject": items[j].subject})
        if shared:
            parts.append(_("hồ sơ của đơn vị thiếu %(files)s") % {"files": ", ".join(shared)})
        out.append((idx[j], violation(rule, "; ".join(parts))))
    return out


def missing_requirements(submission, nominations, documents):
    """``[(document kind, nomination or None)]``: the files ``nominations`` of ``submission`` still lack (a demo fills
    them in; ``documents``: the files' table)."""
    requirements = required_documents()
    if not requirements or not nominations:
        return []
    by_nomination, by_submission = present_files([submission.pk], documents)
    out = [(r.kind, None) for r in requirements if r.scope == RequirementScope.SUBMISSION
           and any(r.applies_to(n.title_id, n.form_id) for n in nominations) and r.kind not in by_submission.get(submission.pk, ())]
    out += [(r.kind, n) for n in nominations for r in requirements if r.scope == RequirementScope.NOMINEE
            and r.applies_to(n.title_id, n.form_id) and r.kind not in by_nomination.get(n.pk, ())]
    return list(dict.fromkeys(out))
