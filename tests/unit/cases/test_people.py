"""Who may change cases: config/cases.yml, checked when loaded."""

from __future__ import annotations

import shutil

import pytest

from backoffice.cases import people
from backoffice.errors import BackofficeError
from backoffice.settings import Settings


def test_roles_from_the_shipped_configuration():
    config = people.load(Settings.from_env({}))
    assert config.role("sara") == "auditor"
    assert not config.may_write("sara")
    assert config.may_write("anna") and config.may_write("lucia") and config.may_write("roberto")
    assert not config.may_write("nobody-we-know")
    assert config.may_write(people.SYSTEM_ACTOR)
    assert "not_an_error" in config.root_causes
    assert config.due_business_days == {"high": 2, "medium": 5, "low": 10}
    with pytest.raises(people.NotAllowedError, match="only reads"):
        config.check_may_write("sara")


def test_a_mistake_in_the_file_names_the_file_and_the_entry(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(Settings.from_env({}).config_dir, project / "config")
    path = project / "config" / "cases.yml"
    path.write_text(path.read_text().replace("role: auditor", "role: boss"))
    settings = Settings.from_env({"BACKOFFICE_PROJECT_DIR": str(project)})
    with pytest.raises(BackofficeError, match=r"cases.yml: people.sara.role is 'boss'"):
        people.load(settings)
