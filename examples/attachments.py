"""Attachments of progress examples: what may be uploaded, decided by content.

A file is accepted only when its first bytes (or, for Office documents, its
ZIP directory, both read by dcplan.uploads) show one of the allowed types AND
its name carries the extension of that type: an executable renamed
report.pdf fails the first check, a PDF renamed report.exe the second.
Everything else (HTML, SVG, scripts, macro-enabled documents, archives) is
refused, and so is an Office document whose ZIP directory declares more
than dcplan.uploads.MAX_UNPACKED_BYTES (100 MB) unpacked or a compression
ratio over MAX_COMPRESSION_RATIO (100:1), as the spreadsheet import does:
reviewers would open it.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from dcplan import uploads
from dcplan.uploads import JPEG, PDF, PNG

MAX_SIZE = 10 * 1024 * 1024
MAX_PER_EXAMPLE = 5
NAME_MAX_LENGTH = 120

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EXTENSIONS = {
    PDF: {"pdf"},
    PNG: {"png"},
    JPEG: {"jpg", "jpeg"},
    DOCX: {"docx"},
    XLSX: {"xlsx"},
}
ALLOWED_DESCRIPTION = "PDF, PNG, JPEG, DOCX, XLSX"


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    name: str  # sanitised, for display and Content-Disposition
    content_type: str
    size: int
    sha256: str


def sniff(upload: UploadedFile) -> str | None:
    """The content type the file's bytes show, or None when not an allowed type."""
    content_type = uploads.file_type(upload)
    if content_type in (PDF, PNG, JPEG):
        return content_type
    if content_type == uploads.ZIP:
        return _office_type(upload)
    return None


def _office_type(upload: UploadedFile) -> str | None:
    directory = uploads.zip_directory(upload)
    if directory is None or "[Content_Types].xml" not in directory.names:
        return None
    # Macro-enabled documents (.docm, .xlsm) carry a VBA project: refused.
    if any(name.lower().endswith("vbaproject.bin") for name in directory.names):
        return None
    if "word/document.xml" in directory.names:
        return DOCX
    if "xl/workbook.xml" in directory.names:
        return XLSX
    return None


def safe_name(name: str) -> str:
    """The user's file name, made safe to show and to send back in Content-Disposition:
    no directories, no control or odd characters, no leading dots, bounded length."""
    name = unicodedata.normalize("NFKC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    # Control and format characters (NUL, right-to-left override …) go; other spaces become plain ones.
    name = "".join(
        " " if unicodedata.category(ch).startswith("Z") else ch
        for ch in name
        if not unicodedata.category(ch).startswith("C")
    )
    name = re.sub(r"[^\w .()+,-]", "_", name)
    name = re.sub(r"\s+", " ", name)
    name = re.sub(r"_{2,}", "_", name)
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem, extension = stem.strip(" ._-") or "attachment", extension.strip(" ._-")
    if extension:
        return f"{stem[: NAME_MAX_LENGTH - len(extension) - 1].rstrip(' ._-')}.{extension}"
    return stem[:NAME_MAX_LENGTH]


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Accept `upload` or raise ValidationError saying why, naming the file."""
    shown = safe_name(upload.name) or _("the file")
    if not upload.size:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": shown}, code="empty")
    if upload.size > MAX_SIZE:
        raise ValidationError(
            _("“%(name)s” is larger than %(max)s MB.") % {"name": shown, "max": MAX_SIZE // (1024 * 1024)},
            code="too_large",
        )
    content_type = sniff(upload)
    if content_type is None:
        raise ValidationError(
            _(
                "“%(name)s” is not a PDF, PNG, JPEG, DOCX or XLSX file (its content was checked, "
                "not only its name)."
            )
            % {"name": shown},
            code="type",
        )
    if content_type in (DOCX, XLSX):
        directory = uploads.zip_directory(upload)
        if directory is None or directory.exceeds():
            raise ValidationError(
                _(
                    "“%(name)s” would unpack to more than %(max)s MB or to more than %(ratio)s times its "
                    "size: it is refused as a possible “zip bomb”. Save the document again, or as PDF."
                )
                % {
                    "name": shown,
                    "max": uploads.MAX_UNPACKED_BYTES // (1024 * 1024),
                    "ratio": uploads.MAX_COMPRESSION_RATIO,
                },
                code="zip_bomb",
            )
    extension = shown.rpartition(".")[2].lower() if "." in shown else ""
    if extension not in EXTENSIONS[content_type]:
        expected = sorted(EXTENSIONS[content_type])[0]
        raise ValidationError(
            _(
                "“%(name)s” is a .%(expected)s file by its content but its name does not say so: "
                "rename it to end in .%(expected)s."
            )
            % {"name": shown, "expected": expected},
            code="extension",
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(
        upload=upload, name=shown, content_type=content_type, size=upload.size, sha256=digest.hexdigest()
    )
