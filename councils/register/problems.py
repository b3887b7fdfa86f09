"""What goes wrong in a register file, line by line."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ImportProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class CouncilImportError(Exception):
    """The file cannot be imported. Nothing in the database was changed."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = sorted(problems, key=lambda problem: problem.line)
        count = len(self.problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the council file: "
            + "; ".join(str(problem) for problem in self.problems[:5])
            + ("; …" if count > 5 else "")
        )


def shown(value: str) -> str:
    """A value quoted in a message, or the word blank."""
    return f"“{value}”" if value else "blank"
