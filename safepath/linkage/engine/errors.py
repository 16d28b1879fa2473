"""Errors the linkage engine raises; each carries a list of human-readable ``problems``.

The CLI prints the problems and exits with code 2; the Django app turns them into field
errors. Neither needs to parse a message.
"""

from __future__ import annotations


class LinkageError(Exception):
    """Base class: ``problems`` lists every defect found, not only the first."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


class CanonicalError(LinkageError):
    """Input records cannot be read as canonical person records (file, row and field named)."""


class EncodingMismatchError(LinkageError):
    """Two CLK files were not made with the same schema and secret; matching them is refused."""


class SchemaError(LinkageError):
    """A linkage schema does not follow the clkhash v3 format subset we implement."""
