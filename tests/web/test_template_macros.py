"""The GOV.UK-pattern macros in templates/macros/, rendered with example parameters (as GOV.UK
Frontend's template tests render each component's examples), and the view values they need."""

import re

import jinja2
import pytest

from app.config import ROOT
from app.flow.content import Node, load_content
from app.flow.engine import Engine, Position
from app.web.public import views
from app.web.templating import make_environment
from tests.conftest import FIXTURE_CONTENT


@pytest.fixture(scope="module")
def env() -> jinja2.Environment:
    return make_environment(ROOT / "templates")


def render(env: jinja2.Environment, macro: str, *args: object, **kwargs: object) -> str:
    module = env.get_template(f"macros/{macro}.html").module
    name = "question_fields" if macro == "question" else macro
    return str(getattr(module, name)(*args, **kwargs))


def test_every_macro_documents_its_parameters(env: jinja2.Environment) -> None:
    for path in sorted((ROOT / "templates" / "macros").glob("*.html")):
        text = path.read_text(encoding="utf-8")
        assert "Parameters:" in text, f"{path.name}: no documented parameters"
        assert text.index("Parameters:") < text.index("{% macro"), path.name


def test_error_summary_alerts_inside_the_focusable_box_and_links_to_fields(
    env: jinja2.Environment,
) -> None:
    html = render(
        env,
        "error_summary",
        [{"text": "Enter a ZIP code", "field_id": "zip"}, {"text": "Try again later"}],
    )
    assert re.search(r'<div class="error-summary" tabindex="-1">\s*<div role="alert">', html)
    assert "<h2>There is a problem</h2>" in html
    assert '<li><a href="#zip">Enter a ZIP code</a></li>' in html
    assert "<li>Try again later</li>" in html  # no field to link to


def test_error_message_is_prefixed_for_screen_readers(env: jinja2.Environment) -> None:
    html = render(env, "error_message", "zip-error", "Enter <5> digits")
    assert html.strip() == (
        '<p class="error-message" id="zip-error"><span class="visually-hidden">Error:</span> '
        "Enter &lt;5&gt; digits</p>"
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("Start",), '<button type="submit" class="button primary">Start</button>'),
        (
            ("I don't know", "secondary"),
            '<button type="submit" class="button secondary">I don&#39;t know</button>',
        ),
        (("Go", "secondary", "/q"), '<a class="button secondary" href="/q">Go</a>'),
    ],
)
def test_button_is_a_link_only_when_it_leads_somewhere(
    env: jinja2.Environment, args: tuple[str, ...], expected: str
) -> None:
    assert render(env, "button", *args).strip() == expected


def test_a_named_button_sends_its_value(env: jinja2.Environment) -> None:
    html = render(env, "button", "I don't know", "secondary", name="unknown", value="1")
    assert 'name="unknown" value="1"' in html and "<a " not in html


def test_call_button_links_to_the_phone(env: jinja2.Environment) -> None:
    html = render(env, "call_button", "(312) 555-0123", "tel:+13125550123")
    assert html.strip() == (
        '<a class="button call" href="tel:+13125550123">'
        'Call <bdi dir="ltr">(312) 555-0123</bdi></a>'
    )


def test_choice_labels_its_input(env: jinja2.Environment) -> None:
    html = render(env, "choice", "radio", "detained", "detained-no", "no", "No", True)
    assert html.strip() == (
        '<div class="option"><input type="radio" name="detained" id="detained-no" value="no" '
        'checked><label for="detained-no">No</label></div>'
    )


def _question_view(options: int, input_kind: str = "single") -> dict:
    node = Node.model_validate(
        {
            "id": "place",
            "type": "question",
            "prompt": "Where?",
            "input": input_kind,
            "options": [{"value": f"o{i}", "label": f"Place {i}"} for i in range(options)],
            "unknown": "dont_know",
            "sources": ["example"],
            "review": {"status": "draft"},
        }
    )
    engine = Engine(load_content(FIXTURE_CONTENT))
    return views.question(views.question_inputs(engine, Position(node, ()), {}), error="Choose one")


@pytest.mark.parametrize(
    ("options", "input_kind", "field_id"),
    [(3, "single", "answer-o0"), (21, "single", "answer"), (0, "zip", "answer")],
    ids=["radios", "select", "typed"],
)
def test_the_error_summary_links_to_a_control_of_the_question(
    env: jinja2.Environment, options: int, input_kind: str, field_id: str
) -> None:
    view = _question_view(options, input_kind)
    assert view["field_id"] == field_id
    assert f'id="{field_id}"' in render(env, "question", view)


def test_question_legend_is_the_page_heading_with_i_dont_know(env: jinja2.Environment) -> None:
    html = render(env, "question", _question_view(3))
    heading = (
        r'<fieldset aria-describedby="question-progress answer-error" data-listen="Listen">\s*'
        r'<legend><h1 id="question-heading"'
    )
    assert re.search(heading, html)
    # What app.js reads aloud: the question and each choice (issue 14, item 6).
    assert re.search(r'<h1 id="question-heading"[^>]* data-say>', html)
    assert '<div class="options" data-say>' in html
    assert html.count('type="radio" name="value"') == 3
    assert 'name="unknown" value="1"' in html
