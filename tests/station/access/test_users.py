"""Users: validated, stored as Argon2 hashes, audited; the CLI makes the first admin."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from station.access.models import User
from station.access.passwords import hash_password, verify_password
from station.access.users import InvalidUser, authenticate, create_user, update_user
from station.audit.models import AuditEntry
from station.fleet.models import Station
from station.reference.models import Warehouse


@pytest.fixture
def bench(db):
    with db.transaction() as session:
        session.add(Warehouse(id="WH1", name="Hub"))
        session.flush()
        session.add(Station(id="B1", warehouse_id="WH1", name="Bench 1"))
    return db


def test_password_is_stored_as_argon2id_and_verified(bench):
    with bench.transaction() as session:
        create_user(session, username="ann", role="operator", password="s3cret-pass", actor="t")
    with bench.session() as session:
        user = session.scalar(select(User).where(User.username == "ann"))
        assert user.password_hash.startswith("$argon2id$") and "s3cret" not in user.password_hash
        assert authenticate(session, "ann", "s3cret-pass").id == user.id
        assert authenticate(session, "ann", "s3cret-pasS") is None
        assert authenticate(session, "nobody", "s3cret-pass") is None
        actions = session.scalars(select(AuditEntry.action)).all()
        assert "user.create" in actions


def test_a_broken_hash_is_a_wrong_password_not_a_crash():
    assert verify_password("not-a-hash", "x") is False
    assert verify_password(None, "x") is False
    assert verify_password(hash_password("abc"), "abc") is True


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": "a b"}, "username 'a b'"),
        ({"role": "boss"}, "role 'boss' is not one of operator, supervisor, admin"),
        ({"password": "short"}, "password: at least 8 characters"),
        ({"station_id": "B9"}, "station 'B9' does not exist"),
        ({"locale": "fr"}, "locale 'fr'"),
    ],
)
def test_bad_fields_are_named(bench, fields, message):
    given = {"username": "bob", "role": "operator", "password": "long enough", **fields}
    with pytest.raises(InvalidUser, match=message), bench.transaction() as session:
        create_user(session, actor="t", **given)
    with bench.session() as session:
        assert session.scalar(select(User).where(User.username == given["username"])) is None


def test_duplicate_username_is_refused(bench):
    with bench.transaction() as session:
        create_user(session, username="cy", role="admin", password="long enough", actor="t")
    with pytest.raises(InvalidUser, match="already taken"), bench.transaction() as session:
        create_user(session, username="cy", role="admin", password="long enough", actor="t")


def test_disabled_users_cannot_sign_in_and_changes_are_audited(bench):
    with bench.transaction() as session:
        user = create_user(
            session, username="di", role="operator", password="long enough", actor="t"
        )
        update_user(session, user.id, actor="boss", active=False, station_id="B1")
    with bench.session() as session:
        assert authenticate(session, "di", "long enough") is None
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "user.update")).one()
        assert entry.actor == "boss" and entry.detail == {"station_id": "B1", "active": False}


def test_cli_creates_the_first_admin_from_stdin(tmp_path: Path):
    command = str(Path(sys.executable).parent / "inbound-station")
    env = {"INBOUND_STATION_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run([command, "migrate"], env=env, check=True, capture_output=True)

    def create(*args, password="first admin pw"):
        return subprocess.run(
            [command, "user", "create", *args, "--password-stdin"],
            input=password + "\n",
            env=env,
            capture_output=True,
            text=True,
        )

    done = create("--username", "it-admin", "--role", "admin")
    assert done.returncode == 0, done.stderr
    assert "user it-admin created with role admin" in done.stdout
    refused = create("--username", "op", "--role", "operator", "--station", "B7")
    assert refused.returncode == 1 and "station 'B7' does not exist" in refused.stderr
    assert "Traceback" not in refused.stderr
    listed = subprocess.run(
        [command, "user", "list"], env=env, capture_output=True, text=True, check=True
    )
    assert "it-admin\tadmin" in listed.stdout and "op\t" not in listed.stdout


def test_cli_if_missing_leaves_an_existing_user_alone(tmp_path: Path):
    command = str(Path(sys.executable).parent / "inbound-station")
    env = {"INBOUND_STATION_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run([command, "migrate"], env=env, check=True, capture_output=True)
    args = [command, "user", "create", "--username", "boss", "--role", "admin",
            "--password-stdin", "--if-missing"]  # fmt: skip
    first = subprocess.run(args, input="first password\n", env=env, capture_output=True, text=True)
    again = subprocess.run(args, input="other password\n", env=env, capture_output=True, text=True)
    assert first.returncode == 0 and again.returncode == 0
    assert "exists; left as it is" in again.stdout
