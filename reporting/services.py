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


def review_document(*, plan: Plan, as_of: datetime.date, cover: Cover) -> ReviewDocument:
    return compose(assemble_review(plan, as_of), cover)


def review_render(
    *, plan: Plan, as_of: datetime.date, cover: Cover, timeout: float | None = None
) -> RenderResult:
    """The review as PDF. Raises RenderError (with a message for the user) if rendering fails or times out."""
    return review_pdf(review_document(plan=plan, as_of=as_of, cover=cover), timeout=timeout)


def review_issue(*, plan: Plan, as_of: datetime.date, cover: Cover, user: AbstractBaseUser) -> IssuedReview:
    """Render the review and keep the PDF, byte for byte, as issued by `user`.

    Rendering happens before the transaction: a slow render never holds a
    database lock, and a failed one writes nothing."""
    result = review_render(plan=plan, as_of=as_of, cover=cover)
    with transaction.atomic():
        issued = IssuedReview.build(
            plan=plan, as_of=as_of, cover=cover.as_json(), pdf=result.pdf, issued_by=user
        )
        issued.save()
    return issued
