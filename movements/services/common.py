"""Small helpers the service modules share."""

from tdkt.text import nfc


def text(value):
    """A one-line text field as stored: NFC, trimmed, single spaces (``None`` → empty)."""
    return nfc(value or "")
