"""The one list of OpenAPI tags; operation ids are `<tag>-<function name>`."""

from enum import StrEnum


class Tag(StrEnum):
    REFERENCE = "reference"
    RESULTS = "results"
    FEED = "feed"
    WEBHOOKS = "webhooks"
    SYNC = "sync"


DESCRIPTIONS = {
    Tag.REFERENCE: "Reference data in: merchants, brands, authorisations, categories, listings "
    "with their images, shipment notices (ASNs), warehouses and stations. PUT with the "
    "marketplace's own ids; ETag / If-Match for safe concurrent updates; NDJSON bulk loads.",
    Tag.RESULTS: "Inspection results and lots, with their evidence (photos, weights, scans).",
    Tag.FEED: "Every verdict, override and lot decision in order, resumable from a cursor.",
    Tag.WEBHOOKS: "Subscriptions, the delivery log and redelivery. Deliveries are signed per "
    "the Standard Webhooks specification.",
    Tag.SYNC: "Station to central: outbox records and evidence photos in (by content hash, "
    "resumable), reference data out. Keys with scope station:sync.",
}
