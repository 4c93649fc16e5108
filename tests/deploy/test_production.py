"""The production install (README "Running in production"): the systemd unit in deploy/, its
example config and env file, and the wheel running on its own from a fresh virtualenv."""

from __future__ import annotations

import json
import os
import re
import shutil
import site
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from monitor.config import load_config
from tests.support.tools import require_tool

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNIT = DEPLOY / "appmon.service"
CONFIG = DEPLOY / "config.yaml"
ENV_EXAMPLE = DEPLOY / "env.example"
BINARY = "/opt/appmon/bin/appmon"
PACKAGES = ("monitor", "probes", "alerting")


def unit_settings() -> dict[str, list[str]]:
    """`Section.Key` -> its values in order (systemd keys may repeat)."""
    settings: dict[str, list[str]] = {}
    section = ""
    for raw in UNIT.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        settings.setdefault(f"{section}.{key.strip()}", []).append(value.strip())
    return settings


def env_file(path: Path) -> dict[str, str]:
    """A systemd EnvironmentFile's KEY=value lines (the simple form deploy/env.example uses)."""
    pairs = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith(("#", ";")):
            key, sep, value = line.partition("=")
            assert sep, f"not KEY=value: {raw!r}"
            pairs[key.strip()] = value.strip()
    return pairs


def verify(analyze: str, unit: Path) -> tuple[int, list[str]]:
    proc = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True,
                          timeout=60, check=False)
    return proc.returncode, (proc.stdout + proc.stderr).splitlines()


# -- the unit ---------------------------------------------------------------------------------


def test_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = require_tool("systemd-analyze")
    # As shipped: on a machine without the venv, the missing binary is its one complaint.
    code, lines = verify(analyze, UNIT)
    if not Path(BINARY).exists():
        assert lines, "systemd-analyze no longer checks ExecStart=; the copy below proves less"
        assert all(BINARY in line for line in lines), lines
    else:
        assert (code, lines) == (0, [])
    # The same unit with ExecStart= on an executable that exists: no warning at all (an unknown
    # key or a bad value is only a warning, exit status 0, so the output must be empty too).
    stub = tmp_path / "appmon"
    stub.write_text("#!/bin/sh\nexit 0\n")
    stub.chmod(0o755)
    copy = tmp_path / "appmon.service"
    copy.write_text(UNIT.read_text(encoding="utf-8").replace(BINARY, str(stub)), encoding="utf-8")
    assert verify(analyze, copy) == (0, [])


def test_unit_runs_the_venv_binary_as_appmon_in_a_locked_down_sandbox() -> None:
    s = unit_settings()
    expected = {
        "Service.User": ["appmon"],
        "Service.Group": ["appmon"],
        "Service.ExecStart": [f"{BINARY} run --config /etc/appmon/config.yaml"],
        # The service reloads its config on SIGHUP (monitor/commands/serving.py).
        "Service.ExecReload": ["/bin/kill -HUP $MAINPID"],
        "Service.EnvironmentFile": ["-/etc/appmon/env"],
        "Service.Restart": ["on-failure"],
        "Service.RestartPreventExitStatus": ["2"],  # an invalid config: a restart cannot help
        "Service.LimitNOFILE": ["65536"],
        "Service.StateDirectory": ["appmon"],
        "Service.WorkingDirectory": ["/var/lib/appmon"],
        "Service.UMask": ["0077"],
        "Service.NoNewPrivileges": ["yes"],
        "Service.ProtectSystem": ["strict"],
        "Service.ProtectHome": ["yes"],
        "Service.PrivateTmp": ["yes"],
        "Service.CapabilityBoundingSet": [""],
        "Install.WantedBy": ["multi-user.target"],
    }
    assert {key: s.get(key) for key in expected} == expected


def test_example_config_keeps_its_data_in_the_state_directory_and_secrets_in_the_env_file(
) -> None:
    env = env_file(ENV_EXAMPLE)
    # Only the env file's variables: a ${NAME} it does not define fails the load.
    config = load_config(CONFIG, env=env)
    assert config.service.data_dir == "/var/lib/appmon"
    assert unit_settings()["Service.StateDirectory"] == ["appmon"]  # /var/lib/appmon
    used = set(re.findall(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)\}", CONFIG.read_text("utf-8")))
    assert used == set(env), "deploy/env.example defines exactly the config's ${NAME}s"


# -- the wheel --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    cwd: Path  # neither the checkout nor the venv, so nothing imports from the checkout

    @property
    def appmon(self) -> Path:
        return self.venv / "bin" / "appmon"

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    def run(self, *argv: str | Path, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
        inherited = {name: value for name, value in os.environ.items()
                     if name not in {"PYTHONPATH", "PYTHONHOME", "MONITOR_LANG", "VIRTUAL_ENV"}}
        return subprocess.run([str(arg) for arg in argv], cwd=self.cwd,
                              env={**inherited, "MONITOR_LANG": "en", **(env or {})},
                              capture_output=True, text=True, timeout=timeout, check=False)


def packaged_files() -> set[str]:
    """Every file the packages hold beside their modules: what the service reads at run time."""
    return {path.relative_to(ROOT).as_posix()
            for package in PACKAGES for path in (ROOT / package).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts
            and path.suffix not in {".py", ".pyc"}}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """The wheel built from a copy of the sources (setuptools' build/ in the checkout could
    carry stale files), installed with --no-deps into a fresh venv. The dependencies are the
    project venv's, made visible by a .pth line, so what is tested is the wheel's own content
    and nothing is downloaded but the build backend (from the configured index)."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, src / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = base / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--wheel-dir", str(dist), str(src)], check=True, timeout=300)
    (wheel,) = dist.glob("appmon-*.whl")

    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=120)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--no-deps", "--no-index", str(wheel)], check=True, timeout=300)
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path("
                              "'purelib'))"], capture_output=True, text=True, check=True
                             ).stdout.strip()
    # A bare path in a .pth does not run that directory's own .pth files, so the checkout's
    # editable install (a finder hook started from one) stays off.
    deps = dict.fromkeys([*site.getsitepackages(), sysconfig.get_path("purelib")])
    Path(purelib, "appmon-test-dependencies.pth").write_text(
        "".join(f"{path}\n" for path in deps if Path(path).is_dir()), encoding="utf-8")
    cwd = base / "elsewhere"
    cwd.mkdir()
    return Installed(wheel, venv, cwd)


@pytest.mark.slow
def test_wheel_carries_every_file_the_service_reads(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
        (entry_points,) = (n for n in names if n.endswith(".dist-info/entry_points.txt"))
        scripts = wheel.read(entry_points).decode()
    missing = packaged_files() - names
    assert not missing, f"not in the wheel (pyproject.toml package-data): {sorted(missing)}"
    assert re.search(r"^appmon = monitor\.cli:main$", scripts, re.MULTILINE), scripts
    # README "Running in production" names the wheel in its commands: the version must follow.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Running in production", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"appmon-[^\s/]+\.whl", section))
    assert named == {installed.wheel.name}, named


@pytest.mark.slow
def test_installed_wheel_imports_itself_and_finds_its_templates(installed: Installed) -> None:
    probe = textwrap.dedent("""
        import json, os, alerting, monitor, probes
        from alerting.render import TEMPLATES as alerting_templates
        from monitor.console.assets import STATIC_DIR
        from monitor.reports.render import environment as reports_environment
        from monitor.templating import environment
        site_packages = os.path.dirname(os.path.dirname(monitor.__file__))
        loaded = set()
        for env in (environment(), reports_environment(), alerting_templates):
            # The pages' loader lists the views (and their bytecode) beside their templates.
            for name in env.list_templates(extensions=["html", "css"]):
                template = env.get_template(name)  # loads and parses it
                loaded.add(os.path.relpath(template.filename, site_packages))
        print(json.dumps({
            "files": [m.__file__ for m in (monitor, probes, alerting)],
            "templates": sorted(loaded),
            "static": sorted(p.name for p in STATIC_DIR.iterdir()),
        }))
    """)
    proc = installed.run(installed.python, "-c", probe)
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout)
    venv = installed.venv.resolve()
    for file in found["files"]:
        assert Path(file).resolve().is_relative_to(venv), f"imported from outside the wheel: {file}"
    templates = {p for p in packaged_files() if p.endswith((".html", ".css"))
                 and not p.startswith("monitor/static/")}
    assert set(found["templates"]) == templates
    assert found["static"] == sorted(p.name for p in (ROOT / "monitor/static/console").iterdir()
                                     if p.is_file())


@pytest.mark.slow
def test_appmon_script_helps_and_validates_the_production_config(installed: Installed) -> None:
    proc = installed.run(installed.appmon, "--help")
    assert proc.returncode == 0, proc.stderr
    assert "validate" in proc.stdout
    assert "run" in proc.stdout

    proc = installed.run(installed.appmon, "validate", "--config", CONFIG,
                         env=env_file(ENV_EXAMPLE))
    assert proc.returncode == 0, proc.stderr
    assert "配置有效" in proc.stdout  # the config's service.language: zh-CN

    # The full example (an apps_file beside it, every probe kind), from the wheel too.
    example = ROOT / "config" / "example.yaml"
    names = set(re.findall(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)\}", example.read_text("utf-8")))
    proc = installed.run(installed.appmon, "validate", "--config", example,
                         env=dict.fromkeys(names, "SEC" + "0123456789abcdef" * 3))
    assert proc.returncode == 0, proc.stderr

    proc = installed.run(installed.appmon, "validate", "--config", CONFIG, env={})
    assert proc.returncode == 2, "an unset ${NAME} is an invalid config"


@pytest.mark.slow
def test_demo_runs_from_the_wheel(installed: Installed) -> None:
    proc = installed.run(installed.appmon, "demo", "--port", "0", "--duration", "2",
                         "--data-dir", installed.cwd / "demo")
    assert proc.returncode == 0, proc.stderr
