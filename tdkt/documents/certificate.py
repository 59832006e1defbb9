"""The giấy khen: one landscape A4 page per awarded person or unit, printed either on blank paper with the frame and
the printed words (quốc hiệu, who awards, "GIẤY KHEN"), or — on the agency's pre-printed form — the fields only, each at
the position the agency profile gives (mm from the sheet's top-left corner; x is the centre of the field's line).
Same fonts and stylesheet as the other documents (``static/css/document.css``, the ``certificate`` page)."""

from dataclasses import dataclass, field

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from ..exports.pdf import font_faces
from .model import _normalise
from .pdf import logger, missing_glyphs

FIELDS = ("name", "unit", "reason", "decision", "signer")
DEFAULT_POSITIONS = {"name": (148, 92), "unit": (148, 106), "reason": (148, 120), "decision": (72, 172), "signer": (215, 142)}


@dataclass
class Certificate:
    name: str  # the person, or the unit
    unit: str  # "Chuyên viên, Phòng Quản lý khoa học"
    reason: str  # "Đã có thành tích xuất sắc trong năm 2025"
    decision: str  # "Quyết định số 05/QĐ-SKHCN ngày 05/01/2026"
    place_date: str  # "Hưng Yên, ngày 05 tháng 01 năm 2026"
    authority: str  # "GIÁM ĐỐC"
    signer_name: str = ""
    awarded_by: str = ""  # printed with the frame: "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    title: str = "GIẤY KHEN"

    def __post_init__(self):
        _normalise(self)


@dataclass
class CertificateLayout:
    frame: bool = True  # blank paper: print the frame and the printed words; False: the pre-printed form
    positions: dict = field(default_factory=lambda: dict(DEFAULT_POSITIONS))

    @classmethod
    def of_agency(cls, agency, *, frame=None):
        """The layout kept in the agency profile (``cert_<field>_x/y``, ``cert_print_frame``); ``frame`` overrides."""
        if agency is None:
            return cls(frame=True if frame is None else frame)
        positions = {name: (getattr(agency, f"cert_{name}_x"), getattr(agency, f"cert_{name}_y")) for name in FIELDS}
        return cls(frame=agency.cert_print_frame if frame is None else frame, positions=positions)


def certificates_html(certificates, layout):
    fields = [{"name": name, "x": layout.positions[name][0], "y": layout.positions[name][1]} for name in FIELDS]
    return render_to_string("tdkt/documents/certificate.html", {
        "certificates": certificates, "layout": layout, "fields": fields, "fonts": font_faces()})


def render_certificates(certificates, layout=None):
    """One PDF of ``certificates`` (a page each)."""
    # Imported on the first document, not at start-up: WeasyPrint loads Pango and HarfBuzz (≈1 s, ≈40 MB).
    from weasyprint import HTML

    layout = layout or CertificateLayout()
    html = certificates_html(certificates, layout)
    missing = missing_glyphs(html)
    if missing:
        logger.warning("no glyph in the bundled fonts for %s in the certificates", "".join(missing))
    return HTML(string=html, base_url=str(finders.find("css/document.css"))).write_pdf()
