"""A full bench flow in a real browser, driven by simulated devices: parcel scan,
count, units through scale, camera and checklist to their verdicts, lot closed."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from station.inspection.models import Inspection, Lot, Verdict
from station.workflow.simulated import camera_frames
from tests.e2e.bench_flow import (
    WAIT_MS,
    devices_ready,
    listing,
    parcel_for,
    scenario,
    unit_by_scanner,
)
from tests.e2e.conftest import guarded_context, keep_screenshot, sign_in


def _next_verdict(page, seen: set[str]) -> str:
    """The verdict of the unit just finished (one not seen before)."""
    known = ", ".join(f"[data-inspection='{i}']" for i in seen) or "[data-none]"
    box = page.wait_for_selector(f".verdict-box:not({known})", timeout=WAIT_MS)
    seen.add(box.get_attribute("data-inspection"))
    return box.get_attribute("data-verdict")


def test_parcel_to_verdicts_with_the_scanner_scale_and_camera(browser, bench_live, requests_made):
    live, devices = bench_live
    ctx = guarded_context(browser, requests_made, live.url)
    page = ctx.new_page()
    sign_in(page, "olga", station="HZ1-B01")
    devices_ready(page)
    keep_screenshot(page, "bench-idle")
    label, listing_id = parcel_for("WH-HZ1", scenario("pass"), serial=False)
    devices.scanner.scan(label, aim="]C0")
    page.wait_for_selector("[data-phase=counting]", timeout=WAIT_MS)
    page.fill("input[name=quantity]", "2")  # two units arrived: the sample is both
    page.press("input[name=quantity]", "Enter")
    page.wait_for_selector("[data-phase=inspecting]", timeout=WAIT_MS)
    seen: set[str] = set()
    for unit in (1, 2):
        unit_by_scanner(page, devices, listing_id)
        assert _next_verdict(page, seen) == "pass"
        assert page.evaluate("document.body.dataset.lastSound") == "pass"
        if unit == 1:
            keep_screenshot(page, "bench-verdict-pass")
    page.wait_for_selector("[data-phase=lot_complete]", timeout=WAIT_MS)
    devices.scanner.scan("ISCMD:CONFIRM")
    # Any further line did not arrive: the operator skips its count with a reason card.
    while not page.locator("[data-phase=idle]").count():
        page.wait_for_selector("[data-phase=counting], [data-phase=idle]", timeout=WAIT_MS)
        if page.locator("[data-phase=counting]").count():
            steps = page.locator(".panel").get_attribute("data-steps")
            devices.scanner.scan("ISCMD:SKIP:NOT_APPLICABLE")
            page.wait_for_selector(f".panel:not([data-steps='{steps}'])", timeout=WAIT_MS)
    with live.site.runtime.db.session() as session:
        lot = session.scalar(select(Lot).where(Lot.listing_id == listing_id))
        mine = session.scalars(
            select(Inspection).where(Inspection.lot_id == lot.id).order_by(Inspection.unit_no)
        ).all()
        assert [u.verdict for u in mine] == [Verdict.PASS, Verdict.PASS]
        assert all(len(u.photos) >= 2 and u.weights for u in mine)
        expected_mg = listing(listing_id)["unit_weight_g"] * 1000
        assert abs(mine[0].weights[0].value_mg - expected_mg) < 1000
    ctx.close()


def test_a_failing_unit_by_keyboard_shows_its_reasons(browser, bench_live, requests_made):
    """No mouse: the parcel code typed, the count typed, product code and serial typed,
    checklist answered with F5; the suspended merchant fails the unit."""
    live, devices = bench_live
    ctx = guarded_context(browser, requests_made, live.url)
    page = ctx.new_page()
    sign_in(page, "olga", station="HZ1-B01")
    devices_ready(page)
    label, listing_id = parcel_for("WH-HZ1", scenario("suspended_merchant"))
    page.keyboard.type(label)
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-phase=counting]", timeout=WAIT_MS)
    page.keyboard.type("1")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-phase=inspecting]", timeout=WAIT_MS)
    item = listing(listing_id)
    page.keyboard.type(item["gtins"][0])
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-step=scan][data-status=done]", timeout=WAIT_MS)
    assert item.get("requires_serial")
    # Half the serial typed, the item put on the scale meanwhile: its reading redraws the
    # panel, and what was typed stays in the field.
    page.keyboard.type("SN-TEST-")
    devices.scale.place(item["unit_weight_g"])
    page.wait_for_selector("[data-step=weight][data-status=done]", timeout=WAIT_MS)
    assert page.locator("[data-entry]").input_value() == "SN-TEST-"
    page.keyboard.type("0001")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-step=serial][data-status=done]", timeout=WAIT_MS)
    for step in page.eval_on_selector_all(
        "[data-step^='photo:']", "e => e.map(x => x.dataset.step)"
    ):
        # The item lies face up under the camera (the quality gate turns down an empty mat).
        devices.camera.show(camera_frames(item, step.split(":", 1)[1]))
        page.wait_for_timeout(250)  # the camera's next frames show the item
        page.keyboard.press("Enter")  # Enter on an empty field takes the photo
        page.wait_for_selector(f'[data-step="{step}"][data-status=done]', timeout=WAIT_MS)
    while page.locator("[data-answer=yes]").count():
        before = page.locator("[data-status=done]").count()
        page.keyboard.press("F5")
        page.wait_for_function(
            f"document.querySelectorAll('[data-status=done]').length > {before}"
            " || !document.querySelector('[data-answer]')",
            timeout=WAIT_MS,
        )
    box = page.wait_for_selector(".verdict-box[data-verdict=fail]", timeout=WAIT_MS)
    reasons = box.inner_text()
    assert "suspended" in reasons.lower()
    assert page.evaluate("document.body.dataset.lastSound") == "fail"
    keep_screenshot(page, "bench-verdict-fail")
    page.click("a[data-lang=zh]")
    # The switch loads the page again: wait for the Chinese one, not the English still shown.
    box = page.locator(".verdict-box[data-verdict=fail]")
    expect(box).to_contain_text("不合格", timeout=WAIT_MS)
    assert "暂停" in box.inner_text()
    keep_screenshot(page, "bench-verdict-fail-zh")
    ctx.close()
    with live.site.runtime.db.session() as session:
        typed = Inspection.serial.in_(["SN-TEST-0001", "SN-TEST-", "0001"])
        assert list(session.scalars(select(Inspection.serial).where(typed))) == ["SN-TEST-0001"]
