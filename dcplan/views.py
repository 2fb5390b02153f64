"""Site-wide views: the health check and the error pages."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dcplan.access import roles_with
from operations.audit import log_denied


@never_cache
@require_GET
def livez(request: HttpRequest) -> HttpResponse:
    """200 while the process serves requests; touches nothing else (the cheapest view there is)."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not. No session, no sign-in."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _support() -> dict:
    return {"support_email": settings.DCPLAN_SUPPORT_EMAIL}


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Say which roles may do this and whom to ask (the refusal carries the permission code)."""
    reason = str(exception or "")
    log_denied(request, 403, reason)
    roles = roles_with(reason) if reason.count(".") == 1 and " " not in reason else []
    return render(request, "403.html", {"roles": roles, **_support()}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", _support(), status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    log_denied(request, 403, f"csrf: {reason}")
    return render(request, "403_csrf.html", status=403)
