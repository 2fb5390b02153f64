"""Who may do what: the roles, the permission codes, and one helper per question.

Views (through `permission_required` and the helpers), selectors, templates
(through the `may` context variable) and tests all ask here. Migrations keep
their own literals: they describe the database as it was.
"""

from collections.abc import Callable
from functools import wraps
from typing import Protocol

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

AnyUser = AbstractBaseUser | AnonymousUser

# The roles, as Django groups created by migrations.
HQ_STAFF = "Headquarters staff"
MANAGERS = "Managers"
FOCAL_POINTS = "Field-office focal points"
UNIT_FOCAL_POINTS = "Unit focal points"


class Perm:
    """Every permission code the application checks."""

    VIEW_DELIVERABLE = "deliverables.view_deliverable"
    VIEW_DASHBOARD = "deliverables.view_dashboard"
    RECORD_STATUS = "deliverables.add_statusupdate"  # for every deliverable
    RECORD_UNIT_STATUS = "deliverables.record_unit_status"  # for the own unit's deliverables
    ASSIGN_UNITS = "deliverables.assign_units"
    VIEW_EXAMPLE = "examples.view_progressexample"
    ADD_EXAMPLE = "examples.add_progressexample"
    CHANGE_EXAMPLE = "examples.change_progressexample"
    REVIEW_EXAMPLES = "examples.review_progressexample"
    VIEW_ALL_EXAMPLES = "examples.view_all_progressexamples"
    VIEW_COVERAGE = "examples.view_example_coverage"
    VIEW_REVIEW = "reporting.view_review"
    ISSUE_REVIEW = "reporting.issue_review"
    DRAFT_REVIEW = "reporting.draft_review"
    VIEW_ROUNDS = "planning.view_reportinground"
    MANAGE_ROUNDS = "planning.change_reportinground"
    MANAGE_MILESTONES = "planning.change_milestone"
    # The translators' spreadsheet of plan texts: headquarters staff (PARDEV), the
    # same holders as the status import.
    TRANSLATE_PLAN_TEXTS = "deliverables.add_statusupdate"


def permission_required(perm: str) -> Callable:
    """Anonymous users go to the log-in page; signed-in users without `perm` get 403.

    The refusal carries the permission code, so that the 403 page can name the
    roles that have it (`roles_with`)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def checked(request: HttpRequest, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied(perm)
            return view(request, *args, **kwargs)

        return login_required(checked)

    return decorator


def roles_with(perm: str) -> list[str]:
    """The roles (groups) that hold `perm`, by name; empty for an unknown code."""
    from django.contrib.auth.models import Group

    app_label, _, codename = perm.partition(".")
    if not codename:
        return []
    groups = Group.objects.filter(
        permissions__content_type__app_label=app_label, permissions__codename=codename
    )
    return list(groups.order_by("name").values_list("name", flat=True))


class _OfficeBound(Protocol):
    office_id: int | None


class _UnitBound(Protocol):
    lead_unit_id: int | None
    contributing_units: object  # a related manager


def office_id_of(user: AnyUser) -> int | None:
    """The office the user works for, from their profile; None without one."""
    if not user.is_authenticated:
        return None
    profile = getattr(user, "profile", None)
    return profile.office_id if profile is not None else None


# The questions. Each takes the user first and answers with a bool.


def may_view_dashboard(user: AnyUser) -> bool:
    return user.has_perm(Perm.VIEW_DASHBOARD)


def may_record_status(user: AnyUser) -> bool:
    """Record status updates: by form, by import, in the shell."""
    return user.has_perm(Perm.RECORD_STATUS)


def unit_of(user: AnyUser) -> int | None:
    """The headquarters department (or ITC-ILO) a unit focal point reports for; None otherwise."""
    if not user.is_authenticated or not user.has_perm(Perm.RECORD_UNIT_STATUS):
        return None
    profile = getattr(user, "profile", None)
    office = profile.office if profile is not None else None
    return office.pk if office is not None and office.is_headquarters else None


def may_update_deliverable(user: AnyUser, deliverable: _UnitBound) -> bool:
    """Record a status update for this deliverable: headquarters staff for every
    deliverable, a unit focal point for those their unit leads or contributes to.
    The web form, the import and the tests all ask here."""
    if may_record_status(user):
        return True
    unit = unit_of(user)
    if unit is None:
        return False
    return unit == deliverable.lead_unit_id or deliverable.contributing_units.filter(pk=unit).exists()


def may_assign_units(user: AnyUser) -> bool:
    return user.has_perm(Perm.ASSIGN_UNITS)


def may_view_rounds(user: AnyUser) -> bool:
    return user.has_perm(Perm.VIEW_ROUNDS)


def may_manage_rounds(user: AnyUser) -> bool:
    """Open and close reporting rounds."""
    return user.has_perm(Perm.MANAGE_ROUNDS)


def may_manage_milestones(user: AnyUser) -> bool:
    return user.has_perm(Perm.MANAGE_MILESTONES)


def may_translate_plan_texts(user: AnyUser) -> bool:
    """Export and import the plan's French and Spanish texts as a spreadsheet."""
    return user.has_perm(Perm.TRANSLATE_PLAN_TEXTS)


def may_add_examples(user: AnyUser) -> bool:
    return user.has_perm(Perm.ADD_EXAMPLE)


def may_review_examples(user: AnyUser) -> bool:
    """Approve, return or reject examples, and import them for an office."""
    return user.has_perm(Perm.REVIEW_EXAMPLES)


def may_see_all_examples(user: AnyUser) -> bool:
    return user.has_perm(Perm.VIEW_ALL_EXAMPLES)


def may_see_example(user: AnyUser, example: _OfficeBound) -> bool:
    """Headquarters staff and managers see every example; an office its own."""
    if not user.has_perm(Perm.VIEW_EXAMPLE):
        return False
    if may_see_all_examples(user):
        return True
    own = office_id_of(user)
    return own is not None and own == example.office_id


def acts_for_office(user: AnyUser, office_id: int | None) -> bool:
    """Whether `user` works on examples for this office (superusers act for any office)."""
    if user.is_superuser:
        return True
    if not user.has_perm(Perm.CHANGE_EXAMPLE):
        return False
    own = office_id_of(user)
    return own is not None and own == office_id


def may_view_review(user: AnyUser) -> bool:
    return user.has_perm(Perm.VIEW_REVIEW)


def may_issue_review(user: AnyUser) -> bool:
    return user.has_perm(Perm.ISSUE_REVIEW)


def may_draft_review(user: AnyUser) -> bool:
    """Write the review's written sections (headquarters staff and managers)."""
    return user.has_perm(Perm.DRAFT_REVIEW)


class May:
    """The questions for templates: `{% if may.record_status %}`."""

    def __init__(self, user: AnyUser):
        self._user = user

    def __getattr__(self, question: str) -> bool:
        helper = _TEMPLATE_QUESTIONS.get(question)
        if helper is None:
            raise AttributeError(question)
        return helper(self._user)


_TEMPLATE_QUESTIONS = {
    "view_dashboard": may_view_dashboard,
    "view_deliverables": lambda user: user.has_perm(Perm.VIEW_DELIVERABLE),
    "record_status": may_record_status,
    "add_examples": may_add_examples,
    "see_examples": lambda user: user.has_perm(Perm.VIEW_EXAMPLE),
    "review_examples": may_review_examples,
    "see_all_examples": may_see_all_examples,
    "view_coverage": lambda user: user.has_perm(Perm.VIEW_COVERAGE),
    "view_review": may_view_review,
    "issue_review": may_issue_review,
    "draft_review": may_draft_review,
    "record_unit_status": lambda user: unit_of(user) is not None,
    "assign_units": may_assign_units,
    "view_rounds": may_view_rounds,
    "manage_rounds": may_manage_rounds,
    "manage_milestones": may_manage_milestones,
    "translate_plan_texts": may_translate_plan_texts,
}


def context(request: HttpRequest) -> dict:
    """Template context processor: `may`, the questions for the signed-in user."""
    return {"may": May(request.user)}
