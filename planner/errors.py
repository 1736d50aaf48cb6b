"""The few error types the library raises on purpose; the command turns each into one line.

Every error says what it is about in `field`: a request field (`budget`, `days`,
`age`), or a file's column. The library never quotes a command-line option; the
command maps request fields to its option names (`describe(options)`).
"""

from __future__ import annotations

from collections.abc import Callable


class PlannerError(Exception):
    """Base class: every error the library raises on purpose.

    `source` is the file it is about (None for a value of the request), `row`
    the row as a spreadsheet shows it (the header is row 1), `field` the column
    or request field.
    """

    def __init__(self, message: str, *, field: str | None = None, source: str | None = None,
                 row: int | None = None):
        self.message = message
        self.field = field
        self.source = source
        self.row = row
        super().__init__(self.describe())

    def describe(self, option: Callable[[str], str] | None = None) -> str:
        """One line: `file, row 3, field 'magnesium_mg': ...` or `budget: ...`; `option` names a field
        as the command calls it (`--budget: ...`)."""
        if self.source is None:
            if self.field is None:
                return self.message
            return f"{option(self.field) if option else self.field}: {self.message}"
        where = [self.source]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field is not None:
            where.append(f"field '{self.field}'")
        return f"{', '.join(where)}: {self.message}"


class InputError(PlannerError):
    """A file or a value given by the user is not what was expected."""


class ProfileError(InputError):
    """A person's profile that no DRI group covers (an age of -3, pregnant and male)."""


class SolverError(PlannerError):
    """The solver failed for a reason other than unmet targets (missing, crashed)."""


class FdcError(PlannerError):
    """FoodData Central answered with an error, a broken body, or not at all."""
