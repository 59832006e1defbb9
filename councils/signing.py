"""Digital signatures on issued decisions (issue 12): the hooks of the signing steps (``DECISION_SIGNING_WORKFLOW`` in
``councils/workflows.py``).

After issuing, the decision's PDF (``pdf_unsigned``, kept in the record) is signed twice, as Nghị định 30 describes:
"Ký số" adds the signer's visible signature (the blue image of the agency profile, centred between the authority line
and the name, found in the PDF by ``tdkt.signing.decree_boxes``) with the director's key; "Đóng dấu số" then adds the
agency's seal (the red image at its real size, over the left third of the signature) with the agency's key, in an
incremental update of the signed file (``pdf_signed``, what is downloaded). Each step records the certificate's
subject and serial on the decision (audited by the workflow). The annexed list is in the same file: covered.

A signed decision is never signed again: the steps only go forward, an issued decision is never edited, and the seal
is refused when the signed file no longer verifies (changed in storage). Changing it means a replacing decision,
which starts unsigned.
"""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from movements.api import agency_profile
from tdkt import signing

from .enums import DecisionState

SIGNER_FIELD = "ChuKyNguoiKy"
SEAL_FIELD = "ChuKyCoQuan"


def _read(field_file):
    with field_file.open("rb") as handle:
        return handle.read()


def _images():
    agency = agency_profile()
    signature = _read(agency.signature_image) if agency and agency.signature_image else None
    seal = _read(agency.seal_image) if agency and agency.seal_image else None
    return agency, signature, seal


def _boxes(decision, pdf, agency, signature, seal):
    try:
        return signing.decree_boxes(pdf, authority=decision.authority_lines[-1], signer_name=decision.signer_name,
                                    signature_png=signature, seal_png=seal, seal_mm=agency.seal_size_mm)
    except signing.SigningError as exc:
        raise ValidationError(str(exc)) from exc


def _sign(pdf, **kwargs):
    try:
        return signing.sign_pdf(pdf, **kwargs)
    except signing.SigningError as exc:
        raise ValidationError(str(exc)) from exc


def _store(decision, pdf):
    old = decision.pdf_signed.name if decision.pdf_signed else ""
    storage = decision.pdf_signed.storage
    decision.pdf_signed.save(f"{decision.number.replace('/', '-')}-ky-so.pdf", ContentFile(pdf), save=False)
    if old:
        transaction.on_commit(lambda: storage.delete(old))


# ---------------------------------------------------------------- checks

def in_force(step):
    decision = step.obj
    if decision.state != DecisionState.ISSUED:
        raise ValidationError(_("Chỉ ký số được quyết định đã ban hành và còn hiệu lực (không ký lại quyết định đã thu "
                                "hồi hay đã được thay thế)."))
    if not decision.pdf_unsigned:
        raise ValidationError(_("Quyết định chưa có bản PDF để ký."))


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
    decision = step.obj
    if not decision.pdf_signed:
        raise ValidationError(_("Chưa có bản đã ký số để đóng dấu."))
    try:
        reports = signing.verify_pdf(_read(decision.pdf_signed), trust_roots=signing.trust_roots())
    except (signing.SigningError, signing.VerificationError) as exc:
        raise ValidationError(str(exc)) from exc
    if len(reports) != 1 or not reports[0].intact or reports[0].changed_after:
        raise ValidationError(_("Bản đã ký số không còn nguyên vẹn (đã bị thay đổi sau khi ký): không đóng dấu được. "
                                "Muốn thay đổi nội dung, hãy ban hành quyết định thay thế."))


# ---------------------------------------------------------------- the signatures

def sign_as_signer(step):
    """“Ký số”: the director's key, the signature image between the authority line and the name."""
    decision = step.obj
    agency, signature, seal = _images()
    pdf = _read(decision.pdf_unsigned)
    boxes = _boxes(decision, pdf, agency, signature, seal)
    signed = _sign(pdf, key=signing.configured_key("director"), field_name=SIGNER_FIELD, page=boxes.page,
                   box=boxes.signature, image_png=signature, reason=_("Ký ban hành"), location=agency.place_name)
    decision.signed_subject, decision.signed_serial = signing.last_signer(signed)
    decision.signed_at = timezone.now()
    _store(decision, signed)


def seal_as_agency(step):
    """“Đóng dấu số”: the agency's key, the seal image at its real size over the left third of the signature."""
    decision = step.obj
    agency, signature, seal = _images()
    boxes = _boxes(decision, _read(decision.pdf_unsigned), agency, signature, seal)
    sealed = _sign(_read(decision.pdf_signed), key=signing.configured_key("agency"), field_name=SEAL_FIELD,
                   page=boxes.page, box=boxes.seal, image_png=seal, reason=_("Đóng dấu số"),
                   location=agency.place_name)
    decision.sealed_subject, decision.sealed_serial = signing.last_signer(sealed)
    decision.sealed_at = timezone.now()
    _store(decision, sealed)
