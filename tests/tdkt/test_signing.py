"""The signing core (tdkt/signing): keys from the environment, two PAdES signatures in sequence on a rendered
decision, validated by pyHanko against a throwaway PKI; a changed byte is reported; the boxes sit where the decree
says; an attachment's stamp; PKCS#11 through a real SoftHSM token."""

import datetime as dt
import logging
import os
import shutil
import subprocess

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from tdkt import signing
from tdkt.signing import layout
from tdkt.signing.keys import KeyConfig, SigningError, configured_key
from tdkt.signing.pdf import attachment_lines, iso_time
from tests.factories import pki as P

pytestmark = pytest.mark.unit

SOFTHSM_MODULE = next((path for path in ("/usr/lib/softhsm/libsofthsm2.so",
                                          "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so") if os.path.exists(path)), None)


def pkcs12_key(party, name):
    return P.pkcs12_key(party, name)


def sign_both(pdf, pki, images, *, director_key=None):
    return P.sign_decree(pdf, pki, images=images, director_key=director_key)


def pyhanko_statuses(pdf, pki):
    import io

    reader = PdfFileReader(io.BytesIO(pdf))
    context = ValidationContext(trust_roots=pki.roots(), allow_fetching=False)
    return [validate_pdf_signature(embedded, context, ts_validation_context=context)
            for embedded in reader.embedded_signatures]


def test_two_signatures_in_sequence_are_intact_trusted_and_timestamped(signed, pki):
    _boxes, pdf = signed
    statuses = pyhanko_statuses(pdf, pki)
    assert [s.signing_cert.subject.native["common_name"] for s in statuses] == [
        "Nguyễn Văn An", "Sở Khoa học và Công nghệ tỉnh Hưng Yên"]
    for status in statuses:
        assert status.intact and status.valid and status.trusted
        assert status.timestamp_validity is not None
        assert status.timestamp_validity.intact and status.timestamp_validity.trusted
        assert status.bottom_line


def test_verify_pdf_reports_each_signature(signed, pki):
    _boxes, pdf = signed
    reports = signing.verify_pdf(pdf, trust_roots=pki.roots())
    assert [(r.field_name, r.signer, r.issuer, r.intact, r.trusted, r.changed_after) for r in reports] == [
        ("NguoiKy", "Nguyễn Văn An", "CA Thử nghiệm TĐKT", True, True, False),
        ("CoQuan", "Sở Khoa học và Công nghệ tỉnh Hưng Yên", "CA Thử nghiệm TĐKT", True, True, False),
    ]
    assert reports[0].serial == format(pki.director.cert.serial_number, "X")
    assert reports[1].serial == format(pki.agency.cert.serial_number, "X")
    assert all(r.valid for r in reports)
    assert reports[0].coverage == "Toàn bộ văn bản lúc ký; sau đó chỉ thêm chữ ký số"
    for report in reports:  # the timestamp was taken when it was signed (the fixture signs once per test session)
        assert abs(report.timestamp - report.signing_time) < dt.timedelta(minutes=1)
        assert report.timestamp <= dt.datetime.now(dt.UTC)


def test_untrusted_without_the_root(signed):
    _boxes, pdf = signed
    reports = signing.verify_pdf(pdf, trust_roots=[])
    assert [(r.intact, r.trusted, r.valid) for r in reports] == [(True, False, False), (True, False, False)]


def test_one_changed_byte_is_reported_as_broken(signed, pki):
    _boxes, pdf = signed
    changed = bytearray(pdf)
    position = pdf.index(b"stream", 2000) + 40  # inside the first revision's content, covered by both signatures
    changed[position] ^= 0x01
    reports = signing.verify_pdf(bytes(changed), trust_roots=pki.roots())
    assert [(r.intact, r.valid, r.changed_after) for r in reports] == [(False, False, True), (False, False, True)]
    assert reports[0].coverage == "Chữ ký không khớp với nội dung: văn bản đã bị sửa sau khi ký"
    statuses = pyhanko_statuses(bytes(changed), pki)
    assert [s.intact for s in statuses] == [False, False]


def test_a_change_appended_after_signing_is_reported(signed, pki):
    """An incremental update that is not a signature (here: the page's content replaced) is a change after signing."""
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    _boxes, pdf = signed
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = writer.root["/Pages"]["/Kids"][0]
    stream = generic.StreamObject(stream_data=b"BT /F1 30 Tf 100 700 Td (THAY DOI) Tj ET")
    page["/Contents"] = writer.add_object(stream)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    reports = signing.verify_pdf(out.getvalue(), trust_roots=pki.roots())
    assert [(r.intact, r.changed_after, r.valid) for r in reports] == [(True, True, False), (True, True, False)]
    assert reports[1].coverage == "Văn bản đã bị thay đổi sau khi ký"


def test_not_a_pdf_is_a_clear_error():
    with pytest.raises(signing.VerificationError, match="Không đọc được tệp PDF"):
        signing.verify_pdf(b"%PDF-1.7 rubbish", trust_roots=[])


def test_an_unsigned_pdf_has_no_signature(decree):
    assert signing.verify_pdf(decree, trust_roots=[]) == []


# ---------------------------------------------------------------- where the signatures go

def text_line(pdf, text):
    lines = [line for line in signing.find_lines(pdf) if line.text == text.casefold()]
    assert len(lines) == 1, lines
    return lines[0]


def test_the_signer_block_is_found_by_its_text_and_measured(decree):
    auth = text_line(decree, P.DECREE_AUTHORITY)
    name = text_line(decree, P.DECREE_SIGNER)
    assert (auth.page, name.page) == (2, 2)  # the block ends the main text; page 4 (index 3) is the annex
    # Both lines are centred in the signer column: the measured widths put their centres together.
    assert abs(auth.centre - name.centre) < 1.5
    assert 60 < name.x1 - name.x0 < 120  # "Nguyễn Văn An" in 13 pt bold is ≈ 88 pt wide
    assert 25 * layout.MM < auth.baseline - name.baseline < 45 * layout.MM


def test_signature_field_rectangles_are_where_the_decree_says(signed, decree, images):
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    boxes, pdf = signed
    auth, name = text_line(decree, P.DECREE_AUTHORITY), text_line(decree, P.DECREE_SIGNER)
    reader = PdfFileReader(io.BytesIO(pdf))
    page = reader.root["/Pages"]["/Kids"][2]
    rects = {str(a["/T"]): [float(v) for v in a["/Rect"]] for a in (x.get_object() for x in page["/Annots"])}
    sig, seal = rects["NguoiKy"], rects["CoQuan"]
    assert sig == pytest.approx(list(boxes.signature), abs=0.01)
    assert seal == pytest.approx(list(boxes.seal), abs=0.01)
    # The signature: centred under the name, between the authority line and the name.
    assert (sig[0] + sig[2]) / 2 == pytest.approx(name.centre, abs=0.5)
    assert sig[3] < auth.bottom and sig[1] > name.top
    assert (sig[1] + sig[3]) / 2 == pytest.approx((auth.bottom + name.top) / 2, abs=0.5)
    # Its proportions are the image's (600 × 260).
    assert (sig[2] - sig[0]) / (sig[3] - sig[1]) == pytest.approx(600 / 260, rel=0.01)
    # The seal: its real size (36 mm), its right edge a third into the signature, centred on it vertically.
    assert seal[2] - seal[0] == pytest.approx(36 * layout.MM, abs=0.05)
    assert seal[3] - seal[1] == pytest.approx(36 * layout.MM, abs=0.05)
    assert seal[2] == pytest.approx(sig[0] + (sig[2] - sig[0]) / 3, abs=0.05)
    assert (seal[1] + seal[3]) / 2 == pytest.approx((sig[1] + sig[3]) / 2, abs=0.05)
    assert "/Annots" not in reader.root["/Pages"]["/Kids"][3]  # nothing on the annex


def test_a_missing_signer_block_is_a_clear_error(decree):
    with pytest.raises(SigningError, match="Không tìm thấy khối chữ ký"):
        signing.decree_boxes(decree, authority="GIÁM ĐỐC SỞ", signer_name="Người Khác")


def test_an_attachment_gets_the_agency_signature_at_the_top_right_with_number_and_time(decree, pki):
    import io

    moment = dt.datetime(2026, 12, 1, 10, 5, 9, tzinfo=dt.UTC)
    box = signing.attachment_box(decree)
    assert box == pytest.approx((595.28 - 15 * layout.MM - 80 * layout.MM, 841.89 - 7 * layout.MM - 11 * layout.MM,
                                 595.28 - 15 * layout.MM, 841.89 - 7 * layout.MM), abs=0.02)
    lines = attachment_lines("12/QĐ-SKHCN", moment)
    assert lines == ["Số: 12/QĐ-SKHCN", "Thời gian ký: 2026-12-01T17:05:09+07:00"]
    pdf = signing.sign_pdf(decree, key=pkcs12_key(pki.agency, "agency"), field_name="CoQuan", page=0, box=box,
                           lines=lines, timestamper=pki.timestamper(), roots=pki.roots())
    [report] = signing.verify_pdf(pdf, trust_roots=pki.roots())
    assert (report.signer, report.valid) == ("Sở Khoa học và Công nghệ tỉnh Hưng Yên", True)
    # The appearance holds the text, in Tinos (Times-metric) 10 pt.
    reader = PdfFileReader(io.BytesIO(pdf))
    annot = reader.root["/Pages"]["/Kids"][0]["/Annots"][0].get_object()
    assert [float(v) for v in annot["/Rect"]] == pytest.approx(list(box), abs=0.01)
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    assert "Số: 12/QĐ-SKHCN" in text and "Thời gian ký: 2026-12-01T17:05:09+07:00" in text


def test_iso_time_is_vietnam_time():
    assert iso_time(dt.datetime(2026, 1, 5, 23, 30, tzinfo=dt.UTC)) == "2026-01-06T06:30:00+07:00"


# ---------------------------------------------------------------- keys and secrets

def test_keys_come_from_the_settings(settings):
    settings.TDKT_SIGNING_KEYS = {"agency": {"pkcs11_module": "/usr/lib/x.so", "pkcs11_token": "SO",
                                             "pkcs11_key_label": "seal", "pkcs11_pin": "123456"}}
    key = configured_key("agency")
    assert (key.kind, key.pkcs11_token, key.pkcs11_key_label, key.pkcs11_pin) == ("pkcs11", "SO", "seal", "123456")
    assert "123456" not in repr(key) and "123456" not in str(key)
    assert configured_key("director").configured is False


def test_an_unconfigured_key_is_a_clear_error(decree):
    with pytest.raises(SigningError, match="Chưa cấu hình khóa ký"):
        signing.sign_pdf(decree, key=KeyConfig("director"), field_name="X", page=0, box=(0, 0, 10, 10), roots=[])


def test_a_wrong_passphrase_is_not_logged(decree, pki, caplog):
    caplog.set_level(logging.DEBUG)
    secret = "sai-mat-khau-bi-mat-987"
    key = KeyConfig("director", pkcs12_path=str(pki.director.p12), pkcs12_passphrase=secret)
    with pytest.raises(SigningError, match="tệp PKCS#12 hoặc mật khẩu không đúng") as error:
        signing.sign_pdf(decree, key=key, field_name="X", page=0, box=(0, 0, 10, 10), roots=[])
    assert secret not in caplog.text and secret not in str(error.value)
    assert "director" in caplog.text


def test_a_successful_signing_logs_no_secret(decree, pki, images, caplog):
    caplog.set_level(logging.DEBUG)
    sign_both(decree, pki, images)
    assert P.PASSPHRASE not in caplog.text


def test_trust_roots_are_read_from_the_pem_bundle(pki, settings):
    settings.TDKT_SIGN_TRUST_ROOTS = str(pki.root_pem)
    [root] = signing.trust_roots()
    assert root.subject.native["common_name"] == "CA Thử nghiệm TĐKT"
    settings.TDKT_SIGN_TRUST_ROOTS = ""
    assert signing.trust_roots() == []


# ---------------------------------------------------------------- PKCS#11 for real (SoftHSM)

@pytest.fixture
def softhsm_token(tmp_path, pki, monkeypatch):
    """A SoftHSM token in a temp dir holding the director's key and certificate (label "giam-doc")."""
    if not shutil.which("softhsm2-util") or SOFTHSM_MODULE is None:
        pytest.skip("softhsm2 is not installed (apt-get install softhsm2; .ci/run installs it)")
    tokens = tmp_path / "tokens"
    tokens.mkdir()
    config = tmp_path / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(config))
    pin, so_pin, label = "246810", "13579135", "TDKT-THU"

    def util(*args):
        subprocess.run(["softhsm2-util", *args], check=True, capture_output=True, env={**os.environ})

    util("--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", so_pin)
    util("--import", str(pki.director.key_pem), "--token", label, "--label", "giam-doc", "--id", "01", "--pin", pin)
    # No pkcs11-tool here: the certificate goes onto the token with python-pkcs11.
    import pkcs11
    from cryptography.hazmat.primitives import serialization
    from pkcs11 import Attribute, CertificateType, ObjectClass

    lib = pkcs11.lib(SOFTHSM_MODULE)
    token = lib.get_token(token_label=label)
    cert = pki.director.cert
    with token.open(rw=True, user_pin=pin) as session:
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True, Attribute.LABEL: "giam-doc", Attribute.ID: b"\x01",
            Attribute.SUBJECT: cert.subject.public_bytes(), Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
        })
    return KeyConfig("director", pkcs11_module=SOFTHSM_MODULE, pkcs11_token=label, pkcs11_key_label="giam-doc",
                     pkcs11_pin=pin)


def test_signing_through_pkcs11_on_a_softhsm_token(softhsm_token, decree, pki, images, caplog):
    caplog.set_level(logging.DEBUG)
    _boxes, pdf = sign_both(decree, pki, images, director_key=softhsm_token)
    reports = signing.verify_pdf(pdf, trust_roots=pki.roots())
    assert [(r.signer, r.intact, r.trusted, r.changed_after) for r in reports] == [
        ("Nguyễn Văn An", True, True, False), ("Sở Khoa học và Công nghệ tỉnh Hưng Yên", True, True, False)]
    assert reports[0].serial == format(pki.director.cert.serial_number, "X")
    assert softhsm_token.pkcs11_pin not in caplog.text


def test_a_wrong_pin_is_a_clear_error_and_not_logged(softhsm_token, decree, caplog):
    import dataclasses

    caplog.set_level(logging.DEBUG)
    key = dataclasses.replace(softhsm_token, pkcs11_pin="999999")
    with pytest.raises(SigningError, match="kiểm tra token đã cắm, nhãn token và mã PIN") as error:
        signing.sign_pdf(decree, key=key, field_name="X", page=0, box=(0, 0, 10, 10), roots=[])
    assert "999999" not in caplog.text and "999999" not in str(error.value)
