"""R3.6 and R3.1: autoescape on; no |safe or Markup( outside an allowlist; no inline script,
style, event handler, hx-on or js: value anywhere in templates or app code."""

import re

from app.config import ROOT
from app.web.templating import make_environment

# file (relative to the repository) -> why it may mark text as safe. Keep it this short.
SAFE_ALLOWLIST: dict[str, str] = {
    "app/web/templating.py": "Renderer.fragment: a partial rendered with autoescape, placed whole "
    "(the printable result's per-language columns)",
}
BANNED_IN_CODE = re.compile(r"\|\s*safe\b|Markup\(|markupsafe")
BANNED_IN_TEMPLATES = [
    (re.compile(r"\|\s*safe\b"), "|safe"),
    (re.compile(r"\bautoescape\s+false", re.IGNORECASE), "autoescape false"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), 'inline style=""'),
    (re.compile(r"<style", re.IGNORECASE), "<style>"),
    # A script only by its versioned URL: src="{{ static_url('js/x.js') }}".
    (
        re.compile(r"<script(?![^>]*\ssrc=\"\{\{ static_url\('[^']+'\) \}\}\")", re.IGNORECASE),
        "inline <script>",
    ),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "event handler attribute"),
    (re.compile(r"hx-on|hx-vars|js:|javascript:", re.IGNORECASE), "hx-on, hx-vars or js:"),
]


def _files(pattern: str) -> list:
    return sorted(path for path in ROOT.glob(pattern) if path.is_file())


def test_autoescape_is_on() -> None:
    env = make_environment(ROOT / "templates")
    assert env.autoescape is True
    rendered = env.from_string("{{ value }}").render(value="<script>x</script>")
    assert "<script>" not in rendered


def test_templates_hold_no_unsafe_markup() -> None:
    problems = []
    for path in _files("templates/**/*.html"):
        relative = str(path.relative_to(ROOT))
        text = path.read_text(encoding="utf-8")
        for pattern, name in BANNED_IN_TEMPLATES:
            if pattern.search(text) and relative not in SAFE_ALLOWLIST:
                problems.append(f"{relative}: {name}")
    assert problems == []


def test_python_never_marks_text_safe() -> None:
    problems = [
        str(path.relative_to(ROOT))
        for path in _files("app/**/*.py")
        if BANNED_IN_CODE.search(path.read_text(encoding="utf-8"))
        and str(path.relative_to(ROOT)) not in SAFE_ALLOWLIST
    ]
    assert problems == []


def test_the_lint_catches_what_it_bans() -> None:
    samples = [
        '<p style="x">',
        "{{ x|safe }}",
        "<script>a()</script>",
        '<a onclick="x">',
        '<div hx-on:click="x">',
        '<script src="/static/js/app.js">',  # unversioned: a year-long cache would go stale
        '<script src="https://cdn.example/x.js">',
    ]
    for sample in samples:
        assert any(pattern.search(sample) for pattern, _ in BANNED_IN_TEMPLATES), sample
    allowed = "<script src=\"{{ static_url('js/app.js') }}\" defer></script>"
    assert not any(pattern.search(allowed) for pattern, _ in BANNED_IN_TEMPLATES)
    assert BANNED_IN_CODE.search("Markup(text)")
