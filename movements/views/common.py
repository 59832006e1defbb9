"""What the pages of the yearly cycle share: the confirmation page, exports, the moves of a workflow."""

from django.http import Http404
from django.shortcuts import render

from tdkt.exports import export_response

from ..selectors import agency_profile


def confirm_page(request, *, title, message="", form=None, submit_label, cancel_url, danger=False, extra=None):
    """The confirmation page used by every destructive or state-changing action (GET shows it, POST acts)."""
    return render(request, "movements/confirm.html", {
        "title": title, "message": message, "form": form, "submit_label": submit_label, "cancel_url": cancel_url,
        "danger": danger, "extra": extra})


def export_page(request, exporter):
    """XLSX by default, PDF with ?dinh-dang=pdf; both from the same exporter."""
    return export_response(exporter, request.GET.get("dinh-dang", "xlsx"), agency=agency_profile())


def move_to(workflow, obj, to_state):
    """The move of ``workflow`` a transition page shows for ``obj`` → ``to_state``: the one from the current
    state, or (when the table has none, so that the service explains the refusal) the first move to that state.
    A state no move leads to is no page (404)."""
    move = workflow.find(workflow.state_of(obj), to_state)
    if move is None:
        move = next((m for m in workflow.moves if m.target == to_state), None)
    if move is None:
        raise Http404
    return move
