"""Numbers and English glosses on an Arabic result, read from the screen (issue 12 item 3; the
journey review's P2 and P20), in real Chromium at 360×740.

The markup is not the check: the test asks the browser where it drew each digit group of a
phone number, and each parenthesis of a gloss (Range.getBoundingClientRect), so it fails
whenever the isolation does not work, whatever the markup says.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Locator

from tests.browser.conftest import Contexts
from tests.browser.test_journey_second_pass import finish

pytestmark = pytest.mark.browser

EOIR_PHONE = "1-800-898-7180"  # the immigration courts' case line (app/referrals/data)
COURT_CITATION = "8 CFR"  # the court block's first legal source (components/_court.html)
# Glosses the affected person's Arabic result keeps in English, each after an Arabic word; the
# first two can wrap inside (at a space, after a hyphen, as 'A ("A-' / 'number")' did in P20).
GLOSSES = ("(Notice to Appear)", '("check-in")', '("probation")')
WRAPPING = GLOSSES[:2]

# Every character of `element`'s text, as [text node, offset], so a range can be made over any
# piece of it (an isolate or a link may split the text into several nodes).
CHARACTERS = """
const characters = element => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const found = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let offset = 0; offset < node.data.length; offset++) found.push([node, offset]);
    }
    return found;
};
const box = (chars, start, end) => {
    const range = document.createRange();
    range.setStart(chars[start][0], chars[start][1]);
    range.setEnd(chars[end - 1][0], chars[end - 1][1] + 1);
    const rect = range.getBoundingClientRect();
    return {left: rect.left, right: rect.right, top: rect.top};
};
"""

# Where each group of `number` (split at `separator`) is drawn, in the order they are written.
GROUPS = (
    "(element, [number, separator]) => {"
    + CHARACTERS
    + """
    const chars = characters(element);
    const text = chars.map(([node, offset]) => node.data[offset]).join('');
    let start = text.indexOf(number);
    if (start < 0) return null;
    return number.split(separator).map(group => {
        const where = box(chars, start, start + group.length);
        start += group.length + 1;
        return {group, ...where};
    });
}"""
)

# The gloss's parentheses and the letters inside them, where they are drawn.
PARENTHESES = (
    "(element, gloss) => {"
    + CHARACTERS
    + """
    const chars = characters(element);
    const text = chars.map(([node, offset]) => node.data[offset]).join('');
    const start = text.indexOf(gloss), end = start + gloss.length;
    if (start < 0) return null;
    return {
        open: box(chars, start, start + 1), first: box(chars, start + 1, start + 2),
        last: box(chars, end - 2, end - 1), close: box(chars, end - 1, end),
    };
}"""
)


def open_every_fold(page: Any) -> None:
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")


def assert_groups_left_to_right(element: Locator, number: str, where: str) -> None:
    groups = element.evaluate(GROUPS, [number, "-"])
    assert groups, f"{number} is not in {where}"
    order = [g["group"] for g in sorted(groups, key=lambda g: g["left"])]
    assert order == number.split("-"), f"{where}: drawn as {'-'.join(order)}, {groups}"
    assert len({round(g["top"]) for g in groups}) == 1, f"{where}: {number} breaks, {groups}"


def test_numbers_read_left_to_right_in_arabic_prose_on_a_call_button_and_in_citations(
    contexts: Contexts,
) -> None:
    """P2: 1-800-898-7180 was drawn 7180-898-800-1 in Arabic, on Call buttons and in text."""
    page = finish(contexts, "affected", lang="ar").page
    open_every_fold(page)
    link = page.locator("main a[href^='tel:']:not(.button)", has_text=EOIR_PHONE)
    assert link.count() >= 1
    assert_groups_left_to_right(link.first.locator("xpath=.."), EOIR_PHONE, "a sentence")
    button = page.locator("main a.call", has_text=EOIR_PHONE)
    assert button.count() >= 1
    assert_groups_left_to_right(button.first, EOIR_PHONE, "a Call button")
    # The laws, in English, start with a number: "8 CFR" was drawn "CFR ... 8".
    citations = page.locator("main .citations", has_text=COURT_CITATION).first
    start = citations.evaluate(GROUPS, [COURT_CITATION, " "])
    assert start and start[0]["left"] < start[1]["left"], f"{COURT_CITATION} reads backwards"


def adjacent(left: dict[str, float], right: dict[str, float]) -> bool:
    """`left` is drawn just before `right`, on the same line."""
    return abs(left["top"] - right["top"]) < 2 and abs(left["right"] - right["left"]) < 1.5


def assert_parentheses_hold(element: Locator, gloss: str, where: str) -> None:
    seen = element.evaluate(PARENTHESES, gloss)
    assert seen, f"{gloss} is not in {where}"
    assert adjacent(seen["open"], seen["first"]), f"{where}: '(' is not before its word, {seen}"
    assert adjacent(seen["last"], seen["close"]), f"{where}: ')' is not after its word, {seen}"


# Narrows `element` until the gloss's parentheses land on two lines (P20 saw 'A ("A-' and
# 'number")' on a phone); true if it found such a width.
WRAP_INSIDE = """(element, gloss) => {
    for (let width = element.getBoundingClientRect().width; width > 40; width -= 2) {
        element.style.inlineSize = width + 'px';
        const range = document.createRange();
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(gloss);
            if (at < 0) continue;
            range.setStart(node, at); range.setEnd(node, at + gloss.length);
            if (range.getClientRects().length > 1) return true;
        }
    }
    return false;
}"""


def test_english_glosses_keep_their_parentheses_in_arabic(contexts: Contexts) -> None:
    """P20: an English phrase in an Arabic sentence keeps its parentheses and quotes beside it,
    on one line and when the line wraps inside it. On the result or one of its section pages
    (/q/result/<name>, linked from it)."""
    page = finish(contexts, "affected", lang="ar").page
    sections = page.locator("main .more-links a").evaluate_all("links => links.map(a => a.href)")
    unseen = list(GLOSSES)
    for address in [page.url, *sections]:
        page.goto(address)
        open_every_fold(page)
        for gloss in list(unseen):
            element = page.locator("main :is(p, li)").filter(has_text=gloss).first
            if not element.count():
                continue
            unseen.remove(gloss)
            assert_parentheses_hold(element, gloss, address)
            if gloss in WRAPPING:
                assert element.evaluate(WRAP_INSIDE, gloss), f"{gloss} never wrapped"
                assert_parentheses_hold(element, gloss, f"a line that wraps inside {gloss}")
    assert not unseen, f"{unseen} on neither the Arabic result nor its section pages"
