"""The tiers of docs/ARCHITECTURE.md hold: import-linter's contract (pyproject.toml) is kept by
the code, and it breaks the moment a room imports a room of a higher tier."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")


def lint(src, tmp_path):
    config = tmp_path / "contracts.toml"
    config.write_text((ROOT / "pyproject.toml").read_text())
    return subprocess.run(
        [str(LINT), "--config", str(config), "--no-cache"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_code_keeps_the_tiers(tmp_path):
    result = lint(ROOT / "src", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_room_importing_a_higher_tier_breaks_the_contract(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "stegvis", src / "stegvis", ignore=shutil.ignore_patterns("__pycache__", "locale"))
    (src / "stegvis" / "core" / "upward.py").write_text("from stegvis.exports import models  # noqa\n")
    result = lint(src, tmp_path)
    assert result.returncode != 0
    assert "stegvis.core is not allowed to import stegvis.exports" in result.stdout


def test_rooms_on_one_tier_stay_independent(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "stegvis", src / "stegvis", ignore=shutil.ignore_patterns("__pycache__", "locale"))
    (src / "stegvis" / "api").mkdir(exist_ok=True)
    (src / "stegvis" / "api" / "__init__.py").touch()
    (src / "stegvis" / "exports" / "sideways.py").write_text("from stegvis import api  # noqa\n")
    result = lint(src, tmp_path)
    assert result.returncode != 0
    assert "stegvis.exports is not allowed to import stegvis.api" in result.stdout
