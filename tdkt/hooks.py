"""Registration hooks: how the core reaches what the domain apps provide, without importing them.

The core (``tdkt``) sits below every app. An app registers its providers in ``AppConfig.ready()``;
the core calls them. Nothing here knows which app registered what.

- :func:`agency` — the agency profile printed on every document header (registered by the app that
  keeps it, ``movements``).
- :func:`home_context` — blocks of the home page; each provider returns a dict for the template.
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
