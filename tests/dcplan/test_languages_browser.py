"""Walked in French and in Spanish, the pages the three roles use show no English
interface text: no message of the catalogue appears untranslated.

User-entered content (example titles, narratives) and plan texts shown in English
with their language mark (`lang="en"`) are left out of the comparison.
"""

import html
import re

import pytest

from dcplan import catalogues
from deliverables.models import Deliverable, Status
from examples.models import ProgressExample
from tests.browser import browser_login
from tests.examples.example_data import make_example
from tests.factories import record
from tests.reporting.helpers import CUT_OFF
from tests.reporting.languages import complete_texts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MIN_WORDS = 4  # shorter messages ("Total", "Code", "Date or period") are often the same in French


def english_fragments(language: str) -> set[str]:
    """The English of every message translated differently, cut at its placeholders;
    the pieces of four words or more are what would betray an untranslated message."""
    fragments = set()
    for entry in catalogues.load(language):
        if entry.msgid_plural:
            continue  # their singular and plural are checked by the non-plural pieces below
        if entry.msgstr == entry.msgid:
            continue
        for piece in catalogues.PLACEHOLDER_RE.split(html.unescape(entry.msgid)):
            piece = " ".join(piece.split()).strip(" :;,.()“”")
            if len(piece.split()) >= MIN_WORDS:
                fragments.add(piece)
    return fragments


# The review document is checked too: with every text it needs in the language (the
# fixture completes them), the preview is in the interface's language. A document in
# another language would carry its own lang and be left out below. Form fields hold
# user-editable values.
VISIBLE_TEXT = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('textarea').forEach(el => el.remove());
  // Plan texts not translated yet are marked as English (lang="en").
  const foreign = '[lang]:not([lang="' + document.documentElement.lang + '"])';
  body.querySelectorAll(foreign + ', .lang-mark, script, style').forEach(el => el.remove());
  return body.innerText;
}"""


def choose_language(page, live_server, language: str) -> None:
    page.goto(live_server.url + "/login/")
    page.select_option("#lang-select", language)
    page.click("footer form.lang button[type=submit]")
    page.wait_for_load_state()


def english_on(page, fragments: set[str]) -> list[str]:
    text = " ".join(page.evaluate(VISIBLE_TEXT).split())
    return sorted(f for f in fragments if re.search(r"(?<!\w)" + re.escape(f) + r"(?!\w)", text))


@pytest.fixture
def data(users, plan):
    for language in ("fr", "es"):
        complete_texts(plan, CUT_OFF, language)
    record(
        Deliverable.objects.get(code="1.4.1"),
        users["hq"],
        Status.ON_TRACK,
        progress=4,
        narrative="Four so far.",
    )
    submitted = make_example(users["focal_a"], state=ProgressExample.State.SUBMITTED)
    returned = make_example(users["focal_a"], state=ProgressExample.State.RETURNED, reviewer=users["hq"])
    return {"submitted": submitted, "returned": returned}


ROLE_PAGES = {
    "focal_a": [
        "/examples/",
        "/examples/new/",
        "examples:{returned}",
        "/deliverables/",
        "/deliverables/1.4.1/",
    ],
    "hq": [
        "/dashboard/",
        "/deliverables/",
        "/deliverables/1.4.1/",
        "/review/",
        "examples:{submitted}",
        "/coverage/",
        "/coverage/?region=AFRICA",
        "/imports/status/",
        "/imports/examples/",
        "/imports/plan-texts/",
        "/reminders/",  # with the language of the user's e-mails
    ],
    "manager": [
        "/dashboard/",
        "/reports/midterm/",
        "/reports/midterm/issued/",
        "/coverage/",
        "/reports/midterm/draft/2022-12-31/",  # the written sections, where each translation stands
        "/reports/midterm/draft/2022-12-31/fr/",
        "/reports/midterm/draft/2022-12-31/es/introduction/",
    ],
}


@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_main_page_is_in_the_chosen_language(browser_page, live_server, users, data, language):
    fragments = english_fragments(language)
    assert len(fragments) > 200  # the comparison has teeth
    page = browser_page
    problems = {}
    choose_language(page, live_server, language)
    assert page.evaluate("document.documentElement.lang") == language
    problems["/login/"] = english_on(page, fragments)
    for role, paths in ROLE_PAGES.items():
        page.context.clear_cookies()
        choose_language(page, live_server, language)
        browser_login(page, live_server, users[role].username)
        for path in paths:
            if path.startswith("examples:"):
                path = f"/examples/{data[path.split(':')[1].strip('{}')].pk}/"
            response = page.goto(live_server.url + path)
            assert response.status == 200, (role, path, response.status)
            assert page.evaluate("document.documentElement.lang") == language
            if path == "/reports/midterm/":
                # The review itself is shown, in the interface's language.
                assert page.evaluate("document.querySelector('article.review-doc').lang") == language
                # …and fits a phone: the cover's longer French and Spanish names wrap.
                page.set_viewport_size({"width": 390, "height": 844})
                assert page.evaluate("document.documentElement.scrollWidth") <= 390, (language, path)
                page.set_viewport_size({"width": 1366, "height": 768})
            problems[f"{role} {path}"] = english_on(page, fragments)
    assert {where: found for where, found in problems.items() if found} == {}
