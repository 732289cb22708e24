"""How the chat and the JSON API word the places of a court question (app/flow/places.py) and
a court answer, in the person's language. Codes, addresses and names stay as the source writes
them; in running text they sit in Unicode isolates, so they read left to right in Arabic."""

from app.flow.inputs import AnswerValue
from app.flow.places import Place, PlaceList, court_answer
from app.i18n import gettext as _

# First-strong isolate and its end (U+2068, U+2069): markup cannot reach a <select>'s options.
_ISOLATE, _END = "\u2068", "\u2069"


def isolated(text: str) -> str:
    return f"{_ISOLATE}{text}{_END}"


def place_name(place: Place) -> str:
    """The court's words ("Immigration court in Miami"), or the facility's own name."""
    if place.kind == "court":
        return _("Immigration court in %(city)s") % {"city": place.name}
    return place.name


def place_code(place: Place) -> str | None:
    return place.court if place.kind == "court" else None


def place_where(place: Place) -> str:
    return ", ".join(part for part in (place.address, place.place) if part)


def place_label(place: Place, plain: bool = False) -> str:
    """One line for a <select> or an API client: name, code and place; `plain`: no isolates."""
    wrap = (lambda text: text) if plain else isolated
    code = place_code(place)
    name = f"{place_name(place)} {wrap(f'({code})')}" if code else place_name(place)
    return f"{name}, {wrap(place.place)}" if place.place else name


def list_note(places: PlaceList) -> str | None:
    """What the page says when detention places were asked for but only courts are known."""
    if not places.courts_instead:
        return None
    return _(
        "We do not have the list of detention places for this state. The immigration courts "
        "are listed instead: choose the one that has the case, if you know it."
    )


def court_answer_label(value: AnswerValue) -> str | None:
    """A court answer in the transcript; None for "I don't know" and the other fixed choices."""
    code, held = court_answer(value)
    if code is None:
        return None
    if held:
        return _("Court of the place chosen: %(code)s") % {"code": isolated(code)}
    return _("Court chosen: %(code)s") % {"code": isolated(code)}
