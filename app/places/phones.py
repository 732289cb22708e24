"""US phone numbers (NANP): check, store in one canonical form, and build `tel:` links.

The directory lists U.S. services only, so a number must be a valid North American number:
ten digits (an optional leading 1), with an area code and exchange that do not start with 0
or 1. Anything else is rejected on import and in the staff forms.
"""

import re

_NON_DIGITS = re.compile(r"[\s().\-/+]")
_NANP = re.compile(r"1?([2-9]\d{2})([2-9]\d{2})(\d{4})", re.ASCII)


def canonical_us_phone(raw: str) -> str | None:
    """'(800) 898-7180', '+1 800 898 7180' → '800-898-7180'; None when not a valid number."""
    digits = _NON_DIGITS.sub("", raw or "")
    match = _NANP.fullmatch(digits)
    if not match:
        return None
    return "-".join(match.groups())


def tel_href(canonical: str, extension: int | None = None) -> str:
    """RFC 3966 link for a canonical number: 'tel:+18008987180' (';ext=' when there is one)."""
    href = "tel:+1" + canonical.replace("-", "")
    return f"{href};ext={extension}" if extension else href


def display_phone(canonical: str) -> str:
    """How a card shows it: toll-free numbers with the leading 1 people dial."""
    toll_free = canonical[:3] in {"800", "833", "844", "855", "866", "877", "888"}
    return f"1-{canonical}" if toll_free else canonical
