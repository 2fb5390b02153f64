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
        return self.select_related("issued_by", "plan").defer("pdf").order_by("-issued_at", "-pk")


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
    def build(cls, *, plan, as_of, cover: dict, pdf: bytes, issued_by) -> "IssuedReview":
        """An unsaved issued review whose size and checksum are those of `pdf`."""
        return cls(
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
        return review_filename(self.symbol, self.as_of)


def review_filename(symbol: str, as_of) -> str:
    """GB.347/POL/3 as of 2022-12-31 → GB.347-POL-3_as-of_2022-12-31.pdf (safe in any header)."""
    safe = (
        "".join(ch if (ch.isascii() and ch.isalnum()) or ch in ".-" else "-" for ch in symbol).strip("-")
        or "review"
    )
    return f"{safe}_as-of_{as_of:%Y-%m-%d}.pdf"
