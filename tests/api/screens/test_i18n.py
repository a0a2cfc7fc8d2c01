"""Every label in English and Simplified Chinese; the language follows the browser and
the switch on every page."""

from __future__ import annotations

import re
import string
from html.parser import HTMLParser
from pathlib import Path

import pytest

from api.i18n import LANGUAGES, catalogue, negotiate
from tests.api.screens.conftest import sign_in

API = Path(__file__).resolve().parents[3] / "api"
TEMPLATES = sorted((API / "templates").rglob("*.html"))
SCRIPTS = sorted((API / "static").rglob("*.js"))
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
# t('key') in templates; msg("key") / data-msg keys in scripts.
USED_KEY = re.compile(r"""\bt\(\s*['"]([a-z0-9_.]+)['"]""")
SCRIPT_KEY = re.compile(r"""\bmsg\(\s*['"]([a-z0-9_.]+)['"]""")
TEXT_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}


def test_both_catalogues_have_the_same_keys_and_no_empty_message():
    keys = {lang: set(catalogue(lang)) for lang in LANGUAGES}
    assert keys["en"] == keys["zh"], keys["en"] ^ keys["zh"]
    for lang in LANGUAGES:
        assert all(v.strip() for v in catalogue(lang).values()), lang


def test_placeholders_agree_between_languages():
    fields = string.Formatter()
    for key, english in catalogue("en").items():
        names = {f for _, f, _, _ in fields.parse(english) if f}
        chinese = {f for _, f, _, _ in fields.parse(catalogue("zh")[key]) if f}
        assert names == chinese, key


def test_chinese_messages_are_chinese():
    # A copied English value in zh.json is an untranslated label.
    han = re.compile(r"[\u4e00-\u9fff]")
    untranslated = [k for k, v in catalogue("zh").items() if not han.search(v)]
    assert untranslated == [], untranslated


def test_every_key_used_by_templates_and_scripts_exists():
    used = set()
    for path in TEMPLATES:
        used |= set(USED_KEY.findall(path.read_text("utf-8")))
    for path in SCRIPTS:
        used |= set(SCRIPT_KEY.findall(path.read_text("utf-8")))
    assert used, "no keys found: the pattern is broken"
    known = set(catalogue("en"))
    # 'role.' ~ user.role: a prefix completed at run time; its values are checked below.
    prefixes = {k for k in used if k.endswith(".")}
    assert used - prefixes - known == set()
    for prefix in prefixes:
        assert any(k.startswith(prefix) for k in known), prefix


def test_run_time_completed_keys_exist_for_every_value():
    from station.access.models import Role

    needed = {f"role.{r.value}" for r in Role} | {f"language.{code}" for code in LANGUAGES}
    assert needed <= set(catalogue("en"))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        # Key caps (Enter, F2) read the same on every keyboard; code is data.
        if tag in ("script", "style", "kbd", "code"):
            self._skip += 1
        for name, value in attrs:
            if name in TEXT_ATTRIBUTES and value and _has_words(value):
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "kbd", "code"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and _has_words(data):
            self.found.append(data.strip())


def _has_words(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(API)))
def test_templates_have_no_untranslated_text(path):
    parser = _Text()
    parser.feed(JINJA.sub(" ", path.read_text("utf-8")))
    assert parser.found == []


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en-GB,en;q=0.9,zh;q=0.8", "en"),
        ("de-DE,zh-TW;q=0.5", "zh"),
        ("de-DE,fr;q=0.9", "en"),
        ("en;q=0.2, zh;q=0.7", "zh"),
        ("zh;q=0, en", "en"),
        ("", "en"),
        (None, "en"),
        ("garbage;;;q=x", "en"),
    ],
)
def test_accept_language_negotiation(header, expected):
    assert negotiate(header, "en") == expected


def test_login_page_follows_the_browser_and_the_switch(client):
    chinese = client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert "登录" in chinese.text and 'lang="zh-CN"' in chinese.text
    # The switch overrides the browser, and returns to the page it was clicked on.
    response = client.get("/lang/en?next=/login", follow_redirects=False)
    assert response.headers["location"] == "/login"
    client.cookies.set("lang", response.cookies["lang"])
    english = client.get("/login", headers={"Accept-Language": "zh-CN"})
    assert "Sign in" in english.text and "登录</h1>" not in english.text


def test_every_signed_in_screen_offers_the_switch_and_speaks_chinese(client):
    sign_in(client, "ada")
    client.cookies.set("lang", "zh")
    for path in ("/admin", "/admin/users", "/admin/stations", "/dashboard", "/bench"):
        page = client.get(path).text
        assert 'href="/lang/en?next=' in page and 'href="/lang/zh?next=' in page, path
        assert "退出登录" in page and "Sign out" not in page, path


def test_the_switch_never_sends_the_reader_off_site(client):
    response = client.get("/lang/zh?next=https://evil.example/", follow_redirects=False)
    assert response.headers["location"] == "/"
