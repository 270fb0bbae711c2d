#!/usr/bin/env python3
"""Dependency audit for CI: pip-audit (the virtualenv) and npm audit (node_modules).

Prints what each audit found and fails (exit 1) only on a known vulnerability that is
not explained in ``.ci/audit-allowlist.toml``. An audit that cannot reach its advisory
database (no network, service down, timeout) is reported as inconclusive and does not
fail the build: CI must not turn red because a third-party service is unreachable, but
the log says clearly that the audit did not happen.

Standard library only. Usage: ``python .ci/audit.py`` (``make audit``).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWLIST = ROOT / ".ci" / "audit-allowlist.toml"
TIMEOUT_SECONDS = int(os.environ.get("AUDIT_TIMEOUT", "180"))


@dataclass(frozen=True)
class Finding:
    tool: str
    package: str
    version: str
    ids: tuple[str, ...]
    summary: str

    def label(self) -> str:
        return f"{self.package} {self.version}: {', '.join(self.ids)} {self.summary}".strip()


class Inconclusive(Exception):
    """The audit could not run to the end (network, service, timeout)."""


def load_allowlist(path: Path = ALLOWLIST, today: date | None = None) -> dict[str, str]:
    """Advisory id → reason, for the entries that have a reason and have not expired."""
    if not path.exists():
        return {}
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("allow", [])
    today = today or date.today()
    allowed = {}
    for entry in entries:
        reason = (entry.get("reason") or "").strip()
        until = entry.get("until")
        if not reason:
            print(f"audit: allow-list entry {entry.get('id')!r} has no reason: ignored")
            continue
        if until is not None and until < today:
            print(f"audit: allow-list entry {entry.get('id')!r} expired on {until}: ignored")
            continue
        allowed[entry["id"]] = reason
    return allowed


def run(command: list[str]) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired as exc:
        raise Inconclusive(f"timed out after {TIMEOUT_SECONDS} s") from exc
    except FileNotFoundError as exc:
        raise Inconclusive(f"{command[0]} is not installed") from exc


def pip_findings(output: str) -> list[Finding]:
    """pip-audit's JSON report → findings; all dependencies skipped means inconclusive."""
    try:
        report = json.loads(output)
    except json.JSONDecodeError as exc:
        raise Inconclusive("pip-audit gave no report (advisory service unreachable?)") from exc
    dependencies = report.get("dependencies", [])
    audited = [d for d in dependencies if "skip_reason" not in d]
    if dependencies and not audited:
        raise Inconclusive("no dependency could be checked (advisory service unreachable?)")
    findings = []
    for dependency in audited:
        for vuln in dependency.get("vulns", []):
            ids = tuple(dict.fromkeys([vuln["id"], *vuln.get("aliases", [])]))
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
            findings.append(Finding("pip-audit", dependency["name"], dependency.get("version", "?"), ids, f"(fixed in: {fixes})"))
    return findings


def npm_findings(output: str) -> list[Finding]:
    """npm audit's JSON report (v2) → findings, one per advisory."""
    try:
        report = json.loads(output)
    except json.JSONDecodeError as exc:
        raise Inconclusive("npm audit gave no report") from exc
    if "vulnerabilities" not in report:
        message = report.get("message") or report.get("error", {}).get("summary") or "no report"
        raise Inconclusive(f"npm audit failed: {message}")
    findings = []
    for name, vulnerability in report["vulnerabilities"].items():
        for via in vulnerability.get("via", []):
            if not isinstance(via, dict):
                continue  # a dependency path: the advisory itself is listed under its package
            url = via.get("url", "")
            ids = tuple(filter(None, [url.rsplit("/", 1)[-1] if url else None, str(via.get("source", ""))]))
            findings.append(Finding("npm audit", name, vulnerability.get("range", "?"), ids, f"[{via.get('severity')}] {via.get('title', '')}"))
    return findings


def audit_python() -> list[Finding]:
    pip_audit = ROOT / ".venv" / "bin" / "pip-audit"
    command = [str(pip_audit) if pip_audit.exists() else "pip-audit",
               "--local", "--skip-editable", "--format", "json", "--progress-spinner", "off", "--timeout", "30"]
    result = run(command)
    return pip_findings(result.stdout)


def audit_npm() -> list[Finding]:
    result = run(["npm", "audit", "--json", "--omit=dev"])
    return npm_findings(result.stdout)


def main() -> int:
    allowed = load_allowlist()
    unexplained: list[Finding] = []
    for name, audit in (("pip-audit", audit_python), ("npm audit", audit_npm)):
        try:
            findings = audit()
        except Inconclusive as exc:
            print(f"audit: {name} INCONCLUSIVE, not failing the build: {exc}")
            continue
        if not findings:
            print(f"audit: {name}: no known vulnerability")
        for finding in findings:
            reason = next((allowed[i] for i in finding.ids if i in allowed), None)
            if reason:
                print(f"audit: {name}: allowed {finding.label()} — {reason}")
            else:
                print(f"audit: {name}: VULNERABLE {finding.label()}")
                unexplained.append(finding)
    if unexplained:
        print(f"audit: {len(unexplained)} known vulnerability(ies) not explained in {ALLOWLIST.relative_to(ROOT)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
