"""Stations (bench PCs) and the devices attached to them."""
