"""Building and issuing the review. One code path: the preview, the download,
the issue action and the command all go through these."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from deliverables.models import Plan

from .assembly import assemble_review
from .document import Cover, ReviewDocument, compose
from .models import IssuedReview
from .rendering import RenderResult, review_pdf
from .written import EMPTY, WrittenText


def review_document(
    *, plan: Plan, as_of: datetime.date, cover: Cover, written: WrittenText = EMPTY, draft: bool = True
) -> ReviewDocument:
    return compose(assemble_review(plan, as_of), cover, written, draft=draft)


def review_render(
    *,
    plan: Plan,
    as_of: datetime.date,
    cover: Cover,
    written: WrittenText = EMPTY,
    issued: bool = False,
    timeout: float | None = None,
) -> RenderResult:
    """The review as PDF: a draft (marked DRAFT on every page) unless `issued` (no mark, PDF/A).
    Raises RenderError (with a message for the user) if rendering fails or times out."""
    document = review_document(plan=plan, as_of=as_of, cover=cover, written=written, draft=not issued)
    return review_pdf(document, timeout=timeout, issued=issued)


def review_docx_render(
    *, plan: Plan, as_of: datetime.date, cover: Cover, written: WrittenText = EMPTY, issued: bool = False
) -> bytes:
    """The review as a Word file, the same document as the PDF."""
    from .docx import review_docx

    document = review_document(plan=plan, as_of=as_of, cover=cover, written=written, draft=not issued)
    return review_docx(document)


def review_issue(*, plan: Plan, as_of: datetime.date, cover: Cover, user: AbstractBaseUser) -> IssuedReview:
    """Render the review and keep the PDF, byte for byte, as issued by `user`.

    Rendering happens before the transaction: a slow render never holds a
    database lock, and a failed one writes nothing."""
    result = review_render(plan=plan, as_of=as_of, cover=cover, issued=True)
    with transaction.atomic():
        issued = IssuedReview.build(
            plan=plan, as_of=as_of, cover=cover.as_json(), pdf=result.pdf, issued_by=user
        )
        issued.save()
    return issued
