"""The three roles, as Django groups created by migrations, and the one place
that answers "who may do what"."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

HQ_STAFF = "Headquarters staff"
MANAGERS = "Managers"
FOCAL_POINTS = "Field-office focal points"

User = AbstractBaseUser | AnonymousUser


def can_record_status(user: User) -> bool:
    return user.has_perm("deliverables.add_statusupdate")


def can_view_dashboard(user: User) -> bool:
    return user.has_perm("deliverables.view_dashboard")
