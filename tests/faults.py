"""Private Redis and PostgreSQL servers a test starts, stops and restarts, and real Celery
workers pointed at them. Never the shared servers: other people's tests use those.

Ports come from PRIVATE_PORT_BASE (default 18110), 10 apart per xdist process:
+1 Redis, +2 PostgreSQL.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from django.db import connection
from kombu import pools

from census_coord.celery import app

ROOT = Path(__file__).resolve().parents[1]
# Each pytest-xdist process ("gw0", "gw1", ...) gets its own pair of ports above the base,
# so two processes restarting their private servers never collide.
_XDIST_INDEX = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
PORT_BASE = int(os.environ.get("PRIVATE_PORT_BASE", "18110")) + 10 * _XDIST_INDEX
REDIS_PORT = PORT_BASE + 1
POSTGRES_PORT = PORT_BASE + 2


def wait_for(predicate: Callable[[], object], timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what or predicate}")


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


class PrivateRedis:
    """redis-server on its own port, without persistence (a restart loses the queues)."""

    def __init__(self, port: int = REDIS_PORT) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        assert not port_open(self.port), f"port {self.port} is taken"
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: port_open(self.port), 20, "redis to listen")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=20)
            self.process = None
        wait_for(lambda: not port_open(self.port), 20, "redis to stop")


def _postgres_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(found[-1]) if found else name


def _as_postgres(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class PrivatePostgres:
    """A throwaway PostgreSQL cluster holding a copy of the test database."""

    def __init__(self, port: int = POSTGRES_PORT) -> None:
        self.port = port
        self.directory = Path(tempfile.mkdtemp(prefix="census-pg-"))
        self.data = self.directory / "data"
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")

    def initdb(self) -> None:
        subprocess.run(
            _as_postgres(
                [_postgres_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"]
            ),
            check=True,
            capture_output=True,
        )

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            _as_postgres(
                [
                    _postgres_bin("pg_ctl"),
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.directory / "log"),
                    "-o",
                    f"-p {self.port} -k {self.directory} -c fsync=off",
                    "-w",
                    *args,
                ]
            ),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        assert not port_open(self.port), f"port {self.port} is taken"
        self._ctl("start")

    def stop(self) -> None:
        self._ctl("stop", "-m", "immediate")

    def restart(self) -> None:
        """Every connection is cut, as when the server is restarted for an upgrade."""
        self._ctl("restart", "-m", "fast")

    def copy_database(self, name: str, source: dict) -> None:
        """Create ``name`` here as a copy of the (test) database ``source`` describes."""
        host = source["HOST"] or "127.0.0.1"
        port = str(source["PORT"] or 5432)
        base = ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
        subprocess.run(["createdb", *base, name], check=True, capture_output=True)
        dump = subprocess.Popen(
            ["pg_dump", "-h", host, "-p", port, "-U", source["USER"], "--no-owner", source["NAME"]],
            stdout=subprocess.PIPE,
        )
        subprocess.run(
            ["psql", *base, "-q", "-v", "ON_ERROR_STOP=1", "-d", name],
            stdin=dump.stdout,
            check=True,
            capture_output=True,
        )
        assert dump.wait(timeout=60) == 0

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


def database_url(params: dict | None = None) -> str:
    params = params or connection.settings_dict
    host = params["HOST"] or "127.0.0.1"
    credentials = f"{params['USER']}:{params.get('PASSWORD') or ''}"
    return f"postgres://{credentials}@{host}:{params['PORT'] or 5432}/{params['NAME']}"


@contextlib.contextmanager
def database_moved_to(port: int) -> Iterator[None]:
    """This process's connection points at the same database name on another server."""
    params = connection.settings_dict
    saved = (params["HOST"], params["PORT"])
    connection.close()
    params["HOST"], params["PORT"] = "127.0.0.1", str(port)
    try:
        yield
    finally:
        connection.close()
        params["HOST"], params["PORT"] = saved


def _reset_celery_clients() -> None:
    pools.reset()  # closes every pooled broker connection and forgets the pools
    app._pool = None
    with contextlib.suppress(AttributeError, KeyError):
        app.__dict__["amqp"]._producer_pool = None
    app._backend_cache = None
    app._local = threading.local()


@contextlib.contextmanager
def celery_publishing_to(broker_url: str) -> Iterator[None]:
    """Tasks sent from this process go to ``broker_url`` (not run in-process)."""
    # Celery reads CELERY_BROKER_URL / CELERY_RESULT_BACKEND from the environment before
    # its configuration, so both are switched.
    names = ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")
    saved_env = {name: os.environ.get(name) for name in names}
    saved = (app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager)
    os.environ.update(dict.fromkeys(names, broker_url))
    app.conf.broker_url = app.conf.result_backend = broker_url
    app.conf.task_always_eager = False
    _reset_celery_clients()
    try:
        yield
    finally:
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager = saved
        _reset_celery_clients()


class Worker:
    """``celery worker`` as a child process; its output is kept for the failure message."""

    def __init__(
        self,
        *,
        broker_url: str,
        database: str,
        queues: str = "imports,default",
        pool: str = "solo",
        beat: bool = False,
        as_deployed: bool = False,
        env: dict[str, str] | None = None,
    ) -> None:
        """``as_deployed``: with gossip, mingle and heartbeats, as docker-compose.yml and
        the systemd unit run it; otherwise without them, which starts faster."""
        self.log = tempfile.NamedTemporaryFile(prefix="census-worker-", suffix=".log")  # noqa: SIM115
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "census_coord",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            "--loglevel=INFO",
            "-Q",
            queues,
        ]
        if not as_deployed:
            command += ["--without-gossip", "--without-mingle"]
        if beat:
            command += ["-B", "--schedule", str(Path(self.log.name).with_suffix(".beat"))]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "census_coord.settings.test",
                "DATABASE_URL": database,
                "CELERY_BROKER_URL": broker_url,
                "CELERY_RESULT_BACKEND": broker_url,
                # The test settings send tasks in-process; a worker sends them to the broker.
                "CELERY_TASK_ALWAYS_EAGER": "0",
                **(env or {}),
            },
            stdout=self.log,
            stderr=subprocess.STDOUT,
            # Its own process group: killing "the whole worker" takes its pool and beat too.
            start_new_session=True,
        )

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")[-6000:]

    def kill(self) -> None:
        """SIGKILL the worker and every process it started, as the OOM killer or a
        pulled plug would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)

    def pool_children(self) -> list[int]:
        text = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        return [int(child) for child in text.split()]

    def stop(self) -> None:
        if self.alive:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=20)
        self.kill()  # whatever is left of the group (an embedded beat, pool processes)
        for extra in Path(self.log.name).parent.glob(Path(self.log.name).stem + ".beat*"):
            extra.unlink(missing_ok=True)
        self.log.close()


def fast_sweeper_env(stall_seconds: int = 3) -> dict[str, str]:
    """A sweeper every second and a short stall time, so that a test waits seconds."""
    return {
        "IMPORT_SWEEP_SECONDS": "1",
        "IMPORT_STALL_SECONDS": str(stall_seconds),
        "IMPORT_RETRY_BACKOFF_SECONDS": "1",
    }
