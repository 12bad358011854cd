"""The apps form layers: an app imports only the apps below it, never the ones built on it.

Read from the source (``ast``), so an import hidden inside a function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

from census_coord.plugins import plugin_modules

ROOT = Path(__file__).resolve().parents[2]


def _imported_apps(app: str, *, skip: frozenset[str] = frozenset()) -> dict[str, set[str]]:
    """For each file of ``app`` (migrations included), the top-level packages it imports."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative in skip:
            continue
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[relative] = names
    return found


def _offenders(app: str, above: set[str], **kwargs: frozenset[str]) -> dict[str, list[str]]:
    return {
        path: sorted(names & above)
        for path, names in _imported_apps(app, **kwargs).items()
        if names & above
    }


def test_equipment_never_imports_sync():
    # sync reacts to equipment's hooks (equipment.hooks); equipment does not know it exists.
    assert _imported_apps("equipment")  # the scan saw the files
    assert _offenders("equipment", {"sync"}) == {}


def test_respondents_never_imports_enumeration():
    # Stage 2 reacts to stage 1 through respondents.hooks; stage 1 does not know it exists.
    assert _imported_apps("respondents")
    assert _offenders("respondents", {"enumeration", "equipment", "sync"}) == {}


def test_institutions_imports_no_app_built_on_it():
    # reminder_kinds.py is reminders' plug-in living in institutions: only reminders'
    # discovery imports it, as an admin.py imports django.contrib.admin.
    plugin = frozenset({"institutions/reminder_kinds.py"})
    above = {"respondents", "enumeration", "equipment", "sync", "reminders"}
    assert _offenders("institutions", above, skip=plugin) == {}


def test_the_low_census_coord_helpers_import_no_app():
    apps = {
        "accounts",
        "audit",
        "institutions",
        "respondents",
        "enumeration",
        "equipment",
        "sync",
        "reminders",
    }
    for helper in ("clock", "uploads", "plugins", "kz_ids"):
        path = ROOT / "census_coord" / f"{helper}.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            node.module.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        } | {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        assert imported & apps == set(), helper


def _names(module_name: str) -> list[str]:
    return [module.__name__ for module in plugin_modules(module_name)]


def test_plugins_are_found_in_installed_apps_order():
    assert _names("readiness_items") == [
        "institutions.readiness_items",
        "respondents.readiness_items",
        "enumeration.readiness_items",
        "equipment.readiness_items",
    ]
    apps = ["institutions", "respondents", "enumeration", "equipment", "sync", "reminders"]
    assert _names("reminder_kinds") == [f"{app}.reminder_kinds" for app in apps]
    demo_apps = ["accounts", "institutions", "respondents", "enumeration", "equipment", "sync",
                 "censusdb", "reminders"]  # fmt: skip
    assert _names("demo") == [f"{app}.demo" for app in demo_apps]


APPLICATION = (
    "accounts",
    "audit",
    "census_coord",
    "institutions",
    "respondents",
    "enumeration",
    "equipment",
    "sync",
    "censusdb",
    "reminders",
)


def _module_graph() -> dict[str, set[str]]:
    """Every application module (migrations aside) and the application modules it imports,
    at the top or inside a function alike."""
    paths: dict[str, Path] = {}
    for app in APPLICATION:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            paths[name.removesuffix(".__init__")] = path
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    target = f"{node.module}.{alias.name}"
                    if target in paths:
                        imported.add(target)
                    elif node.module in paths:
                        imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names if alias.name in paths)
        graph[name] = imported - {name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or round a loop (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(graph[module]):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_no_two_application_modules_import_each_other():
    # A function-local import does not break a circle, it hides it. Where a lower module
    # must reach a higher one, the higher registers itself (an AppConfig.ready(), a hook).
    graph = _module_graph()
    assert graph["respondents.tasks"]  # the scan saw the imports
    assert _cycles(graph) == []


def test_the_import_supervisor_knows_the_task_only_by_registration():
    # respondents.tasks imports the supervisor (the sweeper task); the supervisor reaches
    # the run task through import_runner_register, called by RespondentsConfig.ready().
    from respondents.importing.supervision import _runner
    from respondents.tasks import respondent_import_run

    graph = _module_graph()
    assert "respondents.importing.supervision" in graph["respondents.tasks"]
    assert "respondents.tasks" not in graph["respondents.importing.supervision"]
    assert _runner() is respondent_import_run


def test_no_lower_app_imports_censusdb():
    # The census-database import sits on the enumeration services; nothing below knows it.
    for app in ("institutions", "respondents", "enumeration", "equipment", "sync"):
        assert _offenders(app, {"censusdb"}) == {}, app
