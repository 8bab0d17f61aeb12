"""Find, parse and merge the ``check`` policy: defaults < config file < per-path overrides < flags.

The policy lives in ``.misinfo-signals.toml`` or in ``[tool.misinfo-signals]`` of
``pyproject.toml``; the first directory (walking up from the working directory) that has
either wins, and ``.misinfo-signals.toml`` wins over ``pyproject.toml`` in the same directory.
Globs in the file are relative to the file's directory.
"""

from __future__ import annotations

import difflib
import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NoReturn, cast

from service.cli.check.errors import ConfigError
from service.cli.check.globs import matches_any_or_parent
from service.core.signals import KNOWN_SIGNALS, Level

FailOn = Literal["error", "warning", "notice", "none"]
LEVELS: tuple[Level, ...] = ("error", "warning", "notice", "off")
FAIL_ON: tuple[FailOn, ...] = ("error", "warning", "notice", "none")
LEVEL_RANK = {"notice": 1, "warning": 2, "error": 3}
DEFAULT_FAIL_ON: FailOn = "warning"
DEFAULT_INCLUDE: tuple[str, ...] = (
    "*.md",
    "*.markdown",
    "*.mdown",
    "*.mkd",
    "*.html",
    "*.htm",
    "*.xhtml",
    "*.txt",
    "*.text",
)
# Never walked into (matched below the directory being walked, so naming one explicitly works).
WALK_EXCLUDE: tuple[str, ...] = (".*/", "node_modules/", "site-packages/")
DEDICATED_FILE = ".misinfo-signals.toml"
PYPROJECT_FILE = "pyproject.toml"
PYPROJECT_TABLE = "tool.misinfo-signals"

_TOP_KEYS = ("fail-on", "include", "exclude", "signals", "overrides")
_SIGNAL_KEYS = ("threshold", "level")
_OVERRIDE_KEYS = ("paths", "signals")


@dataclass(frozen=True, slots=True)
class SignalPolicy:
    """Threshold and level for one signal; None leaves the value to a lower layer."""

    threshold: float | None = None
    level: Level | None = None


@dataclass(frozen=True, slots=True)
class Override:
    """Signal settings that apply to paths matching any of the globs."""

    paths: tuple[str, ...]
    signals: Mapping[str, SignalPolicy]


@dataclass(frozen=True, slots=True)
class FileConfig:
    """What one config file says (every field optional)."""

    source: Path | None = None
    fail_on: FailOn | None = None
    include: tuple[str, ...] | None = None
    exclude: tuple[str, ...] | None = None
    signals: Mapping[str, SignalPolicy] = field(default_factory=dict)
    overrides: tuple[Override, ...] = ()


@dataclass(frozen=True, slots=True)
class FlagConfig:
    """What the command-line flags say (every field optional)."""

    fail_on: FailOn | None = None
    include: tuple[str, ...] | None = None
    exclude: tuple[str, ...] | None = None
    thresholds: Mapping[str, float] = field(default_factory=dict)
    levels: Mapping[str, Level] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PathPolicy:
    """The resolved thresholds (None: the model's) and levels for one file."""

    thresholds: Mapping[str, float]
    levels: Mapping[str, Level]

    def level(self, signal: str) -> Level:
        """Return the level of signal, falling back to its taxonomy default."""
        return self.levels.get(signal) or default_level(signal)


@dataclass(frozen=True, slots=True)
class Policy:
    """The merged policy: flags over per-path overrides over the file over defaults."""

    root: Path
    file: FileConfig
    flags: FlagConfig

    @property
    def fail_on(self) -> FailOn:
        """Return the level at or above which findings fail the run."""
        return self.flags.fail_on or self.file.fail_on or DEFAULT_FAIL_ON

    @property
    def include(self) -> tuple[str, ...]:
        """Return the globs that select files when walking directories."""
        return self.flags.include or self.file.include or DEFAULT_INCLUDE

    @property
    def exclude(self) -> tuple[str, ...]:
        """Return the globs that drop files and directories (flags replace the file's)."""
        if self.flags.exclude is not None:
            return self.flags.exclude
        return self.file.exclude or ()

    def for_path(self, relative: str) -> PathPolicy:
        """Return the thresholds and levels for a file at this root-relative POSIX path."""
        layers: list[Mapping[str, SignalPolicy]] = [self.file.signals]
        layers += [
            o.signals for o in self.file.overrides if matches_any_or_parent(relative, o.paths)
        ]
        thresholds: dict[str, float] = {}
        levels: dict[str, Level] = {}
        for layer in layers:
            for signal, setting in layer.items():
                if setting.threshold is not None:
                    thresholds[signal] = setting.threshold
                if setting.level is not None:
                    levels[signal] = setting.level
        thresholds.update(self.flags.thresholds)
        levels.update(self.flags.levels)
        return PathPolicy(thresholds, levels)


def default_level(signal: str) -> Level:
    """Return a signal's level when nothing configures it."""
    known = KNOWN_SIGNALS.get(signal)
    return known.default_level if known else "notice"


def fails(level: str, fail_on: FailOn) -> bool:
    """Return whether a finding at level fails a run with this fail-on."""
    return fail_on != "none" and LEVEL_RANK.get(level, 0) >= LEVEL_RANK[fail_on]


def discover_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """Walk up from start and return the first config file with its policy table."""
    for directory in (start, *start.parents):
        dedicated = directory / DEDICATED_FILE
        if dedicated.is_file():
            return dedicated, _read_toml(dedicated)
        pyproject = directory / PYPROJECT_FILE
        if pyproject.is_file():
            table = _pyproject_table(pyproject)
            if table is not None:
                return pyproject, table
    return None


def load_config(path: Path) -> tuple[Path, dict[str, Any]]:
    """Read an explicitly named config file (``--config``)."""
    if not path.is_file():
        raise ConfigError(str(path), "", "config file not found")
    if path.name == PYPROJECT_FILE:
        table = _pyproject_table(path)
        if table is None:
            raise ConfigError(str(path), "", f"has no [{PYPROJECT_TABLE}] table")
        return path, table
    return path, _read_toml(path)


def _read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file, reporting syntax and encoding errors against the file."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), "", f"invalid TOML ({exc})") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(str(path), "", f"not valid UTF-8 ({exc.reason})") from exc
    except OSError as exc:
        raise ConfigError(str(path), "", f"cannot read ({exc.strerror})") from exc


def _pyproject_table(path: Path) -> dict[str, Any] | None:
    """Return ``[tool.misinfo-signals]`` of a pyproject.toml, or None when it has none."""
    tool = _read_toml(path).get("tool", {})
    table = tool.get("misinfo-signals") if isinstance(tool, dict) else None
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(str(path), PYPROJECT_TABLE, "must be a table")
    return table


def parse_config(path: Path, table: Mapping[str, Any]) -> FileConfig:
    """Validate a policy table strictly: unknown keys and bad values name the file and key."""
    prefix = f"{PYPROJECT_TABLE}." if path.name == PYPROJECT_FILE else ""
    reader = _Reader(str(path), prefix)
    reader.check_keys(table, _TOP_KEYS, "")
    overrides = []
    raw_overrides = table.get("overrides", [])
    if not isinstance(raw_overrides, list):
        reader.fail("overrides", "must be an array of tables ([[overrides]])")
    for n, item in enumerate(raw_overrides):
        key = f"overrides[{n}]"
        if not isinstance(item, dict):
            reader.fail(key, "must be a table")
        reader.check_keys(item, _OVERRIDE_KEYS, key)
        if "paths" not in item:
            reader.fail(f"{key}.paths", "is required")
        paths = reader.globs(item["paths"], f"{key}.paths")
        if not paths:
            reader.fail(f"{key}.paths", "must list at least one glob")
        overrides.append(Override(paths, reader.signals(item.get("signals", {}), f"{key}.signals")))
    fail_on = table.get("fail-on")
    if fail_on is not None and fail_on not in FAIL_ON:
        reader.fail("fail-on", f"must be one of {', '.join(FAIL_ON)}, got {fail_on!r}")
    return FileConfig(
        source=path,
        fail_on=cast("FailOn | None", fail_on),
        include=reader.globs(table["include"], "include") if "include" in table else None,
        exclude=reader.globs(table["exclude"], "exclude") if "exclude" in table else None,
        signals=reader.signals(table.get("signals", {}), "signals"),
        overrides=tuple(overrides),
    )


class _Reader:
    """Validation helpers that know which file and key they are reading."""

    def __init__(self, source: str, prefix: str) -> None:
        self.source = source
        self.prefix = prefix

    def fail(self, key: str, problem: str) -> NoReturn:
        """Raise a ConfigError for key."""
        raise ConfigError(self.source, self.prefix + key, problem)

    def check_keys(self, table: Mapping[str, Any], allowed: Sequence[str], where: str) -> None:
        """Reject keys that are not allowed, suggesting the closest allowed one."""
        for key in table:
            if key not in allowed:
                full = f"{where}.{key}" if where else key
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                self.fail(full, f"unknown key{hint}; known keys: {', '.join(allowed)}")

    def globs(self, value: Any, key: str) -> tuple[str, ...]:
        """Return a list of glob strings."""
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(key, "must be an array of non-empty glob strings")
        return tuple(value)

    def signals(self, value: Any, key: str) -> dict[str, SignalPolicy]:
        """Return the per-signal settings of a ``signals`` table."""
        if not isinstance(value, dict):
            self.fail(key, "must be a table of signal ids")
        result = {}
        for signal, setting in value.items():
            where = f"{key}.{signal}"
            if signal not in KNOWN_SIGNALS:
                close = difflib.get_close_matches(signal, list(KNOWN_SIGNALS), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                self.fail(where, f"unknown signal{hint}; known: {', '.join(KNOWN_SIGNALS)}")
            if not isinstance(setting, dict):
                self.fail(where, "must be a table with threshold and/or level")
            self.check_keys(setting, _SIGNAL_KEYS, where)
            threshold = setting.get("threshold")
            if threshold is not None and not valid_threshold(threshold):
                self.fail(
                    f"{where}.threshold", f"must be a number between 0 and 1, got {threshold!r}"
                )
            level = setting.get("level")
            if level is not None and level not in LEVELS:
                self.fail(f"{where}.level", f"must be one of {', '.join(LEVELS)}, got {level!r}")
            result[signal] = SignalPolicy(
                float(threshold) if threshold is not None else None, cast("Level | None", level)
            )
        return result


def valid_threshold(value: Any) -> bool:
    """Return whether value is a finite number in [0, 1] (booleans are not numbers here)."""
    return (
        not isinstance(value, bool)
        and isinstance(value, int | float)
        and math.isfinite(value)
        and 0.0 <= value <= 1.0
    )


def resolve_policy(
    flags: FlagConfig, *, cwd: Path, config: Path | None = None, use_config: bool = True
) -> Policy:
    """Find (or read the given) config file and merge it under the flags."""
    found = None
    if config is not None:
        found = load_config(config)
    elif use_config:
        found = discover_config(cwd)
    if found is None:
        return Policy(root=cwd, file=FileConfig(), flags=flags)
    path, table = found
    return Policy(root=path.parent.resolve(), file=parse_config(path, table), flags=flags)
