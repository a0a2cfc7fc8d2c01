"""Screens through FastAPI's TestClient on a copy of the sample site."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from tests.support.site import PASSWORD, Site, build_template, open_site


@pytest.fixture(scope="session")
def site_template(tmp_path_factory):
    return build_template(tmp_path_factory.mktemp("site-template"), history=600)


@pytest.fixture
def site(site_template, tmp_path) -> Iterator[Site]:
    opened = open_site(site_template, tmp_path / "site")
    yield opened
    opened.runtime.close()


@pytest.fixture
def client(site) -> TestClient:
    return TestClient(create_app(site.runtime))


def csrf_of(page_text: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page_text).group(1)


def sign_in(client: TestClient, username: str, station: str = "", password: str = PASSWORD):
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/login",
        data={"username": username, "password": password, "station": station, "csrf_token": token},
        follow_redirects=False,
    )
