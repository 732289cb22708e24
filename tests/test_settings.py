"""Settings refuse unsafe values at start-up: an unknown ENVIRONMENT, the development or a
short SECRET_KEY in production, a missing or malformed PUBLIC_BASE_URL."""

import pytest
from pydantic import ValidationError

from app import cli
from app.config import DEVELOPMENT_SECRET_KEY, Environment, Settings, settings_from_env

GOOD_KEY = "k" * 48
SITE = "https://puente.example.org"


@pytest.fixture(autouse=True)
def no_settings_from_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only what a test sets: no .env file, no variables from the shell."""
    monkeypatch.setitem(Settings.model_config, "env_file", None)
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)


def production(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    for name, value in {"SECRET_KEY": GOOD_KEY, "PUBLIC_BASE_URL": SITE, **values}.items():
        monkeypatch.setenv(name, value)


def refusal_of() -> str:
    with pytest.raises(SystemExit) as stopped:
        settings_from_env()
    return str(stopped.value.code)


def test_development_needs_nothing_set() -> None:
    settings = Settings()
    assert settings.environment is Environment.DEVELOPMENT and not settings.is_production
    assert settings.secret_key == DEVELOPMENT_SECRET_KEY and settings.public_base_url is None


def test_production_starts_with_a_long_key_and_its_address(monkeypatch) -> None:
    production(monkeypatch, PUBLIC_BASE_URL=SITE + "/")
    settings = settings_from_env()
    assert settings.is_production and settings.public_base_url == SITE


def test_an_unknown_environment_is_refused(monkeypatch, capsys) -> None:
    monkeypatch.setenv("ENVIRONMENT", "staging")
    message = refusal_of()
    assert "ENVIRONMENT" in message and "'development' or 'production'" in message
    # The command line says the same in one line, with no traceback.
    assert cli.main(["purge"]) == 2
    assert "ENVIRONMENT: Input should be 'development' or 'production'" in capsys.readouterr().err


def test_production_refuses_the_development_key(monkeypatch) -> None:
    production(monkeypatch, SECRET_KEY=DEVELOPMENT_SECRET_KEY)
    message = refusal_of()
    assert "SECRET_KEY" in message and "secrets.token_urlsafe(48)" in message
    assert DEVELOPMENT_SECRET_KEY not in message


@pytest.mark.parametrize("length", [0, 16, 31])
def test_production_refuses_a_short_key(monkeypatch, length: int) -> None:
    short = "s" * length
    production(monkeypatch, SECRET_KEY=short)
    message = refusal_of()
    assert "SECRET_KEY" in message and "at least 32" in message
    assert "secrets.token_urlsafe(48)" in message


def test_production_requires_the_public_base_url(monkeypatch) -> None:
    production(monkeypatch)
    monkeypatch.delenv("PUBLIC_BASE_URL")
    assert "PUBLIC_BASE_URL: required in production" in refusal_of()


@pytest.mark.parametrize(
    "url",
    [
        "puente.example.org",
        "ftp://puente.example.org",
        "https://",
        "https://puente.example.org/start",
        "https://puente.example.org/?p=X",
        "https://puente.example.org/#top",
        "https://user@puente.example.org",
    ],
)
def test_a_public_base_url_is_a_site_address_alone(url: str) -> None:
    with pytest.raises(ValidationError, match="public_base_url"):
        Settings(public_base_url=url)


def test_production_wants_https(monkeypatch) -> None:
    production(monkeypatch, PUBLIC_BASE_URL="http://puente.example.org")
    assert "https" in refusal_of()


def test_development_may_name_a_plain_http_address() -> None:
    assert Settings(public_base_url="http://localhost:8000").public_base_url == (
        "http://localhost:8000"
    )


def test_production_refuses_logging_tracebacks(monkeypatch) -> None:
    # F10: a traceback can quote an answer; production logs exception types only.
    assert Settings(log_tracebacks=True).log_tracebacks
    production(monkeypatch, LOG_TRACEBACKS="true")
    assert "LOG_TRACEBACKS: refused in production" in refusal_of()
