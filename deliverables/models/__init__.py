from .examples import ExampleAttachment, ExampleTransition, ProgressExample
from .plan import Deliverable, FocusArea, Office, PBOutput, Plan, ProposedAction, Region
from .status import Profile, Status, StatusUpdate

__all__ = [
    "Deliverable",
    "ExampleAttachment",
    "ExampleTransition",
    "FocusArea",
    "Office",
    "PBOutput",
    "Plan",
    "Profile",
    "ProgressExample",
    "ProposedAction",
    "Region",
    "Status",
    "StatusUpdate",
]
