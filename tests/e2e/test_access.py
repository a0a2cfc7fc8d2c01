"""In a real browser: signing in by role, the language switch, and a closed network."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import guarded_context, keep_screenshot, sign_in


def test_sign_in_by_role_lands_on_each_screen(page, live, requests_made):
    page.goto("/dashboard")
    assert page.url.endswith("/login?next=/dashboard")
    keep_screenshot(page, "login")
    sign_in(page, "sven")
    assert page.url == live.url + "/dashboard"
    page.goto("/admin")
    assert page.locator("[role=alert]").inner_text() == "Your role does not open this screen."
    page.goto("/dashboard")
    page.click("text=Sign out")
    expect(page).to_have_url(re.compile(r"/login"))
    sign_in(page, "ada")
    assert page.url == live.url + "/admin"
    page.click("nav.tabs >> text=Users")
    expect(page.locator("tr[data-username=olga]")).to_have_count(1)
    keep_screenshot(page, "admin-users")
    assert requests_made.seen, "the request log saw nothing: the guard is not installed"


def test_wrong_password_and_operator_without_station(page):
    sign_in(page, "olga", password="not her password")
    assert "User name or password is wrong" in page.locator("[role=alert]").inner_text()
    sign_in(page, "olga", station="")
    # olga's account names her bench, so no choice is needed; an unknown user gets nothing.
    assert page.url.endswith("/bench")


def test_language_follows_the_browser_and_the_switch(browser, live, requests_made):
    ctx = guarded_context(browser, requests_made, live.url, locale="zh-CN")
    page = ctx.new_page()
    page.goto("/login")
    assert page.locator("h1").inner_text() == "登录"
    keep_screenshot(page, "login-zh")
    page.click("a[data-lang=en]")
    expect(page.locator("h1")).to_have_text("Sign in")
    expect(page).to_have_url(re.compile(r"/login$"))
    sign_in(page, "ada")
    page.click("a[data-lang=zh]")
    expect(page.locator("h1")).to_have_text("系统管理")
    expect(page.locator("button:has-text('退出登录')")).to_have_count(1)
    ctx.close()
    assert requests_made.outside == []


def test_the_guard_catches_a_request_for_another_host(page, requests_made):
    # Proves the closed-network check can fail: an outside address is blocked and logged.
    page.set_content('<img src="http://198.51.100.7/pixel.png">')
    page.wait_for_timeout(200)
    assert requests_made.outside == ["http://198.51.100.7/pixel.png"]
    requests_made.outside.clear()
