"""The speed benchmark's printed table: the rows, the targets' verdicts, the notes.

Targets come from issues 7 and 15; they are printed next to the figures as met or MISSED, never
asserted: a loaded shared machine must not turn a benchmark into a failing build.
"""
from __future__ import annotations

import textwrap
from typing import List, Optional, Sequence

from benchmarks.figures import (
    NOTES,
    TARGET_CHAIN_CPU_S,
    TARGET_COLD_RATIO,
    TARGET_MAIN_COLD_S,
    TARGET_MAIN_WARM_S,
    TARGET_PEER_RATIO,
    TARGET_RESOLVE_S,
    TARGET_WARM_INSTALL_S,
    ChainRun,
    Figures,
    Load,
    Part,
    Run,
    ratio,
    verdict,
)


def seconds(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:.1f} s"


def times(value: Optional[float]) -> str:
    return "" if value is None else f"{value:.2f}x"


def _row(label: str, time: str = "", ratio_text: str = "", target: str = "", outcome: str = "") -> str:
    return f"{label:<50} {time:>10} {ratio_text:>7}  {target:<11} {outcome}".rstrip()


def _load(load: Load) -> str:
    return "n/a" if load is None else " ".join(f"{x:.2f}" for x in load)


def header(figures: Figures) -> List[str]:
    m = figures.machine
    ram = "RAM unknown" if m.ram_gib is None else f"{m.ram_gib:.1f} GiB RAM"
    cells = len(figures.pythons) * len(figures.strategies)
    return [
        f"Matrix speed benchmark, {m.date}",
        f"machine: {m.cores} cores ({m.cpu}), {ram}, {m.free_disk_gib:.0f} GiB free disk; {m.platform}",
        f"versions: python {m.python} (harness), uv {m.uv}, pip {m.pip} (harness env)",
        f"load average 1/5/15 min: before {_load(m.load_before)}; after {_load(m.load_after)}",
        f"cells: {cells} ({', '.join(figures.pythons)} x {', '.join(figures.strategies)}), pack {figures.pack}, "
        f"harness workers {figures.workers}",
    ]


def _parts(parts: Sequence[Part]) -> List[str]:
    lines = []
    for part in parts:
        what = "ok" if part.ok else "FAILED"
        detail = part.detail
        if part.install_s is not None:
            detail = f"install {seconds(part.install_s)}" + (f"; {detail}" if detail else "")
        lines.append(_row(f"    {part.name}", seconds(part.wall_s), outcome=f"{what}  {detail}".rstrip()))
    return lines


def _run_outcome(run: Run, ok_text: str = "") -> str:
    """The outcome column: the target's verdict, and FAILED with how many cells when any did not pass."""
    failed = len(run.failed)
    if run.ok and not failed:
        return ok_text
    text = f"FAILED ({failed} of {len(run.parts)})" if failed else "FAILED" + (f": {run.detail}" if run.detail else "")
    return f"{ok_text}, {text}" if ok_text else text


def _run_rows(label: str, run: Optional[Run], baseline: Optional[Run], target: str = "",
              target_verdict: str = "") -> List[str]:
    if run is None:
        return [_row(label, "skipped")]
    value = ratio(run, baseline) if run is not baseline else None
    notes = [_row(f"    {run.detail}")] if run.detail and run.ok else []
    return [_row(label, seconds(run.wall_s), times(value), target, _run_outcome(run, target_verdict))] + \
        notes + _parts(run.parts)


def _single_rows(figures: Figures) -> List[str]:
    run = figures.single_warm
    label = "(c) one cell alone, warm cache"
    if run is None:
        return [_row(label, "skipped")]
    name = run.parts[0].name if run.parts else "?"
    install = run.parts[0].install_s if run.parts else None
    rows = [_row(f"{label} ({name})", seconds(run.wall_s), times(ratio(run, figures.baseline)),
                 outcome=_run_outcome(run))]
    rows.append(_row("    its install step", seconds(install), "", f"<= {TARGET_WARM_INSTALL_S:.0f} s",
                     verdict(install, TARGET_WARM_INSTALL_S)))
    return rows


def _chain_rows(chain: Optional[ChainRun]) -> List[str]:
    if chain is None:
        return [_row("(d) smoke chain on the sample item", "skipped")]
    rows = [_row("(d) smoke chain on the sample item, wall", seconds(chain.wall_s),
                 outcome="" if chain.ok else f"FAILED {chain.detail}".rstrip()),
            _row(f"    {chain.item} in the {chain.python} cell's venv")]
    rows.append(_row("    CPU, whole chain process tree", seconds(chain.cpu_s), "", f"< {TARGET_CHAIN_CPU_S:.0f} s",
                     verdict(chain.cpu_s, TARGET_CHAIN_CPU_S, strict=True)))
    rows.append(_row("    CPU, stage subprocesses only", seconds(chain.stages_cpu_s)))
    rows.extend(_parts(chain.stages))
    if chain.model_s is not None:
        rows.append(_row("    model provisioning (install time, not counted)", seconds(chain.model_s)))
    return rows


def _resolve_rows(label: str, run: Optional[Run]) -> List[str]:
    if run is None:
        return [_row(label, "skipped")]
    outcome = verdict(run.wall_s, TARGET_RESOLVE_S, strict=True) if run.ok else "FAILED"
    return [_row(label, seconds(run.wall_s), "", f"< {TARGET_RESOLVE_S:.0f} s", outcome)] + \
        ([_row(f"    {run.detail}")] if run.detail else [])


def _peer_rows(figures: Figures) -> List[str]:
    """(f) what a user would write instead, and the warm harness as a share of each."""
    rows = []
    for label, peer in (("(f) plain noxfile, nox -j 2, warm uv cache", figures.nox_peer),
                        ("(f) tox-uv, tox p -p 2, warm uv cache", figures.tox_peer)):
        if peer is None:
            rows.append(_row(label, "skipped"))
            continue
        rows.append(_row(label, seconds(peer.wall_s), times(ratio(peer, figures.baseline)),
                         outcome=_run_outcome(peer)))
        share = ratio(figures.harness_warm, peer) if peer.ok else None
        rows.append(_row("    harness warm / this", times(share), "", f"<= {TARGET_PEER_RATIO}x",
                         verdict(share, TARGET_PEER_RATIO)))
        if peer.detail:
            rows.append(_row(f"    {peer.detail}"))
    return rows


def _main_rows(figures: Figures) -> List[str]:
    """(g) the whole main job, cold then warm: its time against the targets and what it did."""
    rows = []
    workers = f"{figures.workers} worker" + ("" if figures.workers == 1 else "s")
    for name, run, limit in (("cold", figures.main_cold, TARGET_MAIN_COLD_S),
                             ("warm", figures.main_warm, TARGET_MAIN_WARM_S)):
        label = f"(g) main job ./run.sh matrix, {name}, {workers}"
        if run is None:
            rows.append(_row(label, "skipped"))
            continue
        outcome = verdict(run.wall_s, limit) if run.ok else "FAILED"
        rows.append(_row(label, seconds(run.wall_s), "", f"<= {limit / 60:.0f} min", outcome))
        if run.detail:
            rows.append(_row(f"    {run.detail}"))
    warm_share = ratio(figures.main_warm, figures.main_cold)
    if warm_share is not None:
        rows.append(_row("    warm / cold", times(warm_share)))
    return rows


def missed_targets(figures: Figures) -> List[str]:
    """Each target that has a figure and is not met, in words."""
    missed = []
    cold = ratio(figures.harness_cold, figures.baseline)
    if verdict(cold, TARGET_COLD_RATIO) == "MISSED":
        missed.append(f"cold harness {cold:.2f}x the baseline (target <= {TARGET_COLD_RATIO}x)")
    single = figures.single_warm
    install = single.parts[0].install_s if single and single.parts else None
    if verdict(install, TARGET_WARM_INSTALL_S) == "MISSED":
        missed.append(f"warm install of one cell {install:.1f} s (target <= {TARGET_WARM_INSTALL_S:.0f} s)")
    chain_cpu = figures.chain.cpu_s if figures.chain else None
    if verdict(chain_cpu, TARGET_CHAIN_CPU_S, strict=True) == "MISSED":
        missed.append(f"chain CPU {chain_cpu:.1f} s (target < {TARGET_CHAIN_CPU_S:.0f} s)")
    for name, peer in (("nox", figures.nox_peer), ("tox-uv", figures.tox_peer)):
        value = ratio(figures.harness_warm, peer) if peer is not None and peer.ok else None
        if verdict(value, TARGET_PEER_RATIO) == "MISSED":
            missed.append(f"warm harness {value:.2f}x the {name} peer (target <= {TARGET_PEER_RATIO}x)")
    for name, run in (("cold", figures.resolve_cold), ("warm", figures.resolve_warm)):
        if run is not None and verdict(run.wall_s, TARGET_RESOLVE_S, strict=True) == "MISSED":
            missed.append(f"{name} dry resolution {run.wall_s:.1f} s (target < {TARGET_RESOLVE_S:.0f} s)")
    for name, run, limit in (("cold", figures.main_cold, TARGET_MAIN_COLD_S),
                             ("warm", figures.main_warm, TARGET_MAIN_WARM_S)):
        if run is not None and verdict(run.wall_s, limit) == "MISSED":
            missed.append(f"{name} main job {run.wall_s / 60:.1f} min (target <= {limit / 60:.0f} min)")
    return missed


def format_report(figures: Figures) -> str:
    """The whole printed report: header, table, targets, notes."""
    base = figures.baseline
    cold_verdict = verdict(ratio(figures.harness_cold, base), TARGET_COLD_RATIO)
    workers = f"{figures.workers} worker" + ("" if figures.workers == 1 else "s")
    lines = header(figures) + [""]
    lines.append(_row("measurement", "time", "x base", "target", "outcome"))
    lines.append(_row("-" * 50, "-" * 10, "-" * 7, "-" * 11, "-" * 7))
    lines += _run_rows("(a) naive baseline: venv + pip, cold cache", base, base)
    lines += _run_rows(f"(b) harness, cold uv cache, {workers}", figures.harness_cold, base,
                       f"<= {TARGET_COLD_RATIO}x", cold_verdict)
    lines += _run_rows(f"(c) harness, warm uv cache, {workers}", figures.harness_warm, base)
    lines += _single_rows(figures)
    lines += _chain_rows(figures.chain)
    what = f"whole matrix, {figures.resolve_platform}"
    lines += _resolve_rows(f"(e) dry resolution, {what}, cold", figures.resolve_cold)
    lines += _resolve_rows(f"(e) dry resolution, {what}, warm", figures.resolve_warm)
    lines += _peer_rows(figures)
    lines += _main_rows(figures)
    missed = missed_targets(figures)
    lines += ["", "targets missed: " + ("; ".join(missed) if missed else "none"), ""]
    for note in NOTES + tuple(figures.notes):
        lines.append(textwrap.fill(note, width=110, initial_indent="note: ", subsequent_indent="      ",
                                   break_on_hyphens=False, break_long_words=False))
    return "\n".join(lines) + "\n"
