"""The CI dependency audit (``.ci/audit.py``): fails on unexplained advisories only."""
import importlib.util
import json
import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("ci_audit", ROOT / ".ci" / "audit.py")
audit = importlib.util.module_from_spec(spec)
sys.modules["ci_audit"] = audit  # dataclasses look their module up
spec.loader.exec_module(audit)

PIP_REPORT = {
    "dependencies": [
        {"name": "flask", "version": "3.1.0", "vulns": []},
        {"name": "jinja2", "version": "3.1.2", "vulns": [
            {"id": "GHSA-h5c8-rqwp-cp95", "aliases": ["CVE-2024-22195"], "fix_versions": ["3.1.3"], "description": "xss"},
        ]},
        {"name": "eventapp", "skip_reason": "editable"},
    ],
    "fixes": [],
}
NPM_REPORT = {
    "auditReportVersion": 2,
    "vulnerabilities": {
        "example": {"name": "example", "severity": "high", "range": "<1.2.3", "via": [
            {"source": 1096727, "title": "Prototype pollution", "severity": "high",
             "url": "https://github.com/advisories/GHSA-aaaa-bbbb-cccc"},
        ]},
        "wrapper": {"name": "wrapper", "severity": "high", "range": "*", "via": ["example"]},
    },
}


def test_the_allowlist_in_the_repository_is_valid():
    assert isinstance(audit.load_allowlist(), dict)


def test_pip_audit_findings_carry_every_id():
    [finding] = audit.pip_findings(json.dumps(PIP_REPORT))
    assert finding.package == "jinja2"
    assert finding.ids == ("GHSA-h5c8-rqwp-cp95", "CVE-2024-22195")


def test_an_audit_that_could_not_reach_its_service_is_inconclusive():
    skipped = {"dependencies": [{"name": "flask", "skip_reason": "Dependency not found on PyPI"}]}
    with pytest.raises(audit.Inconclusive):
        audit.pip_findings(json.dumps(skipped))
    with pytest.raises(audit.Inconclusive):
        audit.pip_findings("Traceback (most recent call last): ConnectionError")
    with pytest.raises(audit.Inconclusive):
        audit.npm_findings(json.dumps({"message": "405 Method Not Allowed", "statusCode": 405}))


def test_npm_findings_one_per_advisory():
    [finding] = audit.npm_findings(json.dumps(NPM_REPORT))
    assert finding.package == "example" and "GHSA-aaaa-bbbb-cccc" in finding.ids


def test_allowlist_needs_a_reason_and_expires(tmp_path):
    path = tmp_path / "allow.toml"
    path.write_text(
        '[[allow]]\nid = "A"\nreason = "not reachable"\n\n'
        '[[allow]]\nid = "B"\nreason = ""\n\n'
        '[[allow]]\nid = "C"\nreason = "later"\nuntil = 2020-01-01\n',
        encoding="utf-8",
    )
    assert audit.load_allowlist(path, today=date(2026, 1, 1)) == {"A": "not reachable"}


@pytest.mark.parametrize("allowed, inconclusive, expected", [
    ({}, False, 1),
    ({"CVE-2024-22195": "only the sandbox is affected, not used"}, False, 0),
    ({}, True, 0),
])
def test_exit_status(monkeypatch, allowed, inconclusive, expected):
    def python_audit():
        if inconclusive:
            raise audit.Inconclusive("network unreachable")
        return audit.pip_findings(json.dumps(PIP_REPORT))

    monkeypatch.setattr(audit, "audit_python", python_audit)
    monkeypatch.setattr(audit, "audit_npm", lambda: [])
    monkeypatch.setattr(audit, "load_allowlist", lambda: allowed)
    assert audit.main() == expected
