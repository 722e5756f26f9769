"""The lock files agree with the ranges in pyproject.toml.

``make install`` (and so CI) installs requirements-dev.lock, the Dockerfile
requirements.lock; both are written by ``make lock``. A dependency added to or narrowed in
a pyproject.toml without ``make lock`` would install nothing new (the project itself is
installed with ``--no-deps``): these tests name it instead.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)(?:\s*;\s*([^\\]+?))?\s*\\?$")
HINT = "run `make lock` and commit requirements.lock and requirements-dev.lock"


def pins(lock: str) -> dict[str, Version]:
    """Package name -> the version the lock pins, each pin with its hashes."""
    lines = (ROOT / lock).read_text().splitlines()
    found: dict[str, Version] = {}
    for number, line in enumerate(lines):
        match = PIN.match(line)
        if match is None:
            continue
        assert number + 1 < len(lines), line
        assert lines[number + 1].strip().startswith("--hash=sha256:"), f"{lock}: {line} has no hash"
        found[canonicalize_name(match[1])] = Version(match[2])
    assert found, f"{lock} pins nothing"
    return found


def requirements(pyproject: str, *, extras: tuple[str, ...] = ()) -> list[Requirement]:
    project = tomllib.loads((ROOT / pyproject).read_text())["project"]
    listed = list(project["dependencies"])
    for extra in extras:
        listed += project["optional-dependencies"][extra]
    return [Requirement(text) for text in listed]


def unsatisfied(required: list[Requirement], locked: dict[str, Version]) -> list[str]:
    problems = []
    for requirement in required:
        version = locked.get(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"{requirement} is not in the lock")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement} but the lock has {version}")
    return problems


def test_the_development_lock_satisfies_every_range() -> None:
    required = requirements("pyproject.toml", extras=("dev",))
    required += requirements("sdk/python/pyproject.toml")
    assert unsatisfied(required, pins("requirements-dev.lock")) == [], HINT


def test_the_application_lock_satisfies_its_ranges_at_the_tested_versions() -> None:
    application = pins("requirements.lock")
    assert unsatisfied(requirements("pyproject.toml"), application) == [], HINT
    # The image runs what the test suite ran: the same version of every package.
    development = pins("requirements-dev.lock")
    differ = {
        name: (str(version), str(development.get(name)))
        for name, version in application.items()
        if development.get(name) != version
    }
    assert differ == {}, HINT


@pytest.mark.parametrize(
    ("path", "lock"), [("Makefile", "requirements-dev.lock"), ("Dockerfile", "requirements.lock")]
)
def test_installs_use_the_lock(path: str, lock: str) -> None:
    text = (ROOT / path).read_text()
    assert "--require-hashes" in text, path
    assert lock in text, path
