"""Signing a PDF (one PAdES signature at a time) and verifying every signature of one.

:func:`sign_pdf` adds one visible signature in an incremental update, so the signatures before it stay valid:
the director signs first ("Ký số"), the agency then adds its seal ("Đóng dấu số"). PAdES baseline (``ETSI.CAdES
.detached``, SHA-256), with the certificate chain and, when trust roots are configured, the validation information
(chain, revocation data that can be had) embedded; a timestamp from the TSA at ``TDKT_SIGN_TSA_URL`` when set (a
``timestamper`` object may be given instead: the tests use pyHanko's offline ``DummyTimeStamper``).
"""

import contextlib
import datetime as dt
import html
import io
import logging
import os
import tempfile
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from .keys import KeyConfig, SigningError, open_signer, trust_roots

logger = logging.getLogger(__name__)

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
FONT_DIR = settings.BASE_DIR / "static" / "fonts"


def iso_time(moment):
    """ISO 8601 in Vietnam time, to the second: ``2026-12-01T17:30:05+07:00``."""
    return moment.astimezone(VIETNAM).replace(microsecond=0).isoformat()


def attachment_lines(number, moment):
    return [_("Số: %(number)s") % {"number": number}, _("Thời gian ký: %(time)s") % {"time": iso_time(moment)}]


def _text_stamp_pdf(lines, box):
    """A one-page PDF the size of ``box`` with ``lines`` right-aligned in Times 10 pt (Tinos, metric-compatible):
    the appearance of a text-only signature (pyHanko's own text stamps have no Vietnamese glyphs)."""
    import weasyprint  # only the text stamp needs the renderer

    width, height = box[2] - box[0], box[3] - box[1]
    body = "<br>".join(html.escape(line) for line in lines)
    page = (f"<html><head><style>@font-face{{font-family:Tinos;src:url('{(FONT_DIR / 'Tinos-Regular.ttf').as_uri()}')}}"
            f"@page{{size:{width:.2f}pt {height:.2f}pt;margin:0}}"
            "body{margin:0;font-family:Tinos;font-size:10pt;line-height:1.15;text-align:right;color:#000}"
            f"</style></head><body>{body}</body></html>")
    return weasyprint.HTML(string=page).write_pdf()


@contextlib.contextmanager
def _stamp_style(image_png, lines, box):
    from pyhanko.stamp import StaticStampStyle  # pyHanko is loaded only when something is signed

    if image_png:
        from PIL import Image  # as above
        from pyhanko.pdf_utils.images import PdfImage  # as above

        yield StaticStampStyle(background=PdfImage(Image.open(io.BytesIO(image_png))), border_width=0)
        return
    if lines:
        handle, path = tempfile.mkstemp(suffix=".pdf")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(_text_stamp_pdf(lines, box))
            yield StaticStampStyle.from_pdf_file(path, border_width=0)
        finally:
            os.unlink(path)
        return
    yield None


def _timestamper(timestamp_url, timestamper):
    if timestamper is not None:
        return timestamper
    url = timestamp_url if timestamp_url is not None else getattr(settings, "TDKT_SIGN_TSA_URL", "")
    if not url:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper  # only with a TSA configured

    return HTTPTimeStamper(url, timeout=10)


def sign_pdf(pdf_bytes, *, key, field_name, page, box, image_png=None, lines=None, reason=None, location=None,
             timestamp_url=None, timestamper=None, roots=None):
    """``pdf_bytes`` with one more visible signature (an incremental update; the earlier ones stay valid).

    ``key``: a :class:`~tdkt.signing.keys.KeyConfig` (opened and closed here) or an open pyHanko ``Signer``;
    ``page``: 0-based; ``box``: (x1, y1, x2, y2) in points from the bottom left; ``image_png``: the visible image
    (transparent PNG) or ``lines``: text printed instead (Times 10 pt); ``timestamp_url``: a TSA (default
    ``TDKT_SIGN_TSA_URL``; empty: no timestamp) unless a ``timestamper`` is given; ``roots``: trust roots for the
    embedded validation information (default: ``TDKT_SIGN_TRUST_ROOTS``).
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # pyHanko: only when signing
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator import ValidationContext

    roots = trust_roots() if roots is None else roots
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason, location=location,
        embed_validation_info=bool(roots),
        # The chain's revocation data is fetched (OCSP/CRL named in the certificates) to be embedded: PAdES B-LT.
        validation_context=ValidationContext(trust_roots=roots, allow_fetching=True) if roots else None,
    )
    opened = open_signer(key) if isinstance(key, KeyConfig) else contextlib.nullcontext(key)
    try:
        with opened as signer, _stamp_style(image_png, lines, box) as style:
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
            fields.append_signature_field(writer, fields.SigFieldSpec(field_name, on_page=page, box=tuple(box)))
            pdf_signer = signers.PdfSigner(meta, signer, timestamper=_timestamper(timestamp_url, timestamper),
                                           stamp_style=style)
            out = pdf_signer.sign_pdf(writer, output=io.BytesIO())
            return out.getvalue()
    except SigningError:
        raise
    except Exception as exc:
        logger.warning("signing failed: field %s, key %s (%s: %s)", field_name, key, type(exc).__name__, exc)
        raise SigningError(_("Không ký được văn bản: %(error)s") % {"error": type(exc).__name__}) from exc


# ---------------------------------------------------------------- verification

class VerificationError(Exception):
    """The file is not a PDF that can be read; the message is for the user."""


@dataclass(frozen=True)
class SignatureReport:
    field_name: str
    signer: str  # the certificate's subject (common name, organisation)
    subject: str  # the whole subject
    issuer: str
    serial: str  # hex
    signing_time: dt.datetime | None  # as the signer claims it
    timestamp: dt.datetime | None  # from a trusted timestamp, when there is one
    intact: bool  # the signed bytes are unchanged and the signature matches them
    trusted: bool  # the certificate chains to a configured trust root, and is fit for signing
    covers_whole_file: bool
    changed_after: bool  # something other than later signatures / validation data was added after it
    coverage: str  # what the signature covers, in words
    summary: str  # pyHanko's one-line summary

    @property
    def valid(self):
        return self.intact and self.trusted and not self.changed_after


SUBJECT_ORDER = ("common_name", "organizational_unit_name", "organization_name", "locality_name",
                 "state_or_province_name", "country_name")


def subject_text(name):
    """A certificate's name as its values, most specific first: "Nguyễn Văn An, Sở Khoa học và Công nghệ, VN"."""
    native = name.native
    values = []
    for attribute in SUBJECT_ORDER:
        value = native.get(attribute)
        values += value if isinstance(value, list) else [value] if value else []
    return ", ".join(values) or name.human_friendly


def _name(name):
    for attribute in ("common_name", "organization_name"):
        value = name.native.get(attribute)
        if value:
            return value if isinstance(value, str) else ", ".join(value)
    return name.human_friendly


def verify_pdf(pdf_bytes, *, trust_roots):
    """One :class:`SignatureReport` per signature of the document, in signing order. Offline: no fetching of
    certificates or revocation data (the page answers at once whatever the network)."""
    from pyhanko.pdf_utils.reader import PdfFileReader  # pyHanko: only when verifying
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature  # as above
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception as exc:
        raise VerificationError(_("Không đọc được tệp PDF (tệp hỏng hoặc không phải PDF).")) from exc
    reports = []
    for embedded in signatures:
        context = ValidationContext(trust_roots=list(trust_roots), allow_fetching=False, revocation_mode="soft-fail")
        cert = embedded.signer_cert
        try:
            status = validate_pdf_signature(embedded, context, ts_validation_context=context)
        except Exception as exc:  # noqa: BLE001  (a mangled signature is reported as broken, not as a crash)
            logger.info("signature %s could not be validated (%s)", embedded.field_name, type(exc).__name__)
            reports.append(SignatureReport(
                field_name=embedded.field_name, signer=_name(cert.subject) if cert else "", subject=subject_text(cert.subject) if cert else "",
                issuer=_name(cert.issuer) if cert else "", serial=format(cert.serial_number, "X") if cert else "",
                signing_time=None, timestamp=None, intact=False, trusted=False, covers_whole_file=False,
                changed_after=True, coverage=_("Không kiểm tra được chữ ký"), summary=type(exc).__name__))
            continue
        whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        level = status.modification_level
        only_signatures = level is not None and level <= ModificationLevel.FORM_FILLING and status.docmdp_ok is not False
        intact = bool(status.intact and status.valid)
        changed = not intact or (not whole and not (status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
                                                    and only_signatures))
        if not intact:
            coverage = _("Chữ ký không khớp với nội dung: văn bản đã bị sửa sau khi ký")
        elif whole:
            coverage = _("Toàn bộ tệp")
        elif not changed:
            coverage = _("Toàn bộ văn bản lúc ký; sau đó chỉ thêm chữ ký số")
        else:
            coverage = _("Văn bản đã bị thay đổi sau khi ký")
        timestamp = status.timestamp_validity.timestamp if status.timestamp_validity is not None else None
        reports.append(SignatureReport(
            field_name=embedded.field_name,
            signer=_name(status.signing_cert.subject), subject=subject_text(status.signing_cert.subject),
            issuer=_name(status.signing_cert.issuer), serial=format(status.signing_cert.serial_number, "X"),
            signing_time=status.signer_reported_dt, timestamp=timestamp,
            intact=intact, trusted=bool(status.trusted),
            covers_whole_file=whole, changed_after=changed, coverage=str(coverage), summary=status.summary(),
        ))
    return reports


def last_signer(pdf_bytes):
    """(subject, serial in hex) of the certificate of the document's last signature: what the audit records."""
    from pyhanko.pdf_utils.reader import PdfFileReader  # pyHanko: only when signing

    embedded = PdfFileReader(io.BytesIO(pdf_bytes), strict=False).embedded_signatures[-1]
    cert = embedded.signer_cert
    return subject_text(cert.subject), format(cert.serial_number, "X")
