"""Per-day rollups of finished days, so scorecards over a million inspections stay
fast. They are a cache: rebuilt from inspections whenever a day is found stale
(see rollup.py); nothing else reads or writes them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from station.db.base import Base
from station.inspection.models import Inspection

# '' stands for "none" in key columns, which cannot hold NULL.
NONE = ""


class VerdictDay(Base):
    """Units per day, station, listing, final verdict and defect class."""

    __tablename__ = "scorecard_verdict_days"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    station_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    listing_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    final_verdict: Mapped[str] = mapped_column(String(16), primary_key=True)
    defect_class: Mapped[str] = mapped_column(String(16), primary_key=True)
    units: Mapped[int]


class FailureDay(Base):
    """Failing checks per day, station, listing, check and defect code."""

    __tablename__ = "scorecard_failure_days"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    station_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    listing_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    check: Mapped[str] = mapped_column(String(32), primary_key=True)
    defect_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    units: Mapped[int]


class RolledDay(Base):
    """A day whose rollup exists: how many inspections it had, and the last result
    event seen when it was built (a later event on one of its units makes it stale)."""

    __tablename__ = "scorecard_rolled_days"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    units: Mapped[int]
    event_position: Mapped[int] = mapped_column(BigInteger)
    built_at: Mapped[datetime]


# Look-ups by serial alone (the dashboard's search box); the workflow's own index
# leads with the GTIN.
Index("ix_inspections_serial", Inspection.serial)
