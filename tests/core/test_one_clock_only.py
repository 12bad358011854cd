"""No product code reads the time except through census_coord.clock: otherwise a fixed
census date (CENSUS_TODAY) would hold on some pages and not on others."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {".venv", "tests", "migrations", "node_modules", "staticfiles", "var", "locale"}
ALLOWED = {ROOT / "census_coord" / "clock.py"}


def _product_files() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if not SKIPPED_DIRS & set(path.relative_to(ROOT).parts) and path not in ALLOWED
    ]


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


# Read anywhere (called or passed as a default): always the real time.
FORBIDDEN = ("timezone.now", "date.today", "datetime.now", "datetime.utcnow", "datetime.today")
# Without an argument they read the current time; with one they only convert it.
FORBIDDEN_WITHOUT_ARGUMENT = ("timezone.localdate", "timezone.localtime")


def _offences(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        name = _dotted(node) if isinstance(node, ast.Attribute) else ""
        if name and any(name == f or name.endswith(f".{f}") for f in FORBIDDEN):
            found.append(f"{path.relative_to(root)}:{node.lineno} {name}")
        if (
            isinstance(node, ast.Call)
            and not node.args
            and not node.keywords
            and any(
                _dotted(node.func) == f or _dotted(node.func).endswith(f".{f}")
                for f in FORBIDDEN_WITHOUT_ARGUMENT
            )
        ):
            found.append(f"{path.relative_to(root)}:{node.lineno} {_dotted(node.func)}()")
    return sorted(found, key=lambda offence: int(offence.split()[0].rsplit(":", 1)[1]))


def test_product_code_reads_the_time_only_through_the_clock():
    files = _product_files()
    assert len(files) > 100  # the scan sees the apps
    offences = [offence for path in files for offence in _offences(path)]
    assert offences == [], "use census_coord.clock (now, today or wall_now):\n" + "\n".join(
        offences
    )


def test_the_scan_catches_each_way_of_reading_the_time(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import datetime as dt\n"
        "from django.utils import timezone\n"
        "a = timezone.now()\n"
        "b = dt.date.today()\n"
        "c = timezone.localdate()\n"
        "d = timezone.localdate(a)\n"  # a conversion: allowed
        "e = dt.datetime.now(dt.UTC)\n"
        "f = models.DateTimeField(default=timezone.now)\n"
    )
    lines = [offence.split()[0] for offence in _offences(sample, root=tmp_path)]
    assert lines == ["sample.py:3", "sample.py:4", "sample.py:5", "sample.py:7", "sample.py:8"]
