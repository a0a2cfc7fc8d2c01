"""Reference data models. Primary keys are the marketplace's own ids."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, ForeignKey, Index, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station.db.base import Base, Timestamped, enum_type

Id = String(64)


class MerchantStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class MerchantKind(StrEnum):
    ENTERPRISE = "enterprise"  # registered company with an enterprise id
    INDIVIDUAL = "individual"  # not registered as an enterprise: may not sell any more


class BrandStatus(StrEnum):
    REGISTERED = "registered"
    PENDING = "pending"
    EXPIRED = "expired"
    REVOKED = "revoked"


class AuthorisationStatus(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"


class ListingStatus(StrEnum):
    ACTIVE = "active"
    DELISTED = "delisted"


class ShipmentStatus(StrEnum):
    ANNOUNCED = "announced"
    ARRIVED = "arrived"
    INSPECTING = "inspecting"
    CLOSED = "closed"
    QUARANTINED = "quarantined"


class Warehouse(Timestamped, Base):
    __tablename__ = "warehouses"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    address: Mapped[str | None] = mapped_column(String(500))


class Category(Timestamped, Base):
    """A node of the marketplace category tree; top-level nodes are business scopes."""

    __tablename__ = "categories"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("categories.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str | None] = mapped_column(String(200))
    # Name of the rule set in config/rules/; empty means "as the parent".
    rules: Mapped[str | None] = mapped_column(String(64))

    parent: Mapped[Category | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Category]] = relationship(back_populates="parent")


class Merchant(Timestamped, Base):
    __tablename__ = "merchants"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    kind: Mapped[MerchantKind] = mapped_column(enum_type(MerchantKind))
    # Unified social credit code (18 characters) or the company number abroad.
    enterprise_id: Mapped[str | None] = mapped_column(String(32), index=True)
    legal_name: Mapped[str] = mapped_column(String(300))
    status: Mapped[MerchantStatus] = mapped_column(enum_type(MerchantStatus))
    country: Mapped[str] = mapped_column(String(2))
    # Marketplace service indicators (rating, dispute rate, ...), as sent.
    service_indicators: Mapped[dict[str, Any]] = mapped_column(default=dict)

    paid_categories: Mapped[list[MerchantCategory]] = relationship(
        back_populates="merchant",
        cascade="all, delete-orphan",
        order_by="MerchantCategory.category_id",
    )


class MerchantCategory(Base):
    """A category the merchant paid to sell in; the fee is in minor units (never a float)."""

    __tablename__ = "merchant_categories"

    merchant_id: Mapped[str] = mapped_column(
        ForeignKey("merchants.id", ondelete="CASCADE"), primary_key=True
    )
    category_id: Mapped[str] = mapped_column(ForeignKey("categories.id"), primary_key=True)
    paid_from: Mapped[date]
    paid_until: Mapped[date | None]
    fee_minor: Mapped[int] = mapped_column(default=0)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")

    merchant: Mapped[Merchant] = relationship(back_populates="paid_categories")


class Brand(Timestamped, Base):
    __tablename__ = "brands"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    trademark_number: Mapped[str | None] = mapped_column(String(64))
    trademark_office: Mapped[str | None] = mapped_column(String(16))
    owner_name: Mapped[str] = mapped_column(String(300))
    nice_classes: Mapped[list[int]] = mapped_column(default=list)
    status: Mapped[BrandStatus] = mapped_column(enum_type(BrandStatus))
    registered_until: Mapped[date | None]

    logos: Mapped[list[BrandLogo]] = relationship(
        back_populates="brand", cascade="all, delete-orphan", order_by="BrandLogo.position"
    )


class BrandLogo(Base):
    """A reference logo, stored by content hash in the evidence store."""

    __tablename__ = "brand_logos"

    brand_id: Mapped[str] = mapped_column(
        ForeignKey("brands.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    media_type: Mapped[str] = mapped_column(String(64))
    width: Mapped[int]
    height: Mapped[int]

    brand: Mapped[Brand] = relationship(back_populates="logos")


authorisation_categories = Table(
    "brand_authorisation_categories",
    Base.metadata,
    Column(
        "authorisation_id",
        ForeignKey("brand_authorisations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("category_id", ForeignKey("categories.id"), primary_key=True),
)


class BrandAuthorisation(Timestamped, Base):
    """Merchant may sell brand; through a distributor when parent_id names the
    distributor's own authorisation (owner -> distributor -> merchant)."""

    __tablename__ = "brand_authorisations"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    brand_id: Mapped[str] = mapped_column(ForeignKey("brands.id"), index=True)
    merchant_id: Mapped[str] = mapped_column(ForeignKey("merchants.id"), index=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("brand_authorisations.id"))
    valid_from: Mapped[date]
    valid_until: Mapped[date | None]
    status: Mapped[AuthorisationStatus] = mapped_column(enum_type(AuthorisationStatus))
    document_ref: Mapped[str | None] = mapped_column(String(200))

    brand: Mapped[Brand] = relationship()
    merchant: Mapped[Merchant] = relationship()
    parent: Mapped[BrandAuthorisation | None] = relationship(remote_side=[id])
    categories: Mapped[list[Category]] = relationship(
        secondary=authorisation_categories, order_by="Category.id"
    )


class Listing(Timestamped, Base):
    """A marketplace product as the merchant listed it."""

    __tablename__ = "listings"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    merchant_id: Mapped[str] = mapped_column(ForeignKey("merchants.id"), index=True)
    brand_id: Mapped[str] = mapped_column(ForeignKey("brands.id"), index=True)
    category_id: Mapped[str] = mapped_column(ForeignKey("categories.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    title_zh: Mapped[str | None] = mapped_column(String(300))
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    unit_weight_mg: Mapped[int]
    weight_tolerance_mg: Mapped[int]
    requires_serial: Mapped[bool] = mapped_column(default=False)
    requires_expiry: Mapped[bool] = mapped_column(default=False)
    status: Mapped[ListingStatus] = mapped_column(enum_type(ListingStatus))
    price_minor: Mapped[int | None]
    currency: Mapped[str | None] = mapped_column(String(3))

    merchant: Mapped[Merchant] = relationship()
    brand: Mapped[Brand] = relationship()
    category: Mapped[Category] = relationship()
    gtins: Mapped[list[ListingGtin]] = relationship(
        back_populates="listing", cascade="all, delete-orphan", order_by="ListingGtin.gtin"
    )
    images: Mapped[list[ListingImage]] = relationship(
        back_populates="listing", cascade="all, delete-orphan", order_by="ListingImage.position"
    )


class ListingGtin(Base):
    """A GTIN of a listing, normalised to 14 digits so any scan form finds it."""

    __tablename__ = "listing_gtins"
    __table_args__ = (Index("ix_listing_gtins_gtin", "gtin"),)

    listing_id: Mapped[str] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True
    )
    gtin: Mapped[str] = mapped_column(String(14), primary_key=True)

    listing: Mapped[Listing] = relationship(back_populates="gtins")


class ListingImage(Base):
    """A reference photo of one face of the product, stored by content hash."""

    __tablename__ = "listing_images"

    listing_id: Mapped[str] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True)
    face: Mapped[str] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    media_type: Mapped[str] = mapped_column(String(64))
    width: Mapped[int]
    height: Mapped[int]

    listing: Mapped[Listing] = relationship(back_populates="images")


class Shipment(Timestamped, Base):
    """An advance shipping notice (ASN): what a merchant says it sent to a warehouse."""

    __tablename__ = "shipments"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    merchant_id: Mapped[str] = mapped_column(ForeignKey("merchants.id"), index=True)
    warehouse_id: Mapped[str] = mapped_column(ForeignKey("warehouses.id"), index=True)
    carrier: Mapped[str | None] = mapped_column(String(64))
    tracking_number: Mapped[str | None] = mapped_column(String(64), index=True)
    s10_id: Mapped[str | None] = mapped_column(String(13), index=True)
    status: Mapped[ShipmentStatus] = mapped_column(enum_type(ShipmentStatus))
    expected_at: Mapped[datetime | None]
    arrived_at: Mapped[datetime | None]

    merchant: Mapped[Merchant] = relationship()
    warehouse: Mapped[Warehouse] = relationship()
    lines: Mapped[list[ShipmentLine]] = relationship(
        back_populates="shipment", cascade="all, delete-orphan", order_by="ShipmentLine.line_no"
    )

    @property
    def traceable(self) -> bool:
        """A parcel can be traced when the ASN carries a tracking number or an S10 id."""
        return bool(self.tracking_number or self.s10_id)


class ShipmentLine(Base):
    __tablename__ = "shipment_lines"

    shipment_id: Mapped[str] = mapped_column(
        ForeignKey("shipments.id", ondelete="CASCADE"), primary_key=True
    )
    line_no: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[str] = mapped_column(ForeignKey("listings.id"), index=True)
    quantity: Mapped[int]

    shipment: Mapped[Shipment] = relationship(back_populates="lines")
    listing: Mapped[Listing] = relationship()
