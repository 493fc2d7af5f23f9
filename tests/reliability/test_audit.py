"""Dependencies: pip-audit over the installed pins. A finding must be explained in docs/security.md; an
unreachable vulnerability service is recorded as "not audited" on the page, never as a clean result."""

from __future__ import annotations

from tests.reliability.audit import run_audit
from tests.reliability.conftest import ROOT
from tests.reliability.results import Recorder


def test_pip_audit_findings_are_explained(recorder: Recorder) -> None:
    summary = run_audit("pypi", timeout=240)
    recorder.record("audit", "pip-audit", **summary)
    assert summary["status"] in ("clean", "findings", "unreachable")
    assert summary["packages"] > 50, "the whole environment was audited, not a part"
    if summary["status"] == "findings":
        security = ROOT / "docs" / "security.md"
        text = security.read_text(encoding="utf-8") if security.is_file() else ""
        unexplained = [f["id"] for f in summary["findings"] if f["id"] not in text]
        assert not unexplained, f"explain these in docs/security.md: {unexplained}"
