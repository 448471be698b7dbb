"""The diagnostics engine, tested on real failure logs.

``data/logs/manifest.yaml`` lists every log with where it came from (a public
issue thread, or this repo's own matrix run) and the category and blocker a
reader of that thread would give it. Every one must come out the same through
both the library call and ``diagnose LOGFILE --json``.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, List, Set

import pytest
import yaml

from harness.diagnose import (
    DiagnoseContext,
    diagnose_file,
    diagnose_text,
    interpreter_unavailable,
    main,
    render,
    reqs,
    timeout_diagnosis,
)
from harness.diagnose import engine as engine_module
from harness.diagnose.rules import RULES
from harness.diagnose.text import MAX_CHARS, clip, decode, normalise
from harness.results import CATEGORIES, Diagnosis

LOGS = Path(__file__).parent / "data" / "logs"
MANIFEST: List[Dict] = yaml.safe_load((LOGS / "manifest.yaml").read_text(encoding="utf-8"))["logs"]
BY_FILE = {entry["file"]: entry for entry in MANIFEST}
TUNED = MANIFEST  # the held-out quarter was scored once (README); since then it is tested like the rest
JSON_KEYS = {"category", "blocker", "next_action", "manual_fallback", "evidence"}


def log_text(name: str) -> str:
    return decode((LOGS / name).read_bytes())


# -- the corpus itself ---------------------------------------------------------------------


def test_manifest_lists_exactly_the_log_files():
    on_disk = sorted(p.name for p in LOGS.glob("*.log"))
    assert sorted(BY_FILE) == on_disk


def test_corpus_has_150_logs_most_of_them_real_from_public_threads():
    real = [e for e in MANIFEST if e["kind"] == "real"]
    assert len(MANIFEST) >= 150 and len(real) >= 150
    for entry in real:
        assert re.match(r"^https://github\.com/[\w.-]+/[\w.-]+/(issues|pull)/\d+$", entry["source"]), entry["file"]
    assert {e["kind"] for e in MANIFEST} == {"real", "matrix", "synthetic"}


def test_corpus_labels_every_category_with_five_real_logs():
    assert {e["category"] for e in MANIFEST} == set(CATEGORIES)
    counts = Counter(e["category"] for e in MANIFEST if e["kind"] == "real")
    # timeout: the harness's own footer (matrix logs) and network downloads that ran out of time (real ones)
    assert {c for c in CATEGORIES if counts[c] < 5} == set()
    for entry in MANIFEST:
        assert set(entry.get("also", [])) <= set(CATEGORIES) and entry["category"] not in entry.get("also", [])
        assert entry["action"] and all(isinstance(word, str) and word for word in entry["action"])


def test_a_quarter_of_the_new_logs_is_held_out():
    new = [e for e in MANIFEST if e.get("split") in ("tune", "heldout")]  # heldout2: a later, separate batch
    held = [e for e in new if e["split"] == "heldout"]
    assert len(new) >= 100 and len(held) == len(new) // 4


def test_matrix_logs_carry_the_harness_header():
    for entry in MANIFEST:
        if entry["kind"] == "matrix":
            first = log_text(entry["file"]).split("\n", 1)[0]
            assert entry["source"].endswith(first[2:]), entry["file"]


# -- every log, both ways in -----------------------------------------------------------------


# Held-out logs where the engine gives one of the labelled alternates (or no blocker) rather than the thread's
# root cause: left as they are, since the log alone does not say more (355/356 never say they ran on a Mac),
# or where an expert could argue either way (391: a broken TensorFlow install vs the wrong environment's).
ALTERNATE = {"630-conda-11982-condassl-openssl-unavailable-windows.log": ("dll-load-failed", "_ssl"),  # conda's OpenSSL DLLs
             "631-echomimic-32-condassl-conda-create.log": ("dll-load-failed", "_ssl"),
             "135-tensorflow-44110-dll-init-routine-python38.log": ("dll-load-failed", "tensorflow"),
             "332-uv-10236-torch-no-wheel-python313-windows.log": ("no-wheel-for-platform", None),
             "351-audiobook-19-pyttsx3-init-libespeak-ubuntu.log": ("dll-load-failed", None),
             "390-spleeter-421-cannot-import-pywrap-tensorflow-core.log": ("dependency-conflict", "tensorflow"),
             "391-spleeter-27-cannot-import-pywrap-tensorflow-miniconda.log": ("dependency-conflict", "tensorflow"),
             "396-spleeter-927-macos-m1-numpy-1185-no-c-compiler.log": ("metadata-generation-failed",
                                                                        "numpy<1.19.0,>=1.16.0"),
             "398-tensorflow-9722-cp35-wheel-on-python27.log": ("python-32-bit", "tensorflow==1.1.0"),
             "355-tensorflow-57444-m1-py39-none.log": ("python-32-bit", "tensorflow"),
             "356-facial-animation-4-tensorflow-cpu-m1.log": ("python-32-bit", "tensorflow-cpu"),
             # "DLL initialization routine failed": the corpus's tuned logs (136, 137) call it a CPU without AVX;
             # the advice names both that and the MSVC runtime, the other usual cause
             "415-tensorflow-83632-dll-init-failed-tf218-py311.log": ("cpu-without-avx", "tensorflow"),
             "432-tensorflow-72527-dll-init-py312-user-site.log": ("cpu-without-avx", "tensorflow"),
             # the log shows a module missing, not which Python has it: "other", and the advice asks `which python3`
             "500-jupyter-upydevice-kernel-4-python3-not-jupyters.log": ("other", "jupyter_client"),
             # pip's pre-19.1 wording wins; the advice also names the 64-bit Python the thread found
             "528-tensorflow-12253-from-versions-empty-linux-32-bit.log": ("pip-outdated", None),
             # an llvmlite build on a Python the log does not name: a build failure whose advice names the Python
             # the release's wheels stop at (the labelled alternative)
             "542-llvmlite-1011-python312-llvm-config-quoted.log": ("source-build-failed", "llvmlite"),
             "544-uv-9898-llvmlite-0430-windows-cmake-build.log": ("source-build-failed", "llvmlite==0.43.0"),
             # the cut compiler output names no package line
             "543-retentioneering-51-numpy-build-clang-faltivec-arm64.log": ("source-build-failed", None),
             # the excerpt shows the TLS error, not the model download around it
             "552-demucs-113-ssl-wrong-version-number-model-download.log": ("ssl-certificate", None),
             # the log shows the broken call, not which dependency the resolver took too new: the probable cause
             # no rule: the similar-log fallback names the conflict, its generic advice not the etils pin
             "597-open-pi-zero-43-etils-multiplexedpath-no-parts.log": ("dependency-conflict", None),
             # no rule: the similar logs were conflicts, where the thread's cause is spleeter 2.4's removed attribute
             "629-beat-transformer-15-separator-no-stft-spleeter24.log": ("dependency-conflict", None),
             # a localised "initialization routine failed": read as a DLL failure, whose advice names AVX as well
             "601-spleeter-169-tf-dll-init-failed-russian-python37.log": ("dll-load-failed", "tensorflow"),
             # the cut log shows the Cython failure, not the Python 3.11 the thread names: a source build
             "611-spleeter-865-numpy-cython-python311-windows.log": ("source-build-failed", "numpy"),
             # the label names no blocker; the engine names the package pip fetched in the most versions
             "146-pip-10230-bpython-attrs-several-hours.log": ("resolver-backtracking", "bpython"),
             # PEP 668: pip may not write into the OS's Python - permission-denied, as these and most later labels
             # have it (the final blind batch's three said "other"); the blocker names the policy
             **{name: ("permission-denied", "externally-managed-environment") for name in (
                 "410-get-pip-197-externally-managed-debian.log", "411-signal-export-11-externally-managed-homebrew.log",
                 "605-odyssey-2-externally-managed-ubuntu2404-python314.log",
                 "606-ninja-2370-externally-managed-build-script-pip3.log")},
             # pyenv compiling a Python without a library's headers: a source build (source-build-failed), as 11 of
             # the 14 outside labels of such logs have it; heldout27 labelled these three interpreter-unavailable
             "607-pyenv-1717-build-failed-ssl-not-compiled-ubuntu1904.log": ("source-build-failed", "Python 3.6.4"),
             "608-pyenv-483-python350-ssl-not-compiled-ubuntu1404.log": ("source-build-failed", "Python 3.5.0"),
             "609-pyenv-2693-arch-libssl-so-11-missing.log": ("source-build-failed", "Python 3.10.6")}
PYTHON_BUILD_CATEGORY_MISSES = {"607-pyenv-1717-build-failed-ssl-not-compiled-ubuntu1904.log",
                                "608-pyenv-483-python350-ssl-not-compiled-ubuntu1404.log",
                                "609-pyenv-2693-arch-libssl-so-11-missing.log",
                                "2580-pyenv-891-failed-to-download-tarball-wsl.log"}


# Held-out logs whose right next action the log alone does not reveal (the thread names the Mac).
KNOWN_ACTION_MISSES = {"396-spleeter-927-macos-m1-numpy-1185-no-c-compiler.log"}
# ... and the one whose category the eval counts as a miss (the engine's is not among the labelled ones).
KNOWN_CATEGORY_MISSES = {"391-spleeter-27-cannot-import-pywrap-tensorflow-miniconda.log"} | PYTHON_BUILD_CATEGORY_MISSES


# The final blind batch's misses as they stand (scored first at 74.7% / 72.6%, 83.2% / 78.9% after the
# classes it showed were fixed): fixing one turns its test red until the file leaves its set.
FINAL_CATEGORY_MISSES = {
    "1116-tfio-33-no-macos-wheel.log",
    "1127-tensorflow-60512-tf23-py39-mac.log",
    "1128-tfjs-8108-torch-tf-py3121.log",
    "1135-spleeter-548-store-python-dll.log",
    "1147-ml-agents-898-tf171-py37b.log",
}
FINAL_ACTION_MISSES = {
    "1147-ml-agents-898-tf171-py37b.log",
    "1151-AI-Aimbot-69-numpy-wheel-msvc.log",
    "1176-tensorflow-48733-rpi4-aarch64.log",
}
KNOWN_CATEGORY_MISSES |= FINAL_CATEGORY_MISSES
KNOWN_ACTION_MISSES |= FINAL_ACTION_MISSES
# The fourth blind batch (blind4: tuned on after its first score; blind4-aside: a seeded quarter scored once, after
# every other change, then tuned on too): what is still wrong on them.
BLIND4_CATEGORY_MISSES = {
    '1215-tensorflow-27990-py372-win7-no-distribution.log',
    '1227-llvmlite-566-cmake-missing-winerror2.log',
}
BLIND4_ACTION_MISSES = {
    '1215-tensorflow-27990-py372-win7-no-distribution.log',
    '1227-llvmlite-566-cmake-missing-winerror2.log',
    '1237-tensorflow-83097-py313-tf210-no-distribution.log',
    '1248-tensorflow-84102-windows-arm-dll-init.log',
    '1323-pytorch-79347-torch-from-versions-none-32bit.log',
    '1325-poni-5-conda-tf1131-python385-unsat.log',
    '1351-pygame-ce-1417-py310-sdist-sdl-download-ssl-expired.log',
}
KNOWN_CATEGORY_MISSES |= BLIND4_CATEGORY_MISSES
KNOWN_ACTION_MISSES |= BLIND4_ACTION_MISSES
# blind5 (session 5): left after fixing its classes - a log cut before its error line (the checksum message the
# thread quotes is not in it), a log that never shows the Python 3.14 the thread names, and a metadata failure
# whose cause (a dependency's missing egg-info) the excerpt does not show
BLIND5_CATEGORY_MISSES: Set[str] = set()
BLIND5_ACTION_MISSES = {
    '1525-CristiFati-pyaudio-15-win-py314-no-wheel-portaudio.log',
    '1533-MidiProcessor-3-egg-info-missing-miditoolkit.log',
}
KNOWN_CATEGORY_MISSES |= BLIND5_CATEGORY_MISSES
KNOWN_ACTION_MISSES |= BLIND5_ACTION_MISSES
# blind5-aside (scored once, 90.3% / 71.0%), blind6 (94, fully blind, scored once: 67.0% / 57.4%) and blind7 (99,
# fully blind, scored once: 74.7% / 70.7%): what is left after their classes were fixed
BLIND567_CATEGORY_MISSES = {
    '1617-llvmlite-266-no-windows-wheel-0.18.log',
    '1640-Wav2Lip-541-zero-byte-ffmpeg-exe.log',
    '1644-madmom-547-numpy-math-pxd-not-found.log',
    '1661-pyaudio-2-py312-no-wheel-sdist-build.log',
    '1676-stable-diffusion-webui-56-webui-bat-picks-python368.log',
    '1677-ComfyUI-2345-winerror182-nvfuser-codegen.log',
    '1683-setuptools-4458-setuptools72-command-test-removed.log',
    '1729-spleeter-458-numba-decorators-conda-forge-fresh-env.log',
    '1737-tensorflow-2951-pip-bound-to-python35-py2-wheel.log',
    '1738-tensorflow-32698-tf20rc-manylinux2010-pip-181.log',
    '1800-audiotext-74-pyaudio-0213-getting-requirements-error.log',
}
BLIND567_ACTION_MISSES = {
    '1432-spleetergui-16-numba048-typeconv-dll.log',
    '1532-Verbi-29-pygame-sdist-distutils-msvccompiler.log',
    '1610-numba-7339-api-0xe-vs-0xd-tf26.log',
    '1643-vibe-1156-whisper-model-download-reset.log',
    '1662-uv-7436-sync-build-wheel-long-path.log',
    '1664-uv-4890-numpy-unsatisfiable-extra-index.log',
    '1667-pdm-636-keyerror-caffe2-torch-wheel.log',
    '1668-kohya_ss-3429-uv-invalid-torch-wheel-metadata.log',
    '1676-stable-diffusion-webui-56-webui-bat-picks-python368.log',
    '1677-ComfyUI-2345-winerror182-nvfuser-codegen.log',
    '1680-pip-12416-pip2231-on-python312-impimporter.log',
    '1683-setuptools-4458-setuptools72-command-test-removed.log',
    '1715-msys2-15022-numba-requires-llvmlite-039.log',
    '1729-spleeter-458-numba-decorators-conda-forge-fresh-env.log',
    '1732-mamba-3095-fmt-1020-breaks-libmambapy-dll.log',
    '1737-tensorflow-2951-pip-bound-to-python35-py2-wheel.log',
    '1738-tensorflow-32698-tf20rc-manylinux2010-pip-181.log',
    '1784-uv-10030-tool-install-access-denied-longpaths.log',
}
KNOWN_CATEGORY_MISSES |= BLIND567_CATEGORY_MISSES
KNOWN_ACTION_MISSES |= BLIND567_ACTION_MISSES
# blind8 (84, fully blind, scored once after blind7's classes: 79.8% / 69.0%): what is left after its classes
BLIND8_CATEGORY_MISSES = {
    '1831-pyenv-win-715-core-msi-install-error.log',
    '1864-whisperjav-12-openai-whisper-py313.log',
    '1873-uv-12980-find-links-as-index.log',
    '1878-pip-6951-py38b4-cp38m-wheels.log',
}
BLIND8_ACTION_MISSES = {
    '1802-numba-7692-numba0512-py310-llvmlite-sdist.log',
    '1821-pyenv-win-143-store-python-user-target-conflict.log',
    '1834-coqui-tts-2932-py311-numpy122-build-deps.log',
    '1837-pyenv-win-216-old-pyenv-win-lib-vbs-object-required.log',
    '1874-dockerfile-164-wheel-abi-tag-py311.log',
    '1880-uv-4614-py311-uv-venv-picks-py38-32.log',
    '1896-audio-webui-220-torch-version-conflicts.log',
}
KNOWN_CATEGORY_MISSES |= BLIND8_CATEGORY_MISSES
KNOWN_ACTION_MISSES |= BLIND8_ACTION_MISSES
# blind9 (session 6: 117 logs from three collectors; a seeded per-category quarter, blind9-aside, set aside before
# any log was read; the other 88 scored once, fully blind, 68.2% / 59.1%; the aside scored once after blind9's
# classes were fixed, 75.9% / 62.1%): what is left after the classes of both were fixed
BLIND9_CATEGORY_MISSES = {
    '1903-numpy-25506-py313dev-meson-metadata.log',
    '1926-numpy-15177-arm64-old-pip-no-cython-sdist.log',
    '1973-uv-17338-numpy2-forces-ancient-numba-llvmlite.log',
    '1985-whispertimestamped-230-py313-openai-whisper-sdist.log',
    '1998-torchaudio-436-windows-no-torchaudio-wheel.log',
    '2008-librosa-1099-cannot-cache-shear-dense.log',  # numba's cache error: the similar logs were conflicts
    '2017-numba-2918-llvmlite-023-not-yet-on-pypi.log',
}
BLIND9_ACTION_MISSES = {
    '1921-tensorflow-21719-win-py36-tf110-protobuf361-dll.log',
    '1935-spleetergui-215-root-output-missing-files-arg.log',
    '1973-uv-17338-numpy2-forces-ancient-numba-llvmlite.log',
    '2017-numba-2918-llvmlite-023-not-yet-on-pypi.log',
}
KNOWN_CATEGORY_MISSES |= BLIND9_CATEGORY_MISSES
KNOWN_ACTION_MISSES |= BLIND9_ACTION_MISSES
KNOWN_CATEGORY_MISSES |= {"629-beat-transformer-15-separator-no-stft-spleeter24.log"}
KNOWN_ACTION_MISSES |= {"597-open-pi-zero-43-etils-multiplexedpath-no-parts.log",
                        "629-beat-transformer-15-separator-no-stft-spleeter24.log"}
# blind10 (session 6: 113 logs from three more collectors, scored once, whole and fully blind, after blind9's classes:
# 73.5% / 61.9%; the session's starting code 72.6% / 60.2%): what is left after its classes were fixed
BLIND10_CATEGORY_MISSES = {
    '2115-pyenv-win-97-powershell-pyenv-not-recognized.log',
    '2123-numba-1215-py34-sdist-nrt-h-missing.log',
    '2125-pip-11635-py361-pip2131-old-prompt-toolkit.log',
    '2145-spleeter-921-colab-spleeter210-numpy1185-sdist.log',
}
BLIND10_ACTION_MISSES = {
    '2123-numba-1215-py34-sdist-nrt-h-missing.log',
    '2125-pip-11635-py361-pip2131-old-prompt-toolkit.log',
    '2131-numba-8188-py310-numpy1230-pin-old-numba-llvmlite-sdist.log',
    '2145-spleeter-921-colab-spleeter210-numpy1185-sdist.log',
    '2167-spleeter4max-57-msvcp140-anaconda-python-on-path.log',
    '2171-tfio-1651-libtensorflow_io-so-version-mismatch.log',
    '2173-uv-13037-private-index-invalid-302-location.log',
}
KNOWN_CATEGORY_MISSES |= BLIND10_CATEGORY_MISSES
KNOWN_ACTION_MISSES |= BLIND10_ACTION_MISSES
# blind11 (session 7: 105 logs from three collectors on app, packaging and library trackers; a seeded quarter,
# blind11-aside (24), chosen from the manifests before any log was read; all 105 scored once, fully blind, with the
# similar-log fallback: 77.1% category / 39.0% next action, the session's starting code 75.2% / 38.1%): not tuned
# on, so this is what the engine gets wrong on them
BLIND11_CATEGORY_MISSES = {
    '2226-bark-20-unknown-package-ubuntu.log',
    '2243-sd-webui-12821-long-filename-path.log',
    '2261-pixi-5657-pytorch-gpu-aarch64-sbsa.log',
    '2275-conda-5666-pip-installs-into-root-env.log',
    '2289-pixi-1544-pytorch-channel-blas-mkl-no-candidates.log',
    '2319-audio-2667-conda-nightly-mac-unsatisfiable.log',
}
BLIND11_ACTION_MISSES = {
    '2275-conda-5666-pip-installs-into-root-env.log',  # the vote's neighbours changed with blind12 in the model
    '2223-faster-whisper-735-ctranslate2-broken-release.log',
    '2224-pyvideotrans-410-ctranslate2-pin.log',
    '2225-coqui-TTS-2913-bark-numpy-conflict.log',
    '2226-bark-20-unknown-package-ubuntu.log',
    '2232-textgen-6210-illegal-instruction-no-avx2.log',
    '2233-espnet-5309-pysptk-pyworld-cython3.log',
    '2236-whisperX-449-vad-checkpoint-upgraded-sha256.log',
    '2243-sd-webui-12821-long-filename-path.log',
    '2244-fish-speech-70-pynini-windows-build.log',
    '2246-xtts-api-server-2-model-download-tls-alert.log',
    '2247-xtts2-ui-6-coqui-gateway-getaddrinfo.log',
    '2249-ytmdl-227-pip-ffmpeg-package.log',
    '2259-hatch-1696-permission-denied-path-dir.log',
    '2260-hatch-1881-alpine-no-managed-interpreter.log',
    '2261-pixi-5657-pytorch-gpu-aarch64-sbsa.log',
    '2268-poetry-10434-xarray-complete-scipy-empty.log',
    '2269-conda-9678-illegal-instruction-mkl-old-mac.log',
    '2280-poetry-4605-tensorflow-202-no-py39-wheel.log',
    '2286-mamba-2533-strict-priority-jax-cuda-env.log',
    '2287-hatch-1578-wsl-windowsapps-permission-denied.log',
    '2289-pixi-1544-pytorch-channel-blas-mkl-no-candidates.log',
    '2290-hatch-2084-unknown-distribution-source.log',
    '2291-hatch-1482-test-all-cannot-locate-python-old-cpu.log',
    '2305-pandas-65213-meson-py314-source-build.log',
    '2313-scipy-21424-macos1013-py312-no-wheel.log',
    '2314-pytorch-91543-py311-no-torch.log',
    '2315-grpc-27727-tls-verify-failed.log',
    '2319-audio-2667-conda-nightly-mac-unsatisfiable.log',
}
KNOWN_CATEGORY_MISSES |= BLIND11_CATEGORY_MISSES
KNOWN_ACTION_MISSES |= BLIND11_ACTION_MISSES
# blind12 (session 8: 98 logs from three collectors on audio-library, installer and app trackers; a seeded quarter,
# blind12-aside (21), chosen from the manifests before any log was read; all scored once, fully blind, at 2a5ccaa:
# 74.5% category / 44.9% next action, the session's starting code 74.5% / 43.9%; blind12's classes were fixed after
# that score, the aside left as it was): what the engine still gets wrong on them
BLIND12_CATEGORY_MISSES = {
    '2511-coqui-ai-TTS-449-coqpit-vs-coqpit-config.log',
    '2426-moviepy-2240-module-not-found-other-venv.log',
    '2430-spleeter-185-conda-launcher-build-env-python.log',
    '2452-uv-2410-cache-filename-too-long-ecryptfs.log',
    '2488-bark-372-connection-error-disk-cache.log',
}
BLIND12_ACTION_MISSES = {
    '2403-pyttsx3-85-espeak-driver-windows.log',
    '2406-espeak-ng-1042-make-hangs-compile-af.log',
    '2407-espeak-ng-829-make-makefile-am.log',
    '2408-espeak-ng-1667-phontab-data-path.log',
    '2409-tensorflow-9144-cp34-wheel-on-py27.log',
    '2410-pydub-342-playback-tempfile-permission.log',
    '2413-numpy-32260-vendored-meson-submodule-missing.log',
    '2419-h5py-1774-conda-defs-dll-procedure.log',
    '2423-python-soundfile-375-conda-libsndfile-ogg-segfault.log',
    '2426-moviepy-2240-module-not-found-other-venv.log',
    '2427-scipy-10749-setup-requires-numpy-py35.log',
    '2429-h5py-2052-pkg-config-missing.log',
    '2430-spleeter-185-conda-launcher-build-env-python.log',
    '2431-tensorflow-6809-avx2-build-on-cpu-without-avx2.log',
    '2441-pip-5915-black-py27-no-version.log',
    '2445-uv-7372-torch-cu124-index-not-used.log',
    '2457-uv-1884-torch-index-url-no-wheel-pkg.log',
    '2462-pipx-791-shared-venv-broken-after-python310.log',
    '2466-pyenv-win-392-0x80070643-fatal-error-install.log',
    '2469-uv-11418-torch251-cu124-lock-only-aarch64.log',
    '2488-bark-372-connection-error-disk-cache.log',
    '2489-audio-171-torch-sox-undefined-symbol.log',
    '2500-RVC-786-pyworld-build-cython3.log',
    '2501-TTS-4420-transformers-beamsearchscorer.log',
    '2509-speechbrain-2472-no-module-pretrained.log',
    '2512-TTS-4349-failed-wheel-build-tts-py311.log',
}
KNOWN_CATEGORY_MISSES |= BLIND12_CATEGORY_MISSES
KNOWN_ACTION_MISSES |= BLIND12_ACTION_MISSES
# blind13 (session 9: 106 logs from three collectors on the issue's own trackers - spleeter, TensorFlow, numba, jax,
# pip, uv, conda, pyenv, numpy/scipy and the audio apps; a seeded quarter, blind13-aside (26), chosen from the
# manifests before any log was read; all scored once, fully blind, at 36dbb4f: blind13 75.0% / 48.8%, the aside
# 73.1% / 57.7%; blind13's classes were fixed after that score, the aside left as it was): what is still wrong
BLIND13_CATEGORY_MISSES = {
    '2533-tensorflow-5478-installed-for-py27-run-py35.log',
    '2550-numba-49-cython-distutils-missing.log',
    '2552-jax-7153-pypi-cannot-depend-on-url.log',
    '2591-pip-5762-all-pips-point-to-python36.log',
    '2605-whisper-2409-py313-keyerror-version.log',
    '2620-resemblyzer-93-torch-numpy-not-available.log',
    '2626-scipy-18448-macos11-m1-sdist-meson.log',
    '2633-moviepy-1294-jupyter-different-python.log',
    '2634-moviepy-2479-moviepy2-no-editor-module.log',
}
BLIND13_ACTION_MISSES = {
    '2540-llvmlite-660-bigsur-old-pip-sdist.log',
    '2552-jax-7153-pypi-cannot-depend-on-url.log',
    '2553-jax-35-cuda90-wheel-http-404.log',
    '2562-nox-219-interpreter-not-found-conda-win.log',
    '2563-nox-381-pyenv-shim-failed-to-find-interpreter.log',
    '2564-tox-1334-interpreternotfound-broken-py38.log',
    '2567-mamba-323-nothing-provides-unsolvable-rbase.log',
    '2568-virtualenv-1142-permission-denied-smb-share.log',
    '2569-conda-7204-unsatisfiable-pandas021-python35.log',
    '2578-pip-13422-click-82-drops-python39.log',
    '2580-pyenv-891-failed-to-download-tarball-wsl.log',
    '2583-pip-6819-pip192-python26-syntaxerror.log',
    '2585-setuptools-1217-tests-require-set-setuptools38.log',
    '2593-conda-9383-py38-pip-no-manylinux-wheels.log',
    '2594-pip-10142-max-path-could-not-build-wheels-pep517.log',
    '2607-scipy-19592-win32-python-meson-cl.log',
    '2608-torchaudio-1837-aarch64-no-distribution.log',
    '2611-espeak-ng-1830-compile-intonations-syntax-error.log',
    '2614-demucs-621-torchaudio-no-backend.log',
    '2620-resemblyzer-93-torch-numpy-not-available.log',
    '2624-speechbrain-1493-requires-torch-le-1-11.log',
    '2625-pyannote-855-speechbrain-torch-1-12-torchvision-undefined-symbol.log',
    '2627-scipy-14615-m1-bigsur-scipy-171-sdist.log',
    '2633-moviepy-1294-jupyter-different-python.log',
}
KNOWN_CATEGORY_MISSES |= BLIND13_CATEGORY_MISSES
KNOWN_ACTION_MISSES |= BLIND13_ACTION_MISSES
# blind14 (session 9: 106 more logs from the same kinds of trackers, collected after blind13's classes were fixed;
# a seeded quarter, blind14-aside (26), chosen from the manifests before any log was read; all scored once, fully
# blind, at 972ac31: blind14 73.8% / 57.5%, the aside 88.5% / 76.9%; blind14's classes were fixed after that
# score, the aside left as it was): what is still wrong
BLIND14_CATEGORY_MISSES = {
    '2667-xformers-1132-ninja-filename-260.log',
    '2676-onnx-3937-sagemaker-wrong-env-transformers.log',
    '2683-pip-9615-ipython-python36.log',
    '2698-conda-4829-pip-installed-conda.log',
    '2706-pdm-3492-requires-python-eq-310.log',
    '2724-h5py-828-qgis-hdf5-dll-conflict.log',
    '2725-numpy-11871-multiarray-umath-version-mix.log',
    '2729-h5py-1934-m1-build-deps-numpy-1193.log',
    '2733-numba-9176-slow-download-llvmlite.log',
    '2734-pyinstaller-4003-pip19-pep517-no-module.log',
    '2740-pyinstaller-7561-pydub-exe-no-ffmpeg.log',
    '2741-h5py-602-cython-not-in-setup-requires.log',
    '2745-pandas-45833-pip-installs-to-py36-runs-py39.log',
    '2748-numpy-15412-py38-old-pip-sdist-build.log',
    '2709-pdm-2779-ignore-active-venv-no-python.log',  # since blind15 joined the similar-log vote
}
BLIND14_ACTION_MISSES = {
    '2648-autoecm-11-keras-pin-conflict.log',
    '2657-laughtersegmentation-2-audioread-imp-py312.log',
    '2661-lameenc-5-python38-no-build.log',
    '2662-termux-packages-15156-lameenc-android.log',
    '2667-xformers-1132-ninja-filename-260.log',
    '2668-spleeter-16-setuptools-too-old.log',
    '2669-audio-separator-39-model-404.log',
    '2671-audioseparation-4-backslash-url-404.log',
    '2677-onnxruntime-15749-venv-actually-py311.log',
    '2683-pip-9615-ipython-python36.log',
    '2687-conda-forge-python-feedstock-444-add-dll-directory.log',
    '2698-conda-4829-pip-installed-conda.log',
    '2700-poetry-9351-pyproject-hooks-pep517-backend.log',
    '2703-pipenv-5865-pydantic-lock-regression.log',
    '2706-pdm-3492-requires-python-eq-310.log',
    '2709-pdm-2779-ignore-active-venv-no-python.log',
    '2710-pip-1905-proxy-hostname-mismatch.log',
    '2712-pipenv-4431-pipenv-python-shim-py27.log',
    '2724-h5py-828-qgis-hdf5-dll-conflict.log',
    '2725-numpy-11871-multiarray-umath-version-mix.log',
    '2729-h5py-1934-m1-build-deps-numpy-1193.log',
    '2733-numba-9176-slow-download-llvmlite.log',
    '2736-scipy-12853-index-connection-refused.log',
    '2740-pyinstaller-7561-pydub-exe-no-ffmpeg.log',
    '2743-pyttsx3-28-no-module-foundation-macos.log',
    '2745-pandas-45833-pip-installs-to-py36-runs-py39.log',
    '2747-numpy-12833-pip190-assert-building-is-possible.log',
    '2748-numpy-15412-py38-old-pip-sdist-build.log',
    '2752-scipy-19850-old-scipy-builds-numpy-msvc.log',
}
KNOWN_CATEGORY_MISSES |= BLIND14_CATEGORY_MISSES
KNOWN_ACTION_MISSES |= BLIND14_ACTION_MISSES


# Blind batches labelled by outside helpers: their blockers are prose ("whisperx VAD model", "pip 19.2.2"), not
# the engine's requirement strings, so for them the test holds the category to the labelled or an also-defensible
# one and the next action to a key word, and leaves the blocker's spelling alone.
# blind15: 105 logs scored once at 955624e (README); the misses left after its classes and the model rebuilt
BLIND15_CATEGORY_MISSES = {
    '2767-addons-142-macos-linux-only-old-pip.log',
    '2774-openvino-tensorflow-344-cp39-wheel-on-py38.log',
    '2809-pyenv-win-449-core-component-msi-scoop.log',
    '2815-setuptools-4976-pbr-broken-by-setuptools-803.log',
    '2831-pipenv-4380-pipfile-requires-36-using-373.log',
    '2841-scdl-389-winerror2-ffmpeg-missing.log',
    '2869-buzz-576-stable-whisper-wrong-name.log',
    '2872-demucs-gui-29-demucs-410a2-unreleased.log',
}
BLIND15_ACTION_MISSES = {
    '2764-onnxruntime-20866-debian9-too-old.log',
    '2768-addons-455-macos-py37-before-05.log',
    '2771-openvino-28774-py313-openvino-20246.log',
    '2785-tensorflow-48799-keras-tf-internal-tf2-tf115.log',
    '2790-tensorflow-1167-070-py3-none-wheel-unsupported.log',
    '2794-numba-6366-user-site-llvmlite-0280-shadows-conda.log',
    '2809-pyenv-win-449-core-component-msi-scoop.log',
    '2811-hatch-2428-hatchling-1321-imports-hatch.log',
    '2814-virtualenv-2553-python27-dropped-20220.log',
    '2815-setuptools-4976-pbr-broken-by-setuptools-803.log',
    '2819-pip-7637-cp3-abi3-wheel-tag-pip20.log',
    '2831-pipenv-4380-pipfile-requires-36-using-373.log',
    '2832-uv-1393-artifactory-relative-url-404.log',
    '2833-pyenv-win-367-python3-exe-venv-winerror2.log',
    '2835-virtualenv-505-stale-registry-installpath.log',
    '2851-matcha-tts-69-piper-phonemize-none.log',
    '2869-buzz-576-stable-whisper-wrong-name.log',
}
KNOWN_CATEGORY_MISSES |= BLIND15_CATEGORY_MISSES
KNOWN_ACTION_MISSES |= BLIND15_ACTION_MISSES

# -- blind16 (session 11): 105 logs from three collectors (files 2881-2915, 2921-2955, 2961-2995), scored
# once at 415f097 before any of its classes were fixed (README); what still misses, by name
BLIND16_CATEGORY_MISSES = {
    '2899-mediapipe-5396-090-removed-from-pypi.log',
    '2906-framepack-144-typing-extensions-inconsistent-name.log',
    '2965-arrow-1309-old-pip-sdist-cmake-buildutils.log',
    '2984-matplotlib-15259-pip-targets-anaconda2-python27.log',
}
BLIND16_ACTION_MISSES = {
    '2889-torchvision-8747-poetry-py313-no-candidates.log',
    '2896-wenet-789-conda-torchaudio-090-pytorch-110-unsatisfiable.log',
    '2901-pyworld-59-py36-setup-requires-numpy-rc.log',
    '2906-framepack-144-typing-extensions-inconsistent-name.log',
    '2939-pypi-support-980-python278-no-sni-sslerror.log',
    '2945-pixi-771-tensorflow-metal-no-compatible-artifacts.log',
    '2965-arrow-1309-old-pip-sdist-cmake-buildutils.log',
    '2968-fiona-783-windows-no-wheel-lnk1104-python37lib.log',
    '2969-h5py-2472-dll-load-failed-defs-conda-pip-mix.log',
    '2981-tensorflow-text-852-tensorflow-cpu-numpy-conflict.log',
    '2984-matplotlib-15259-pip-targets-anaconda2-python27.log',
    '2989-jax-5805-conda-pip-find-links-same-line.log',
    '2991-tensorflow-85418-poetry-no-installation-candidates.log',
}
KNOWN_CATEGORY_MISSES |= BLIND16_CATEGORY_MISSES
KNOWN_ACTION_MISSES |= BLIND16_ACTION_MISSES
# -- end blind16
# -- blind17 (session 12): 88 logs from three collectors (files 3001-3035, 3041-3074, 3081-3100), scored
# once at 9c335b0 before any of its classes were fixed (README); what still misses, by name
BLIND17_CATEGORY_MISSES = {
    '3074-OpenBB-finance-OpenBB-208-conda-env-not-activated-no-pandas.log',
    '3091-python-pillow-Pillow-9237-py314-pillow1130.log',
    '3096-numpy-numpy-14726-py380-win-no-wheel.log',
}
BLIND17_ACTION_MISSES = {
    '3001-tensorflow-tensorflow-44416-macos-py39-no-release.log',
    '3011-ActiveVisionLab-gaussctrl-3-hfhub-tokenizers-conflict.log',
    '3024-openai-web-crawl-q-and-a-example-1-hfhub-pin-conflict.log',
    '3057-opencv-opencv-python-410-sdist-before-windows-wheels.log',
    '3074-OpenBB-finance-OpenBB-208-conda-env-not-activated-no-pandas.log',
    '3091-python-pillow-Pillow-9237-py314-pillow1130.log',
    '3096-numpy-numpy-14726-py380-win-no-wheel.log',
    '3100-python-pillow-Pillow-3238-py27-msc1900-dll-load.log',
}
KNOWN_CATEGORY_MISSES |= BLIND17_CATEGORY_MISSES
KNOWN_ACTION_MISSES |= BLIND17_ACTION_MISSES
# -- end blind17
# -- blind18 (session 13): 97 logs from four collectors (files 3101-3130, 3141-3160, 3181-3200, 3221-3247), scored
# once at 655b2e7 before any of its classes were fixed (README); what still misses, by name
BLIND18_CATEGORY_MISSES = {
    '3101-tensorflow-tensorflow-58820-pip-killed-low-ram.log',
    '3110-tensorflow-tensorflow-23330-py371-no-wheel-win.log',
    '3123-tensorflow-tensorflow-66517-tensorrt-libs-861-missing.log',
    '3128-Zulko-moviepy-906-imageio25-no-imageio-ffmpeg.log',
    '3200-pyannote-pyannote-audio-1040-checkpoint-needs-newer-torch.log',
    '3238-oobabooga-textgen-835-gradio-missing-one-click.log',
}
BLIND18_ACTION_MISSES = {
    '3100-python-pillow-Pillow-3238-py27-msc1900-dll-load.log',
    '3101-tensorflow-tensorflow-58820-pip-killed-low-ram.log',
    '3105-m-bain-whisperX-242-torch-torchvision-conflict.log',
    '3114-Zulko-moviepy-1093-imagemagick-policy-not-authorized.log',
    '3123-tensorflow-tensorflow-66517-tensorrt-libs-861-missing.log',
    '3124-librosa-librosa-290-samplerate-numpy-dtype-abi.log',
    '3149-pypa-hatch-1240-broken-msi-install-no-module-hatch.log',
    '3151-astral-sh-uv-19079-uvx-py314-pyarrow-no-wheel.log',
    '3159-python-poetry-poetry-7611-chef-setuptools-legacy-backend-unavailable.log',
    '3160-python-poetry-poetry-1116-lock-requests-boto3-botocore-loop.log',
    '3186-numpy-numpy-10787-sigill-long-add-avx2.log',
    '3189-pyannote-pyannote-audio-1118-refs-main-missing.log',
    '3200-pyannote-pyannote-audio-1040-checkpoint-needs-newer-torch.log',
    '3224-spyder-ide-spyder-14976-spyder-kernels-version.log',
    '3232-pyinstaller-pyinstaller-4818-pywintypes-dll-not-found.log',
}
KNOWN_CATEGORY_MISSES |= BLIND18_CATEGORY_MISSES
KNOWN_ACTION_MISSES |= BLIND18_ACTION_MISSES
# -- end blind18
# -- blind20 (sessions 15-16): 108 logs from four collectors (files 3411-3436, 3451-3477, 3491-3517, 3531-3558),
# scored once at b2d6a52 before any of its classes were fixed (README); what still misses, by name
BLIND20_CATEGORY_MISSES = {
    '3420-Dao-AILab-flash-attention-1421-no-module-torch-build-isolation.log',
    '3461-pyenv-win-pyenv-win-538-install-over-ssh-uac.log',
    '3465-pypa-virtualenv-710-old-pip-python-version-attr.log',
    '3469-pypa-hatch-1113-hatchling-119-file-selection.log',
    '3472-pypa-virtualenv-1416-pip-conf-user-true-in-venv.log',
    '3475-pyenv-pyenv-1286-pypy3-no-pip-executable.log',
    '3500-pandas-dev-pandas-31590-py35-arm-pandas-1-0.log',
    '3507-OSGeo-gdal-5844-gdal-numpy-extra-no-gdal-array.log',
    '3508-giampaolo-psutil-1994-py310-windows-no-wheel.log',
    '3533-streamlit-streamlit-7506-pyarrow-py312-no-wheel.log',
    '3536-chroma-core-chroma-1020-sqlite3-too-old.log',
    '3541-ultralytics-ultralytics-503-no-distribution-old-python.log',
    '3542-ultralytics-ultralytics-4342-conda-unsatisfiable.log',
}
BLIND20_ACTION_MISSES = {
    '3418-coqui-ai-TTS-3313-torchaudio-undefined-symbol-mismatch.log',
    '3419-pyannote-pyannote-audio-1399-model-vs-pipeline-404.log',
    '3420-Dao-AILab-flash-attention-1421-no-module-torch-build-isolation.log',
    '3426-mlc-ai-mlc-llm-330-wrong-tvm-pypi-package.log',
    '3429-facebookresearch-xformers-1146-xformers-reinstalls-torch.log',
    '3436-jax-ml-jax-1297-jaxlib-too-old-for-jax.log',
    '3461-pyenv-win-pyenv-win-538-install-over-ssh-uac.log',
    '3464-pdm-project-pdm-1022-mysqlclient-mysql-config.log',
    '3465-pypa-virtualenv-710-old-pip-python-version-attr.log',
    '3469-pypa-hatch-1113-hatchling-119-file-selection.log',
    '3473-pypa-pip-8204-new-resolver-resolutiontoodeep-100.log',
    '3492-pygame-pygame-3307-py311-beta-metadata-failed.log',
    '3495-pyproj4-pyproj-616-windows-conda-261-sdist-only.log',
    '3501-kivy-kivy-7654-py310-windows-kivy-2-0.log',
    '3505-pandas-dev-pandas-55616-win32-py311-pandas-2-1.log',
    '3506-shapely-shapely-598-windows-pypi-sdist-geos-c-dll.log',
    '3507-OSGeo-gdal-5844-gdal-numpy-extra-no-gdal-array.log',
    '3508-giampaolo-psutil-1994-py310-windows-no-wheel.log',
    '3512-pygame-pygame-4615-py314-pygame-261-sdist.log',
    '3517-kivy-kivy-8042-py311-kivy-deps-gstreamer-missing.log',
    '3533-streamlit-streamlit-7506-pyarrow-py312-no-wheel.log',
    '3536-chroma-core-chroma-1020-sqlite3-too-old.log',
    '3541-ultralytics-ultralytics-503-no-distribution-old-python.log',
    '3542-ultralytics-ultralytics-4342-conda-unsatisfiable.log',
    '3545-Zulko-moviepy-189-imageio-ffmpeg-download-failed.log',
    '3553-Gourieff-comfyui-reactor-node-9-insightface-python-h-embedded.log',
}
KNOWN_CATEGORY_MISSES |= BLIND20_CATEGORY_MISSES
KNOWN_ACTION_MISSES |= BLIND20_ACTION_MISSES
# -- end blind20
# -- blind21 (session 16): 71 logs from three collectors (files 3601-3625, 3641-3662, 3681-3704), scored once at
# c665b66 before any of its classes were fixed (README); what still misses, by name
BLIND21_CATEGORY_MISSES = {
    '3601-google-ai-edge-mediapipe-1325-python2-no-distribution.log',
    '3611-apple-coremltools-222-windows-no-distribution.log',
    '3614-open-mmlab-mmcv-2214-mmcv-full-source-build-hangs.log',
    '3620-deepspeedai-DeepSpeed-6568-build-isolation-hides-torch.log',
    '3651-collabora-WhisperLive-337-onnxruntime-1-16-py312.log',
    '3655-bmcfee-pyrubberband-18-rubberband-cli-not-on-pypi.log',
    '3661-Rudrabha-Wav2Lip-521-s3fd-truncated-download.log',
    '3687-pymssql-pymssql-976-cython-3.2-breaks-build.log',
    '3689-ijl-orjson-192-cargo-missing-old-pip.log',
    '3694-gevent-gevent-1680-greenlet-size-changed-abi.log',
    '3696-unbit-uwsgi-1591-windows-os-uname.log',
    '3700-yaml-pyyaml-709-pipenv-wrong-python.log',
}
BLIND21_ACTION_MISSES = {
    '3601-google-ai-edge-mediapipe-1325-python2-no-distribution.log',
    '3604-facebookresearch-faiss-4043-faiss-gpu-windows-no-wheel.log',
    '3605-onnx-onnx-4066-py310-windows-no-wheel-source-build.log',
    '3610-apple-coremltools-2129-py312-imp-metadata-failed.log',
    '3614-open-mmlab-mmcv-2214-mmcv-full-source-build-hangs.log',
    '3617-dmlc-xgboost-5221-pip20-wheel-not-found-emr.log',
    '3618-facebookresearch-faiss-896-illegal-instruction-no-avx2.log',
    '3620-deepspeedai-DeepSpeed-6568-build-isolation-hides-torch.log',
    '3623-microsoft-LightGBM-696-windows-no-msvc-compiler.log',
    '3624-ray-project-ray-36990-pydantic2-modelfield.log',
    '3642-k2-fsa-sherpa-onnx-2791-libonnxruntime-so-missing.log',
    '3643-k2-fsa-sherpa-onnx-1825-onnxruntime-gpu-dll-conflict.log',
    '3645-spotify-pedalboard-231-no-musllinux-wheel-alpine.log',
    '3647-jaywalnut310-vits-56-monotonic-align-build-ext-dir.log',
    '3652-collabora-WhisperLive-219-tokenizers-conflict-colab.log',
    '3654-k2-fsa-icefall-556-no-module-named-icefall-pythonpath.log',
    '3657-NVIDIA-NeMo-14505-asr-extra-numpy-lt-2-conflict.log',
    '3661-Rudrabha-Wav2Lip-521-s3fd-truncated-download.log',
    '3662-SWivid-F5-TTS-69-uv-llvmlite-0-36-py310.log',
    '3684-confluentinc-confluent-kafka-python-1996-uv-no-manylinux2017-wheel.log',
    '3685-oracle-python-cx_Oracle-148-32bit-python-64bit-oci.log',
    '3687-pymssql-pymssql-976-cython-3.2-breaks-build.log',
    '3690-Legrandin-pycryptodome-293-pycryptodomex-3.8.2-no-windows-wheels.log',
    '3694-gevent-gevent-1680-greenlet-size-changed-abi.log',
    '3696-unbit-uwsgi-1591-windows-os-uname.log',
    '3698-gevent-gevent-1552-win-py38-32bit-msvc-required.log',
    '3702-confluentinc-confluent-kafka-python-753-py38-windows-no-wheel.log',
    '3703-unbit-uwsgi-2232-macos-conda-libpython-a-missing.log',
}
KNOWN_CATEGORY_MISSES |= BLIND21_CATEGORY_MISSES
KNOWN_ACTION_MISSES |= BLIND21_ACTION_MISSES
# -- end blind21
# no rule matches this one: its verdict is the similar-log fallback's, which the model rebuilt with blind18 moved
KNOWN_CATEGORY_MISSES |= {'1667-pdm-636-keyerror-caffe2-torch-wheel.log'}
# PEP 668's externally managed Python is permission-denied now, as most labels have it; these two say "other"
EXTERNALLY_MANAGED_CATEGORY_MISSES = {'1140-pipx-1653-externally-managed-arch.log', '1141-ffmpeg-build-script-212-externally-managed.log'}
KNOWN_CATEGORY_MISSES |= EXTERNALLY_MANAGED_CATEGORY_MISSES
# the similar-log vote after the model took blind16 in (2,029 labelled logs): these earlier logs flipped to a wrong vote
MODEL16_CATEGORY_MISSES = {'1680-pip-12416-pip2231-on-python312-impimporter.log',
                           '2286-mamba-2533-strict-priority-jax-cuda-env.log',
                           '2835-virtualenv-505-stale-registry-installpath.log'}
MODEL16_ACTION_MISSES = {'1644-madmom-547-numpy-math-pxd-not-found.log'}
KNOWN_CATEGORY_MISSES |= MODEL16_CATEGORY_MISSES
KNOWN_ACTION_MISSES |= MODEL16_ACTION_MISSES
# the similar-log vote after the model took blind20 in (2,320 labelled logs): this earlier log's advice flipped
MODEL20_ACTION_MISSES = {'2511-coqui-ai-TTS-449-coqpit-vs-coqpit-config.log'}
KNOWN_ACTION_MISSES |= MODEL20_ACTION_MISSES
# and after it took blind21 in (2,391 labelled logs): this one's vote flipped
MODEL21_CATEGORY_MISSES = {'2406-espeak-ng-1042-make-hangs-compile-af.log'}
KNOWN_CATEGORY_MISSES |= MODEL21_CATEGORY_MISSES

OUTSIDE = {"batch1", "batch2", "final", "blind4", "blind4-aside", "blind5", "blind5-aside", "blind6", "blind7", "blind8", "blind9",
           "blind9-aside", "blind10", "blind11", "blind11-aside", "blind12",
           "blind12-aside", "blind13", "blind13-aside",
           "blind14", "blind14-aside", "blind15", "blind15-aside", "blind16", "blind16-aside", "blind17", "blind17-aside", "blind18", "blind18-aside",
           "blind20", "blind20-aside", "blind21", "blind21-aside"}


def assert_labelled_verdict(entry: Dict, category: str, blocker: object) -> None:
    if entry.get("split") in OUTSIDE:
        defensible = category in [entry["category"]] + entry.get("also", [])
        assert defensible is (entry["file"] not in KNOWN_CATEGORY_MISSES), category
        return
    expected = ALTERNATE.get(entry["file"], (entry["category"], entry["blocker"]))
    defensible = expected[0] == entry["category"] or expected[0] in entry.get("also", [])
    assert defensible is (entry["file"] not in KNOWN_CATEGORY_MISSES)
    assert (category, blocker) == expected


@pytest.mark.parametrize("entry", TUNED, ids=[e["file"] for e in TUNED])
def test_diagnose_file_gives_the_labelled_diagnosis(entry):
    # blind: the similar-log fallback leaves the log itself out, as for a log nobody has labelled
    diagnosis = diagnose_file(LOGS / entry["file"], blind=True)
    assert_labelled_verdict(entry, diagnosis.category, diagnosis.blocker)
    said = diagnosis.next_action.lower()
    right = any(word.lower() in said for word in entry["action"])
    assert right is (entry["file"] not in KNOWN_ACTION_MISSES), diagnosis.next_action
    assert diagnosis.evidence, "a verdict needs the lines that prove it"
    assert diagnosis.next_action and diagnosis.manual_fallback
    for line in diagnosis.evidence:
        assert line == line.strip() and "\x1b" not in line and "\r" not in line


@pytest.mark.parametrize("entry", TUNED, ids=[e["file"] for e in TUNED])
def test_cli_json_gives_the_labelled_diagnosis(entry, capsys):
    assert main([str(LOGS / entry["file"]), "--json", "--blind"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert JSON_KEYS <= set(data)
    assert_labelled_verdict(entry, data["category"], data["blocker"])
    assert isinstance(data["manual_fallback"], list) and isinstance(data["evidence"], list)


# -- terminal quirks ------------------------------------------------------------------------------

REAL_SAMPLES = ["18-spleeter-933-numpy-1185-metadata-windows.log", "43-ezscore-1-uv-tensorflow-2101-abi-windows.log",
                "28-mudg-4-xformers-long-path-hint-windows.log", "83-matrix-pip-numpy-conflict.log",
                "75-matrix-spleeter-separate-model-download.log"]


def _colour(text: str) -> str:
    """What a colouring terminal does to a log: codes around the words that matter."""
    text = re.sub(r"\b(ERROR|error|WARNING|hint|cause)\b", "\x1b[1;31m\\1\x1b[0m", text)
    return re.sub(r"(\d+\.\d+\.\d+)", "\x1b[36m\\1\x1b[39m", text)


@pytest.mark.parametrize("name", REAL_SAMPLES)
def test_crlf_and_ansi_do_not_change_the_verdict(name):
    plain = diagnose_text(log_text(name))
    noisy = diagnose_text(_colour(log_text(name)).replace("\n", "\r\n"))
    assert noisy == plain


def test_synthetic_crlf_ansi_variant_matches_its_original():
    assert diagnose_file(LOGS / "90-synthetic-crlf-ansi-pip-py312.log") == \
        diagnose_file(LOGS / "62-matrix-pip-py312-requires-python.log")


def test_utf16_log_from_powershell_matches_its_original():
    assert diagnose_file(LOGS / "91-synthetic-utf16-powershell-gcs-windows.log") == \
        diagnose_file(LOGS / "06-tensorflow-60202-gcs-filesystem-0320-windows.log")


def test_a_log_cut_inside_an_escape_sequence():
    text = log_text("61-matrix-uv-py312-abi-tag-color.log")
    cut = text[text.index("\x1b[1m\x1b[31merror") + 5:]  # starts "[31merror..." with its ESC gone
    assert cut.startswith("[31m")
    diagnosis = diagnose_text(cut)
    assert (diagnosis.category, diagnosis.blocker) == ("python-version-unsupported", "tensorflow==2.12.1")
    assert not any("[31m" in line for line in diagnosis.evidence)


def test_console_wrapping_is_undone():
    wrapped = log_text("40-packaging-problems-187-getaddrinfo-wrapped-windows.log")
    assert "HTTPSConnectionPool(host='pypi.org'" in normalise(wrapped)
    assert wrapped.split("\n")[0].endswith("HTTPSConnect")  # the raw log really was cut mid-word


def test_progress_bar_redraws_are_separate_lines():
    text = "Downloading numpy-1.18.5.zip\r 10%\r 50%\r100%\nerror: metadata-generation-failed\n"
    assert normalise(text).split("\n")[:4] == ["Downloading numpy-1.18.5.zip", " 10%", " 50%", "100%"]
    assert diagnose_text(text).blocker == "numpy==1.18.5"


def test_progress_bars_of_one_width_are_not_console_wrapping():
    # rich's bars and the same-sized file names below them are all one length: whole lines, each of its own
    bar = "     " + "\u2501" * 40 + " 589.3/589.3 MB 2.3 MB/s eta 0:00:00"
    lines = []
    for day in range(24, 18, -1):
        lines += [bar, f"  Downloading tf_nightly-2.13.0.dev202302{day}-cp310-cp310-manylinux_2_17_x86_64.whl (589.6 MB)"]
    clean = normalise("\n".join(lines))
    assert clean.split("\n") == lines
    assert diagnose_text("\n".join(lines)).category == "resolver-backtracking"


def test_a_long_line_of_hashes_is_plain_text():
    # a banner or separator of '#' is no bar without an amount after it (and must not make the search backtrack)
    text = "#" * 5000 + "\n" + "x" * 80 + "\n"
    assert normalise(text) == text


# -- logs cut at either end -----------------------------------------------------------------------

CUTS = [
    # (file, keep lines from, keep lines up to (exclusive; None = end), category, blocker)
    ("76-matrix-pip-py311-numpy-1185-metadata.log", 0, 10, "metadata-generation-failed", "numpy==1.18.5"),
    ("76-matrix-pip-py311-numpy-1185-metadata.log", 2, None, "python-version-unsupported", "numpy==1.18.5"),
    ("62-matrix-pip-py312-requires-python.log", 1, 3, "python-version-unsupported", "spleeter==2.4.2"),
    ("75-matrix-spleeter-separate-model-download.log", 0, 8, "model-download-failed", None),
    ("83-matrix-pip-numpy-conflict.log", 30, -8, "dependency-conflict", "numpy"),
    ("78-matrix-pip-py310-llvmlite-source-build.log", 5, 30, "source-build-failed", "llvmlite"),  # version cut off
    ("80-matrix-pip-no-build-isolation-poetry.log", 60, None, "build-backend-missing", None),
    ("64-matrix-uv-windows-py311-gcs-filesystem.log", 2, 3, "no-wheel-for-platform",
     "tensorflow-io-gcs-filesystem==0.32.0"),
]


@pytest.mark.parametrize("name,start,stop,category,blocker", CUTS)
def test_truncated_logs_keep_their_verdict(name, start, stop, category, blocker):
    lines = log_text(name).split("\n")
    excerpt = "\n".join(lines[start:stop])
    assert excerpt and excerpt != "\n".join(lines)
    diagnosis = diagnose_text(excerpt)
    assert (diagnosis.category, diagnosis.blocker) == (category, blocker)


# -- several errors in one log: the root cause, not the last line -----------------------------------

LAST_LINE_MISLEADS = [
    ("62-matrix-pip-py312-requires-python.log", "python-version-unsupported"),
    ("67-matrix-pip-py38-only-binary-jax.log", "no-wheel-for-platform"),
    ("35-spleeter-929-model-download-dns.log", "model-download-failed"),
    ("39-pip-5776-pip9-ssl-module-missing.log", "other"),  # this Python has no ssl module
    ("68-matrix-pip-index-unreachable.log", "network-or-index"),
    ("72-matrix-old-pip-19-tensorflow.log", "pip-outdated"),
]


@pytest.mark.parametrize("name,category", LAST_LINE_MISLEADS)
def test_root_cause_beats_the_last_error_line(name, category, monkeypatch):
    # the rules' verdict on the last line alone: the labelled logs the fallback compares it with hold that line too
    monkeypatch.setattr(engine_module, "vote", lambda text, blind=False: None)
    lines = [line for line in log_text(name).split("\n") if line.strip() and not line.startswith("[harness]")]
    last_error = next(line for line in reversed(lines)
                      if re.search(r"error|not found|no matching|could not|cannot|upgrad", line, re.IGNORECASE))
    assert diagnose_text(log_text(name)).category == category
    assert diagnose_text(last_error).category != category


def test_python_version_beats_the_conflict_it_causes_in_either_order():
    python = log_text("60-matrix-uv-py312-abi-tag.log")
    conflict = log_text("82-matrix-uv-numpy-conflict.log")
    for combined in (python + conflict, conflict + python):
        assert diagnose_text(combined).category == "python-version-unsupported"


def test_msvc_beats_the_failed_build_it_causes():
    text = log_text("12-bcml-238-xxhash-msvc-windows.log") + (
        "    ----------------------------------------\n"
        "ERROR: Command errored out with exit status 1: 'C:\\Python39\\python.exe' -u -c 'import io' install\n"
        "  Running setup.py install for xxhash ... error\n"
        "ERROR: Failed building wheel for xxhash\n")
    diagnosis = diagnose_text(text)
    assert (diagnosis.category, diagnosis.blocker) == ("msvc-build-tools-missing", "xxhash")


def test_transient_retries_do_not_hide_a_build_failure():
    retry = ("WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after "
             "connection broken by 'ReadTimeoutError(\"HTTPSConnectionPool(host='pypi.org', port=443): "
             "Read timed out. (read timeout=15)\")': /simple/llvmlite/\n")
    text = retry + log_text("78-matrix-pip-py310-llvmlite-source-build.log")
    assert diagnose_text(text).category == "source-build-failed"
    # but when the index then listed nothing, the retries were the failure
    assert diagnose_text(retry + "ERROR: No matching distribution found for llvmlite\n").category == \
        "network-or-index"


def test_the_only_binary_flag_decides_between_python_and_wheels():
    text = log_text("67-matrix-pip-py38-only-binary-jax.log")
    without_command = "\n".join(line for line in text.split("\n") if not line.startswith("$ "))
    assert diagnose_text(text).category == "no-wheel-for-platform"
    assert diagnose_text(without_command).category == "python-version-unsupported"


# -- Windows paths ---------------------------------------------------------------------------------


def test_windows_paths_keep_the_verdict_and_give_windows_commands():
    linux = log_text("76-matrix-pip-py311-numpy-1185-metadata.log")
    windows = (linux.replace("/tmp/diag/p311/bin/python", "C:\\Users\\me\\sp\\Scripts\\python.exe")
               .replace("/tmp/diag/p311/lib/python3.11/site-packages", "C:\\Users\\me\\sp\\Lib\\site-packages")
               .replace("/tmp/pip-", "C:\\Users\\me\\AppData\\Local\\Temp\\pip-").replace("/", "\\"))
    assert "C:\\Users\\me\\AppData\\Local\\Temp\\pip-install-" in windows
    diagnosis = diagnose_text(windows)
    assert (diagnosis.category, diagnosis.blocker) == ("python-version-unsupported", "numpy==1.18.5")
    assert diagnosis.manual_fallback[0] == "py -3.8 -m venv .venv-spleeter"  # numpy 1.18's newest wheels: 3.8
    assert diagnosis.manual_fallback[1].startswith(".venv-spleeter\\Scripts\\python -m pip install")


def test_long_path_needs_a_long_windows_path():
    short = ("ERROR: Could not install packages due to an OSError: [Errno 2] No such file or directory: "
             "'C:\\\\Users\\\\me\\\\venv\\\\Lib\\\\site-packages\\\\numpy\\\\x.h'\n")
    assert diagnose_text(short).category != "long-path"  # (the similar-log fallback may still name a cause)
    assert diagnose_file(LOGS / "27-tensorflow-51841-long-path-no-hint-windows.log").category == "long-path"


# -- what the work packet asks for ------------------------------------------------------------------


def test_python_312_with_spleeter_242_says_use_311():
    for name in ("60-matrix-uv-py312-abi-tag.log", "62-matrix-pip-py312-requires-python.log"):
        diagnosis = diagnose_file(LOGS / name, DiagnoseContext(python="3.12", pack="spleeter==2.4.2", installer="uv"))
        assert diagnosis.category == "python-version-unsupported"
        assert "uv venv -p 3.11" in diagnosis.next_action
        assert diagnosis.manual_fallback == ("uv venv -p 3.11 .venv-spleeter",
                                             "uv pip install -p .venv-spleeter spleeter==2.4.2")


def test_gcs_filesystem_032_points_to_no_deps_pinned_with_031():
    context = DiagnoseContext(python="3.11", pack="spleeter==2.4.2", installer="pip", platform="windows")
    diagnosis = diagnose_file(LOGS / "64-matrix-uv-windows-py311-gcs-filesystem.log", context)
    assert diagnosis.blocker == "tensorflow-io-gcs-filesystem==0.32.0"
    assert "no-deps-pinned" in diagnosis.next_action and "0.31.0" in diagnosis.next_action
    assert diagnosis.manual_fallback[1] == ".venv-spleeter\\Scripts\\python -m pip install --no-deps spleeter==2.4.2"
    assert "tensorflow-io-gcs-filesystem==0.31.0" in diagnosis.manual_fallback[2]


def test_uv_context_gives_uv_commands_for_the_gcs_blocker():
    context = DiagnoseContext(python="3.8", installer="uv", platform="windows")
    diagnosis = diagnose_file(LOGS / "65-matrix-uv-windows-py38-gcs-filesystem.log", context)
    assert diagnosis.manual_fallback[-1] == "uv pip install -p .venv-spleeter --override overrides.txt spleeter==2.4.2"


def test_target_python_follows_what_the_log_says():
    ezscore = diagnose_file(LOGS / "43-ezscore-1-uv-tensorflow-2101-abi-windows.log", DiagnoseContext(pack="ezscore"))
    assert "Use Python 3.10" in ezscore.next_action  # cp310 is the newest ABI tag tensorflow 2.10.1 has
    llvmlite = diagnose_file(LOGS / "77-matrix-pip-py310-llvmlite-036-requires-python.log")
    assert "Use Python 3.9" in llvmlite.next_action  # llvmlite 0.36.0: Requires-Python <3.10


def test_spleeter_210_fallback_is_explained():
    diagnosis = diagnose_file(LOGS / "18-spleeter-933-numpy-1185-metadata-windows.log")
    assert "fell back to spleeter 2.1.0" in diagnosis.next_action


def test_the_strategy_that_failed_is_not_suggested_again():
    log = LOGS / "78-matrix-pip-py310-llvmlite-source-build.log"
    assert "wheel-first strategy" in diagnose_file(log).next_action
    wheel_first = diagnose_file(log, DiagnoseContext(python="3.10", strategy="wheel-first"))
    assert "wheel-first" not in wheel_first.next_action and "use Python 3.11" in wheel_first.next_action


def test_an_old_numpy_on_a_newer_python_names_the_python_its_wheels_stop_at():
    diagnosis = diagnose_file(LOGS / "76-matrix-pip-py311-numpy-1185-metadata.log")
    assert diagnosis.blocker == "numpy==1.18.5"
    assert diagnosis.category == "python-version-unsupported"  # the metadata failure is only the symptom
    assert diagnosis.next_action.startswith("Use Python 3.8: numpy==1.18.5 does not support Python 3.11")


def test_old_pip_wording_has_its_own_next_action():
    diagnosis = diagnose_file(LOGS / "73-matrix-old-pip-19-tensorflow-no-version-check.log")
    assert diagnosis.next_action.startswith("This pip predates 19.1")


def test_the_harness_timeout_footer_gives_the_seconds():
    diagnosis = diagnose_file(LOGS / "84-matrix-pip-install-timeout.log")
    assert diagnosis.next_action.startswith("The step was stopped after 4 s:")


# -- diagnoses made without a log ------------------------------------------------------------------


def test_timeout_diagnosis():
    diagnosis = timeout_diagnosis("install", 1800.4, DiagnoseContext(installer="uv", pack="spleeter==2.4.2"))
    assert diagnosis.category == "timeout" and diagnosis.blocker is None
    assert diagnosis.summary == "install timed out after 1800 s"
    assert diagnosis.evidence == ("install: no result after 1800 s",)
    assert diagnosis.manual_fallback == ("uv pip install -p .venv-spleeter -v spleeter==2.4.2",)


def test_interpreter_unavailable_lists_where_we_looked():
    tried = ["uv-find: No interpreter found for Python 3.8 in managed installations or search path", "  ", "path: none"]
    diagnosis = interpreter_unavailable("3.8", tried)
    assert (diagnosis.category, diagnosis.blocker) == ("interpreter-unavailable", "Python 3.8")
    assert diagnosis.evidence == (tried[0], "path: none")
    assert diagnosis.manual_fallback == ("uv python install 3.8", "uv venv -p 3.8 .venv-spleeter")


def test_model_provisioning_failure_from_the_runner():
    diagnosis = diagnose_text("model provisioning failed: HTTP 404 for 2stems.tar.gz")
    assert diagnosis.category == "model-download-failed"


def test_unknown_failure_is_other_with_the_last_error_lines():
    diagnosis = diagnose_text("step one ok\nKeyError: 'sample_rate'\nsomething else\n")
    assert diagnosis.category == "other"
    assert diagnosis.evidence == ("KeyError: 'sample_rate'",)


# -- rendering: exact text, like pip's tests/unit/test_exceptions.py ---------------------------------

SAMPLE = Diagnosis(
    category="no-wheel-for-platform",
    blocker="tensorflow-io-gcs-filesystem==0.32.0",
    next_action="Use the no-deps-pinned strategy with tensorflow-io-gcs-filesystem==0.31.0.",
    manual_fallback=("python -m pip install --no-deps spleeter==2.4.2",
                     "python -m pip install tensorflow-io-gcs-filesystem==0.31.0"),
    evidence=("ERROR: No matching distribution found for tensorflow-io-gcs-filesystem==0.32.0",
              "hint: Wheels are available for `tensorflow-io-gcs-filesystem` (v0.32.0) on: `manylinux2014_aarch64`"),
    summary="tensorflow-io-gcs-filesystem==0.32.0 has no wheel for this platform",
)


def test_render_unicode_golden():
    assert render(SAMPLE) == """\
error: no-wheel-for-platform

× tensorflow-io-gcs-filesystem==0.32.0 has no wheel for this platform
╰─> ERROR: No matching distribution found for tensorflow-io-gcs-filesystem==0.32.0
    hint: Wheels are available for `tensorflow-io-gcs-filesystem` (v0.32.0) on: `manylinux2014_aarch64`

note: Blocker: tensorflow-io-gcs-filesystem==0.32.0
hint: Use the no-deps-pinned strategy with tensorflow-io-gcs-filesystem==0.31.0.
      By hand:
        python -m pip install --no-deps spleeter==2.4.2
        python -m pip install tensorflow-io-gcs-filesystem==0.31.0"""


def test_render_ascii_golden():
    assert render(SAMPLE, ascii_only=True) == """\
error: no-wheel-for-platform

tensorflow-io-gcs-filesystem==0.32.0 has no wheel for this platform

ERROR: No matching distribution found for tensorflow-io-gcs-filesystem==0.32.0
hint: Wheels are available for `tensorflow-io-gcs-filesystem` (v0.32.0) on: `manylinux2014_aarch64`

note: Blocker: tensorflow-io-gcs-filesystem==0.32.0
hint: Use the no-deps-pinned strategy with tensorflow-io-gcs-filesystem==0.31.0.
      By hand:
        python -m pip install --no-deps spleeter==2.4.2
        python -m pip install tensorflow-io-gcs-filesystem==0.31.0"""


def test_render_without_evidence_blocker_or_fallback_golden():
    bare = Diagnosis(category="other", blocker=None, next_action="Read the log.")
    assert render(bare) == "error: other\n\n× other\n\nhint: Read the log."


def test_render_ascii_replaces_what_old_consoles_cannot_print():
    diagnosis = Diagnosis(category="dll-load-failed", blocker="tensorflow", next_action="Install the VC++ runtime.",
                          evidence=("ImportError: DLL load failed: 找不到指定的模块。",), summary="DLL — missing")
    assert render(diagnosis, ascii_only=True) == """\
error: dll-load-failed

DLL ? missing

ImportError: DLL load failed: ?????????

note: Blocker: tensorflow
hint: Install the VC++ runtime."""


# -- the command line ---------------------------------------------------------------------------------


def test_cli_text_output(capsys):
    assert main([str(LOGS / "74-matrix-spleeter-separate-no-ffmpeg.log"), "--platform", "windows"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("error: ffmpeg-missing\n\n× ffmpeg is not installed or not on PATH\n")
    assert "        winget install --id Gyan.FFmpeg\n" in out


def test_cli_ascii_flag(capsys):
    assert main([str(LOGS / "60-matrix-uv-py312-abi-tag.log"), "--ascii"]) == 0
    out = capsys.readouterr().out
    assert out.isascii() and out.startswith("error: python-version-unsupported\n\n")


def test_cli_unreadable_file(tmp_path, capsys):
    assert main([str(tmp_path / "missing.log"), "--json"]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_cli_bad_arguments_exit_through_argparse():
    with pytest.raises(SystemExit) as raised:
        main(["--installer", "conda", "x.log"])
    assert raised.value.code == 2


# -- the building blocks -----------------------------------------------------------------------------


def test_rules_are_well_formed():
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert {rule.category for rule in RULES} == set(CATEGORIES)
    for rule in RULES:
        assert rule.patterns and 0 < rule.priority <= 100


@pytest.mark.parametrize("version,spec,expected", [
    ("2.4.2", "<3.12,>=3.8", False),
    ("0.4.16", ">=0.3.15", True),
    ("2.5.0rc1", ">=2.5.0", False),
    ("1.19.5", "~=1.19.2", True),
    ("1.20.0", "~=1.19.2", False),
    ("0.37.1", "==0.37.1", True),
    ("1.21.2", "==0.37.1", False),
    ("2.12.1", "==2.12.*", True),
])
def test_satisfies(version, spec, expected):
    assert reqs.satisfies(version, spec) is expected


def test_requirement_helpers():
    assert reqs.split_requirement("tensorflow_io_gcs_filesystem==0.32.0") == \
        ("tensorflow-io-gcs-filesystem", "==0.32.0")
    assert reqs.clean_requirement("`jax>=0.3.15`,") == "jax>=0.3.15"
    assert reqs.max_below("<3.12,>=3.8") == "3.11"
    assert reqs.max_below(">=3.6, <3.8") == "3.7"
    assert [reqs.previous_minor(v) for v in ("3.12", "3.11.4", "3.10", "3.15", "3.0", "python")] == \
        ["3.11", "3.10", "3.9", "3.14", None, None]
    assert reqs.with_version("llvmlite", "Collecting llvmlite==0.39.1\n  Downloading llvmlite-0.39.1.tar.gz") == \
        "llvmlite==0.39.1"
    assert reqs.with_version("xformers", "Using cached https://x/xformers-0.0.28.post1.tar.gz (7.8 MB)") == \
        "xformers==0.0.28.post1"


def test_huge_logs_keep_their_head_and_tail():
    text = "HEAD\n" + "x" * (MAX_CHARS * 2) + "\nTAIL"
    clipped = clip(text)
    assert len(clipped) < MAX_CHARS + 100
    assert clipped.startswith("HEAD\n") and clipped.endswith("\nTAIL")
    assert "log clipped by the diagnoser" in clipped


def test_module_entry_point_runs(tmp_path):
    log = tmp_path / "uv.log"
    log.write_bytes((LOGS / "60-matrix-uv-py312-abi-tag.log").read_bytes())
    done = subprocess.run([sys.executable, "-m", "harness.diagnose", str(log), "--json"], capture_output=True,
                          text=True, timeout=60, cwd=str(Path(__file__).resolve().parents[2]))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["category"] == "python-version-unsupported"


def test_decode_handles_utf16_and_bom():
    assert decode("é\r\n".encode("utf-16")) == "é\r\n"
    assert decode(b"\xef\xbb\xbfok\n") == "ok\n"
    assert decode(b"bad \xff byte") == "bad \ufffd byte"
