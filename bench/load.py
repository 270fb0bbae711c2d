"""The load generator: a separate process that sends HTTP requests and times them.

Reads one job (JSON) on standard input, writes its result (JSON) on standard
output. Standard library only, so it costs the machine as little as possible and
never imports the application. Every loop is bounded twice: a number of
requests and a number of seconds, whichever comes first.

A job::

    {"host": "127.0.0.1", "port": 8000, "concurrency": 4,
     "max_requests": 1000, "max_seconds": 3.0, "warmup": 10,
     "cycle": true,               # false: each request is sent once (e.g. registrations)
     "requests": [{"method": "GET", "path": "/", "headers": {...}, "body": "..."}]}

The result: ``count``, ``seconds``, ``throughput`` (requests per second),
``median_ms``, ``p95_ms``, ``statuses`` (status code → count), ``queries``
(the ``X-Query-Count`` values seen, most common first), ``bytes`` (mean body size),
and with ``"raw": true`` the latencies themselves (seconds).

``{"jobs": [job, job, …]}`` runs the jobs one after the other in this process
(e.g. floor and path slices in turn) and returns the list of their results.
"""
from __future__ import annotations

import http.client
import itertools
import json
import statistics
import sys
import threading
import time
from collections import Counter


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` quantile (nearest rank) of ``values``; 0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank]


class _Client:
    """One kept-alive connection, reopened when the server closes it."""

    def __init__(self, host: str, port: int, timeout: float):
        self.host, self.port, self.timeout = host, port, timeout
        self.connection: http.client.HTTPConnection | None = None

    def send(self, spec: dict) -> tuple[int, int, str | None]:
        body = spec.get("body")
        payload = body.encode("utf-8") if isinstance(body, str) else body
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.connection.request(spec.get("method", "GET"), spec["path"], body=payload,
                                        headers=spec.get("headers") or {})
                response = self.connection.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                return response.status, len(data), response.getheader("X-Query-Count")
            except (ConnectionError, http.client.HTTPException):
                # A kept-alive connection the server had closed: retry once on a new one.
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def run(job: dict) -> dict:
    """Send the job's requests from ``concurrency`` threads; return the timings."""
    requests = job["requests"]
    if not requests:
        raise ValueError("a job needs at least one request")
    cycle = job.get("cycle", True)
    concurrency = max(1, int(job.get("concurrency", 1)))
    max_requests = int(job.get("max_requests", 1000))
    max_seconds = float(job.get("max_seconds", 5.0))
    timeout = float(job.get("timeout", 60.0))
    host, port = job.get("host", "127.0.0.1"), int(job["port"])

    source = itertools.cycle(requests) if cycle else iter(requests)
    lock = threading.Lock()
    warmup_left = int(job.get("warmup", 0)) if cycle else 0

    # Warm-up: untimed requests, each on a new connection and several at once, so that every
    # worker of the server (each takes the connections it accepts) pays its first-use costs now.
    if warmup_left:
        specs = list(itertools.islice(itertools.cycle(requests), warmup_left))

        def warm(spec):
            client = _Client(host, port, timeout)
            try:
                client.send(spec)
            finally:
                client.close()

        warmers = [threading.Thread(target=lambda chunk=specs[i::concurrency]: [warm(x) for x in chunk])
                   for i in range(concurrency)]
        for thread in warmers:
            thread.start()
        for thread in warmers:
            thread.join(timeout * 2)

    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    queries: Counter[str] = Counter()
    sizes: list[int] = []
    errors: list[str] = []
    sent = 0
    started = time.perf_counter()
    deadline = started + max_seconds

    def next_request():
        nonlocal sent
        with lock:
            if sent >= max_requests or time.perf_counter() >= deadline:
                return None
            spec = next(source, None)
            if spec is not None:
                sent += 1
            return spec

    def worker():
        client = _Client(host, port, timeout)
        try:
            while True:
                spec = next_request()
                if spec is None:
                    return
                begin = time.perf_counter()
                try:
                    status, size, count = client.send(spec)
                except Exception as error:  # noqa: BLE001 - reported, never hidden
                    with lock:
                        errors.append(f"{type(error).__name__}: {error}")
                        statuses[0] += 1
                    continue
                elapsed = time.perf_counter() - begin
                with lock:
                    latencies.append(elapsed)
                    statuses[status] += 1
                    sizes.append(size)
                    if count is not None:
                        queries[count] += 1
        finally:
            client.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max_seconds + timeout + 5)
    seconds = time.perf_counter() - started
    count = len(latencies)
    extra = {"latencies": [round(value, 6) for value in latencies]} if job.get("raw") else {}
    return {
        **extra,
        "count": count,
        "seconds": round(seconds, 4),
        "throughput": round(count / seconds, 2) if seconds > 0 else 0.0,
        "median_ms": round(statistics.median(latencies) * 1000, 3) if latencies else 0.0,
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 3),
        "statuses": {str(code): n for code, n in sorted(statuses.items())},
        "queries": [[int(value), n] for value, n in queries.most_common()],
        "bytes": round(statistics.mean(sizes)) if sizes else 0,
        "errors": errors[:5],
    }


def main() -> int:
    job = json.load(sys.stdin)
    if "jobs" in job:
        shared = {key: value for key, value in job.items() if key != "jobs"}
        result = [run({**shared, **each}) for each in job["jobs"]]
    else:
        result = run(job)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
