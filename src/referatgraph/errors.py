"""One exception root, split by stage. Only ``cli.py`` turns these into messages for people."""

from __future__ import annotations


class ReferatgraphError(Exception):
    """Root of every error referatgraph raises on purpose."""


class InputError(ReferatgraphError):
    """A file that cannot be read, or is not minutes. Carries file and line."""

    def __init__(self, path: str, message: str, line: int | None = None):
        self.path = path
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: error: {self.message}"


class DataError(ReferatgraphError):
    """A built dataset (Turtle, JSON-LD) that cannot be read back."""


class PublishError(ReferatgraphError):
    """The output could not be written."""
