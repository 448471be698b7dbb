"""matrix.yaml as YAML: composed once with every key's line, within limits, no key given twice.

``yaml.compose`` (safe: it only builds nodes) gives every key its line number, and the values are
built from the same nodes as ``yaml.safe_load`` would build them.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Set, Tuple

import yaml

from harness.errors import MatrixError

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
                raise _Limit(self.peek_event().start_mark, f"more than {MAX_ALIASES} aliases")  # type: ignore[no-untyped-call]
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Limit(self.peek_event().start_mark, f"nested deeper than {MAX_DEPTH} levels")  # type: ignore[no-untyped-call]
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def compose(text: str, filename: str) -> Tuple[Optional[yaml.Node], Any]:
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
        raise MatrixError([f"{filename}:{_mark_line(mark, text, exc)}: invalid YAML: {one_line(problem)}"]) from None
    except (ValueError, TypeError, OverflowError) as exc:  # a constructor's own check: 2001-02-30, a 5000-digit int
        raise MatrixError([f"{filename}:1: invalid YAML value: {one_line(exc)}"]) from None
    finally:
        if loader is not None:
            loader.dispose()


def _mark_line(mark: Optional[yaml.Mark], text: str, exc: Optional[Exception] = None) -> int:
    if mark is not None:
        return mark.line + 1
    position = getattr(exc, "position", None)  # a ReaderError (a control character) has only an offset
    return text.count("\n", 0, position) + 1 if isinstance(position, int) else 1


def one_line(value: Any) -> str:
    return " ".join(str(value).split())


def _check_shape(root: yaml.Node) -> None:
    """Expanded size and depth within the limits, no recursive alias, no key given twice.

    Each node is measured once (aliases share nodes), so this costs the size of the text,
    not of the expansion.
    """
    measured: Dict[int, Tuple[int, int]] = {}  # id(node) -> (expanded size, height)
    open_nodes: Set[int] = set()

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


def line_index(node: Optional[yaml.Node]) -> Dict[Tuple[Any, ...], int]:
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
