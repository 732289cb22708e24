"""The standalone "Find help" page at /help, for people who skip the questionnaire.

GET shows the form; POST (so that the ZIP code never sits in a URL, a history entry or a log)
matches and shows the cards on the same page. Nothing is stored: the ZIP is used in memory
for matching and the page names only the state. Works without JavaScript.
"""

from dataclasses import dataclass

from fastapi import APIRouter, Request
from sqlmodel import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from app.i18n import get_locale, spoken_language
from app.i18n import gettext as _
from app.places.location import (
    STATES,
    ZipError,
    ZipLocation,
    lookup_zip,
    normalize_state,
    state_choices,
)
from app.referrals.court_finder import CourtCard, case_line, courts_by_state, courts_for
from app.referrals.matching import ReferralRequest, ReferralResult, match_referrals
from app.referrals.models import Facility
from app.referrals.vocabulary import Need
from app.web.context import page_context
from app.web.deps import CSRF, CheckedForm, State
from app.web.public import views
from app.web.state import AppState

router = APIRouter(dependencies=[CSRF])
PAGE = "find_help.html"

# Languages people most often ask for, each named in its own language. Written out rather than
# asked of Babel at import: that loaded 19 locales' CLDR data, about 20 MB in every worker, for
# 19 words (tests/web/test_find_help_languages.py holds them to Babel's names).
LANGUAGE_CHOICES = (
    ("en", "English"),
    ("es", "Español"),
    ("ar", "العربية"),
    ("zh", "中文"),
    ("vi", "Tiếng Việt"),
    ("ht", "Kreyòl Ayisyen"),
    ("pt", "Português"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("ko", "한국어"),
    ("tl", "Filipino"),
    ("pl", "Polski"),
    ("hi", "हिन्दी"),
    ("pa", "ਪੰਜਾਬੀ"),
    ("ur", "اردو"),
    ("fa", "فارسی"),
    ("so", "Soomaali"),
    ("am", "አማርኛ"),
    ("uk", "Українська"),
)
LANGUAGE_CODES = frozenset(code for code, _ in LANGUAGE_CHOICES)
MAX_FIELD = 40  # longer than any honest value of these fields


@dataclass
class HelpForm:
    zip: str = ""
    state: str = ""
    facility: str = ""
    court: str = ""
    language: str = "en"
    detained: str = "no"


@dataclass(frozen=True)
class Picker:
    """Where a detained person is held: a facility from EOIR's facility table when one is
    loaded; otherwise the courts by state, and the page says why (issue 17)."""

    facilities: list[dict[str, str]]
    court_groups: list[tuple[str, list[CourtCard]]]

    @property
    def codes(self) -> set[str]:
        return {court.code for _, courts in self.court_groups for court in courts}


def _picker(state: AppState) -> Picker:
    with state.db.read() as session:
        rows = session.exec(select(Facility).where(Facility.active).order_by(Facility.name)).all()
        directory = state.directory.get(session) if not rows else None
    facilities = [
        {"id": row.id, "label": f"{row.name}, {STATES.get(row.state, row.state.upper())}"}
        for row in rows
    ]
    groups = courts_by_state(directory) if directory is not None else []
    named = [(STATES.get(code, code.upper()), courts) for code, courts in groups]
    return Picker(facilities, sorted(named))


def _render(
    request: Request,
    state: AppState,
    form: HelpForm,
    *,
    errors: dict[str, str] | None = None,
    referrals: ReferralResult | None = None,
    courts: list[CourtCard] | None = None,
    picker: Picker | None = None,
    status: int = 200,
) -> Response:
    place = STATES.get(referrals.state) if referrals and referrals.state else None
    context = page_context(
        request,
        form=form,
        errors=errors or {},
        error_list=views.error_list(errors or {}),
        referrals=referrals,
        courts=courts or [],
        place_name=place,
        states=state_choices(),
        facilities=picker.facilities if picker else [],
        court_groups=picker.court_groups if picker else [],
        language_choices=LANGUAGE_CHOICES,
        eoir_line=case_line(state.placeholder_values()) if courts else None,
    )
    return state.renderer.page(PAGE, context, status=status)


@router.get("/help")
async def find_help_form(request: Request, state: State) -> Response:
    picker = await run_in_threadpool(_picker, state)
    return _render(request, state, HelpForm(language=spoken_language(get_locale())), picker=picker)


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


def _validate(form: HelpForm, picker: Picker) -> tuple[dict[str, str], ZipLocation | None]:
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
    if form.facility and form.facility not in {f["id"] for f in picker.facilities}:
        errors["facility"] = _('Choose a place from the list, or "I don\'t know".')
    if form.court and form.court not in picker.codes:
        errors["court"] = _('Choose a court from the list, or "I don\'t know".')
    if not (form.zip or form.state or form.facility or form.court):
        errors["zip"] = _("Enter a ZIP code or choose a state.")
    return errors, location


@router.post("/help")
async def find_help(request: Request, state: State, raw: CheckedForm) -> Response:
    language = _field(raw, "language").lower()
    form = HelpForm(
        zip=_field(raw, "zip"),
        state=_field(raw, "state").lower(),
        facility=_field(raw, "facility"),
        court=_field(raw, "court").upper(),
        language=language if language in LANGUAGE_CODES else spoken_language(get_locale()),
        detained="yes" if _field(raw, "detained") == "yes" else "no",
    )
    picker = await run_in_threadpool(_picker, state)
    errors, location = _validate(form, picker)
    if errors:
        return _render(request, state, form, errors=errors, picker=picker, status=422)
    referrals, courts = await run_in_threadpool(_match, state, form, location)
    return _render(
        request, state, HelpForm(language=form.language), referrals=referrals, courts=courts
    )


def _match(
    state: AppState, form: HelpForm, location: ZipLocation | None
) -> tuple[ReferralResult, list[CourtCard]]:
    detained = form.detained == "yes"
    needs: set[Need] = {Need.general}
    if detained:
        needs.add(Need.detained)
    referral_request = ReferralRequest(
        needs=frozenset(needs),
        zip=location.zip if location else None,
        state=normalize_state(form.state),
        facility_id=form.facility or None,
        court_code=form.court or None,
        language=form.language,
        detained=detained,
        today=state.store.today(),
    )
    with state.db.read() as session:
        directory = state.directory.get(session)
    courts = courts_for(
        directory,
        today=referral_request.today,
        location=location,
        state=referral_request.state,
        court_code=referral_request.court_code,
        facility_id=referral_request.facility_id,
    )
    return match_referrals(directory, referral_request), courts
