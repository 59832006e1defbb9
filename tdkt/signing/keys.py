"""The signing keys, configured by the environment (``TDKT_SIGN_<WHO>_…``, read in tdkt/settings.py).

Two keys: ``director`` (the signer's personal certificate, "Ký số") and ``agency`` (the agency's certificate, the
digital seal, "Đóng dấu số"). Each is either

- a **PKCS#12** file and its passphrase (development and small installs), or
- a **PKCS#11** token (hardware token or HSM): the module (``.so``), the token label, the key label (the certificate
  carries the same label) and the user PIN.

The passphrase and the PIN are read from the environment into this process's memory only: they are never stored in
the database, never logged, and never appear in a ``repr`` or an error message (:class:`KeyConfig` hides them).
"""

import contextlib
import logging
import os
from dataclasses import dataclass, field

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

KEY_NAMES = ("director", "agency")


class SigningError(Exception):
    """A key could not be opened or a document could not be signed; the message is for the user (Vietnamese) and
    never carries a secret."""


@dataclass(frozen=True)
class KeyConfig:
    name: str  # "director" or "agency"
    pkcs12_path: str = ""
    pkcs12_passphrase: str = field(default="", repr=False)
    pkcs11_module: str = ""
    pkcs11_token: str = ""
    pkcs11_key_label: str = ""
    pkcs11_pin: str = field(default="", repr=False)

    @property
    def kind(self):
        if self.pkcs11_module:
            return "pkcs11"
        if self.pkcs12_path:
            return "pkcs12"
        return ""

    @property
    def configured(self):
        return bool(self.kind)

    def __repr__(self):
        where = (f"pkcs11 {self.pkcs11_module} token={self.pkcs11_token!r} key={self.pkcs11_key_label!r}"
                 if self.kind == "pkcs11" else f"pkcs12 {self.pkcs12_path}" if self.kind else "not configured")
        return f"<KeyConfig {self.name}: {where}>"

    __str__ = __repr__


def configured_key(name):
    """The key ``name`` ("director" or "agency") as the settings describe it."""
    if name not in KEY_NAMES:
        raise ValueError(name)
    return KeyConfig(name=name, **getattr(settings, "TDKT_SIGNING_KEYS", {}).get(name, {}))


def trust_roots(path=None):
    """The trusted root certificates (asn1crypto) from the PEM bundle ``TDKT_SIGN_TRUST_ROOTS`` (or ``path``)."""
    from asn1crypto import pem  # only a page that verifies needs it

    path = path if path is not None else getattr(settings, "TDKT_SIGN_TRUST_ROOTS", "")
    if not path:
        return []
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise SigningError(_("Không đọc được tệp chứng thư gốc tin cậy (%(path)s).") % {"path": path}) from exc
    if not pem.detect(data):
        return [asn1_x509.Certificate.load(data)]
    return [asn1_x509.Certificate.load(der) for _type, _headers, der in pem.unarmor(data, multiple=True)]


@contextlib.contextmanager
def open_signer(key):
    """A pyHanko ``Signer`` for the key (a :class:`KeyConfig`), closed (PKCS#11 session) on exit."""

    if key.kind == "pkcs12":
        yield _pkcs12_signer(key)
        return
    if key.kind == "pkcs11":
        with _pkcs11_signer(key) as signer:
            yield signer
        return
    raise SigningError(_("Chưa cấu hình khóa ký “%(name)s” (xem mục Chữ ký số trong README).") % {"name": key_label(key.name)})


#: Opened PKCS#12 keys of this process, by key and file modification time: opening one runs the file's key derivation
#: (≈ 0.25 s) and pyHanko would load the key again for every signature (≈ 0.2 s each). The key stays in this
#: process's memory only, like the passphrase in the settings.
_PKCS12_SIGNERS = {}


def _pkcs12_signer(key):
    try:
        stamp = os.stat(key.pkcs12_path).st_mtime_ns
    except OSError:
        stamp = None
    cached = _PKCS12_SIGNERS.get((key, stamp))
    if cached is not None:
        return cached
    try:
        with open(key.pkcs12_path, "rb") as handle:
            data = handle.read()
        signer = _load_pkcs12(data, key.pkcs12_passphrase.encode() or None)
    except Exception as exc:  # the errors vary; the message must not carry the passphrase
        logger.warning("signing key %s: the PKCS#12 file could not be opened (%s)", key, type(exc).__name__)
        raise SigningError(_("Không mở được khóa ký “%(name)s” (tệp PKCS#12 hoặc mật khẩu không đúng).")
                           % {"name": key_label(key.name)}) from None
    _PKCS12_SIGNERS.clear()  # one generation: a changed file or passphrase replaces what was kept
    _PKCS12_SIGNERS[(key, stamp)] = signer
    return signer


def _load_pkcs12(data, passphrase):
    """A pyHanko ``SimpleSigner`` that signs with the key object loaded here once."""
    from pyhanko.sign.general import get_pyca_cryptography_hash  # pyHanko: loaded only when something is signed
    from pyhanko.sign.signers import SimpleSigner  # as above
    from pyhanko_certvalidator.registry import SimpleCertificateStore  # as above

    private_key, certificate, others = pkcs12.load_key_and_certificates(data, passphrase)
    if private_key is None or certificate is None:
        raise ValueError("no key or certificate in the PKCS#12 file")

    def der(cert):
        return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))

    class LoadedKeySigner(SimpleSigner):
        async def async_sign_raw(self, data, digest_algorithm, dry_run=False):
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)["algorithm"].native
            if isinstance(private_key, RSAPrivateKey) and mechanism in ("rsassa_pkcs1v15", "sha256_rsa", "sha384_rsa",
                                                                        "sha512_rsa"):
                return private_key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
            return await super().async_sign_raw(data, digest_algorithm, dry_run)

    info = asn1_keys.PrivateKeyInfo.load(private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return LoadedKeySigner(signing_key=info, signing_cert=der(certificate),
                           cert_registry=SimpleCertificateStore.from_certs([der(c) for c in others or ()]))


@contextlib.contextmanager
def _pkcs11_signer(key):
    # pyHanko's PKCS#11 support loads python-pkcs11 (a C extension): only when a token is used.
    from pyhanko.config.pkcs11 import TokenCriteria  # (see above)
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session  # (see above)

    try:
        session = open_pkcs11_session(key.pkcs11_module, token_criteria=TokenCriteria(label=key.pkcs11_token),
                                      user_pin=key.pkcs11_pin)
    except Exception as exc:  # the token's errors vary; none may carry the PIN
        logger.warning("signing key %s: the PKCS#11 token could not be opened (%s)", key, type(exc).__name__)
        raise SigningError(_("Không mở được thiết bị ký (token PKCS#11) của khóa “%(name)s”: kiểm tra token đã cắm, "
                             "nhãn token và mã PIN.") % {"name": key_label(key.name)}) from None
    try:
        label = key.pkcs11_key_label
        yield PKCS11Signer(session, key_label=label, cert_label=label)
    finally:
        session.close()


def key_label(name):
    return {"director": _("chữ ký của người ký"), "agency": _("chữ ký của cơ quan")}.get(name, name)
