"""Permission predicates of the nominations app (django-rules). Views check these; selectors scope lists."""

import rules

from movements.rules import is_council, is_office, is_unit_user

from .enums import NominationState


@rules.predicate
def own_unit(user, obj):
    """``obj`` is the user's unit, or belongs to it (a submission, a nomination, a document)."""
    if obj is None or not user.is_authenticated or not user.unit_id:
        return False
    name = obj.__class__.__name__
    if name == "Unit":
        unit_id = obj.pk
    elif name == "UnitSubmission":
        unit_id = obj.unit_id
    elif name in ("Nomination", "SubmissionDocument"):
        unit_id = obj.submission.unit_id
    elif name == "AwardRecord":
        unit_id = obj.person.unit_id if obj.person_id else obj.unit_id
    else:
        unit_id = getattr(obj, "unit_id", None)
    return unit_id == user.unit_id


@rules.predicate
def is_editable(user, nomination):
    return nomination is not None and nomination.state in NominationState.editable()


@rules.predicate
def is_draft(user, nomination):
    return nomination is not None and nomination.state == NominationState.DRAFT


@rules.predicate
def not_draft(user, nomination):
    return nomination is not None and nomination.state != NominationState.DRAFT


@rules.predicate
def document_sent(user, document):
    """A document that reached the office: a nominee's file once that nomination was sent, a file of the
    submission itself (tờ trình, biên bản) once the unit sent its list."""
    return document is not None and document.is_sent


@rules.predicate
def document_changeable_by_unit(user, document):
    """What the unit may still remove: files of a draft or returned nomination, or of a submission not yet sent."""
    return document is not None and document.unit_may_remove


can_read = is_office | (is_council & not_draft) | (is_unit_user & own_unit)

rules.add_perm("nominations.view_round", is_office | is_council | is_unit_user)
rules.add_perm("nominations.manage_round", is_office)
rules.add_perm("nominations.view_submission", is_office | is_council | (is_unit_user & own_unit))
rules.add_perm("nominations.change_submission", is_office | (is_unit_user & own_unit))
rules.add_perm("nominations.view_nomination", can_read)
rules.add_perm("nominations.add_nomination", is_office | (is_unit_user & own_unit))
rules.add_perm("nominations.change_nomination", (is_office | (is_unit_user & own_unit)) & is_editable)
rules.add_perm("nominations.delete_nomination", (is_office | (is_unit_user & own_unit)) & is_draft)
rules.add_perm("nominations.submit_nomination", (is_office | (is_unit_user & own_unit)) & is_editable)
rules.add_perm("nominations.vet_nomination", is_office)
rules.add_perm("nominations.export_nomination", is_office | is_council | is_unit_user)
rules.add_perm("nominations.view_document", is_office | (is_council & document_sent) | (is_unit_user & own_unit))
rules.add_perm("nominations.delete_document", is_office | (is_unit_user & own_unit & document_changeable_by_unit))
rules.add_perm("nominations.view_award", is_office | is_council | (is_unit_user & own_unit))
rules.add_perm("nominations.manage_award", is_office)
rules.add_perm("nominations.view_rule", is_office | is_council | is_unit_user)
