"""Unit focal points of two headquarters units, and deliverables they lead or contribute to."""

import pytest

from deliverables.models import Deliverable, Office
from tests.factories import make_user


@pytest.fixture
def units(users):
    """unit_a (PROGRAM) leads 1.4.1 and contributes to 2.2.1; unit_b (ITC-ILO) leads 3.1.1."""
    offices = {code: Office.objects.get(code=code) for code in ["PROGRAM", "ITCILO", "PARDEV"]}
    Deliverable.objects.get(code="1.4.1").assign_units(lead_unit=offices["PROGRAM"], contributing_units=[])
    Deliverable.objects.get(code="2.2.1").assign_units(
        lead_unit=offices["PARDEV"], contributing_units=[offices["PROGRAM"]]
    )
    Deliverable.objects.get(code="3.1.1").assign_units(lead_unit=offices["ITCILO"], contributing_units=[])
    users["unit_a"] = make_user("unit_a", role="unit", office="PROGRAM")
    users["unit_b"] = make_user("unit_b", role="unit", office="ITCILO")
    return offices
