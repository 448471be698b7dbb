"""Rules: requirements that cannot all be met, and a resolver that backtracks without end."""
from __future__ import annotations

import re
from typing import Tuple

from harness.diagnose.rules.base import CONFLICT_LINES, Rule, rx
from harness.diagnose.rules.checks import many_versions, most_fetched
from harness.diagnose.rules.cues import COMPANION_INSTALL
from harness.diagnose.rules.extract import contested, fixed

RESOLVE_RULES: Tuple[Rule, ...] = (
    # dependency-conflict
    # protobuf 4 refuses the _pb2 modules generated for protobuf 3 (TensorFlow < 2.10, tf-hub, ONNX tools ...)
    # the _pb2 code of an older package asks its protobuf for a field a newer protobuf renamed or dropped (and
    # the reverse): protobuf 3.6.0 broke TensorFlow 1.8's php_metadata_namespace
    Rule("protobuf-field-missing", "dependency-conflict", 80,
         rx(r"KeyError: \"?Couldn't find field google\.protobuf\.(?P<field>[\w.]+)"),
         blocker=fixed("protobuf"), summary="protobuf does not match the generated code of a package here",
         action="The installed protobuf does not match the code generated for the package that imports it (the field "
                "{field} is not where it expects): install the protobuf that package's release was built with - for "
                "TensorFlow 1.8 and protobuf 3.6.0 that is `python -m pip install protobuf==3.5.2` - or upgrade the "
                "package (TensorFlow 1.9 and later) so that it accepts the newer protobuf."),
    # protobuf's Windows wheels of 3.6.1 (and 3.5.2.post1 before it) shipped a _message extension whose DLL does
    # not load: another release of protobuf, or its pure-Python implementation
    Rule("protobuf-message-dll", "dll-load-failed", 86,
         rx(r"from google\.protobuf\.pyext import _message\s*\n[^\n]*ImportError: DLL load failed"),
         blocker=fixed("protobuf"), summary="protobuf's compiled _message extension does not load",
         action="protobuf's compiled extension (google.protobuf.pyext._message) does not load: this release's Windows "
                "wheel is broken (protobuf 3.6.1 was): install another release (`python -m pip install "
                "protobuf==3.6.0`, or a newer one), or use its pure-Python implementation (set "
                "PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python)."),
    # a direct reference whose #egg= / "name @" says another name than the project's metadata: pip discards it and
    # looks for the named one on the index (whisper vs openai-whisper)
    Rule("requirement-name-inconsistent", "other", 70,
         rx(r"Generating metadata for package (?P<asked>[\w.-]+) produced metadata for project name (?P<real>[\w.-]*\w)",
            r"Requested (?P<real>[\w.-]+) from \S+ \(from [^)]*\) has inconsistent name: expected '(?P<asked>[\w.-]+)'"),
         blocker=lambda text, m: m.group("asked"), summary="the requirement calls {blocker} what the project names differently",
         action="The requirement names the project `{asked}`, but its metadata says `{real}` (the project was renamed), "
                "so pip discards it and looks for an unrelated `{asked}` on the index: write the requirement with the "
                "real name (`{real} @ git+...`, or `#egg={real}`), or install `{real}` first and the rest with "
                "`--no-deps`; report it to the package that declares the old name."),
    # setuptools' easy_install (`python setup.py install`) checks versions after installing, and stops on a clash
    Rule("easy-install-version-clash", "dependency-conflict", 45,
         rx(r"^error: (?P<have>[\w.-]+) (?P<version>\S+) is installed but (?P<req>[^\n]+?) is required by \{'(?P<by>[^']+)'"),
         blocker=lambda text, m: m.group("have"), summary="{blocker} is installed in a version another package rejects",
         action="`setup.py install` installed {have} {version}, but {by} requires {req}: install a {have} that fits "
                "(`python -m pip install \"{req}\"`), then the package again - better with pip (`python -m pip "
                "install .`), which resolves such ranges before it installs."),
    # standalone keras of another minor than TensorFlow's: both register the same metrics
    # tensorflow-addons' compiled custom ops are built for one TensorFlow release: under another one their library
    # misses TensorFlow symbols, or registers op names that TensorFlow does not accept yet ("Addons>Gelu")
    Rule("tensorflow-addons-mismatch", "dependency-conflict", 79,
         rx(r"tensorflow_addons[\\/]custom_ops[\\/][^\n]*?\.so: undefined symbol: \S+",
            r"InvalidArgumentError: Invalid name: Addons>\w+"),
         blocker=fixed("tensorflow-addons"), summary="tensorflow-addons was built for another TensorFlow release",
         action="tensorflow-addons' compiled ops are built for one TensorFlow release and do not load under another "
                "(its README has the table of which addons release goes with which TensorFlow): upgrade tensorflow to "
                "the release this addons was built for (`python -m pip install --upgrade tensorflow`, or the exact "
                "version from that table), or install the tensorflow-addons release made for your TensorFlow "
                "(`pip show tensorflow` shows yours)."),
    Rule("keras-tensorflow-mismatch", "dependency-conflict", 79,
         rx(r"AlreadyExistsError:? Another metric with the same name already exists"),
         blocker=fixed("keras"), summary="keras and TensorFlow are of different releases",
         action="keras and TensorFlow are of different releases (a newer standalone keras was installed beside an older "
                "TensorFlow): pin keras to TensorFlow's own minor version (`python -m pip install \"keras==2.6.*\"` for "
                "TensorFlow 2.6 - `pip show tensorflow` shows yours), or upgrade TensorFlow to keras's release."),
    Rule("protobuf-too-new", "dependency-conflict", 80,
         rx(r"Descriptors cannot (?:not )?be created directly"),
         blocker=fixed("protobuf"), summary="protobuf is newer than the generated code of a package here allows",
         action="The installed protobuf (4 or newer) is too new for code generated for protobuf 3: pin it back "
                "(`python -m pip install \"protobuf<=3.20.3\"`, i.e. protobuf<4), or upgrade the package that "
                "ships the _pb2 files; as a stopgap set PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python (pure-Python "
                "parsing, slower)."),
    Rule("scipy-numpy-range", "dependency-conflict", 46,
         rx(r"A NumPy version >=(?P<low>[\d.]+) and <(?P<high>[\d.]+) is required for this version of SciPy "
             r"\(detected version (?P<have>[\d.]+)"),
         blocker=fixed("numpy"), summary="the installed NumPy is outside the range the installed SciPy needs",
         action="The installed packages disagree: SciPy wants \"numpy<{high}\" but numpy {have} is installed (a mix of "
                "system and user site-packages does this): install {pack} into a fresh venv, or pin \"numpy<{high}\"."),
    Rule("estimator-newer-than-tensorflow", "dependency-conflict", 48,
         rx(r"tensorflow_estimator[\\/][^\n]*\n(?:[^\n]*\n){0,12}?AttributeError: module 'tensorflow' has no "
             r"attribute 'compat'"),
         blocker=fixed("tensorflow-estimator"), summary="tensorflow-estimator is newer than the TensorFlow it runs with",
         action="tensorflow-estimator is newer than this TensorFlow (a 1.x without the tf.compat it expects): install "
                "the tensorflow-estimator of your TensorFlow's version (`python -m pip install \"tensorflow-estimator"
                "==X.Y.*\"` for TensorFlow X.Y), or start over in a fresh environment (conda: `conda create -n "
                "spleeter python=3.10`, then pip install {pack})."),
    Rule("tensorflow-broken-install", "dependency-conflict", 47,
         rx(r"cannot import name '\w+' from 'tensorflow[\w.]*'",
             r"module 'tensorflow[\w.]*' has no attribute '\w+'"),
         blocker=fixed("tensorflow"), summary="the TensorFlow in this environment is broken or mixed",
         action="The TensorFlow here is broken or mixed (files of two versions, or a conda and a pip copy in one "
                "environment): reinstall it cleanly in a fresh venv (`python -m pip install --force-reinstall "
                "--no-cache-dir ...`), or install {pack} (it needs TensorFlow 2.12.1) in a new venv."),
    Rule("pkg-resources-version-conflict", "dependency-conflict", 46,
         rx(r"(?:Contextual)?VersionConflict: \((?P<name>[\w.-]+) (?P<have>[\w.]+) \([^)]*\), "
             r"Requirement\.parse\('(?P<need>[^']+)'\), \{'(?P<by>[\w.-]+)'\}\)"),
         blocker=lambda text, m: m.group("name"), summary="{blocker} is installed in a version another package rejects",
         action="{by} needs {need} but {name} {have} is installed: install the version it needs (`python -m pip install "
                "\"{need}\"`), or a {by} release that accepts {name} {have}."),
    # jax checks at import that jaxlib (its compiled half) is a release it was made with
    Rule("jax-jaxlib-mismatch", "dependency-conflict", 70,
         rx(r"jaxlib version (?P<lib>[\w.]+) is newer than and incompatible with jax version (?P<jax>[\w.]+)",
            r"jaxlib is version (?P<lib2>[\w.]+), but this version of jax requires version (?:>= ?)?(?P<need>[\w.]+)"),
         blocker=fixed("jaxlib"), summary="jax and jaxlib are releases that do not go together",
         action="jax and jaxlib must be matching releases (jax checks at import): upgrade both together - `python -m "
                "pip install --upgrade jax jaxlib` (for a GPU, `\"jax[cuda12]\"`) - or pin jaxlib to the release of "
                "your jax (`pip install \"jax==X\" \"jaxlib==X\"`)."),
    Rule("numpy-alias-removed", "dependency-conflict", 46,
         rx(r"module 'numpy' has no attribute '(?P<alias>float|int|bool|object|str|long|unicode|complex)'"),
         blocker=fixed("numpy"),
         summary="numpy 1.24 removed a builtin-type alias (np.float, np.int, ...) this code still uses",
         action="numpy 1.24 removed the np.{alias} alias that this code (or an old dependency, e.g. librosa before "
                "0.10) still uses: pin \"numpy<1.24\" (`python -m pip install \"numpy<1.24\"`), or upgrade the "
                "package that uses it to a release made for current numpy."),
    Rule("numba-decorators-removed", "dependency-conflict", 46,
         rx(r"No module named 'numba\.decorators'"),
         blocker=fixed("numba"), summary="this librosa (< 0.8) needs numba.decorators, which numba 0.50 removed",
         action="librosa before 0.8 imports numba.decorators, which numba 0.50 removed: pin \"numba<0.50\" "
                "(numba==0.48.0 with llvmlite==0.31.0) next to the old librosa, or upgrade to librosa>=0.8 (or {pack}, "
                "which needs neither)."),
    Rule("numba-llvmlite-mismatch", "dependency-conflict", 46,
         rx(r"Numba requires at least version (?P<need>[\d.]+) of llvmlite",
             r"Numba requires at least version (?P<llvm>[\d.]+) of LLVM",
             r"unexpected keyword argument 'jitdebug'",
             r"Type of #\d+ arg mismatch: i1 != i32"),
         blocker=fixed("llvmlite"), summary="numba and llvmlite versions do not match"),
    Rule("pip-conflict", "dependency-conflict", 45,
         rx(r"ResolutionImpossible",
            r"^\s*So, because [\w.-]+ depends on [^\n]+, version solving failed",  # poetry's solver
             r"because these package versions have conflicting dependencies",
             r"The conflict is caused by:",
             # the explanation's own lines, when a paste keeps only them
             r"^\s*The user requested [\w.-]+[=<>!~]=?[\w.*]+\s*\n\s*[\w.-]+ [\w.!+]+ depends on [\w.-]+\s*[=<>!~]",
             r"Found conflicts!"),
         blocker=contested, also=CONFLICT_LINES, summary="the requirements on {blocker} cannot all be met"),
    # pipenv's (pip-tools') lock: every specifier on one package in one line, which no release meets all of
    Rule("pipenv-no-version-matches", "dependency-conflict", 45,
         rx(r"Could not find a version that matches (?P<pkg>[A-Za-z][\w.-]*?)(?P<specs>(?:[=<>!~]=?[\w.*+!-]+,?)+)"
            r"(?:\s+\(from [^\n]*\))?\s*$"),
         blocker=lambda text, m: m.group("pkg"), summary="the requirements on {blocker} cannot all be met"),
    Rule("uv-no-solution", "dependency-conflict", 35,
         rx(r"No solution found when resolving dependencies",
             r"we can conclude that your requirements are unsatisfiable",
             # pixi's PyPI solve (uv's resolver, its own words: "the requirements", which uv also says of a build's)
             r"failed to solve the pypi requirements of[\s\S]{0,400}?we can conclude that the requirements are "
             r"unsatisfiable"),
         blocker=contested, also=rx(r"^\s*And because you require [^\n]+$"),
         summary="the requirements on {blocker} cannot all be met"),
    Rule("poetry-facts", "dependency-conflict", 35,
         rx(r"^\s*\d+: fact: \S+ \([^)]+\) depends on (?P<name>numpy|tensorflow|librosa|llvmlite|numba) \("),
         blocker=lambda text, m: m.group("name"), summary="the requirements on {blocker} cannot all be met"),
    # resolver-backtracking
    Rule("pip-backtracking", "resolver-backtracking", 44,
         rx(r"This is taking longer than usual",
             r"pip is looking at multiple versions of [\w.-]+ to determine which version is compatible",
             # pip 24.1+ gives up after its round limit
             r"error: resolution-too-deep", r"Dependency resolution exceeded maximum depth",
             r"resolvelib\.resolvers\.ResolutionTooDeep\b|^ResolutionTooDeep: \d+",
             # PDM's lock: its own message and the error it ends with
             r"dependency resolution exceeds the maximum loop depth", r"^\[ResolutionTooDeep\]: \d+"),
         # "looking at multiple versions" alone, before pip's verdict that a dependency has no distribution at all,
         # is pip trying the older releases of what needs it: the missing distribution is the cause
         check=lambda text, m: not (m.group(0).startswith("pip is looking") and re.search(
             r"No matching distribution found for [^\n]+", text[m.end():]) and "taking longer than usual" not in text),
         summary="pip's resolver is backtracking through many versions"),
    Rule("many-versions-downloaded", "resolver-backtracking", 44,
         rx(r"^\s*(?:Using cached|Downloading) (?:\S*/)?(?P<name>[A-Za-z][\w.]*?)-\d"), check=many_versions,
         blocker=most_fetched,
         summary="pip is fetching one package in version after version (backtracking)"),
    # installing a torch companion (xformers, torchvision, torchaudio) - not torch - made pip uninstall the torch the
    # environment had: each companion wheel pins the exact torch it was built with
    Rule("companion-replaced-torch", "dependency-conflict", 44,
         rx(r"^\s*(?:Successfully uninstalled|Uninstalling) torch-(?P<old>\d[\w.+]*?):?\s*$"),
         # (a command line that names torch itself asked for the change)
         requires=rx(r"^(?![^\n]*\btorch(?:[=<>~! ]|$))[^\n]*" + COMPANION_INSTALL),
         blocker=lambda text, m: f"torch=={m.group('old')}",
         summary="installing a torch companion replaced the installed {blocker} (its wheel pins another torch)"),
    Rule("pip-installed-conflict", "dependency-conflict", 20,
         rx(r"pip's dependency resolver does not currently take into account all the packages that are installed",
             r"^\S+ [\w.]+ requires [^\n]+, but you have [^\n]+ which is incompatible"),
         blocker=contested, summary="installed packages disagree about {blocker}"),
    # a TensorFlow add-on's native library built against another TensorFlow release (C++ symbols do not match)
    Rule("tensorflow-addon-abi", "dependency-conflict", 49,
         rx(r"[\\/](?P<name>tensorflow[_-](?:io|addons|text|recommenders|decision_forests)|tensorflow_io_gcs_filesystem)"
            r"[\\/][^\n']*\.so: undefined symbol: _ZN\w*tensorflow",
            # tensorflow-io's own wording: the plugin library it could not open, the symbol on a later line
            r"unable to open file: lib(?P<name>tensorflow_io)(?:_plugins)?\.so[\s\S]{0,800}?(?:undefined symbol|"
            r"[Ss]ymbol not found)",
            # the same, cut before its "caused by" line: by far the most common reason it cannot open its own library
            r"NotImplementedError: unable to open file: lib(?P<name>tensorflow_io)(?:_plugins)?\.so, from paths"),
         blocker=lambda text, m: m.group("name").replace("_", "-"),
         summary="{blocker}'s native library was built for another TensorFlow release"),
    # pip 24.1 and later skip releases whose metadata has an invalid specifier (omegaconf 2.0.x: ">=5.1.*")
    Rule("pip-rejects-invalid-metadata", "dependency-conflict", 52,
         rx(r"Ignoring version (?P<v>\S+) of (?P<name>[\w.-]+) since it has invalid metadata"),
         blocker=lambda text, m: f"{m.group('name')}=={m.group('v')}",
         summary="pip skips {blocker}: its metadata is invalid for pip 24.1 and later",
         action="pip 24.1 and later reject the metadata of {name} {v} (an invalid version specifier such as `>=5.1.*`) "
                "and skip it, so the requirement that needs it cannot be met: install with an older pip (`python -m "
                "pip install \"pip<24.1\"`, then install again), or upgrade the package that pins {name} to a "
                "release that accepts a newer {name}."),
    Rule("numba-numpy-unsupported", "dependency-conflict", 46,
         rx(r"SystemError: initialization of _internal failed without raising an exception",
            r"ImportError(?::\s*|\(\s*['\"])Numba needs NumPy (?P<range>[\d.]+ or (?:less|greater))",
            r"(?:module|import)[^\n]*: Numba needs NumPy (?P<range>[\d.]+ or (?:less|greater))"),
         blocker=fixed("numpy"), summary="this numba does not support the installed NumPy"),
)
