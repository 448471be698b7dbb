"""The start order of a run's cells: the longest first, neighbours on different Pythons."""
from __future__ import annotations

from pathlib import Path

from harness import matrix
from harness.runner import plan_cells
from harness.schedule import cell_cost, likely_sharers, start_order

ROOT = Path(__file__).resolve().parents[2]


def default():
    return matrix.load(ROOT / "matrix.yaml")


def test_every_cell_starts_once_and_the_pip_installs_of_the_pack_come_before_the_uv_ones():
    m = default()
    cells = plan_cells(m)
    order = start_order(cells, m)
    assert sorted(c.key for c in order) == sorted(c.key for c in cells)
    sharers = likely_sharers(cells, m)
    installers = [c.strategy.installer for c in order if not c.strategy.opt_in and id(c) not in sharers]
    assert installers.index("uv") > max(i for i, name in enumerate(installers) if name == "pip")
    assert [c.strategy.id for c in order[-4:]] == ["source-build"] * 4  # skipped without opt-in: instant


def test_cells_that_will_likely_take_another_cells_install_start_after_it():
    m = default()
    cells = plan_cells(m)
    order = [c.key for c in start_order(cells, m)]
    sharers = {c.key for c in cells if id(c) in likely_sharers(cells, m)}
    # Per Python the same plan: the seeded upgrade (bootstrap), --only-binary and the fallback's first member
    # do not change what pip installs; the build backends and the pinned set do.
    assert sharers == {f"{p}--{s}" for p in m.pythons for s in ("wheel-first-pip", "bootstrap", "resilient")}
    for python in m.pythons:
        first = order.index(f"{python}--default-pip")
        assert all(order.index(f"{python}--{s}") > first + 1 for s in ("wheel-first-pip", "bootstrap", "resilient"))
    # The uv cells (cheap, and their chain is the pip cells' environment) sit between the two groups.
    assert max(order.index(f"{p}--default") for p in m.pythons) < min(order.index(k) for k in sharers)


def test_equal_costs_alternate_pythons_so_two_workers_rarely_hold_one_environment():
    m = default()
    order = start_order(plan_cells(m), m)
    for first, second in zip(order, order[1:]):
        if cell_cost(first.strategy, m) == cell_cost(second.strategy, m) and first.strategy == second.strategy:
            assert first.python != second.python


def test_costs_follow_the_steps_a_strategy_runs():
    m = default()
    # bootstrap: a small step, then the pack with pip; default: the pack with uv; resilient: its first member
    assert cell_cost(m.strategy("bootstrap"), m) > cell_cost(m.strategy("default-pip"), m) > \
        cell_cost(m.strategy("default"), m) > 0
    assert cell_cost(m.strategy("resilient"), m) == cell_cost(m.strategy("bootstrap"), m)
    assert cell_cost(m.strategy("source-build"), m) == 0.0
