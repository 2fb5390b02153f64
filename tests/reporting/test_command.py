"""python manage.py midterm_review --as-of YYYY-MM-DD --output FILE.pdf"""

import datetime
from unittest import mock

import pytest
from django.core.management import ManagementUtility, call_command

from deliverables.models import Deliverable, Status
from tests.factories import record

from .pdf import pdf_pages, pdf_text


def run(*argv, capsys) -> tuple[int, str, str]:
    """The command as the shell runs it: exit status, stdout, stderr."""
    try:
        # The command closes the database connections when it ends, which would
        # end the test's transaction: keep them open.
        with mock.patch("django.core.management.base.connections.close_all"):
            ManagementUtility(["manage.py", "midterm_review", *argv]).execute()
        code = 0
    except SystemExit as exit:
        code = exit.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_command_writes_the_review_as_of_the_cut_off(plan, users, tmp_path, capsys):
    record(
        Deliverable.objects.get(code="1.1.1"),
        users["hq"],
        Status.DELAYED,
        as_of=datetime.date(2022, 5, 1),
        narrative="Printed by the command.",
    )
    output = tmp_path / "review.pdf"
    code, _out, err = run("--as-of", "2022-06-30", "--output", str(output), capsys=capsys)
    assert code == 0, err
    text = " ".join(pdf_text(output.read_bytes()).split())
    assert "Printed by the command." in text and "as of 30 June 2022" in text
    assert f"Wrote {output}" in err


def test_cover_values_can_be_given_on_the_command_line(plan, tmp_path, capsys):
    output = tmp_path / "review.pdf"
    code, _out, err = run(
        "--as-of",
        "2022-12-31",
        "--output",
        str(output),
        "--symbol",
        "GB.348/POL/1",
        "--session",
        "348th Session",
        "--session-dates",
        "June 2023",
        capsys=capsys,
    )
    assert code == 0, err
    cover = " ".join(pdf_pages(output.read_bytes())[0].split())
    assert "GB.348/POL/1" in cover and "348th Session, Geneva, June 2023" in cover


def test_the_command_gives_the_same_bytes_as_the_download(plan, users, tmp_path, client, capsys):
    from django.urls import reverse

    from tests.factories import PASSWORD

    output = tmp_path / "review.pdf"
    assert run("--as-of", "2022-12-31", "--output", str(output), capsys=capsys)[0] == 0
    client.login(username="manager", password=PASSWORD)
    assert client.get(reverse("reporting:download"), {"as_of": "2022-12-31"}).content == output.read_bytes()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--as-of", "2022-13-01"], "Cut-off date: Give the date as YYYY-MM-DD, for example 2023-01-31."),
        (["--as-of", "2099-01-01"], "Cut-off date: 2099-01-01 is in the future"),
        (["--as-of", "2020-06-30"], "Cut-off date: 2020-06-30 is before the plan starts (1 January 2021)."),
        (["--as-of", "2022-12-31", "--symbol", ""], "Document symbol: This field is required."),
        (
            ["--as-of", "2022-12-31", "--document-date", "soon"],
            "Document date: Give the date as YYYY-MM-DD, for example 2023-01-31.",
        ),
    ],
)
def test_bad_input_exits_non_zero_with_a_one_line_error_and_no_file(plan, tmp_path, capsys, argv, message):
    output = tmp_path / "review.pdf"
    code, out, err = run(*argv, "--output", str(output), capsys=capsys)
    assert code != 0
    assert err.startswith("CommandError: " + message)
    assert err.count("\n") == 1 and out == ""
    assert not output.exists()


def test_an_unwritable_output_is_a_one_line_error(plan, tmp_path, capsys):
    code, _out, err = run(
        "--as-of", "2022-12-31", "--output", str(tmp_path / "missing" / "x.pdf"), capsys=capsys
    )
    assert code != 0 and err.count("\n") == 1
    assert "does not exist" in err


def test_a_render_that_takes_too_long_is_a_one_line_error(plan, tmp_path, capsys):
    output = tmp_path / "review.pdf"
    code, _out, err = run(
        "--as-of", "2022-12-31", "--output", str(output), "--timeout", "0.01", capsys=capsys
    )
    assert code != 0 and err.count("\n") == 1
    assert "was stopped" in err
    assert not output.exists()


def test_a_missing_cut_off_is_refused_by_the_parser(plan, tmp_path):
    with pytest.raises(Exception, match="--as-of"):
        call_command("midterm_review", "--output", str(tmp_path / "x.pdf"))
