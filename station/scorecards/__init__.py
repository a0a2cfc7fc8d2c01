"""Statistics for supervisors: pass rates, failure reasons, defect classes and
throughput, by merchant, brand, category or station; plus look-ups by identifier."""
