from .plan import Deliverable, FocusArea, Office, PBOutput, Plan, ProposedAction, Region
from .status import Profile, Status, StatusUpdate

__all__ = [
    "Deliverable",
    "FocusArea",
    "Office",
    "PBOutput",
    "Plan",
    "Profile",
    "ProposedAction",
    "Region",
    "Status",
    "StatusUpdate",
]
