"""The support rotation (SPEC 3.5): shifts, who serves them, overrides and the journal."""

from syncd.domain.rotation.roster import Roster
from syncd.domain.rotation.shift import Shift, ShiftSource

__all__ = ["Roster", "Shift", "ShiftSource"]
