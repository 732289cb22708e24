"""The question an answer fragment reuses (app/web/block_memo.py) is the question a full page
renders: on the shipped questionnaire, in several languages, with a court list, whether the
block was just rendered or kept; and the memo keeps only content, bounded."""

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.flow.places import Place, PlaceList
from app.referrals import models as m
from app.referrals.placeholders import PLACEHOLDERS
from app.referrals.seed import seed_directory
from app.web.block_memo import BlockMemo, mark
from app.web.public.views import QuestionInputs
from app.web.templating import Renderer, put_in
from tests.web.chat_helpers import answer, start
from tests.web.test_court_question import HEARING_SOON, RELATIVE_HELD, courts  # noqa: F401  # a fixture
from tests.web.test_placeholder_pages import NEW, NEW_LINK, OLD
from tests.web.test_results import scenario

HTMX = {"HX-Request": "true"}
CURRENT = re.compile(r'<section id="current".*?</section>', re.S)
TITLE = re.compile(r"<title>.*?</title>", re.S)
# Branches that share questions at other points (a green card holder is asked the year of it, a
# person who entered without papers is not, so every later question has another number): a
# block kept by one must not show in the other.
WALKS = [
    ("lpr_possession_long_resident", "en"),
    ("ewi_lsd_sale", "en"),
    ("lpr_possession_long_resident", "ar"),
    ("family_relative_held_unknowns", "es"),
    ("family_relative_held_unknowns", "es"),  # the same again: every block from the memo
]


def _memo(client: TestClient) -> BlockMemo:
    renderer: Renderer = client.app.state.puente.renderer
    return renderer.memo


def _walk_comparing(client: TestClient, answers: list[list[object]], lang: str) -> int:
    """Answers as htmx does; after each, the fragment's question and title must be the full
    page's. Returns how many fragments were compared."""
    start(client, lang)
    compared = 0
    for question, value in answers:
        sent = value if isinstance(value, list) else str(value)
        fragment = answer(client, str(question), sent, headers=HTMX)
        if fragment.headers.get("hx-redirect") == "/q/result":  # the last answer
            break
        assert fragment.status_code == 200, fragment.text[:300]
        page = client.get("/q").text
        assert CURRENT.findall(fragment.text) == CURRENT.findall(page), question
        assert TITLE.findall(fragment.text) == TITLE.findall(page), question
        bubble = re.compile(f'<li class="exchange" id="answer-to-{question}">.*?</li>', re.S)
        assert len(bubble.findall(fragment.text)) == 1, question
        assert bubble.findall(fragment.text) == bubble.findall(page), question
        compared += 1
    return compared


def test_a_reused_question_is_the_full_pages_question(real_client: TestClient) -> None:
    misses_before_second_walk = None
    for number, (name, lang) in enumerate(WALKS):
        if number == len(WALKS) - 1:
            misses_before_second_walk = len(_memo(real_client))
        assert _walk_comparing(real_client, scenario(name), lang) >= 5
    # The last walk repeated an earlier one: it found every question kept, and kept no more.
    assert len(_memo(real_client)) == misses_before_second_walk


def test_a_reused_court_list_is_the_full_pages_list(courts: TestClient) -> None:  # noqa: F811
    zip_step = [["zip", "33194"]]
    for held, lang in [(RELATIVE_HELD, "en"), (HEARING_SOON, "es"), (RELATIVE_HELD, "en")]:
        courts.cookies.clear()
        assert _walk_comparing(courts, [*held, *zip_step], lang) == len(held) + 1
        assert 'value="KRO"' in CURRENT.findall(courts.get("/q").text)[0]


def test_each_person_gets_their_own_token_in_a_kept_block(real_client: TestClient) -> None:
    tokens = set()
    for _person in range(2):
        real_client.cookies.clear()
        start(real_client, "en")
        fragment = answer(real_client, "who", "self", headers=HTMX)
        found = set(re.findall(r'name="csrf" value="([^"]+)"', fragment.text))
        assert len(found) == 1 and "\ue000" not in fragment.text
        tokens |= found
    assert len(tokens) == 2


def test_an_answer_with_an_error_keeps_nothing_of_what_was_typed(
    real_client: TestClient,
) -> None:
    start(real_client, "en")
    walked = 0
    shown: set[str] = set()  # the answers as the bubbles showed them
    for question, value in scenario("lpr_possession_long_resident"):
        if question == "zip":
            refused = answer(real_client, "zip", "9z9z9", headers=HTMX)
            assert refused.status_code == 422 and "9z9z9" in refused.text
            break
        sent = value if isinstance(value, list) else str(value)
        fragment = answer(real_client, str(question), sent, headers=HTMX).text
        shown.update(re.findall(r'visually-hidden">Your answer: </span>([^<]*)</p>', fragment))
        walked += 1
    else:
        pytest.fail("the scenario asks no ZIP code")
    assert walked
    kept = list(_memo(real_client)._kept.values())
    assert not any("9z9z9" in html for html in kept)
    # The bubbles kept hold a mark where the answer goes, never an answer.
    bubbles = [html for html in kept if 'class="exchange"' in html]
    assert len(bubbles) == walked and all(mark("answer") in html for html in bubbles)
    assert len(shown) >= 3 and not any(
        f"Your answer: </span>{label}</p>" in html for html in bubbles for label in shown
    )


def test_the_memo_keeps_the_most_recently_used_within_its_size() -> None:
    memo = BlockMemo(capacity=10)
    memo.keep("a", "A" * 4)
    memo.keep("b", "B" * 4)
    assert memo.get("a") == "AAAA"  # now the most recent
    memo.keep("c", "C" * 4)  # 12 characters: the least recently used goes
    assert (memo.get("a"), memo.get("b"), memo.get("c")) == ("AAAA", None, "CCCC")
    assert (len(memo), memo.size) == (2, 8)
    memo.keep("a", "A" * 2)  # kept again, smaller
    assert (len(memo), memo.size) == (2, 6)
    memo.keep("big", "X" * 11)  # larger than the whole memo: kept by nobody
    assert (len(memo), memo.size, memo.get("big")) == (0, 0, None)


def test_the_key_changes_with_every_input(real_client: TestClient) -> None:
    engine = real_client.app.state.puente.engine
    node = engine.start
    place = Place("MIA", "MIA", "court", "Miami", None, "Miami, FL 33194")
    base = QuestionInputs(node, "you", PlaceList(), None, 0, 5, False)
    changed = [
        base._replace(node=next(n for n in engine.content.nodes.values() if n is not node)),
        base._replace(perspective="they"),
        base._replace(places=PlaceList((place,))),
        base._replace(help=None if base.help else "help"),  # type: ignore[arg-type]
        base._replace(answered=1),
        base._replace(remaining=4),
        base._replace(can_go_back=True),
    ]
    assert len(changed) == len(QuestionInputs._fields)
    assert len({inputs.key for inputs in [base, *changed]}) == len(changed) + 1


def test_a_kept_question_shows_a_number_changed_since(real_client: TestClient) -> None:
    """A question's help can name a directory number (detained_info: the EOIR line): the help
    as filled is part of the key, so a staff edit shows on the next fragment, not a kept one."""
    db = real_client.app.state.puente.db
    with db.write() as session:
        seed_directory(session)
    answers = scenario("family_relative_held_unknowns")
    before = next(i for i, (question, _) in enumerate(answers) if question == "detained_info") - 1

    def fragment_of_detained_info() -> str:
        real_client.cookies.clear()
        start(real_client, "en")
        for question, value in answers[:before]:
            assert answer(real_client, str(question), str(value)).status_code == 303
        question, value = answers[before]
        return str(answer(real_client, str(question), str(value), headers=HTMX).text)

    assert OLD in fragment_of_detained_info()
    with db.write() as session:
        service_id = PLACEHOLDERS["eoir_phone"].service_id
        phone = session.exec(select(m.Phone).where(m.Phone.service_id == service_id)).one()
        phone.number = NEW
        session.add(phone)
    fragment = fragment_of_detained_info()
    assert NEW_LINK in fragment and OLD not in fragment


def test_a_persons_values_are_put_in_escaped_and_never_searched_for_marks() -> None:
    marked = f'<p title="{mark("a")}">{mark("b")}</p>'
    shown = put_in(marked, {mark("a"): '"<x>"', mark("b"): f"{mark('a')} & more"})
    assert shown == f'<p title="&#34;&lt;x&gt;&#34;">{mark("a")} &amp; more</p>'
