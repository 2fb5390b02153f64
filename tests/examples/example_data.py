"""Test data for progress examples: files of each kind, examples in any state,
and examples in bulk for the query-count tests."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from deliverables.models import Deliverable, Office
from examples.models import ExampleAttachment, ExampleTransition, ProgressExample
from examples.services import ExampleInput, example_create

State = ProgressExample.State

COMPLETE = {
    "title": "Tripartite validation of the national employment policy",
    "countries": ["NG"],
    "started_on": datetime.date(2022, 3, 1),
    "ended_on": datetime.date(2022, 11, 30),
    "what_was_done": "Two tripartite validation workshops were held.",
    "results": "The revised policy was adopted.",
    "involves_government": True,
    "involves_employers": True,
    "involves_workers": False,
    "partners": "UNDP",
    "south_south": False,
    "may_be_cited": True,
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a temporary directory, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_example(
    user,
    *,
    state: str = State.DRAFT,
    reviewer=None,
    office: Office | None = None,
    deliverables=("1.1.1",),
    **values,
) -> ProgressExample:
    """An example of `user`'s office moved to `state` through the real transitions."""
    office = office or user.profile.office
    example = example_create(
        office=office,
        user=user,
        data=ExampleInput(
            values={**COMPLETE, **values},
            deliverables=list(Deliverable.objects.filter(code__in=deliverables)),
        ),
    )
    if state == State.DRAFT:
        return example
    example.submit(user)
    if state == State.RETURNED:
        example.return_for_changes(reviewer, "Please add figures.")
    elif state == State.APPROVED:
        example.approve(reviewer)
    elif state == State.REJECTED:
        example.reject(reviewer, "Out of scope.")
    return example


def grow_examples(plan, user, *, count: int) -> None:
    """`count` more examples, in every state, across every field office, each
    linked to two deliverables and with a history: for the query-count tests."""
    offices = list(Office.objects.exclude(kind=Office.Kind.HEADQUARTERS).order_by("pk"))
    deliverables = list(Deliverable.objects.in_plan(plan).order_by("pk"))
    states = list(State)
    now = timezone.now()
    examples = [
        ProgressExample(
            office=offices[n % len(offices)],
            created_by=user,
            state=states[n % len(states)],
            submitted_at=None if n % len(states) == 0 else now,
            approved_at=now if states[n % len(states)] == State.APPROVED else None,
            **{**COMPLETE, "title": f"Generated example {n}", "south_south": n % 3 == 0},
        )
        for n in range(count)
    ]
    ProgressExample.objects.bulk_create(examples, batch_size=500)
    created = list(ProgressExample.objects.filter(title__startswith="Generated example").order_by("pk"))
    through = ProgressExample.deliverables.through
    links = [
        through(
            progressexample_id=example.pk, deliverable_id=deliverables[(i + k * 7) % len(deliverables)].pk
        )
        for i, example in enumerate(created)
        for k in range(2)
    ]
    through.objects.bulk_create(links, batch_size=1000, ignore_conflicts=True)
    history = [
        ExampleTransition(
            example=example,
            from_state=State.SUBMITTED,
            to_state=example.state,
            actor=user,
            at=now,
            comment="Generated",
        )
        for example in created
    ]
    ExampleTransition.objects.bulk_create(history, batch_size=1000)


# Files. Minimal but real headers: the checks read content, not names.


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png_bytes() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def jpeg_bytes() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40


def office_bytes(kind: str, *, macro: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if kind == "docx":
            archive.writestr("word/document.xml", "<document/>")
            if macro:
                archive.writestr("word/vbaProject.bin", b"\x00" * 10)
        elif kind == "xlsx":
            archive.writestr("xl/workbook.xml", "<workbook/>")
        else:
            archive.writestr("readme.txt", "just a zip")
    return buffer.getvalue()


def exe_bytes() -> bytes:
    return (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
        + b"\x00" * 64
        + b"This program cannot be run in DOS mode"
    )


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_examples_with_attachments(owner, *, reviewer) -> dict[str, ProgressExample]:
    """`owner`'s office's examples as draft, submitted and approved, each with one PDF."""
    made = {
        "draft": make_example(owner),
        "submitted": make_example(owner, state=State.SUBMITTED),
        "approved": make_example(owner, state=State.APPROVED, reviewer=reviewer),
    }
    for example in made.values():
        attachment = ExampleAttachment(
            example=example,
            original_name="a.pdf",
            content_type="application/pdf",
            size=len(pdf_bytes()),
            sha256="0" * 64,
            uploaded_by=owner,
        )
        attachment.file.save("upload", upload("a.pdf", pdf_bytes()), save=False)
        attachment.save()
        example.refresh_from_db()
    return made
