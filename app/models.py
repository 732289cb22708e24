"""Tables for respondents' anonymous sessions.

The columns of `respondent_session` are an allowlist (DESIGN.md, Privacy): a random id, the hash
of its resume code, option values, locale, partner id, the UTC day it started and was last
active, the current step, done or not. No address, user agent, referrer, exact time or free text.
A test fails when a column is added without updating that allowlist.
"""

from datetime import date
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

# An answer as stored: (question id, value). Values are option values, whole numbers (years,
# counts) or lists of option values; a ZIP code is reduced to its state before it gets here.
StoredAnswer = list[Any]


class RespondentSession(SQLModel, table=True):
    __tablename__ = "respondent_session"

    id: str = Field(primary_key=True, max_length=64)
    resume_hash: str | None = Field(default=None, max_length=64, unique=True, index=True)
    answers: list[StoredAnswer] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    locale: str = Field(max_length=8)
    partner_id: int | None = Field(default=None, index=True)
    started_on: date
    active_on: date = Field(index=True)
    current_step: str = Field(max_length=64)
    finished: bool = False


class Partner(SQLModel, table=True):
    """An outreach organization's share code. Sessions that arrive through it count for it."""

    __tablename__ = "partner"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=12, unique=True, index=True)
    name: str = Field(max_length=120)
    locale: str | None = Field(default=None, max_length=8)
    active: bool = True
    created_on: date


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
