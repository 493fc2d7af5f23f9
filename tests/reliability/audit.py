"""`make audit`: pip-audit over the exact versions installed in .venv, saying plainly what it could check.

pip-audit asks a vulnerability service about each pinned package (PyPI's JSON API by default, OSV with
`-s osv`). Where that service is unreachable, or answers "not found" for every package (a mirror without
the vulnerability data), the run has audited nothing: this says so, and exits 0, rather than printing
"No known vulnerabilities found" over 0 audited packages. Findings fail the target only with `--strict`.
The summary is written to build/reliability/audit.json for docs/reliability.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from tests.reliability.results import RESULTS_DIR

AUDIT_JSON = RESULTS_DIR / "audit.json"


def run_audit(service: str = "pypi", timeout: float = 300.0) -> dict[str, Any]:
    freeze = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--exclude-editable"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    pins = [line for line in freeze.stdout.splitlines() if "==" in line and not line.startswith("-e")]
    with tempfile.TemporaryDirectory() as tmp:
        reqs, out = Path(tmp) / "requirements.txt", Path(tmp) / "audit.json"
        reqs.write_text("\n".join(pins) + "\n", encoding="utf-8")
        cmd = [
            sys.executable,
            "-m",
            "pip_audit",
            "-r",
            str(reqs),
            "--no-deps",
            "--disable-pip",
            "-s",
            service,
            "-f",
            "json",
            "-o",
            str(out),
            "--progress-spinner",
            "off",
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return _summary(
                service, len(pins), [], "unreachable", f"pip-audit timed out after {timeout:.0f} s"
            )
        data = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else None
    if data is None:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return _summary(service, len(pins), [], "unreachable", last[:200])
    deps = data.get("dependencies", [])
    skipped = [d for d in deps if d.get("skip_reason")]
    findings = [
        {
            "name": d["name"],
            "version": d.get("version"),
            "id": v.get("id"),
            "fix_versions": v.get("fix_versions", []),
            "aliases": v.get("aliases", []),
        }
        for d in deps
        for v in d.get("vulns", [])
    ]
    audited = len(deps) - len(skipped)
    if audited == 0:
        reason = skipped[0]["skip_reason"] if skipped else "no dependency answered"
        return _summary(
            service, len(pins), [], "unreachable", f"{len(skipped)} of {len(deps)} skipped: {reason}"
        )
    status = "findings" if findings else "clean"
    return _summary(service, len(pins), findings, status, f"{audited} audited, {len(skipped)} skipped")


def _summary(
    service: str, pins: int, findings: list[dict[str, Any]], status: str, detail: str
) -> dict[str, Any]:
    headline = {
        "clean": f"pip-audit ({service}): no known vulnerability in {pins} pinned packages ({detail}).",
        "findings": f"pip-audit ({service}): {len(findings)} known vulnerabilities ({detail}).",
        "unreachable": (
            f"pip-audit ({service}): NOT AUDITED — the vulnerability service gave no data from this machine "
            f"({detail}). Run `make audit` where PyPI's JSON API or api.osv.dev is reachable."
        ),
    }[status]
    return {"service": service, "packages": pins, "status": status, "summary": headline, "findings": findings}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--service", choices=["pypi", "osv"], default="pypi")
    parser.add_argument("--strict", action="store_true", help="exit 1 on findings")
    args = parser.parse_args(argv)
    summary = run_audit(args.service)
    AUDIT_JSON.parent.mkdir(parents=True, exist_ok=True)
    AUDIT_JSON.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(summary["summary"])
    for f in summary["findings"]:
        print(f"  {f['name']} {f['version']}: {f['id']} fixed in {', '.join(f['fix_versions']) or '-'}")
    return 1 if args.strict and summary["findings"] else 0


if __name__ == "__main__":
    sys.exit(main())
