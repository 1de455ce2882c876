"""Numbered link references, shared by the wire text and the PDF's endnotes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class References:
    """Numbers each distinct URL once, in order of first use."""

    numbers: dict[str, int] = field(default_factory=dict)

    def number(self, url: str) -> int:
        """The reference number of ``url``, allocating the next one if new."""
        return self.numbers.setdefault(url, len(self.numbers) + 1)

    def items(self) -> list[tuple[int, str]]:
        """``(number, url)`` pairs in number order."""
        return [(n, url) for url, n in self.numbers.items()]
