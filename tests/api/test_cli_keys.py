"""`inbound-station apikey create/list/revoke` and `webhooks run --once`."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.main import create_app
from station.cli import app
from station.runtime import Runtime
from station.settings import load_settings

runner = CliRunner()


def run(*args: str, env: dict[str, str]):
    return runner.invoke(app, list(args), env=env)


def test_apikey_lifecycle_from_the_command_line(tmp_path: Path):
    env = {"INBOUND_STATION_DATA_DIR": str(tmp_path)}
    assert run("migrate", env=env).exit_code == 0, "migrate failed"
    created = run(
        "apikey",
        "create",
        "--name",
        "marketplace reader",
        "--scopes",
        "results:read,reference:read",
        "--warehouse",
        "WH1",
        env=env,
    )
    assert created.exit_code == 0, created.output
    token = created.stdout.strip().splitlines()[-1]
    prefix = token[:14]
    assert token.startswith("isk_") and prefix in created.stdout.splitlines()[0]
    bad = run("apikey", "create", "--name", "x", "--scopes", "results:write", env=env)
    assert bad.exit_code == 1 and "unknown scope(s) results:write" in str(bad.exception)
    runtime = Runtime.from_settings(load_settings(data_dir=str(tmp_path)))
    client = TestClient(create_app(runtime))
    assert client.get("/v1/feed", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    listed = run("apikey", "list", env=env).stdout
    assert prefix in listed and "WH1" in listed and "last used 20" in listed
    assert token[15:] not in listed  # the secret is never shown again
    assert run("apikey", "revoke", prefix, env=env).exit_code == 0
    assert client.get("/v1/feed", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert "revoked" in run("apikey", "list", env=env).stdout
    assert run("webhooks", "run", "--once", env=env).stdout.strip() == "0 deliveries attempted"
    runtime.close()
