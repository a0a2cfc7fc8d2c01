"""A site for screen tests: settings in a temp data dir, a migrated database with the
sample data and a few users. The sample is loaded once per session and copied."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from station.access.users import create_user
from station.db import migrate
from station.runtime import Runtime
from station.sample.history import make_history
from station.sample.load import load_sample
from station.settings import Settings, load_settings

PASSWORD = "correct horse 1"
# username -> (role, station)
PEOPLE = {
    "olga": ("operator", "HZ1-B01"),
    "omar": ("operator", "HZ1-B02"),
    "sven": ("supervisor", None),
    "ada": ("admin", None),
}


@dataclass
class Site:
    settings: Settings
    runtime: Runtime


def build_template(folder: Path, history: int = 0) -> Path:
    """Migrate and load the sample once into folder (database, evidence, images),
    plus `history` past inspections for the dashboard."""
    settings = load_settings(data_dir=str(folder))
    migrate.upgrade(settings.database_url)
    runtime = Runtime.from_settings(settings)
    load_sample(runtime.db, runtime.evidence, folder / "sample-images")
    with runtime.db.transaction() as session:
        for username, (role, station) in PEOPLE.items():
            create_user(
                session,
                username=username,
                role=role,
                password=PASSWORD,
                station_id=station,
                display_name=username.title(),
                actor="test",
            )
    if history:
        make_history(runtime.db, history, days=30, open_reviews=6)
    runtime.close()
    return folder


def open_site(template: Path, folder: Path, **overrides) -> Site:
    """A private copy of the template's database; evidence is shared (read-only)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(template / "station.db", folder / "station.db")
    settings = load_settings(
        data_dir=str(folder), evidence_dir=str(template / "evidence"), **overrides
    )
    return Site(settings=settings, runtime=Runtime.from_settings(settings))
