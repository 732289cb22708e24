"""The partner table: an outreach organization's share code."""

from datetime import date

from sqlmodel import Field, SQLModel


class Partner(SQLModel, table=True):
    """An outreach organization's share code. Sessions that arrive through it count for it."""

    __tablename__ = "partner"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=12, unique=True, index=True)
    name: str = Field(max_length=120)
    locale: str | None = Field(default=None, max_length=8)
    active: bool = True
    created_on: date
