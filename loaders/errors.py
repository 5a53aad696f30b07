"""The whole-file refusal every reading stage raises (exit 2), with the rule and the column it names."""
from __future__ import annotations

MAX_MESSAGE = 300       # characters: a message names file, row and column, never a whole line of data


def clip(text: str, limit: int = MAX_MESSAGE) -> str:
    """`text` cut to `limit` characters (an ellipsis marks the cut)."""
    text = str(text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


class FileRejected(Exception):
    """The whole file cannot be loaded (unreadable, empty, wrong columns)."""

    def __init__(self, message: str, rule: str = "archivo_rechazado", column: str | None = None):
        super().__init__(clip(message))
        self.rule, self.column = rule, column
