"""A decision and a tờ trình as official documents (Nghị định 30/2020): each record becomes one
:class:`tdkt.documents.Document`, which the core renders as PDF (WeasyPrint) and Word (python-docx), so both files
hold the same text; the decision's list (phụ lục) is an annex of the same file, with its own page numbering and the
"(Kèm theo Quyết định số … ngày … của …)" line. The Excel annex goes through the shared exporter
(``councils/exports.py``)."""

from django.http import Http404
from django.utils.translation import gettext as _

from movements.api import agency_profile
from tdkt.documents import Annex, Article, Document, Issuer, Paragraph, Signer, Table, register_document, render_docx, render_pdf
from tdkt.text import ngay_thang_nam

from .enums import DecisionState
from .selectors import decisions_visible_to

ANNEX_COLUMNS = ["STT", "Họ và tên / Tên tập thể", "Chức vụ", "Đơn vị", "Hệ số", "Mức thưởng (đồng)"]
ANNEX_WIDTHS = [6, 26, 20, 29, 7, 15]
ANNEX_ALIGN = ["center", "left", "left", "left", "center", "right"]
PROPOSAL_COLUMNS = ["STT", "Họ và tên / Tên tập thể", "Chức vụ", "Đơn vị", "Tóm tắt thành tích"]
PROPOSAL_WIDTHS = [6, 26, 18, 22, 40]


def issuer_of(agency):
    if agency is None:
        return Issuer(parent_name="", name="", place="")
    return Issuer(parent_name=agency.parent_name, name=agency.name, place=agency.place_name)


def symbol(kind, agency):
    """A draft's number: only the symbol, the number written in when it is signed ("/QĐ-SKHCN")."""
    return f"/{kind}-{agency.doc_code}" if agency else ""


def line_row(index, nomination):
    """``(STT, name, position, unit)`` of a nomination as its line prints."""
    if nomination.person_id:
        person = nomination.person
        return index, person.full_name, person.position_title, person.unit.name
    return index, nomination.unit.name, "", nomination.unit.parent.name if nomination.unit.parent_id else ""


def _coefficient(value):
    """``Decimal("0.30")`` → "0,3"."""
    if value is None:
        return ""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def decision_rows(lines):
    for index, line in enumerate(lines, start=1):
        yield (*line_row(index, line.nomination), _coefficient(line.coefficient), line.amount)


def decision_total(lines):
    return sum(line.amount or 0 for line in lines)


def annex_reference(decision, agency):
    """"(Kèm theo Quyết định số 05/QĐ-SKHCN ngày 05 tháng 01 năm 2026 của Giám đốc Sở …)"; a draft leaves the number
    blank."""
    number = decision.number or f"     {symbol('QĐ', agency)}"
    return _("(Kèm theo Quyết định số %(number)s %(date)s của %(signer)s %(agency)s)") % {
        "number": number, "date": ngay_thang_nam(decision.date), "signer": decision.signer_authority,
        "agency": agency.name if agency else ""}


def decision_document(decision, *, lines, agency=None):
    """The decision with its annexed list, as one :class:`Document`."""
    agency = agency or agency_profile()
    award = decision.award
    total = decision_total(lines)
    table = Table(columns=ANNEX_COLUMNS, rows=list(decision_rows(lines)), widths=ANNEX_WIDTHS, align=ANNEX_ALIGN,
                  totals=["", _("Tổng cộng: %(n)s") % {"n": len(lines)}, "", "", "", total])
    annex_title = _("DANH SÁCH %(award)s") % {"award": award.name.upper()}
    signer = Signer(authority=decision.authority_lines[0], position=decision.authority_lines[1] if len(decision.authority_lines) > 1
                    else "", name=decision.signer_name)
    return Document(
        kind="QUYẾT ĐỊNH", subject=decision.subject, issuer=issuer_of(agency),
        number=decision.number or symbol("QĐ", agency), date=decision.date,
        authority=f"{decision.signer_authority} {agency.name}".upper() if agency else decision.signer_authority.upper(),
        bases=list(decision.bases),
        body=[Paragraph("QUYẾT ĐỊNH:", "heading"), Article("Điều 1.", decision.article1),
              *([Article("Điều 2.", decision.article2)] if decision.article2 else []),
              *([Article("Điều 3.", decision.article3)] if decision.article3 else [])],
        signers=[signer], recipients=list(decision.recipients),
        annexes=[Annex(title=annex_title, reference=annex_reference(decision, agency), table=table)],
        title=f"Quyết định {decision.number or _('(dự thảo)')} {decision.subject}",
    )


def decision_pdf(decision, *, lines, agency=None):
    return render_pdf(decision_document(decision, lines=lines, agency=agency))


def decision_docx(decision, *, lines, agency=None):
    return render_docx(decision_document(decision, lines=lines, agency=agency))


#: The decision as a named document (``tdkt.documents`` registry): a decision whose annex holds more lines than the PDF
#: background threshold (``TDKT_EXPORT_BACKGROUND_ROWS_PDF``) is rendered by the task worker (part: pdfspeed).
DECISION_DOCUMENT = "councils.decision"
#: What a line prints (``line_row``), read with the lines in one query.
LINE_RELATED = ("nomination__person__unit", "nomination__unit__parent")


@register_document(DECISION_DOCUMENT, permission="councils.manage_decision")
def decision_for(user, params):
    """``params``: ``{"decision": id}``: a decision ``user`` may see, with its annexed list; 404 otherwise. The same
    document in the request and later in the worker."""
    try:
        pk = int(str((params or {}).get("decision", "")))
    except ValueError:
        raise Http404 from None
    decision = decisions_visible_to(user).filter(pk=pk).first()
    if decision is None:
        raise Http404
    return decision_document(decision, lines=list(decision.lines.select_related(*LINE_RELATED).order_by("position", "pk")))


def decision_filename(decision, ext):
    stem = decision.number.replace("/", "-") if decision.number else f"du-thao-quyet-dinh-{decision.pk}"
    if decision.state in (DecisionState.REVOKED, DecisionState.REPLACED):
        stem += "-da-thu-hoi"
    return f"{stem}.{ext}"


# ---------------------------------------------------------------- tờ trình (Mẫu 1.1, Thông tư 20/2025/TT-BNV)

def proposal_document(proposal, *, lines, agency=None):
    """The tờ trình to UBND tỉnh with its list (an annex of the same file)."""
    agency = agency or agency_profile()
    award = proposal.award
    rows = [(*line_row(index, line.nomination), line.nomination.achievement_summary) for index, line in enumerate(lines, start=1)]
    table = Table(columns=PROPOSAL_COLUMNS, rows=rows, widths=PROPOSAL_WIDTHS, align=["center", "left", "left", "left", "left"])
    number = proposal.number or f"     {symbol('TTr', agency)}"
    signer = Signer(authority=proposal.authority_lines[0], position=proposal.authority_lines[1] if len(proposal.authority_lines) > 1
                    else "", name=proposal.signer_name)
    return Document(
        kind="TỜ TRÌNH", subject=proposal.subject, issuer=issuer_of(agency), number=proposal.number or symbol("TTr", agency),
        date=proposal.date,
        body=[Paragraph(_("Kính gửi: %(to)s.") % {"to": proposal.addressee.rstrip(".")}, "center"),
              *[Paragraph(text) for text in proposal.body.split("\n") if text.strip()],
              Paragraph(_("Kính trình Ủy ban nhân dân tỉnh xem xét, quyết định./."))],
        signers=[signer], recipients=list(proposal.recipients),
        annexes=[Annex(title=_("DANH SÁCH ĐỀ NGHỊ %(award)s") % {"award": award.name.upper()},
                       reference=_("(Kèm theo Tờ trình số %(number)s %(date)s của %(agency)s)") % {
                           "number": number, "date": ngay_thang_nam(proposal.date), "agency": agency.name if agency else ""},
                       table=table, landscape=True)],
        title=f"Tờ trình {proposal.number or _('(dự thảo)')} {proposal.subject}",
    )


def proposal_pdf(proposal, *, lines, agency=None):
    return render_pdf(proposal_document(proposal, lines=lines, agency=agency))


def proposal_docx(proposal, *, lines, agency=None):
    return render_docx(proposal_document(proposal, lines=lines, agency=agency))


def proposal_filename(proposal, ext):
    stem = proposal.number.replace("/", "-") if proposal.number else f"du-thao-to-trinh-{proposal.pk}"
    return f"{stem}.{ext}"
