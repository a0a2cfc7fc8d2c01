"""The reads of one frame, gathered over several looks, and which of them to report.

Each look (a decoder on one view) gives every printed symbol at most one vote. Another
read of the same text near the same place adds a vote; an add-on completes a bare
EAN/UPC. Two different texts on one printed linear code mean one is a misread: the
text that more looks agree on wins by a clear margin, or neither is reported. 2D codes
carry error correction, so two different texts there are two symbols.
"""

from __future__ import annotations

from dataclasses import dataclass

from vision.decode.regions import Region
from vision.decode.symbol import Symbol

CLEAR_MARGIN = 2  # a contested text needs this many times its rival's votes


@dataclass
class Read:
    symbol: Symbol
    votes: int = 1
    primary: bool = True  # read by zxing-cpp; zbar-only reads need two votes

    @property
    def trusted(self) -> bool:
        return self.primary or self.votes >= 2


class Found:
    def __init__(self) -> None:
        self.reads: list[Read] = []

    def add(self, symbols: list[Symbol], *, primary: bool = True) -> None:
        """The symbols of one look."""
        voted: set[int] = set()
        for symbol in symbols:
            index = self._same(symbol)
            if index is None:
                self.reads.append(Read(symbol, primary=primary))
                voted.add(len(self.reads) - 1)
                continue
            read = self.reads[index]
            if symbol.add_on and not read.symbol.add_on:
                read.symbol = symbol  # the same number, now with its add-on
            if index not in voted:
                read.votes += 1
                read.primary = read.primary or primary
                voted.add(index)

    def upgrade(self, index: int, symbol: Symbol) -> None:
        self.reads[index].symbol = symbol

    def covers(self, region: Region) -> bool:
        return any(region.contains(r.symbol.centre()) for r in self.reads)

    def anything_trusted(self) -> bool:
        return any(r.trusted for r in self.reads)

    def contested(self) -> list[list[Read]]:
        """Groups of reads that give one printed linear code different texts."""
        groups: list[list[Read]] = []
        for read in self.reads:
            rivals = self._rivals(read)
            if rivals and not any(read in g for g in groups):
                groups.append([read, *rivals])
        return groups

    def accepted(self) -> list[Symbol]:
        out = []
        for read in self.reads:
            if not read.trusted:
                continue
            if all(read.votes >= CLEAR_MARGIN * rival.votes for rival in self._rivals(read)):
                out.append(read.symbol)
        return out

    def _same(self, symbol: Symbol) -> int | None:
        for i, read in enumerate(self.reads):
            known = read.symbol
            same_text = known.text == symbol.text or (
                known.retail and symbol.retail and known.main_text == symbol.main_text
            )
            if same_text and known.near(symbol):
                return i
        return None

    def _rivals(self, read: Read) -> list[Read]:
        mine = read.symbol
        return [
            other
            for other in self.reads
            if other is not read
            and mine.linear
            and other.symbol.linear
            and other.symbol.main_text != mine.main_text
            and mine.overlaps(other.symbol)
        ]
