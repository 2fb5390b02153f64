import datetime
import logging
from collections.abc import Collection

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dcplan.access import Perm, may_draft_review, may_issue_review, permission_required
from dcplan.once import AlreadyDone, claim_once, new_nonce, release, valid_nonce
from deliverables.models import Plan
from deliverables.selectors import current_plan

from .assembly import Review, assemble_review
from .checks import checks_for_review
from .document import cover_warnings
from .drafting import (
    StaleSection,
    block_groups,
    draft_sections,
    section_history,
    section_save,
    section_title,
)
from .figures import figure_labels, figure_texts
from .forms import CoverForm, SectionForm
from .markup import parse
from .models import IssuedReview, ReviewDraft, review_filename
from .rendering import RenderError, review_preview_html
from .selectors import LANGUAGE_NAMES, SOURCE_LANGUAGE, LanguageUnavailable
from .services import (
    UnacknowledgedWarnings,
    review_document,
    review_docx_render,
    review_issue,
    review_render,
)
from .written import section_keys

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
log = logging.getLogger("dcplan.reporting")


def _preview_page(
    request: HttpRequest,
    form: CoverForm,
    *,
    status: int = 200,
    render_error: str = "",
    issue_error: str = "",
    acknowledged: Collection[str] = (),
) -> HttpResponse:
    """The preview page: the form, and the review when the form is valid."""
    document = None
    checks, cover_notes = [], []
    if form.is_valid():
        language = form.cleaned_data["language"]
        document = review_document(
            plan=form.plan, as_of=form.cleaned_data["as_of"], cover=form.cover(), language=language
        )
        checks = checks_for_review(document.review)
        cover_notes = cover_warnings(document.cover, document.review.as_of)
    context = {
        "form": form,
        "doc": document,
        "document_html": review_preview_html(document) if document else "",
        "languages": form.language_options,
        "language": form.cleaned_data.get("language", form.language) if form.is_valid() else form.language,
        "fallback_from": form.fallback_name,
        "review": document.review if document else None,
        "cover": document.cover if document else None,
        "can_issue": may_issue_review(request.user),
        "issue_values": form.as_hidden_values() if document else [],
        "render_error": render_error,
        "checks": checks,
        "cover_warnings": cover_notes,
        "acknowledged": acknowledged,
        "issue_error": issue_error,
        "can_draft": may_draft_review(request.user),
        # Where the written sections of this cut-off are translated (a refused language links there).
        "drafting_as_of": getattr(form, "cleaned_data", {}).get("as_of"),
        "once": new_nonce(),  # the issue form acts once: see review_issue_view
    }
    if form.is_bound and not form.is_valid():
        status = 400
    return render(request, "reporting/preview.html", context, status=status)


def _bound_form(data) -> CoverForm:
    """Always bound: on a first visit (no data) the defaults are validated like any request,
    in the interface's language when the review exists in it."""
    return CoverForm.with_defaults(data, plan=current_plan(), preferred=get_language())


@require_GET
@permission_required(Perm.VIEW_REVIEW)
def review_preview(request: HttpRequest) -> HttpResponse:
    return _preview_page(request, _bound_form(request.GET))


@require_GET
@permission_required(Perm.VIEW_REVIEW)
def review_download(request: HttpRequest) -> HttpResponse:
    form = _bound_form(request.GET)
    if not form.is_valid():
        return _preview_page(request, form)
    as_of, language = form.cleaned_data["as_of"], form.cleaned_data["language"]
    cover = form.cover()
    if request.GET.get("format") == "docx":
        docx = review_docx_render(plan=form.plan, as_of=as_of, cover=cover, language=language)
        filename = review_filename(cover.symbol, as_of, language).removesuffix(".pdf") + ".docx"
        return _file_response(docx, filename, DOCX_TYPE)
    try:
        result = review_render(plan=form.plan, as_of=as_of, cover=cover, language=language)
    except RenderError as error:
        log.error("%s (download by %s)", error.detail, request.user.get_username())
        return _preview_page(request, form, status=503, render_error=str(error))
    return _pdf_response(result.pdf, review_filename(cover.symbol, as_of, language))


@require_POST
@permission_required(Perm.ISSUE_REVIEW)
def review_issue_view(request: HttpRequest) -> HttpResponse:
    form = _bound_form(request.POST)
    if not form.is_valid():
        return _preview_page(request, form)
    acknowledged = request.POST.getlist("acknowledge")
    # A double click must issue once. The form's one-time token is claimed
    # (and committed) before rendering, which happens outside any transaction;
    # a refused or failed issue gives the claim back.
    once = request.POST.get("once", "")
    if not valid_nonce(once):
        messages.error(request, _("This form is out of date: issue the review from its preview page."))
        return redirect("reporting:preview")
    key = f"review-issue:{once}"
    try:
        with transaction.atomic():
            claim_once(key)
    except AlreadyDone:
        messages.info(
            request, _("This review is being issued or was issued already (the form was sent twice).")
        )
        return redirect("reporting:issued")
    try:
        issued = review_issue(
            plan=form.plan,
            as_of=form.cleaned_data["as_of"],
            cover=form.cover(),
            user=request.user,
            acknowledged=acknowledged,
            language=form.cleaned_data["language"],
        )
    except (UnacknowledgedWarnings, LanguageUnavailable) as refused:
        release(key)
        return _preview_page(request, form, status=400, issue_error=str(refused), acknowledged=acknowledged)
    except BaseException as error:
        release(key)
        if not isinstance(error, RenderError):
            raise
        log.error("%s (issue by %s)", error.detail, request.user.get_username())
        return _preview_page(request, form, status=503, render_error=str(error))
    messages.success(
        request,
        _("%(symbol)s as of %(date)s was issued. Its SHA-256 is %(sha)s.")
        % {"symbol": issued.symbol, "date": issued.as_of.isoformat(), "sha": issued.sha256},
    )
    return redirect("reporting:issued")


@require_GET
@permission_required(Perm.VIEW_REVIEW)
def issued_list(request: HttpRequest) -> HttpResponse:
    context = {"issued": IssuedReview.objects.for_listing(), "can_issue": may_issue_review(request.user)}
    return render(request, "reporting/issued_list.html", context)


@require_GET
@permission_required(Perm.VIEW_REVIEW)
def issued_download(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        issued = IssuedReview.objects.get(pk=pk)
    except IssuedReview.DoesNotExist:
        raise Http404("No such issued review.") from None
    if request.GET.get("format") == "docx":
        if issued.docx is None:
            raise Http404("This review was issued before Word files were kept.")
        response = _file_response(bytes(issued.docx), issued.docx_filename, DOCX_TYPE)
        response["ETag"] = f'"{issued.docx_sha256}"'
        return response
    response = _pdf_response(bytes(issued.pdf), issued.filename)
    response["ETag"] = f'"{issued.sha256}"'
    return response


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    return _file_response(pdf, filename, PDF_TYPE)


def _file_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Length"] = str(len(content))
    # The review is confidential until the Governing Body publishes it.
    response["Cache-Control"] = "private, no-store"
    return response


# Drafting the written sections.


def _drafting_review(as_of: datetime.date) -> tuple[Plan, Review]:
    """The current plan and its review at `as_of`; 404 for a cut-off before the plan starts."""
    plan = current_plan()
    if as_of < plan.starts_on:
        raise Http404("No review of this plan at this cut-off.")
    return plan, assemble_review(plan, as_of)


def _area_numbers(review: Review) -> list[int]:
    return [area.number for area in review.focus_areas]


def _draft_languages(as_of: datetime.date, key: str | None = None) -> list[dict]:
    """The language switch of the drafting pages: a link per language, English (the source) first."""
    return [
        {
            "code": code,
            "name": translation.get_language_info(code)["name_local"],
            "url": _draft_url(as_of, code) if key is None else _section_url(as_of, key, code),
        }
        for code, _name in settings.LANGUAGES
    ]


def _section_url(as_of: datetime.date, key: str, language: str) -> str:
    if language == SOURCE_LANGUAGE:
        return reverse("reporting:draft_section", args=[as_of, key])
    return reverse("reporting:draft_section_translation", args=[as_of, language, key])


def _draft_url(as_of: datetime.date, language: str) -> str:
    if language == SOURCE_LANGUAGE:
        return reverse("reporting:draft", args=[as_of])
    return reverse("reporting:draft_translation", args=[as_of, language])


def _figures_in(review: Review, language: str) -> dict[str, str]:
    """The named figures in `language`'s words: a translation previews as it will print."""
    with translation.override(language):
        return figure_texts(review)


@require_GET
@permission_required(Perm.DRAFT_REVIEW)
def draft_page(request: HttpRequest, as_of: datetime.date, language: str = SOURCE_LANGUAGE) -> HttpResponse:
    """The written sections in one language; a translation shows the English beside each section."""
    plan, review = _drafting_review(as_of)
    version, sections = draft_sections(plan, as_of, section_keys(_area_numbers(review)), language)
    figures = _figures_in(review, language)
    english = figure_texts(review)
    context = {
        "as_of": as_of,
        "version": version,
        "language": language,
        "language_label": LANGUAGE_NAMES[language],
        "languages": _draft_languages(as_of),
        "sections": [
            (
                section,
                block_groups(parse(section.text, figures)),
                block_groups(parse(section.source_text, english)) if not section.is_source else [],
                _section_url(as_of, section.key, language),
                [(LANGUAGE_NAMES[other.language], other) for other in section.translations],
            )
            for section in sections
        ],
        "written": sum(1 for section in sections if section.text),
        "outdated": sum(1 for section in sections if section.outdated),
    }
    return render(request, "reporting/drafting/draft.html", context)


def _section_page(
    request: HttpRequest,
    as_of: datetime.date,
    key: str,
    *,
    language: str = SOURCE_LANGUAGE,
    data=None,
    status: int = 200,
    conflict: StaleSection | None = None,
) -> HttpResponse:
    """The edit page of one section in one language: the form (bound to `data`
    when given), a preview of its text, the English text beside a translation,
    and the section's history in that language."""
    plan, review = _drafting_review(as_of)
    if key not in section_keys(_area_numbers(review)):
        raise Http404("No such section.")
    labels = figure_labels(_area_numbers(review))
    _version, (state,) = draft_sections(plan, as_of, [key], language)
    initial = {"text": state.text, "version": state.version, "source_version": state.source_version}
    form = SectionForm(data, figures=labels, initial=initial)
    shown = state.text
    if form.is_bound:
        if form.is_valid():
            shown = form.cleaned_data["text"]
        elif status == 200:
            status = 400
    context = {
        "as_of": as_of,
        "section": state,
        "language": language,
        "language_label": LANGUAGE_NAMES[language],
        "languages": _draft_languages(as_of, key),
        "draft_url": _draft_url(as_of, language),
        "action": _section_url(as_of, key, language),
        "form": form,
        "preview": block_groups(parse(shown, _figures_in(review, language))),
        "source": block_groups(parse(state.source_text, figure_texts(review))) if not state.is_source else [],
        "previewing": form.is_bound and status == 200,
        "history": section_history(plan, as_of, key, language),
        "figures": labels,
        "conflict": conflict,
        "conflict_revisions": conflict.newer_revisions() if conflict else [],
    }
    return render(request, "reporting/drafting/section.html", context, status=status)


@require_http_methods(["GET", "POST"])
@permission_required(Perm.DRAFT_REVIEW)
def draft_section(
    request: HttpRequest, as_of: datetime.date, key: str, language: str = SOURCE_LANGUAGE
) -> HttpResponse:
    """GET shows the section; POST previews the typed text (saving nothing) or saves it."""
    if request.method == "GET":
        return _section_page(request, as_of, key, language=language)
    if "preview" in request.POST:
        return _section_page(request, as_of, key, language=language, data=request.POST)
    return _section_save(request, as_of, key, language)


def _section_save(request: HttpRequest, as_of: datetime.date, key: str, language: str) -> HttpResponse:
    plan, review = _drafting_review(as_of)
    if key not in section_keys(_area_numbers(review)):
        raise Http404("No such section.")
    form = SectionForm(request.POST, figures=figure_labels(_area_numbers(review)))
    if not form.is_valid():
        return _section_page(request, as_of, key, language=language, data=request.POST, status=400)
    try:
        section_save(
            draft=ReviewDraft.objects.for_cut_off(plan, as_of),
            key=key,
            text=form.cleaned_data["text"],
            user=request.user,
            seen_version=form.cleaned_data["version"],
            language=language,
            source_version=form.cleaned_data["source_version"],
        )
    except StaleSection as stale:
        # Keep what the user typed; carry the version they have now seen, so
        # that saving again is a decision taken with the newer text in view.
        data = request.POST.copy()
        data["version"] = str(stale.current.version)
        data.pop("preview", None)
        return _section_page(request, as_of, key, language=language, data=data, status=409, conflict=stale)
    messages.success(request, _("“%(title)s” was saved.") % {"title": section_title(key)})
    return redirect(_draft_url(as_of, language) + f"#{key}")
