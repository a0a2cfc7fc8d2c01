"""Lots, inspections and their evidence, check results, overrides and result events."""
