"""Layout that does not waste paper, on the demo data at the cut-offs a reviewer tries."""

import datetime
import re
import subprocess

import pytest
from django.conf import settings
from django.core.management import call_command

from deliverables.models import Plan
from reporting.document import default_cover
from reporting.services import review_render

STYLESHEET = settings.BASE_DIR / "static" / "reporting" / "review-print.css"
FEWEST_WORDS = 100


def words_per_page(pdf: bytes, folder) -> list[int]:
    path = folder / "review.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    counts = []
    for number in range(1, pages + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        counts.append(len(text.split()))
    return counts


@pytest.mark.django_db
@pytest.mark.parametrize("as_of", ["2021-12-31", "2022-12-31", "2023-06-30"])
def test_no_page_but_the_contents_and_the_last_has_fewer_than_100_words(as_of, tmp_path):
    call_command("seed_demo", verbosity=0)
    plan = Plan.objects.current()
    pdf = review_render(plan=plan, as_of=datetime.date.fromisoformat(as_of), cover=default_cover(plan)).pdf
    counts = words_per_page(pdf, tmp_path)
    assert len(counts) > 10
    sparse = [page for page, count in enumerate(counts, start=1) if count < FEWEST_WORDS]
    assert set(sparse) <= {2, len(counts)}, f"words per page: {counts}"


def rules() -> list[tuple[str, str]]:
    css = re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(), flags=re.S)
    return re.findall(r"([^{}]+)\{([^{}]*)\}", css)


def test_table_and_box_text_is_at_least_9_points():
    checked = 0
    for selector, body in rules():
        if not re.search(r"\.(review-table|status|progress-value|box|pb-key|source|key-figures)\b", selector):
            continue
        for size in re.findall(r"font-size:\s*([\d.]+)pt", body):
            checked += 1
            assert float(size) >= 9, f"{selector.strip()}: {size}pt"
    assert checked >= 4


def test_body_text_is_black_and_nothing_is_hyphenated_automatically():
    declarations = dict(rules())
    html = next(body for selector, body in declarations.items() if selector.strip() == "html")
    assert "color: #000" in html and "hyphens: manual" in html
    assert "hyphens: auto" not in STYLESHEET.read_text()


def test_no_forced_page_break_but_after_the_cover_and_contents_and_before_the_first_appendix():
    forced = [
        selector.strip() for selector, body in rules() if re.search(r"break-(before|after):\s*page", body)
    ]
    assert forced == [".cover", ".toc", "#appendix-1"]
