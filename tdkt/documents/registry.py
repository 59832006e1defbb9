"""Named documents the request or the task worker builds (as :mod:`tdkt.exports.base` does for lists).

``@register_document("councils.minutes", permission=…)`` on ``builder(user, params) -> Document``: the builder starts
from the user's scoping selectors, so the same key and parameters give the same document in the request and later in
the worker (``manage.py db_worker``). A document whose tables hold more rows than the PDF background threshold
(``TDKT_EXPORT_BACKGROUND_ROWS``) is rendered by the worker (:func:`tdkt.shortcuts.document_view`).
"""

from django.core.exceptions import PermissionDenied
from django.utils.module_loading import autodiscover_modules

from .model import Table

DOCUMENTS = {}


def register_document(key, *, permission=None):
    def decorate(builder):
        DOCUMENTS[key] = (builder, permission)
        return builder

    return decorate


def is_document(key):
    if key not in DOCUMENTS:
        autodiscover_modules("documents", "minutes")  # the worker process has not imported the apps' documents yet
    return key in DOCUMENTS


def build_document(key, user, params):
    if not is_document(key):
        raise KeyError(key)
    builder, permission = DOCUMENTS[key]
    if permission and not user.has_perm(permission):
        raise PermissionDenied
    return builder(user, params)


def row_count(document):
    """Rows of every table of ``document`` (body and annexes): what decides whether it renders in the background."""
    tables = [b for b in document.body if isinstance(b, Table)]
    for annex in document.annexes:
        tables += [b for b in annex.body if isinstance(b, Table)] + ([annex.table] if annex.table else [])
    return sum(len(t.rows) for t in tables)
