"""What every request handler needs, built once per app and kept on `app.state.puente`."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from app.config import Settings
from app.db import Database
from app.flow.articles import Article
from app.flow.content import Content
from app.flow.engine import Engine, Position
from app.referrals.placeholders import Filled, LazyValues, resolve
from app.referrals.snapshot import Directory, DirectoryCache
from app.respondents.sessions import SessionStore
from app.results import Result, build_result
from app.web.templating import Renderer


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

    def placeholder_values(self) -> Mapping[str, Filled]:
        """Values for `{placeholders}` in content text, from the directory snapshot; read only
        when a text names one (app/referrals/placeholders.py)."""
        return LazyValues(self._read_placeholder_values)

    def _read_placeholder_values(self) -> Mapping[str, Filled]:
        return resolve(self.directory_now(), self.store.today())

    def directory_now(self) -> Directory:
        """This worker's copy of the directory, reloaded when another worker changed it."""
        with self.db.read() as session:
            return self.directory.get(session)

    def result(self, position: Position) -> Result:
        """The result of a finished questionnaire, as of today."""
        return build_result(self.content, self.directory_now(), position, self.store.today())

    @property
    def respondent_cookie(self) -> str:
        """`__Host-` needs Secure, which plain-HTTP development cannot send."""
        return "__Host-sid" if self.settings.is_production else "sid"
