"""Access checks in one place: decorators for views, lookups that scope objects to the user."""

import logging
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required as django_permission_required
from django.http import Http404, HttpRequest

from .models import Deliverable, Plan

log = logging.getLogger("dcplan.access")


def permission_required(perm: str) -> Callable:
    """Anonymous users go to the log-in page; signed-in users without `perm` get 403."""

    def decorator(view: Callable) -> Callable:
        return login_required(django_permission_required(perm, raise_exception=True)(view))

    return decorator


def current_plan() -> Plan:
    try:
        return Plan.objects.current()
    except Plan.DoesNotExist:
        raise Http404("No plan is loaded.") from None


def get_deliverable(request: HttpRequest, code: str) -> Deliverable:
    """The deliverable with this code in the current plan, with what its page shows."""
    try:
        return (
            Deliverable.objects.select_related("plan", "action__focus_area", "last_update__author")
            .prefetch_related("action__pb_outputs")
            .get(plan=current_plan(), code=code)
        )
    except Deliverable.DoesNotExist:
        raise Http404("No such deliverable.") from None
