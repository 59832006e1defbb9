"""Digital signatures on the Sở's issued documents (issue 12): the hooks of the signing steps, one path for the three
kinds (``signing_workflow`` in ``councils/workflows.py``; the fields: ``models.decisions.DigitallySigned``):

- **quyết định** (issued, in force) and **tờ trình** (sent to UBND tỉnh): "Ký số" adds the signer's visible signature
  (the blue image of the agency profile, centred between the authority line and the name, found in the PDF by
  ``tdkt.signing.decree_boxes``) with the director's key; "Đóng dấu số" then adds the agency's seal (the red image at
  its real size, over the left third of the signature) with the agency's key, in an incremental update of the signed
  file (``pdf_signed``, what is downloaded). The annexed list is in the same file: covered.
- **biên bản họp Hội đồng** (issued): Mẫu 1.9 is signed by THƯ KÝ (left) and CHỦ TỌA (right), and carries no seal.
  The server holds two keys only, the director's and the agency's; the director chairs the Sở's council, so "Ký số"
  puts the chair's signature (director's key, the blue image under "CHỦ TỌA"); the secretary has no key here, their
  place stays as printed, and there is no "Đóng dấu số" step. The biên bản kiểm phiếu goes with it as a separate file:
  it gets the agency's attachment signature (top right of page 1, no image, number and time) in the same step.

Each step records the certificate's subject and serial on the document (audited by the workflow). The unsigned PDF
(``pdf_unsigned``) stays in the record: a decision's is made when it is issued; a tờ trình's and the minutes' are
rendered once, at "Ký số", from records that no longer change (a sent tờ trình, a closed meeting).

A signed document is never signed again: the steps only go forward, an issued document is never edited, and the
seal is refused when the signed file no longer verifies (changed in storage). Changing a decision means a replacing
decision, which starts unsigned.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from movements.api import agency_profile
from tdkt import signing

from .enums import DecisionState, ProposalState
from .models import Decision, MeetingMinutes, Proposal

SIGNER_FIELD = "ChuKyNguoiKy"
SEAL_FIELD = "ChuKyCoQuan"
ATTACHMENT_FIELD = "ChuKyCoQuanTepKem"


@dataclass(frozen=True)
class Kind:
    """What differs between the signed documents: when one may be signed, how its PDF is made, whose block it is."""

    refusal: str  # why a document not in force is not signed
    in_force: object  # document -> bool
    block: object  # document -> (authority line as printed, signer's name)
    number: object  # document -> its number
    render: object = None  # document -> PDF bytes (None: made when issued, must be there)
    seals: bool = True  # has the "Đóng dấu số" step


def _decision_block(decision):
    return decision.authority_lines[-1], decision.signer_name


def _minutes_block(minutes):
    return _("CHỦ TỌA"), minutes.meeting.chair.person.full_name


def _proposal_pdf(proposal):
    # the documents module renders with WeasyPrint: loaded only when a tờ trình is signed
    from . import documents

    related = ("round", "person", "person__unit", "unit", "title", "form", "submission__unit")
    lines = list(proposal.lines.select_related(*(f"nomination__{name}" for name in related)).order_by("position", "pk"))
    return documents.proposal_pdf(proposal, lines=lines)


def _minutes_pdf(minutes):
    # the minutes (their document and summary) and WeasyPrint are loaded only when minutes are signed
    from tdkt.documents import render_pdf

    # as above: only when minutes are signed
    from .minutes import minutes_document
    from .selectors import meeting_summary

    return render_pdf(minutes_document(meeting_summary(minutes.meeting)))


def tally_pdf(minutes):
    """The biên bản kiểm phiếu of the minutes' meeting (None without a secret ballot)."""
    # as above: the minutes module and WeasyPrint only when the vote count is printed
    from tdkt.documents import render_pdf

    # as above: only when the vote count is printed
    from .minutes import tally_document
    from .selectors import meeting_summary

    document = tally_document(meeting_summary(minutes.meeting))
    return render_pdf(document) if document is not None else None


def kind_of(document):
    if isinstance(document, Decision):
        return Kind(refusal=_("Chỉ ký số được quyết định đã ban hành và còn hiệu lực (không ký lại quyết định đã thu "
                              "hồi hay đã được thay thế)."),
                    in_force=lambda d: d.state == DecisionState.ISSUED, block=_decision_block, number=lambda d: d.number)
    if isinstance(document, Proposal):
        return Kind(refusal=_("Chỉ ký số được tờ trình đã trình (đã có số)."),
                    in_force=lambda p: p.state != ProposalState.DRAFT and bool(p.number), block=_decision_block,
                    number=lambda p: p.number, render=_proposal_pdf)
    if isinstance(document, MeetingMinutes):
        return Kind(refusal=_("Chỉ ký số được biên bản đã ban hành."), in_force=lambda m: bool(m.number),
                    block=_minutes_block, number=lambda m: m.number, render=_minutes_pdf, seals=False)
    raise TypeError(type(document))


def _read(field_file):
    with field_file.open("rb") as handle:
        return handle.read()


def _images():
    agency = agency_profile()
    signature = _read(agency.signature_image) if agency and agency.signature_image else None
    seal = _read(agency.seal_image) if agency and agency.seal_image else None
    return agency, signature, seal


def _boxes(document, pdf, agency, signature, seal):
    authority, name = kind_of(document).block(document)
    try:
        return signing.decree_boxes(pdf, authority=authority, signer_name=name,
                                    signature_png=signature, seal_png=seal, seal_mm=agency.seal_size_mm)
    except signing.SigningError as exc:
        raise ValidationError(str(exc)) from exc


def _sign(pdf, **kwargs):
    try:
        return signing.sign_pdf(pdf, **kwargs)
    except signing.SigningError as exc:
        raise ValidationError(str(exc)) from exc


def _stem(document):
    return kind_of(document).number(document).replace("/", "-")


def _store(document, pdf):
    old = document.pdf_signed.name if document.pdf_signed else ""
    storage = document.pdf_signed.storage
    document.pdf_signed.save(f"{_stem(document)}-ky-so.pdf", ContentFile(pdf), save=False)
    if old:
        transaction.on_commit(lambda: storage.delete(old))


# ---------------------------------------------------------------- checks

def in_force(step):
    document = step.obj
    kind = kind_of(document)
    if not kind.in_force(document):
        raise ValidationError(kind.refusal)
    if not document.pdf_unsigned and kind.render is None:
        raise ValidationError(_("Văn bản chưa có bản PDF để ký."))


def signature_image_present(step):
    agency = agency_profile()
    if agency is None or not agency.signature_image:
        raise ValidationError(_("Chưa có ảnh chữ ký của người ký: quản trị tải lên ở trang Thông tin cơ quan."))


def seal_image_present(step):
    agency = agency_profile()
    if agency is None or not agency.seal_image:
        raise ValidationError(_("Chưa có ảnh con dấu: quản trị tải lên ở trang Thông tin cơ quan."))


def signed_file_unchanged(step):
    """The file to seal still verifies: signed, intact, nothing changed after the signature."""
    document = step.obj
    if not document.pdf_signed:
        raise ValidationError(_("Chưa có bản đã ký số để đóng dấu."))
    try:
        reports = signing.verify_pdf(_read(document.pdf_signed), trust_roots=signing.trust_roots())
    except (signing.SigningError, signing.VerificationError) as exc:
        raise ValidationError(str(exc)) from exc
    if len(reports) != 1 or not reports[0].intact or reports[0].changed_after:
        raise ValidationError(_("Bản đã ký số không còn nguyên vẹn (đã bị thay đổi sau khi ký): không đóng dấu được. "
                                "Muốn thay đổi nội dung, hãy ban hành văn bản thay thế."))


# ---------------------------------------------------------------- the signatures

def _unsigned(document):
    """The unsigned PDF, rendered and stored once when the kind makes it at signing (kept in the record)."""
    if not document.pdf_unsigned:
        pdf = kind_of(document).render(document)
        document.pdf_unsigned.save(f"{_stem(document)}.pdf", ContentFile(pdf), save=False)
        return pdf
    return _read(document.pdf_unsigned)


def sign_as_signer(step):
    """“Ký số”: the director's key, the signature image between the authority line and the name."""
    document = step.obj
    agency, signature, seal = _images()
    pdf = _unsigned(document)
    boxes = _boxes(document, pdf, agency, signature, seal)
    signed = _sign(pdf, key=signing.configured_key("director"), field_name=SIGNER_FIELD, page=boxes.page,
                   box=boxes.signature, image_png=signature, reason=_("Ký ban hành"), location=agency.place_name)
    document.signed_subject, document.signed_serial = signing.last_signer(signed)
    document.signed_at = timezone.now()
    _store(document, signed)


def seal_as_agency(step):
    """“Đóng dấu số”: the agency's key, the seal image at its real size over the left third of the signature."""
    document = step.obj
    agency, signature, seal = _images()
    boxes = _boxes(document, _read(document.pdf_unsigned), agency, signature, seal)
    sealed = _sign(_read(document.pdf_signed), key=signing.configured_key("agency"), field_name=SEAL_FIELD,
                   page=boxes.page, box=boxes.seal, image_png=seal, reason=_("Đóng dấu số"),
                   location=agency.place_name)
    document.sealed_subject, document.sealed_serial = signing.last_signer(sealed)
    document.sealed_at = timezone.now()
    _store(document, sealed)


def sign_attachments(step):
    """The files that go with a signed document as separate files get the agency's signature at the top right of
    page 1, no image: “Số: …” and the signing time (ISO 8601, +07:00). For the minutes: the biên bản kiểm phiếu of
    the secret ballots (“Kèm theo Biên bản họp Hội đồng số …”), when the meeting had one."""
    minutes = step.obj
    if not minutes.tally_number:
        return
    pdf = tally_pdf(minutes)
    if pdf is None:
        return
    agency = agency_profile()
    signed = _sign(pdf, key=signing.configured_key("agency"), field_name=ATTACHMENT_FIELD, page=0,
                   box=signing.attachment_box(pdf), lines=signing.attachment_lines(minutes.tally_number, timezone.now()),
                   reason=_("Tệp đính kèm"), location=agency.place_name if agency else None)
    # the agency's certificate is recorded (and audited) as the minutes' agency signature: there is no seal step
    minutes.sealed_subject, minutes.sealed_serial = signing.last_signer(signed)
    minutes.sealed_at = timezone.now()
    old = minutes.tally_pdf_signed.name if minutes.tally_pdf_signed else ""
    storage = minutes.tally_pdf_signed.storage
    minutes.tally_pdf_signed.save(f"{minutes.tally_number.replace('/', '-')}-ky-so.pdf", ContentFile(signed), save=False)
    if old:
        transaction.on_commit(lambda: storage.delete(old))
