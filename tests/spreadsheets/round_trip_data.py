"""The history behind the spreadsheet-program files in files/: the tests that
import those files build exactly this history first (files/make_sources.py
exported it, files/regenerate.sh passed the exports through LibreOffice)."""

import datetime

from deliverables.models import Deliverable, Status
from deliverables.services import StatusInput, status_update_record

# Values that a round trip through a spreadsheet program tends to change:
# text that starts like a formula, a real leading apostrophe, a line break
# as a browser sends it (CR LF), accents, links in a given order.
HISTORY = [
    ("1.4.1", Status.ON_TRACK, "2021-06-01", 1, "", ()),
    (
        "1.4.1",
        Status.AT_RISK,
        "2022-06-01",
        4,
        "-5% budget; =see annex\r\nsecond line",
        ("https://example.org/b", "https://example.org/a"),
    ),
    ("2.3.1", Status.ACHIEVED, "2023-03-01", None, "'-' marks the regions where the campaign ran", ()),
    ("3.1.1", Status.ON_TRACK, "2022-01-01", 1, "+1 this quarter", ("https://example.org/x",)),
    ("1.1.1", Status.ON_TRACK, "2022-02-01", None, "Coopération Sud–Sud: “déjà” 5 €", ()),
    ("1.4.3", Status.ON_TRACK, "2022-09-30", 2, "@ILO: two initiatives", ()),
]


def round_trip_history(user) -> None:
    for code, status, as_of, progress, narrative, links in HISTORY:
        deliverable = Deliverable.objects.get(code=code)
        status_update_record(
            deliverable=deliverable,
            user=user,
            seen_version=deliverable.version,
            data=StatusInput(
                status=status,
                as_of=datetime.date.fromisoformat(as_of),
                progress_value=progress,
                narrative=narrative,
                evidence_links=links,
            ),
        )
