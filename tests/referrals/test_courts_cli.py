"""`puente places import-courts` as an operator runs it, on a database `puente migrate` made."""

from referral_helpers import run_cli

from app.referrals.courts import SHIPPED_COURTS


def test_migrate_loads_the_courts_and_a_reimport_says_nothing_changed(tmp_path):
    database = tmp_path / "puente.db"
    assert run_cli(database, "migrate").returncode == 0
    done = run_cli(
        database, "places", "import-courts", SHIPPED_COURTS, "--source-date", "2025-12-01"
    )
    assert done.returncode == 0, done.stderr
    assert "92 in the file, 82 active, 12 marked for checking" in done.stdout
    assert "Nothing changed" in done.stdout

    older = run_cli(
        database, "places", "import-courts", SHIPPED_COURTS, "--source-date", "2025-01-01"
    )
    assert older.returncode == 1 and "older than the one loaded" in older.stderr

    missing = run_cli(database, "places", "import-courts", tmp_path / "nope.csv")
    assert missing.returncode == 1 and "Nothing imported" in missing.stderr
