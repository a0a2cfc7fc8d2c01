"""Unit verdicts (verdict.py) and supervisor review and overrides (service.py)."""
