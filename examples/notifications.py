"""E-mails about progress examples, through Django's mail API, each in its
recipient's language (`dcplan.languages`).

Sent after the transaction that changed the example commits, so nobody is
told about a change that was rolled back. A mail server that fails is
logged, never shown to the user as a failed transition: the transition
itself succeeded.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail, send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dcplan.access import HQ_STAFF
from dcplan.languages import by_language, language_of, subject_line

from .models import ExampleTransition, ProgressExample

log = logging.getLogger("dcplan.notifications")


def reviewers() -> list:
    """The active headquarters staff who review examples and have an e-mail
    address, with their profiles (their language), one per address."""
    users = (
        get_user_model()
        .objects.filter(groups__name=HQ_STAFF, is_active=True)
        .exclude(Q(email="") | Q(email__isnull=True))
        .select_related("profile")
        .order_by("email", "pk")
        .distinct()
    )
    unique = {}
    for user in users:
        unique.setdefault(user.email, user)
    return list(unique.values())


def _context(link_base: str, example: ProgressExample, transition: ExampleTransition) -> dict:
    path = reverse("examples:detail", args=[example.pk])
    return {
        "example": example,
        "office": example.office,
        "transition": transition,
        "url": link_base.rstrip("/") + path,
    }


def example_submitted(
    example: ProgressExample, transition: ExampleTransition, *, link_base: str = ""
) -> None:
    recipients = reviewers()
    if not recipients:
        log.warning("Example %s submitted but no reviewer has an e-mail address.", example.pk)
        return
    context = _context(link_base, example, transition)
    messages = []
    # Each reviewer in their own language; one message each: nobody sees the others' addresses.
    for language, users in by_language(recipients).items():
        with translation.override(language):
            subject = subject_line(
                _("Progress example to review: %(title)s (%(office)s)")
                % {"title": example, "office": example.office.code}
            )
            body = render_to_string("examples/email_submitted.txt", context)
        messages += [(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]) for user in users]
    transaction.on_commit(lambda: _send(send_mass_mail, tuple(messages), fail_silently=False))


def example_reviewed(example: ProgressExample, transition: ExampleTransition, *, link_base: str = "") -> None:
    """Tell whoever last submitted the example, in their language, that it was
    returned, approved or rejected."""
    submission = (
        example.transitions.filter(to_state=ProgressExample.State.SUBMITTED)
        .select_related("actor__profile")
        .order_by("-at", "-pk")
        .first()
    )
    submitter = submission.actor if submission else example.created_by
    if not submitter.email or not submitter.is_active:
        return
    context = _context(link_base, example, transition)
    subjects = {
        ProgressExample.State.RETURNED: gettext_lazy("Progress example returned for changes: %(title)s"),
        ProgressExample.State.APPROVED: gettext_lazy("Progress example approved: %(title)s"),
        ProgressExample.State.REJECTED: gettext_lazy("Progress example rejected: %(title)s"),
    }
    with translation.override(language_of(submitter)):
        subject = subject_line(str(subjects[transition.to_choice]) % {"title": example})
        body = render_to_string("examples/email_reviewed.txt", context)
    transaction.on_commit(
        lambda: _send(
            send_mail, subject, body, settings.DEFAULT_FROM_EMAIL, [submitter.email], fail_silently=False
        )
    )


def _send(function, *args, **kwargs) -> None:
    try:
        function(*args, **kwargs)
    except Exception:  # noqa: BLE001 – a mail outage must not break the workflow
        log.exception("Could not send an e-mail about a progress example.")
