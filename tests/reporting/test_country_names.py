"""Countries are named as the United Nations names them, in every language (house style)."""

import pytest
from django.utils import translation

from reporting.assembly import assemble_review

from .helpers import CUT_OFF, make_example

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "tanzania", "viet_nam"),
    [
        ("en", "United Republic of Tanzania", "Viet Nam"),
        ("fr", "République-Unie de Tanzanie", "Viet Nam"),
        ("es", "República Unida de Tanzanía", "Viet Nam"),
    ],
)
def test_the_review_uses_the_un_short_names_of_countries(plan, users, language, tanzania, viet_nam):
    make_example(users["focal_a"], countries=["TZ", "VN"])
    with translation.override(language):
        (example,) = assemble_review(plan, CUT_OFF).examples
    assert set(example.countries) == {tanzania, viet_nam}
