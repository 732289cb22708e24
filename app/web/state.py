"""What every request handler needs, built once per app and kept on `app.state.puente`."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import ParamSpec, TypeVar

from app.config import Settings
from app.db import Database, WouldWait
from app.flow.articles import Article
from app.flow.content import Content
from app.flow.engine import Engine, Position
from app.referrals.placeholders import Filled, LazyValues, resolve
from app.referrals.revision import current_revision
from app.referrals.snapshot import Directory, DirectoryCache
from app.respondents.sessions import SessionStore
from app.results import Result, build_result
from app.web.db_threads import DatabaseThreads
from app.web.templating import Renderer

Args = ParamSpec("Args")
Read = TypeVar("Read")


@dataclass
class AppState:
    settings: Settings
    db: Database
    content: Content
    engine: Engine
    store: SessionStore
    renderer: Renderer
    directory: DirectoryCache
    articles: Mapping[str, Article] = field(default_factory=dict)  # the library, by slug
    db_threads: DatabaseThreads = field(init=False)

    def __post_init__(self) -> None:
        settings = self.settings
        threads = 1 if self.db.is_sqlite else settings.db_pool_size + settings.db_max_overflow
        self.db_threads = DatabaseThreads(threads)

    async def read(
        self, function: Callable[Args, Read], *args: Args.args, **kwargs: Args.kwargs
    ) -> Read:
        """A handler's short database read, without blocking the event loop for long.

        On SQLite it runs here and now: a read in WAL mode never waits for a lock and takes
        some microseconds, less than the hop to a worker thread and back (docs/benchmarks.md).
        On PostgreSQL it is a network round trip and goes to the database threads, as
        respondents' writes do everywhere (a write can wait for a lock).
        """
        if self.db.is_sqlite:
            return function(*args, **kwargs)
        return await self.db_threads(function, *args, **kwargs)

    async def write(
        self, function: Callable[Args, Read], *args: Args.args, **kwargs: Args.kwargs
    ) -> Read:
        """A respondent's write, made of one write transaction (and reads before it).

        On SQLite it runs here and now when the write lock is free, as it nearly always is (a
        write holds it for some tens of microseconds): the hop to the database thread and back
        cost a third of an answer's CPU (docs/benchmarks.md). When the lock is held (another
        worker's write, or this one's database thread), it goes to the database thread and
        waits its turn there, never on the event loop (`Database.without_waiting`). On
        PostgreSQL a write is network round trips and always goes to the database threads.
        """
        if self.db.is_sqlite:
            try:
                return self.db.without_waiting(function, *args, **kwargs)
            except WouldWait:
                pass
        return await self.db_threads(function, *args, **kwargs)

    def placeholder_values(self) -> Mapping[str, Filled]:
        """Values for `{placeholders}` in content text, from the directory snapshot; read only
        when a text names one (app/referrals/placeholders.py)."""
        return LazyValues(self._read_placeholder_values)

    def _read_placeholder_values(self) -> Mapping[str, Filled]:
        return resolve(self.directory_now(), self.store.today())

    def directory_now(self) -> Directory:
        """This worker's copy of the directory, reloaded when another worker changed it."""
        current = self.directory.at(current_revision(self.db))
        if current is not None:
            return current
        with self.db.read() as session:
            return self.directory.get(session)

    def result(self, position: Position) -> Result:
        """The result of a finished questionnaire, as of today."""
        return build_result(self.content, self.directory_now(), position, self.store.today())

    @property
    def respondent_cookie(self) -> str:
        """`__Host-` needs Secure, which plain-HTTP development cannot send."""
        return "__Host-sid" if self.settings.is_production else "sid"

    @property
    def exit_cookie(self) -> str:
        """The mark app.js sets as it leaves by Exit (static/js/app.js names it the same way,
        by the page's scheme): the next request from this browser ends the session here, even
        if the Exit beacon has not arrived yet."""
        return "__Host-exit" if self.settings.is_production else "exit"
