"""The matrix schema: one walk over the loaded values that builds the records and collects every error.

Each problem is phrased as ``matrix.yaml:12: strategies[1].args: expected a list of strings``, on
the line its key starts on, so a user fixes the file in one pass.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Pattern, Sequence, Tuple

from harness.chain.spec import (
    PLACEHOLDERS,
    STAGE_NAMES,
    WHERE_HARNESS,
    WHERE_VENV,
    ChainSpec,
    StageSpec,
    unknown_placeholders,
)
from harness.matrix.model import (
    DEFAULT_TIMEOUTS,
    ID_RE,
    INSTALLERS,
    OPT_INS,
    PYTHON_RE,
    InstallStep,
    Matrix,
    Pack,
    Strategy,
)
from harness.matrix.parse import one_line
from harness.versions import parse_specifiers, version_key


class Checker:
    """Walks the loaded data once, building values and collecting errors."""

    def __init__(self, path: Path, lines: Dict[Tuple[Any, ...], int]) -> None:
        self.path = path
        self.filename = path.name
        self.lines = lines
        self.errors: List[str] = []

    # -- error helpers
    def error(self, where: Tuple[Any, ...], message: str) -> None:
        probe = where
        while probe and probe not in self.lines:
            probe = probe[:-1]
        line = self.lines.get(probe, 1)
        self.errors.append(f"{self.filename}:{line}: {_dotted(where)}: {message}")

    def mapping(self, value: Any, where: Tuple[Any, ...], required: Sequence[str],
                optional: Sequence[str]) -> Optional[Dict[str, Any]]:
        if not isinstance(value, dict):
            self.error(where, "expected a mapping")
            return None
        for key in value:
            if key not in required and key not in optional:
                allowed = ", ".join(list(required) + list(optional))
                self.error(where + (key,), f"unknown key (allowed: {allowed})")
        for key in required:
            if key not in value:
                self.error(where, f"missing required key '{key}'")
        return value

    def string(self, value: Any, where: Tuple[Any, ...], pattern: Optional[Pattern[str]] = None,
               choices: Sequence[str] = ()) -> str:
        if not isinstance(value, str) or not value.strip():
            self.error(where, "expected a non-empty string")
            return ""
        if pattern is not None and not pattern.fullmatch(value):
            self.error(where, f"{value!r} does not match {pattern.pattern}")
        if choices and value not in choices:
            self.error(where, f"{value!r} is not one of: {', '.join(choices)}")
        return value

    def strings(self, value: Any, where: Tuple[Any, ...]) -> Tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.error(where, "expected a list of strings")
            return ()
        return tuple(value)

    def number(self, value: Any, where: Tuple[Any, ...]) -> float:
        # .nan passes "> 0" checks written the other way round and never fires as a timeout; .inf never ends.
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
            self.error(where, f"expected a positive, finite number of seconds, got {value!r}")
            return 1.0
        return float(value)

    # -- sections
    def matrix(self, data: Any, path: Path) -> Optional[Matrix]:
        top = self.mapping(data, (), ("pack", "pythons", "strategies"),
                           ("version", "pins", "timeouts", "chain", "interpreter_fallback"))
        if top is None:
            return None
        if top.get("version", 1) != 1:
            self.error(("version",), "only version 1 is supported")
        pack = self.pack(top.get("pack"), ("pack",))
        pythons = self.pythons(top.get("pythons"), ("pythons",))
        pins = self.pins(top.get("pins", {}), ("pins",))
        timeouts = self.timeouts(top.get("timeouts", {}), ("timeouts",))
        strategies = self.strategies(top.get("strategies"), ("strategies",), pins, pythons)
        chain = self.chain(top.get("chain", {"enabled": False, "item": "", "stages": []}), ("chain",))
        fallback = top.get("interpreter_fallback", sorted(pythons, key=version_key, reverse=True))
        fallback_t = self.strings(fallback, ("interpreter_fallback",))
        for position, version in enumerate(fallback_t):
            if version not in pythons:
                self.error(("interpreter_fallback", position), f"{version!r} is not in pythons")
        return Matrix(path=path, pack=pack, pythons=pythons, strategies=strategies, pins=pins,
                      timeouts=timeouts, chain=chain, interpreter_fallback=fallback_t)

    def pack(self, value: Any, where: Tuple[Any, ...]) -> Pack:
        data = self.mapping(value, where, ("requirement", "import_check", "requires_python"),
                            ("versions_of",)) or {}
        return Pack(
            requirement=self.string(data.get("requirement"), where + ("requirement",)),
            import_check=self.strings(data.get("import_check"), where + ("import_check",)),
            requires_python=self.specifier(data.get("requires_python"), where + ("requires_python",)),
            versions_of=self.strings(data.get("versions_of", []), where + ("versions_of",)),
        )

    def specifier(self, value: Any, where: Tuple[Any, ...]) -> str:
        """A version specifier preflight can evaluate (the one parser, harness.versions, decides)."""
        text = self.string(value, where)
        if text:
            try:
                parse_specifiers(text)
            except ValueError as exc:
                self.error(where, f"{exc} (expected e.g. \">=3.8,<3.12\")")
        return text

    def pythons(self, value: Any, where: Tuple[Any, ...]) -> Tuple[str, ...]:
        if not isinstance(value, list) or not value:
            self.error(where, "expected a non-empty list of versions like \"3.10\" (quoted)")
            return ()
        versions = []
        for position, item in enumerate(value):
            if not isinstance(item, str):
                self.error(where + (position,), f"{item!r}: write versions as quoted strings (\"3.10\")")
                continue
            versions.append(self.string(item, where + (position,), PYTHON_RE))
        if len(set(versions)) != len(versions):
            self.error(where, "duplicate versions")
        return tuple(versions)

    def pins(self, value: Any, where: Tuple[Any, ...]) -> Dict[str, Dict[str, Tuple[str, ...]]]:
        if not isinstance(value, dict):
            self.error(where, "expected a mapping of pin-set name to {default: [...], \"3.8\": [...]}")
            return {}
        result: Dict[str, Dict[str, Tuple[str, ...]]] = {}
        for name, table in value.items():
            self.string(name, where + (name,), ID_RE)
            if not isinstance(table, dict):
                self.error(where + (name,), "expected a mapping of 'default' or a Python version to requirements")
                continue
            entry = {}
            for key, reqs in table.items():
                if key != "default" and not (isinstance(key, str) and PYTHON_RE.fullmatch(key)):
                    self.error(where + (name, key), "keys are 'default' or a quoted Python version")
                entry[str(key)] = self.strings(reqs, where + (name, key))
            result[str(name)] = entry
        return result

    def timeouts(self, value: Any, where: Tuple[Any, ...]) -> Dict[str, float]:
        data = self.mapping(value, where, (), tuple(DEFAULT_TIMEOUTS)) or {}
        merged = dict(DEFAULT_TIMEOUTS)
        for key, seconds in data.items():
            if key in DEFAULT_TIMEOUTS:
                merged[key] = self.number(seconds, where + (key,))
        return merged

    def strategies(self, value: Any, where: Tuple[Any, ...], pins: Mapping[str, Any],
                   pythons: Sequence[str]) -> Tuple[Strategy, ...]:
        if not isinstance(value, list) or not value:
            self.error(where, "expected a non-empty list of strategies")
            return ()
        built = [self.strategy(item, where + (i,), pins, pythons) for i, item in enumerate(value)]
        ids = [s.id for s in built]
        for position, strategy in enumerate(built):
            if ids.count(strategy.id) > 1:
                self.error(where + (position, "id"), f"duplicate strategy id '{strategy.id}'")
            for member_pos, member in enumerate(strategy.fallback):
                if member not in ids:
                    self.error(where + (position, "fallback", member_pos), f"unknown strategy {member!r}")
                elif built[ids.index(member)].is_fallback:
                    self.error(where + (position, "fallback", member_pos), "a fallback cannot contain another fallback")
        return tuple(built)

    def strategy(self, value: Any, where: Tuple[Any, ...], pins: Mapping[str, Any],
                 pythons: Sequence[str]) -> Strategy:
        data = self.mapping(value, where, ("id",),
                            ("installer", "description", "steps", "fallback", "opt_in", "pythons")) or {}
        strategy_id = self.string(data.get("id"), where + ("id",), ID_RE)
        has_steps, has_fallback = "steps" in data, "fallback" in data
        if has_steps == has_fallback:
            self.error(where, "give exactly one of 'steps' or 'fallback'")
        installer = data.get("installer", "uv")
        installer = self.string(installer, where + ("installer",), choices=INSTALLERS)
        steps: Tuple[InstallStep, ...] = ()
        if has_steps:
            raw_steps = data["steps"]
            if not isinstance(raw_steps, list) or not raw_steps:
                self.error(where + ("steps",), "expected a non-empty list of steps")
            else:
                steps = tuple(self.step(s, where + ("steps", i), pins) for i, s in enumerate(raw_steps))
        opt_in = data.get("opt_in")
        if opt_in is not None:
            opt_in = self.string(opt_in, where + ("opt_in",), choices=OPT_INS)
        only = self.strings(data.get("pythons", []), where + ("pythons",))
        for position, version in enumerate(only):
            if version not in pythons:
                self.error(where + ("pythons", position), f"{version!r} is not in the matrix's pythons")
        return Strategy(
            id=strategy_id, installer=installer, description=str(data.get("description", "")),
            steps=steps, fallback=self.strings(data["fallback"], where + ("fallback",)) if has_fallback else (),
            opt_in=opt_in, pythons=only,
        )

    def step(self, value: Any, where: Tuple[Any, ...], pins: Mapping[str, Any]) -> InstallStep:
        data = self.mapping(value, where, ("name", "requirements"), ("args", "pins", "substitutions")) or {}
        pin_set = data.get("pins")
        if pin_set is not None and not isinstance(pin_set, str):
            self.error(where + ("pins",), "expected the name of a pin set")
            pin_set = None
        elif pin_set is not None and pin_set not in pins:
            self.error(where + ("pins",), f"unknown pin set {pin_set!r}")
        subs = data.get("substitutions", {})
        pairs: Tuple[Tuple[str, str], ...] = ()
        if not isinstance(subs, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in subs.items()):
            self.error(where + ("substitutions",), "expected a mapping of requirement to replacement requirement")
        else:
            pairs = tuple(subs.items())
        args = self.strings(data.get("args", []), where + ("args",))
        for position, arg in enumerate(args):
            if not arg.startswith("-"):
                self.error(where + ("args", position), f"{arg!r} is not an option; put packages in 'requirements'")
        return InstallStep(
            name=self.string(data.get("name"), where + ("name",), ID_RE),
            requirements=self.strings(data.get("requirements"), where + ("requirements",)),
            args=args, pins=pin_set, substitutions=pairs,
        )

    def chain(self, value: Any, where: Tuple[Any, ...]) -> ChainSpec:
        data = self.mapping(value, where, ("item", "stages"), ("enabled", "model_dir")) or {}
        enabled = data.get("enabled", True)
        if not isinstance(enabled, bool):
            self.error(where + ("enabled",), "expected true or false")
        item = data.get("item", "")
        if enabled:
            item = self.string(item, where + ("item",))
        model_dir = data.get("model_dir")
        if model_dir is not None:
            model_dir = self.string(model_dir, where + ("model_dir",))
        stages: List[StageSpec] = []
        raw = data.get("stages", [])
        if not isinstance(raw, list):
            self.error(where + ("stages",), "expected a list of stages")
            raw = []
        for position, stage in enumerate(raw):
            stages.append(self.stage(stage, where + ("stages", position)))
        names = [s.name for s in stages]
        if enabled and names != list(STAGE_NAMES):
            self.error(where + ("stages",), f"stages must be, in order: {', '.join(STAGE_NAMES)}")
        if enabled is True and item:
            self.item(item, where + ("item",))
        return ChainSpec(item=str(item), stages=tuple(stages), model_dir=model_dir, enabled=bool(enabled))

    def item(self, value: str, where: Tuple[Any, ...]) -> None:
        """The sample item must exist and load now, not after every cell has installed TensorFlow.

        A relative path stays inside the matrix file's folder (``../../`` is refused); an
        absolute path is the user's explicit choice.
        """
        from harness.chain.item import ItemError, load_item

        base = self.path.parent.resolve()
        folder = Path(value)
        if not folder.is_absolute():
            folder = (base / folder).resolve()
            if folder != base and base not in folder.parents:
                self.error(where, f"{value!r} leaves the folder of {self.filename}; give a path inside it "
                                  "or an absolute one")
                return
        if not folder.is_dir():
            self.error(where, f"{value!r}: no such folder ({folder})")
            return
        try:
            load_item(folder)
        except ItemError as exc:
            self.error(where, f"{value!r}: {one_line(exc)}")

    def stage(self, value: Any, where: Tuple[Any, ...]) -> StageSpec:
        data = self.mapping(value, where, ("name",), ("where", "command", "timeout")) or {}
        command = data.get("command")
        if command is not None:
            command = self.strings(command, where + ("command",))
            unknown = unknown_placeholders(command)
            if unknown:
                self.error(where + ("command",), "unknown placeholder " + ", ".join(f"{{{n}}}" for n in unknown)
                           + f" (known: {', '.join(PLACEHOLDERS)})")
        return StageSpec(
            name=self.string(data.get("name"), where + ("name",), choices=STAGE_NAMES),
            where=self.string(data.get("where", WHERE_HARNESS), where + ("where",),
                              choices=(WHERE_VENV, WHERE_HARNESS)),
            command=command,
            timeout=self.number(data.get("timeout", 600), where + ("timeout",)),
        )


def line_of(message: str) -> int:
    parts = message.split(":", 2)
    return int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else 0


def _dotted(where: Tuple[Any, ...]) -> str:
    text = ""
    for part in where:
        if not (isinstance(part, (int, str)) and ID_RE.fullmatch(str(part))):
            part = repr(part)  # a key with a newline or a colon must not break the one-line message
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"
