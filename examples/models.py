"""Progress examples from the field offices, their review workflow and attachments."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from dcplan.access import AnyUser, Perm, acts_for_office, may_review_examples, may_see_all_examples
from deliverables.models import Deliverable, Profile


def attachment_path(instance: "ExampleAttachment", filename: str) -> str:
    # The name on disk never comes from the user: it could carry "../",
    # a misleading extension or characters the file system dislikes.
    return f"attachments/{uuid.uuid4().hex}"


class ProgressExampleQuerySet(models.QuerySet):
    def for_user(self, user: AnyUser) -> "ProgressExampleQuerySet":
        """What `user` may see (dcplan.access.may_see_example, as a query): everything
        for headquarters staff, managers and superusers; their own office's examples
        for a focal point; nothing otherwise."""
        if not user.is_authenticated or not user.has_perm(Perm.VIEW_EXAMPLE):
            return self.none()
        if may_see_all_examples(user):
            return self
        # A subquery rather than user.profile: no extra query, and a user
        # without an office sees nothing.
        office = Profile.objects.filter(user=user, office__isnull=False).values("office_id")
        return self.filter(office__in=office)

    def approved(self) -> "ProgressExampleQuerySet":
        return self.filter(state=ProgressExample.State.APPROVED)

    def pending(self) -> "ProgressExampleQuerySet":
        return self.filter(state__in=ProgressExample.PENDING_STATES)

    def citable_as_of(self, date) -> "ProgressExampleQuerySet":
        """Approved and cleared for citation in a Governing Body document by `date`."""
        return self.approved().filter(may_be_cited=True, approved_at__date__lte=date)

    def with_context(self) -> "ProgressExampleQuerySet":
        """Everything a list row shows, in a fixed number of queries."""
        return self.select_related("office__region").prefetch_related(
            Prefetch(
                "deliverables",
                queryset=Deliverable.objects.select_related("action__focus_area").in_code_order(),
            )
        )


class ExampleState(models.TextChoices):
    """Where a progress example stands in its review workflow."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")

    @property
    def is_draft(self) -> bool:
        return self == ExampleState.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self == ExampleState.SUBMITTED

    @property
    def is_returned(self) -> bool:
        return self == ExampleState.RETURNED

    @property
    def is_approved(self) -> bool:
        return self == ExampleState.APPROVED

    @property
    def is_rejected(self) -> bool:
        return self == ExampleState.REJECTED

    @property
    def is_editable(self) -> bool:
        """Whether the office may still change the example."""
        return self in (ExampleState.DRAFT, ExampleState.RETURNED)

    @property
    def is_pending(self) -> bool:
        """Waiting on someone: headquarters (submitted) or the office (returned)."""
        return self in (ExampleState.SUBMITTED, ExampleState.RETURNED)


class ProgressExample(models.Model):
    """A concrete example of progress, from a field office, reviewed by headquarters."""

    State = ExampleState

    PENDING_STATES = (State.SUBMITTED, State.RETURNED)

    class TransitionNotAllowed(ValidationError):
        """The example's state (or the user) does not allow this transition."""

    class Incomplete(TransitionNotAllowed):
        """Submission refused: required fields are missing. `message_dict` names them."""

    office = models.ForeignKey(
        "deliverables.Office", on_delete=models.PROTECT, related_name="examples", verbose_name=_("office")
    )
    countries = CountryField(_("countries"), multiple=True, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    started_on = models.DateField(_("date or start of the period"), null=True, blank=True)
    ended_on = models.DateField(_("end of the period"), null=True, blank=True)
    what_was_done = models.TextField(_("what was done"), blank=True)
    results = models.TextField(_("results achieved"), blank=True)
    involves_government = models.BooleanField(_("government"), default=False)
    involves_employers = models.BooleanField(_("employers' organizations"), default=False)
    involves_workers = models.BooleanField(_("workers' organizations"), default=False)
    partners = models.TextField(
        _("partners"), blank=True, help_text=_("For example ITC-ILO, UN agencies, development partners.")
    )
    south_south = models.BooleanField(_("South–South or triangular cooperation"), default=False)
    deliverables = models.ManyToManyField(
        "deliverables.Deliverable",
        blank=True,
        related_name="examples",
        verbose_name=_("deliverables"),
        # The table keeps the name it had when examples lived in `deliverables`.
        db_table="deliverables_progressexample_deliverables",
    )
    may_be_cited = models.BooleanField(_("may be cited in a Governing Body document"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="progress_examples",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Goes up with every change; guards against lost edits.")
    )

    objects = ProgressExampleQuerySet.as_manager()

    class Meta:
        # Tables keep the names they had when examples lived in `deliverables`
        # (migrations examples.0001 and deliverables.0006 moved them without a copy).
        db_table = "deliverables_progressexample"
        verbose_name = _("progress example")
        verbose_name_plural = _("progress examples")
        ordering = ["-updated_at", "-pk"]
        permissions = [
            ("review_progressexample", _("Can approve, return or reject progress examples")),
            ("view_all_progressexamples", _("Can view the progress examples of every office")),
            ("view_example_coverage", _("Can view the coverage of progress examples")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ExampleState.values),
                name="example_known_state",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="example_ended_after_started",
                violation_error_message=_("The end of the period cannot be before its start."),
            ),
            # Only a draft may be incomplete: anything that reached headquarters
            # has a title and a date.
            models.CheckConstraint(
                condition=Q(state=ExampleState.DRAFT) | (~Q(title="") & Q(started_on__isnull=False)),
                name="example_complete_unless_draft",
                violation_error_message=_("Once submitted, an example keeps a title and a date."),
            ),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | Q(state=ExampleState.APPROVED),
                name="example_approved_at_only_when_approved",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="example_version_positive"),
        ]
        indexes = [
            models.Index(fields=["state", "office"], name="example_state_office"),
            # A round's submissions per office (planning.selectors).
            models.Index(fields=["office", "submitted_at"], name="example_office_submitted"),
            # The review queue filtered by state, oldest submission first (examples.selectors.review_queue).
            models.Index(fields=["state", "submitted_at", "id"], name="example_state_submitted"),
            # A deliverable's latest approved examples (examples.selectors.approved_examples_for).
            models.Index(fields=["state", "approved_at", "id"], name="example_state_approved"),
            # The review's citable examples: few among many approved ones.
            models.Index(
                fields=["state", "approved_at"], condition=Q(may_be_cited=True), name="example_citable"
            ),
        ]

    def __str__(self) -> str:
        return self.title or gettext("Untitled example %(pk)s") % {"pk": self.pk or ""}

    @property
    def state_choice(self) -> State:
        return self.State(self.state)

    @property
    def constituents(self) -> list[str]:
        labels = [
            (self.involves_government, _("Government")),
            (self.involves_employers, _("Employers' organizations")),
            (self.involves_workers, _("Workers' organizations")),
        ]
        return [str(label) for involved, label in labels if involved]

    @property
    def period(self) -> str:
        if not self.started_on:
            return ""
        if self.ended_on and self.ended_on != self.started_on:
            return f"{self.started_on:%Y-%m-%d} – {self.ended_on:%Y-%m-%d}"
        return f"{self.started_on:%Y-%m-%d}"

    def missing_for_submission(self) -> dict[str, str]:
        """What must still be filled in before the example can be submitted, by field name."""
        values = {name: getattr(self, name) for name in self.REQUIRED_TO_SUBMIT}
        return self.missing_in(values, has_deliverables=bool(self.pk) and self.deliverables.exists())

    REQUIRED_TO_SUBMIT = [
        "title",
        "countries",
        "started_on",
        "what_was_done",
        "results",
        "involves_government",
        "involves_employers",
        "involves_workers",
    ]

    @staticmethod
    def missing_in(values: dict, *, has_deliverables: bool) -> dict[str, str]:
        """The completeness rule, for a saved example or for a form's cleaned data."""
        missing = {}
        if not (values.get("title") or "").strip():
            missing["title"] = gettext("a title")
        if not values.get("countries"):
            missing["countries"] = gettext("at least one country")
        if not values.get("started_on"):
            missing["started_on"] = gettext("the date or the start of the period")
        if not (values.get("what_was_done") or "").strip():
            missing["what_was_done"] = gettext("what was done")
        if not (values.get("results") or "").strip():
            missing["results"] = gettext("the results achieved")
        if not any(values.get(f"involves_{who}") for who in ("government", "employers", "workers")):
            missing["involves_government"] = gettext("the constituents involved")
        if not has_deliverables:
            missing["deliverables"] = gettext("at least one deliverable it gives evidence for")
        return missing

    # Transitions. Each one locks the row, checks the state it finds there
    # (not the one this instance remembers), moves the fields and appends
    # an ExampleTransition, all in one transaction.

    def submit(self, user: AbstractBaseUser) -> "ExampleTransition":
        if not self.belongs_to_office_of(user):
            raise self.TransitionNotAllowed(
                gettext("Only the example's office can submit it."), code="not_allowed"
            )
        return self._move(
            user,
            {self.State.DRAFT, self.State.RETURNED},
            self.State.SUBMITTED,
            check_complete=True,
            submitted_at=timezone.now(),
        )

    def submit_on_behalf(self, user: AbstractBaseUser, comment: str) -> "ExampleTransition":
        """Headquarters submits a draft for its office, e.g. one received in a spreadsheet.
        Completeness is checked as for the office's own submission; the comment says why."""
        self._require_reviewer(user)
        return self._move(
            user,
            {self.State.DRAFT},
            self.State.SUBMITTED,
            comment=comment,
            check_complete=True,
            submitted_at=timezone.now(),
        )

    def return_for_changes(self, user: AbstractBaseUser, comment: str) -> "ExampleTransition":
        self._require_reviewer(user)
        if not (comment or "").strip():
            raise self.TransitionNotAllowed(
                gettext("Say what must change: a comment is required to return an example."),
                code="comment_required",
            )
        return self._move(user, {self.State.SUBMITTED}, self.State.RETURNED, comment=comment)

    def approve(self, user: AbstractBaseUser, comment: str = "") -> "ExampleTransition":
        self._require_reviewer(user)
        return self._move(
            user, {self.State.SUBMITTED}, self.State.APPROVED, comment=comment, approved_at=timezone.now()
        )

    def reject(self, user: AbstractBaseUser, reason: str) -> "ExampleTransition":
        self._require_reviewer(user)
        if not (reason or "").strip():
            raise self.TransitionNotAllowed(
                gettext("Give the reason: a reason is required to reject an example."),
                code="reason_required",
            )
        return self._move(user, {self.State.SUBMITTED}, self.State.REJECTED, comment=reason)

    def editable_by(self, user: AbstractBaseUser) -> bool:
        """Superusers edit anything; an office edits its drafts and returned examples."""
        if user.is_superuser:
            return True
        return self.state_choice.is_editable and self.belongs_to_office_of(user)

    @property
    def waiting_days(self) -> int | None:
        """Whole days a submitted example has waited for headquarters; None in other states."""
        if not (self.state_choice.is_submitted and self.submitted_at):
            return None
        return (timezone.localdate() - timezone.localdate(self.submitted_at)).days

    def belongs_to_office_of(self, user: AbstractBaseUser) -> bool:
        """Whether `user` works on this example for its office (superusers act for any office)."""
        return acts_for_office(user, self.office_id)

    def _require_reviewer(self, user: AbstractBaseUser) -> None:
        if not may_review_examples(user):
            raise self.TransitionNotAllowed(
                gettext("Only headquarters reviewers can approve, return or reject an example."),
                code="not_reviewer",
            )

    def _move(
        self,
        user,
        allowed_from: set,
        to: "ProgressExample.State",
        *,
        comment: str = "",
        check_complete: bool = False,
        **fields,
    ) -> "ExampleTransition":
        with transaction.atomic():
            current = ProgressExample.objects.select_for_update().get(pk=self.pk)
            if current.state not in allowed_from:
                raise self.TransitionNotAllowed(
                    gettext("An example that is “%(state)s” cannot become “%(to)s”.")
                    % {"state": current.get_state_display(), "to": self.State(to).label},
                    code="wrong_state",
                )
            if check_complete:
                missing = current.missing_for_submission()
                if missing:
                    raise self.Incomplete(missing, code="incomplete")
            now = timezone.now()
            from_state = current.state
            self.state = to
            self.updated_at = now
            self.version = current.version + 1
            for name, value in fields.items():
                setattr(self, name, value)
            self.save(update_fields=["state", "updated_at", "version", *fields])
            return ExampleTransition.objects.create(
                example=self,
                from_state=from_state,
                to_state=to,
                actor=user,
                at=now,
                comment=(comment or "").strip(),
            )


class ExampleTransition(models.Model):
    """One step of an example's workflow. Append-only: the reasons for a
    return or a rejection are never lost."""

    example = models.ForeignKey(
        ProgressExample, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("example")
    )
    from_state = models.CharField(
        _("from"),
        max_length=10,
        choices=ProgressExample.State.choices,
        blank=True,
        help_text=_("Empty for the creation of the example."),
    )
    to_state = models.CharField(_("to"), max_length=10, choices=ProgressExample.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        db_table = "deliverables_exampletransition"
        verbose_name = _("example transition")
        verbose_name_plural = _("example transitions")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["example", "at"], name="example_transition_at")]

    def __str__(self) -> str:
        return f"{self.example_id}: {self.from_state or '—'} → {self.to_state} ({self.at:%Y-%m-%d %H:%M})"

    @property
    def to_choice(self) -> ProgressExample.State:
        return ProgressExample.State(self.to_state)


class ExampleAttachment(models.Model):
    """A file supporting an example. Checked by content on upload
    (examples.attachments) and served only through a permission-checked view."""

    example = models.ForeignKey(
        ProgressExample, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("example")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        db_table = "deliverables_exampleattachment"
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="attachment_not_empty"),
        ]

    def __str__(self) -> str:
        return self.original_name
