"""Station -> central sync: the outbox, central's ingest, the worker, the reference pull."""
