"""Signing in, roles, one station per operator, signed sessions and CSRF on every POST."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Route

from api.main import create_app
from api.screens import SCREENS
from tests.api.screens.conftest import csrf_of, sign_in


@pytest.mark.parametrize("path", ["/", "/bench", "/dashboard", "/admin", "/admin/users"])
def test_screens_send_strangers_to_login(client, path):
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
    if path != "/":
        assert response.headers["location"] == f"/login?next={path}"


def test_api_health_and_static_files_are_outside_the_gate(client):
    assert client.get("/health").status_code == 200
    assert client.get("/static/screens.css").status_code == 200
    # The marketplace API answers for itself (keys, not sessions): never a login redirect.
    response = client.get("/v1/no-such-thing", follow_redirects=False)
    assert response.status_code != 303 and "location" not in response.headers


def test_wrong_password_is_refused_with_a_message(client):
    response = sign_in(client, "sven", password="wrong password")
    assert response.status_code == 401
    assert "User name or password is wrong" in response.text
    assert client.get("/dashboard", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(
    ("username", "station", "landing", "opens", "refused"),
    [
        ("olga", "HZ1-B01", "/bench", ["/bench"], ["/dashboard", "/admin", "/admin/users"]),
        ("sven", "", "/dashboard", ["/dashboard", "/bench"], ["/admin", "/admin/stations"]),
        ("ada", "", "/admin", ["/admin", "/admin/users", "/dashboard", "/bench"], []),
    ],
)
def test_each_role_opens_its_screens(client, username, station, landing, opens, refused):
    response = sign_in(client, username, station)
    assert response.status_code == 303 and response.headers["location"] == landing
    assert client.get("/", follow_redirects=False).headers["location"] == landing
    for path in opens:
        assert client.get(path).status_code == 200, path
    for path in refused:
        page = client.get(path)
        assert page.status_code == 403, path
        assert "Your role does not open this screen" in page.text


def test_login_returns_to_the_page_asked_for_but_never_off_site(client):
    token = csrf_of(client.get("/login?next=/admin/stations").text)
    form = {"username": "ada", "password": "correct horse 1", "csrf_token": token}
    response = client.post(
        "/login", data={**form, "next": "//evil.example/x"}, follow_redirects=False
    )
    assert response.headers["location"] == "/admin"
    client.cookies.clear()
    token = csrf_of(client.get("/login").text)
    form["csrf_token"] = token
    response = client.post(
        "/login", data={**form, "next": "/admin/stations"}, follow_redirects=False
    )
    assert response.headers["location"] == "/admin/stations"


def test_an_operator_must_choose_a_station_and_works_at_one_at_a_time(site):
    first, second = TestClient(create_app(site.runtime)), TestClient(create_app(site.runtime))
    assert sign_in(first, "olga", "HZ1-B01").status_code == 303
    page = first.get("/bench")
    assert page.status_code == 200 and "HZ1-B01" in page.text
    # Signing in at another bench moves olga there and ends the first session.
    assert sign_in(second, "olga", "HZ1-B02").status_code == 303
    assert "HZ1-B02" in second.get("/bench").text
    assert first.get("/bench", follow_redirects=False).headers["location"] == "/login?next=/bench"
    # A station that does not exist is refused.
    third = TestClient(create_app(site.runtime))
    response = sign_in(third, "olga", "NOPE-1")
    assert response.status_code == 400 and "Choose the station" in response.text


def test_a_disabled_user_is_signed_out_at_the_next_request(site, client):
    from sqlalchemy import select

    from station.access.models import User

    sign_in(client, "sven")
    assert client.get("/dashboard").status_code == 200
    with site.runtime.db.transaction() as session:
        session.scalar(select(User).where(User.username == "sven")).active = False
    assert client.get("/dashboard", follow_redirects=False).status_code == 303
    assert sign_in(client, "sven").status_code == 401


def test_a_tampered_session_cookie_is_not_a_session(client):
    sign_in(client, "ada")
    value = client.cookies.get("inbound_session")
    client.cookies.set("inbound_session", value[:-3] + ("AAA" if value[-3:] != "AAA" else "BBB"))
    assert client.get("/admin", follow_redirects=False).status_code == 303


def test_sessions_signed_with_another_key_are_refused(site_template, tmp_path):
    from tests.support.site import open_site

    one = open_site(site_template, tmp_path / "one", web={"secret_key": "k" * 40})
    two = open_site(site_template, tmp_path / "two", web={"secret_key": "z" * 40})
    a, b = TestClient(create_app(one.runtime)), TestClient(create_app(two.runtime))
    sign_in(a, "ada")
    b.cookies.set("inbound_session", a.cookies.get("inbound_session"))
    assert b.get("/admin", follow_redirects=False).status_code == 303
    one.runtime.close()
    two.runtime.close()


def test_every_screen_post_refuses_a_missing_or_wrong_csrf_token(client):
    sign_in(client, "ada")
    posts = [
        route.path
        for screen in SCREENS
        for route in screen.router.routes
        if isinstance(route, Route) and "POST" in route.methods
    ]
    assert {"/login", "/logout", "/admin/users", "/admin/stations"} <= set(posts)
    for path in posts:
        url = path.replace("{user_id}", "0190b7c2-0000-7000-8000-000000000000").replace(
            "{station_id}", "HZ1-B01"
        )
        for token in (None, "not-the-token"):
            data = {"csrf_token": token} if token else {}
            response = client.post(url, data=data, follow_redirects=False)
            assert response.status_code == 403, (path, token)
    # Still signed in: the refused sign-out did nothing.
    assert client.get("/admin").status_code == 200


def test_sign_out_ends_the_session(client):
    sign_in(client, "ada")
    page = client.get("/admin")
    client.post("/logout", data={"csrf_token": csrf_of(page.text)})
    assert client.get("/admin", follow_redirects=False).status_code == 303


def test_admin_overview_counts_what_the_database_holds(client):
    sign_in(client, "ada")
    page = client.get("/admin").text
    for text in (
        "24</span> merchants",
        "15</span> brands",
        "100</span> listings",
        "34</span> shipments",
        "3</span> stations",
        "4</span> users",
    ):
        assert text in page


def test_admin_adds_a_user_who_can_then_sign_in(site, client):
    sign_in(client, "ada")
    token = csrf_of(client.get("/admin/users").text)
    form = {
        "csrf_token": token,
        "username": "nina",
        "display_name": "Nina",
        "role": "supervisor",
        "station": "",
        "locale": "zh",
        "password": "nina's password",
    }
    response = client.post("/admin/users", data=form, follow_redirects=False)
    assert response.headers["location"] == "/admin/users?done=user.created"
    refused = client.post("/admin/users", data={**form, "password": "short"})
    assert refused.status_code == 400 and "already taken" in refused.text
    other = TestClient(create_app(site.runtime))
    assert sign_in(other, "nina", password="nina's password").headers["location"] == "/dashboard"


def test_an_admin_cannot_lock_themselves_out(site, client):
    from sqlalchemy import select

    from station.access.models import User

    sign_in(client, "ada")
    with site.runtime.db.session() as session:
        ada = session.scalar(select(User).where(User.username == "ada"))
    token = csrf_of(client.get("/admin/users").text)
    page = client.post(
        f"/admin/users/{ada.id}", data={"csrf_token": token, "role": "operator", "active": "on"}
    )
    assert page.status_code == 400 and "your own admin role" in page.text
    assert client.get("/admin").status_code == 200


def test_admin_adds_and_renames_a_station(client):
    sign_in(client, "ada")
    token = csrf_of(client.get("/admin/stations").text)
    form = {"csrf_token": token, "station_id": "HZ1-B03", "warehouse": "WH-HZ1", "name": "Bench 3"}
    assert client.post("/admin/stations", data=form, follow_redirects=False).status_code == 303
    bad = client.post("/admin/stations", data={**form, "station_id": "X9", "warehouse": "WH-NO"})
    assert bad.status_code == 400 and "warehouse &#39;WH-NO&#39; does not exist" in bad.text
    client.post(
        "/admin/stations/HZ1-B03",
        data={"csrf_token": token, "warehouse": "WH-HZ1", "name": "Packing bench"},
    )
    page = client.get("/admin/stations").text
    assert 'data-station="HZ1-B03"' in page and 'value="Packing bench"' in page
