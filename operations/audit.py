"""A log line for every sign-in, failed sign-in and denied access, and the client
address those lines (and the sign-in throttling) use."""

import logging
import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from dcplan.middleware import SessionRefreshMiddleware

log = logging.getLogger("dcplan.audit")


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the address the trusted proxies saw.

    Only the last PROXY_COUNT entries of X-Forwarded-For were written by our own
    proxies; anything before them is whatever the client chose to send."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.PROXY_COUNT:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) >= settings.PROXY_COUNT:
        return forwarded[-settings.PROXY_COUNT]
    return remote


# django-axes keeps the user name of a failed sign-in in a 255-character column.
USERNAME_MAX_LENGTH = 255


def attempted_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The user name a sign-in attempt gave, as django-axes records it: cut to
    its column, so that an over-long name is counted as a failure like any
    other instead of failing the request."""
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "data", request.POST).get("username")
    return username[:USERNAME_MAX_LENGTH] if isinstance(username, str) else username


@receiver(user_logged_in)
def start_session_refresh_clock(sender, request, user, **kwargs) -> None:
    # A new session is written anyway; the next write is due a refresh interval later.
    if request is not None and hasattr(request, "session"):
        request.session[SessionRefreshMiddleware.KEY] = int(time.time())


@receiver(user_logged_in)
def log_sign_in(sender, request, user, **kwargs) -> None:
    log.info("sign-in user=%s ip=%s", user.get_username(), client_ip(request) if request else "-")


@receiver(user_logged_out)
def log_sign_out(sender, request, user, **kwargs) -> None:
    log.info(
        "sign-out user=%s ip=%s", user.get_username() if user else "-", client_ip(request) if request else "-"
    )


@receiver(user_login_failed)
def log_failed_sign_in(sender, credentials, request=None, **kwargs) -> None:
    # The credentials dict is already cleansed of the password by Django.
    log.warning(
        "failed sign-in user=%s ip=%s",
        credentials.get("username", "?"),
        client_ip(request) if request else "-",
    )


def log_denied(request: HttpRequest, status: int, reason: str = "") -> None:
    user = (
        request.user.get_username()
        if getattr(request, "user", None) and request.user.is_authenticated
        else "-"
    )
    log.warning(
        "denied access status=%s user=%s ip=%s method=%s path=%s %s",
        status,
        user,
        client_ip(request),
        request.method,
        request.path,
        reason,
    )
