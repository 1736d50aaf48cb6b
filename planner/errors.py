"""The few error types the library raises; the CLI turns each into one line and exit 1."""

from __future__ import annotations


class PlannerError(Exception):
    """Base class: every error the library raises on purpose."""


class InputError(PlannerError):
    """A file or value given by the user is not what was expected.

    The message names the file, the row (as a spreadsheet shows it: the header
    is row 1) and the field, then what was expected.
    """

    def __init__(self, source: str, message: str, row: int | None = None, field: str | None = None):
        self.source = source
        self.row = row
        self.field = field
        where = [source]
        if row is not None:
            where.append(f"row {row}")
        if field is not None:
            where.append(f"field '{field}'")
        super().__init__(f"{', '.join(where)}: {message}")


class ProfileError(PlannerError):
    """A person's profile that no DRI group covers (an age of -3, pregnant and male)."""


class SolverError(PlannerError):
    """The solver failed for a reason other than unmet targets (missing, crashed)."""


class FdcError(PlannerError):
    """FoodData Central answered with an error, a broken body, or not at all."""
