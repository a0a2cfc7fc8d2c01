"""The supervisor dashboard in a real browser: plots drawn, queue, search, live updates."""

from __future__ import annotations

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
    assert rows.count() == 6
    rows.first.locator("a").click()
    assert page.locator("[data-outcome=review]").count() == 1
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
    assert page.locator("tr[data-shipment]").count() >= 1
