"""The speed benchmark's figures: frozen values, their JSON round trip, and the printed table.

Kept apart from the code that measures, so the table (benchmarks/table.py) can be
checked against made-up figures (tests/unit/test_benchmark.py) without installing anything.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Optional, Sequence, Tuple

SCHEMA = 1
TARGET_COLD_RATIO = 0.35  # harness cold / naive baseline
TARGET_WARM_INSTALL_S = 10.0  # the install step of one cell, re-run on a warm cache
TARGET_CHAIN_CPU_S = 60.0  # the smoke chain on the sample item
TARGET_RESOLVE_S = 60.0  # dry resolution of the whole default matrix
TARGET_PEER_RATIO = 0.6  # harness (warm) / the nox or tox-uv a user would write, same cells, same warm uv cache
TARGET_MAIN_COLD_S = 8 * 60.0  # the whole ./run.sh matrix, every cache empty (issue 15)
TARGET_MAIN_WARM_S = 4 * 60.0  # the same again on the caches it filled

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
    "main job (g): `./run.sh matrix` as a user runs it (every cell, the chain, the dry resolutions, the report), "
    "its uv cache, pip index cache, model and XDG cache new empty folders of the scratch for the cold run, the "
    "same folders again for the warm one (benchmarks/mainjob.py)",
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
    main_cold: Optional[Run] = None  # the whole ./run.sh matrix, every cache empty (benchmarks/mainjob.py)
    main_warm: Optional[Run] = None  # the same again on the caches it filled

    def to_json(self) -> Dict[str, Any]:
        return {"schema": SCHEMA, "machine": _machine_json(self.machine), "pack": self.pack,
                "pythons": list(self.pythons), "strategies": list(self.strategies), "workers": self.workers,
                "baseline": _run_json(self.baseline), "harness_cold": _run_json(self.harness_cold),
                "harness_warm": _run_json(self.harness_warm), "single_warm": _run_json(self.single_warm),
                "chain": _chain_json(self.chain), "resolve_platform": self.resolve_platform,
                "resolve_cold": _run_json(self.resolve_cold), "resolve_warm": _run_json(self.resolve_warm),
                "notes": list(self.notes), "nox_peer": _run_json(self.nox_peer),
                "tox_peer": _run_json(self.tox_peer), "main_cold": _run_json(self.main_cold),
                "main_warm": _run_json(self.main_warm), "ratios": ratios(self)}

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
            tox_peer=_run(data.get("tox_peer")), main_cold=_run(data.get("main_cold")),
            main_warm=_run(data.get("main_warm")),
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
    main = ratio(figures.main_warm, figures.main_cold)
    return {"main_warm_vs_cold": None if main is None else round(main, 4),
            "harness_cold_vs_baseline": None if cold is None else round(cold, 4),
            "harness_warm_vs_baseline": None if warm is None else round(warm, 4),
            "harness_warm_vs_nox": None if nox is None else round(nox, 4),
            "harness_warm_vs_tox": None if tox is None else round(tox, 4)}


def verdict(value: Optional[float], limit: float, strict: bool = False) -> str:
    """'met' or 'MISSED' against a target; empty when there is no figure."""
    if value is None:
        return ""
    return "met" if (value < limit if strict else value <= limit) else "MISSED"


# ----------------------------------------------------------------------------- JSON


def _machine_json(m: Machine) -> Dict[str, Any]:
    return {"date": m.date, "platform": m.platform, "cpu": m.cpu, "cores": m.cores, "ram_gib": m.ram_gib,
            "python": m.python, "uv": m.uv, "pip": m.pip, "free_disk_gib": m.free_disk_gib,
            "load_before": list(m.load_before) if m.load_before else None,
            "load_after": list(m.load_after) if m.load_after else None}


def _machine(data: Dict[str, Any]) -> Machine:
    def load(value: Optional[Sequence[float]]) -> Load:
        return (float(value[0]), float(value[1]), float(value[2])) if value else None

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

    def f(value: Optional[float]) -> Optional[float]:
        return None if value is None else float(value)

    return ChainRun(python=data["python"], item=data["item"], ok=bool(data["ok"]), wall_s=float(data["wall_s"]),
                    cpu_s=f(data.get("cpu_s")), stages_cpu_s=f(data.get("stages_cpu_s")),
                    stages=tuple(_part(p) for p in data.get("stages", ())), model_s=f(data.get("model_s")),
                    detail=data.get("detail", ""))
