"""Dates in the review's house style, in the language the document is rendered in."""

from django import template

from reporting import style

register = template.Library()


@register.filter
def long_date(value) -> str:
    """{{ review.as_of|long_date }}: 31 December 2022, 31 décembre 2022, 31 de diciembre de 2022."""
    return style.long_date(value) if value else ""


@register.filter
def month_year(value) -> str:
    """{{ example.started_on|month_year }}: March 2022, mars 2022, marzo de 2022."""
    return style.month_year(value) if value else ""


@register.filter
def percentage(value) -> str:
    """{{ row.progress_percent|percentage }}: 45 per cent, 45 pour cent, 45 por ciento."""
    return style.per_cent(int(value))
