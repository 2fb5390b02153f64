"""The drafting markup: paragraphs, lists, emphasis, footnotes and figures; anything else literal."""

import pytest

from reporting.markup import figure_names, parse
from reporting.written import Block, Run

FIGURES = {"achieved": "seven", "due_by_midterm": "23"}


def para(*runs) -> Block:
    return Block(Block.PARAGRAPH, tuple(runs))


def test_blank_lines_separate_paragraphs_and_line_breaks_are_spaces():
    blocks = parse("First line\nof the first paragraph.\n\n\n  Second   paragraph. \n", FIGURES)
    assert blocks == (para(Run("First line of the first paragraph.")), para(Run("Second paragraph.")))


def test_windows_line_endings_and_whitespace_only_lines_separate_paragraphs_too():
    assert len(parse("One.\r\n \t \r\nTwo.", FIGURES)) == 2


def test_bullets_and_numbered_items_and_their_continuation_lines():
    blocks = parse("The Office will:\n- strengthen the\n  field\n- report\n\n1. first\n2) second", FIGURES)
    assert [(b.kind, b.plain_text) for b in blocks] == [
        (Block.PARAGRAPH, "The Office will:"),
        (Block.BULLET, "strengthen the field"),
        (Block.BULLET, "report"),
        (Block.NUMBERED, "first"),
        (Block.NUMBERED, "second"),
    ]


def test_a_backslash_at_the_start_of_a_line_keeps_a_marker_as_text():
    assert parse("\\- not a bullet\n\n\\2023. A year.", FIGURES) == (
        para(Run("- not a bullet")),
        para(Run("2023. A year.")),
    )


def test_emphasis_strong_and_both():
    assert parse("An *important* and **decisive** ***step***.", FIGURES) == (
        para(
            Run("An "),
            Run("important", emphasis=True),
            Run(" and "),
            Run("decisive", strong=True),
            Run(" "),
            Run("step", emphasis=True, strong=True),
            Run("."),
        ),
    )


def test_strong_may_hold_emphasis():
    (block,) = parse("**the *Strategy* as a whole**", FIGURES)
    assert block.runs == (
        Run("the ", strong=True),
        Run("Strategy", emphasis=True, strong=True),
        Run(" as a whole", strong=True),
    )


def test_a_footnote_is_a_mark_carrying_its_note_with_emphasis_and_figures():
    (block,) = parse("Adopted in 2020.[^See *GB.340/POL/6*, {achieved} deliverables.] Next.", FIGURES)
    assert block.runs == (
        Run("Adopted in 2020."),
        Run("", footnote=(Run("See "), Run("GB.340/POL/6", emphasis=True), Run(", seven deliverables."))),
        Run(" Next."),
    )


def test_notes_do_not_nest_only_the_innermost_brackets_make_a_note():
    (block,) = parse("Text[^outer [^inner] note]", FIGURES)
    assert block.runs == (Run("Text[^outer "), Run("", footnote=(Run("inner"),)), Run(" note]"))


def test_figures_are_filled_in_everywhere_and_unknown_ones_stay_as_typed():
    (block,) = parse("**{achieved}** of {due_by_midterm} due; {unknown} and {Not_A_Name} and {}.", FIGURES)
    assert block.plain_text == "seven of 23 due; {unknown} and {Not_A_Name} and {}."
    assert block.runs[0] == Run("seven", strong=True)


def test_backslash_escapes_keep_markers_as_text():
    (block,) = parse(r"5 \* 3 and \*not emphasis\* and \{achieved\} and \[^no note] and \\", FIGURES)
    assert block.runs == (Run("5 * 3 and *not emphasis* and {achieved} and [^no note] and \\"),)


def test_figure_names_lists_each_cited_name_once_in_order_including_notes_and_emphasis():
    assert figure_names("{b} **{a}** [^{c}] *{b}* \\{escaped} {a}") == ["b", "a", "c"]


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src="https://evil.example/x.png" onerror="alert(1)">',
        "<a href='javascript:alert(1)'>click</a>",
        "https://www.ilo.org/pardev and file:///etc/passwd",
        "![image](https://evil.example/x.png) [link](https://evil.example)",
        "&lt;b&gt; &amp; &#x3C;",
        "{{ request.user }} {% debug %}",
    ],
)
def test_hostile_text_is_kept_as_literal_text_in_one_plain_run(text):
    (block,) = parse(text, FIGURES)
    assert block.kind == Block.PARAGRAPH
    assert block.runs == (Run(text),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("**unbalanced", "**unbalanced"),
        ("*unbalanced", "*unbalanced"),
        ("unbalanced**", "unbalanced**"),
        ("2 * 3 * 4", "2 * 3 * 4"),
        ("** spaced **", "** spaced **"),
        ("[^ never closed", "[^ never closed"),
        ("{never closed", "{never closed"),
        ("***", "***"),
        ("[^]", "[^]"),
    ],
)
def test_unbalanced_or_empty_markers_are_literal(text, expected):
    assert "".join(run.text for block in parse(text, FIGURES) for run in block.runs) == expected


def test_control_and_bidirectional_characters_are_dropped():
    (block,) = parse("safe\x00text\u202eevil\x1b[31m", FIGURES)
    assert block.plain_text == "safetextevil[31m"


def test_empty_text_gives_no_blocks():
    assert parse("", FIGURES) == ()
    assert parse("\n \n\t\n", FIGURES) == ()


def test_a_long_hostile_input_keeps_every_letter_as_literal_text():
    # Unbalanced markers everywhere: nothing is lost, nothing becomes markup.
    # (How fast it parses is measured in bench/, not asserted here.)
    text = "*a **b [^c {d" * 2000
    blocks = parse(text, FIGURES)
    letters = "".join(block.plain_text for block in blocks)
    assert letters.count("a") == letters.count("b") == 2000
