"""The implementation plan of GB.341/POL/4 as data: plan, focus areas,
proposed actions, deliverables, P&B outputs, regions and offices."""

import datetime
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .status import Status

BIENNIUM_RE = r"^[0-9]{4}[–-][0-9]{2}$"


class PlanTexts(models.Model):
    """The plan as adopted is in English (`title`, `text`, …); its French and
    Spanish versions live beside it in `<field>_fr` and `<field>_es`, empty until
    someone enters a text. Nothing switches `text` by the active language: a
    page or document asks for a language explicitly with `text_in` (templates:
    `{% plan_text obj "text" %}`), and sees which language it got.
    """

    TRANSLATED_FIELDS: tuple[str, ...] = ()

    translation_note = models.CharField(
        _("translation note"),
        max_length=200,
        blank=True,
        help_text=_(
            "Where the French and Spanish texts come from, for example “Unofficial demo translation”."
        ),
    )

    class Meta:
        abstract = True

    def text_in(self, field: str, language: str | None = None) -> tuple[str, str]:
        """The field's text in `language` (default: the active language) and the
        language it is really in: the English original where no translation exists."""
        source = settings.LANGUAGE_CODE
        language = (language or get_language() or source).split("-")[0]
        if language != source:
            translated = getattr(self, f"{field}_{language}", "") or ""
            if translated.strip():
                return translated, language
        return getattr(self, field), source


class PlanQuerySet(models.QuerySet):
    def current(self) -> "Plan":
        """The plan people work on: the most recent one. Raises Plan.DoesNotExist if none is loaded."""
        plan = self.order_by("-start_year", "-pk").first()
        if plan is None:
            raise Plan.DoesNotExist("No plan is loaded: run `python manage.py loaddata gb341_pol4`.")
        return plan


class Plan(PlanTexts):
    TRANSLATED_FIELDS = ("title",)

    title = models.CharField(_("title"), max_length=300)
    title_fr = models.CharField(_("title in French"), max_length=300, blank=True)
    title_es = models.CharField(_("title in Spanish"), max_length=300, blank=True)
    symbol = models.CharField(_("document symbol"), max_length=40, unique=True)
    session = models.CharField(_("Governing Body session"), max_length=100)
    place = models.CharField(_("place"), max_length=100, blank=True)
    document_date = models.DateField(_("document date"))
    author_unit = models.CharField(_("author unit"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("start year"))
    end_year = models.PositiveSmallIntegerField(_("end year"))
    midterm_year = models.PositiveSmallIntegerField(_("mid-term review year"))

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["start_year", "symbol"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="plan_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(midterm_year__gte=F("start_year")) & Q(midterm_year__lte=F("end_year")),
                name="plan_midterm_within_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} – {self.title}"

    @property
    def starts_on(self) -> datetime.date:
        return datetime.date(self.start_year, 1, 1)


class FocusArea(PlanTexts):
    TRANSLATED_FIELDS = ("title",)

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="focus_areas", verbose_name=_("plan")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    title_fr = models.CharField(_("title in French"), max_length=200, blank=True)
    title_es = models.CharField(_("title in Spanish"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="focus_area_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="focus_area_number_positive"),
        ]

    def __str__(self) -> str:
        return _("Focus area %(number)s – %(title)s") % {"number": self.number, "title": self.title}


class PBOutput(PlanTexts):
    """An output of a Programme and Budget biennium, e.g. 2020–21 output A.4."""

    TRANSLATED_FIELDS = ("title",)

    biennium = models.CharField(_("biennium"), max_length=7, help_text=_("For example 2020–21."))
    code = models.CharField(_("code"), max_length=10, help_text=_("For example A.4 or 1.2."))
    title = models.CharField(_("title"), max_length=400)
    title_fr = models.CharField(_("title in French"), max_length=400, blank=True)
    title_es = models.CharField(_("title in Spanish"), max_length=400, blank=True)

    class Meta:
        verbose_name = _("P&B output")
        verbose_name_plural = _("P&B outputs")
        ordering = ["biennium", "code"]
        constraints = [
            models.UniqueConstraint(fields=["biennium", "code"], name="pb_output_unique_code"),
        ]

    def __str__(self) -> str:
        return _("P&B %(biennium)s output %(code)s") % {"biennium": self.biennium, "code": self.code}


class ProposedAction(PlanTexts):
    TRANSLATED_FIELDS = ("text",)

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("plan"))
    focus_area = models.ForeignKey(
        FocusArea, on_delete=models.CASCADE, related_name="actions", verbose_name=_("focus area")
    )
    position = models.PositiveSmallIntegerField(_("position in its focus area"))
    code = models.CharField(_("code"), max_length=10, help_text=_("For example 1.4."))
    text = models.TextField(_("text"))
    text_fr = models.TextField(_("text in French"), blank=True)
    text_es = models.TextField(_("text in Spanish"), blank=True)
    pb_outputs = models.ManyToManyField(
        PBOutput, blank=True, related_name="actions", verbose_name=_("P&B outputs")
    )
    all_policy_outcomes = models.JSONField(
        _("all policy outcomes of the bienniums"),
        default=list,
        blank=True,
        help_text=_('Bienniums whose policy outcomes all apply, for example ["2020–21", "2022–23"].'),
    )
    other_references = models.CharField(
        _("other references"),
        max_length=300,
        blank=True,
        help_text=_("For example GB.335/INS/9."),
    )

    class Meta:
        verbose_name = _("proposed action")
        verbose_name_plural = _("proposed actions")
        ordering = ["focus_area__number", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="action_unique_code_in_plan"),
            models.UniqueConstraint(fields=["focus_area", "position"], name="action_unique_position"),
            models.CheckConstraint(condition=Q(position__gte=1), name="action_position_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    def expected_code(self) -> str:
        return f"{self.focus_area.number}.{self.position}"

    def clean(self) -> None:
        if self.focus_area_id and self.plan_id and self.focus_area.plan_id != self.plan_id:
            raise ValidationError({"focus_area": _("The focus area belongs to another plan.")})
        if self.focus_area_id and self.position and self.code != self.expected_code():
            raise ValidationError({"code": _("The code must be %s.") % self.expected_code()})
        bienniums = self.all_policy_outcomes
        if not isinstance(bienniums, list) or not all(isinstance(b, str) for b in bienniums):
            raise ValidationError({"all_policy_outcomes": _("Give a list of bienniums such as 2020–21.")})


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months earlier, or the month's last day if it has fewer."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last_day))


def stale_before(today: datetime.date) -> datetime.date:
    """A latest update dated before this day is stale (DCPLAN_STALE_MONTHS before `today`)."""
    return months_before(today, settings.DCPLAN_STALE_MONTHS)


CLOSED_STATUSES = (Status.ACHIEVED, Status.DISCONTINUED)


# Deliverables read in the plan's order: 1.1.1, 1.1.2, … 1.4.1, 2.1.1, …
CODE_ORDER = ("action__focus_area__number", "action__position", "position")


class DeliverableQuerySet(models.QuerySet):
    def in_plan(self, plan: "Plan") -> "DeliverableQuerySet":
        return self.filter(plan=plan)

    def with_context(self) -> "DeliverableQuerySet":
        """Everything a list row shows, in the same query."""
        return self.select_related("action__focus_area", "last_update__author", "lead_unit")

    def due_by(self, year: int) -> "DeliverableQuerySet":
        return self.filter(end_year__lte=year)

    def overdue(self, today=None) -> "DeliverableQuerySet":
        """End year passed and still open (neither achieved nor discontinued)."""
        year = (today or timezone.localdate()).year
        return self.filter(end_year__lt=year).exclude(status__in=[Status.ACHIEVED, Status.DISCONTINUED])

    def for_unit(self, office: "Office | int") -> "DeliverableQuerySet":
        """Deliverables the unit leads or contributes to (each once)."""
        contributing = Deliverable.contributing_units.through.objects.filter(office=office)
        return self.filter(Q(lead_unit=office) | Q(pk__in=contributing.values("deliverable_id")))

    def without_lead_unit(self) -> "DeliverableQuerySet":
        return self.filter(lead_unit__isnull=True)

    def stale(self, today: datetime.date) -> "DeliverableQuerySet":
        """Still open, and the latest update is older than DCPLAN_STALE_MONTHS.

        A deliverable with no update at all is "no update yet", not stale."""
        return self.filter(stale_condition(today))

    def with_overdue_milestones(self, today: datetime.date) -> "DeliverableQuerySet":
        """Deliverables with at least one milestone past its due date and not done."""
        return self.filter(Exists(overdue_milestones_of(today)))

    def with_flags(self, today: datetime.date) -> "DeliverableQuerySet":
        """Annotate `stale` and `overdue_milestones` (a count) for the pages, in the same query."""
        counted = (
            overdue_milestones_of(today)
            .order_by()
            .values("deliverable_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            stale=ExpressionWrapper(stale_condition(today), output_field=BooleanField()),
            overdue_milestones=Coalesce(Subquery(counted, output_field=IntegerField()), 0),
        )

    def with_targets(self) -> "DeliverableQuerySet":
        return self.filter(target_value__isnull=False)

    def in_code_order(self) -> "DeliverableQuerySet":
        return self.order_by(*CODE_ORDER)


def stale_condition(today: datetime.date) -> Q:
    """Still open, with a latest update dated before stale_before(today)."""
    return Q(last_update__as_of__lt=stale_before(today)) & ~Q(status__in=CLOSED_STATUSES)


def overdue_milestones_of(today: datetime.date) -> models.QuerySet:
    """The overdue milestones of the deliverable in the outer query (for Exists/Subquery)."""
    # Milestones live in the planning app; reach them through the reverse
    # relation so that this module does not import planning.
    milestone = Deliverable._meta.get_field("milestones").related_model
    return milestone.objects.filter(deliverable=OuterRef("pk")).overdue(today)


class TargetProgress:
    """Progress against a numeric target, for anything with `target_value` and
    `progress_value`: a deliverable now, or as reported at a cut-off."""

    target_value: int | None
    progress_value: int | None

    @property
    def has_target(self) -> bool:
        return self.target_value is not None

    @property
    def progress_percent(self) -> int | None:
        """Progress against the target, capped at 100 for display."""
        if not self.has_target:
            return None
        return min(100, round(100 * (self.progress_value or 0) / self.target_value))

    @property
    def target_reached(self) -> bool:
        return self.has_target and (self.progress_value or 0) >= self.target_value


class Deliverable(TargetProgress, PlanTexts):
    TRANSLATED_FIELDS = ("text", "target_unit")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="deliverables", verbose_name=_("plan")
    )
    action = models.ForeignKey(
        ProposedAction,
        on_delete=models.CASCADE,
        related_name="deliverables",
        verbose_name=_("proposed action"),
    )
    position = models.PositiveSmallIntegerField(_("position in its action"))
    code = models.CharField(
        _("code"), max_length=12, help_text=_("Derived from the action and position, e.g. 1.4.1.")
    )
    text = models.TextField(_("text"))
    start_year = models.PositiveSmallIntegerField(_("start year"))
    end_year = models.PositiveSmallIntegerField(_("end year"))
    target_value = models.PositiveIntegerField(_("target"), null=True, blank=True)
    target_unit = models.CharField(
        _("target unit"), max_length=100, blank=True, help_text=_("For example partnerships.")
    )
    text_fr = models.TextField(_("text in French"), blank=True)
    text_es = models.TextField(_("text in Spanish"), blank=True)
    target_unit_fr = models.CharField(_("target unit in French"), max_length=100, blank=True)
    target_unit_es = models.CharField(_("target unit in Spanish"), max_length=100, blank=True)
    # Current state: written only by status_update_record(), in the same
    # transaction as the StatusUpdate it mirrors.
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    progress_value = models.PositiveIntegerField(_("progress"), null=True, blank=True)
    last_update = models.ForeignKey(
        "deliverables.StatusUpdate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last update"),
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=0,
        help_text=_("Goes up by one with every status update; guards against lost updates."),
    )
    # Who answers for the deliverable. The document assigns nobody: PARDEV does.
    lead_unit = models.ForeignKey(
        "deliverables.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_deliverables",
        verbose_name=_("lead unit"),
    )
    contributing_units = models.ManyToManyField(
        "deliverables.Office",
        blank=True,
        related_name="contributed_deliverables",
        verbose_name=_("contributing units"),
    )

    objects = DeliverableQuerySet.as_manager()

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = list(CODE_ORDER)
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="deliverable_unique_code_in_plan"),
            models.UniqueConstraint(fields=["action", "position"], name="deliverable_unique_position"),
            models.CheckConstraint(condition=Q(position__gte=1), name="deliverable_position_positive"),
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="deliverable_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | Q(target_value__gt=0),
                name="deliverable_target_positive",
            ),
            # A target without a unit cannot be read ("7 of 10 what?"), and a
            # unit without a target is a leftover.
            models.CheckConstraint(
                condition=Q(target_value__isnull=True, target_unit="")
                | (Q(target_value__isnull=False) & ~Q(target_unit="")),
                name="deliverable_target_has_unit",
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="deliverable_known_status"),
            models.CheckConstraint(
                condition=Q(progress_value__isnull=True) | Q(target_value__isnull=False),
                name="deliverable_progress_needs_target",
            ),
        ]
        permissions = [
            ("view_dashboard", _("Can view the dashboard")),
            ("assign_units", _("Can assign lead and contributing units")),
            ("record_unit_status", _("Can record status updates for the deliverables of their own unit")),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def timeline(self) -> str:
        return f"{self.start_year}–{str(self.end_year)[-2:]}"

    @property
    def status_choice(self) -> Status:
        return Status(self.status)

    def version_now(self) -> int:
        return Deliverable.objects.values_list("version", flat=True).get(pk=self.pk)

    def is_overdue(self, today=None) -> bool:
        year = (today or timezone.localdate()).year
        return self.end_year < year and not self.status_choice.is_closed

    def is_stale(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        if self.last_update is None or self.status_choice.is_closed:
            return False
        return self.last_update.as_of < stale_before(today)

    def assign_units(self, *, lead_unit: "Office | None", contributing_units) -> None:
        """Set who leads and who contributes; the lead is never also listed as contributing."""
        Deliverable.assign_units_set_wise([(self, lead_unit, contributing_units)])

    @staticmethod
    @transaction.atomic
    def assign_units_set_wise(
        assignments: "Sequence[tuple[Deliverable, Office | None, Iterable[Office]]]",
    ) -> None:
        """assign_units() for many deliverables at once, in a fixed number of
        queries whatever their number: one UPDATE of the lead units, one
        DELETE and one INSERT of the contributing units (SQLite splits a long
        UPDATE or INSERT into batches of its bind-parameter limit). The
        deliverable page (one deliverable) and the spreadsheet import (many)
        both come here."""
        if not assignments:
            return
        deliverables, links = [], []
        Link = Deliverable.contributing_units.through
        for deliverable, lead_unit, contributing_units in assignments:
            deliverable.lead_unit = lead_unit
            deliverables.append(deliverable)
            units = {unit.pk: unit for unit in contributing_units if unit != lead_unit}
            links += [Link(deliverable_id=deliverable.pk, office_id=pk) for pk in sorted(units)]
        Deliverable.objects.bulk_update(deliverables, ["lead_unit"])
        Link.objects.filter(deliverable_id__in=[d.pk for d in deliverables]).delete()
        Link.objects.bulk_create(links)
        for deliverable in deliverables:
            # The related manager's prefetched list, if any, is out of date.
            getattr(deliverable, "_prefetched_objects_cache", {}).pop("contributing_units", None)

    def expected_code(self) -> str:
        return f"{self.action.code}.{self.position}"

    def clean(self) -> None:
        if self.action_id and self.plan_id and self.action.plan_id != self.plan_id:
            raise ValidationError({"action": _("The action belongs to another plan.")})
        if self.action_id and self.position and self.code != self.expected_code():
            raise ValidationError({"code": _("The code must be %s.") % self.expected_code()})


class Region(PlanTexts):
    TRANSLATED_FIELDS = ("name",)

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_fr = models.CharField(_("name in French"), max_length=100, blank=True)
    name_es = models.CharField(_("name in Spanish"), max_length=100, blank=True)
    code = models.CharField(_("code"), max_length=10, unique=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OfficeKind(models.TextChoices):
    HEADQUARTERS = "hq", _("Headquarters department")
    REGIONAL = "regional", _("Regional office")
    DWT = "dwt", _("Decent Work Team")
    COUNTRY = "country", _("Country office")

    @property
    def is_field(self) -> bool:
        return self != OfficeKind.HEADQUARTERS


class OfficeQuerySet(models.QuerySet):
    def headquarters_first(self) -> "OfficeQuerySet":
        """Headquarters departments (and ITC-ILO), then field offices, each by name."""
        return self.order_by(
            models.Case(models.When(kind=OfficeKind.HEADQUARTERS, then=0), default=1), "name"
        )


class Office(PlanTexts):
    Kind = OfficeKind
    TRANSLATED_FIELDS = ("name",)

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_fr = models.CharField(_("name in French"), max_length=200, blank=True)
    name_es = models.CharField(_("name in Spanish"), max_length=200, blank=True)
    code = models.CharField(_("code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offices",
        verbose_name=_("region"),
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    # The countries the office covers: its own for a country office, the main ones
    # of its area for regional offices and Decent Work Teams. New examples start with them.
    countries = CountryField(_("countries"), multiple=True, blank=True)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["name"]
        constraints = [
            # Headquarters departments sit in Geneva, outside the regions;
            # every field office belongs to exactly one region.
            models.CheckConstraint(
                condition=Q(kind=OfficeKind.HEADQUARTERS, region__isnull=True)
                | (~Q(kind=OfficeKind.HEADQUARTERS) & Q(region__isnull=False)),
                name="office_region_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_headquarters(self) -> bool:
        return self.kind == self.Kind.HEADQUARTERS
