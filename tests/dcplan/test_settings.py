"""Settings read from the environment: safe defaults, one-line errors naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dcplan.settings import SettingsError, parse_database_url

ROOT = Path(__file__).resolve().parents[2]


def run_manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_it_parses_a_postgres_url_into_connection_settings():
    db = parse_database_url("postgres://alice:s%40cret@db.example:6543/dcplan")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "dcplan",
        "alice",
        "s@cret",
        "db.example",
        "6543",
    )


def test_it_parses_a_sqlite_url():
    assert parse_database_url("sqlite:///var/x.sqlite3")["NAME"] == "var/x.sqlite3"
    assert parse_database_url("sqlite:////tmp/x.sqlite3")["NAME"] == "/tmp/x.sqlite3"


@pytest.mark.parametrize(
    "url", ["nonsense", "mysql://x@y/z", "postgres://host:notaport/db", "postgres://host/"]
)
def test_it_refuses_a_malformed_database_url(url):
    with pytest.raises(SettingsError, match="DATABASE_URL"):
        parse_database_url(url)


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"DATABASE_URL": "nonsense"}, "DATABASE_URL"),
        ({"DEBUG": "false"}, "SECRET_KEY"),
        ({"DEBUG": "false", "SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"SESSION_COOKIE_AGE": "soon"}, "SESSION_COOKIE_AGE"),
        ({"DCPLAN_COMMAND_LANGUAGE": "de"}, "DCPLAN_COMMAND_LANGUAGE"),
    ],
)
def test_bad_settings_give_a_one_line_error_naming_the_variable(env, variable):
    result = run_manage(env, "check")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


def test_with_no_variables_it_runs_on_sqlite_with_debug_on():
    result = run_manage(
        {},
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'])",
    )
    assert result.returncode == 0, result.stderr
    debug, engine, name = result.stdout.split()[-3:]
    assert debug == "True"
    assert engine.endswith("sqlite3")
    assert "/var/" in name
