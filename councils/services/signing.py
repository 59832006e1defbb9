"""Writes of the digital signatures of an issued decision (issue 12): thin wrappers around the moves of
``DECISION_SIGNING_WORKFLOW`` (which lock, check, sign, save, audit the certificate's subject and serial, and emit)."""

from ..enums import SignatureState
from ..workflows import DECISION_SIGNING_WORKFLOW


def decision_sign(*, actor, decision):
    """“Ký số”: the signer's visible signature with the director's key."""
    return DECISION_SIGNING_WORKFLOW.apply(decision, actor=actor, to=SignatureState.SIGNED)


def decision_seal(*, actor, decision):
    """“Đóng dấu số”: the agency's seal with the agency's key (the văn thư)."""
    return DECISION_SIGNING_WORKFLOW.apply(decision, actor=actor, to=SignatureState.SEALED)
