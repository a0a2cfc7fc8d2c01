"""The shape of each kind of reference record, as files and the API carry it.

Every field is validated here; the importer and the API both use these models.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from station.identifiers import normalise_gtin, parse_s10
from station.identifiers.enterprise import validate_uscc
from station.reference.models import (
    AuthorisationStatus,
    BrandStatus,
    ListingStatus,
    MerchantKind,
    MerchantStatus,
    ShipmentStatus,
)


def _split_list(value: Any) -> Any:
    """CSV cells carry lists as 'a;b;c'."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return value


def _grams_to_mg(value: Any) -> Any:
    if isinstance(value, float):
        value = repr(value)  # never compute with the binary float; take its shortest text
    if isinstance(value, int | str):
        try:
            grams = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(
                f"expected a weight in grams such as 350 or 12.5, got {value!r}"
            ) from None
        mg = grams * 1000
        if mg != mg.to_integral_value():
            raise ValueError(f"{value} g is finer than a milligram")
        return int(mg)
    return value


def _gtin(value: str) -> str:
    return normalise_gtin(value)


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {value!r}; expected an IANA name such as Asia/Shanghai"
        ) from None
    return value


_REF_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")


def _ref_id(value: str) -> str:
    if not _REF_ID.match(value):
        raise ValueError(
            f"{value!r} is not an id: use 1-64 letters, digits, '.', '_', ':' or '-', "
            "starting with a letter or digit"
        )
    return value


RefId = Annotated[str, AfterValidator(_ref_id)]
IdList = Annotated[list[RefId], BeforeValidator(_split_list)]
Gtin = Annotated[str, AfterValidator(_gtin)]
Milligrams = Annotated[int, BeforeValidator(_grams_to_mg), Field(ge=0, le=10**12)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
TRACKING = re.compile(r"^[A-Z0-9][A-Z0-9-]{5,39}$")


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    id: RefId

    @model_validator(mode="before")
    @classmethod
    def _empty_is_not_given(cls, data: Any) -> Any:
        """An empty value means "not given" in every format, as an empty CSV cell does."""
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v != "" and v is not None}
        return data


class WarehouseRecord(Record):
    name: Text
    timezone: Annotated[str, AfterValidator(_timezone)] = "UTC"
    address: str | None = None


class StationRecord(Record):
    warehouse_id: RefId
    name: Text


class CategoryRecord(Record):
    parent_id: RefId | None = None
    name: Text
    name_zh: str | None = None
    rules: str | None = None


class PaidCategory(BaseModel):
    model_config = ConfigDict(extra="forbid")
    category_id: RefId
    paid_from: date
    paid_until: date | None = None
    fee_minor: int = Field(default=0, ge=0)
    currency: Currency = "CNY"

    @model_validator(mode="after")
    def _period(self) -> PaidCategory:
        if self.paid_until and self.paid_until < self.paid_from:
            raise ValueError(f"paid_until {self.paid_until} is before paid_from {self.paid_from}")
        return self


class MerchantRecord(Record):
    kind: MerchantKind = MerchantKind.ENTERPRISE
    country: Country = "CN"
    enterprise_id: str | None = None
    legal_name: Text
    status: MerchantStatus = MerchantStatus.ACTIVE
    service_indicators: dict[str, float | int | str | bool] = Field(default_factory=dict)
    paid_categories: list[PaidCategory] = Field(default_factory=list)

    @field_validator("enterprise_id")
    @classmethod
    def _enterprise_id(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value and info.data.get("country", "CN") == "CN":
            return validate_uscc(value)
        return value

    @model_validator(mode="after")
    def _enterprise_needs_id(self) -> MerchantRecord:
        if self.kind is MerchantKind.ENTERPRISE and not self.enterprise_id:
            raise ValueError("an enterprise needs an enterprise_id")
        return self


class BrandFields(Record):
    """A brand as the API carries it; its logos are uploaded separately."""

    name: Text
    trademark_number: str | None = None
    trademark_office: str | None = None
    owner_name: Text
    nice_classes: Annotated[
        list[Annotated[int, Field(ge=1, le=45)]], BeforeValidator(_split_list)
    ] = Field(default_factory=list)
    status: BrandStatus = BrandStatus.REGISTERED
    registered_until: date | None = None


class BrandRecord(BrandFields):
    """A brand as files carry it: logos named by file path."""

    logos: Annotated[list[str], BeforeValidator(_split_list)] = Field(default_factory=list)


class AuthorisationRecord(Record):
    brand_id: RefId
    merchant_id: RefId
    parent_id: RefId | None = None
    valid_from: date
    valid_until: date | None = None
    status: AuthorisationStatus = AuthorisationStatus.ACTIVE
    document_ref: str | None = None
    categories: IdList = Field(default_factory=list)

    @model_validator(mode="after")
    def _period(self) -> AuthorisationRecord:
        if self.valid_until and self.valid_until < self.valid_from:
            raise ValueError(
                f"valid_until {self.valid_until} is before valid_from {self.valid_from}"
            )
        if self.parent_id is not None and self.parent_id == self.id:
            raise ValueError("an authorisation cannot be its own parent")
        return self


class ListingImageRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")
    face: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,31}$")] = "front"
    file: str


class ListingFields(Record):
    """A listing as the API carries it; reference images are uploaded one by one."""

    merchant_id: RefId
    brand_id: RefId
    category_id: RefId
    title: Text
    title_zh: str | None = None
    gtins: Annotated[list[Gtin], BeforeValidator(_split_list), Field(min_length=1)]
    attributes: dict[str, Any] = Field(default_factory=dict)
    unit_weight_mg: Milligrams = Field(alias="unit_weight_g")
    weight_tolerance_mg: Milligrams = Field(alias="weight_tolerance_g")
    requires_serial: bool = False
    requires_expiry: bool = False
    status: ListingStatus = ListingStatus.ACTIVE
    price_minor: int | None = Field(default=None, ge=0)
    currency: Currency | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ListingFields:
        if len(set(self.gtins)) != len(self.gtins):
            raise ValueError("the same GTIN is listed twice")
        if (self.price_minor is None) != (self.currency is None):
            raise ValueError("price_minor and currency go together")
        if self.unit_weight_mg == 0:
            raise ValueError("unit_weight_g must be more than 0")
        return self


class ListingRecord(ListingFields):
    """A listing as files carry it: reference images named by file path."""

    images: list[ListingImageRecord] = Field(default_factory=list)


class ShipmentLineRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")
    line_no: int = Field(ge=1)
    listing_id: RefId
    quantity: int = Field(ge=1, le=1_000_000)


class ShipmentRecord(Record):
    merchant_id: RefId
    warehouse_id: RefId
    carrier: str | None = None
    tracking_number: str | None = None
    s10_id: str | None = None
    status: ShipmentStatus = ShipmentStatus.ANNOUNCED
    expected_at: AwareDatetime | None = None
    lines: list[ShipmentLineRecord] = Field(min_length=1)

    @field_validator("s10_id")
    @classmethod
    def _s10(cls, value: str | None) -> str | None:
        return str(parse_s10(value)) if value else value

    @field_validator("tracking_number")
    @classmethod
    def _tracking(cls, value: str | None) -> str | None:
        if not value:
            return value
        value = value.replace(" ", "").upper()
        if not TRACKING.match(value):
            raise ValueError(
                f"{value!r} is not a tracking number: expected 6-40 letters, digits or dashes"
            )
        return value

    @model_validator(mode="after")
    def _unique_lines(self) -> ShipmentRecord:
        numbers = [line.line_no for line in self.lines]
        if len(set(numbers)) != len(numbers):
            raise ValueError("two lines have the same line_no")
        return self


RECORD_TYPES: dict[str, type[Record]] = {
    "warehouses": WarehouseRecord,
    "stations": StationRecord,
    "categories": CategoryRecord,
    "merchants": MerchantRecord,
    "brands": BrandRecord,
    "authorisations": AuthorisationRecord,
    "listings": ListingRecord,
    "shipments": ShipmentRecord,
}
