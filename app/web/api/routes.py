"""JSON API v1: the same engine, validation and storage as the chat, for partners and tests.

The session token travels only as `Authorization: Bearer <token>`, never in a URL (ApiSession,
app.web.deps). That header is the only credential: no cookie, so no CSRF check applies here.
"""

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app import i18n
from app.flow import texts
from app.flow.engine import Engine, OutOfOrder, Position
from app.flow.inputs import InvalidAnswer
from app.partners.codes import find_active
from app.referrals.placeholders import Filled, fill
from app.respondents.sessions import SessionNotFound
from app.results import Result
from app.web import court_labels, messages
from app.web.api.schemas import (
    API_INPUT,
    AnswerIn,
    ErrorOut,
    FindingOut,
    OptionOut,
    ReferralOut,
    ResultOut,
    SessionCreate,
    SessionCreated,
    Step,
    StepOut,
)
from app.web.deps import ApiSession, State

router = APIRouter(prefix="/api/v1", tags=["sessions"])
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut} for status in (401, 404, 409, 413, 422)
}


class ApiError(Exception):
    def __init__(self, status: int, code: str, detail: str) -> None:
        self.status, self.code, self.detail = status, code, detail


def _step(engine: Engine, position: Position, values: Mapping[str, Filled]) -> Step:
    """The current step; a court question lists its places (nearest first) before its fixed
    choices, and its help says so when only courts are known where places were asked for."""
    node = position.node
    perspective = position.perspective
    help_text = texts.help_text(node, perspective)
    places = engine.choices(node, position.values)
    helps = [str(fill(help_text, values)) if help_text else None, court_labels.list_note(places)]
    return Step(
        type=node.type,
        id=node.id,
        prompt=texts.prompt(node, perspective),
        help=" ".join(h for h in helps if h) or None,
        input=API_INPUT[node.input] if node.input else None,
        options=[
            *(
                OptionOut(value=p.value, label=court_labels.place_label(p, plain=True))
                for p in places.places
            ),
            *(
                OptionOut(value=o.value, label=texts.label(node, o, perspective))
                for o in node.options
            ),
        ],
    )


@router.post("/sessions", status_code=201, response_model=SessionCreated, responses=ERRORS)
def create_session(state: State, body: SessionCreate) -> SessionCreated:
    locale = i18n.supported(body.locale)
    if locale is None or len(body.locale) > 16:
        raise ApiError(422, "unknown_locale", i18n.gettext("That language is not available."))
    i18n.set_locale(locale)
    partner = find_active(state.db, body.partner)  # an unknown code is ignored, never echoed
    row = state.store.create(locale, partner.id if partner else None)
    return SessionCreated(
        token=row.id,
        step=_step(state.engine, state.store.position(row), state.placeholder_values()),
    )


@router.get("/session", response_model=StepOut, responses=ERRORS)
def current_step(state: State, row: ApiSession) -> StepOut:
    return StepOut(step=_step(state.engine, state.store.position(row), state.placeholder_values()))


@router.post("/session/answers", response_model=StepOut, responses=ERRORS)
def answer(state: State, row: ApiSession, body: AnswerIn) -> StepOut:
    if body.question not in state.content.nodes:
        raise ApiError(422, "unknown_question", messages.unknown_question())
    try:
        position = state.store.answer(row.id, body.question, body.value)
    except OutOfOrder as stale:
        raise ApiError(409, "not_current_question", messages.out_of_order()) from stale
    except InvalidAnswer as invalid:
        detail = messages.answer_error(invalid.code, invalid.params)
        raise ApiError(422, invalid.code, detail) from invalid
    except SessionNotFound as gone:
        raise ApiError(404, "session_not_found", messages.session_expired()) from gone
    return StepOut(step=_step(state.engine, position, state.placeholder_values()))


@router.post("/session/back", response_model=StepOut, responses=ERRORS)
def back(state: State, row: ApiSession) -> StepOut:
    try:
        position = state.store.back(row.id)
    except SessionNotFound as gone:
        raise ApiError(404, "session_not_found", messages.session_expired()) from gone
    return StepOut(step=_step(state.engine, position, state.placeholder_values()))


@router.get("/session/result", response_model=ResultOut, responses=ERRORS)
def result(state: State, row: ApiSession) -> ResultOut:
    position = state.store.position(row)
    if not position.finished:
        raise ApiError(409, "not_finished", messages.result_not_ready())
    return _result_out(state.result(position))


@router.delete("/session", status_code=204, responses=ERRORS)
async def delete_session(state: State, row: ApiSession) -> Response:
    await run_in_threadpool(state.store.delete, row.id)
    return Response(status_code=204)


def _result_out(result: Result) -> ResultOut:
    """The result in the API's contract (DESIGN.md: Finding, Referral)."""
    cards = [*result.referrals.local, *result.referrals.national]
    return ResultOut(
        findings=[
            FindingOut(
                code=f.code,
                title=f.title,
                summary=str(f.summary),
                urgency=f.urgency,
                citations=f.citations,
            )
            for f in result.findings
        ],
        referrals=[
            ReferralOut(
                name=card.name,
                description=card.description or "",
                phone=card.phone,
                website=card.website,
                languages=card.languages,
                national=card.is_national,
                sample=card.is_sample,
                source=card.source_name,
                last_verified=card.last_verified.isoformat() if card.last_verified else None,
            )
            for card in cards
        ],
    )
