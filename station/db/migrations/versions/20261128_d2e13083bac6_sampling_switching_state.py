"""Sampling: switching state (normal, tightened, reduced) per merchant x listing.

Revision ID: d2e13083bac6
Revises: c9fb9256fc72
Create Date: 2026-11-28 12:55:48.551787
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from sqlalchemy import Text  # noqa: F401  (autogenerate renders JSONB(astext_type=Text()))

import station.db.types

revision: str = "d2e13083bac6"
down_revision: str | None = "c9fb9256fc72"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sampling_switching",
        sa.Column("merchant_id", sa.String(length=64), nullable=False),
        sa.Column("listing_id", sa.String(length=64), nullable=False),
        sa.Column(
            "severity",
            sa.Enum(
                "normal", "tightened", "reduced", name="severity", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("discontinued", sa.Boolean(), nullable=False),
        sa.Column("normal_results", sa.String(length=16), nullable=False),
        sa.Column("consecutive_accepted", sa.Integer(), nullable=False),
        sa.Column("switching_score", sa.Integer(), nullable=False),
        sa.Column("rejected_on_tightened", sa.Integer(), nullable=False),
        sa.Column("accepted_in_a_row", sa.Integer(), nullable=False),
        sa.Column("lots", sa.Integer(), nullable=False),
        sa.Column("reduced_approved", sa.Boolean(), nullable=False),
        sa.Column("last_lot_id", sa.Uuid(), nullable=True),
        sa.Column("last_lot_at", station.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", station.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", station.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["listing_id"], ["listings.id"], name=op.f("fk_sampling_switching_listing_id_listings")
        ),
        sa.ForeignKeyConstraint(
            ["merchant_id"],
            ["merchants.id"],
            name=op.f("fk_sampling_switching_merchant_id_merchants"),
        ),
        sa.PrimaryKeyConstraint("merchant_id", "listing_id", name=op.f("pk_sampling_switching")),
    )
    with op.batch_alter_table("sampling_switching", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sampling_switching_listing_id"), ["listing_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sampling_switching", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sampling_switching_listing_id"))

    op.drop_table("sampling_switching")
