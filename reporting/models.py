"""Issued reviews: the PDF exactly as it went to the Governing Body, kept byte for byte."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IssuedReviewQuerySet(models.QuerySet):
    def for_listing(self) -> "IssuedReviewQuerySet":
        """Everything the list shows, without loading the PDF bytes."""
        return self.select_related("issued_by", "plan").defer("pdf", "docx").order_by("-issued_at", "-pk")


class IssuedReview(models.Model):
    """A mid-term review as issued by a manager. Never changed or deleted:
    a corrected review is issued again."""

    plan = models.ForeignKey(
        "deliverables.Plan", on_delete=models.PROTECT, related_name="issued_reviews", verbose_name=_("plan")
    )
    as_of = models.DateField(_("cut-off date"))
    symbol = models.CharField(_("document symbol"), max_length=40)
    cover = models.JSONField(
        _("cover values"), help_text=_("Every editable value of the cover and the decision.")
    )
    pdf = models.BinaryField(_("PDF"))
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="issued_reviews",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    # The Word file of the same document, for editing and translation. Reviews
    # issued before Word export existed have none.
    docx = models.BinaryField(_("Word file"), null=True, blank=True)
    docx_size = models.PositiveIntegerField(_("Word file size in bytes"), null=True, blank=True)
    docx_sha256 = models.CharField(_("Word file SHA-256"), max_length=64, blank=True)
    written = models.JSONField(
        _("written sections"),
        default=dict,
        blank=True,
        help_text=_("The text of each written section as issued, in the drafting markup, by section key."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language the review was issued in."),
    )
    acknowledgements = models.JSONField(
        _("acknowledged warnings"),
        default=list,
        blank=True,
        help_text=_("The checks' warnings the issuer acknowledged: code, message, who and when."),
    )

    objects = IssuedReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("issued review")
        verbose_name_plural = _("issued reviews")
        ordering = ["-issued_at", "-pk"]
        # Only "view": there is no add, change or delete permission to grant.
        default_permissions = ("view",)
        permissions = [
            ("view_review", _("Can preview and download the mid-term review")),
            ("issue_review", _("Can issue the mid-term review")),
        ]
        constraints = [
            models.CheckConstraint(condition=Exact(Length("sha256"), 64), name="issued_review_sha256_length"),
            models.CheckConstraint(condition=Q(size__gt=0), name="issued_review_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} ({self.as_of:%Y-%m-%d})"

    @classmethod
    def build(
        cls,
        *,
        plan,
        as_of,
        cover: dict,
        pdf: bytes,
        issued_by,
        written: dict | None = None,
        acknowledgements: list | None = None,
        docx: bytes | None = None,
        language: str = "en",
    ) -> "IssuedReview":
        """An unsaved issued review whose sizes and checksums are those of `pdf` and `docx`."""
        return cls(
            docx=docx,
            docx_size=len(docx) if docx is not None else None,
            docx_sha256=hashlib.sha256(docx).hexdigest() if docx is not None else "",
            written=written or {},
            language=language,
            acknowledgements=acknowledgements or [],
            plan=plan,
            as_of=as_of,
            symbol=cover.get("symbol", "")[:40],
            cover=cover,
            pdf=pdf,
            size=len(pdf),
            sha256=hashlib.sha256(pdf).hexdigest(),
            issued_by=issued_by,
        )

    @property
    def filename(self) -> str:
        return review_filename(self.symbol, self.as_of, self.language)

    @property
    def docx_filename(self) -> str:
        return self.filename.removesuffix(".pdf") + ".docx"


def review_filename(symbol: str, as_of, language: str = "en") -> str:
    """GB.347/POL/3 as of 2022-12-31 → GB.347-POL-3_as-of_2022-12-31.pdf (safe in any header);
    in French or Spanish, GB.347-POL-3_as-of_2022-12-31_fr.pdf."""
    safe = (
        "".join(ch if (ch.isascii() and ch.isalnum()) or ch in ".-" else "-" for ch in symbol).strip("-")
        or "review"
    )
    suffix = "" if language == "en" else f"_{language}"
    return f"{safe}_as-of_{as_of:%Y-%m-%d}{suffix}.pdf"


class ReviewDraftQuerySet(models.QuerySet):
    def for_cut_off(self, plan, as_of) -> "ReviewDraft":
        """The draft of `plan` at `as_of`, created on first use (a POST: drafting pages only read)."""
        draft, _created = self.get_or_create(plan=plan, as_of=as_of)
        return draft


class ReviewDraft(models.Model):
    """The written sections of the review of one plan at one cut-off date.

    `version` counts every saved section: a page (or the issue form) that
    carries the version it showed can tell whether the text moved since."""

    plan = models.ForeignKey(
        "deliverables.Plan", on_delete=models.PROTECT, related_name="review_drafts", verbose_name=_("plan")
    )
    as_of = models.DateField(_("cut-off date"))
    version = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    objects = ReviewDraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("review draft")
        verbose_name_plural = _("review drafts")
        ordering = ["plan", "-as_of"]
        default_permissions = ("view",)
        permissions = [("draft_review", _("Can draft the written sections of the mid-term review"))]
        constraints = [
            models.UniqueConstraint(fields=["plan", "as_of"], name="review_draft_one_per_cut_off"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} @ {self.as_of:%Y-%m-%d} v{self.version}"


class DraftSection(models.Model):
    """The current text of one written section in one language (in the drafting
    markup, see reporting.markup). Saved only through reporting.drafting.section_save,
    which appends a SectionRevision each time.

    English is the source; a French or Spanish row is a translation of it and
    records which version of the English row it was translated from, so that
    the drafting pages can say when the English moved on since."""

    SOURCE_LANGUAGE = "en"

    draft = models.ForeignKey(
        ReviewDraft, on_delete=models.CASCADE, related_name="sections", verbose_name=_("draft")
    )
    key = models.CharField(_("section"), max_length=40)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    text = models.TextField(_("text"), blank=True)
    source_version = models.PositiveIntegerField(
        _("translated from English version"),
        null=True,
        blank=True,
        help_text=_("For a translation: the version of the English section it was translated from."),
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last saved by"),
    )
    updated_at = models.DateTimeField(_("last saved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("written section")
        verbose_name_plural = _("written sections")
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(fields=["draft", "key", "language"], name="draft_section_unique_key"),
            # The source has no source; a translation says what it translates.
            models.CheckConstraint(
                condition=Q(language="en", source_version__isnull=True) | ~Q(language="en"),
                name="draft_section_source_has_no_source_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.language}) v{self.version}"

    @property
    def is_source(self) -> bool:
        return self.language == self.SOURCE_LANGUAGE


class SectionRevision(models.Model):
    """One saved text of a section. Never edited or deleted."""

    section = models.ForeignKey(
        DraftSection, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("section")
    )
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    saved_at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        verbose_name = _("section revision")
        verbose_name_plural = _("section revisions")
        ordering = ["-version"]
        default_permissions = ("view",)
        constraints = [
            # Two writers who saw the same version can never both succeed.
            models.UniqueConstraint(fields=["section", "version"], name="section_revision_unique_version"),
            models.CheckConstraint(condition=Q(version__gte=1), name="section_revision_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.section_id} v{self.version}"
