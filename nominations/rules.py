"""Permission predicates of the nominations app (django-rules). Views check these; selectors scope lists.

Who is who comes from :mod:`tdkt.roles` (office, council, unit head, the object's ``scope_unit_id``);
"the council reads only what was sent" is the models' ``is_sent`` (the same rule as the selectors' filters
``sent_nominations`` / ``sent_documents``)."""

import rules

from tdkt.roles import in_own_unit, is_council, is_office, is_unit_user, writes_own_unit

from .enums import NominationState


@rules.predicate
def is_editable(user, nomination):
    return nomination is not None and nomination.state in NominationState.editable()


@rules.predicate
def is_draft(user, nomination):
    return nomination is not None and nomination.state == NominationState.DRAFT


@rules.predicate
def is_sent(user, obj):
    """A nomination or a document that reached the office (``Nomination.is_sent``, ``SubmissionDocument.is_sent``)."""
    return obj is not None and obj.is_sent


@rules.predicate
def document_changeable_by_unit(user, document):
    """What the unit may still remove: files of a draft or returned nomination, or of a submission not yet sent."""
    return document is not None and document.unit_may_remove


can_read = is_office | (is_council & is_sent) | (is_unit_user & in_own_unit)

rules.add_perm("nominations.view_round", is_office | is_council | is_unit_user)
rules.add_perm("nominations.manage_round", is_office)
rules.add_perm("nominations.view_submission", is_office | is_council | (is_unit_user & in_own_unit))
rules.add_perm("nominations.change_submission", writes_own_unit)
rules.add_perm("nominations.view_nomination", can_read)
rules.add_perm("nominations.add_nomination", writes_own_unit)
rules.add_perm("nominations.change_nomination", writes_own_unit & is_editable)
rules.add_perm("nominations.delete_nomination", writes_own_unit & is_draft)
rules.add_perm("nominations.submit_nomination", writes_own_unit & is_editable)
rules.add_perm("nominations.vet_nomination", is_office)
rules.add_perm("nominations.export_nomination", is_office | is_council | is_unit_user)
rules.add_perm("nominations.view_document", is_office | (is_council & is_sent) | (is_unit_user & in_own_unit))
rules.add_perm("nominations.delete_document", is_office | (is_unit_user & in_own_unit & document_changeable_by_unit))
rules.add_perm("nominations.view_award", is_office | is_council | (is_unit_user & in_own_unit))
rules.add_perm("nominations.manage_award", is_office)
rules.add_perm("nominations.view_rule", is_office | is_council | is_unit_user)
rules.add_perm("nominations.manage_required_document", is_office)
