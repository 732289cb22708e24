"""The directory forms' errors in the staff member's language: which field, and what to do.

Pydantic's own messages are English and name the model ("phones.0.number: Value error, ...");
staff see the field's label instead, with a sentence that says how to fix it, and each item of
the error summary links to its field.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from app.i18n import gettext as _
from app.referrals.directory import DirectoryError


@dataclass(frozen=True)
class FieldError:
    text: str
    field_id: str | None  # the form control to link to, when there is one


# Model field -> (the form control's id, its label: the same words as the form's label).
FIELDS: dict[str, tuple[str, Callable[[], str]]] = {
    "organization_name": ("organization_name", lambda: _("Organization")),
    "name": ("name", lambda: _("Service")),
    "description": ("description", lambda: _("Description")),
    "hours": ("hours", lambda: _("Hours")),
    "language_note": ("language_note", lambda: _("Note on languages")),
    "url": ("url", lambda: _("Website")),
    "phones": ("phone", lambda: _("Phone")),
    "areas": ("state", lambda: _("State served")),
    "languages": ("languages", lambda: _("Languages")),
    "cost": ("cost", lambda: _("Cost")),
    "provider_kind": ("provider_kind", lambda: _("Kind of provider")),
    "source_name": ("source_name", lambda: _("Where this comes from")),
}


def _problem(field: str, error: Any) -> str:
    """What to do about one Pydantic error, without the field's name."""
    kind = error["type"]
    if field == "url":
        return _("enter a full web address, like https://example.org.")
    if field == "phones":
        return _("enter a U.S. phone number with its area code, like 312-555-0123.")
    if field == "areas":
        return _(
            "enter a state's two-letter code, like IL, or leave it empty for a national service."
        )
    if field == "languages":
        return _("enter two- or three-letter language codes separated by commas, like en, es.")
    if kind in ("missing", "string_too_short"):
        return _("this is required.")
    if kind == "string_too_long":
        return _("at most %(count)s characters.") % {"count": error["ctx"]["max_length"]}
    if kind in ("enum", "literal_error"):
        return _("choose one of the options.")
    return _("check what you entered.")


def validation_errors(error: ValidationError) -> list[FieldError]:
    """One item per field (a field with several problems is named once)."""
    found: dict[str, FieldError] = {}
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else ""
        if field in found:
            continue
        field_id, label = FIELDS.get(field, (None, lambda: _("This form")))
        text = _("%(field)s: %(problem)s") % {"field": label(), "problem": _problem(field, item)}
        found[field] = FieldError(text, field_id)
    return list(found.values())


# A translation's fields: the form control is "<locale>-<field>", the label names the language.
TRANSLATION_LABELS: dict[str, Callable[[], str]] = {
    "name": lambda: _("Service"),
    "description": lambda: _("Description"),
    "hours": lambda: _("Hours"),
    "language_note": lambda: _("Note on languages"),
}


def translation_errors(error: ValidationError, locale: str, language: str) -> list[FieldError]:
    """Errors of one locale's translation form, each naming the field and the language."""
    found: dict[str, FieldError] = {}
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else ""
        if field in found or field not in TRANSLATION_LABELS:
            continue
        label = _("%(field)s (%(language)s)") % {
            "field": TRANSLATION_LABELS[field](),
            "language": language,
        }
        text = _("%(field)s: %(problem)s") % {"field": label, "problem": _problem(field, item)}
        found[field] = FieldError(text, f"{locale}-{field}")
    return list(found.values()) or [FieldError(_("Check what you entered."), None)]


def directory_error(error: DirectoryError) -> list[FieldError]:
    """A rule the directory checks itself (app/referrals/directory.py), by its code."""
    messages = {
        "organization_missing": ("organization_name", _("Organization: this is required.")),
        "detained_only": (
            "serves_detained",
            _(
                "A service only for people in detention must also be marked "
                "as helping people in immigration detention."
            ),
        ),
        "verification_method": ("method", _("Choose how it was checked.")),
    }
    field_id, text = messages.get(
        error.code, (None, _("This change could not be saved. Check the form and try again."))
    )
    return [FieldError(text, field_id)]
