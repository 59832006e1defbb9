"""Secret ballot: nothing stored or logged links a voter to a choice.

The proof is by indistinguishability. The same five members vote on the same item in the same order twice, with two
different assignments of the same choices (two “đồng ý”, two “không đồng ý”, one “không biểu quyết”), each run rolled
back. After each run the whole database is read — every table of every model (and SQLite's own sequence table), every
row in the order the database returns it without ORDER BY (on SQLite its physical order, the order rows were written; on
PostgreSQL, whose heap reuses the space of rolled-back rows wherever it finds some, in the order of the keys, which is
the order rows were written), with the clock ticking one microsecond per reading so that any timestamp shows the order
of events — together with every log record emitted at DEBUG level with ``DEBUG=True`` (Django's SQL log included). The two readings are identical. So no query over the schema, no
reading of the audit trail and no log can tell which member chose what: whatever one could compute from them is the
same for both assignments. The same procedure on an open vote finds the difference (the test can fail).
"""

import datetime
import logging
import re

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from councils import selectors, services
from councils.enums import Choice, VotingBase, VotingMethod
from councils.models import BallotBox, Participation, VotingRule
from tdkt.models import AuditEvent
from tests.factories.councils import present, rule_for, sitting, vetted
from tests.factories.nominations import title

pytestmark = pytest.mark.integration

YES, NO, ABSTAIN = Choice.YES, Choice.NO, Choice.ABSTAIN
FIRST = [YES, NO, YES, ABSTAIN, NO]
SECOND = [NO, YES, ABSTAIN, NO, YES]  # the same counts, other voters


class TickingClock:
    """``timezone.now`` that moves one microsecond per call: deterministic, and strictly ordered like a real clock."""

    def __init__(self):
        self.ticks = 0

    def __call__(self):
        self.ticks += 1
        return datetime.datetime(2026, 1, 15, 8, 30, tzinfo=datetime.UTC) + datetime.timedelta(microseconds=self.ticks)


def read_database():
    """Every row of every model's table in physical order, with integer keys (primary keys, foreign keys, the audit
    trail's object ids) replaced by their rank in their table, so that two runs compare on PostgreSQL too (its
    sequences do not roll back). Random keys would not survive this: their ranks would differ between runs."""
    quote = connection.ops.quote_name
    raw = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            fields = model._meta.concrete_fields
            cursor.execute(f"SELECT {', '.join(quote(f.column) for f in fields)} FROM {quote(model._meta.db_table)}")
            raw[model] = (fields, cursor.fetchall())
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, seq FROM sqlite_sequence")
            sequences = cursor.fetchall()
        else:
            sequences = []
    rank = {}
    for model, (fields, rows) in raw.items():
        index = [f.primary_key for f in fields].index(True)
        rank[model._meta.concrete_model] = {str(pk): n for n, pk in enumerate(sorted(row[index] for row in rows))}
    content_types = {ct.pk: ct.model_class() for ct in ContentType.objects.all()}
    reading = {}
    for model, (fields, rows) in raw.items():
        names = [f.name for f in fields]
        table = []
        for row in rows:
            values = []
            for field, value in zip(fields, row, strict=True):
                if field.primary_key and not field.is_relation:
                    value = ("pk", rank[model._meta.concrete_model][str(value)])
                elif field.is_relation and value is not None:
                    value = ("fk", rank[field.related_model._meta.concrete_model].get(str(value), str(value)))
                values.append(value)
            if model is AuditEvent:
                target = content_types[row[names.index("content_type")]]
                object_id = row[names.index("object_id")]
                values[names.index("object_id")] = ("obj", rank.get(target._meta.concrete_model, {}).get(object_id, object_id))
            table.append(tuple(values))
        if connection.vendor != "sqlite":
            table.sort(key=lambda values: values[[f.primary_key for f in fields].index(True)][1])
        reading[model._meta.label] = table
    reading["sqlite_sequence"] = sequences
    return reading


def normalised_logs(records):
    """The log lines, digits blanked (ids, durations): what is left is the text of each message, in order."""
    return [(r.name, r.levelname, re.sub(r"\d+", "#", r.getMessage())) for r in records]


@pytest.fixture
def meeting_in_progress(office, council9):
    council, seats, secretary = council9
    rule_for(title("LDTT"), method=VotingMethod.SECRET, base=VotingBase.PRESENT)
    meeting, [item] = sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(1),
                              statuses=present(seats))
    return meeting, item, seats


def run_vote(item, chair, voters, choices, *, method, monkeypatch, caplog, settings):
    """Open (with ``method``), vote in a fixed order, close; read the database and the logs; roll everything back."""
    clock = TickingClock()
    monkeypatch.setattr(timezone, "now", clock)
    settings.DEBUG = True  # Django's SQL log is on: it must not tie the two writes of a vote either
    ContentType.objects.clear_cache()  # both runs read the same (else the second finds them cached)
    caplog.clear()
    with caplog.at_level(logging.DEBUG), caplog.at_level(logging.DEBUG, logger="django"):
        with transaction.atomic():
            VotingRule.objects.filter(title__code="LDTT").update(method=method)
            services.voting_open(actor=chair.user, items=[item])
            for seat, choice in zip(voters, choices, strict=True):
                services.vote_cast(actor=seat.user, item=item, choice=choice)
            services.voting_close(actor=chair.user, items=[item])
            reading = read_database()
            logs = normalised_logs(caplog.records)
            transaction.set_rollback(True)
    settings.DEBUG = False
    monkeypatch.undo()
    return reading, logs


def test_no_table_order_time_audit_event_or_log_links_a_voter_to_a_secret_choice(meeting_in_progress, monkeypatch, caplog,
                                                                                  settings):
    _meeting, item, seats = meeting_in_progress
    voters = seats[1:6]
    first, first_logs = run_vote(item, seats[0], voters, FIRST, method=VotingMethod.SECRET, monkeypatch=monkeypatch, caplog=caplog,
                                 settings=settings)
    second, second_logs = run_vote(item, seats[0], voters, SECOND, method=VotingMethod.SECRET, monkeypatch=monkeypatch, caplog=caplog,
                                   settings=settings)
    assert first_logs and any("councils_participation" in line for _n, _l, line in first_logs)  # the SQL log was on
    assert first == second
    assert first_logs == second_logs
    # what the reading holds: the turnout and the counts, nothing per ballot
    assert [row[-1] for row in first["councils.Participation"]] == [""] * 5  # no choice on a secret participation
    assert first["councils.BallotBox"] == [(("fk", 0), 2, 2, 1)]


def test_the_same_reading_tells_an_open_votes_choices_apart(meeting_in_progress, monkeypatch, caplog, settings):
    """The procedure can fail: on an open vote (choices are public) the two readings differ."""
    _meeting, item, seats = meeting_in_progress
    voters = seats[1:6]
    first, _logs = run_vote(item, seats[0], voters, FIRST, method=VotingMethod.OPEN, monkeypatch=monkeypatch, caplog=caplog, settings=settings)
    second, _logs = run_vote(item, seats[0], voters, SECOND, method=VotingMethod.OPEN, monkeypatch=monkeypatch, caplog=caplog,
                             settings=settings)
    assert first["councils.Participation"] != second["councils.Participation"]
    assert [row[-1] for row in first["councils.Participation"]] == FIRST


def test_the_audit_trail_says_who_voted_never_how(meeting_in_progress):
    _meeting, item, seats = meeting_in_progress
    services.voting_open(actor=seats[0].user, items=[item])
    for seat, choice in zip(seats[1:6], FIRST, strict=True):
        services.vote_cast(actor=seat.user, item=item, choice=choice)
    events = AuditEvent.objects.filter(content_type__model="participation").order_by("id")
    assert [(e.actor_id, e.action, e.changes, e.reason) for e in events] == [(s.user.pk, "create", {}, "") for s in seats[1:6]]
    assert [e.object_repr for e in events] == [f"{s.person.full_name} đã biểu quyết: {item} – lần 1" for s in seats[1:6]]
    # the voters wrote nothing else; nothing names a voter next to a choice (the close's counts are aggregates)
    assert not AuditEvent.objects.filter(actor__in=[s.user for s in seats[1:6]]).exclude(content_type__model="participation").exists()
    choice_words = {"Đồng ý", "Không đồng ý", "Không biểu quyết", "yes", "no", "abstain"}
    for event in AuditEvent.objects.all():
        text = f"{event.object_repr} {event.changes} {event.reason}"
        named = [s for s in seats[1:6] if s.person.full_name in text]
        assert not (named and any(word in text for word in choice_words)), text
    assert list(Participation.objects.values_list("choice", flat=True)) == [""] * 5
    assert BallotBox.objects.values_list("yes_count", "no_count", "abstain_count").get() == (2, 2, 1)


def test_while_the_ballot_is_open_nobody_reads_the_counts(meeting_in_progress, office):
    meeting, item, seats = meeting_in_progress
    services.voting_open(actor=seats[0].user, items=[item])
    for seat, choice in zip(seats[1:4], [YES, NO, YES], strict=True):
        services.vote_cast(actor=seat.user, item=item, choice=choice)
    turnout = selectors.vote_turnout(item)
    assert (len(turnout.voted), len(turnout.waiting), turnout.choices, turnout.counts) == (3, 6, {}, {})
    for user in (seats[0].user, seats[1].user, office):
        [row] = selectors.agenda(meeting, user=user)
        assert (row.voted, row.result, row.current_round.yes_count) == (3, None, None)
    summary = selectors.meeting_summary(meeting)
    assert (summary.items[0].choices, summary.items[0].result) == ([], None)
