"""E-mails about progress examples, through Django's mail API.

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
from django.utils.translation import gettext as _

from dcplan.access import HQ_STAFF

from .models import ExampleTransition, ProgressExample

log = logging.getLogger("dcplan.notifications")


def reviewers() -> list[str]:
    """E-mail addresses of the active headquarters staff who review examples."""
    users = (
        get_user_model()
        .objects.filter(groups__name=HQ_STAFF, is_active=True)
        .exclude(Q(email="") | Q(email__isnull=True))
    )
    return sorted(set(users.values_list("email", flat=True)))


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
    subject = _one_line(
        _("Progress example to review: %(title)s (%(office)s)")
        % {
            "title": example,
            "office": example.office.code,
        }
    )
    body = render_to_string("examples/email_submitted.txt", context)
    # One message per reviewer: no reviewer sees the others' addresses.
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in recipients]
    transaction.on_commit(lambda: _send(send_mass_mail, tuple(messages), fail_silently=False))


def example_reviewed(example: ProgressExample, transition: ExampleTransition, *, link_base: str = "") -> None:
    """Tell whoever last submitted the example that it was returned, approved or rejected."""
    submission = (
        example.transitions.filter(to_state=ProgressExample.State.SUBMITTED)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
    submitter = submission.actor if submission else example.created_by
    if not submitter.email or not submitter.is_active:
        return
    context = _context(link_base, example, transition)
    subjects = {
        ProgressExample.State.RETURNED: _("Progress example returned for changes: %(title)s"),
        ProgressExample.State.APPROVED: _("Progress example approved: %(title)s"),
        ProgressExample.State.REJECTED: _("Progress example rejected: %(title)s"),
    }
    subject = _one_line(subjects[transition.to_choice] % {"title": example})
    body = render_to_string("examples/email_reviewed.txt", context)
    transaction.on_commit(
        lambda: _send(
            send_mail, subject, body, settings.DEFAULT_FROM_EMAIL, [submitter.email], fail_silently=False
        )
    )


def _one_line(text: str) -> str:
    # A line break in a header is refused by Django (BadHeaderError); titles are user input.
    return " ".join(text.split())[:200]


def _send(function, *args, **kwargs) -> None:
    try:
        function(*args, **kwargs)
    except Exception:  # noqa: BLE001 – a mail outage must not break the workflow
        log.exception("Could not send an e-mail about a progress example.")
