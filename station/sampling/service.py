"""Switching state in the database: read it, record a lot's result, approve reduced
inspection, resume after discontinuation. Each change goes to the audit log in the caller's
transaction; use `db.transaction()` so concurrent stations update one listing in turn."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from station.audit.models import record as audit
from station.clock import utcnow
from station.errors import NotFound
from station.reference.models import Listing, Merchant
from station.sampling.models import SwitchingRecord
from station.sampling.policy import LotMode, lot_mode_for
from station.sampling.scheme_file import load_scheme
from station.sampling.switching import (
    Conditions,
    LotOutcome,
    SwitchingState,
    Transition,
    next_state,
    resume,
)
from station.sampling.tables import SamplingError
from station.settings import SamplingSettings, load_settings


def current_severity(session: Session, merchant_id: str, listing_id: str) -> str:
    """normal, tightened or reduced: the severity of the next lot (normal if none yet)."""
    return str(switching_state(session, merchant_id, listing_id).severity)


def switching_state(session: Session, merchant_id: str, listing_id: str) -> SwitchingState:
    found = session.get(SwitchingRecord, (merchant_id, listing_id))
    return found.state() if found else SwitchingState()


def record_lot_result(
    session: Session,
    merchant_id: str,
    listing_id: str,
    accepted: bool,
    *,
    switching_points: int | None = None,
    beyond_acceptance: bool = False,
    lot_id: uuid.UUID | None = None,
    actor: str = "station",
    production_steady: bool | None = None,
    settings: SamplingSettings | None = None,
) -> Transition:
    """Apply the switching rules to one lot's result on original inspection.

    switching_points and beyond_acceptance come from plans.judge_lot; without them an
    accepted lot scores 2 (the rule for Ac 0 or 1). production_steady defaults to "the
    previous lot of this listing came at most sampling.steady_max_gap_days ago". Recording
    the same lot_id twice in a row changes nothing. Pass settings=runtime.settings.sampling
    (without it the settings are loaded here)."""
    settings = settings or load_settings().sampling
    row = _record_for_update(session, merchant_id, listing_id)
    if lot_id is not None and row.last_lot_id == lot_id:
        state = row.state()
        return Transition(state, state, "lot already recorded")
    now = utcnow()
    if production_steady is None:
        gap = timedelta(days=settings.steady_max_gap_days)
        production_steady = row.last_lot_at is None or now - row.last_lot_at <= gap
    outcome = LotOutcome(
        accepted=accepted,
        switching_points=2 if switching_points is None else switching_points,
        beyond_acceptance=beyond_acceptance,
    )
    conditions = Conditions(
        production_steady=production_steady,
        reduced_approved=row.reduced_approved or settings.approve_reduced,
    )
    change = next_state(row.state(), outcome, conditions, load_scheme(settings.scheme).switching)
    row.store(change.after)
    row.last_lot_id, row.last_lot_at = lot_id, now
    audit(
        session,
        actor=actor,
        action="sampling.switched" if change.switched else "sampling.lot_recorded",
        subject_type="listing",
        subject_id=listing_id,
        merchant_id=merchant_id,
        lot_id=str(lot_id) if lot_id else None,
        accepted=accepted,
        severity_before=str(change.before.severity),
        severity_after=str(change.after.severity),
        discontinued=change.after.discontinued,
        switching_score=change.after.switching_score,
        reason=change.reason,
    )
    return change


def approve_reduced(
    session: Session, merchant_id: str, listing_id: str, *, approved: bool, actor: str
) -> None:
    """The responsible authority approves (or withdraws approval of) reduced inspection."""
    row = _record_for_update(session, merchant_id, listing_id)
    row.reduced_approved = approved
    audit(
        session,
        actor=actor,
        action="sampling.reduced_approved" if approved else "sampling.reduced_withdrawn",
        subject_type="listing",
        subject_id=listing_id,
        merchant_id=merchant_id,
    )


def resume_sampling(
    session: Session, merchant_id: str, listing_id: str, *, actor: str, reason: str
) -> SwitchingState:
    """After discontinuation: the merchant has improved, sampling restarts on tightened."""
    if not reason.strip():
        raise SamplingError("resuming sampling needs a reason (what the merchant corrected)")
    row = _record_for_update(session, merchant_id, listing_id)
    if not row.discontinued:
        raise SamplingError(f"sampling of {merchant_id} / {listing_id} is not discontinued")
    state = resume(row.state())
    row.store(state)
    audit(
        session,
        actor=actor,
        action="sampling.resumed",
        subject_type="listing",
        subject_id=listing_id,
        merchant_id=merchant_id,
        reason=reason,
    )
    return state


def lot_mode(
    session: Session,
    merchant_id: str,
    listing_id: str,
    *,
    seed: int,
    settings: SamplingSettings | None = None,
) -> LotMode:
    """Sample, inspect every unit or skip the next lot (merchant indicators, discontinuation)."""
    settings = settings or load_settings().sampling
    merchant = session.get(Merchant, merchant_id)
    if merchant is None:
        raise NotFound(f"merchant {merchant_id} does not exist")
    state = switching_state(session, merchant_id, listing_id)
    return lot_mode_for(merchant.service_indicators or {}, state, settings, seed)


def _record_for_update(session: Session, merchant_id: str, listing_id: str) -> SwitchingRecord:
    query = (
        select(SwitchingRecord)
        .where(SwitchingRecord.merchant_id == merchant_id)
        .where(SwitchingRecord.listing_id == listing_id)
        .with_for_update()
    )
    found = session.scalars(query).one_or_none()
    if found is not None:
        return found
    _check_listing(session, merchant_id, listing_id)
    row = _new_record(merchant_id, listing_id)
    try:
        with session.begin_nested():  # another station may create it at the same moment
            session.add(row)
    except IntegrityError:
        return session.scalars(query).one()
    return row


def _new_record(merchant_id: str, listing_id: str) -> SwitchingRecord:
    row = SwitchingRecord(merchant_id=merchant_id, listing_id=listing_id, reduced_approved=False)
    row.store(SwitchingState())
    return row


def _check_listing(session: Session, merchant_id: str, listing_id: str) -> None:
    listing = session.get(Listing, listing_id)
    if listing is None:
        raise NotFound(f"listing {listing_id} does not exist")
    if listing.merchant_id != merchant_id:
        raise SamplingError(
            f"listing {listing_id} belongs to merchant {listing.merchant_id}, not {merchant_id}"
        )
