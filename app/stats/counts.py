"""Aggregate counts: what a session contributes to the weekly statistics, and how it is stored.

A session's contribution is a function of its current state (started means at least one answer;
finished adds the result's outcome). Every write to a session applies the difference between its
contribution before and after, inside the same transaction, so the counts always equal what the
live sessions say plus what purged ones said last. Counts are kept per ISO week of the day the
session started, one dimension at a time (week x one dimension: at most two cross-tab
dimensions); nothing links a count back to a session.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Protocol

from sqlalchemy import Connection
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql.dml import Insert

from app.db import table_of
from app.flow.engine import Position
from app.flow.vocabulary import Urgency
from app.stats.models import StatCount

Key = tuple[str, str, str]  # (event, dimension, value)
UNANSWERED = "unanswered"
NO_PARTNER = "none"


@dataclass(frozen=True)
class Outcome:
    """What a finished session's result showed: finding codes with their urgency, and the
    kinds of help its referrals were chosen for. It must depend only on the answers and the
    day the session started, so that taking a contribution back subtracts what was added."""

    findings: dict[str, str] = field(default_factory=dict)
    referral_needs: tuple[str, ...] = ()


OutcomeOf = Callable[[Position, date], Outcome]


class Counted(Protocol):
    """What the counts read of a session: an ORM row or a bare database row."""

    locale: str
    partner_id: int | None
    started_on: date


def no_outcome(position: Position, started_on: date) -> Outcome:
    return Outcome()


def week_of(day: date) -> date:
    """The Monday of the ISO week that holds `day`."""
    return day - timedelta(days=day.weekday())


def contribution(row: Counted, position: Position, outcome_of: OutcomeOf) -> Counter[Key]:
    keys: Counter[Key] = Counter()
    if not position.history:
        return keys  # opened but never answered: not counted as started
    first_answer = position.history[0][1]
    who = first_answer if isinstance(first_answer, str) else UNANSWERED
    partner = str(row.partner_id) if row.partner_id is not None else NO_PARTNER
    events = ["started", "finished"] if position.finished else ["started"]
    for event in events:
        keys[(event, "all", "")] += 1
        keys[(event, "locale", row.locale)] += 1
        keys[(event, "partner", partner)] += 1
        keys[(event, "who", who)] += 1
    if position.finished:
        outcome = outcome_of(position, row.started_on)
        urgencies = set(outcome.findings.values())
        top = next((u.value for u in Urgency if u in urgencies), "none")
        keys[("finished", "urgency", top)] += 1
        for code in outcome.findings:
            keys[("finding", "code", code)] += 1
        for need in outcome.referral_needs:
            keys[("referral", "need", need)] += 1
    return keys


def may_differ(before: Position, after: Position) -> bool:
    """Whether a session's contribution at `after` may differ from that at `before`. False
    only where `contribution` could not tell them apart: neither finished, and the same first
    answer, or none on both sides (most answers). Saves working both out on every answer
    (docs/benchmarks.md)."""
    if before.finished or after.finished or bool(before.history) != bool(after.history):
        return True
    return bool(before.history) and before.history[0][1] != after.history[0][1]


# The same upsert as `_upsert` builds, for a driver's own connection (Database.driver_write):
# both dialects spell it alike.
_INSERT = "INSERT INTO stat_count (week, event, dimension, value, count) "
_ADD_ON_CONFLICT = (
    "ON CONFLICT (week, event, dimension, value) "
    "DO UPDATE SET count = stat_count.count + excluded.count"
)
UPSERT = f"{_INSERT}VALUES (:week, :event, :dimension, :value, :count) {_ADD_ON_CONFLICT}"


def unnested_upsert(condition: str) -> str:
    """The same upsert for the rows of `as_arrays`, in one statement, adding them only where
    `condition` holds (PostgreSQL: a statement that saves a session with the counts it moves,
    app/respondents/sessions.py)."""
    return (
        f"{_INSERT}SELECT * FROM unnest(CAST(:weeks AS date[]), CAST(:events AS text[]), "  # noqa: S608  # constants
        "CAST(:dimensions AS text[]), CAST(:count_values AS text[]), "
        f"CAST(:counts AS integer[])) WHERE {condition} {_ADD_ON_CONFLICT}"
    )


def changes(week: date, before: Counter[Key], after: Counter[Key]) -> list[dict[str, object]]:
    """The rows that add `after - before` to the week's counts (none when nothing changed)."""
    if before == after:
        return []  # most answers: started before and after, nothing else
    delta: Counter[Key] = Counter(after)
    delta.subtract(before)
    # Sorted, so that two transactions on PostgreSQL lock the rows in the same order.
    return [
        _row(week, event, dimension, value, change)
        for (event, dimension, value), change in sorted(delta.items())
        if change
    ]


def as_arrays(rows: list[dict[str, object]]) -> dict[str, list[object]]:
    """`changes`' rows as one array per column, the parameters of `unnested_upsert`."""
    return {
        "weeks": [row["week"] for row in rows],
        "events": [row["event"] for row in rows],
        "dimensions": [row["dimension"] for row in rows],
        "count_values": [row["value"] for row in rows],
        "counts": [row["count"] for row in rows],
    }


def apply(connection: Connection, week: date, before: Counter[Key], after: Counter[Key]) -> None:
    """Add `after - before` to the week's counts, in the caller's transaction."""
    rows = changes(week, before, after)
    if rows:
        connection.execute(_upsert(connection.dialect.name), rows)


def add(
    connection: Connection, week: date, event: str, dimension: str, value: str, change: int
) -> None:
    connection.execute(
        _upsert(connection.dialect.name), [_row(week, event, dimension, value, change)]
    )


def _row(week: date, event: str, dimension: str, value: str, change: int) -> dict[str, object]:
    return {
        "week": week,
        "event": event,
        "dimension": dimension,
        "value": value[:64],
        "count": change,
    }


@cache
def _upsert(dialect: str) -> Insert:
    """INSERT ... ON CONFLICT adding to the count, built once per dialect (both dialects
    spell it the same way; SQLAlchemy has one construct for each)."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    table = table_of(StatCount)
    statement = insert(table)
    return statement.on_conflict_do_update(
        index_elements=["week", "event", "dimension", "value"],
        set_={"count": table.c.count + statement.excluded.count},
    )
