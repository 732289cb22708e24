"""Settings, read from the environment or a `.env` file; every one is documented in the README.

Unsafe values stop the app at start-up (as the FastAPI template's settings refuse default
secrets outside development): a wrong setting must never be found by a visitor.
"""

from enum import StrEnum
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app import paths

# The checkout, for tools and tests that read its other files (README, Dockerfile, tests/). The
# app's own files resolve through app.paths, which also works when installed.
ROOT = paths.PACKAGE.parent

# Where Exit takes a person (security.md R2.2): a neutral page; app.js names the same address.
NEUTRAL_URL = "https://www.bbc.com/weather"
DEVELOPMENT_SECRET_KEY = "dev-only-secret-change-me"  # noqa: S105 - refused in production
MIN_SECRET_KEY_LENGTH = 32
HOW_TO_MAKE_ONE = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Settings(BaseSettings):
    # No setting's value is ever echoed in an error: SECRET_KEY is one of them.
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", hide_input_in_errors=True)

    database_url: str = Field(
        default=f"sqlite:///{paths.VAR / 'puente.db'}",
        description="SQLAlchemy URL. SQLite by default; postgresql+psycopg://… in production.",
    )
    # Before the settings whose checks depend on it (validators see earlier fields only).
    environment: Environment = Field(
        default=Environment.DEVELOPMENT,
        description="development or production. Production requires HTTPS (Secure cookies, HSTS).",
    )
    secret_key: str = Field(
        default=DEVELOPMENT_SECRET_KEY,
        repr=False,
        description="Signs CSRF tokens and seals staff TOTP secrets. Must be set (32+ random "
        "characters) in production, and kept: staff second factors are sealed under it.",
    )
    public_base_url: str | None = Field(
        default=None,
        description="The site's public address (https://puente.example.org), used in share "
        "links and QR codes. Required in production; development falls back to the request's.",
    )
    content_dir: Path = Field(
        default=paths.CONTENT,
        description="Where the questionnaire and page YAML live.",
    )
    locales_dir: Path = Field(default=paths.LOCALES, description="Compiled gettext catalogs.")
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
    log_tracebacks: bool = Field(
        default=False,
        description="Log a fault's traceback, not only its type (development only: a traceback "
        "can quote what a person answered). Refused in production.",
    )

    @field_validator("secret_key")
    @classmethod
    def _secret_key_is_safe_in_production(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("environment") != Environment.PRODUCTION:
            return value
        if value == DEVELOPMENT_SECRET_KEY:
            raise ValueError(
                "the development default is refused in production; "
                f"make a key with {HOW_TO_MAKE_ONE}"
            )
        if len(value) < MIN_SECRET_KEY_LENGTH:
            raise ValueError(
                f"{len(value)} characters is too short; production needs at least "
                f"{MIN_SECRET_KEY_LENGTH} random ones; make one with {HOW_TO_MAKE_ONE}"
            )
        return value

    @field_validator("public_base_url")
    @classmethod
    def _public_base_url_is_a_site_address(
        cls, value: str | None, info: ValidationInfo
    ) -> str | None:
        production = info.data.get("environment") == Environment.PRODUCTION
        if not value:
            if production:
                # Without it, share links would name whatever Host header a request carried.
                raise ValueError(
                    "required in production: the site's address, e.g. https://puente.example.org"
                )
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("not an http or https address, e.g. https://puente.example.org")
        if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
            raise ValueError("the site's address alone is wanted: no path, query, fragment or user")
        if production and parts.scheme != "https":
            raise ValueError("must be https in production (its cookies are Secure)")
        return f"{parts.scheme}://{parts.netloc}"

    @field_validator("log_tracebacks")
    @classmethod
    def _no_tracebacks_in_production(cls, value: bool, info: ValidationInfo) -> bool:
        if value and info.data.get("environment") == Environment.PRODUCTION:
            # A traceback's message and lines can quote an answer; logs outlive retention.
            raise ValueError("refused in production: logs hold exception types only")
        return value

    @property
    def is_production(self) -> bool:
        return self.environment == Environment.PRODUCTION

    @cached_property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def settings_from_env() -> Settings:
    """The settings at start-up: a refused value stops the process with one line per problem
    (the setting's name and what to do), not a traceback."""
    try:
        return Settings()
    except ValidationError as error:
        raise SystemExit(refusal(error)) from None


def refusal(error: ValidationError) -> str:
    lines = [
        f"  {'.'.join(map(str, problem['loc'])).upper()}: "
        + problem["msg"].removeprefix("Value error, ")
        for problem in error.errors()
    ]
    return "puente cannot start with these settings:\n" + "\n".join(lines)
