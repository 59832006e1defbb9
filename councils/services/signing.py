"""Writes of the digital signatures of the Sở's issued documents (issue 12: decisions, tờ trình, minutes): thin
wrappers around the moves of ``signing_workflow`` (which lock, check, sign, save, audit the certificate's subject and
serial, and emit). One path for the three kinds."""

from ..enums import SignatureState
from ..workflows import SIGNING_WORKFLOWS


def document_sign(*, actor, document):
    """“Ký số”: the signer's visible signature with the director's key (and, for the minutes, the agency's signature
    on the biên bản kiểm phiếu sent with them)."""
    return SIGNING_WORKFLOWS[type(document)].apply(document, actor=actor, to=SignatureState.SIGNED)


def document_seal(*, actor, document):
    """“Đóng dấu số”: the agency's seal with the agency's key (the văn thư); not for the minutes."""
    return SIGNING_WORKFLOWS[type(document)].apply(document, actor=actor, to=SignatureState.SEALED)


def decision_sign(*, actor, decision):
    return document_sign(actor=actor, document=decision)


def decision_seal(*, actor, decision):
    return document_seal(actor=actor, document=decision)
