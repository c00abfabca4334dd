"""The errors every indicator importer shares: naming the file, row and field (in Dutch)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class ImportFormatError(ValueError):
    """A file that cannot be imported at all; names the file, row and field (Dutch message)."""

    def __init__(self, file: str, row: int | None, field: str, message: str) -> None:
        self.file, self.row, self.field, self.message = file, row, field, message
        where = f"{file}, rij {row}" if row is not None else file
        super().__init__(f"{where}, veld '{field}': {message}" if field else f"{where}: {message}")


@dataclass(frozen=True)
class Rejection:
    """One row or cell left out of an import, with the reason."""

    file: str
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}, rij {self.row}, veld '{self.field}': {self.message}"


def rejection_dicts(rejected: Iterable[Rejection]) -> list[dict[str, object]]:
    """Rejections as the import report stores them."""
    return [{"file": r.file, "row": r.row, "field": r.field, "reason": r.message} for r in rejected]
