"""Simulated devices that speak the real bytes: scales and scanners over pseudo-terminals,
cameras as MJPEG over HTTP. Part of the product (demo, tests, bench screen), not test code.
"""
