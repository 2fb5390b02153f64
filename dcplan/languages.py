"""Whose language a text is written in: the recipient's for e-mails, the
site's for command output.

A user's language is the one they last picked in the chooser (kept on their
profile by `language_set`); e-mails are rendered in it, whoever or whatever
(a request in another language, cron in English) caused them.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.i18n import set_language


def language_of(user: AbstractBaseUser) -> str:
    """The user's language, or the site's default when they have not chosen one."""
    profile = getattr(user, "profile", None)
    return (profile.language if profile is not None else "") or settings.LANGUAGE_CODE


def by_language(users: Iterable[AbstractBaseUser]) -> dict[str, list[AbstractBaseUser]]:
    """The users grouped by their language, in the order given."""
    groups: dict[str, list[AbstractBaseUser]] = defaultdict(list)
    for user in users:
        groups[language_of(user)].append(user)
    return dict(groups)


def subject_line(text: str) -> str:
    """A mail subject on one line, at most 200 characters: Django refuses line breaks
    in headers (BadHeaderError), and titles are user input. Only ASCII white space is
    folded, so that French keeps its no-break spaces before « : ; ! ? »."""
    return re.sub(r"[ \t\r\n\f\v]+", " ", text).strip()[:200]


def in_command_language(handle: Callable) -> Callable:
    """Run a command's `handle` in settings.COMMAND_LANGUAGE (DCPLAN_COMMAND_LANGUAGE,
    English by default), whatever language the calling thread had active."""

    @wraps(handle)
    def wrapped(*args, **kwargs):
        with translation.override(settings.COMMAND_LANGUAGE):
            return handle(*args, **kwargs)

    return wrapped


def language_set(request: HttpRequest) -> HttpResponse:
    """Django's `set_language` (cookie, redirect to `next`), which also keeps the
    choice on a signed-in user's profile so that their e-mails follow it."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and hasattr(request.user, "profile")
    ):
        from deliverables.models import Profile

        Profile.objects.filter(user=request.user).update(language=language)
    return response


class LoginView(auth_views.LoginView):
    """Django's log-in; a browser that has no language chosen yet then shows the
    interface in the one the user chose before (kept on their profile)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        profile = getattr(form.get_user(), "profile", None)
        language = profile.language if profile is not None else ""
        if language and settings.LANGUAGE_COOKIE_NAME not in self.request.COOKIES:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
