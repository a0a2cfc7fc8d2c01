"""Every command in the README runs, as a reader would run it against the demo.

The README's ```sh blocks are run one by one with bash (-e: a failing line fails the
block) against a server started like `make demo` (sample data, its own data folder and
port); `make ...` lines are checked with `make -n`, since running them would nest this
very suite. The ```python block (webhook signature check) is run against deliveries
signed by the product's own webhook signer.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.support.ports import free_port

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
VENV = Path(sys.executable).parent.parent
COMMAND = str(VENV / "bin" / "inbound-station")
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)


def blocks(language: str) -> list[tuple[int, str]]:
    text = README.read_text(encoding="utf-8")
    return [
        (text[: m.start()].count("\n") + 1, m.group(2))
        for m in FENCE.finditer(text)
        if m.group(1) == language
    ]


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INBOUND_STATION_")}
    env["INBOUND_STATION_DATA_DIR"] = str(data_dir)
    env["PATH"] = f"{VENV / 'bin'}:{env.get('PATH', '')}"
    # The README's autopilot line would spend minutes on visual checks on two cores;
    # they have their own tests (tests/station/workflow/test_visual_bench.py).
    env["INBOUND_STATION_MATCHING__ENABLED"] = "false"
    return env


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo as `make demo` leaves it: sample data loaded, a server listening."""
    data_dir = tmp_path_factory.mktemp("demo-data")
    env = _env(data_dir)
    for step in (["migrate"], ["sample", "load"]):
        done = subprocess.run([COMMAND, *step], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    port = free_port()
    server = subprocess.Popen(
        [COMMAND, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    else:
        server.kill()
        pytest.fail("the demo server did not answer /health: " + (server.stdout.read() or ""))
    yield data_dir, port
    server.terminate()
    server.wait(timeout=30)


def _is_make(block: str) -> bool:
    lines = [line for line in block.splitlines() if line.strip()]
    return bool(lines) and all(line.startswith("make ") for line in lines)


SHELL_BLOCKS = [(line, block) for line, block in blocks("sh") if not _is_make(block)]
MAKE_BLOCKS = [(line, block) for line, block in blocks("sh") if _is_make(block)]

# What a reader should see from a block, by a command it contains.
EXPECTED = {
    "inbound-station autopilot --count 3": ["3 inspections, 3 as expected"],
    "inbound-station identify 4006381333931": ["gtin"],
    "webhook-subscriptions": ['"secret"', "check digit"],
    "/health": ['"role"'],
    "/metrics": ["inbound_station_info", "inbound_station_inspections_last_hour"],
    "inbound-station backup": ["integrity check ok", "0 failed"],
}


def test_readme_has_its_commands():
    assert MAKE_BLOCKS and MAKE_BLOCKS[0][0] < 5, "the two commands come first"
    first = MAKE_BLOCKS[0][1]
    assert "make demo" in first and "make test" in first
    assert len(SHELL_BLOCKS) >= 3 and blocks("python")


@pytest.mark.parametrize("line,block", MAKE_BLOCKS, ids=[f"line{n}" for n, _ in MAKE_BLOCKS])
def test_make_commands_exist(line, block):
    for command in block.splitlines():
        words = command.split("#")[0].split()
        if not words:
            continue
        dry = subprocess.run(
            ["make", "-n", *words[1:]], cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        assert dry.returncode == 0, f"README line {line}: {command}\n{dry.stderr}"
        assert "scripts/setup.sh" in dry.stdout, f"{command} does not set up first"


@pytest.mark.parametrize("line,block", SHELL_BLOCKS, ids=[f"line{n}" for n, _ in SHELL_BLOCKS])
def test_shell_block_runs_against_the_demo(demo, tmp_path, line, block):
    data_dir, port = demo
    (tmp_path / ".venv").symlink_to(VENV)
    script = block.replace("127.0.0.1:8000", f"127.0.0.1:{port}").replace(
        "$PWD/var/demo", str(data_dir)
    )
    run = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=tmp_path,
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, f"README block at line {line} failed:\n{output}"
    for marker, wanted in EXPECTED.items():
        if marker in block:
            for text in wanted:
                assert text in output, f"README line {line}: expected {text!r} in\n{output}"


def test_webhook_verification_example_accepts_real_signatures_only():
    from station.webhooks.signing import new_secret, signed_headers

    (line, code), *_ = blocks("python")
    namespace: dict = {}
    exec(compile(code, f"README.md:{line}", "exec"), namespace)
    verify = namespace["verify"]
    secret = new_secret()
    body = b'{"type": "inspection.completed"}'
    now = datetime.now(UTC)
    headers = signed_headers(secret, "msg_1", now, body)
    assert verify(secret, headers, body)
    assert not verify(secret, headers, body.replace(b"completed", b"overridden"))
    other = new_secret()
    assert not verify(other, headers, body)
    stale = signed_headers(secret, "msg_1", now - timedelta(minutes=10), body)
    assert not verify(secret, stale, body)


def test_readme_links_resolve():
    text = README.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)\)", text):
        if target.startswith("http"):
            continue
        assert (ROOT / target).exists(), f"README links to {target}, which does not exist"


def test_every_command_in_the_table_exists():
    table = README.read_text(encoding="utf-8").split("| command | does | more |")[1]
    names = set()
    for row in table.split("\n\n")[0].splitlines()[2:]:
        for cell in re.findall(r"`([a-z][a-z -]*?)(?: [\[A-Z-].*?)?`", row.split("|")[1]):
            names.add(cell.split()[0])
    assert len(names) >= 15
    listed = subprocess.run([COMMAND, "--help"], capture_output=True, text=True, env=_env(ROOT))
    assert listed.returncode == 0, listed.stderr
    known = set(re.findall(r"^[│|]\s+([a-z][a-z-]*)\s", listed.stdout, re.M))
    assert names <= known, f"the README names commands that do not exist: {names - known}"
