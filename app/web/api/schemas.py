"""The JSON API's bodies (DESIGN.md, Contracts): what partners' integrations rely on."""

from typing import Literal

from pydantic import BaseModel, Field

from app.flow.content import InputKind
from app.flow.vocabulary import Urgency

# The input kinds of DESIGN.md's Step contract. A court question is a single choice whose
# options come from the directory: the API serves it as `single`, so integrations written to
# the contract answer it unchanged (the chat shows it as radios or a select either way).
ApiInputKind = Literal["single", "multiple", "year", "number", "zip"]
API_INPUT: dict[InputKind, ApiInputKind] = {
    "single": "single",
    "multiple": "multiple",
    "year": "year",
    "number": "number",
    "zip": "zip",
    "court": "single",
}


class SessionCreate(BaseModel):
    locale: str = Field(default="en", max_length=16, examples=["es"])
    partner: str | None = Field(default=None, max_length=12, pattern=r"^[A-Z0-9]{4,12}$")


class OptionOut(BaseModel):
    value: str
    label: str


class Step(BaseModel):
    type: Literal["question", "info", "result"]
    id: str
    prompt: str
    help: str | None
    input: ApiInputKind | None
    options: list[OptionOut]


class SessionCreated(BaseModel):
    token: str
    step: Step


class StepOut(BaseModel):
    step: Step


class AnswerIn(BaseModel):
    question: str = Field(max_length=64)
    value: str | int | list[str] | None = Field(
        description="An option value, a list of option values, a whole number, a ZIP code, "
        "`ok` for an info step, or the question's unknown value (`dont_know`). A court question "
        "is served as `single`: answer it with one of its options' values (a court's code or a "
        "detention place's id from the list, or `dont_know` / `prefer_not`)."
    )


class FindingOut(BaseModel):
    code: str
    title: str
    summary: str
    urgency: Urgency
    citations: list[str]


class ReferralOut(BaseModel):
    name: str
    description: str
    phone: str | None
    website: str | None
    languages: list[str]
    national: bool
    sample: bool
    last_verified: str | None
    source: str | None


class ResultOut(BaseModel):
    findings: list[FindingOut]
    referrals: list[ReferralOut]


class ErrorOut(BaseModel):
    detail: str
    code: str
