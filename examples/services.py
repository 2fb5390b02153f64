"""Writes on progress examples, with their side effects.

Saving an example writes the example, its deliverables and its attachments
in one transaction, guarded against lost edits by the example's version.
Each workflow step is a model method (it locks the row and appends a
transition); the service around it also tells the people concerned, by
e-mail after the transaction commits. The web pages, the spreadsheet import,
the admin and the shell all call these functions, so nobody is left untold.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from deliverables.models import Deliverable, Office
from operations.storage import file_delete_later

from . import notifications
from .attachments import MAX_PER_EXAMPLE, CheckedFile
from .models import ExampleAttachment, ExampleTransition, ProgressExample

# The fields the office types; everything else moves only through transitions.
EXAMPLE_FIELDS = [
    "title",
    "countries",
    "started_on",
    "ended_on",
    "what_was_done",
    "results",
    "involves_government",
    "involves_employers",
    "involves_workers",
    "partners",
    "south_south",
    "may_be_cited",
]


class StaleExample(Exception):
    """Someone saved the example (or moved it on) after the version the user saw."""

    def __init__(self, example: ProgressExample, seen_version: int):
        self.example = example
        self.seen_version = seen_version
        super().__init__(
            _("Example %(pk)s changed since version %(version)s.")
            % {"pk": example.pk, "version": seen_version}
        )


class AttachmentNotStored(Exception):
    """An attachment could not be written to storage (a full or read-only disk).
    Nothing of the save was kept; the user's input is intact."""

    def __init__(self, name: str):
        self.name = name
        super().__init__(
            _(
                "“%(name)s” could not be stored: the server has no room for files right now. "
                "Nothing was saved; your text is kept below. Try again later, or save without the file."
            )
            % {"name": name}
        )


@dataclass(frozen=True)
class ExampleInput:
    values: dict  # EXAMPLE_FIELDS → value
    deliverables: list[Deliverable] = field(default_factory=list)
    new_files: list[CheckedFile] = field(default_factory=list)
    remove: list[ExampleAttachment] = field(default_factory=list)


@transaction.atomic
def example_create(*, office: Office, user: AbstractBaseUser, data: ExampleInput) -> ProgressExample:
    """A new draft of `office`, with the creation recorded in its history."""
    now = timezone.now()
    example = ProgressExample(
        office=office, created_by=user, created_at=now, updated_at=now, **_known(data.values)
    )
    example.save()
    example.deliverables.set(data.deliverables)
    ExampleTransition.objects.create(
        example=example, from_state="", to_state=example.state, actor=user, at=now
    )
    _store_files(example, user, data)
    return example


@transaction.atomic
def example_update(
    *, example: ProgressExample, user: AbstractBaseUser, data: ExampleInput, seen_version: int
) -> ProgressExample:
    """Save the office's edit of `example`.

    Raises StaleExample when the example is no longer at `seen_version`, and
    ProgressExample.TransitionNotAllowed when `user` may not edit it in its
    current state. The conditional UPDATE of the version is the lock: a
    second writer who saw the same version finds it changed.
    """
    now = timezone.now()
    claimed = ProgressExample.objects.filter(pk=example.pk, version=seen_version).update(
        version=F("version") + 1, updated_at=now
    )
    if not claimed:
        raise StaleExample(example, seen_version)
    example.refresh_from_db(fields=["state", "version", "office"])
    if not example.editable_by(user):
        raise ProgressExample.TransitionNotAllowed(
            _("An example that is “%(state)s” cannot be edited.") % {"state": example.get_state_display()},
            code="not_editable",
        )
    for name, value in _known(data.values).items():
        setattr(example, name, value)
    example.updated_at = now
    example.save(update_fields=[*_known(data.values), "updated_at"])
    example.deliverables.set(data.deliverables)
    if not example.state_choice.is_editable:
        # Only a superuser gets here; the history says the reviewed text changed.
        ExampleTransition.objects.create(
            example=example,
            from_state=example.state,
            to_state=example.state,
            actor=user,
            at=now,
            comment=_("Edited by a superuser after review."),
        )
    _store_files(example, user, data)
    return example


@transaction.atomic
def example_submit(
    *, example: ProgressExample, user: AbstractBaseUser, link_base: str = ""
) -> ExampleTransition:
    """The office sends its example to headquarters; the reviewers are told.

    Raises ProgressExample.Incomplete (naming what is missing) or
    ProgressExample.TransitionNotAllowed. `link_base` makes the e-mail's link
    absolute (e.g. "https://dcplan.example.org")."""
    transition = example.submit(user)
    notifications.example_submitted(example, transition, link_base=link_base)
    return transition


@transaction.atomic
def example_submit_on_behalf(
    *, example: ProgressExample, user: AbstractBaseUser, comment: str, link_base: str = ""
) -> ExampleTransition:
    """Headquarters submits an office's draft (e.g. one received in a spreadsheet)."""
    transition = example.submit_on_behalf(user, comment)
    notifications.example_submitted(example, transition, link_base=link_base)
    return transition


DECISIONS = ("approve", "return", "reject")


@transaction.atomic
def example_review(
    *, example: ProgressExample, user: AbstractBaseUser, decision: str, comment: str = "", link_base: str = ""
) -> ExampleTransition:
    """Headquarters' decision on a submitted example, one of DECISIONS; whoever
    submitted it is told. Returning needs a comment saying what must change,
    rejecting needs the reason (ProgressExample.TransitionNotAllowed otherwise)."""
    step = {"approve": example.approve, "return": example.return_for_changes, "reject": example.reject}
    transition = step[decision](user, comment)
    notifications.example_reviewed(example, transition, link_base=link_base)
    return transition


def _known(values: dict) -> dict:
    return {name: values[name] for name in EXAMPLE_FIELDS if name in values}


def _store_files(example: ProgressExample, user: AbstractBaseUser, data: ExampleInput) -> None:
    removed = [a for a in data.remove if a.example_id == example.pk]
    for attachment in removed:
        name = attachment.file.name
        attachment.delete()
        # The file goes a grace period after the row, so that a backup already
        # running (it copies the files its snapshot's rows name) still finds it.
        file_delete_later(name)
    stored: list[str] = []  # storage names, removed again if anything below fails
    storage = ExampleAttachment.file.field.storage
    try:
        for checked in data.new_files:
            attachment = ExampleAttachment(
                example=example,
                original_name=checked.name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                uploaded_by=user,
            )
            # The storage name comes from attachment_path(): a random name, never the user's.
            # It is noted before writing, so that a write that fails half-way (a full
            # disk) leaves no partial file behind.
            name = ExampleAttachment.file.field.generate_filename(attachment, "upload")
            stored.append(name)
            try:
                stored[-1] = attachment.file.name = storage.save(name, checked.upload)
            except OSError as error:
                raise AttachmentNotStored(checked.name) from error
            attachment.save()
        if example.attachments.count() > MAX_PER_EXAMPLE:
            raise ProgressExample.TransitionNotAllowed(
                _("An example has at most %(max)s attachments.") % {"max": MAX_PER_EXAMPLE},
                code="too_many_attachments",
            )
    except BaseException:
        for name in stored:
            try:
                storage.delete(name)
            except OSError:
                pass  # nothing was written, or it cannot be removed now: nothing a retry adds to
        raise
