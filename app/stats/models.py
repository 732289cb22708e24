"""The statistics table: anonymous aggregate counts per week."""

from datetime import date

from sqlmodel import Field, SQLModel


class StatCount(SQLModel, table=True):
    """Anonymous aggregate counts, per ISO week (its Monday), never per person.

    A row is (week, event, dimension, value) -> count, e.g. (2026-11-23, finished, locale, es).
    Counts stay when sessions are purged.
    """

    __tablename__ = "stat_count"

    week: date = Field(primary_key=True)
    event: str = Field(primary_key=True, max_length=16)
    dimension: str = Field(primary_key=True, max_length=16)
    value: str = Field(primary_key=True, max_length=64)
    count: int = 0
