"""Text that people write for the review, in the form the document renders.

The drafting side (what headquarters staff and managers type in the browser,
in a small markup) turns each section into these frozen values; the document
side (reporting.document, and the PDF and Word renderers) numbers the
paragraphs in sequence with the generated ones and renders them. Nothing here
holds markup or HTML: every renderer escapes the text it is given.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Run:
    """A stretch of text with one emphasis. A run with a `footnote` is the
    footnote's mark: the renderer numbers it and sets `footnote` as the note."""

    text: str
    emphasis: bool = False  # italic
    strong: bool = False  # bold
    footnote: tuple["Run", ...] = ()


@dataclass(frozen=True)
class Block:
    """One paragraph (numbered in the document) or one list item (not numbered)."""

    PARAGRAPH = "paragraph"
    BULLET = "bullet"
    NUMBERED = "numbered"

    kind: str
    runs: tuple[Run, ...]

    @property
    def plain_text(self) -> str:
        return "".join(run.text for run in self.runs)


# The sections people write. Focus-area sections exist once per focus area,
# as f"area{number}_{part}" (e.g. "area2_challenges").
INTRODUCTION = "introduction"
STRATEGY = "strategy"
AREA_PARTS = ("achievements", "challenges", "lessons", "adjustments")
WAY_FORWARD = "way_forward"
GUIDANCE = "guidance"
DECISION = "decision"


def area_key(number: int, part: str) -> str:
    return f"area{number}_{part}"


def section_keys(focus_area_numbers: Iterable[int]) -> list[str]:
    """Every section, in the order the document prints them."""
    areas = [area_key(n, part) for n in focus_area_numbers for part in AREA_PARTS]
    return [INTRODUCTION, STRATEGY, *areas, WAY_FORWARD, GUIDANCE, DECISION]


@dataclass(frozen=True)
class WrittenText:
    """Every written section of one review draft, by key. Missing keys are empty."""

    sections: Mapping[str, tuple[Block, ...]] = field(default_factory=dict)

    def blocks(self, key: str) -> tuple[Block, ...]:
        return tuple(self.sections.get(key, ()))

    def is_empty(self, key: str) -> bool:
        return not self.blocks(key)


EMPTY = WrittenText()
