"""Digital signatures of an issued decision (issue 12): “Ký số” then “Đóng dấu số”, the workflow's steps after issuing,
through the views and the services; the signed file replaces the unsigned one for download; each signature audited."""

import datetime
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfReader

from councils import services
from councils.enums import ProposalState, SignatureState
from councils.models import Proposal
from councils.signing import ATTACHMENT_FIELD, SEAL_FIELD, SIGNER_FIELD
from tdkt import signing
from tdkt.models import AuditEvent
from tests.factories import UserFactory
from tests.factories import pki as P
from tests.factories.councils import vetted
from tests.factories.decisions import agency, issued_decision, sent_proposal

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return P.build_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(autouse=True)
def _signing(settings, tmp_path, pki):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    P.configure_signing(settings, pki)


@pytest.fixture
def decision(office, unit_a):
    decision = issued_decision(office=office, nominations=vetted(3, unit=unit_a))
    P.agency_images(agency())
    return decision


def read(field_file):
    with field_file.open("rb") as handle:
        return handle.read()


def test_sign_then_seal(decision, office, pki, django_capture_on_commit_callbacks):
    unsigned = read(decision.pdf_unsigned)
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.decision_sign(actor=office, decision=decision)
    assert decision.signature_state == SignatureState.SIGNED
    [report] = signing.verify_pdf(read(decision.pdf_signed), trust_roots=pki.roots())
    assert (report.field_name, report.signer, report.valid) == (SIGNER_FIELD, "Nguyễn Văn An", True)
    assert decision.signed_serial == format(pki.director.cert.serial_number, "X")
    assert "Nguyễn Văn An" in decision.signed_subject
    first_file = decision.pdf_signed.name
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.decision_seal(actor=office, decision=decision)
    decision.refresh_from_db()
    assert decision.signature_state == SignatureState.SEALED
    reports = signing.verify_pdf(read(decision.pdf_signed), trust_roots=pki.roots())
    assert [(r.field_name, r.signer, r.valid) for r in reports] == [
        (SIGNER_FIELD, "Nguyễn Văn An", True), (SEAL_FIELD, "Sở Khoa học và Công nghệ tỉnh Hưng Yên", True)]
    assert decision.sealed_serial == format(pki.agency.cert.serial_number, "X")
    # The unsigned file stays in the record, untouched; the director-only file was replaced by the sealed one.
    assert read(decision.pdf_unsigned) == unsigned
    assert not decision.pdf_signed.storage.exists(first_file)
    # Both fields on the signer block's page; the annexed list after it, in the same file, carries none.
    pages = list(PdfReader(io.BytesIO(read(decision.pdf_signed))).pages)
    with_fields = [i for i, page in enumerate(pages) if "/Annots" in page]
    assert len(with_fields) == 1 and with_fields[0] < len(pages) - 1


def test_each_signature_is_audited_with_its_certificate(decision, office, pki):
    services.decision_sign(actor=office, decision=decision)
    decision.refresh_from_db()
    services.decision_seal(actor=office, decision=decision)
    events = list(AuditEvent.objects.filter(action="transition", object_id=str(decision.pk), to_state__in=["signed", "sealed"]).order_by("id"))
    assert [(e.from_state, e.to_state, e.actor_id) for e in events] == [
        ("unsigned", "signed", office.pk), ("signed", "sealed", office.pk)]
    assert events[0].changes["signed_serial"] == ["", format(pki.director.cert.serial_number, "X")]
    assert "Nguyễn Văn An" in events[0].changes["signed_subject"][1]
    assert events[1].changes["sealed_serial"] == ["", format(pki.agency.cert.serial_number, "X")]


def test_a_signed_decision_is_not_signed_again(decision, office):
    services.decision_sign(actor=office, decision=decision)
    decision.refresh_from_db()
    with pytest.raises(ValidationError, match="một văn bản đã ký không ký lại"):
        services.decision_sign(actor=office, decision=decision)
    services.decision_seal(actor=office, decision=decision)
    decision.refresh_from_db()
    for step in (services.decision_sign, services.decision_seal):
        with pytest.raises(ValidationError, match="một văn bản đã ký không ký lại"):
            step(actor=office, decision=decision)


def test_a_changed_signed_file_is_not_sealed(decision, office):
    services.decision_sign(actor=office, decision=decision)
    decision.refresh_from_db()
    content = bytearray(read(decision.pdf_signed))
    content[content.index(b"stream", 2000) + 40] ^= 0x01
    decision.pdf_signed.save("doi.pdf", ContentFile(bytes(content)))
    with pytest.raises(ValidationError, match="Bản đã ký số không còn nguyên vẹn"):
        services.decision_seal(actor=office, decision=decision)
    decision.refresh_from_db()
    assert decision.signature_state == SignatureState.SIGNED


def test_a_revoked_decision_is_not_signed(decision, office):
    services.decision_revoke(actor=office, decision=decision, reason="Khen sai đối tượng")
    decision.refresh_from_db()
    with pytest.raises(ValidationError, match="Chỉ ký số được quyết định đã ban hành và còn hiệu lực"):
        services.decision_sign(actor=office, decision=decision)


def test_no_signature_image_no_signing(office, unit_a):
    decision = issued_decision(office=office, nominations=vetted(2, unit=unit_a))
    with pytest.raises(ValidationError, match="Chưa có ảnh chữ ký của người ký"):
        services.decision_sign(actor=office, decision=decision)
    assert decision.signature_state == SignatureState.UNSIGNED


def test_an_unconfigured_key_is_a_clear_refusal(decision, office, settings):
    settings.TDKT_SIGNING_KEYS = {}
    with pytest.raises(ValidationError, match="Chưa cấu hình khóa ký"):
        services.decision_sign(actor=office, decision=decision)
    decision.refresh_from_db()
    assert (decision.signature_state, decision.pdf_signed.name) == (SignatureState.UNSIGNED, "")


@pytest.mark.parametrize("role", ["council", "unit"])
def test_only_the_office_signs(decision, role, unit_a):
    user = UserFactory(role=role, unit=unit_a if role == "unit" else None)
    with pytest.raises(PermissionDenied):
        services.decision_sign(actor=user, decision=decision)


# ---------------------------------------------------------------- pages

def test_the_pages_sign_seal_download_and_verify(client, decision, office, pki):
    client.force_login(office)
    detail = f"/hoi-dong/quyet-dinh/{decision.pk}/"
    html = client.get(detail).content.decode()
    assert "Chưa ký số" in html and f'href="/hoi-dong/quyet-dinh/{decision.pk}/ky-so/"' in html
    assert "/dong-dau-so/" not in html
    confirm = client.get(f"/hoi-dong/quyet-dinh/{decision.pk}/ky-so/").content.decode()
    assert f"Ký số Quyết định số {decision.number}?" in confirm
    assert client.post(f"/hoi-dong/quyet-dinh/{decision.pk}/ky-so/", {"confirm": "1"}).status_code == 302
    html = client.get(detail).content.decode()
    assert "Đã ký số, chờ đóng dấu số" in html and f'href="/hoi-dong/quyet-dinh/{decision.pk}/dong-dau-so/"' in html
    assert client.post(f"/hoi-dong/quyet-dinh/{decision.pk}/dong-dau-so/", {"confirm": "1"}).status_code == 302
    html = client.get(detail).content.decode()
    assert "Đã ký số và đóng dấu số" in html and "Tải PDF đã ký số" in html and "/ky-so/" not in html
    download = client.get(f"/hoi-dong/quyet-dinh/{decision.pk}/tai-ve/pdf/")
    content = b"".join(download.streaming_content)
    assert [r.valid for r in signing.verify_pdf(content, trust_roots=pki.roots())] == [True, True]
    unsigned = b"".join(client.get(f"/hoi-dong/quyet-dinh/{decision.pk}/ban-chua-ky/").streaming_content)
    assert signing.verify_pdf(unsigned, trust_roots=pki.roots()) == []
    report = client.get(f"/hoi-dong/quyet-dinh/{decision.pk}/kiem-tra-chu-ky/").content.decode()
    assert "Cả 2 chữ ký số đều hợp lệ" in report and "Chữ ký 1: Nguyễn Văn An" in report
    # A step already made: a message, not a second signature.
    again = client.post(f"/hoi-dong/quyet-dinh/{decision.pk}/ky-so/", {"confirm": "1"}, follow=True)
    assert "bước này không còn làm được" in again.content.decode()


def test_a_unit_head_gets_nothing(client, decision, head_a):
    client.force_login(head_a)
    for suffix in ("ky-so/", "dong-dau-so/", "ban-chua-ky/", "kiem-tra-chu-ky/"):
        assert client.get(f"/hoi-dong/quyet-dinh/{decision.pk}/{suffix}").status_code in (403, 404)
        assert client.post(f"/hoi-dong/quyet-dinh/{decision.pk}/{suffix}").status_code in (403, 404, 405)
    decision.refresh_from_db()
    assert decision.signature_state == SignatureState.UNSIGNED


# ---------------------------------------------------------------- the tờ trình: the same two steps, the same path

@pytest.fixture
def proposal(office, unit_a):
    proposal = sent_proposal(office=office, nominations=vetted(2, unit=unit_a, code="CSTD_TINH"))
    P.agency_images(agency())
    return proposal


def test_a_sent_proposal_is_signed_then_sealed(proposal, office, pki, django_capture_on_commit_callbacks):
    assert (proposal.signature_state, proposal.pdf_unsigned.name) == (SignatureState.UNSIGNED, "")
    with django_capture_on_commit_callbacks(execute=True):
        proposal = services.document_sign(actor=office, document=proposal)
    unsigned = read(proposal.pdf_unsigned)
    assert proposal.pdf_unsigned.name.startswith("proposals/") and signing.verify_pdf(unsigned, trust_roots=pki.roots()) == []
    with django_capture_on_commit_callbacks(execute=True):
        proposal = services.document_seal(actor=office, document=proposal)
    proposal.refresh_from_db()
    assert proposal.signature_state == SignatureState.SEALED
    reports = signing.verify_pdf(read(proposal.pdf_signed), trust_roots=pki.roots())
    assert [(r.field_name, r.signer, r.valid) for r in reports] == [
        (SIGNER_FIELD, "Nguyễn Văn An", True), (SEAL_FIELD, "Sở Khoa học và Công nghệ tỉnh Hưng Yên", True)]
    assert read(proposal.pdf_unsigned) == unsigned  # kept as it was
    # The signer block of the tờ trình (GIÁM ĐỐC … name) holds both fields; the annexed list is covered, unsigned.
    boxes = signing.decree_boxes(unsigned, authority=proposal.authority_lines[-1], signer_name=proposal.signer_name)
    pages = list(PdfReader(io.BytesIO(read(proposal.pdf_signed))).pages)
    assert [i for i, page in enumerate(pages) if "/Annots" in page] == [boxes.page]
    assert boxes.page < len(pages) - 1
    events = list(AuditEvent.objects.filter(action="transition", object_id=str(proposal.pk), to_state__in=["signed", "sealed"],
                                            content_type__model="proposal").order_by("id"))
    assert [(e.from_state, e.to_state) for e in events] == [("unsigned", "signed"), ("signed", "sealed")]
    assert events[0].changes["signed_serial"] == ["", format(pki.director.cert.serial_number, "X")]
    assert events[1].changes["sealed_serial"] == ["", format(pki.agency.cert.serial_number, "X")]
    for step in (services.document_sign, services.document_seal):
        with pytest.raises(ValidationError, match="một văn bản đã ký không ký lại"):
            step(actor=office, document=proposal)


def test_a_draft_proposal_is_not_signed(office, unit_a):
    sent = sent_proposal(office=office, nominations=vetted(1, unit=unit_a, code="CSTD_TINH"))
    P.agency_images(agency())
    Proposal.objects.filter(pk=sent.pk).update(state=ProposalState.DRAFT, number="")
    sent.refresh_from_db()
    with pytest.raises(ValidationError, match="Chỉ ký số được tờ trình đã trình"):
        services.document_sign(actor=office, document=sent)
    sent.refresh_from_db()
    assert (sent.signature_state, sent.pdf_unsigned.name, sent.pdf_signed.name) == (SignatureState.UNSIGNED, "", "")


def test_the_proposal_pages_sign_seal_and_download(client, proposal, office, head_a, pki):
    detail = f"/hoi-dong/to-trinh/{proposal.pk}/"
    client.force_login(head_a)
    for suffix in ("ky-so/", "dong-dau-so/", "tai-ve/unsigned/"):
        assert client.post(f"{detail}{suffix}").status_code in (403, 404)
    client.force_login(office)
    html = client.get(detail).content.decode()
    assert "Chưa ký số" in html and f'href="{detail}ky-so/"' in html and "dong-dau-so/" not in html
    assert f"Ký số Tờ trình số {proposal.number}?" in client.get(f"{detail}ky-so/").content.decode()
    assert client.post(f"{detail}ky-so/").status_code == 302
    assert f'href="{detail}dong-dau-so/"' in client.get(detail).content.decode()
    assert client.post(f"{detail}dong-dau-so/").status_code == 302
    html = client.get(detail).content.decode()
    assert "Đã ký số và đóng dấu số" in html and "Tải PDF đã ký số" in html and "Bản PDF trước khi ký" in html
    content = b"".join(client.get(f"{detail}tai-ve/pdf/").streaming_content)
    assert [r.valid for r in signing.verify_pdf(content, trust_roots=pki.roots())] == [True, True]
    unsigned = b"".join(client.get(f"{detail}tai-ve/unsigned/").streaming_content)
    assert signing.verify_pdf(unsigned, trust_roots=pki.roots()) == []
    # The stored signed file is verified from its page, without downloading and uploading it.
    assert f'href="{detail}kiem-tra-chu-ky/"' in html
    report = client.get(f"{detail}kiem-tra-chu-ky/").content.decode()
    assert "Cả 2 chữ ký số đều hợp lệ" in report and "Chữ ký 1: Nguyễn Văn An" in report
    assert f'href="{detail}"' in report  # back to the tờ trình
    client.force_login(head_a)
    assert client.get(f"{detail}kiem-tra-chu-ky/").status_code in (403, 404)


def test_an_unsigned_proposal_has_no_verification_page(client, proposal, office):
    client.force_login(office)
    detail = f"/hoi-dong/to-trinh/{proposal.pk}/"
    assert f"{detail}kiem-tra-chu-ky/" not in client.get(detail).content.decode()
    assert client.get(f"{detail}kiem-tra-chu-ky/").status_code == 404


# ---------------------------------------------------------------- the minutes: the chair's signature; the vote count as an attachment

def test_issued_minutes_carry_the_chairs_signature_and_the_vote_count_the_agencys(closed, office, pki, monkeypatch):
    meeting, seats, secretary, *_rest = closed
    P.agency_images(agency())
    issued = services.meeting_minutes_issue(actor=secretary.user, meeting=meeting)
    with pytest.raises(ValidationError, match="một văn bản đã ký không ký lại"):
        services.document_seal(actor=office, document=issued)  # the minutes have no seal step
    before = timezone.now().replace(microsecond=0)
    stamped = []
    real_lines = signing.attachment_lines
    monkeypatch.setattr(signing, "attachment_lines", lambda *a: stamped.append(real_lines(*a)) or stamped[-1])
    issued = services.document_sign(actor=office, document=issued)
    issued.refresh_from_db()
    assert issued.signature_state == SignatureState.SIGNED
    [report] = signing.verify_pdf(read(issued.pdf_signed), trust_roots=pki.roots())
    assert (report.field_name, report.signer, report.valid) == (SIGNER_FIELD, "Nguyễn Văn An", True)
    assert issued.signed_serial == format(pki.director.cert.serial_number, "X")
    # The signature under CHỦ TỌA (right), not under THƯ KÝ (left).
    unsigned = read(issued.pdf_unsigned)
    chair = signing.decree_boxes(unsigned, authority="CHỦ TỌA", signer_name=seats[0].person.full_name)
    reader = PdfReader(io.BytesIO(read(issued.pdf_signed)))
    [annot] = [a.get_object() for a in reader.pages[chair.page]["/Annots"]]
    rect = [float(v) for v in annot["/Rect"]]
    assert rect[0] > float(reader.pages[chair.page].mediabox.width) / 2
    # The biên bản kiểm phiếu, a separate file: the agency's signature at the top right of page 1, no image, the
    # number and the signing time in ISO 8601 +07:00.
    tally = read(issued.tally_pdf_signed)
    [attachment] = signing.verify_pdf(tally, trust_roots=pki.roots())
    assert (attachment.field_name, attachment.signer, attachment.valid) == (
        ATTACHMENT_FIELD, "Sở Khoa học và Công nghệ tỉnh Hưng Yên", True)
    tally_reader = PdfReader(io.BytesIO(tally))
    [field] = [a.get_object() for a in tally_reader.pages[0]["/Annots"]]
    assert tuple(round(float(v), 2) for v in field["/Rect"]) == signing.attachment_box(tally)
    box = signing.attachment_box(tally)
    page = tally_reader.pages[0].mediabox
    assert box[2] > float(page.width) * 0.8 and box[3] > float(page.height) * 0.85
    appearance = field["/AP"]["/N"].get_object()
    assert "/Image" not in str(appearance.get("/Resources", {}))  # text only
    [[number, when]] = stamped
    assert number == f"Số: {issued.tally_number}"
    [moment] = re.findall(r"Thời gian ký: (\S+)", when)
    assert moment.endswith("+07:00") and datetime.datetime.fromisoformat(moment) >= before
    events = AuditEvent.objects.filter(action="transition", object_id=str(issued.pk), content_type__model="meetingminutes")
    assert [(e.from_state, e.to_state) for e in events] == [("unsigned", "signed")]
    assert events[0].changes["sealed_serial"] == ["", format(pki.agency.cert.serial_number, "X")]


def test_the_summary_page_signs_the_minutes_and_serves_the_signed_files(client, closed, office, pki):
    meeting, _seats, secretary, *_rest = closed
    P.agency_images(agency())
    services.meeting_minutes_issue(actor=secretary.user, meeting=meeting)
    client.force_login(office)
    summary = client.get(f"/hoi-dong/phien-hop/{meeting.pk}/ket-qua/").content.decode()
    assert f'href="/hoi-dong/phien-hop/{meeting.pk}/bien-ban/ky-so/"' in summary
    assert client.post(f"/hoi-dong/phien-hop/{meeting.pk}/bien-ban/ky-so/").status_code == 302
    summary = client.get(f"/hoi-dong/phien-hop/{meeting.pk}/ket-qua/").content.decode()
    assert "Đã ký số lúc" in summary and "/bien-ban/ky-so/" not in summary
    minutes_pdf = b"".join(client.get(f"/hoi-dong/phien-hop/{meeting.pk}/bien-ban/").streaming_content)
    assert [r.field_name for r in signing.verify_pdf(minutes_pdf, trust_roots=pki.roots())] == [SIGNER_FIELD]
    tally_pdf = b"".join(client.get(f"/hoi-dong/phien-hop/{meeting.pk}/bien-ban/?loai=kiem-phieu").streaming_content)
    assert [r.field_name for r in signing.verify_pdf(tally_pdf, trust_roots=pki.roots())] == [ATTACHMENT_FIELD]
    # Both stored signed files are verified from the summary page.
    verify = f"/hoi-dong/phien-hop/{meeting.pk}/bien-ban/kiem-tra-chu-ky/"
    assert f'href="{verify}"' in summary and f'href="{verify}?loai=kiem-phieu"' in summary
    report = client.get(verify).content.decode()
    assert "Chữ ký số hợp lệ: văn bản còn nguyên vẹn" in report and "Chữ ký 1: Nguyễn Văn An" in report
    report = client.get(f"{verify}?loai=kiem-phieu").content.decode()
    assert "Chữ ký số hợp lệ: văn bản còn nguyên vẹn" in report and "Sở Khoa học và Công nghệ tỉnh Hưng Yên" in report


def test_minutes_not_yet_signed_have_no_verification_page(client, closed, office):
    meeting, _seats, secretary, *_rest = closed
    verify = f"/hoi-dong/phien-hop/{meeting.pk}/bien-ban/kiem-tra-chu-ky/"
    client.force_login(office)
    assert client.get(verify).status_code == 404  # not issued
    services.meeting_minutes_issue(actor=secretary.user, meeting=meeting)
    assert verify not in client.get(f"/hoi-dong/phien-hop/{meeting.pk}/ket-qua/").content.decode()
    assert client.get(verify).status_code == 404  # issued, not signed
    assert client.get(f"{verify}?loai=kiem-phieu").status_code == 404
