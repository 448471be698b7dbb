"""matrix.yaml: schema, loading and validation.

The file is parsed twice from the same text: ``yaml.compose`` (safe: it only
builds nodes) gives every key its line number, and ``yaml.safe_load`` gives the
values. Validation collects *all* problems before it raises, each phrased as
``matrix.yaml:12: strategies[1].args: expected a list of strings``, so a user
fixes the file in one pass; nothing runs while the file is invalid.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import yaml

from harness.chain.spec import (
    PLACEHOLDERS,
    STAGE_NAMES,
    WHERE_HARNESS,
    WHERE_VENV,
    ChainSpec,
    StageSpec,
    unknown_placeholders,
)
from harness.errors import MatrixError
from harness.files import FileTooLarge, read_capped
from harness.versions import parse_specifiers, requirement_name, version_key

# Matched with fullmatch: "$" also matches before a final newline, so "3.11\n" would pass and
# put a newline into a cell's file name.
ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
PYTHON_RE = re.compile(r"3\.[0-9]{1,2}|2\.7")
INSTALLERS = ("pip", "uv")
OPT_INS = ("source-builds",)
DEFAULT_TIMEOUTS = {"provision": 300.0, "install": 1800.0, "verify": 300.0}


@dataclass(frozen=True)
class Pack:
    """The package under test and how to tell that it really imports."""

    requirement: str
    import_check: Tuple[str, ...]
    requires_python: str
    versions_of: Tuple[str, ...] = ()  # distributions whose installed versions are recorded

    @property
    def name(self) -> str:
        return requirement_name(self.requirement)


@dataclass(frozen=True)
class InstallStep:
    """One installer invocation of a strategy.

    ``substitutions`` is WP-0050's pin fallback: when the step fails, it is
    retried once with each ``old`` requirement replaced by ``new`` (e.g.
    tensorflow-io-gcs-filesystem 0.32.0 -> 0.31.0).
    """

    name: str
    requirements: Tuple[str, ...]
    args: Tuple[str, ...] = ()
    pins: Optional[str] = None
    substitutions: Tuple[Tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Strategy:
    id: str
    installer: str
    description: str = ""
    steps: Tuple[InstallStep, ...] = ()
    fallback: Tuple[str, ...] = ()  # member strategy ids, tried in order (the resilient installer)
    opt_in: Optional[str] = None  # e.g. "source-builds": never runs without the user's explicit flag
    pythons: Tuple[str, ...] = ()  # empty = all pythons of the matrix

    @property
    def is_fallback(self) -> bool:
        return bool(self.fallback)


@dataclass(frozen=True)
class Matrix:
    path: Path
    pack: Pack
    pythons: Tuple[str, ...]
    strategies: Tuple[Strategy, ...]
    pins: Mapping[str, Mapping[str, Tuple[str, ...]]]
    timeouts: Mapping[str, float]
    chain: ChainSpec
    interpreter_fallback: Tuple[str, ...]

    def strategy(self, strategy_id: str) -> Strategy:
        for strategy in self.strategies:
            if strategy.id == strategy_id:
                return strategy
        raise KeyError(strategy_id)

    def pins_for(self, name: str, python: str) -> Tuple[str, ...]:
        """The pin set ``name`` for one Python: its per-Python entry, else ``default``."""
        table = self.pins[name]
        return tuple(table.get(python, table.get("default", ())))

    def resolve_path(self, value: str) -> Path:
        path = Path(value)
        return path if path.is_absolute() else (self.path.parent / path)


# --------------------------------------------------------------------------- loading


def load(path: Path) -> Matrix:
    """Read and validate a matrix file; raise MatrixError listing every problem."""
    path = Path(path)
    try:
        data = read_capped(path, MAX_BYTES)
    except FileTooLarge:
        raise MatrixError([f"{path.name}:1: the file is larger than {MAX_BYTES // 1024} KiB; "
                           "a matrix is a few kilobytes of YAML"]) from None
    except OSError as exc:
        raise MatrixError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise MatrixError([f"{path.name}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x}); save the file "
                           "as UTF-8"]) from None
    return loads(text, path)


def loads(text: str, path: Path) -> Matrix:
    if len(text) > MAX_BYTES:
        raise MatrixError([f"{path.name}:1: the text is longer than {MAX_BYTES // 1024} KiB"])
    node, data = _parse(text, path.name)
    checker = _Checker(path, _line_index(node))
    matrix = checker.matrix(data, path)
    if checker.errors:
        raise MatrixError(sorted(checker.errors, key=_line_of))
    assert matrix is not None
    return matrix


# Limits on the YAML itself, checked before any value is built: an alias bomb, a recursive
# alias or a 5,000-deep nesting must cost milliseconds and give one line, not gigabytes or a
# RecursionError. The default matrix has 6 levels, no aliases and ~600 nodes.
MAX_BYTES = 1024 * 1024
MAX_ALIASES = 100
MAX_DEPTH = 40
MAX_NODES = 100_000  # after aliases are expanded


class _Limit(yaml.MarkedYAMLError):
    """The document breaks one of the limits above (or repeats a key): reported as is, with its line."""

    def __init__(self, mark: Optional[yaml.Mark], problem: str) -> None:
        super().__init__(problem=problem, problem_mark=mark)


class _GuardedLoader(yaml.SafeLoader):
    """SafeLoader that counts aliases and nesting while it composes (the composer recurses)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _Limit(self.peek_event().start_mark, f"more than {MAX_ALIASES} aliases")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Limit(self.peek_event().start_mark, f"nested deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _parse(text: str, filename: str) -> Tuple[Optional[yaml.Node], Any]:
    """Compose once (lines, limits, duplicate keys), then build the values from the same nodes."""
    loader = None
    try:
        loader = _GuardedLoader(text)  # the reader already rejects control characters here
        node = loader.get_single_node()
        if node is not None:
            _check_shape(node)
        return node, (loader.construct_document(node) if node is not None else None)
    except _Limit as exc:
        raise MatrixError([f"{filename}:{_mark_line(exc.problem_mark, text)}: {exc.problem}"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or exc
        raise MatrixError([f"{filename}:{_mark_line(mark, text, exc)}: invalid YAML: {_one_line(problem)}"]) from None
    except (ValueError, TypeError, OverflowError) as exc:  # a constructor's own check: 2001-02-30, a 5000-digit int
        raise MatrixError([f"{filename}:1: invalid YAML value: {_one_line(exc)}"]) from None
    finally:
        if loader is not None:
            loader.dispose()


def _mark_line(mark: Optional[yaml.Mark], text: str, exc: Optional[Exception] = None) -> int:
    if mark is not None:
        return mark.line + 1
    position = getattr(exc, "position", None)  # a ReaderError (a control character) has only an offset
    return text.count("\n", 0, position) + 1 if isinstance(position, int) else 1


def _one_line(value: Any) -> str:
    return " ".join(str(value).split())


def _check_shape(root: yaml.Node) -> None:
    """Expanded size and depth within the limits, no recursive alias, no key given twice.

    Each node is measured once (aliases share nodes), so this costs the size of the text,
    not of the expansion.
    """
    measured: Dict[int, Tuple[int, int]] = {}  # id(node) -> (expanded size, height)
    open_nodes: set = set()

    def measure(node: yaml.Node, depth: int) -> Tuple[int, int]:
        key = id(node)
        if key in open_nodes:
            raise _Limit(node.start_mark, "an alias refers to a node that contains it (a recursive structure)")
        if key not in measured:
            if depth > MAX_DEPTH:
                raise _Limit(node.start_mark, f"nested deeper than {MAX_DEPTH} levels (aliases included)")
            open_nodes.add(key)
            children: List[yaml.Node] = []
            if isinstance(node, yaml.MappingNode):
                _no_duplicate_keys(node)
                children = [part for pair in node.value for part in pair]
            elif isinstance(node, yaml.SequenceNode):
                children = list(node.value)
            size, height = 1, 1
            for child in children:
                child_size, child_height = measure(child, depth + 1)
                size, height = size + child_size, max(height, child_height + 1)
                if size > MAX_NODES:
                    raise _Limit(node.start_mark, f"expands to more than {MAX_NODES} values (an alias bomb?)")
            open_nodes.discard(key)
            measured[key] = (size, height)
        size, height = measured[key]
        if depth + height - 1 > MAX_DEPTH:
            raise _Limit(node.start_mark, f"nested deeper than {MAX_DEPTH} levels (aliases included)")
        return size, height

    measure(root, 1)


def _no_duplicate_keys(node: yaml.MappingNode) -> None:
    seen: Dict[Tuple[str, str], int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            continue
        ident = (key_node.tag, key_node.value)
        line = key_node.start_mark.line + 1
        if ident in seen:
            raise _Limit(key_node.start_mark, f"duplicate key {key_node.value!r} (first at line {seen[ident]}); "
                                              "YAML would silently keep only the last one")
        seen[ident] = line


def _line_index(node: Optional[yaml.Node]) -> Dict[Tuple[Any, ...], int]:
    """Map each key path (('strategies', 1, 'args')) to the 1-based line it starts on."""
    index: Dict[Tuple[Any, ...], int] = {}

    def walk(current: yaml.Node, prefix: Tuple[Any, ...]) -> None:
        index.setdefault(prefix, current.start_mark.line + 1)
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                key = key_node.value
                if not isinstance(key, str):
                    continue  # a complex key cannot be a key path; its errors fall back to the parent's line
                index[prefix + (key,)] = key_node.start_mark.line + 1
                walk(value_node, prefix + (key,))
        elif isinstance(current, yaml.SequenceNode):
            for position, item in enumerate(current.value):
                walk(item, prefix + (position,))

    if node is not None:
        walk(node, ())
    return index


class _Checker:
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

    def string(self, value: Any, where: Tuple[Any, ...], pattern: Optional[re.Pattern] = None,
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
                self.error(("interpreter_fallback", position), f"'{version}' is not in pythons")
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
                    self.error(where + (position, "fallback", member_pos), f"unknown strategy '{member}'")
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
                self.error(where + ("pythons", position), f"'{version}' is not in the matrix's pythons")
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
            self.error(where + ("pins",), f"unknown pin set '{pin_set}'")
        subs = data.get("substitutions", {})
        pairs: Tuple[Tuple[str, str], ...] = ()
        if not isinstance(subs, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in subs.items()):
            self.error(where + ("substitutions",), "expected a mapping of requirement to replacement requirement")
        else:
            pairs = tuple(subs.items())
        args = self.strings(data.get("args", []), where + ("args",))
        for position, arg in enumerate(args):
            if not arg.startswith("-"):
                self.error(where + ("args", position), f"'{arg}' is not an option; put packages in 'requirements'")
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
            self.error(where, f"{value!r}: {_one_line(exc)}")

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


def _line_of(message: str) -> int:
    parts = message.split(":", 2)
    return int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else 0


def _dotted(where: Tuple[Any, ...]) -> str:
    text = ""
    for part in where:
        if not (isinstance(part, (int, str)) and ID_RE.fullmatch(str(part))):
            part = repr(part)  # a key with a newline or a colon must not break the one-line message
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"

