"""Reference data from the marketplace: merchants, brands, authorisations, categories,
listings and shipment notices, keyed by the marketplace's own ids."""
