"""A throwaway PKI for signing tests, built with ``cryptography``: a root CA, the director's personal certificate and
the agency's certificate (both with non-repudiation, which a signing certificate needs to be trusted), a timestamp
authority for pyHanko's offline ``DummyTimeStamper``, PKCS#12 files, and the two transparent PNG images (a blue
handwritten signature, a red round seal)."""

import datetime as dt
import io
import math
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSPHRASE = "mat-khau-p12-thu"


@dataclass
class Party:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    p12: Path
    key_pem: Path
    cert_pem: Path


@dataclass
class Pki:
    root: x509.Certificate
    root_pem: Path
    director: Party
    agency: Party
    tsa_key: rsa.RSAPrivateKey
    tsa_cert: x509.Certificate

    def timestamper(self):
        from asn1crypto import keys as asn1_keys  # the test helper loads pyHanko only when a test asks
        from asn1crypto import x509 as asn1_x509
        from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

        return DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(self.tsa_cert.public_bytes(serialization.Encoding.DER)),
            tsa_key=asn1_keys.PrivateKeyInfo.load(self.tsa_key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())))

    def roots(self):
        from asn1crypto import x509 as asn1_x509  # as above

        return [asn1_x509.Certificate.load(self.root.public_bytes(serialization.Encoding.DER))]


def _name(common, org="Sở Khoa học và Công nghệ tỉnh Hưng Yên"):
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _cert(subject, key, issuer, issuer_key, *, ca=False, eku=None, serial=None):
    now = dt.datetime.now(dt.UTC)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
               .serial_number(serial or x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    if not ca:
        builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                                        critical=False)
    usage = dict(digital_signature=not ca, content_commitment=not ca and eku is None, key_encipherment=False,
                 data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                 encipher_only=False, decipher_only=False)
    builder = builder.add_extension(x509.KeyUsage(**usage), critical=True)
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


def _party(folder, stem, common, root, root_key, org=None):
    key = _key()
    cert = _cert(_name(common, *(org and [org] or [])), key, root.subject, root_key)
    p12 = folder / f"{stem}.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        stem.encode(), key, cert, [root], serialization.BestAvailableEncryption(PASSPHRASE.encode())))
    key_pem = folder / f"{stem}.key.pem"
    key_pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    cert_pem = folder / f"{stem}.cert.pem"
    cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return Party(key, cert, p12, key_pem, cert_pem)


def build_pki(folder):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    root_key = _key()
    root_name = _name("CA Thử nghiệm TĐKT", "Tổ chức chứng thực thử nghiệm")
    root = _cert(root_name, root_key, root_name, root_key, ca=True)
    root_pem = folder / "roots.pem"
    root_pem.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    director = _party(folder, "director", "Nguyễn Văn An", root, root_key)
    agency = _party(folder, "agency", "Sở Khoa học và Công nghệ tỉnh Hưng Yên", root, root_key)
    tsa_key = _key()
    tsa_cert = _cert(_name("TSA Thử nghiệm", "Tổ chức chứng thực thử nghiệm"), tsa_key, root.subject, root_key,
                     eku=[ExtendedKeyUsageOID.TIME_STAMPING])
    return Pki(root, root_pem, director, agency, tsa_key, tsa_cert)


# ---------------------------------------------------------------- images

def signature_png(width=600, height=260):
    """A blue handwritten-looking signature on a transparent background."""
    from PIL import Image, ImageDraw  # Pillow: only tests that draw images

    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points = [(40 + x, height / 2 + 70 * math.sin(x / 38) * math.cos(x / 130)) for x in range(0, width - 80, 4)]
    draw.line(points, fill=(20, 50, 190, 255), width=9, joint="curve")
    draw.line([(60, height - 60), (width - 60, height - 80)], fill=(20, 50, 190, 255), width=7)
    return _png(image)


def seal_png(size=500):
    """A red round seal (two rings and a star) on a transparent background."""
    from PIL import Image, ImageDraw  # as above

    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    red = (220, 20, 30, 235)
    draw.ellipse((6, 6, size - 6, size - 6), outline=red, width=16)
    draw.ellipse((90, 90, size - 90, size - 90), outline=red, width=8)
    c, r = size / 2, size / 7
    star = [(c + (r if i % 2 == 0 else r / 2.5) * math.sin(i * math.pi / 5),
             c - (r if i % 2 == 0 else r / 2.5) * math.cos(i * math.pi / 5)) for i in range(10)]
    draw.polygon(star, fill=red)
    return _png(image)


def opaque_png(width=120, height=60):
    from PIL import Image  # as above

    return _png(Image.new("RGB", (width, height), (255, 255, 255)))


def _png(image):
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


# ---------------------------------------------------------------- a decision-like document

DECREE_AUTHORITY = "PHÓ GIÁM ĐỐC"
DECREE_SIGNER = "Nguyễn Văn An"


def decree_html(pages=2, annex=True):
    """A decision laid out like Nghị định 30 (header, căn cứ, articles, signer block, nơi nhận), its list running over
    ``pages`` pages, then an annex page."""
    rows = "".join(f"<tr><td>{i}</td><td>Ông Trần Văn Bình {i}</td><td>Phòng Quản lý khoa học</td></tr>"
                   for i in range(1, 1 + max(0, pages - 2) * 37 + 30))
    annex_part = ("<div class='annex'><p class='c b'>Phụ lục</p><p class='c b'>DANH SÁCH CÁ NHÂN ĐƯỢC KHEN THƯỞNG</p>"
                  "<p>Nội dung phụ lục.</p></div>") if annex else ""
    return f"""<html><head><style>
@font-face {{ font-family: Tinos; src: url('static/fonts/Tinos-Regular.ttf'); }}
@font-face {{ font-family: Tinos; font-weight: bold; src: url('static/fonts/Tinos-Bold.ttf'); }}
@font-face {{ font-family: Tinos; font-style: italic; src: url('static/fonts/Tinos-Italic.ttf'); }}
@page {{ size: A4; margin: 20mm 15mm 20mm 30mm; }}
body {{ font-family: Tinos; font-size: 13pt; }}
.c {{ text-align: center; }} .b {{ font-weight: bold; }}
.head {{ display: flex; justify-content: space-between; }} .head div {{ text-align: center; }}
table {{ width: 100%; border-collapse: collapse; }} td {{ border: 0.5pt solid #000; padding: 2pt 4pt; }}
.end {{ display: flex; justify-content: space-between; margin-top: 12pt; break-inside: avoid; }}
.recipients {{ width: 50%; font-size: 11pt; }} .signer {{ width: 45%; text-align: center; }}
.space {{ height: 30mm; }} .annex {{ break-before: page; }}
</style></head><body>
<div class="head"><div>UBND TỈNH HƯNG YÊN<br><b>SỞ KHOA HỌC VÀ CÔNG NGHỆ</b><br>Số: 12/QĐ-SKHCN</div>
<div><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><b>Độc lập - Tự do - Hạnh phúc</b><br>
<i>Hưng Yên, ngày 01 tháng 12 năm 2026</i></div></div>
<p class="c b">QUYẾT ĐỊNH<br>Về việc tặng Giấy khen</p>
<p>Điều 1. Tặng Giấy khen của Giám đốc Sở cho các cá nhân có tên sau:</p>
<table>{rows}</table>
<p>Điều 2. Chánh Văn phòng Sở và các cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.</p>
<div class="end"><div class="recipients"><b><i>Nơi nhận:</i></b><br>- Như Điều 2;<br>- Lưu: VT, VP.</div>
<div class="signer"><b>KT. GIÁM ĐỐC<br>{DECREE_AUTHORITY}</b><div class="space"></div><b>{DECREE_SIGNER}</b></div></div>
{annex_part}
</body></html>"""


def decree_pdf(pages=2, annex=True):
    import weasyprint  # only tests that render a document
    from django.conf import settings

    return weasyprint.HTML(string=decree_html(pages, annex), base_url=str(settings.BASE_DIR) + "/").write_pdf()


def pkcs12_key(party, name):
    from tdkt.signing import KeyConfig  # the core, loaded by the tests that sign

    return KeyConfig(name, pkcs12_path=str(party.p12), pkcs12_passphrase=PASSPHRASE)


def sign_decree(pdf, pki, *, director_key=None, agency_key=None, images=None):
    """``pdf`` (from :func:`decree_pdf`) signed by the director, then sealed by the agency, both timestamped offline.
    Returns (boxes, signed bytes)."""
    from tdkt import signing  # as above

    signature, seal = images or (signature_png(), seal_png())
    boxes = signing.decree_boxes(pdf, authority=DECREE_AUTHORITY, signer_name=DECREE_SIGNER,
                                 signature_png=signature, seal_png=seal)
    once = signing.sign_pdf(pdf, key=director_key or pkcs12_key(pki.director, "director"), field_name="NguoiKy",
                            page=boxes.page, box=boxes.signature, image_png=signature, reason="Ký ban hành",
                            location="Hưng Yên", timestamper=pki.timestamper(), roots=pki.roots())
    twice = signing.sign_pdf(once, key=agency_key or pkcs12_key(pki.agency, "agency"), field_name="CoQuan",
                             page=boxes.page, box=boxes.seal, image_png=seal, reason="Đóng dấu",
                             timestamper=pki.timestamper(), roots=pki.roots())
    return boxes, twice


def configure_signing(settings, pki, tsa_url=""):
    """Point the settings at the throwaway PKI: both keys as PKCS#12 files, its root as the trust bundle."""
    settings.TDKT_SIGNING_KEYS = {
        "director": {"pkcs12_path": str(pki.director.p12), "pkcs12_passphrase": PASSPHRASE},
        "agency": {"pkcs12_path": str(pki.agency.p12), "pkcs12_passphrase": PASSPHRASE},
    }
    settings.TDKT_SIGN_TRUST_ROOTS = str(pki.root_pem)
    settings.TDKT_SIGN_TSA_URL = tsa_url


def agency_images(profile, signature=None, seal=None):
    """Store the signature and seal images on the agency profile (as the admin's upload would)."""
    from django.core.files.base import ContentFile  # only tests that sign decisions

    profile.signature_image.save("chu-ky.png", ContentFile(signature or signature_png()), save=False)
    profile.seal_image.save("con-dau.png", ContentFile(seal or seal_png()), save=False)
    profile.save()
    return profile
