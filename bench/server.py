"""gunicorn under measurement: started on a free loopback port, its workers' memory read, always stopped."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The same server for every measurement: two processes, four threads each.
WORKERS = 2
THREADS = 4


def free_port() -> int:
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


def _wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


@contextmanager
def gunicorn(database_url: str, log_path: Path, *, workers: int = WORKERS, threads: int = THREADS,
             extra_env: dict | None = None):
    """``gunicorn wsgi:app`` on 127.0.0.1 with the benchmark hooks on; stopped on exit."""
    port = free_port()
    env = dict(
        os.environ,
        EVENTAPP_CONFIG="development",
        DATABASE_URL=database_url,
        SECRET_KEY=os.urandom(24).hex(),
        SITE_HOST=f"127.0.0.1:{port}",
        MAIL_BACKEND="console",
        RATELIMIT_ENABLED="0",
        RATELIMIT_STORAGE_URI="memory://",
        BENCH_FLOOR_ROUTE="1",
        BENCH_QUERY_COUNT="1",
        **(extra_env or {}),
    )
    command = [
        sys.executable, "-m", "gunicorn",
        "--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads),
        "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--graceful-timeout", "5",
        "--keep-alive", "30", "--backlog", "256",
        "wsgi:app",
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        server = Server("127.0.0.1", port, process)
        try:
            _wait_until_up(f"{server.base_url}/_bench/floor", process)
            # Every worker must be up before anything is measured.
            deadline = time.monotonic() + 30
            while len(server.worker_pids()) < workers and time.monotonic() < deadline:
                time.sleep(0.1)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # the process group of the gunicorn we started
                process.wait(timeout=10)
