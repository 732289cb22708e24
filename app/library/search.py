"""Search over the library in the page's language, by the database's full-text engine.

The articles are English YAML and their translations live in the catalogs, so the index is
built from them when the app starts: one row per article section and language. A digest of
every row is kept beside the index; a worker that finds it current does nothing, so several
workers starting together rebuild at most once (SQLite: BEGIN IMMEDIATE; PostgreSQL: an
advisory lock), and a new release with changed text or translations rebuilds it.

SQLite: an FTS5 table (migrations/versions/0007; 0009 keeps combining marks inside words, so a
Punjabi word is whole), Porter stemming for English, accents folded, every word matched as a
prefix, and for Arabic a column of light-normalized words (no article
prefix, no vowel marks, one alef) so that "المحامي" is found from "محامي". PostgreSQL: a
tsvector per row with the language's own dictionary (english, spanish, arabic), words matched
as prefixes; each row also holds its words without accents, so "deportacion" finds
"deportación" there too. Chinese and Khmer, written without spaces between words, are also
indexed as pairs of characters (app/library/segments.py): SQLite in the extra column,
PostgreSQL in the tsvector with the 'simple' configuration; their snippets are cut here, not
by the engine. Either way the person's words are reduced to letters, digits and the marks inside
words (`words_of`) before they reach the engine, so no input can be a query-syntax error.
Nothing records what anyone searched for.
"""

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, text

from app import i18n
from app.db import Database
from app.flow.articles import Article
from app.i18n import pgettext, reset_locale, use_locale
from app.library import segments

MAX_QUERY = 100  # characters; longer is refused with a message (app/web/public/learn.py)
MAX_WORDS = 8
LIMIT = 20
# Private-use characters mark the matched words in a snippet; content never contains them.
START, STOP = "\ue000", "\ue001"
_PLACEHOLDER = re.compile(r"\s*\{\w+\}")
_SPACES = re.compile(r"\s+")
PG_CONFIG = {  # PostgreSQL's stemming dictionaries; other languages: "simple"
    "en": "english",
    "es": "spanish",
    "ar": "arabic",
    "fr": "french",
    "pt_BR": "portuguese",
    "ru": "russian",
}
# Changed whenever a row is indexed differently, so that an index built by an earlier release
# is rebuilt even if no text changed (2: Chinese and Khmer pairs).
_INDEX_FORMAT = "2"
# One advisory-lock key for the rebuild (PostgreSQL): any constant the app uses for nothing else.
_PG_LOCK = 151_015

# Arabic light normalization (SQLite only; PostgreSQL's arabic dictionary stems).
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")


@dataclass(frozen=True)
class Entry:
    """One section of one article in one language, as the index holds it."""

    locale: str
    slug: str
    section: str
    title: str
    heading: str
    body: str

    @property
    def text(self) -> str:
        """Everything of the section that a search can match, as one text."""
        return f"{self.title} {self.heading} {self.body}"


@dataclass(frozen=True)
class Hit:
    slug: str
    section: str
    title: str
    heading: str
    snippet: tuple[tuple[str, bool], ...]  # (text, is a matched word), in reading order

    @property
    def href(self) -> str:
        return f"/learn/{self.slug}#{self.section}"


def entries(articles: Mapping[str, Article]) -> list[Entry]:
    """Every section of every article in every shipped language, placeholders left out."""
    found = []
    for locale in i18n.LANGUAGES:  # read now, not at import: a release (or a test) adds some
        token = use_locale(locale)
        try:
            for article in articles.values():
                found += _article_entries(locale, article)
        finally:
            reset_locale(token)
    return found


def _article_entries(locale: str, article: Article) -> list[Entry]:
    base = f"learn.{article.slug}"
    title = pgettext(f"{base}.title", article.title)
    summary = pgettext(f"{base}.summary", article.summary)
    found = []
    for index, section in enumerate(article.sections):
        parts = [
            pgettext(f"{base}.{section.id}.p{i}", paragraph)
            for i, paragraph in enumerate(section.paragraphs)
        ]
        parts += [
            pgettext(f"{base}.{section.id}.point{i}", point)
            for i, point in enumerate(section.points)
        ]
        if index == 0:
            parts.insert(0, summary)
        body = _SPACES.sub(" ", _PLACEHOLDER.sub("", " ".join(parts))).strip()
        heading = pgettext(f"{base}.{section.id}.heading", section.heading)
        found.append(Entry(locale, article.slug, section.id, title, heading, body))
    return found


def digest(rows: Iterable[Entry]) -> str:
    hashed = hashlib.sha256(_INDEX_FORMAT.encode())
    for row in rows:
        hashed.update(repr(row).encode())
    return hashed.hexdigest()


def ensure_index(db: Database, articles: Mapping[str, Article]) -> bool:
    """Bring the index up to date with the articles and catalogs; True if it was rebuilt."""
    rows = entries(articles)
    wanted = digest(rows)
    with db.write_connection() as connection:
        if not db.is_sqlite:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
        current = connection.execute(
            text("SELECT digest FROM library_search_state WHERE id = 1")
        ).scalar()
        if current == wanted:
            return False
        connection.execute(text("DELETE FROM library_search"))
        if db.is_sqlite:
            _fill_sqlite(connection, rows)
        else:
            _fill_postgres(connection, rows)
        connection.execute(text("DELETE FROM library_search_state"))
        connection.execute(
            text("INSERT INTO library_search_state (id, digest) VALUES (1, :digest)"),
            {"digest": wanted},
        )
    return True


def _fill_sqlite(connection: Connection, rows: list[Entry]) -> None:
    if not rows:
        return
    connection.execute(
        text(
            "INSERT INTO library_search (locale, slug, section, title, heading, body, extra) "
            "VALUES (:locale, :slug, :section, :title, :heading, :body, :extra)"
        ),
        [{**row.__dict__, "extra": " ".join(_extra_words(row))} for row in rows],
    )


def _extra_words(row: Entry) -> list[str]:
    """SQLite's extra column: Arabic words light-normalized, Chinese and Khmer as pairs."""
    if row.locale == "ar":
        return arabic_forms(row.text)
    if row.locale in segments.UNSEGMENTED:
        return segments.index_tokens(row.text)
    return []


def _fill_postgres(connection: Connection, rows: list[Entry]) -> None:
    if not rows:
        return
    connection.execute(
        text(
            "INSERT INTO library_search (locale, slug, section, title, heading, body, document) "
            "VALUES (:locale, :slug, :section, :title, :heading, :body, "
            "setweight(to_tsvector(CAST(:config AS regconfig), :title), 'A') "
            "|| setweight(to_tsvector(CAST(:config AS regconfig), :heading), 'B') "
            "|| to_tsvector(CAST(:config AS regconfig), :body) "
            "|| to_tsvector(CAST(:config AS regconfig), :folded) "
            "|| to_tsvector(CAST('simple' AS regconfig), :pairs))"
        ),
        [
            {
                **row.__dict__,
                "config": PG_CONFIG.get(row.locale, "simple"),
                "folded": fold(row.text),
                "pairs": " ".join(segments.index_tokens(row.text))
                if row.locale in segments.UNSEGMENTED
                else "",
            }
            for row in rows
        ],
    )


def words_of(text: str) -> list[str]:
    """The words of `text`: runs of letters and digits with the combining marks inside them.
    A regular expression's \\w stops at a mark, so "ਵਕੀਲ" (lawyer, Punjabi) would be two words,
    "ਵਕ" and "ਲ", and "ਲ" as a prefix matches half the library; the index keeps marks inside
    its words too (SQLite: unicode61 with categories Mc and Mn, migration 0009)."""
    found: list[str] = []
    word: list[str] = []
    for char in text:
        if char.isalnum() or (word and unicodedata.category(char)[0] == "M"):
            word.append(char)
        elif word:
            found.append("".join(word))
            word = []
    if word:
        found.append("".join(word))
    return found


def fold(words: str) -> str:
    """The words without accents or other combining marks ("deportación" -> "deportacion")."""
    decomposed = unicodedata.normalize("NFKD", words)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def arabic_forms(words: str) -> list[str]:
    """Each Arabic word without vowel marks, with one alef, and without a leading article."""
    found = []
    for word in words_of(words):
        plain = _ARABIC_MARKS.sub("", word).translate(_ARABIC_LETTERS)
        for prefix in _ARABIC_PREFIXES:
            if plain.startswith(prefix) and len(plain) - len(prefix) >= 2:
                plain = plain[len(prefix) :]
                break
        found.append(plain)
    return found


def query_words(query: str, *, arabic: bool = False, unsegmented: bool = False) -> list[str]:
    """The person's words as the engine sees them: letters and digits only, at most 8; for
    Arabic on SQLite, normalized as the index's extra column is; for Chinese and Khmer, their
    runs of characters as the index's pairs (digits), then the other words."""
    if unsegmented:
        pairs = segments.query_tokens(query)
        return pairs + query_words(segments.without_runs(query))
    words = [word.lower() for word in words_of(query)][:MAX_WORDS]
    return arabic_forms(" ".join(words)) if arabic else words


def search(db: Database, locale: str, query: str, limit: int = LIMIT) -> list[Hit]:
    """The sections that hold every word (each as a prefix), best first."""
    unsegmented = locale in segments.UNSEGMENTED
    words = query_words(query, arabic=locale == "ar" and db.is_sqlite, unsegmented=unsegmented)
    if not words:
        return []
    # Pairs can all be in a section without the word (Khmer repeats its pairs a lot): those
    # sections are dropped below, so the engine is asked for more.
    wanted = limit * segments.MARGIN if unsegmented else limit
    with db.read() as session:
        connection = session.connection()
        rows = (
            _search_sqlite(connection, locale, words, wanted, whole_body=unsegmented)
            if db.is_sqlite
            else _search_postgres(connection, locale, words, wanted, whole_body=unsegmented)
        )
    if unsegmented:  # the body itself came back; the words typed are marked in it here
        typed = segments.runs(query)
        others = words_of(segments.without_runs(query))
        return [
            Hit(slug, section, title, heading, segments.excerpt(body, typed + others))
            for slug, section, title, heading, body in rows
            if segments.holds(f"{title} {heading} {body}", typed)
        ][:limit]
    return [
        Hit(slug, section, title, heading, _marked(snippet))
        for slug, section, title, heading, snippet in rows
    ]


def _search_sqlite(
    connection: Connection, locale: str, words: list[str], limit: int, *, whole_body: bool
) -> list[tuple[str, str, str, str, str]]:
    match = " ".join(f'"{word}"*' for word in words)  # letters and digits only: no syntax
    statement = text(
        "SELECT slug, section, title, heading, "
        "CASE WHEN :whole_body THEN body ELSE snippet(library_search, 5, :start, :stop, '…', 24) "
        "END FROM library_search WHERE library_search MATCH :match AND locale = :locale "
        # Weights per column: locale, slug, section (unindexed), title, heading, body, extra.
        "ORDER BY bm25(library_search, 0, 0, 0, 8.0, 4.0, 1.0, 1.0) LIMIT :limit"
    )
    params = {
        "match": match,
        "locale": locale,
        "limit": limit,
        "start": START,
        "stop": STOP,
        "whole_body": whole_body,
    }
    return [tuple(row) for row in connection.execute(statement, params)]


def _search_postgres(
    connection: Connection, locale: str, words: list[str], limit: int, *, whole_body: bool
) -> list[tuple[str, str, str, str, str]]:
    statement = text(
        "SELECT slug, section, title, heading, CASE WHEN :whole_body THEN body "
        "ELSE ts_headline(CAST(:config AS regconfig), body, query, :options) END "
        "FROM library_search, "
        "to_tsquery(CAST(:config AS regconfig), :match) AS query "
        "WHERE locale = :locale AND document @@ query "
        "ORDER BY ts_rank(document, query) DESC, slug, section LIMIT :limit"
    )
    params = {
        "config": PG_CONFIG.get(locale, "simple"),
        # Letters and digits only; each word as typed or without its accents, as a prefix.
        "match": " & ".join(
            f"({word}:* | {fold(word)}:*)" if fold(word) != word else f"{word}:*" for word in words
        ),
        "options": f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, "
        "MaxFragments=1, FragmentDelimiter=…",
        "locale": locale,
        "limit": limit,
        "whole_body": whole_body,
    }
    return [tuple(row) for row in connection.execute(statement, params)]


def _marked(snippet: str) -> tuple[tuple[str, bool], ...]:
    """A snippet with its markers as (text, matched) parts, so the template marks them up."""
    parts: list[tuple[str, bool]] = []
    for index, piece in enumerate(re.split(f"[{START}{STOP}]", snippet or "")):
        if piece:
            parts.append((piece, index % 2 == 1))
    return tuple(parts)
