"""Every shipped way of running a worker restarts it when it exits (issue 17, item 6)."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_restarts_every_worker_and_beat():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    runs_celery = {
        name for name, service in services.items() if "celery" in str(service.get("command"))
    }
    assert runs_celery == {"worker", "worker-imports", "beat"}
    assert {services[name]["restart"] for name in runs_celery} == {"always"}


def test_systemd_units_restart_the_worker_beat_and_web_always():
    units = sorted((ROOT / "deploy" / "systemd").glob("*.service"))
    assert [unit.name for unit in units] == [
        "census-beat.service",
        "census-web.service",
        "census-worker@.service",
    ]
    for unit in units:
        lines = unit.read_text().splitlines()
        assert "Restart=always" in lines, unit.name
        assert "StartLimitIntervalSec=0" in lines, unit.name
