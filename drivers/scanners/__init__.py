"""Barcode scanners: serial/USB-CDC framing, AIM identifiers, HID keyboard-wedge decoding."""
