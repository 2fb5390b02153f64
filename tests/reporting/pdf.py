"""Reading PDFs in tests."""

import io

from pypdf import PdfReader


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(pdf_pages(pdf))


def squeezed(text: str) -> str:
    """Without any whitespace: table cells wrap long strings anywhere."""
    return "".join(text.split())
