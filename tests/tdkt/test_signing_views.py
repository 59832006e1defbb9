"""The verification page "Kiểm tra chữ ký số": any logged-in user uploads a PDF and sees each signature."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import UserFactory

pytestmark = pytest.mark.integration

URL = "/kiem-tra-chu-ky/"


def upload(data, name="quyet-dinh.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def reader(db, client):
    client.force_login(UserFactory(role="council", username="bat-ky-ai"))
    return client


def test_anonymous_is_sent_to_login(client, db):
    answer = client.get(URL)
    assert answer.status_code == 302 and answer["Location"].startswith("/dang-nhap/")


def test_the_page_offers_an_upload(reader):
    html = reader.get(URL).content.decode()
    assert "Kiểm tra chữ ký số" in html and 'enctype="multipart/form-data"' in html and "Kết quả kiểm tra" not in html


def test_a_signed_decision_shows_both_signatures_valid(reader, signed, pki, settings):
    settings.TDKT_SIGN_TRUST_ROOTS = str(pki.root_pem)
    _boxes, pdf = signed
    html = reader.post(URL, {"file": upload(pdf)}).content.decode()
    assert "Kết quả kiểm tra: quyet-dinh.pdf" in html
    assert "Cả 2 chữ ký số đều hợp lệ: văn bản còn nguyên vẹn, chứng thư được tin cậy." in html
    assert "Chữ ký 1: Nguyễn Văn An" in html and "Chữ ký 2: Sở Khoa học và Công nghệ tỉnh Hưng Yên" in html
    assert html.count("CA Thử nghiệm TĐKT") == 2
    assert format(pki.director.cert.serial_number, "X") in html
    assert html.count('class="sig-report sig-ok"') == 2
    assert "(dấu thời gian)" in html


def test_without_trust_roots_nothing_is_trusted(reader, signed, settings):
    settings.TDKT_SIGN_TRUST_ROOTS = ""
    html = reader.post(URL, {"file": upload(signed[1])}).content.decode()
    assert "Có chữ ký số không hợp lệ" in html and "Chưa cấu hình chứng thư gốc tin cậy" in html
    assert html.count('class="sig-report sig-bad"') == 2


def test_a_changed_document_is_reported(reader, signed, pki, settings):
    settings.TDKT_SIGN_TRUST_ROOTS = str(pki.root_pem)
    pdf = bytearray(signed[1])
    pdf[pdf.index(b"stream", 2000) + 40] ^= 0x01
    html = reader.post(URL, {"file": upload(bytes(pdf))}).content.decode()
    assert "Có chữ ký số không hợp lệ" in html
    assert html.count("Không: nội dung đã ký bị sửa") == 2
    assert html.count("Chữ ký không khớp với nội dung: văn bản đã bị sửa sau khi ký") == 2


def test_an_unsigned_pdf_has_no_signature(reader, decree):
    html = reader.post(URL, {"file": upload(decree)}).content.decode()
    assert "Tệp này không có chữ ký số nào." in html


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"PK\x03\x04 not a pdf", "quyet-dinh.pdf", "Tệp “quyet-dinh.pdf” không phải PDF. Chỉ kiểm tra được chữ ký số trên tệp PDF."),
    (b"%PDF-1.7", "quyet-dinh.docx", "Tệp “quyet-dinh.docx” không phải PDF. Chỉ kiểm tra được chữ ký số trên tệp PDF."),
    (b"%PDF-1.7 rubbish", "hong.pdf", "Không đọc được tệp PDF (tệp hỏng hoặc không phải PDF)."),
])
def test_bad_files_get_a_clear_error(reader, data, name, message):
    html = reader.post(URL, {"file": upload(data, name)}).content.decode()
    assert message in html


def test_a_file_over_the_limit_is_refused(reader, settings, decree):
    settings.TDKT_SIGN_VERIFY_MAX_BYTES = 1000
    html = reader.post(URL, {"file": upload(decree)}).content.decode()
    assert "quá lớn" in html and "Kết quả kiểm tra" not in html


def test_a_missing_trust_bundle_is_a_clear_error(reader, signed, settings, tmp_path):
    settings.TDKT_SIGN_TRUST_ROOTS = str(tmp_path / "khong-co.pem")
    html = reader.post(URL, {"file": upload(signed[1])}).content.decode()
    assert "Không đọc được tệp chứng thư gốc tin cậy" in html


def test_the_link_is_in_every_page_header(reader):
    assert 'href="/kiem-tra-chu-ky/"' in reader.get("/").content.decode()
