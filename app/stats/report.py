"""The statistics the staff see and export: weekly counts, suppressed (app.stats.suppression).

One table per event and dimension: a row per week, a column per value, and for the breakdowns
of a total, the week's total. Counts per partner are shown only per week, never summed over
weeks, so no figure adds up across tables.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select

from app.db import Database
from app.partners.models import Partner
from app.stats.models import StatCount
from app.stats.suppression import suppress_breakdowns, suppress_cells

WEEKS_SHOWN = 12
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


def load_counts(db: Database, since: date | None = None) -> Counts:
    counts: Counts = defaultdict(lambda: defaultdict(dict))
    with db.read() as session:
        query = select(StatCount)
        if since is not None:
            query = query.where(col(StatCount.week) >= since)
        for row in session.exec(query):
            counts[row.week][row.event][(row.dimension, row.value)] = max(0, row.count)
    return counts


def partner_labels(db: Database) -> dict[str, str]:
    with db.read() as session:
        return {str(p.id): p.code for p in session.exec(select(Partner))}


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
            columns = sorted(
                {
                    value
                    for week in weeks
                    for (d, value) in counts[week].get(event, {})
                    if d == dimension
                }
            )
            rows = [
                (
                    week,
                    [shown_by_week[week][1][dimension].get(c, 0) for c in columns],
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
        columns = sorted(
            {
                value
                for week in weeks
                for (d, value) in counts[week].get(event, {})
                if d == dimension
            }
        )
        rows = []
        for week in weeks:
            by_column = {c: counts[week].get(event, {}).get((dimension, c), 0) for c in columns}
            shown = suppress_cells(by_column)
            rows.append((week, [shown[c] for c in columns], None))
        tables.append(
            Table(
                event, dimension, columns, _labels(columns, labels.get(dimension, {})), rows, False
            )
        )
    return tables


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
