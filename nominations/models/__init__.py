"""Models of the nominations app, in two layers so that the rules engine sits between them without a cycle:

- ``awards``: bonus coefficients, base salary, initiatives and award history (read by the engine);
- the rule rows, ``Rule``, defined with the engine that reads them (``nominations.rules_engine.rule``);
- ``rounds``: rounds, unit submissions, documents, nominations and overrides, validated by the engine;
- ``requirements``: the documents a dossier must contain (read by the engine, rule R12);
- ``imports``: a large Excel import run by the task worker, with its progress.

The award catalogues (titles and forms) are the leaf module ``nominations.catalogues``. App label and
tables are unchanged.
"""

from ..catalogues import AwardKind, CommendationForm, EmulationTitle
from ..rules_engine.rule import Rule
from .awards import AwardMixin, AwardRecord, BaseSalary, BonusCoefficient, Initiative
from .imports import ImportJob
from .requirements import RequiredDocument
from .rounds import (
    LIST_ORDER,
    Nomination,
    NominationRound,
    RuleOverride,
    SubmissionDocument,
    UnitSubmission,
    sent_documents,
    sent_nominations,
    submission_document_path,
)

__all__ = [
    "AwardKind", "CommendationForm", "EmulationTitle", "Rule",
    "AwardMixin", "AwardRecord", "BaseSalary", "BonusCoefficient", "Initiative",
    "ImportJob", "RequiredDocument", "Nomination", "NominationRound", "RuleOverride", "SubmissionDocument", "UnitSubmission",
    "sent_documents", "sent_nominations", "submission_document_path", "LIST_ORDER",
]
