"""Registration hooks: how the core reaches what the domain apps provide, without importing them.

The core (``tdkt``) sits below every app. An app registers its providers in ``AppConfig.ready()``;
the core calls them. Nothing here knows which app registered what.

- :func:`agency` — the agency profile printed on every document header (registered by the app that
  keeps it, ``movements``).
- :func:`home_context` — blocks of the home page; each provider returns a dict for the template.
- :func:`dashboard_blocks` — the blocks of the home page per role (issue 13): each provider returns a list of
  :class:`Block` (a template of its app and its context), drawn in ``order``.
- :func:`object_links` — links about an object that an app above adds to its page (``(label, url)`` pairs).
"""

_agency_provider = None
_home_providers = []


def provide_agency(provider):
    """Register ``provider() -> AgencyProfile | None``."""
    global _agency_provider
    _agency_provider = provider
    return provider


def agency():
    """The agency profile (name, parent body, document code, place, signatory), or ``None``."""
    return _agency_provider() if _agency_provider is not None else None


def provide_home_context(provider):
    """Register ``provider(user) -> dict`` for the home page (idempotent)."""
    if provider not in _home_providers:
        _home_providers.append(provider)
    return provider


def home_context(user):
    context = {}
    for provider in _home_providers:
        context.update(provider(user))
    return context


_link_providers = []


def provide_object_links(provider):
    """Register ``provider(user, obj) -> [(label, url)]``: links an app above adds to a page of an app below (a
    nomination's page links to its item on a council meeting's agenda), without the lower app knowing it (idempotent)."""
    if provider not in _link_providers:
        _link_providers.append(provider)
    return provider


def object_links(user, obj):
    """The links the registered providers give ``user`` about ``obj``, in registration order."""
    links = []
    for provider in _link_providers:
        links += provider(user, obj)
    return links


# ---------------------------------------------------------------- the home page's blocks (issue 13, part "home")

class Block(dict):
    """One block of the home page: ``template`` (the app's own), ``order`` (smaller first) and its context."""

    def __init__(self, template, order=100, **context):
        super().__init__(template=template, order=order, **context)


_dashboard_providers = []


def provide_dashboard(provider):
    """Register ``provider(user) -> [Block]`` (idempotent). A provider decides from ``tdkt.roles`` what the user's role
    sees, and returns nothing for the others."""
    if provider not in _dashboard_providers:
        _dashboard_providers.append(provider)
    return provider


def dashboard_blocks(user):
    blocks = []
    for provider in _dashboard_providers:
        blocks += provider(user)
    return sorted(blocks, key=lambda block: block["order"])
