"""scripts/system_packages.sh: what `make run` / `make test` install or ask for.

The machine's own packages are never touched: ldconfig, apt-get and chromium are fakes in a
temporary folder (LDCONFIG, APT_GET, CHROMIUM_PATH).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "system_packages.sh"
ALL_LIBRARIES = ("libpango-1.0.so.0", "libpangoft2-1.0.so.0", "libharfbuzz-subset.so.0")
IS_ROOT = os.geteuid() == 0


@pytest.fixture
def fakes() -> Iterator[Path]:
    """A fake ldconfig listing the libraries named in ``libraries`` (one a line), and a fake
    apt-get that logs its arguments and "installs": it adds every library and chromium.
    Not under pytest's tmp_path, which only root may enter: the non-root run reads them too."""
    with tempfile.TemporaryDirectory(prefix="system-packages-") as folder:
        tmp_path = Path(folder)
        tmp_path.chmod(0o755)
        yield _make_fakes(tmp_path)


def _make_fakes(tmp_path: Path) -> Path:
    (tmp_path / "libraries").write_text("")
    ldconfig = tmp_path / "ldconfig"
    ldconfig.write_text(
        "#!/bin/sh\n"
        f'while read -r lib; do echo "\t$lib (libc6,x86-64) => /usr/lib/$lib"; '
        f"done < {tmp_path}/libraries\n"
    )
    apt_get = tmp_path / "apt-get"
    apt_get.write_text(
        "#!/bin/sh\n"
        f'echo "$*" >> {tmp_path}/apt.log\n'
        'if [ "$1" = install ]; then\n'
        f"  printf '%s\\n' {' '.join(ALL_LIBRARIES)} > {tmp_path}/libraries\n"
        f"  printf '#!/bin/sh\\n' > {tmp_path}/chromium; chmod +x {tmp_path}/chromium\n"
        "fi\n"
    )
    for fake in (ldconfig, apt_get):
        fake.chmod(0o755)
    return tmp_path


def run(
    fakes: Path, purpose: str, *, as_nobody: bool = False, **env: str
) -> subprocess.CompletedProcess:
    environ = {
        "PATH": os.environ["PATH"],
        "LDCONFIG": str(fakes / "ldconfig"),
        "APT_GET": str(fakes / "apt-get"),
        "CHROMIUM_PATH": str(fakes / "chromium"),
        **env,
    }
    command = ["sh", str(SCRIPT), purpose]
    if as_nobody:
        command = ["runuser", "-u", "nobody", "--", *command]
    return subprocess.run(command, env=environ, capture_output=True, text=True, timeout=60)


def have(fakes: Path, *libraries: str, chromium: bool = False) -> None:
    (fakes / "libraries").write_text("".join(f"{lib}\n" for lib in libraries))
    if chromium:
        (fakes / "chromium").write_text("#!/bin/sh\n")
        (fakes / "chromium").chmod(0o755)


def test_nothing_to_do_when_everything_is_there(fakes):
    have(fakes, *ALL_LIBRARIES, chromium=True)
    result = run(fakes, "test")
    assert result.returncode == 0, result.stderr
    assert not (fakes / "apt.log").exists()


def test_run_needs_only_the_pdf_libraries(fakes):
    have(fakes, *ALL_LIBRARIES)  # no chromium
    assert run(fakes, "run").returncode == 0
    assert not (fakes / "apt.log").exists()


def test_skipping_the_browser_tests_does_not_need_chromium(fakes):
    have(fakes, *ALL_LIBRARIES)
    assert run(fakes, "test", SKIP_BROWSER_TESTS="1").returncode == 0


@pytest.mark.skipif(not IS_ROOT, reason="installing needs root")
def test_root_installs_exactly_the_missing_packages(fakes):
    have(fakes, "libpango-1.0.so.0", "libpangoft2-1.0.so.0")
    result = run(fakes, "test")
    assert result.returncode == 0, result.stderr
    log = (fakes / "apt.log").read_text().splitlines()
    assert log == [
        "update -qq",
        "install -y -qq --no-install-recommends libharfbuzz-subset0 chromium",
    ]


@pytest.mark.skipif(not IS_ROOT, reason="installing needs root")
def test_root_without_apt_get_stops_with_the_command(fakes):
    result = run(fakes, "run", APT_GET=str(fakes / "no-such-apt-get"))
    assert result.returncode == 1
    assert (
        "apt-get update && apt-get install -y --no-install-recommends "
        "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
    ) in result.stderr


@pytest.mark.skipif(
    IS_ROOT and shutil.which("runuser") is None, reason="runuser is needed to drop root"
)
def test_a_user_who_may_not_install_is_told_the_command_and_nothing_runs(fakes):
    have(fakes, *ALL_LIBRARIES)
    result = run(fakes, "test", as_nobody=IS_ROOT)
    assert result.returncode == 1
    assert "make test needs system packages that are not installed: chromium" in result.stderr
    assert "apt-get update && apt-get install -y --no-install-recommends chromium" in result.stderr
    assert "SKIP_BROWSER_TESTS=1 make test" in result.stderr
    assert not (fakes / "apt.log").exists()


def test_make_test_and_make_run_check_the_system_packages_before_anything_else():
    root = SCRIPT.parents[1]
    # Not the settings of a `make test` this may run under (it prints "Entering directory").
    environ = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    for target, purpose in (("test", "test"), ("run", "run")):
        dry_run = subprocess.run(
            ["make", "--no-print-directory", "-n", target],
            cwd=root,
            env=environ,
            capture_output=True,
            text=True,
            timeout=60,
        )
        first = dry_run.stdout.splitlines()[0]
        assert first == f"sh scripts/system_packages.sh {purpose}", dry_run.stdout
