"""Lots: one per ASN line; plan (station.sampling), decision, disposition."""
