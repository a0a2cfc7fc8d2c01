"""The bench in a real browser."""

from __future__ import annotations

import cv2
import numpy as np
import zxingcpp

from api.screens.commands import card
from tests.e2e.conftest import keep_screenshot, sign_in


def test_the_printed_command_card_scans_back_to_every_command(page):
    sign_in(page, "olga", station="HZ1-B01")
    page.goto("/bench/commands")
    figures = page.locator("figure.command")
    assert figures.count() == len(card())
    read = set()
    for i in range(figures.count()):
        png = figures.nth(i).locator("svg").screenshot()
        image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
        read |= {symbol.text for symbol in zxingcpp.read_barcodes(image)}
    assert read == {command.text for command in card()}
    keep_screenshot(page, "command-card")
