"""The demo in a real browser: one inspection walked to a pass by clicking only the
simulated devices' panel and the bench screen's own controls (the count, YES, CONFIRM).
Scans, weights and photos travel from the simulators through the real drivers."""

from __future__ import annotations

import time

import pytest

from tests.e2e.conftest import RequestLog, guarded_context, keep_screenshot
from tests.support.demo import Demo

SHIPMENT, LABEL, UNITS = "ASN-20261124", "EE729871127CN", 8  # earbuds, serialised
STEP_S = 45.0  # one device's reading reaching the screen, on a busy machine


@pytest.fixture
def demo(tmp_path):
    running = Demo(tmp_path / "demo")
    running.wait_healthy()
    yield running
    code = running.interrupt()
    assert code in (0, 130) and "Traceback" not in running.stop_output(), running.output()


def steps(page) -> int:
    return int(page.locator(".panel").get_attribute("data-steps"))


def click_and_wait(page, locator) -> None:
    """Click, then wait until the bench has taken a step (what the device did)."""
    before = steps(page)
    locator.click()
    deadline = time.monotonic() + STEP_S
    while steps(page) <= before:
        assert time.monotonic() < deadline, f"nothing happened after {locator}"
        page.wait_for_timeout(100)


def test_one_inspection_to_a_pass_by_the_simulated_devices_panel(browser, demo):
    log = RequestLog()
    context = guarded_context(browser, log, demo.url)
    page = context.new_page()
    page.goto("/login")
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", "demo-operator")
    page.click("button[type=submit]")
    page.wait_for_url("**/bench")
    panel = page.locator("#simulated-devices")
    page.wait_for_selector(".device[data-kind=camera][data-state=ready]", timeout=STEP_S * 1000)
    # The panel sits beside the step panel, never over it.
    steps_box, panel_box = page.locator(".step-panel").bounding_box(), panel.bounding_box()
    assert panel_box["x"] >= steps_box["x"] + steps_box["width"]

    click_and_wait(page, panel.locator(f'[data-sim=scan][data-value="{LABEL}"]'))
    page.wait_for_selector(".panel[data-phase=counting]", timeout=STEP_S * 1000)
    page.fill("input[name=quantity]", str(UNITS))
    page.keyboard.press("Enter")
    page.wait_for_selector(".panel[data-phase=inspecting]", timeout=STEP_S * 1000)
    assert SHIPMENT in page.locator(".context").inner_text()

    photos = 0
    for _ in range(40):
        if page.locator(".verdict-box").count():
            break
        now = page.locator(".step-now").get_attribute("data-step")
        if now in ("scan", "serial"):
            target = panel.locator("[data-sim=scan]:not(.sim-wrong)").first
        elif now == "weight":
            target = panel.locator("[data-sim=place].sim-expected")
        elif now.startswith("photo:"):
            target = panel.locator("[data-sim=photo].sim-right")
        else:  # a checklist question: the screen's own YES
            target = page.locator("[data-answer=yes]")
        click_and_wait(page, target)
        photos = max(photos, page.locator(".photo-row figure.photo:not(.reference) img").count())
    verdict = page.locator(".verdict-box")
    assert verdict.get_attribute("data-verdict") == "pass", verdict.inner_text()
    keep_screenshot(page, "demo-panel-pass")
    # The weight came from the simulated scale, the photos from the simulated camera.
    assert "104.0" in page.locator('[data-weight="scale"]').inner_text()
    assert photos == 3  # front, back and label

    # Ctrl-C with the bench screen still open (its live streams too): a clean stop.
    assert demo.interrupt() in (0, 130)
    stopping = demo.stop_output()
    assert "Traceback" not in stopping and "ERROR" not in stopping, demo.output()
    context.close()
    assert log.outside == []
