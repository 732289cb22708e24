"""What every request handler needs, built once per app and kept on `app.state.puente`."""

from dataclasses import dataclass

from app.config import Settings
from app.db import Database
from app.flow.content import Content
from app.flow.engine import Engine
from app.referrals.snapshot import DirectoryCache
from app.respondents.sessions import SessionStore
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

    @property
    def respondent_cookie(self) -> str:
        """`__Host-` needs Secure, which plain-HTTP development cannot send."""
        return "__Host-sid" if self.settings.is_production else "sid"
