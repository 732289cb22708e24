"""`puente`: one command with subcommands for running and maintaining the site."""

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from app import paths
from app.config import ROOT, Settings, refusal

if TYPE_CHECKING:
    from app.db import Database

Handler = Callable[[argparse.Namespace], int]


@contextmanager
def _database(settings: Settings) -> Iterator["Database"]:
    """The database for one command, its connections closed when the command ends."""
    from app.db import Database, make_engine

    database = Database(make_engine(settings))
    try:
        yield database
    finally:
        database.dispose()


def _serve(args: argparse.Namespace) -> int:
    from app.web.serving import Options, serve

    serve(
        Options(
            host=args.host,
            port=args.port,
            workers=args.workers,
            forwarded_allow_ips=args.forwarded_allow_ips,
            limit_concurrency=args.limit_concurrency,
            graceful_seconds=args.graceful_timeout,
            heartbeat_seconds=args.worker_timeout,
            app=args.app,
            pin_workers=not args.no_pinning,
        )
    )
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from app.migrate import upgrade
    from app.referrals.seed import seed_directory

    settings = Settings()
    upgrade(settings.database_url)
    with _database(settings) as database, database.write() as session:
        # Idempotent: the first run loads the directory. The demonstration region is for
        # development and demos only, never a production site.
        added = seed_directory(session, include_sample=not settings.is_production)
    print(f"database is up to date; directory records added: {sum(added.values())}")
    return 0


def _reading_level(args: argparse.Namespace) -> int:
    from app.checks.reading_level import report
    from app.flow.articles import load_articles
    from app.flow.content import load_content

    settings = Settings()
    content_dir = Path(args.content) if args.content else settings.content_dir
    print(report(load_content(content_dir), load_articles(content_dir).values()))
    return 0


def _validate_content(args: argparse.Namespace) -> int:
    from app.checks.content import check_content

    settings = Settings()
    content_dir = Path(args.content) if args.content else settings.content_dir
    problems = check_content(content_dir, settings.locales_dir)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {content_dir}", file=sys.stderr)
        return 1
    print(f"content in {content_dir} is valid")
    return 0


def _purge(args: argparse.Namespace) -> int:
    from app.respondents.retention import purge
    from app.respondents.sessions import utc_today

    with _database(Settings()) as db:
        report = purge(db, utc_today())
    print(
        f"purged {report.unfinished_deleted} unfinished and {report.finished_deleted} finished "
        f"sessions; erased {report.resume_hashes_erased} resume hashes"
    )
    return 0


def _create_admin(args: argparse.Namespace) -> int:
    """A staff account; its second factor is set up at the first sign-in (a QR code)."""
    import getpass
    import os

    from app.staff.auth import create_user
    from app.staff.sealed import SecretBox

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = os.environ.get("PUENTE_ADMIN_PASSWORD") or getpass.getpass("Password: ")
    settings = Settings()
    with _database(settings) as db:
        try:
            create_user(
                db,
                SecretBox(settings.secret_key),
                args.username,
                password,
                role=args.role,
                title=args.title,
            )
        except ValueError as error:
            print(f"not created: {error}", file=sys.stderr)
            return 1
        except Exception as error:  # a taken name is an IntegrityError; say it plainly
            print(f"not created: {type(error).__name__} (is the name taken?)", file=sys.stderr)
            return 1
    print(f"created {args.role} {args.username}; sign in at /staff to set up the second factor")
    return 0


def _reset_second_factor(args: argparse.Namespace) -> int:
    from app.staff.auth import reset_second_factor
    from app.staff.sealed import SecretBox

    settings = Settings()
    with _database(settings) as db:
        found = reset_second_factor(db, SecretBox(settings.secret_key), args.username)
    if not found:
        print(f"no staff account {args.username!r}", file=sys.stderr)
        return 1
    print(f"{args.username} sets up the second factor again at the next sign-in")
    return 0


def _directory(args: argparse.Namespace) -> int:
    from app.referrals.hsds.cli import run

    with _database(Settings()) as database:
        return run(args, database)


def _places(args: argparse.Namespace) -> int:
    from app.referrals.courts_cli import run

    with _database(Settings()) as database:
        return run(args, database)


def _i18n_status(args: argparse.Namespace) -> int:
    from app.i18n.status import status_table, with_table

    table = status_table(paths.LOCALES)
    if not args.write_readme:
        print(table, end="")
        return 0
    if not paths.FROM_CHECKOUT:
        print("--write-readme works on a checkout", file=sys.stderr)
        return 1
    readme = ROOT / "README.md"
    readme.write_text(with_table(readme.read_text(encoding="utf-8"), table), encoding="utf-8")
    print(f"wrote the status table into {readme}")
    return 0


def _i18n(args: argparse.Namespace) -> int:
    from app.i18n.tasks import run

    if args.action == "status":
        # Works installed too: the wheel ships messages.pot, the .po files and review.toml.
        return _i18n_status(args)
    if not paths.FROM_CHECKOUT:
        # The wheel ships compiled catalogs; extraction needs the sources and babel.cfg.
        print("i18n tasks work on a checkout; an installed Puente has its catalogs compiled")
        return 1
    return run(args.action, ROOT)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="puente", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser(
        "serve", help="run the site: gunicorn forking uvicorn workers (no access log)"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument(
        "--forwarded-allow-ips",
        default=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        help="addresses whose X-Forwarded-* headers are trusted: the TLS proxy's",
    )
    serve.add_argument(
        "--limit-concurrency", type=int, default=200, help="connections per worker before 503"
    )
    serve.add_argument(
        "--graceful-timeout", type=int, default=20, help="seconds requests in flight get to end"
    )
    serve.add_argument(
        "--worker-timeout",
        type=int,
        default=30,
        help="a worker that does not answer its supervisor this long is replaced",
    )
    serve.add_argument(
        "--no-pinning",
        action="store_true",
        help="let workers move between CPUs (by default each keeps to one: docs/decisions.md)",
    )
    serve.add_argument("--app", default="app.main:app_from_env", help=argparse.SUPPRESS)
    serve.set_defaults(handler=_serve)

    commands.add_parser("migrate", help="apply Alembic migrations").set_defaults(handler=_migrate)

    validate = commands.add_parser("validate-content", help="prove the questionnaire graph")
    validate.add_argument("--content", help="a content folder other than the configured one")
    validate.set_defaults(handler=_validate_content)

    admin = commands.add_parser("create-admin", help="create a staff account")
    admin.add_argument("username")
    admin.add_argument("--role", choices=["admin", "reviewer"], default="admin")
    admin.add_argument("--title", default="", help='shown on reviews, e.g. "immigration attorney"')
    admin.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (else PUENTE_ADMIN_PASSWORD or a prompt)",
    )
    admin.set_defaults(handler=_create_admin)

    reset = commands.add_parser(
        "reset-second-factor",
        help="give a staff account a new TOTP secret (a lost phone, a changed SECRET_KEY)",
    )
    reset.add_argument("username")
    reset.set_defaults(handler=_reset_second_factor)

    commands.add_parser(
        "purge", help="delete expired sessions now (the app also does it daily)"
    ).set_defaults(handler=_purge)

    directory = commands.add_parser(
        "directory", help="export or import the legal-help directory as HSDS 3.0"
    )
    actions = directory.add_subparsers(dest="action", required=True)
    formats = ["json", "tabular"]  # HSDS JSON, or CSV files with datapackage.json in a folder
    export = actions.add_parser("export", help="write the whole directory to OUT")
    export.add_argument("--format", choices=formats, required=True)
    export.add_argument("out", metavar="OUT", type=Path, help="a JSON file, or a folder")
    load = actions.add_parser(
        "import", help="add or replace the records in IN (all or nothing; idempotent)"
    )
    load.add_argument("--format", choices=formats, required=True)
    load.add_argument("source", metavar="IN", type=Path, help="a JSON file, or a folder")
    directory.set_defaults(handler=_directory)

    places = commands.add_parser(
        "places", help="load EOIR's immigration courts and detention facilities"
    )
    place_actions = places.add_subparsers(dest="action", required=True)
    courts = place_actions.add_parser(
        "import-courts",
        help="load EOIR's court table (CSV); a newer release updates and retires courts",
    )
    courts.add_argument("file", metavar="FILE", type=Path)
    courts.add_argument(
        "--source-date",
        type=date.fromisoformat,
        help="the release's date, YYYY-MM-DD (default: the newest record date in FILE)",
    )
    courts.add_argument("--source-name", help="where FILE comes from (default: EOIR)")
    courts.add_argument("--source-url", help="its web address")
    facilities = place_actions.add_parser(
        "import-facilities",
        help="load EOIR's facility table (tab-separated): each facility and its court",
    )
    facilities.add_argument("file", metavar="FILE", type=Path)
    facilities.add_argument(
        "--source-date", type=date.fromisoformat, help="the day FILE was taken, YYYY-MM-DD"
    )
    places.set_defaults(handler=_places)

    reading = commands.add_parser(
        "reading-level",
        help="the median reading grade of the English finding texts and library pages",
    )
    reading.add_argument("--content", help="content directory (default: the app's)")
    reading.set_defaults(handler=_reading_level)

    i18n = commands.add_parser(
        "i18n",
        help="extract, update or compile the catalogs; status: coverage and review; isolate: "
        "put the LTR runs of RTL translations in Unicode isolates",
    )
    i18n.add_argument("action", choices=["extract", "update", "compile", "status", "isolate"])
    i18n.add_argument(
        "--write-readme",
        action="store_true",
        help="status: write the table into README.md (a test keeps the two equal)",
    )
    i18n.set_defaults(handler=_i18n)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except ValidationError as error:
        if error.title != Settings.__name__:
            raise
        print(refusal(error), file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
