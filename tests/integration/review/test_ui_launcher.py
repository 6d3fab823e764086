"""`backoffice ui`: the settings it gives Airflow, the logins it prints, and a stop that
leaves no process behind (real processes that ignore SIGTERM, in their own groups)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from configparser import ConfigParser

import pytest

from backoffice.review import launcher
from backoffice.settings import Settings

pytestmark = pytest.mark.integration


@pytest.fixture()
def settings(tmp_path):
    return Settings.from_env({"BACKOFFICE_DATA_DIR": str(tmp_path / "data")})


def test_airflow_is_set_up_from_the_project_for_a_small_machine(settings):
    values = launcher.ui_settings(settings, host="127.0.0.1", port=8123)
    assert values["AIRFLOW__CORE__DAGS_FOLDER"] == str(settings.project_dir / "dags")
    assert values["AIRFLOW__CORE__PLUGINS_FOLDER"] == str(settings.project_dir / "plugins")
    assert values["AIRFLOW__CORE__LOAD_EXAMPLES"] == "False"
    assert int(values["AIRFLOW__CORE__PARALLELISM"]) <= max(2, os.cpu_count() or 2)
    assert values["AIRFLOW__API__WORKERS"] == "1"
    assert values["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith(
        f"sqlite:///{settings.airflow_home}"
    )
    users = dict(
        u.split(":") for u in values["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS"].split(",")
    )
    assert users["sara"] == "viewer"  # the auditor only reads, in Airflow too
    assert users["anna"] == "user"
    # airflow.cfg says the same, so a plain `airflow` command on this home agrees; no secret.
    cfg = ConfigParser(interpolation=None)
    cfg.read(launcher.write_airflow_cfg(settings, values))
    assert cfg["core"]["dags_folder"] == str(settings.project_dir / "dags")
    assert cfg["core"]["load_examples"] == "False"
    assert not cfg.has_option("api_auth", "jwt_secret")


def test_passwords_are_generated_once_kept_private_and_only_new_ones_shown(settings):
    shown: list[str] = []
    first = {a.name: a.password for a in launcher.logins(settings, generated=shown)}
    assert set(shown) == set(first) and "sara" in first
    path = launcher.passwords_file(settings)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again: list[str] = []
    second = {a.name: a.password for a in launcher.logins(settings, generated=again)}
    assert second == first and again == []
    assert json.loads(path.read_text()) == first


def test_stop_ends_every_process_of_every_group_even_those_ignoring_sigterm(tmp_path):
    stubborn = (
        "import os, signal, subprocess, sys, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "child = subprocess.Popen([sys.executable, '-c', "
        "'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)'])\n"
        "print(child.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    script = tmp_path / "stubborn.py"
    script.write_text(stubborn)
    components = launcher.Components({}, tmp_path / "logs", names=())
    for name in ("one", "two"):
        components.processes[name] = subprocess.Popen(
            [sys.executable, str(script)],
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
    grandchildren = [int(p.stdout.readline()) for p in components.processes.values()]
    began = time.monotonic()
    components.stop(grace=1.0)
    took = time.monotonic() - began
    assert took < 8
    for pid in [p.pid for p in components.processes.values()] + grandchildren:
        assert not _exists(pid), f"process {pid} outlived the stop"


def _exists(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
