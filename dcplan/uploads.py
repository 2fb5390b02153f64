"""What an uploaded file is, judged by its content rather than its name.

Every upload goes through here: the attachments of progress examples
(examples.attachments) and the spreadsheet imports (spreadsheets.reading).
Each decides what it accepts; this module only says what the bytes show:
the type their first bytes announce, and what a ZIP archive's directory
declares before anything is unpacked.
"""

import zipfile
from dataclasses import dataclass
from typing import IO

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
ZIP = "application/zip"  # also .xlsx, .docx and the other Office Open XML files
OLE = "application/x-ole-storage"  # .xls, .doc and the other old Office files
ELF = "application/x-executable"
EXE = "application/x-msdownload"

SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF8", GIF),
    (b"PK\x03\x04", ZIP),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE),
    (b"\x7fELF", ELF),
    (b"MZ", EXE),
)
HEAD_SIZE = max(len(magic) for magic, _type in SIGNATURES)

# The limits for ZIP-based uploads (Office documents, workbooks): what their
# directory may declare. Real documents stay far below: XML text packs about
# 10:1, pictures not at all; a "zip bomb" packs 1,000:1 and more.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100


def magic_type(head: bytes) -> str | None:
    """The type the first bytes announce, or None for none of the known ones."""
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def file_type(upload: IO[bytes]) -> str | None:
    """magic_type() of an open file, left at its start for the next reader."""
    upload.seek(0)
    head = upload.read(HEAD_SIZE)
    upload.seek(0)
    return magic_type(head)


@dataclass(frozen=True)
class ZipDirectory:
    """What a ZIP archive declares about its members, read without unpacking any.

    The declared sizes can be trusted: zipfile refuses to unpack more than a
    member declares, so they bound what a reader may be made to hold."""

    names: frozenset[str]
    unpacked_bytes: int
    packed_bytes: int

    @property
    def ratio(self) -> float:
        return self.unpacked_bytes / max(self.packed_bytes, 1)

    def exceeds(
        self, *, unpacked_bytes: int = MAX_UNPACKED_BYTES, ratio: float = MAX_COMPRESSION_RATIO
    ) -> bool:
        """Whether it would unpack to more than `unpacked_bytes`, or by more than
        `ratio` times its packed size: the marks of a "zip bomb"."""
        return self.unpacked_bytes > unpacked_bytes or self.ratio > ratio


def zip_directory(upload: IO[bytes]) -> ZipDirectory | None:
    """The directory of a ZIP archive, or None when the file is not a readable one."""
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    return ZipDirectory(
        names=frozenset(member.filename for member in members),
        unpacked_bytes=sum(member.file_size for member in members),
        packed_bytes=sum(member.compress_size for member in members),
    )
