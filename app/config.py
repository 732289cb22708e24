"""Settings, read from the environment or a `.env` file; every one is documented in the README."""

from functools import cached_property
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{ROOT / 'var' / 'puente.db'}",
        description="SQLAlchemy URL. SQLite by default; postgresql+psycopg://… in production.",
    )
    secret_key: str = Field(
        default="dev-only-secret-change-me",
        description="Signs CSRF tokens and seals staff TOTP secrets. Must be set (32+ random "
        "bytes) outside development, and kept: staff second factors are sealed under it.",
    )
    environment: str = Field(
        default="development",
        description="development or production. Production requires HTTPS (Secure cookies, HSTS).",
    )
    content_dir: Path = Field(
        default=ROOT / "app" / "content",
        description="Where the questionnaire and page YAML live.",
    )
    locales_dir: Path = Field(default=ROOT / "locales", description="Compiled gettext catalogs.")
    redis_url: str | None = Field(
        default=None,
        description="Redis for rate-limit counters shared by several instances; memory when unset.",
    )
    db_pool_size: int = Field(default=5, description="PostgreSQL pool size per worker.")
    db_max_overflow: int = Field(default=5, description="PostgreSQL extra connections per worker.")
    db_pool_timeout: float = Field(
        default=5.0, description="Seconds to wait for a pooled connection before answering 503."
    )
    purge_interval_hours: float = Field(
        default=24.0, description="How often the app purges expired sessions (0 turns it off)."
    )

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @cached_property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
