"""The statistics the staff see and export: weekly counts, suppressed (app.stats.suppression).

One table per event and dimension: a row per week, a column per value, and for the breakdowns
of a total, the week's total. Counts per partner are shown only per week, never summed over
weeks, so no figure adds up across tables.

Only published weeks are shown (F2, security-review-2026-12). A week's live counts keep
changing while any session started in it is alive (a late finish, a changed answer, the purge's
drop-off), so two downloads a day apart would differ by exactly one person's contribution.
Instead a week is published once, PUBLISH_AFTER_DAYS after its last day: its counts are copied
then to frozen rows (event prefixed with PUBLISHED) that nothing ever writes again, and only
those are read. So any two downloads show the same figures for every week both show, and a
week one of them lacks is new in whole: the difference is never one person. The delay lets the
purge count the drop-offs of sessions that stopped in their first week (30 days idle).
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select

from app.db import Database
from app.partners.models import Partner
from app.stats.models import StatCount
from app.stats.suppression import hide_zeros_beside_hidden, suppress_breakdowns, suppress_cells

WEEKS_SHOWN = 12
PUBLISH_AFTER_DAYS = 31  # after the week's Sunday: the purge's 30 idle days, and one more
PUBLISHED = "="  # event prefix of the frozen copies; live events never start with it
MARKER = (PUBLISHED, "published", "")  # one row per published week, even an empty one
# event -> the dimensions that break its weekly total down (each adds up to it)
BREAKDOWNS = {
    "started": ("locale", "partner", "who"),
    "finished": ("locale", "partner", "who", "urgency"),
    "dropoff": ("step",),
}
# event -> dimension counted without a total (a session can count in several columns)
PLAIN = {"finding": "code", "referral": "need"}


@dataclass
class Table:
    event: str
    dimension: str
    columns: list[str]
    labels: dict[str, str]
    rows: list[tuple[date, list[int | None], int | None]]  # week, cells, total (None: hidden)
    has_total: bool


Counts = dict[date, dict[str, dict[tuple[str, str], int]]]


def publishable(week: date, today: date) -> bool:
    return today >= week + timedelta(days=6 + PUBLISH_AFTER_DAYS)


def publish_closed_weeks(db: Database, today: date) -> None:
    """Freeze the live counts of every week that is due and not yet published."""
    with db.write() as session:
        published = {
            row.week for row in session.exec(select(StatCount).where(StatCount.event == PUBLISHED))
        }
        due = [
            row
            for row in session.exec(select(StatCount))
            if not row.event.startswith(PUBLISHED)
            and row.week not in published
            and publishable(row.week, today)
        ]
        weeks = {row.week for row in due}
        values = [
            {
                "week": r.week,
                "event": PUBLISHED + r.event,
                "dimension": r.dimension,
                "value": r.value,
                "count": max(0, r.count),
            }
            for r in due
        ] + [
            {"week": w, "event": MARKER[0], "dimension": MARKER[1], "value": MARKER[2], "count": 1}
            for w in weeks
        ]
        if values:
            connection = session.connection()
            insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
            # First writer wins; a published row is never written again.
            connection.execute(insert(StatCount.__table__).on_conflict_do_nothing(), values)  # type: ignore[attr-defined]


def load_counts(db: Database, today: date) -> Counts:
    """The published weeks' frozen counts (publishing any week that has become due)."""
    publish_closed_weeks(db, today)
    counts: Counts = defaultdict(lambda: defaultdict(dict))
    with db.read() as session:
        query = select(StatCount).where(col(StatCount.event).startswith(PUBLISHED))
        for row in session.exec(query):
            if row.event == PUBLISHED:
                counts[row.week]  # an empty published week still gets its row of zeros
                continue
            event = row.event.removeprefix(PUBLISHED)
            counts[row.week][event][(row.dimension, row.value)] = max(0, row.count)
    return counts


def partner_labels(db: Database) -> dict[str, str]:
    with db.read() as session:
        return {str(p.id): p.code for p in session.exec(select(Partner))}


def _columns(
    counts: Counts,
    weeks: list[date],
    event: str,
    dimension: str,
    labels: dict[str, dict[str, str]],
) -> list[str]:
    """Every value the weeks saw, and every value the labels know: which columns exist then
    says nothing about any one week (security-review F3)."""
    seen = {value for week in weeks for (d, value) in counts[week].get(event, {}) if d == dimension}
    return sorted(seen | set(labels.get(dimension, {})))


def build_tables(counts: Counts, labels: dict[str, dict[str, str]]) -> list[Table]:
    weeks = sorted(counts, reverse=True)[:WEEKS_SHOWN]
    tables: list[Table] = []
    for event, dimensions in BREAKDOWNS.items():
        shown_by_week = {}
        for week in weeks:
            cells = counts[week].get(event, {})
            breakdowns = {
                dimension: {v: n for (d, v), n in cells.items() if d == dimension}
                for dimension in dimensions
            }
            total = cells.get(("all", ""), sum(breakdowns[dimensions[0]].values()))
            shown_by_week[week] = suppress_breakdowns(total, breakdowns)
        for dimension in dimensions:
            columns = _columns(counts, weeks, event, dimension, labels)
            rows = [
                (
                    week,
                    _row(shown_by_week[week][1][dimension], columns),
                    shown_by_week[week][0],
                )
                for week in weeks
            ]
            tables.append(
                Table(
                    event,
                    dimension,
                    columns,
                    _labels(columns, labels.get(dimension, {})),
                    rows,
                    True,
                )
            )
    for event, dimension in PLAIN.items():
        columns = _columns(counts, weeks, event, dimension, labels)
        rows = []
        for week in weeks:
            by_column = {c: counts[week].get(event, {}).get((dimension, c), 0) for c in columns}
            rows.append((week, _row(suppress_cells(by_column), columns), None))
        tables.append(
            Table(
                event, dimension, columns, _labels(columns, labels.get(dimension, {})), rows, False
            )
        )
    return tables


def _row(shown: dict[str, int | None], columns: list[str]) -> list[int | None]:
    """A week's row over every column (a value the week never had is 0), zeros hidden beside
    hidden figures (F3). Columns include every value the labels know, so which columns exist
    tells nothing about one week."""
    cells = hide_zeros_beside_hidden({column: shown.get(column, 0) for column in columns})
    return [cells[column] for column in columns]


def _labels(columns: list[str], known: dict[str, str]) -> dict[str, str]:
    return {column: known.get(column, column) for column in columns}


def to_csv(tables: list[Table], suppressed: str) -> str:
    """The same suppressed figures as the page, one line per (event, dimension, week, value)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["event", "dimension", "week", "value", "count"])
    for table in tables:
        for week, cells, total in table.rows:
            for column, cell in zip(table.columns, cells, strict=True):
                writer.writerow(
                    [
                        table.event,
                        table.dimension,
                        week.isoformat(),
                        table.labels[column],
                        suppressed if cell is None else cell,
                    ]
                )
            if table.has_total:
                writer.writerow(
                    [
                        table.event,
                        table.dimension,
                        week.isoformat(),
                        "total",
                        suppressed if total is None else total,
                    ]
                )
    return buffer.getvalue()
