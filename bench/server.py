"""gunicorn on a free loopback port, waited for and always stopped: the server of the benchmark
(its workers' memory read), of the load test and of the tests that need a real one.

Nothing here imports the application: ``tests`` and ``load`` import this module as it is."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The same server for every measurement: two processes, four threads each.
WORKERS = 2
THREADS = 4


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on (right now)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running gunicorn: where it listens and its master process."""

    host: str
    port: int
    process: subprocess.Popen

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def worker_pids(self) -> list[int]:
        """The worker processes (children of the master)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command may hold spaces and parentheses: the parent id follows the last ")".
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == self.process.pid:
                pids.append(int(entry.name))
        return sorted(pids)

    def restart_workers(self, count: int, seconds: float = 60) -> None:
        """Replace every worker by a new process (``SIGHUP`` to the master), nothing cached in it yet;
        return once ``count`` new workers run and the server answers."""
        old = set(self.worker_pids())
        os.kill(self.process.pid, signal.SIGHUP)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            pids = set(self.worker_pids())
            if len(pids) == count and not pids & old:
                wait_until_up(self.base_url + "/healthz", self.process, deadline - time.monotonic())
                return
            time.sleep(0.1)
        raise RuntimeError(f"the workers were not replaced within {seconds:.0f} s")

    def worker_peak_memory_kib(self) -> list[int]:
        """Each worker's peak resident memory (``VmHWM``, KiB), from ``/proc``."""
        peaks = []
        for pid in self.worker_pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]))
            except OSError:
                continue
        return peaks


def wait_until_up(url: str, process: subprocess.Popen | None = None, seconds: float = 60,
                  log_path: Path | None = None) -> None:
    """Poll ``url`` until it answers 200, at most ``seconds``; fail early if ``process`` exits.

    The error carries the end of ``log_path`` (the server's output), when there is one."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}{_tail(log_path)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s{_tail(log_path)}")


def _tail(log_path: Path | None, lines: int = 40) -> str:
    if log_path is None or not log_path.exists():
        return ""
    return ":\n" + "\n".join(log_path.read_text(errors="replace").splitlines()[-lines:])


def stop(process: subprocess.Popen, seconds: float = 20) -> None:
    """Stop a server started in a session of its own: SIGTERM, then SIGKILL to its process group."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the process group of the server we started
        process.wait(timeout=10)


@contextmanager
def loopback_gunicorn(database_url: str, *, workers: int, threads: int, log_path: Path | None = None,
                      env: dict | None = None, timeout: int = 60, options: tuple = (),
                      ready_path: str = "/healthz", start_seconds: float = 60):
    """``gunicorn wsgi:app`` (development settings, e-mails to the console) on a free port of
    127.0.0.1, once ``ready_path`` answers 200; always stopped on exit.

    Its output goes to ``log_path`` (else to this process's); ``env`` adds to or overrides the
    environment (but ``SITE_HOST``, the address it listens on), ``options`` to gunicorn's command line."""
    port = free_port()
    env = {
        **os.environ,
        "EVENTAPP_CONFIG": "development",
        "DATABASE_URL": database_url,
        "MAIL_BACKEND": "console",
        **(env or {}),
        "SITE_HOST": f"127.0.0.1:{port}",
    }
    command = [
        sys.executable, "-m", "gunicorn",
        "--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads),
        "--bind", f"127.0.0.1:{port}", "--timeout", str(timeout), "--graceful-timeout", "5",
        *options,
        "wsgi:app",
    ]
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
    with (open(log_path, "wb") if log_path else nullcontext()) as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT if log else None,
            start_new_session=True,
        )
        try:
            server = Server("127.0.0.1", port, process)
            wait_until_up(server.base_url + ready_path, process, start_seconds, log_path)
            yield server
        finally:
            stop(process)


@contextmanager
def gunicorn(database_url: str, log_path: Path, *, workers: int = WORKERS, threads: int = THREADS,
             extra_env: dict | None = None):
    """The measured gunicorn, with the benchmark hooks on and every worker up."""
    env = dict(
        SECRET_KEY=os.urandom(24).hex(),
        RATELIMIT_ENABLED="0",
        RATELIMIT_STORAGE_URI="memory://",
        BENCH_FLOOR_ROUTE="1",
        BENCH_QUERY_COUNT="1",
        **(extra_env or {}),
    )
    with loopback_gunicorn(
        database_url, workers=workers, threads=threads, log_path=log_path, env=env, timeout=120,
        options=("--keep-alive", "30", "--backlog", "256"), ready_path="/_bench/floor",
    ) as server:
        # Every worker must be up before anything is measured.
        deadline = time.monotonic() + 30
        while len(server.worker_pids()) < workers and time.monotonic() < deadline:
            time.sleep(0.1)
        yield server
