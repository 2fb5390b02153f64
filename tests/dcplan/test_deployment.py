"""Deployment plumbing: gunicorn stops on a bad setting, DATABASE_URL is read
whole (TLS options, socket paths), and commands fail in one line when the
database cannot be reached."""

import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from dcplan.settings import SettingsError, parse_database_url

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
UNREACHABLE = "postgres://dcplan@127.0.0.1:9/dcplan"  # the discard port: nothing listens


def clean_env(**env: str) -> dict:
    keep = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "SECRET_KEY"}}
    return {**keep, **env}


@pytest.mark.parametrize("config", ["gunicorn.conf.py", "/dev/null"], ids=["with its config", "without"])
def test_gunicorn_with_a_broken_setting_exits_non_zero_within_seconds(config):
    started = time.monotonic()
    result = subprocess.run(
        [str(GUNICORN), "-c", config, "--bind", "127.0.0.1:0", "--workers", "4", "dcplan.wsgi:application"],
        cwd=ROOT,
        env=clean_env(DEBUG="maybe"),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert time.monotonic() - started < 10
    assert result.returncode != 0
    assert "dcplan: configuration error: DEBUG='maybe' is not a boolean" in result.stderr
    # Once: the master stopped instead of respawning workers.
    assert result.stderr.count("configuration error") <= 4


def test_the_config_file_stops_gunicorn_before_any_worker_starts():
    result = subprocess.run(
        [str(GUNICORN), "--bind", "127.0.0.1:0", "--workers", "4"],
        cwd=ROOT,
        env=clean_env(DEBUG="maybe"),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stderr.count("configuration error") == 1
    assert "Booting worker" not in result.stderr


def test_a_postgres_url_keeps_its_tls_mode_and_options():
    db = parse_database_url(
        "postgres://dcplan:pw@db.example:5432/dcplan?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem"
        "&options=-c%20search_path%3Dplan"
    )
    assert db["OPTIONS"]["sslmode"] == "verify-full"
    assert db["OPTIONS"]["sslrootcert"] == "/etc/ca.pem"
    assert "-c search_path=plan" in db["OPTIONS"]["options"]
    assert "statement_timeout=30000" in db["OPTIONS"]["options"]  # ours, added to theirs
    assert db["OPTIONS"]["connect_timeout"] == 5
    assert (db["HOST"], db["PORT"], db["NAME"]) == ("db.example", "5432", "dcplan")


def test_a_socket_directory_is_percent_decoded():
    db = parse_database_url("postgres://dcplan@%2Fvar%2Frun%2Fpostgresql/dcplan")
    assert db["HOST"] == "/var/run/postgresql" and db["NAME"] == "dcplan" and db["PORT"] == ""


def test_the_timeouts_come_from_the_environment_and_the_urls_own_win(monkeypatch):
    monkeypatch.setenv("DATABASE_CONNECT_TIMEOUT", "2")
    monkeypatch.setenv("DATABASE_STATEMENT_TIMEOUT", "0")
    db = parse_database_url("postgres://u@h/db")
    assert db["OPTIONS"] == {"connect_timeout": 2}
    db = parse_database_url("postgres://u@h/db?connect_timeout=9&options=-c%20statement_timeout%3D1000")
    assert str(db["OPTIONS"]["connect_timeout"]) == "9"
    assert db["OPTIONS"]["options"] == "-c statement_timeout=1000"


@pytest.mark.parametrize(
    "url", ["nonsense", "mysql://x@y/z", "postgres://host:notaport/db", "postgres://host/"]
)
def test_a_nonsense_url_is_one_line_naming_the_variable(url):
    with pytest.raises(SettingsError, match="DATABASE_URL"):
        parse_database_url(url)


@pytest.mark.parametrize("command", ["migrate", "backup", "restore"])
def test_commands_fail_in_one_line_when_the_database_is_unreachable(command, tmp_path):
    archive = tmp_path / "backup.zip"
    if command == "restore":
        with zipfile.ZipFile(archive, "w") as written:
            written.writestr("manifest.json", json.dumps({"format": "dcplan-backup", "format_version": 1}))
    arguments = ["--noinput"] if command == "migrate" else [str(archive)]
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "manage.py", command, *arguments],
        cwd=ROOT,
        env=clean_env(DATABASE_URL=UNREACHABLE, DATABASE_CONNECT_TIMEOUT="2"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "database is not reachable" in lines[0], lines
    assert command != "backup" or not archive.exists()
    assert time.monotonic() - started < 20
