"""Advice for requirements that clash and a resolver that backtracks."""
from __future__ import annotations

import re
from typing import Dict, Iterable, List, Optional, Tuple

from harness.diagnose import reqs
from harness.diagnose.advice.base import Facts, bare_pip, blocker_name, fresh, install_cmd, new_venv, q, venv_pip
from harness.diagnose.advice.other import api_gone_advice, submodule_gone_advice
from harness.diagnose.advice.python import conda_env_advice, python_version_advice
from harness.diagnose.rules.cues import COMPANION_INSTALL, TORCH_COMPANIONS, TORCH_SYMBOL


def conflict_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    name = blocker_name(f)
    if f.fell_back_to and f.python and reqs.version_key(f.python) >= reqs.version_key("3.12"):
        return python_version_advice(f)  # the clash is spleeter 2.1.0's, picked because 2.4 excludes 3.12
    if re.search(r"UnsatisfiableError|Found conflicts! Looking for incompatible packages", f.log):
        return conda_env_advice(f)  # conda's own solver: a fresh env, not pip's requirement juggling
    extras = re.search(r"Because ([\w.-]+)\[([\w.-]+)\] depends on [^\n]+ and \1\[([\w.-]+)\] depends on", f.log)
    if extras:
        project, one, other = extras.groups()
        return (f"The project's extras `{one}` and `{other}` need {name} versions that exclude each other, and uv "
                f"resolves all extras together: install only one of them (`uv sync --extra {one}`), or declare them "
                f"as conflicts in pyproject.toml (`[tool.uv] conflicts = [[{{ extra = \"{one}\" }}, "
                f"{{ extra = \"{other}\" }}]]`) so uv resolves each on its own.", (f"uv sync --extra {one}",))
    if name == "python":
        return project_python_advice(f)
    pixi = re.search(r"failed to solve the (?:pypi|conda) requirements of '(?P<env>[^']+)'", f.log)
    if pixi:
        return pixi_conflict_advice(f, name, pixi.group("env"))
    if f.rule == "submodule-gone":
        return submodule_gone_advice(f)
    if f.rule == "api-gone":
        return api_gone_advice(f)
    if f.rule == "numba-numpy-unsupported":
        return numba_numpy_advice(f)
    if f.rule == "tensorflow-addon-abi":
        return tensorflow_addon_advice(f)
    if f.rule == "companion-replaced-torch":
        return companion_replaced_torch(f)
    if f.rule == "extension-undefined-symbol":
        return extension_symbol_advice(f)
    if f.rule == "numba-llvmlite-mismatch":
        need = f.groups.get("need")
        return (f"numba and llvmlite do not match{f' (numba needs llvmlite {need})' if need else ''}: reinstall "
                f"them together (`{bare_pip(f)} install --upgrade --force-reinstall numba llvmlite`), or install "
                f"{f.pack}, which needs neither, in a fresh venv.",
                (f"{bare_pip(f)} install --upgrade --force-reinstall numba llvmlite",) + fresh(f, f.python or f.target_python))
    if f.rule == "pipenv-no-version-matches":
        return specifiers_clash(f, name)
    bounded = bounded_by_others(f, name)
    if bounded:
        return (f"Your pin on {name} clashes with what the other packages accept: use \"{bounded}\" (the range "
                f"the upper-bounded requirement allows) instead, or a release of that package that accepts your "
                f"pin.", (install_cmd(f, bounded),))
    clash = (companion_advice(f) or every_release_conflicts(f) or pin_against_others(f, name)
             or installed_against_requirement(f) or poetry_chain(f) or uv_first_index(f) or ranges_clash(f))
    if clash:
        return clash
    return (f"Drop or loosen the requirement that clashes on {name}: install {f.pack} alone in a fresh venv "
            f"and let it choose {name}.",
            fresh(f, f.python or f.target_python) + ((f"{venv_pip(f)} check",) if f.installer != "uv" else ()))


def specifiers_clash(f: Facts, name: str) -> Tuple[str, Tuple[str, ...]]:
    """pipenv lists every specifier on the package in one line: an exact pin that another range excludes is the
    one to relax (Flask==0.10.1 against >=0.11)."""
    specs = [s for s in f.groups.get("specs", "").split(",") if s]
    pins = [s[2:] for s in specs if s.startswith("==")]
    ranges = [s for s in specs if not s.startswith("==")]
    excluding = [r for r in ranges if pins and not reqs.satisfies(pins[0], r)]
    if pins and excluding:
        ask = ",".join(ranges)
        side = "older" if excluding[0].startswith(">") else "newer" if excluding[0].startswith("<") else "other"
        return (f"Your pin {name}=={pins[0]} is {side} than another package needs ({name}{excluding[0]}): "
                f"relax the pin in the Pipfile / requirements ({name} = \"{ask}\", or \"*\"), then lock again; "
                f"`pipenv graph` shows which package asks for what (`pipenv install --skip-lock` installs without "
                f"the lock meanwhile).", ("pipenv graph", f"pipenv install \"{name}{ask}\""))
    return (f"No release of {name} meets all of {name}{','.join(specs)}: loosen the requirement that stands apart "
            f"in the Pipfile, then lock again; `pipenv graph` shows which package asks for what.", ("pipenv graph",))


# The newest tensorflow-io release built for each TensorFlow line: its README's compatibility table up to 0.32, and
# from there the TensorFlow its `tensorflow` extra pins (0.34 -> 2.13, 0.35 -> 2.14, 0.36 -> 2.15, 0.37.x -> 2.16;
# resolved 2026-12-01). No tensorflow-io declares TensorFlow 2.17 or later (reporters find 2.17 works with 0.37.1).
TENSORFLOW_IO_FOR = {"2.0": "0.10.0", "2.1": "0.12.0", "2.2": "0.14.0", "2.3": "0.16.0", "2.4": "0.17.1",
                     "2.5": "0.19.1", "2.6": "0.21.0", "2.7": "0.23.1", "2.8": "0.25.0", "2.9": "0.26.0",
                     "2.10": "0.27.0", "2.11": "0.31.0", "2.12": "0.32.0", "2.13": "0.34.0", "2.14": "0.35.0",
                     "2.15": "0.36.0", "2.16": "0.37.1"}


def tensorflow_addon_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """An add-on's native library built for another TensorFlow: the add-on release that matches the log's TensorFlow."""
    addon = f.blocker or "tensorflow-io"
    shown = tensorflow_shown(f.log)
    newest_line = max(TENSORFLOW_IO_FOR, key=reqs.version_key)
    if shown and addon == "tensorflow-io" and reqs.version_key(shown) > reqs.version_key(newest_line):
        return (f"tensorflow-io's native library was built for another TensorFlow release (an undefined TensorFlow "
                f"symbol): the newest tensorflow-io known here, {TENSORFLOW_IO_FOR[newest_line]}, is built for TensorFlow "
                f"{newest_line} (reporters find 2.17 works with it too), older than your {shown}: pin tensorflow to "
                f"{newest_line} (`{bare_pip(f)} install \"tensorflow=={newest_line}.*\" tensorflow-io=="
                f"{TENSORFLOW_IO_FOR[newest_line]}`), or install a tensorflow-io released for {shown} if its README lists "
                f"one.",
                (f"{bare_pip(f)} install \"tensorflow=={newest_line}.*\" tensorflow-io=={TENSORFLOW_IO_FOR[newest_line]}",))
    match = TENSORFLOW_IO_FOR.get(shown) if shown and addon == "tensorflow-io" else None
    if match:
        return (f"tensorflow-io's native library was built for another TensorFlow release (an undefined TensorFlow "
                f"symbol): with TensorFlow {shown} install tensorflow-io {match}, the release built for it "
                f"(`{bare_pip(f)} install tensorflow-io=={match}`; its README's compatibility table lists the pairs), "
                f"or upgrade TensorFlow to the release the installed tensorflow-io was built for.",
                (f"{bare_pip(f)} install tensorflow-io=={match}",))
    return (f"{addon}'s native library was built for another TensorFlow release (an undefined TensorFlow symbol): "
            f"install the {addon} release compatible with your TensorFlow (its README's version compatibility table "
            f"lists the pairs; `pip show tensorflow` shows yours), or pin tensorflow to the release that {addon} was "
            f"built for - both from PyPI, not a conda-forge TensorFlow with PyPI add-ons.",
            (f"{bare_pip(f)} show tensorflow {addon}",))


def numba_numpy_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """numba's own check of the installed NumPy: the range it names, as a requirement to install."""
    said = re.search(r"Numba needs NumPy (\d+)\.(\d+) or (less|greater)", f.log)
    if said:
        major, minor, side = said.groups()
        spec = f"numpy<{major}.{int(minor) + 1}" if side == "less" else f"numpy>={major}.{minor}"
        other = "a numba release made for your numpy (a newer numba)" if side == "less" else "an older numba"
        return (f"This numba accepts only NumPy {major}.{minor} or {side}, and the installed numpy is outside that: "
                f"install `{spec}` (`{bare_pip(f)} install \"{spec}\"`), or {other}.",
                (f"{bare_pip(f)} install \"{spec}\"",))
    return ("This numba does not support the installed NumPy (a numpy newer than numba knows - numba 0.56 and numpy "
            "1.24, for example): pin numpy to the range numba supports (`python -m pip install \"numpy<1.24\"` for "
            "numba 0.56; numba's release notes list each range), or upgrade numba to a release made for your numpy.",
            (f"{bare_pip(f)} show numba numpy",))


def tensorflow_shown(log: str) -> Optional[str]:
    """The TensorFlow line (``2.8``) the log shows installed: ``tf.__version__``'s answer, an issue template's field,
    a pin or a wheel - in that order, since prose also names the releases the reporter compares with."""
    for pattern in (r"__version__[^\n]*\n\s*'?(2\.\d+)\.\d+",
                    r"\bTensorFlow(?: version)?(?: \(use command below\))?\**\s*[:=]\s*v?(2\.\d+)\.\d+",
                    r"\btensorflow(?:-cpu|-gpu)?(?:==|-)(2\.\d+)\.\d+(?:-cp|\b)",
                    r"^\W*tensorflow\s{2,}(2\.\d+)\.\d+",  # `pip list`
                    r"\bTensorFlow (2\.\d+)\.\d+"):
        found = re.search(pattern, log, re.IGNORECASE | re.MULTILINE)
        if found:
            return found.group(1)
    return None


def every_release_conflicts(f: Facts) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """pip tried release after release of one package and each needs a dependency it cannot install: that
    dependency has no release for this Python or platform (pip says "conflict" between the package's versions)."""
    tried = re.search(r"Cannot install (?P<name>[\w.-]+)==\S+ and (?P=name)==\S+ because", f.log)
    if not tried:
        return None
    name = tried.group("name")
    needs = re.findall(rf"^\s+{re.escape(name)} \S+ depends on ([\w.-]+)", f.log, re.MULTILINE | re.IGNORECASE)
    dep = needs[0] if needs and len(set(needs)) == 1 else None
    if not dep:
        return None
    older = f"an older Python than {f.python}" if f.python else "an older Python (Python 3.11 or 3.10)"
    return (f"pip tried every {name} release and each needs a {dep} it cannot install here: {dep} most likely has "
            f"no wheel for this Python or platform (`pip download {dep} --no-deps` shows why). Use a Python and "
            f"platform {dep} publishes wheels for - often {older}, or Linux / WSL when it has no Windows wheels - "
            f"then install {name} again.",
            (f"{bare_pip(f)} download {dep} --no-deps -d .", f"{bare_pip(f)} index versions {dep}"))


def project_python_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """The clash is on Python itself: the project's own Python range admits versions a dependency does not."""
    need = re.search(r"(?P<pkg>[A-Za-z][\w.-]*) (?:\([^)]*\) )?requires Python (?P<spec>[<>=!~^][^\s,]+(?:, ?[<>=!~^][^\s,]+)*)",
                     f.log)
    pkg, spec = (need.group("pkg"), need.group("spec")) if need else ("a dependency", ">=3.X")
    return (f"The clash is on Python itself: the project's Python range admits versions {pkg} does not support "
            f"(it requires Python {spec}). Narrow the project's range to what it supports - poetry: `python = "
            f"\"{spec}\"` under [tool.poetry.dependencies]; uv / pdm / hatch: `requires-python = \"{spec}\"` in "
            f"pyproject.toml - then lock again; or pick a {pkg} release that supports the whole range.",
            ("poetry lock" if re.search(r"\bpoetry\b|SolverProblemError", f.log) else "uv lock",))


def companion_advice(f: Facts) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """A torchaudio/torchvision pin made for another torch than the one asked for: the companion that matches."""
    wanted = re.search(r"The user requested torch==([\d.]+)", f.log)
    pinned = re.search(r"^\s*(torchaudio|torchvision) ([\d.]+) depends on torch==([\d.]+)", f.log, re.MULTILINE)
    if not wanted or not pinned or pinned.group(3) == wanted.group(1):
        return None
    name, version, made_for = pinned.groups()
    series = reqs.torch_companion(name, wanted.group(1))
    if not series:
        return None
    return (f"{name} {version} is made for torch {made_for}, and you ask for torch {wanted.group(1)}: {name} follows "
            f"torch's releases, so pin the {name} made for it - {name} {series} (`{name}=={series}.*`) - next to "
            f"torch=={wanted.group(1)}, or keep torch at {made_for} (`torch=={made_for}` with {name} {version}).",
            (f"{bare_pip(f)} install \"torch=={wanted.group(1)}\" \"{name}=={series}.*\"",))


def installed_against_requirement(f: Facts) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """pip's check after an install (``X 1.0 requires Y~=1.19.2, but you have Y 1.20.3 which is incompatible``):
    the installed Y and the range X declares, named, with the two ways out."""
    found = re.search(r"^\s*(?P<who>[\w.-]+) (?P<ver>[\w.+!-]+) requires (?P<name>[\w.-]+)(?:\[[^\]]*\])?(?P<spec>[^,\n]*?(?:,"
                      r"[^,\n]+?)*), but you(?P<will>'ll)? have (?P=name) (?P<have>[\w.+!-]+) which is incompatible",
                      f.log, re.IGNORECASE | re.MULTILINE)
    if not found:
        return None
    who, ver, name, spec, have = (found.group(k).strip() for k in ("who", "ver", "name", "spec", "have"))
    wanted = f"{name}{spec}" if spec else name
    if found.group("will"):  # pip 20.2's wording: this very install brings the newer one, so move the package
        return (f"{who} {ver} declares {wanted}, and this install brings {name} {have}: upgrade {who} to a release "
                f"made for {name} {have} (`{bare_pip(f)} install --upgrade {who}`; its release notes name the {name} "
                f"each release needs), or keep {name} in the range {who} {ver} declares (`{bare_pip(f)} install "
                f"\"{wanted}\"`).", (f"{bare_pip(f)} install --upgrade {who}", f"{bare_pip(f)} check"))
    replaced = replaced_by_a_pin(f, name, have)
    if replaced:
        return replaced
    return (f"{who} {ver} declares {wanted}, but {name} {have} is installed: install the version it declares "
            f"(`{bare_pip(f)} install \"{wanted}\"`), or a {who} release that accepts {name} {have}; when other "
            f"packages need {name} {have}, keep {who} in a venv of its own.",
            (f"{bare_pip(f)} install \"{wanted}\"", f"{bare_pip(f)} check"))


def torch_build_index(version: str) -> Optional[str]:
    """The index pytorch.org serves a local build from (``2.1.2+cu121`` -> .../whl/cu121); None for a PyPI release."""
    return f"https://download.pytorch.org/whl/{version.split('+', 1)[1]}" if "+" in version else None


def replaced_by_a_pin(f: Facts, name: str, have: str) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """This install's own package pinned ``name`` (``Collecting torch==2.3.0 (from xformers)``) and pip replaced the
    release the others were installed for: the puller's release made for the old one is the way out."""
    pattern = reqs.name_pattern(name)
    pulled = re.search(rf"Collecting {pattern}==(?P<pin>[\w.+]+) \(from (?P<puller>[A-Za-z][\w.-]*)", f.log, re.IGNORECASE)
    old = re.search(rf"Found existing installation: {pattern} (?P<old>[\w.+!-]+)", f.log, re.IGNORECASE)
    if not (pulled and old) or pulled.group("pin").split("+")[0] != have.split("+")[0]:
        return None
    puller, was = pulled.group("puller"), old.group("old")
    base = was.split("+")[0]
    built = torch_build_index(was)
    index = (f" from the index of that build (`--index-url {built}`)"
             if built and reqs.canonical(name) in ("torch", "torchvision", "torchaudio") else "")
    return (f"{puller} pins {name}=={have}, so pip replaced the {name} {was} the other packages were installed for: "
            f"install the {puller} release made for {name} {base} instead (`{bare_pip(f)} install \"{puller}\" "
            f"\"{name}=={base}\"` lets pip choose it{index}), or upgrade the others to releases made for {name} {have}.",
            (f"{bare_pip(f)} install \"{puller}\" \"{name}=={base}\"", f"{bare_pip(f)} check"))


def pixi_conflict_advice(f: Facts, name: str, env: str) -> Tuple[str, Tuple[str, ...]]:
    """pixi solves an environment's conda and PyPI dependencies together, starting from what pixi.lock holds: a
    version "only" below the one asked for is the lock's (or a conda dependency's), not PyPI's."""
    what = name if name and name != "python" else "the package"
    return (f"pixi could not solve the environment '{env}': the versions of {what} it may use are held by pixi.lock "
            f"or by a conda dependency that brings it (a package moved between [dependencies] and "
            f"[pypi-dependencies] keeps its old locked version): re-resolve it (`pixi update {what}`, or remove "
            f"pixi.lock and run `pixi install`), and drop it from the conda [dependencies] if it is now a PyPI one; "
            f"if it still fails, the requirements themselves clash: loosen the one that asks for {what}.",
            (f"pixi update {what}", "pixi install"))


def extension_symbol_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """An extension's undefined symbol: it was built against another release of the library it links. A torch
    companion missing a torch symbol was built for another torch: upgrade the two together."""
    name = f.blocker or "the package"
    torch_symbol = re.search(TORCH_SYMBOL, f.log)
    if name in TORCH_COMPANIONS and torch_symbol:
        both = f"{bare_pip(f)} install --upgrade torch {name}"
        have = re.search(r"\btorch[-= ](\d+\.\d+\.\d+)", f.log)
        which = f" (torch {have.group(1)} is installed)" if have else ""
        return (f"{name} was built for another torch than the one installed{which}, so its library misses torch's "
                f"symbols: install the {name} release matching your torch - upgrade both in one command (`{both}`, "
                f"from the same index as torch, e.g. --index-url https://download.pytorch.org/whl/cu121 for a CUDA "
                f"build), or pin {name} to the release made for your torch.", (both, f"{bare_pip(f)} check"))
    if torch_symbol:  # another package's extension built against one torch release
        have = re.search(r"\btorch\s*[:=-]=?\s*(\d+\.\d+\.\d+)", f.log)
        which = f", and torch {have.group(1)} is installed" if have else ""
        check = f"{bare_pip(f)} check"
        return (f"{name}'s compiled extension was built against one exact torch release{which}: its C++ symbols "
                f"differ between releases. Install the torch that {name} release was built with (its requirements "
                f"pin it - `{check}` names the torch it requires; downgrade torch to it, with the matching "
                f"torchvision/torchaudio), or a {name} release built for your torch.", (check,))
    reinstall = f"python -m pip install --force-reinstall --no-cache-dir {name}"
    return (f"{name}'s compiled extension was built against another version of a library it links (an undefined "
            f"symbol): install {name} and the package it extends in matching versions (reinstall both: `{reinstall}`), "
            f"best in a fresh venv, from one source (all PyPI or all conda). A plugin built for one release of its "
            f"host needs that release - for tensorflow-io, pin tensorflow to the version this tensorflow-io release "
            f"names as compatible - or a {name} built for the host you have.", (reinstall,))


def companion_replaced_torch(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """A torch companion's wheel pins the torch it was built with; installing the newest one replaced the torch the
    environment was set up for: the companion's release for that torch keeps it."""
    found = re.search(COMPANION_INSTALL, f.log)
    companion = found.group("companion") if found else "xformers"
    was = (f.blocker or "torch==").split("==", 1)[1]
    base = was.split("+")[0]
    built = torch_build_index(was)
    index = f" from that build's index (`--index-url {built}`)" if built else " (with the same --index-url as torch)"
    keep = f'{bare_pip(f)} install "{companion}" "torch=={base}"'
    return (f"Each {companion} release is built for one exact torch and pins it, so installing the newest one "
            f"uninstalled the torch {was} this environment was set up for: install the {companion} version matching "
            f"torch {base} instead (its release notes name the torch each release targets; `{keep}` lets pip choose "
            f"it{index}), or upgrade torch and everything built on it together.", (keep, f"{bare_pip(f)} check"))


def url_pin(spec: str) -> str:
    """pip writes a direct-URL requirement as `name 0.10.0 (from git+https://...)`: that is a pin, ==0.10.0."""
    return re.sub(r"^\s*(\d[\w.]*)\s+(\(from [^)\n]*\))", r"==\1 \2", spec).strip()


def pin_against_others(f: Facts, name: str) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """A package (or the user) pins ``name==X`` and other packages' ranges exclude X: say who, and the two ways out."""
    pattern = reqs.name_pattern(name)
    flags = re.IGNORECASE | re.MULTILINE
    user = re.search(rf"The user requested {pattern}==([\w.]+)", f.log, flags)
    package = re.search(rf"^\s+(\S+) (\S+) depends on {pattern}==([\w.]+)\s*$", f.log, flags)
    if user:
        pinned, pinner = user.group(1), "your requirements"
    elif package:
        pinned, pinner = package.group(3), f"{package.group(1)} {package.group(2)}"
    else:
        return None
    excluding = [(who, url_pin(spec)) for who, spec in re.findall(rf"^\s+(\S+ \S+) depends on {pattern}([^\n]+)$",
                                                                   f.log, flags)
                 if not spec.strip().startswith("==") and not reqs.satisfies(pinned, spec.replace(" and ", ","))]
    if not excluding:
        return None
    others = ", ".join(f"{who} needs {name}{spec}" for who, spec in excluding[:3])
    first = excluding[0][0].split()[0]
    return (f"{pinner} pin{'' if user else 's'} {name}=={pinned}, but {others}: either choose a {first} release "
            f"that accepts {name} {pinned} (usually an older one), or move off the pin - "
            f"{'loosen it to the range the others accept' if user else f'a {pinner.split()[0]} release without it'}"
            f" - then install again.",
            (f"{bare_pip(f)} index versions {first}", f"{bare_pip(f)} install \"{name}{excluding[0][1].split(' and ')[0]}\""))


# pip's "The conflict is caused by:" lines - "whisperx 3.1.1 depends on torchaudio>=2" - (Markdown bold a reporter
# added around the requirement kept out of the name and range)
DEPENDS_ON = re.compile(r"^\s+(?P<who>[A-Za-z][\w.\[\]-]*) (?P<ver>\S+) depends on \**(?P<dep>[A-Za-z][\w.-]*)"
                        r"(?P<spec>[^\n*]*)\**\s*$", re.MULTILINE)
# a pre-release Python (3.14.0a5, 3.13.0rc2): most packages publish nothing for it yet
PRE_RELEASE_PYTHON = re.compile(r"\b(3\.(\d+))\.\d+(?:a|b|rc)\d+\b")


def ranges_clash(f: Facts) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """pip's list of who needs which range of one package, none of them an exact pin: name the range that stands
    apart, and the way out through the package that asks for it (or, on a pre-release Python, a stable one)."""
    needs: Dict[str, List[Tuple[str, str]]] = {}
    for m in DEPENDS_ON.finditer(f.log):
        needs.setdefault(reqs.canonical(m.group("dep")), []).append((f"{m.group('who')} {m.group('ver')}", m.group("spec").strip()))
    # ranges from two packages or more (one package's releases listed one by one are pip trying candidates), no
    # exact pins (pin_against_others speaks of those)
    clashing = [(dep, who) for dep, who in needs.items() if len({spec for _, spec in who}) > 1
                and len({w.split()[0].lower() for w, _ in who}) > 1 and not any("==" in spec for _, spec in who)]
    pins = pins_clash(f, needs)
    if pins:
        return pins
    pre = PRE_RELEASE_PYTHON.search(f.log)
    if pre:
        stable = reqs.previous_minor(pre.group(1)) or "3.13"
        return (f"This Python is a pre-release ({pre.group(0)}), and most packages publish no release for it yet, "
                f"so pip cannot put the requirements together: use the newest stable Python, {stable}, for this "
                f"project (`{new_venv(f, stable)}`), and wait for the packages' releases before moving to "
                f"{pre.group(1)}.", fresh(f, stable))
    if not clashing:
        return None
    dep, listed = clashing[0]
    who = list(dict.fromkeys(listed))  # pip repeats a line per candidate it tried
    said = ", ".join(f"{w} needs {dep}{spec or ' (any)'}" for w, spec in who[:4])
    meet = lowest_common(spec for _, spec in who)
    if meet:  # the ranges do meet: the clash is in what those releases need in turn (torch for torchaudio, ...)
        caps = [spec.replace(" and ", ",").replace(" ", "") for _, spec in who if "<" in spec]
        wanted = q(f"{dep}>={meet}" + ("," + caps[0].split(",")[0] if caps else ""))
        return (f"pip could not put the requirements together around {dep}: {said}. Their ranges meet (from {dep} "
                f"{meet}), so ask for {dep} in that range outright next to your requirements (`{bare_pip(f)} install "
                f"{wanted} ...`) - what those releases need in turn is the real clash - or pull the project's latest "
                f"requirements, whose pins usually fit together.", (f"{bare_pip(f)} install {wanted}",))
    # the odd one out: the requirement with an upper bound (<, <=, ~=) below what the others want, else the rarest
    capped = next(((w, spec) for w, spec in who if re.search(r"<|~=", spec)),
                  min(who, key=lambda pair: sum(w.split()[0] == pair[0].split()[0] for w, _ in who)))
    owner = capped[0].split()[0]
    return (f"No {dep} satisfies everyone: {said}. Move the one that stands apart - {capped[0]} ({dep}{capped[1]}) - "
            f"to a release whose {dep} range overlaps the others' (usually its newest: `{bare_pip(f)} install "
            f"--upgrade {owner}`, or pull the project's latest requirements if the pin is the project's), or pin "
            f"{dep} to a version all of them accept and the others to releases that take it.",
            (f"{bare_pip(f)} index versions {owner}", f"{bare_pip(f)} install --upgrade {owner}"))


def pins_clash(f: Facts, needs: Dict[str, List[Tuple[str, str]]]) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """Two packages pin one dependency to different exact versions (pip spells the name as each declares it): the
    pin that is yours - the project being installed - is the one to move."""
    for dep, listed in needs.items():
        pinned = list(dict.fromkeys((who, spec) for who, spec in listed if spec.startswith("==")))
        owners = {who.split()[0].lower() for who, _ in pinned}
        if len(owners) < 2 or len({spec for _, spec in pinned}) < 2:
            continue
        mine = re.search(r"Cannot install ([\w.-]+) and \1==|^\s*\$?\s*(?:pip3?|python3? -m pip) install [^\n]*-e \.", f.log,
                         re.MULTILINE)
        ours = next((pair for pair in pinned if mine and mine.group(1) and pair[0].split()[0] == mine.group(1)),
                    pinned[0])
        other = next(pair for pair in pinned if pair[0].split()[0] != ours[0].split()[0])
        def written(who: str, dep: str = dep) -> str:  # the name as that package declares it (gradio_client)
            found = re.search(rf"{re.escape(who)} depends on \**([\w.-]+)==", f.log)
            return found.group(1) if found else dep
        said = ", ".join(f"{who} pins {written(who)}{spec}" for who, spec in pinned[:4])
        return (f"Two exact pins of {dep} cannot both hold: {said}. Loosen the pin that is yours - {ours[0]}'s "
                f"{written(ours[0])}{ours[1]} (in its requirements / pyproject.toml / setup.py; pull the project's latest version, "
                f"whose pin may have moved on) - to a range that admits {dep} {other[1][2:]}, or install the "
                f"{other[0].split()[0]} release that pins {dep}{ours[1]} (`{bare_pip(f)} index versions "
                f"{other[0].split()[0]}`).", (f"{bare_pip(f)} index versions {other[0].split()[0]}",))
    return None


def lowest_common(specs: "Iterable[str]") -> Optional[str]:
    """The lowest version that every plain range (>=, >, <=, <; " and " joins two) admits, None when they do not
    meet or a range is of another kind (==, !=, ~=)."""
    ranges = [spec.replace(" and ", ",").replace(" ", "") for spec in specs if spec.strip()]
    if any(re.search(r"==|!=|~=", r) for r in ranges):
        return None
    lows = [m.group(2) + (".0.1" if m.group(1) == ">" else "") for r in ranges
            for m in re.finditer(r"(>=?)\s*([\d.]+)", r)]
    candidate = max(lows, key=reqs.version_key) if lows else "0"
    return candidate if all(reqs.satisfies(candidate, r) for r in ranges) else None


def poetry_chain(f: Facts) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """poetry's solver: "Because A (v) depends on B (spec), B is required. So, because P depends on B (v2), version
    solving failed" - the project's own B pin against what A needs."""
    found = re.search(r"depends on ([\w.-]+) \(([^)]+)\) which depends on ([\w.-]+) \(([^)]+)\),\s*\3 is required\."
                      r"\s*So, because [\w.-]+ depends on \3 \(([^)]+)\), version solving failed", f.log)
    if not found:
        return None
    other, other_version, dep, needed, pinned = found.groups()
    spec = needed if re.match(r"[<>=!~^]", needed) else f"=={needed}"
    return (f"Your project pins {dep} ({pinned}), but {other} {other_version} needs {dep}{spec}: change the pin to "
            f"`{dep} = \"{spec}\"` (or a range that includes it), or choose a {other} release that accepts {dep} "
            f"{pinned} (an older one), then `poetry lock` again.", (f"poetry add \"{dep}{spec}\"",))


def uv_first_index(f: Facts) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """uv takes each package from the first index that has it (a guard against dependency confusion): with an extra
    index such as PyTorch's, which carries its own copies of common packages, the version on PyPI is never seen."""
    missing = re.search(r"there is no version of ([\w.-]+)(==[\w.]+|[<>=!~][^\s,]*)?", f.log)
    extra = re.search(r"(?:--extra-index-url|--index-url|--index(?=[\s=])|extra-index-url\s*=|\[\[tool\.uv\.index\]\])\s*=?\s*\"?"
                      r"(https?://[^\s\"]+)?", f.log)
    if not missing or not extra or "uv " not in f.log and "× No solution found" not in f.log:
        return None
    name, spec = missing.group(1), missing.group(2) or ""
    index = extra.group(1) or "the extra index"
    if index.endswith((".html", ".htm")):  # a flat page of links (PyTorch's torch_stable.html) is no index
        return (f"{index} is a page of links, not a package index: pass it as `--find-links {index}` (`-f`), not as "
                f"--index-url/--extra-index-url, so {name}{spec} can be found there.",
                (f"uv pip install -f {index} \"{name}{spec}\"",))
    return (f"uv takes {name} only from the first index that has it ({index} carries its own copies of some packages), "
            f"so {name}{spec} on PyPI is never considered: let uv pick the best match across indexes (`--index-strategy "
            f"unsafe-best-match`, or UV_INDEX_STRATEGY), or pin the index to the packages that need it "
            f"([[tool.uv.index]] with explicit = true and [tool.uv.sources] torch = {{ index = \"...\" }}).",
            ("uv pip install --index-strategy unsafe-best-match ...",))


def bounded_by_others(f: Facts, name: str) -> Optional[str]:
    """pip's "conflict is caused by" lines: the user pinned ``name`` and another package caps it
    (``tensorflow-gpu 1.15.4 depends on numpy<1.19.0 and >=1.16.0``) -> ``numpy<1.19.0,>=1.16.0``."""
    pattern = reqs.name_pattern(name)
    if not re.search(rf"The user requested {pattern}==", f.log, re.IGNORECASE):
        return None
    asked_by_each = re.findall(rf"^\s+\S+ \S+ depends on {pattern}([^\n]+)$", f.log, re.IGNORECASE | re.MULTILINE)
    capped = [spec for spec in asked_by_each if "<" in spec]
    if not capped:
        return None
    # every range the others ask for: when one's floor reaches another's cap, no range fits them all
    asked = " and ".join(asked_by_each)
    floors = [reqs.version_key(v) for v in re.findall(r">=?\s*([\d][\w.]*)", asked)]
    caps = [reqs.version_key(v) for v in re.findall(r"<=?\s*([\d][\w.]*)", asked)]
    if floors and caps and max(floors) >= min(caps):
        return None
    return name + ",".join(part.strip() for part in capped[0].split(" and "))


def backtracking_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    names = re.findall(r"pip is looking at multiple versions of ([\w.-]+)", f.log)
    names = [n for n in dict.fromkeys(reversed(names)) if n != "this"][:3] or ([f.blocker] if f.blocker else [])
    named = f" ({', '.join(names)})" if names else ""
    if names == ["pip"] or f.blocker == "pip":  # upgrading pip itself: pip 20.3.2's resolver walked every old pip
        return ("pip's resolver walks back through every older pip while upgrading pip itself (a regression of pip "
                "20.3.2, fixed in 20.3.3): name the release instead (`python -m pip install --upgrade \"pip>=20.3.3\"`),"
                " or upgrade with get-pip.py.", ("python -m pip install --upgrade \"pip>=20.3.3\"",))
    if re.search(r"resolve_max_rounds|pdm (?:add|lock|install)|\bpdm-lock-", f.log):
        tried = re.findall(r"<Candidate ([A-Za-z][\w.-]*) [\d.]+", f.log)
        most = max(dict.fromkeys(tried), key=tried.count) if tried else None
        pin = f"; it kept trying {most}, so pin that (`pdm add \"{most}==X.Y\"`)" if most else ""
        return (f"PDM's resolver went round its loop limit without a solution (backtracking): narrow the "
                f"requirements it backtracks over with pins or constraints{pin}; upgrade PDM (`pdm self update`; newer "
                f"releases backtrack far less), or raise the limit (`pdm config strategy.resolve_max_rounds 100000`) "
                f"and lock again.", ("pdm self update", "pdm config strategy.resolve_max_rounds 100000", "pdm lock -v"))
    return (f"pip's resolver is backtracking and may never finish: give it constraints - pin the packages it keeps "
            f"retrying{named} in a constraints file (`-c constraints.txt`) or tighten your own requirements; a "
            f"current pip or uv (which does not backtrack like this) also helps.",
            (f"{venv_pip(f)} install --upgrade pip", f"{venv_pip(f)} install -c constraints.txt {q(f.pack)}"))
