"""Messages for invalid input, in the person's language (codes come from app.flow.inputs)."""

from typing import Any

from app.i18n import gettext as _


def answer_error(code: str, params: dict[str, Any]) -> str:
    messages = {
        "choose_one": _("Choose one of the answers."),
        "choose_at_least_one": _("Choose at least one answer."),
        "not_an_option": _("That answer is not one of the choices. Choose one of the answers."),
        "exclusive_alone": _(
            '"I don\'t know" and "I\'d rather not say" cannot be combined with other answers.'
        ),
        "not_a_whole_number": _("Enter a whole number using digits, like 3."),
        "not_a_year": _("Enter a year using digits, like 2019."),
        "too_small": _("Enter a number of at least %(minimum)s."),
        "too_large": _("Enter a number no bigger than %(maximum)s."),
        "zip_format": _("Enter a ZIP code of five digits, like 90012."),
        "zip_unknown": _('We could not find that ZIP code. Check it, or choose "I don\'t know".'),
        "zip_outside": _(
            "We can look up ZIP codes in the 50 states, DC, Puerto Rico, Guam, the U.S. Virgin "
            'Islands and the Northern Mariana Islands. Choose "I don\'t know" to pick a state.'
        ),
        "zip_military": _(
            'That is a military ZIP code. Choose "I don\'t know" to pick the state where you are.'
        ),
        "continue_only": _("Choose Continue to go on."),
        "not_in_list": _(
            "That is not one of the places on the list. Choose one from the list, or \"I don't "
            'know".'
        ),
    }
    message = messages.get(code, _("That answer could not be saved. Please try again."))
    return message % params if params else message


def out_of_order() -> str:
    return _(
        "That answer was for a question you have already moved past. Here is where you are now."
    )


def session_expired() -> str:
    return _("Your answers could not be found. They may have been deleted. You can start again.")


def wrong_code() -> str:
    return _(
        "That code did not work. Check it and try again. Codes look like K7QM-3XPA-9DTR-F2WN-A8CE."
    )


def request_rejected() -> str:
    return _("This form expired or came from another site. Please try again from this page.")


def too_large() -> str:
    return _("What was sent is too large. Please try again.")


def invalid_request() -> str:
    return _("The request is not valid. Check the fields and try again.")


def not_found() -> str:
    return _("This page does not exist.")


def unavailable() -> str:
    return _("The site is busy right now. Nothing you saved is lost. Please try again in a moment.")


def cannot_save() -> str:
    return _(
        "The site cannot save answers right now. What you saved before is kept. "
        "Please try again later."
    )


def unknown_question() -> str:
    return _("That question does not exist.")


def result_not_ready() -> str:
    return _("The questionnaire is not finished yet.")


def too_many() -> str:
    return _(
        "Too many tries from this connection in a short time. Nothing you saved is lost. "
        "Please wait a little and try again."
    )
