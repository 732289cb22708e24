"""The result's general sections (family, outreach, rights, documents) are pages of their own,
linked from the result under "More for your situation" (issue 14: the heaviest result did not fit
its 14 KB in Khmer, Punjabi or Russian with them folded in). The sections that follow from the
findings (what a lawyer must still find out, options) stay on the result, and the printable
page still has them all."""

import re

from fastapi.testclient import TestClient

from tests.web.chat_helpers import start
from tests.web.test_results import finish_in_chat, scenario, seeded  # noqa: F401 - a fixture

OWN_PAGES = ("family", "outreach", "rights", "documents")
MORE_LINK = re.compile(r'<a href="/q/result/([a-z]+)">([^<]+)</a>')


def _more_nav(page: str) -> str:
    return page[page.index('class="more-links"') : page.index("</nav>", page.index("more-links"))]


def test_the_result_links_the_general_sections_instead_of_folding_them_in(
    seeded: TestClient,  # noqa: F811 - the fixture imported above
) -> None:
    page = finish_in_chat(seeded, scenario("outreach_with_person_held"))
    links = dict(MORE_LINK.findall(_more_nav(page)))
    assert list(links) == ["family", "outreach", "rights", "documents"]
    assert links["rights"] == "Your rights"
    for name in OWN_PAGES:
        assert f'class="section section-{name}"' not in page
    # What follows from the findings stays here, folded; the jump links reach the list.
    assert 'class="section section-options"' in page
    jump = page[page.index('class="jump-links"') : page.index("</nav>", page.index("jump-links"))]
    assert '<a href="#more-heading">More for your situation</a>' in jump
    assert "#section-rights" not in jump


def test_each_section_page_has_its_heading_a_neutral_title_and_a_way_back(
    seeded: TestClient,  # noqa: F811 - the fixture imported above
) -> None:
    result = finish_in_chat(seeded, scenario("outreach_with_person_held"))
    for part, (name, heading) in enumerate(MORE_LINK.findall(_more_nav(result)), start=2):
        page = seeded.get(f"/q/result/{name}")
        assert page.status_code == 200, name
        # Neutral, as every title (history outlives Exit): never "Helping ... who is held".
        assert f"<title>Your result, part {part} · Puente</title>" in page.text
        assert f"<h1>{heading}</h1>" in page.text
        assert '<a href="/q/result">Back to the result</a>' in page.text
        assert page.headers["cache-control"].startswith("no-store")
    rights = seeded.get("/q/result/rights").text
    assert 'href="/learn/card"' in rights  # the library article, as the folded section had


def test_the_section_pages_speak_the_pages_language(
    seeded: TestClient,  # noqa: F811 - the fixture imported above
) -> None:
    finish_in_chat(seeded, scenario("outreach_with_person_held"))
    page = seeded.get("/q/result/rights?lang=es").text
    assert '<html lang="es"' in page
    assert "<h1>Sus derechos</h1>" in page


def test_a_section_not_shown_or_unknown_is_not_found(
    seeded: TestClient,  # noqa: F811 - the fixture imported above
) -> None:
    result = finish_in_chat(seeded, scenario("learner_only"))
    shown = dict(MORE_LINK.findall(result)) if 'class="more-links"' in result else {}
    assert "documents" not in shown  # documents are not for a learner (tests/legal)
    assert seeded.get("/q/result/documents").status_code == 404
    assert seeded.get("/q/result/options").status_code == 404  # on the result itself
    assert seeded.get("/q/result/nothing").status_code == 404
    assert seeded.get("/q/result/print").status_code == 200  # not shadowed


def test_a_section_page_before_the_end_leads_back_to_the_questions(
    real_client: TestClient,
) -> None:
    start(real_client)
    response = real_client.get("/q/result/rights", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/q"


def test_the_printable_result_still_holds_every_section(
    seeded: TestClient,  # noqa: F811 - the fixture imported above
) -> None:
    finish_in_chat(seeded, scenario("outreach_with_person_held"))
    printable = seeded.get("/q/result/print").text
    for name in OWN_PAGES:
        assert f'class="section section-{name}" open' in printable
    assert 'class="more-links"' not in printable
