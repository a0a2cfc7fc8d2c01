"""The supervisor dashboard in a real browser: plots drawn, queue, search, live updates."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import keep_screenshot, sign_in


def test_overview_draws_its_plots(page, live):
    sign_in(page, "sven")
    assert page.url == live.url + "/dashboard"
    plots = page.locator("svg.plot")
    assert plots.count() == 4
    # The rate line has a point per day, the reasons and classes have bars, the
    # throughput table has shaded cells: drawn, not empty placeholders.
    assert page.locator("svg[data-plot=rate] polyline.series").count() == 1
    assert page.locator("svg[data-plot=rate] circle").count() >= 25
    assert page.locator("svg[data-plot=bars] rect.bar").count() >= 4
    assert page.locator("svg[data-plot=heat] rect.cell").count() == 3 * 24
    box = page.locator("svg[data-plot=rate]").bounding_box()
    assert box["width"] > 300 and box["height"] > 100
    assert int(page.locator("[data-figure=queue]").inner_text()) == 6
    keep_screenshot(page, "dashboard")


def test_review_queue_opens_an_inspection_with_its_checks(page):
    sign_in(page, "sven")
    page.click("nav.tabs >> text=Review queue")
    rows = page.locator("tr[data-inspection]")
    expect(rows).to_have_count(6)
    rows.first.locator("a").click()
    expect(page.locator("[data-outcome=review]")).to_have_count(1)
    assert page.locator(".verdict").inner_text().strip().upper() == "NEEDS REVIEW"


def test_scorecard_by_station_and_search_by_merchant(page):
    sign_in(page, "sven")
    page.goto("/dashboard/scorecards?kind=station&id=HZ1-B02")
    assert page.locator("svg.plot").count() == 4
    assert page.locator("select[name=id]").input_value() == "HZ1-B02"
    keep_screenshot(page, "scorecard")
    page.goto("/dashboard/lots")
    page.fill("input[name=q]", "M08")
    page.press("input[name=q]", "Enter")
    expect(page).to_have_url(re.compile(r"q=M08"))
    assert page.locator("tr[data-shipment]").count() >= 1


def test_supervisor_overrides_a_unit_with_a_reason(page):
    sign_in(page, "sven")
    page.goto("/dashboard/review")
    first = page.locator("tr[data-inspection]").first
    inspection_id = first.get_attribute("data-inspection")
    first.locator("a").click()
    expect(page.locator("#decide")).to_be_visible()
    page.select_option("#decide select[name=verdict]", "fail")
    page.fill("#decide textarea[name=reason]", "Seal broken under the flap; photo 2 shows it")
    keep_screenshot(page, "review-decide")
    page.click("#decide button[type=submit]")
    expect(page.locator("#decide [role=status]")).to_have_count(1)
    assert page.locator(".verdict").get_attribute("data-verdict") == "fail"
    assert "Seal broken under the flap" in page.inner_text(
        ".card:has(h2:text('Supervisor decisions'))"
    )
    page.goto("/dashboard/review")
    assert page.locator(f"tr[data-inspection='{inspection_id}']").count() == 0
    assert page.locator("tr[data-inspection]").count() == 5


def test_dashboard_updates_live_when_a_unit_is_decided(page, live):
    """Server-sent events: the open overview changes without a reload."""
    from station.review.service import decide_unit
    from station.scorecards.lookups import review_queue

    sign_in(page, "sven")
    assert page.locator("[data-figure=queue]").inner_text() == "6"
    page.evaluate("window.__same_page = true")
    with live.site.runtime.db.transaction() as session:
        unit = review_queue(session)[0]
        decide_unit(session, unit.id, verdict="pass", reason="checked by hand", actor="sven")
    page.wait_for_function(
        "document.querySelector('[data-figure=queue]').textContent.trim() === '5'", timeout=10000
    )
    assert page.evaluate("window.__same_page") is True  # no reload happened
