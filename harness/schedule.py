"""The order a run starts its cells in: the longest first, and neighbours on different Pythons.

Workers take cells in the order they are submitted. The matrix's own order (each Python's
strategies in turn) ends on 3.11's `no-deps-pinned` and `resilient`, two pip cells, so the run's
tail was a whole pip install long; and two workers held two cells of one Python at once, whose
venvs often come out identical (harness.chain.sameenv), so one waited for the other's chain run
instead of installing. Longest first ends the run on short uv cells; same-cost cells alternate
between Pythons.

The cost of a cell is estimated from the matrix alone (nothing has run yet), in units of one uv
install of the pack: a pip install of the pack unpacks and writes every file itself, one after
another (~20 s warm here against ~5 s for uv, which links from its cache); a step that does not
install the pack (pip, setuptools, wheel; ``--no-deps``) is small. A fallback strategy is costed
by its first member, which is the one that passes on a working machine. Equal costs keep the
matrix's strategy order, Pythons alternating.

A pip cell that will most likely take another cell's install (harness.install.share: the same Python,
the same steps once the resolver-only options and the seeding upgrade of pip/setuptools/wheel are set
aside) costs only its plan, so it starts after the cell it will share with has finished, instead of
beside it, where it would wait for that cell's whole install and chain with its worker idle.
"""
from __future__ import annotations

from typing import Dict, Hashable, List, Optional, Protocol, Sequence, Set, Tuple, TypeVar

from harness.install.share import effective_args
from harness.matrix import InstallStep, Matrix, Strategy

PACK_INSTALL = {"pip": 4.0, "uv": 1.0}  # one install of the pack, by installer
SMALL_INSTALL = 0.3  # a step that does not pull the pack's dependency tree
VENV = 0.2
PLAN = 0.5  # pip's dry run of a cell whose plan another cell already installed
# What `uv venv --seed` puts in a 3.8-3.11 venv at their newest versions: upgrading them changes nothing.
SEEDED = frozenset({"pip", "setuptools", "wheel"})


class _Cell(Protocol):
    @property
    def python(self) -> str: ...

    @property
    def strategy(self) -> Strategy: ...


CellT = TypeVar("CellT", bound=_Cell)


def start_order(cells: Sequence[CellT], matrix: Matrix) -> List[CellT]:
    """``cells`` longest first; among equal costs, by strategy (the matrix's order), then Python."""
    strategy_rank = {s.id: i for i, s in enumerate(matrix.strategies)}
    python_rank = {p: i for i, p in enumerate(dict.fromkeys(c.python for c in cells))}
    sharers = likely_sharers(cells, matrix)

    def cost(cell: CellT) -> float:
        return VENV + PLAN if id(cell) in sharers else cell_cost(cell.strategy, matrix)

    return sorted(cells, key=lambda c: (-cost(c), strategy_rank.get(c.strategy.id, 0), python_rank[c.python]))


def install_groups(cells: Sequence[CellT], matrix: Matrix) -> List[List[CellT]]:
    """The pip cells that will most likely plan the same install, in groups of two or more (in ``cells``'
    order): per Python, the cells with the same :func:`install_signature`."""
    groups: Dict[Tuple[str, Hashable], List[CellT]] = {}
    for cell in cells:
        signature = install_signature(cell.strategy, matrix)
        if signature is not None:
            groups.setdefault((cell.python, signature), []).append(cell)
    return [group for group in groups.values() if len(group) > 1]


def likely_sharers(cells: Sequence[CellT], matrix: Matrix) -> Set[int]:
    """``id()`` of each pip cell whose install an earlier cell of its group will most likely make."""
    return {id(cell) for group in install_groups(cells, matrix) for cell in group[1:]}


def install_signature(strategy: Strategy, matrix: Matrix) -> Optional[Hashable]:
    """What a pip strategy's install depends on, as far as the matrix tells; None for uv or opt-in ones."""
    if strategy.is_fallback:
        runnable = [m for m in (matrix.strategy(i) for i in strategy.fallback) if not m.opt_in]
        return install_signature(runnable[0], matrix) if runnable else None
    if strategy.installer != "pip" or strategy.opt_in or not strategy.steps:
        return None
    *earlier, last = strategy.steps
    kept = [(s.requirements, s.pins, s.args) for s in earlier if not _seeding(s)]
    return tuple(kept), (last.requirements, last.pins, effective_args(last.args))


def _seeding(step: InstallStep) -> bool:
    return not step.pins and bool(step.requirements) and set(step.requirements) <= SEEDED


def cell_cost(strategy: Strategy, matrix: Matrix) -> float:
    """The estimated time of one cell of ``strategy``, in uv pack installs; 0 for a strategy that never runs."""
    if strategy.opt_in:
        return 0.0  # skipped unless opted in; then it builds from source and is the longest anyway
    if strategy.is_fallback:
        members = [matrix.strategy(m) for m in strategy.fallback]
        runnable = [m for m in members if not m.opt_in]
        return cell_cost(runnable[0], matrix) if runnable else 0.0
    return VENV + sum(step_cost(step, strategy.installer) for step in strategy.steps)


def step_cost(step: InstallStep, installer: str) -> float:
    pulls_pack = bool(step.pins) or (any("{pack}" in r for r in step.requirements) and "--no-deps" not in step.args)
    return PACK_INSTALL.get(installer, 1.0) if pulls_pack else SMALL_INSTALL
