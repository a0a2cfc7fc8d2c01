"""Switching state per merchant x listing: the severity the next lot is inspected at."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from station.db.base import Base, Timestamped, enum_type
from station.sampling.switching import SwitchingState
from station.sampling.tables import Severity


class SwitchingRecord(Timestamped, Base):
    __tablename__ = "sampling_switching"

    merchant_id: Mapped[str] = mapped_column(ForeignKey("merchants.id"), primary_key=True)
    listing_id: Mapped[str] = mapped_column(ForeignKey("listings.id"), primary_key=True, index=True)
    severity: Mapped[Severity] = mapped_column(enum_type(Severity), default=Severity.NORMAL)
    discontinued: Mapped[bool] = mapped_column(default=False)
    # Latest lots on normal inspection, oldest first: A accepted, R not accepted.
    normal_results: Mapped[str] = mapped_column(String(16), default="")
    consecutive_accepted: Mapped[int] = mapped_column(default=0)
    switching_score: Mapped[int] = mapped_column(default=0)
    rejected_on_tightened: Mapped[int] = mapped_column(default=0)
    accepted_in_a_row: Mapped[int] = mapped_column(default=0)
    lots: Mapped[int] = mapped_column(default=0)
    # The responsible authority's approval of reduced inspection for this merchant x listing.
    reduced_approved: Mapped[bool] = mapped_column(default=False)
    last_lot_id: Mapped[uuid.UUID | None]
    last_lot_at: Mapped[datetime | None]

    def state(self) -> SwitchingState:
        return SwitchingState(
            severity=Severity(self.severity),
            discontinued=self.discontinued,
            normal_results=self.normal_results,
            consecutive_accepted=self.consecutive_accepted,
            switching_score=self.switching_score,
            rejected_on_tightened=self.rejected_on_tightened,
            accepted_in_a_row=self.accepted_in_a_row,
            lots=self.lots,
        )

    def store(self, state: SwitchingState) -> None:
        self.severity = state.severity
        self.discontinued = state.discontinued
        self.normal_results = state.normal_results
        self.consecutive_accepted = state.consecutive_accepted
        self.switching_score = state.switching_score
        self.rejected_on_tightened = state.rejected_on_tightened
        self.accepted_in_a_row = state.accepted_in_a_row
        self.lots = state.lots
