"""Starting a review render, following it, downloading it: no request waits for WeasyPrint."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from dcplan.access import Perm, permission_required
from deliverables.selectors import current_plan
from reporting.forms import CoverForm
from reporting.models import review_filename

from .models import ReviewRender
from .services import review_render_request


@require_POST
@permission_required(Perm.VIEW_REVIEW)
def render_start(request: HttpRequest) -> HttpResponse:
    form = CoverForm.with_defaults(request.POST, plan=current_plan(), preferred=get_language())
    if not form.is_valid():
        return redirect("reporting:preview")
    job = review_render_request(
        plan=form.plan,
        as_of=form.cleaned_data["as_of"],
        cover=form.cover(),
        language=form.cleaned_data["language"],
        user=request.user,
    )
    return redirect("renders:detail", pk=job.pk)


@require_GET
@permission_required(Perm.VIEW_REVIEW)
def render_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ReviewRender.objects.defer("pdf"), pk=pk)
    return render(request, "renders/detail.html", {"render": job})


@require_GET
@permission_required(Perm.VIEW_REVIEW)
def render_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ReviewRender, pk=pk, state=ReviewRender.State.READY)
    response = HttpResponse(bytes(job.pdf), content_type="application/pdf")
    filename = review_filename(job.cover.get("symbol", ""), job.as_of, job.language)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
