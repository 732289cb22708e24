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
