"""A write is audited by its service, inside its transaction — never by an entry point.

Views, API views, admin modules and tasks record only what they show (``audit.entry``);
if one of them called the write-audit function, a crash between the service's commit and
that call would leave an unaudited change, and another entry point would have to remember
the same call.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.core.test_one_clock_only import ROOT, SKIPPED_DIRS, _dotted

# The functions that append an audit row for a write: the service layer's.
WRITE_AUDIT = frozenset(
    {"audit_record", "audit_import_queued", "audit_import_done", "audit_batch_created"}
)


def _is_entry_point(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    name = parts[-1]
    return "api" in parts[:-1] or "views" in name or name in ("admin.py", "tasks.py")


def _entry_point_files(root: Path = ROOT) -> list[Path]:
    return [
        path
        for path in root.rglob("*.py")
        if not SKIPPED_DIRS & set(path.relative_to(root).parts) and _is_entry_point(path, root)
    ]


def _offences(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names = [alias.name for alias in node.names if alias.name in WRITE_AUDIT]
        elif isinstance(node, ast.Call):
            called = _dotted(node.func).rsplit(".", 1)[-1]
            names = [called] if called in WRITE_AUDIT else []
        else:
            continue
        found += [f"{path.relative_to(root)}:{node.lineno} {name}" for name in names]
    return found


def test_no_entry_point_audits_a_write():
    files = _entry_point_files()
    assert len(files) > 20  # the scan sees the views, APIs, admins and tasks
    offences = [offence for path in files for offence in _offences(path)]
    assert offences == [], (
        "audit a write inside its service; an entry point records reads with audit.entry:\n"
        + "\n".join(offences)
    )


def test_the_scan_catches_each_way_of_calling_the_write_audit(tmp_path):
    (tmp_path / "app" / "api").mkdir(parents=True)
    views = tmp_path / "app" / "views_extra.py"
    views.write_text(
        "from audit.services import audit_record\n"
        "import audit.services\n"
        "audit.services.audit_record(request_or_actor=None, action='change')\n"
        "record_read(request)\n"  # a read: allowed
    )
    api = tmp_path / "app" / "api" / "views.py"
    api.write_text("from respondents.importing.audit import audit_import_queued as queued\n")
    (tmp_path / "app" / "services.py").write_text("from audit.services import audit_record\n")
    found = {
        offence for path in _entry_point_files(tmp_path) for offence in _offences(path, tmp_path)
    }
    assert found == {
        "app/views_extra.py:1 audit_record",
        "app/views_extra.py:3 audit_record",
        "app/api/views.py:1 audit_import_queued",
    }
