"""Reports: PDF per inspection and per lot, CSV export, merchant scorecards."""
