"""Attachments: accepted by content, refused otherwise, stored under a server-made
name, downloaded only through the permission-checked view."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from examples import attachments
from examples.models import ExampleAttachment, ProgressExample
from operations import storage
from tests.examples.example_data import (  # noqa: F401
    exe_bytes,
    jpeg_bytes,
    make_example,
    media,
    office_bytes,
    pdf_bytes,
    png_bytes,
    upload,
)

State = ProgressExample.State
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("report.pdf", pdf_bytes(), attachments.PDF),
        ("photo.PNG", png_bytes(), attachments.PNG),
        ("photo.jpeg", jpeg_bytes(), attachments.JPEG),
        ("photo.jpg", jpeg_bytes(), attachments.JPEG),
        ("minutes.docx", office_bytes("docx"), attachments.DOCX),
        ("figures.xlsx", office_bytes("xlsx"), attachments.XLSX),
    ],
)
def test_allowed_files_are_recognised_by_their_content(name, content, expected):
    checked = attachments.check_upload(upload(name, content, content_type="text/html"))
    assert checked.content_type == expected  # what the browser claimed is ignored
    assert checked.size == len(content) and len(checked.sha256) == 64


def test_a_real_xlsx_workbook_is_accepted():
    import io

    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    assert attachments.check_upload(upload("book.xlsx", buffer.getvalue())).content_type == attachments.XLSX


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("report.pdf", exe_bytes(), "is not a PDF, PNG, JPEG, DOCX or XLSX file"),
        ("report.exe", pdf_bytes(), "rename it to end in .pdf"),
        ("report.pdf.exe", pdf_bytes(), "rename it to end in .pdf"),
        ("page.html", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "is not a PDF"),
        ("page.pdf", b"<html><body>%PDF-1.4</body></html>", "is not a PDF"),
        (
            "image.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "is not a PDF",
        ),
        ("macro.docx", office_bytes("docx", macro=True), "is not a PDF"),
        ("archive.docx", office_bytes("zip"), "is not a PDF"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "is not a PDF"),
        ("notes.txt", b"plain text", "is not a PDF"),
        ("figures.docx", office_bytes("xlsx"), "rename it to end in .xlsx"),
        ("report", pdf_bytes(), "rename it to end in .pdf"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_anything_else_is_refused_with_a_clear_reason(name, content, message):
    with pytest.raises(ValidationError) as refused:
        attachments.check_upload(upload(name, content))
    assert message in refused.value.messages[0]


def test_a_file_over_10_mb_is_refused():
    big = pdf_bytes() + b"0" * (11 * 1024 * 1024)
    with pytest.raises(ValidationError, match="larger than 10 MB"):
        attachments.check_upload(upload("big.pdf", big))


def test_a_file_of_exactly_10_mb_is_accepted():
    content = pdf_bytes()
    content += b"0" * (attachments.MAX_SIZE - len(content))
    assert attachments.check_upload(upload("limit.pdf", content)).size == attachments.MAX_SIZE


@pytest.mark.parametrize(
    "name, safe",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32\\evil.pdf", "evil.pdf"),
        ("report\x00.pdf", "report.pdf"),
        ("rapport d’activité 2022.pdf", "rapport d_activité 2022.pdf"),
        ("invoice\u202egnp.pdf", "invoicegnp.pdf"),
        ('a"quote";.pdf', "a_quote.pdf"),
        ("<script>.pdf", "script.pdf"),
        ("...pdf", "attachment.pdf"),
        ("   .pdf", "attachment.pdf"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
        ("no extension", "no extension"),
        ("", "attachment"),
    ],
)
def test_odd_file_names_are_made_safe(name, safe):
    assert attachments.safe_name(name) == safe


# Through the web


@pytest.fixture
def focal(client, users):
    client.force_login(users["focal_a"])
    return client


def edit(client, example, **files):
    example.refresh_from_db()
    data = {
        "title": example.title,
        "version": example.version,
        "action": "save",
        "deliverables": [d.pk for d in example.deliverables.all()],
        **files,
    }
    return client.post(reverse("examples:edit", args=[example.pk]), data)


def test_an_upload_is_stored_under_a_random_name_outside_static_and_downloads_intact(focal, users, settings):
    example = make_example(users["focal_a"])
    response = edit(focal, example, new_attachments=[upload("../Rapport final.pdf", pdf_bytes())])
    assert response.status_code == 302
    attachment = ExampleAttachment.objects.get()
    assert attachment.original_name == "Rapport final.pdf"
    assert attachment.file.name.startswith("attachments/") and "Rapport" not in attachment.file.name
    assert len(attachment.file.name.split("/")[1]) == 32  # a uuid4 in hex, no extension
    assert (settings.MEDIA_ROOT / attachment.file.name).read_bytes() == pdf_bytes()
    assert attachment.uploaded_by == users["focal_a"] and attachment.content_type == attachments.PDF

    download = focal.get(reverse("examples:attachment", args=[example.pk, attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes()
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert download["Content-Disposition"] == 'attachment; filename="Rapport final.pdf"'


def test_a_non_ascii_name_is_sent_encoded_in_content_disposition(focal, users):
    example = make_example(users["focal_a"])
    edit(focal, example, new_attachments=[upload("activité.pdf", pdf_bytes())])
    attachment = ExampleAttachment.objects.get()
    download = focal.get(reverse("examples:attachment", args=[example.pk, attachment.pk]))
    assert download["Content-Disposition"] == "attachment; filename*=utf-8''activit%C3%A9.pdf"


def test_a_refused_file_leaves_the_example_and_the_disk_untouched_and_keeps_the_typed_text(
    focal, users, settings
):
    example = make_example(users["focal_a"])
    example.refresh_from_db()
    data = {
        "title": "Changed title",
        "version": example.version,
        "action": "save",
        "new_attachments": [upload("ok.pdf", pdf_bytes()), upload("report.pdf", exe_bytes())],
    }
    response = focal.post(reverse("examples:edit", args=[example.pk]), data)
    assert response.status_code == 400
    assert "“report.pdf” is not a PDF, PNG, JPEG, DOCX or XLSX file" in response.content.decode()
    assert "Changed title" in response.content.decode()
    assert not ExampleAttachment.objects.exists()
    assert ProgressExample.objects.get(pk=example.pk).title == example.title
    assert not (settings.MEDIA_ROOT / "attachments").exists() or not any(
        (settings.MEDIA_ROOT / "attachments").iterdir()
    )


def test_at_most_five_attachments_per_example(focal, users):
    example = make_example(users["focal_a"])
    files = [upload(f"page{n}.png", png_bytes()) for n in range(4)]
    assert edit(focal, example, new_attachments=files).status_code == 302
    refused = edit(
        focal, example, new_attachments=[upload("a.pdf", pdf_bytes()), upload("b.pdf", pdf_bytes())]
    )
    assert refused.status_code == 400
    assert "An example has at most 5 attachments: it would have 6." in refused.content.decode()
    assert ExampleAttachment.objects.count() == 4
    # Removing one makes room.
    first = ExampleAttachment.objects.order_by("pk").first()
    response = edit(
        focal,
        example,
        remove_attachments=[first.pk],
        new_attachments=[upload("a.pdf", pdf_bytes()), upload("b.pdf", pdf_bytes())],
    )
    assert response.status_code == 302
    assert ExampleAttachment.objects.count() == 5


def test_removing_an_attachment_deletes_its_file_after_the_grace_period(focal, users, settings):
    example = make_example(users["focal_a"])
    edit(focal, example, new_attachments=[upload("a.pdf", pdf_bytes())])
    attachment = ExampleAttachment.objects.get()
    path = settings.MEDIA_ROOT / attachment.file.name
    assert path.exists()
    assert edit(focal, example, remove_attachments=[attachment.pk]).status_code == 302
    # A backup already running may still be copying it (operations.storage).
    assert not ExampleAttachment.objects.exists() and path.exists()
    call_command("purge_expired", verbosity=0)
    assert path.exists()
    storage.PendingFileDeletion.objects.update(due_at=timezone.now())
    call_command("purge_expired", verbosity=0)
    assert not path.exists() and not storage.PendingFileDeletion.objects.exists()


def test_an_attachment_of_another_example_cannot_be_removed_through_this_one(focal, users):
    mine = make_example(users["focal_a"])
    other = make_example(users["focal_a"])
    edit(focal, other, new_attachments=[upload("a.pdf", pdf_bytes())])
    attachment = ExampleAttachment.objects.get()
    response = edit(focal, mine, remove_attachments=[attachment.pk])
    assert response.status_code == 400
    assert ExampleAttachment.objects.filter(pk=attachment.pk).exists()


def test_an_attachment_is_not_reachable_through_another_example(client, users):
    mine = make_example(users["focal_a"])
    theirs = make_example(users["focal_b"])
    client.force_login(users["focal_b"])
    edit(client, theirs, new_attachments=[upload("dhaka.pdf", pdf_bytes())])
    attachment = ExampleAttachment.objects.get()
    client.force_login(users["focal_a"])
    url = reverse("examples:attachment", args=[mine.pk, attachment.pk])
    assert client.get(url).status_code == 404
    url = reverse("examples:attachment", args=[theirs.pk, attachment.pk])
    assert client.get(url).status_code == 404


def test_a_file_missing_from_storage_answers_404(focal, users, settings):
    example = make_example(users["focal_a"])
    edit(focal, example, new_attachments=[upload("a.pdf", pdf_bytes())])
    attachment = ExampleAttachment.objects.get()
    (settings.MEDIA_ROOT / attachment.file.name).unlink()
    url = reverse("examples:attachment", args=[example.pk, attachment.pk])
    assert focal.get(url).status_code == 404


def test_file_names_with_html_are_shown_escaped(focal, users):
    example = make_example(users["focal_a"])
    edit(focal, example, new_attachments=[upload("<img src=x onerror=alert(1)>.pdf", pdf_bytes())])
    page = focal.get(reverse("examples:detail", args=[example.pk])).content.decode()
    assert "<img src=x" not in page
    assert ExampleAttachment.objects.get().original_name == "img src_x onerror_alert(1).pdf"


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.pdf", b"", "“empty.pdf” is empty."),
        ("big.pdf", pdf_bytes() + b"0" * (11 * 1024 * 1024), "“big.pdf” is larger than 10 MB."),
        ("report.exe", pdf_bytes(), "rename it to end in .pdf"),
        ("page.html", b"<html><script>alert(1)</script></html>", "“page.html” is not a PDF"),
    ],
)
def test_bad_files_through_the_form_get_a_clear_error_and_lose_nothing_saved(
    focal, users, name, content, message
):
    example = make_example(users["focal_a"])
    edit(focal, example, new_attachments=[upload("kept.pdf", pdf_bytes())])
    response = edit(focal, example, new_attachments=[upload(name, content)])
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(ExampleAttachment.objects.values_list("original_name", flat=True)) == ["kept.pdf"]
    assert ProgressExample.objects.get(pk=example.pk).title == example.title


def bomb_bytes(kind: str, *, unpacked: int) -> bytes:
    """An Office document whose one extra member packs `unpacked` zero bytes very small."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
        with archive.open("media/padding.bin", "w", force_zip64=True) as member:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(unpacked // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_an_office_document_packed_like_a_zip_bomb_is_refused(kind):
    content = bomb_bytes(kind, unpacked=200 * 1024 * 1024)
    assert len(content) < 1024 * 1024  # 200 MB in a few hundred KB
    with pytest.raises(ValidationError, match="zip bomb") as refused:
        attachments.check_upload(upload(f"report.{kind}", content))
    assert refused.value.code == "zip_bomb"


def test_an_office_document_over_the_ratio_but_small_is_refused_too():
    content = bomb_bytes("docx", unpacked=20 * 1024 * 1024)  # 20 MB, but about 1,000:1
    with pytest.raises(ValidationError, match="zip bomb"):
        attachments.check_upload(upload("report.docx", content))


def test_an_ordinary_office_document_is_accepted():
    assert (
        attachments.check_upload(upload("report.docx", office_bytes("docx"))).content_type == attachments.DOCX
    )
