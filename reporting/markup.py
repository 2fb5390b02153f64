"""The small markup of the written sections, parsed into reporting.written blocks.

What people type:

- paragraphs are separated by a blank line; line breaks inside a paragraph
  are spaces (each paragraph becomes a numbered paragraph of the document);
- a line starting with "- " is a bullet item, a line starting with a number
  of up to three digits, a full stop (or ")") and a space ("1. ") an item of a numbered list (the document
  numbers the items itself: the typed number is dropped); a line without a
  marker right after an item continues that item;
- *emphasis* (italic) and **strong** (bold), which may hold emphasis;
- [^text of the note] is a footnote, at the place of its mark; a note may
  hold emphasis and figures but no other note;
- {name} is a named figure (reporting.figures), filled in from the data at
  the cut-off;
- a backslash keeps the next marker character as text: \\* \\{ \\[ \\\\ and, at
  the start of a line, \\- or \\1. for a paragraph that begins like an item.

Everything else is literal text: HTML, URLs and unbalanced markers are kept
as typed and escaped by every renderer. There is no link or image syntax, so
nothing written here is ever fetched. Control characters are dropped.
"""

import re
from collections.abc import Mapping

from .written import Block, Run

BULLET_LINE = re.compile(r"^\s*-\s+(?P<rest>.*)$")
NUMBERED_LINE = re.compile(r"^\s*\d{1,3}[.)]\s+(?P<rest>.*)$")
ESCAPED_LINE = re.compile(r"^\s*\\(?=[-\d])")
FIGURE = re.compile(r"\{(?P<name>[a-z][a-z0-9_]{0,60})\}")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")

# One inline token at a time, leftmost first; at one position the first
# alternative wins, so "**" is strong before it could be two emphases.
INLINE = re.compile(
    r"\\(?P<escaped>[\\*{}\[\]^_-])"
    r"|\[\^(?P<note>[^\[\]]+?)\]"
    r"|\*\*(?P<strong>(?=\S)(?:\\.|[^\\])+?(?<=\S))\*\*(?!\*(?!\*))"
    r"|\*(?P<em>(?=[^\s*])(?:\\.|[^\\*])+?(?<=[^\s\\]))\*"
    r"|" + FIGURE.pattern
)


def figure_names(text: str) -> list[str]:
    """Every {name} in `text`, in order of first appearance (escaped braces excluded)."""
    names: list[str] = []
    for match in INLINE.finditer(_clean(text)):
        found = []
        if match["name"]:
            found = [match["name"]]
        else:
            for group in ("note", "strong", "em"):
                if match[group]:
                    found = figure_names(match[group])
        names.extend(name for name in found if name not in names)
    return names


def parse(text: str, figures: Mapping[str, str]) -> tuple[Block, ...]:
    """The blocks of one section. `figures` maps figure names to their text;
    a name not in it stays as typed (forms refuse such text before it is saved)."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n[ \t]*\n", _clean(text)):
        items: list[tuple[str, list[str]]] = []  # (kind, lines)
        for line in chunk.split("\n"):
            if not line.strip():
                continue
            if ESCAPED_LINE.match(line):
                kind, rest = Block.PARAGRAPH, ESCAPED_LINE.sub("", line, count=1)
            elif match := BULLET_LINE.match(line):
                kind, rest = Block.BULLET, match["rest"]
            elif match := NUMBERED_LINE.match(line):
                kind, rest = Block.NUMBERED, match["rest"]
            else:
                kind, rest = Block.PARAGRAPH, line
            if kind == Block.PARAGRAPH and items:
                items[-1][1].append(rest)  # continues the paragraph or the item above
            else:
                items.append((kind, [rest]))
        for kind, lines in items:
            runs = _inline(" ".join(part.strip() for part in lines), figures)
            if runs:
                blocks.append(Block(kind=kind, runs=runs))
    return tuple(blocks)


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return CONTROL.sub("", text)


def _inline(
    text: str, figures: Mapping[str, str], *, emphasis: bool = False, strong: bool = False, notes: bool = True
) -> tuple[Run, ...]:
    text = re.sub(r"\s+", " ", text).strip()
    runs: list[Run] = []

    def literal(value: str) -> None:
        if value:
            runs.append(Run(value, emphasis=emphasis, strong=strong))

    position = 0
    for match in INLINE.finditer(text):
        literal(text[position : match.start()])
        position = match.end()
        if match["escaped"]:
            literal(match["escaped"])
        elif match["note"] is not None:
            if not notes:  # a note inside a note: kept as typed
                literal(match.group(0))
                continue
            note = _inline(match["note"], figures, notes=False)
            if note:
                runs.append(Run("", footnote=note))
        elif match["strong"] is not None:
            runs.extend(_inline(match["strong"], figures, emphasis=emphasis, strong=True, notes=notes))
        elif match["em"] is not None:
            runs.extend(_inline(match["em"], figures, emphasis=True, strong=strong, notes=notes))
        else:
            name = match["name"]
            literal(str(figures[name]) if name in figures else match.group(0))
    literal(text[position:])
    return _merged(runs)


def _merged(runs: list[Run]) -> tuple[Run, ...]:
    """Adjacent runs of the same look joined: renderers and tests see whole phrases."""
    merged: list[Run] = []
    for run in runs:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and not run.footnote
            and not previous.footnote
            and (previous.emphasis, previous.strong) == (run.emphasis, run.strong)
        ):
            merged[-1] = Run(previous.text + run.text, emphasis=run.emphasis, strong=run.strong)
        else:
            merged.append(run)
    return tuple(merged)
