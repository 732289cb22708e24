"""The library (issue 15): short plain-language articles read from `app/content/learn/`, one
YAML file an article, the file named after its slug.

Articles are content like the questionnaire's (docs/content.md): English source text, `sources`
and a `review` record on each, unknown keys refused, every problem named by its file and slug.
Each string is translated with `pgettext(context, english)`; `article_messages` gives the
contexts, so what the extractor writes into the catalogs is exactly what the pages look up.
"""

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import Field, StringConstraints, ValidationError, model_validator

from app.flow.content import (
    ContentError,
    Id,
    NonEmpty,
    Problem,
    Review,
    Sources,
    _messages,
    _Strict,
)
from app.flow.yaml_loader import YamlFileError, load_yaml

LEARN_DIR = "learn"
# Neutral words only (DESIGN.md Privacy: a path must not say what the page is about aloud).
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]


class Section(_Strict):
    """A heading, its paragraphs, and an optional bullet list after them."""

    id: Id
    heading: NonEmpty
    paragraphs: tuple[NonEmpty, ...] = ()
    points: tuple[NonEmpty, ...] = ()

    @model_validator(mode="after")
    def _says_something(self) -> Self:
        if not (self.paragraphs or self.points):
            raise ValueError("a section needs `paragraphs`, `points` or both")
        return self


# How a page shows the sections: headings and paragraphs; a list of terms (the glossary, each
# section one term, its id the anchor other pages link to); or a wallet card to print.
Layout = Literal["article", "glossary", "card"]


class Article(_Strict):
    slug: Slug
    title: NonEmpty
    summary: NonEmpty  # one sentence under the title and in the library's list
    order: int  # place in the library's list (the order)
    sections: Annotated[tuple[Section, ...], Field(min_length=1)]
    # Finding codes (app/legal/findings.py) this article explains: their result cards link here.
    explains: tuple[Id, ...] = ()
    # Result page sections (app/content/pages/{name}.yaml) whose "Read more" link comes here.
    explains_sections: tuple[Id, ...] = ()
    layout: Layout = "article"
    sources: Sources
    review: Review

    @property
    def draft(self) -> bool:
        return self.review.status != "reviewed"


def article_messages(article: Article) -> Iterator[tuple[str, str]]:
    """(context, English) for every string of the article, in reading order."""
    base = f"learn.{article.slug}"
    yield f"{base}.title", article.title
    yield f"{base}.summary", article.summary
    for section in article.sections:
        yield f"{base}.{section.id}.heading", section.heading
        for index, paragraph in enumerate(section.paragraphs):
            yield f"{base}.{section.id}.p{index}", paragraph
        for index, point in enumerate(section.points):
            yield f"{base}.{section.id}.point{index}", point


def parse_article(raw: Any, file: str, slug: str, problems: list[Problem]) -> Article | None:
    """The article, or None with its problems (named by file and slug) added."""
    try:
        article = Article.model_validate(raw)
    except ValidationError as error:
        problems += [Problem(file, slug, message) for _loc, message in _messages(error)]
        return None
    if article.slug != slug:
        problems.append(Problem(file, slug, f"`slug` {article.slug!r} must match the file name"))
        return None
    return article


def read_articles(content_dir: Path) -> tuple[dict[str, Article], list[Problem]]:
    """Every article under `content_dir/learn`, in the library's order, and every problem."""
    problems: list[Problem] = []
    found: list[Article] = []
    for path in sorted((content_dir / LEARN_DIR).glob("*.yaml")):
        file = f"app/content/{LEARN_DIR}/{path.name}"
        try:
            raw = load_yaml(path)
        except YamlFileError as error:
            problems.append(Problem(file, path.stem, str(error)))
            continue
        article = parse_article(raw, file, path.stem, problems)
        if article is not None:
            found.append(article)
    found.sort(key=lambda article: (article.order, article.slug))
    return {article.slug: article for article in found}, problems


def load_articles(content_dir: Path) -> Mapping[str, Article]:
    """The articles, or ContentError listing their problems (the app refuses to start)."""
    articles, problems = read_articles(content_dir)
    if problems:
        raise ContentError(problems)
    return articles
