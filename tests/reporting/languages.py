"""Completing the plan texts of the review in French or Spanish, as a translator would."""

import datetime

from reporting.house_style import review_texts
from reporting.selectors import cited_offices

# Stand-ins for the official texts (not in the repository): recognisably in the language.
SAMPLE = {
    "fr": "Texte en français pour {name}",
    "es": "Texto en español para {name}",
}


def complete_texts(plan, as_of: datetime.date, language: str) -> None:
    """Every plan text the review at `as_of` prints, given a text in `language`."""
    offices = cited_offices(plan, as_of)
    regions = {office.region for office in offices if office.region}
    needed = [(item.obj, item.field) for item in review_texts(plan, offices)]
    needed += [(region, "name") for region in regions]
    for obj, field in needed:
        if getattr(obj, field):
            name = f"{type(obj).__name__.lower()} {obj.pk} {field}"
            setattr(obj, f"{field}_{language}", SAMPLE[language].format(name=name))
            obj.save(update_fields=[f"{field}_{language}"])
