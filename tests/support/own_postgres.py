"""A PostgreSQL server of the test's own (initdb in a temporary folder, a free port), so
a test can restart or crash it for real without touching the shared server the other
tests use at the same time. Its programs come from the installed PostgreSQL
(/usr/lib/postgresql/N/bin); as root they run as the postgres user, as PostgreSQL
refuses to run as root."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from tests.support import postgres
from tests.support.ports import free_port


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


class OwnPostgres:
    def __init__(self) -> None:
        bin_dir = _bin_dir()
        if bin_dir is None:
            reason = "PostgreSQL's server programs (initdb, pg_ctl) are not installed"
            if postgres.in_ci():
                pytest.fail(f"{reason} (CI=true: this test must run)", pytrace=False)
            pytest.skip(reason)
        self.bin = bin_dir
        self.as_root = os.geteuid() == 0
        # Not under pytest's tmp_path: the postgres user must be able to reach it.
        self.folder = Path(tempfile.mkdtemp(prefix="inbound-own-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        if self.as_root:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "--no-sync", "-E", "UTF8")  # fmt: skip
        self.start()

    @property
    def server_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def database_url(self, name: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"),
                  "-o", options, "-w", "-t", "60", "start")  # fmt: skip

    def restart(self, mode: str = "immediate", down_s: float = 0.0) -> None:
        """Stop (immediate: as a crash, recovery at the next start), stay down for
        `down_s` seconds, and start again."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")
        time.sleep(down_s)
        self.start()

    def copy_database(self, source_url: str, name: str) -> str:
        """A copy of a database of the shared server (schema and rows) under `name`."""
        with psycopg.connect(self.server_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        dump = subprocess.run([str(self.bin / "pg_dump"), "--no-owner", "-d", source_url],
                              check=True, capture_output=True).stdout  # fmt: skip
        load = [str(self.bin / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-d",
                f"postgresql://postgres@127.0.0.1:{self.port}/{name}"]  # fmt: skip
        subprocess.run(load, input=dump, check=True, capture_output=True)
        return self.database_url(name)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(self.server_url, connect_timeout=2):
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def log(self) -> str:
        return (self.folder / "server.log").read_text(errors="replace")

    def close(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, program: str, *args: str, check: bool = True) -> None:
        command = [str(self.bin / program), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True)
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stderr or done.stdout}")
