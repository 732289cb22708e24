"""Left-to-right text inside right-to-left translations: found, and put in Unicode isolates.

An Arabic sentence often keeps an English gloss or a code: `الرقم A ("A-number")`, `"جناية
مشدَّدة" ("aggravated felony")`, `النموذج I-862`, `مثل 312-555-0123`. Left to the bidi algorithm,
the gloss's parentheses take the sentence's direction, so when the line wraps inside the gloss
each half is drawn with a mirrored parenthesis on the wrong side (journey review P20), and a
number whose groups are joined by hyphens reads backwards (P2: digits after Arabic letters
are Arabic numbers, which a hyphen does not join).

Such a run, in a right-to-left catalog, sits between FIRST STRONG ISOLATE (U+2068) and POP
DIRECTIONAL ISOLATE (U+2069): the plain-text form of `<bdi>`. Control characters rather than
markup because most of these strings are content text, escaped as plain text and also shown
in <title>, aria attributes and the JSON API, where no tag can go. They cost 6 bytes a run.
The lint (app/i18n/lint.py) refuses a right-to-left catalog with a run left bare, and
`python -m app.cli i18n isolate` adds the isolates, so no translator has to type them.

Values inserted at render time (phone numbers, addresses, codes) are isolated where they are
inserted, in the templates (`<bdi>`, `dir="ltr"`) or in Python (app/web/court_labels.py).
"""

import re
from collections.abc import Iterator

FSI, LRI, RLI, PDI = "\u2068", "\u2066", "\u2067", "\u2069"

# Words of Latin letters or digits, a section's letter attached (212(c), 287(g)), joined by
# spaces or by - . / : & (I-862, 312-555-0123, regulations.gov, https://example.org, habeas
# corpus). A sentence's own full stop stays out: it belongs to the right-to-left sentence.
_WORD = r"[A-Za-z0-9][A-Za-z0-9'’]*(?:\([A-Za-z0-9]{1,3}\))*"
_RUN = rf"{_WORD}(?:[ ./:&-]+{_WORD})*"
LTR_RUN = re.compile(
    rf"""
    \(\s*"?{_RUN}"?\s*\)    # a gloss in parentheses: ("A-number"), (habeas corpus)
    | "{_RUN}"              # a gloss in quotes: "Joseph hearing"
    | «{_RUN}»
    | {_RUN}                # a bare run: Notice to Appear, I-862, 1-800-898-7180
    """,
    re.VERBOSE,
)
# What the scan must leave alone: placeholders, tags, and runs already in an isolate.
_OPAQUE = re.compile(rf"%\(\w+\)[sdif]|%[sdif%]|\{{\w*\}}|<[^>]*>|[{FSI}{LRI}{RLI}][^{PDI}]*{PDI}")


def _needs_isolate(run: str) -> bool:
    """A run of one word (ICE, DACA, 2026) has no neutral character for the algorithm to
    misplace and cannot wrap; anything with a space, a hyphen, a quote or a bracket can."""
    return not run.isalnum()


def _segments(text: str) -> Iterator[tuple[str, bool]]:
    """The text in pieces, each with whether the scan may look inside it."""
    position = 0
    for match in _OPAQUE.finditer(text):
        yield text[position : match.start()], True
        yield match.group(), False
        position = match.end()
    yield text[position:], True


def bare_runs(text: str) -> list[str]:
    """The left-to-right runs of a right-to-left string that need an isolate and lack one."""
    return [
        match.group()
        for piece, open_ in _segments(text)
        if open_
        for match in LTR_RUN.finditer(piece)
        if _needs_isolate(match.group())
    ]


def isolate_runs(text: str) -> str:
    """`text` with each bare left-to-right run in an isolate; isolated runs are left as they
    are, so running it twice changes nothing."""

    def wrap(match: re.Match[str]) -> str:
        run = match.group()
        return f"{FSI}{run}{PDI}" if _needs_isolate(run) else run

    return "".join(LTR_RUN.sub(wrap, piece) if open_ else piece for piece, open_ in _segments(text))


def unbalanced_isolates(text: str) -> bool:
    """True when an isolate is opened and not closed, or closed without being opened (an
    unclosed one would swallow the rest of the paragraph)."""
    depth = 0
    for char in text:
        if char in (FSI, LRI, RLI):
            depth += 1
        elif char == PDI:
            depth -= 1
            if depth < 0:
                return True
    return depth != 0
