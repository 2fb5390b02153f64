"""Building and issuing the review. One code path: the preview, the download,
the issue action and the command all go through these."""

import datetime
from collections.abc import Collection

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from deliverables.models import Plan

from .assembly import assemble_review
from .checks import Check, review_checks
from .document import Cover, ReviewDocument, compose
from .drafting import draft_sources, written_from_sources, written_text
from .figures import figure_texts
from .models import IssuedReview
from .rendering import RenderResult, review_pdf
from .selectors import SOURCE_LANGUAGE, language_check
from .written import WrittenText


class UnacknowledgedWarnings(Exception):
    """The checks found warnings the issuer has not acknowledged: nothing is issued."""

    def __init__(self, missing: list[Check]):
        self.missing = missing
        super().__init__(
            _("Acknowledge every warning before issuing. Not acknowledged: %(codes)s.")
            % {"codes": "; ".join(check.message for check in missing)}
        )


def review_document(
    *,
    plan: Plan,
    as_of: datetime.date,
    cover: Cover,
    written: WrittenText | None = None,
    draft: bool = True,
    language: str = SOURCE_LANGUAGE,
) -> ReviewDocument:
    """The review as composed for the preview and the renderers, in `language` (the
    caller has checked that it is available: reporting.selectors). `written`: the
    written sections; None reads the draft at `as_of` in `language`
    (reporting.drafting): never the English text in another language."""
    with translation.override(language):
        review = assemble_review(plan, as_of, language)
        if written is None:
            written = written_text(plan, as_of, review=review, language=language)
        return compose(review, cover, written, draft=draft, language=language)


def review_render(
    *,
    plan: Plan,
    as_of: datetime.date,
    cover: Cover,
    written: WrittenText | None = None,
    issued: bool = False,
    timeout: float | None = None,
    language: str = SOURCE_LANGUAGE,
) -> RenderResult:
    """The review as PDF: a draft (marked DRAFT on every page) unless `issued` (no mark, PDF/A).
    Raises RenderError (with a message for the user) if rendering fails or times out."""
    document = review_document(
        plan=plan, as_of=as_of, cover=cover, written=written, draft=not issued, language=language
    )
    return review_pdf(document, timeout=timeout, issued=issued)


def review_docx_render(
    *,
    plan: Plan,
    as_of: datetime.date,
    cover: Cover,
    written: WrittenText | None = None,
    issued: bool = False,
    language: str = SOURCE_LANGUAGE,
) -> bytes:
    """The review as a Word file, the same document as the PDF."""
    from .docx import review_docx

    document = review_document(
        plan=plan, as_of=as_of, cover=cover, written=written, draft=not issued, language=language
    )
    return review_docx(document)


def review_issue(
    *,
    plan: Plan,
    as_of: datetime.date,
    cover: Cover,
    user: AbstractBaseUser,
    acknowledged: Collection[str] = (),
    language: str = SOURCE_LANGUAGE,
) -> IssuedReview:
    """Render the review and keep the PDF, byte for byte, as issued by `user`,
    with the written sections' text as printed and the warnings acknowledged.

    `acknowledged` holds the keys (Check.key) of the warnings the issuer has
    seen; the checks run again here, and any warning not acknowledged (say,
    one that data recorded since the preview brought up) refuses the issue
    with UnacknowledgedWarnings.

    Rendering happens before the transaction: a slow render never holds a
    database lock, and a failed one writes nothing. A `language` some text of
    the review does not exist in is refused (LanguageUnavailable)."""
    language_check(plan, as_of, language)
    checks = review_checks(plan, as_of)
    missing = [check for check in checks if check.key not in acknowledged]
    if missing:
        raise UnacknowledgedWarnings(missing)
    # One read of the draft: the text kept is the text printed, in the language
    # issued, its figures in that language's words.
    sources = draft_sources(plan, as_of, language)
    with translation.override(language):
        written = written_from_sources(sources, figure_texts(assemble_review(plan, as_of, language)))
    rendering = {"plan": plan, "as_of": as_of, "cover": cover, "written": written, "language": language}
    result = review_render(**rendering, issued=True)
    docx = review_docx_render(**rendering, issued=True)
    now = timezone.now()
    acknowledgements = [
        {
            "code": check.code,
            "message": check.message,
            "by": user.get_username(),
            "at": now.isoformat(),
        }
        for check in checks
    ]
    with transaction.atomic():
        issued = IssuedReview.build(
            plan=plan,
            as_of=as_of,
            cover=cover.as_json(),
            pdf=result.pdf,
            issued_by=user,
            written=sources,
            acknowledgements=acknowledgements,
            docx=docx,
            language=language,
        )
        issued.issued_at = now
        issued.save()
    return issued
