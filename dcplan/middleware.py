"""Request-level plumbing: inputs no view should see, sessions refreshed
sparingly, and a database outage answered in one line.

- RequestLimitsMiddleware refuses, before any view or database query, what
  the database would refuse or what no page needs: a NUL character in the
  path, the query string, a form value, a file name or a cookie (PostgreSQL
  raises DataError on NUL in text), and query-string values longer than
  MAX_QUERY_VALUE_LENGTH (no filter or form of this site takes more). Each
  is a 400 with a sentence saying what was wrong.
- SessionRefreshMiddleware keeps the inactivity limit without writing the
  session on every request (SESSION_SAVE_EVERY_REQUEST is off): the session
  is saved, and its expiry moved on, at most once per SESSION_REFRESH_SECONDS.
- DatabaseUnavailableMiddleware answers 503 with a short page, and one log
  line, when the database cannot be reached; the error is not a bug in the
  request, so a traceback per request would only flood the logs.
"""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from dcplan.logs import DATABASE_DOWN, one_line

log = logging.getLogger("dcplan.requests")

MAX_PATH_LENGTH = 1000
MAX_QUERY_VALUE_LENGTH = 2000
# The review's cover travels in the query string (a GET form of ~4,500 characters
# at most, each field bounded by reporting.forms): percent-encoded as 3-byte
# UTF-8 that is up to 9 times as long. gunicorn.conf.py and the README's nginx
# settings let such an address through to here.
MAX_QUERY_STRING_LENGTH = 48_000
NUL = "\x00"


def _input_problem(request: HttpRequest) -> str:
    """Why the request is refused, or "" when it may go on."""
    if NUL in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return _("The address contains a NUL character.")
    if len(request.path) > MAX_PATH_LENGTH:
        return _("The address is longer than %(max)s characters.") % {"max": f"{MAX_PATH_LENGTH:,}"}
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING_LENGTH:
        return _("The address's query is longer than %(max)s characters.") % {
            "max": f"{MAX_QUERY_STRING_LENGTH:,}"
        }
    for key, values in request.GET.lists():
        if NUL in key or any(NUL in value for value in values):
            return _("The address contains a NUL character.")
        if any(len(value) > MAX_QUERY_VALUE_LENGTH for value in values):
            return _("The value of “%(name)s” in the address is longer than %(max)s characters.") % {
                "name": key[:50],
                "max": f"{MAX_QUERY_VALUE_LENGTH:,}",
            }
    if any(NUL in key or NUL in value for key, value in request.COOKIES.items()):
        return _("A cookie contains a NUL character.")
    if request.method == "POST":
        try:
            fields, files = request.POST, request.FILES
        except (MultiPartParserError, OSError):
            return ""  # the view meets the same error and answers it as before
        for key, values in fields.lists():
            if NUL in key or any(NUL in value for value in values):
                return _("A form value contains a NUL character.")
        if any(NUL in (upload.name or "") for upload in files.values()):
            return _("A file name contains a NUL character.")
    return ""


class RequestLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = _input_problem(request)
        if problem:
            log.warning("refused request method=%s reason=%s", request.method, problem)
            page = render_to_string("400.html", {"problem": problem})
            return HttpResponse(page, status=400)
        return self.get_response(request)


class SessionRefreshMiddleware:
    """Move a signed-in session's expiry on, at most once per SESSION_REFRESH_SECONDS.

    Between refreshes nothing is written, so a page view needs no database
    write; the inactivity limit is SESSION_COOKIE_AGE, give or take the
    refresh interval."""

    KEY = "_refreshed"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get("_auth_user_id"):
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[self.KEY] = now  # modified: SessionMiddleware saves it with a new expiry
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 "try again shortly".

    Errors raised outside views (a session saved after the response) still
    answer 500; dcplan.logs.OneLineDatabaseErrors keeps their log to one line."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_DOWN):
            return None
        log.error(
            "database unavailable method=%s path=%s: %s",
            request.method,
            request.path[:200],
            one_line(exception),
        )
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        response._has_been_logged = True  # the line above says it all
        return response
