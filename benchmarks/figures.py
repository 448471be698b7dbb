"""The speed benchmark's figures: frozen values, their JSON round trip, and the printed table.

Kept apart from the code that measures, so the table can be checked against
made-up figures (tests/unit/test_benchmark.py) without installing anything.
Targets come from issue 7; they are printed next to the figures as met or
MISSED, never asserted: a loaded shared machine must not turn a benchmark
into a failing build.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple

SCHEMA = 1
TARGET_COLD_RATIO = 0.35  # harness cold / naive baseline
TARGET_WARM_INSTALL_S = 10.0  # the install step of one cell, re-run on a warm cache
TARGET_CHAIN_CPU_S = 60.0  # the smoke chain on the sample item
TARGET_RESOLVE_S = 60.0  # dry resolution of the whole default matrix
TARGET_PEER_RATIO = 0.6  # harness (warm) / the nox or tox-uv a user would write, same cells, same warm uv cache

NOTES = (
    "baseline: per cell, one after another: `python -m venv` with the interpreter the harness finds, then "
    "`pip install <pack>` with the venv's bundled pip, no pip configuration, one pip cache that is empty "
    "at the start; finding the interpreter, an import check and pip freeze are not timed",
    "harness: the whole `python -m harness run --no-chain` process (interpreter lookup, preflight, venvs, "
    "installs, import checks, pip freeze, venv removal, reports), one uv cache shared by the parallel cells",
    "peers (f): the same cells' install + import check as a user writes them with nox or tox-uv "
    "(benchmarks/peers.py), after the harness runs, on the same warm uv cache; strategies that are not one "
    "plain install are left out of them",
    "cold = empty cache directories at the start; warm = the same cache again; cell times overlap when "
    "workers > 1, so they add up to more than the wall time",
)

Load = Optional[Tuple[float, float, float]]


@dataclass(frozen=True)
class Machine:
    """Where the figures were taken: they mean little without the machine's size and its load."""

    date: str  # ISO 8601, UTC, when the benchmark started
    platform: str
    cpu: str
    cores: int
    ram_gib: Optional[float]
    python: str  # the harness's own interpreter
    uv: str
    pip: str  # the harness environment's pip
    free_disk_gib: float
    load_before: Load = None  # 1, 5, 15 minute load averages (POSIX)
    load_after: Load = None


@dataclass(frozen=True)
class Part:
    """One cell of a run, or one chain stage: how long it took and what it ended as."""

    name: str
    ok: bool
    wall_s: float
    install_s: Optional[float] = None  # a cell's install step(s) alone
    detail: str = ""  # interpreter and versions when it passed, the reason when it did not


@dataclass(frozen=True)
class Run:
    """One timed measurement: a harness command, or the baseline's loop over the cells."""

    ok: bool
    wall_s: float
    parts: Tuple[Part, ...] = ()
    detail: str = ""
    command: Tuple[str, ...] = ()

    @property
    def failed(self) -> Tuple[Part, ...]:
        return tuple(p for p in self.parts if not p.ok)


@dataclass(frozen=True)
class ChainRun:
    """The smoke chain on the sample item, run alone in one cell's venv."""

    python: str
    item: str
    ok: bool
    wall_s: float
    cpu_s: Optional[float]  # the whole `python -m harness.chain run` process tree (user + system)
    stages_cpu_s: Optional[float]  # the stage subprocesses alone, as the chain itself counts them
    stages: Tuple[Part, ...] = ()
    model_s: Optional[float] = None  # provisioning the model: install time, not part of the chain
    detail: str = ""


@dataclass(frozen=True)
class Figures:
    machine: Machine
    pack: str
    pythons: Tuple[str, ...]
    strategies: Tuple[str, ...]
    workers: int
    baseline: Optional[Run] = None  # None: skipped
    harness_cold: Optional[Run] = None
    harness_warm: Optional[Run] = None
    single_warm: Optional[Run] = None  # one cell re-run alone on the warm cache
    chain: Optional[ChainRun] = None
    resolve_platform: str = "windows"
    resolve_cold: Optional[Run] = None
    resolve_warm: Optional[Run] = None
    notes: Tuple[str, ...] = ()  # what this run did differently (e.g. another sample item)
    nox_peer: Optional[Run] = None  # a plain noxfile, `nox -j 2` (benchmarks/peers.py), on the warm uv cache
    tox_peer: Optional[Run] = None  # tox-uv, `tox p -p 2`, on the warm uv cache

    def to_json(self) -> Dict[str, Any]:
        return {"schema": SCHEMA, "machine": _machine_json(self.machine), "pack": self.pack,
                "pythons": list(self.pythons), "strategies": list(self.strategies), "workers": self.workers,
                "baseline": _run_json(self.baseline), "harness_cold": _run_json(self.harness_cold),
                "harness_warm": _run_json(self.harness_warm), "single_warm": _run_json(self.single_warm),
                "chain": _chain_json(self.chain), "resolve_platform": self.resolve_platform,
                "resolve_cold": _run_json(self.resolve_cold), "resolve_warm": _run_json(self.resolve_warm),
                "notes": list(self.notes), "nox_peer": _run_json(self.nox_peer),
                "tox_peer": _run_json(self.tox_peer), "ratios": ratios(self)}

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "Figures":
        return cls(
            machine=_machine(data["machine"]), pack=data["pack"], pythons=tuple(data["pythons"]),
            strategies=tuple(data["strategies"]), workers=int(data["workers"]),
            baseline=_run(data.get("baseline")), harness_cold=_run(data.get("harness_cold")),
            harness_warm=_run(data.get("harness_warm")), single_warm=_run(data.get("single_warm")),
            chain=_chain(data.get("chain")), resolve_platform=data.get("resolve_platform", "windows"),
            resolve_cold=_run(data.get("resolve_cold")), resolve_warm=_run(data.get("resolve_warm")),
            notes=tuple(data.get("notes", ())), nox_peer=_run(data.get("nox_peer")),
            tox_peer=_run(data.get("tox_peer")),
        )


# ----------------------------------------------------------------------------- arithmetic


def ratio(part: Optional[Run], whole: Optional[Run]) -> Optional[float]:
    """``part`` / ``whole`` wall time; None when either was not measured."""
    if part is None or whole is None or whole.wall_s <= 0:
        return None
    return part.wall_s / whole.wall_s


def ratios(figures: Figures) -> Dict[str, Optional[float]]:
    cold = ratio(figures.harness_cold, figures.baseline)
    warm = ratio(figures.harness_warm, figures.baseline)
    nox = ratio(figures.harness_warm, figures.nox_peer)
    tox = ratio(figures.harness_warm, figures.tox_peer)
    return {"harness_cold_vs_baseline": None if cold is None else round(cold, 4),
            "harness_warm_vs_baseline": None if warm is None else round(warm, 4),
            "harness_warm_vs_nox": None if nox is None else round(nox, 4),
            "harness_warm_vs_tox": None if tox is None else round(tox, 4)}


def verdict(value: Optional[float], limit: float, strict: bool = False) -> str:
    """'met' or 'MISSED' against a target; empty when there is no figure."""
    if value is None:
        return ""
    return "met" if (value < limit if strict else value <= limit) else "MISSED"


# ----------------------------------------------------------------------------- the table


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
    missed = missed_targets(figures)
    lines += ["", "targets missed: " + ("; ".join(missed) if missed else "none"), ""]
    for note in NOTES + tuple(figures.notes):
        lines.append(textwrap.fill(note, width=110, initial_indent="note: ", subsequent_indent="      ",
                                   break_on_hyphens=False, break_long_words=False))
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- JSON


def _machine_json(m: Machine) -> Dict[str, Any]:
    return {"date": m.date, "platform": m.platform, "cpu": m.cpu, "cores": m.cores, "ram_gib": m.ram_gib,
            "python": m.python, "uv": m.uv, "pip": m.pip, "free_disk_gib": m.free_disk_gib,
            "load_before": list(m.load_before) if m.load_before else None,
            "load_after": list(m.load_after) if m.load_after else None}


def _machine(data: Dict[str, Any]) -> Machine:
    def load(value) -> Load:
        return tuple(float(x) for x in value) if value else None  # type: ignore[return-value]

    return Machine(date=data["date"], platform=data["platform"], cpu=data.get("cpu", ""), cores=int(data["cores"]),
                   ram_gib=data.get("ram_gib"), python=data["python"], uv=data["uv"], pip=data["pip"],
                   free_disk_gib=float(data.get("free_disk_gib", 0.0)), load_before=load(data.get("load_before")),
                   load_after=load(data.get("load_after")))


def _part_json(p: Part) -> Dict[str, Any]:
    return {"name": p.name, "ok": p.ok, "wall_s": round(p.wall_s, 2),
            "install_s": None if p.install_s is None else round(p.install_s, 2), "detail": p.detail}


def _part(data: Dict[str, Any]) -> Part:
    install = data.get("install_s")
    return Part(name=data["name"], ok=bool(data["ok"]), wall_s=float(data["wall_s"]),
                install_s=None if install is None else float(install), detail=data.get("detail", ""))


def _run_json(run: Optional[Run]) -> Optional[Dict[str, Any]]:
    if run is None:
        return None
    return {"ok": run.ok, "wall_s": round(run.wall_s, 2), "parts": [_part_json(p) for p in run.parts],
            "detail": run.detail, "command": list(run.command)}


def _run(data: Optional[Dict[str, Any]]) -> Optional[Run]:
    if data is None:
        return None
    return Run(ok=bool(data["ok"]), wall_s=float(data["wall_s"]), parts=tuple(_part(p) for p in data.get("parts", ())),
               detail=data.get("detail", ""), command=tuple(data.get("command", ())))


def _chain_json(chain: Optional[ChainRun]) -> Optional[Dict[str, Any]]:
    if chain is None:
        return None

    def r(value: Optional[float]) -> Optional[float]:
        return None if value is None else round(value, 2)

    return {"python": chain.python, "item": chain.item, "ok": chain.ok, "wall_s": round(chain.wall_s, 2),
            "cpu_s": r(chain.cpu_s), "stages_cpu_s": r(chain.stages_cpu_s),
            "stages": [_part_json(p) for p in chain.stages], "model_s": r(chain.model_s), "detail": chain.detail}


def _chain(data: Optional[Dict[str, Any]]) -> Optional[ChainRun]:
    if data is None:
        return None

    def f(value) -> Optional[float]:
        return None if value is None else float(value)

    return ChainRun(python=data["python"], item=data["item"], ok=bool(data["ok"]), wall_s=float(data["wall_s"]),
                    cpu_s=f(data.get("cpu_s")), stages_cpu_s=f(data.get("stages_cpu_s")),
                    stages=tuple(_part(p) for p in data.get("stages", ())), model_s=f(data.get("model_s")),
                    detail=data.get("detail", ""))
