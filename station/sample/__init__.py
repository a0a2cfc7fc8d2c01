"""Sample data for the demo and the tests: reference records made for this project, and
listing artwork rendered by code (no real brand artwork anywhere)."""
