"""Digital signatures on PDF documents (PAdES, pyHanko): the core, which imports no app.

- :mod:`tdkt.signing.keys`: the two signing keys (the director's personal one and the agency's), configured by the
  environment (a PKCS#12 file and passphrase, or a PKCS#11 token: module, token label, key label, PIN); secrets live
  only in the process's memory, never in the database, a log line or an error message.
- :mod:`tdkt.signing.pdf`: :func:`sign_pdf` (one visible PAdES signature, with an image or a text stamp) and
  :func:`verify_pdf` (a report per signature).
- :mod:`tdkt.signing.layout`: where the signatures go on a decree-style document (Nghị định 30, Phụ lục I), computed
  from the positions of the signer block's text in the PDF itself.
"""

from .keys import KeyConfig, SigningError, configured_key, open_signer, trust_roots
from .layout import SignatureBoxes, attachment_box, decree_boxes, find_lines
from .pdf import SignatureReport, VerificationError, attachment_lines, last_signer, sign_pdf, verify_pdf

__all__ = [
    "KeyConfig", "SigningError", "configured_key", "open_signer", "trust_roots",
    "SignatureBoxes", "attachment_box", "decree_boxes", "find_lines",
    "SignatureReport", "VerificationError", "attachment_lines", "last_signer", "sign_pdf", "verify_pdf",
]
