"""Site-wide views: the health check and the error pages."""

import shutil
import tempfile
from pathlib import Path

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


# Below this much free space, uploads are reported as failing: one example's
# attachments at most (examples.attachments: 5 × 10 MB).
UPLOADS_MIN_FREE_BYTES = 50 * 1024 * 1024


def uploads_writable() -> bool:
    """Whether a file can be written under MEDIA_ROOT now, with room for a full upload."""
    root = Path(settings.MEDIA_ROOT)
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=root) as probe:
            probe.write(b"ok")
            probe.flush()
        return shutil.disk_usage(root).free >= UPLOADS_MIN_FREE_BYTES
    except OSError:
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not. No session, no sign-in.

    The body also says whether uploads can be stored ("uploads": "ok" or
    "not writable"); a full disk does not take the host out of the load
    balancer (reading still works), but `/healthz?check=uploads` answers 503
    then, for monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    uploads = "ok" if uploads_writable() else "not writable"
    failing = uploads != "ok" and request.GET.get("check") == "uploads"
    return JsonResponse(
        {"status": "error" if failing else "ok", "database": "ok", "uploads": uploads},
        status=503 if failing else 200,
    )


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
