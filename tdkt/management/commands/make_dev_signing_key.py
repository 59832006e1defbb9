"""``manage.py make_dev_signing_key``: a throwaway PKI for development (issue 12) — a test root CA and two PKCS#12
files with non-repudiation certificates (the director's and the agency's), written to ``var/signing/`` (or
``--dir``), then the environment lines that point the app at them. Never for production: the root is made here and
trusted by nobody else."""

import datetime as dt
import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def _name(common, org):
    from cryptography import x509  # only this command makes keys
    from cryptography.x509.oid import NameOID

    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _certificate(subject, key, issuer, issuer_key, *, ca, days):
    from cryptography import x509  # as above
    from cryptography.hazmat.primitives import hashes

    now = dt.datetime.now(dt.UTC)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
               .not_valid_after(now + dt.timedelta(days=days))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
               .add_extension(x509.KeyUsage(digital_signature=not ca, content_commitment=not ca, key_encipherment=False,
                                            data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                                            encipher_only=False, decipher_only=False), critical=True))
    if not ca:
        builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                                        critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


class Command(BaseCommand):
    help = ("Tạo khóa ký số thử nghiệm (chỉ dùng khi phát triển): CA gốc và hai tệp PKCS#12 của Giám đốc và của cơ quan "
            "trong var/signing/, rồi in các dòng biến môi trường cần đặt.")

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(Path(settings.BASE_DIR) / "var" / "signing"))
        parser.add_argument("--director", default="Nguyễn Văn Giám đốc (thử nghiệm)")
        parser.add_argument("--agency", default="Sở Khoa học và Công nghệ (thử nghiệm)")
        parser.add_argument("--force", action="store_true", help="ghi đè các tệp đã có")

    def handle(self, *args, **options):
        from cryptography.hazmat.primitives import serialization  # as above
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.hazmat.primitives.serialization import pkcs12

        folder = Path(options["dir"])
        files = {"root": folder / "dev-root.pem", "director": folder / "giam-doc.p12", "agency": folder / "co-quan.p12"}
        if not options["force"] and any(path.exists() for path in files.values()):
            raise CommandError(f"{folder} đã có khóa thử nghiệm; dùng --force để tạo lại.")
        folder.mkdir(parents=True, exist_ok=True)
        org = options["agency"]
        root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        root_name = _name("CA thử nghiệm TĐKT (phát triển)", org)
        root = _certificate(root_name, root_key, root_name, root_key, ca=True, days=3650)
        files["root"].write_bytes(root.public_bytes(serialization.Encoding.PEM))
        passphrase = secrets.token_urlsafe(12)
        for party, common in (("director", options["director"]), ("agency", org)):
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            cert = _certificate(_name(common, org), key, root.subject, root_key, ca=False, days=730)
            files[party].write_bytes(pkcs12.serialize_key_and_certificates(
                party.encode(), key, cert, [root], serialization.BestAvailableEncryption(passphrase.encode())))
            files[party].chmod(0o600)
        self.stdout.write(f"Đã tạo khóa thử nghiệm trong {folder}. Đặt các biến môi trường sau (ví dụ trong .env):\n")
        self.stdout.write(f"TDKT_SIGN_DIRECTOR_PKCS12={files['director']}\nTDKT_SIGN_DIRECTOR_PKCS12_PASSPHRASE={passphrase}\n"
                          f"TDKT_SIGN_AGENCY_PKCS12={files['agency']}\nTDKT_SIGN_AGENCY_PKCS12_PASSPHRASE={passphrase}\n"
                          f"TDKT_SIGN_TRUST_ROOTS={files['root']}\n")
