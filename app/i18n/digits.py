"""Digits as people type them: phones set to Arabic or Persian write ٢٠١٩ or ۲۰۱۹ for 2019
(journey review P12). Every place that reads a number from a person reads it through here."""

import unicodedata


def western_digits(text: str) -> str:
    """The text with every decimal digit of any script as its ASCII digit, the rest unchanged."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)
