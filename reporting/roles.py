"""Who may do what with reviews: the one place that answers it."""

from deliverables.roles import User


def can_view_review(user: User) -> bool:
    return user.has_perm("reporting.view_review")


def can_issue_review(user: User) -> bool:
    return user.has_perm("reporting.issue_review")
