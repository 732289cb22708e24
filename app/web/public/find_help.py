"""The standalone "Find help" page at /help, for people who skip the questionnaire.

GET shows the form; POST (so that the ZIP code never sits in a URL, a history entry or a log)
matches and shows the cards on the same page. Nothing is stored: the ZIP is used in memory
for matching and the page names only the state. Works without JavaScript.
"""

from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from fastapi import APIRouter, Request
from sqlmodel import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from app.i18n import get_locale
from app.i18n import gettext as _
from app.places.location import (
    STATES,
    ZipError,
    ZipLocation,
    lookup_zip,
    normalize_state,
    state_choices,
)
from app.referrals.matching import ReferralRequest, ReferralResult, match_referrals
from app.referrals.models import Facility
from app.referrals.vocabulary import Need
from app.web.context import page_context
from app.web.deps import CSRF, CheckedForm, State
from app.web.public import views
from app.web.state import AppState

router = APIRouter(dependencies=[CSRF])
PAGE = "find_help.html"

# Languages people most often ask for; each is shown in its own language.
LANGUAGE_CODES = (
    "en",
    "es",
    "ar",
    "zh",
    "vi",
    "ht",
    "pt",
    "fr",
    "ru",
    "ko",
    "tl",
    "pl",
    "hi",
    "pa",
    "ur",
    "fa",
    "so",
    "am",
    "uk",
)
MAX_FIELD = 40  # longer than any honest value of these fields


@dataclass
class HelpForm:
    zip: str = ""
    state: str = ""
    facility: str = ""
    language: str = "en"
    detained: str = "no"


def _language_choices() -> list[tuple[str, str]]:
    choices = []
    for code in LANGUAGE_CODES:
        try:
            name = Locale.parse(code).get_language_name(code) or code
        except (UnknownLocaleError, ValueError):
            name = code
        choices.append((code, name[:1].upper() + name[1:]))
    return choices


LANGUAGE_CHOICES = _language_choices()


def _facilities(state: AppState) -> list[dict[str, str]]:
    with state.db.read() as session:
        rows = session.exec(select(Facility).order_by(Facility.name)).all()
    return [
        {"id": row.id, "label": f"{row.name}, {STATES.get(row.state, row.state.upper())}"}
        for row in rows
    ]


def _render(
    request: Request,
    state: AppState,
    form: HelpForm,
    *,
    errors: dict[str, str] | None = None,
    referrals: ReferralResult | None = None,
    facilities: list[dict[str, str]] | None = None,
    status: int = 200,
) -> Response:
    place = STATES.get(referrals.state) if referrals and referrals.state else None
    context = page_context(
        request,
        form=form,
        errors=errors or {},
        error_list=views.error_list(errors or {}),
        referrals=referrals,
        place_name=place,
        states=state_choices(),
        facilities=facilities or [],
        language_choices=LANGUAGE_CHOICES,
    )
    return state.renderer.page(PAGE, context, status=status)


@router.get("/help")
async def find_help_form(request: Request, state: State) -> Response:
    facilities = await run_in_threadpool(_facilities, state)
    return _render(request, state, HelpForm(language=get_locale()), facilities=facilities)


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip()[:MAX_FIELD] if isinstance(value, str) else ""


def zip_error_message(error: ZipError) -> str:
    return {
        ZipError.empty: _("Enter a ZIP code or choose a state."),
        ZipError.not_five_digits: _("Enter a ZIP code of five digits, like 90012."),
        ZipError.unknown_zip: _("We could not find that ZIP code. Check it, or choose a state."),
        ZipError.territory_zip: _(
            "We cannot look up help for this ZIP code. Choose a state, or leave the ZIP code "
            "empty to see national resources."
        ),
        ZipError.military_zip: _(
            "This is a military mail ZIP code. Choose the state where the person is."
        ),
    }[error]


def _validate(form: HelpForm, facility_ids: set[str]) -> tuple[dict[str, str], ZipLocation | None]:
    errors: dict[str, str] = {}
    location: ZipLocation | None = None
    if form.zip:
        found = lookup_zip(form.zip)
        if isinstance(found, ZipError):
            errors["zip"] = zip_error_message(found)
        else:
            location = found
    if form.state and normalize_state(form.state) is None:
        errors["state"] = _("Choose a state from the list.")
    if form.facility and form.facility not in facility_ids:
        errors["facility"] = _('Choose a place from the list, or "I don\'t know".')
    if not (form.zip or form.state or form.facility):
        errors["zip"] = _("Enter a ZIP code or choose a state.")
    return errors, location


@router.post("/help")
async def find_help(request: Request, state: State, raw: CheckedForm) -> Response:
    language = _field(raw, "language").lower()
    form = HelpForm(
        zip=_field(raw, "zip"),
        state=_field(raw, "state").lower(),
        facility=_field(raw, "facility"),
        language=language if language in dict(LANGUAGE_CHOICES) else get_locale(),
        detained="yes" if _field(raw, "detained") == "yes" else "no",
    )
    facilities = await run_in_threadpool(_facilities, state)
    errors, location = _validate(form, {f["id"] for f in facilities})
    if errors:
        return _render(request, state, form, errors=errors, facilities=facilities, status=422)
    referrals = await run_in_threadpool(_match, state, form, location)
    return _render(request, state, HelpForm(language=form.language), referrals=referrals)


def _match(state: AppState, form: HelpForm, location: ZipLocation | None) -> ReferralResult:
    detained = form.detained == "yes"
    needs: set[Need] = {Need.general}
    if detained:
        needs.add(Need.detained)
    referral_request = ReferralRequest(
        needs=frozenset(needs),
        zip=location.zip if location else None,
        state=normalize_state(form.state),
        facility_id=form.facility or None,
        language=form.language,
        detained=detained,
        today=state.store.today(),
    )
    with state.db.read() as session:
        directory = state.directory.get(session)
    return match_referrals(directory, referral_request)
