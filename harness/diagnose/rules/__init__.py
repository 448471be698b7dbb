"""The diagnosis rules, as data: what a failure looks like in a pip, uv, conda or spleeter log.

One module per family (``interpreter``, ``network``, ``runtime``, ``python``, ``wheels``, ``build``,
``resolve``, ``other``); :data:`ORDER` below is the one place that lists every rule, in the order
the engine tries them (it breaks ties between equal priorities at the same spot of a log).

Each :class:`Rule` names a category, the patterns that show it, a priority and,
optionally, a check on the match and a way to read the blocker from it.
Priorities encode cause and effect, so that the root cause wins over the
errors it leads to, whichever comes last in the log:

====  ===========================================================
 100  the interpreter is missing (nothing else could even start), or
      pyenv could not build it (no OpenSSL, zlib ...)
  95  the harness killed the step (timeout)
  92  this Python has no ssl module (no HTTPS at all)
  91  a TLS certificate could not be verified (90: the TLS handshake
      broke off, e.g. a proxy)
  90  spleeter could not fetch its model (89: the wrong ``ffmpeg``
      package, 88: ffmpeg missing, 87/86: a NumPy ABI break,
      86: a CPU without AVX, 85: a DLL or a CUDA runtime)
  80  Windows long paths
  76  32-bit Python; a Python-version guard inside a build
  75  the pinned version excludes this Python (Requires-Python, ABI tag)
  74  conda solving against its environment's pins, or packages the
      channels do not have
  73  a manylinux tag newer than the log's pip
  72  only wheels were allowed and there is none (uv says so); a download or
      connection timed out (pip, uv, conda: category timeout)
  70  the index could not be reached
  68  only wheels were allowed (pip's command line says so) and none matched
  67  pip3 answers for Python 2; no ensurepip for venv
  66  pip, a console script or a module belongs to another interpreter
  65  pip is too old to see today's wheels
  62  the build backend itself is missing
  61  conda may not write its environment, package cache or envs dir; a
      setup.py imports a module its isolated build does not declare
  60  no MSVC; a range requirement with Python-excluded versions
  56  spleeter took the model name for an input file, or spleeter 1.x/2.x
      command-line syntax on the other version
  55  metadata generation failed; spleeter's "ffprobe error" warning
  53  a FileNotFoundError for an ffmpeg command line (ffmpeg not on PATH)
  50  a source build failed; pip's pre-19.1 / pre-20.3 wording (old pip)
  49  a TensorFlow add-on built for another TensorFlow (47: any
      extension's undefined symbol)
  46  numba and llvmlite (or numba and the NumPy it supports) do not match
  45  pip's resolver found a conflict; connection retries
  44  pip's resolver backtracks without end
  43  an installed package's syntax is a newer Python's
  42  a pinned TensorFlow/torch older than this Python (41: every
      release ignored for Requires-Python)
  40  no matching distribution at all
  35  uv found no solution (its generic header)
  30  a build subprocess failed (pip's generic line); nothing installable
  25  the process crashed (segfault, killed: memory, TensorFlow's OOM)
  24  pyttsx3's SAPI5 driver asked for on macOS/Linux
  22  an old pip (before 10) crashed on its own bug
  20  pip's warning that installed packages disagree
 <20  best guesses when nothing more specific matched (14: a command-line
      usage error of another release)
====  ===========================================================
"""
from __future__ import annotations

from typing import Dict, Tuple

from harness.diagnose.rules.base import Rule
from harness.diagnose.rules.build import BUILD_RULES
from harness.diagnose.rules.extract import build_subject, contested
from harness.diagnose.rules.interpreter import INTERPRETER_RULES
from harness.diagnose.rules.network import NETWORK_RULES
from harness.diagnose.rules.other import OTHER_RULES
from harness.diagnose.rules.python import PYTHON_RULES
from harness.diagnose.rules.resolve import RESOLVE_RULES
from harness.diagnose.rules.runtime import RUNTIME_RULES
from harness.diagnose.rules.wheels import WHEELS_RULES

__all__ = ["ORDER", "RULES", "Rule", "build_subject", "contested"]

ORDER: Tuple[str, ...] = (
    "uv-python-path-without-exe",  # before uv-no-interpreter: both match uv's same line
    "pyenv-version-not-selected",
    "uv-no-interpreter",
    "pipenv-python-missing",
    "py-runtime-missing",
    "uv-no-venv",
    "uv-windows-discovery",
    "store-python-redirects-appdata",
    "uv-python-install-rename",
    "poetry-python-not-allowed",
    "uv-cannot-use-python",
    "pyenv-version-missing",
    "python-installer-wrong-architecture",
    "venv-base-python-gone",
    "python-build-failed",
    "python-stdlib-not-found",
    "python-not-on-path",
    "harness-timeout",
    "conda-ssl-dlls",
    "ssl-module-missing",
    "tls-certificate",
    "schannel-revocation",
    "macos-python-org-no-certificates",
    "tls-handshake",
    "spleeter-model-download",
    "spleeter-httpx-error",
    "model-missing",
    "model-file-missing",
    "package-data-not-downloaded",
    "model-url-failed",
    "hf-download-cut",
    "wrong-ffmpeg-module",
    "same-name-package",
    "torchaudio-ffmpeg-libraries",
    "torchcodec-ffmpeg",
    "numpy2-abi",
    "cython-reduce-missing",
    "tensorflow-bfloat16-numpy",
    "numpy-not-available",
    "torch-library-mismatch",
    "xformers-other-torch",
    "weasyprint-pango-missing",
    "windows-paging-file",
    "package-cpu-check",
    "polars-illegal-instruction",
    "numpy-cpu-baseline",
    "cpu-without-avx",
    "illegal-instruction",
    "numpy-illegal-instruction",
    "command-string-as-program",
    "program-not-found",
    "bash-script-run-by-sh",
    "path-with-spaces",
    "illegal-instruction-import",
    "illegal-instruction-any",
    "debug-vc-runtime",
    "hdf5-version-mismatch",
    "conda-stdlib-dll-not-activated",
    "soundfile-bundled-library",
    "ctranslate2-cuda-runtime",
    "mkl-dll-not-loaded",
    "spleeter-no-checkpoint",
    "spleeter-load-winerror2",
    "whisper-transcribe-no-ffmpeg",
    "imageio-ffmpeg-download",
    "ffmpeg-not-found",
    "media-tool-not-found",
    "ffmpeg-command-not-found",
    "spleeter-winerror2",
    "apt-unmet-dependencies",
    "pip-at-python-prompt",
    "command-word-as-requirement",
    "spleeter-model-as-input",
    "spleeter-usage",
    "spleeter-config-name",
    "spleeter1-usage",
    "spleeter-ffprobe-error",
    "llvmlite-library",
    "conda-env-not-activated",
    "glibc-runtime-too-old",
    "dll-load-failed",
    "pip-long-path-hint",
    "pip-long-path-oserror",
    "winerror-3-long-path",
    "tensorflow-writeable-file-long-path",
    "eigen-header-missing",
    "conda-invalid-archive",
    "conda-manifest-path-missing",
    "git-filename-too-long",
    "errno2-long-windows-path",
    "build-copy-long-windows-path",
    "winerror-206",
    "tensorflow-on-32-bit",
    "app-tested-python",
    "tp-print-removed",
    "msys2-python-builds",
    "python-32-bit",
    "meson-32-bit-python",
    "build-refuses-32-bit",
    "windows-build-on-32-bit",
    "wheel-for-another-python",
    "amd64-wheel-rejected",
    "tensorflow-none-on-windows",
    "tensorflow-release-older-than-python",
    "torch-release-older-than-python",
    "pin-outside-listed-versions",
    "setup-py-syntax",
    "syntax-newer-than-python",
    "pure-python-none",
    "none-on-new-python",
    "asked-above-every-listed",
    "extension-for-other-python",
    "tensorflow-none-on-posix",
    "old-spleeter-for-new-python",
    "spleeter-210-installed",
    "python-guard-in-build",
    "distutils-import-at-runtime",
    "c-api-changed",
    "pyinstaller-older-than-python",
    "pyo3-older-than-python",
    "distutils-removed",
    "impimporter-removed",
    "release-older-than-python",
    "lagging-release",
    "get-pip-minimum-python",
    "get-pip-too-new",
    "link-requires-different-python",
    "pip-requires-different-python",
    "pip-pinned-requires-python",
    "uv-abi-tag",
    "uv-current-python",
    "app-python-range",
    "conda-chain-to-another-python",
    "conda-python-incompatible",
    "conda-python-not-available",
    "conda-version-as-package",
    "conda-solving-forever",
    "conda-base-environment",
    "conda-pin-breaks-installed",
    "conda-many-specs",
    "poetry-project-range",
    "stdlib-module-removed",
    "stdlib-name-removed",
    "package-python-guard",
    "dataclass-mutable-default",
    "uv-no-x86-launcher",
    "conda-win-32",
    "conda-env-without-python",
    "conda-missing-for-subdir",
    "user-site-shadows-conda",
    "conda-not-built-for-subdir",
    "conda-cuda-virtual-package",
    "os-virtual-package-floor",
    "conda-package-not-found",
    "conda-solve-failed",
    "uv-only-binary",
    "uv-no-distribution-for-platform",
    "py3-wheel-rejected",
    "uv-platform-tag",
    "uv-wheel-file-other-platform",
    "poetry-skipped-wheels",
    "poetry-no-candidates",
    "uv-windows-hint",
    "build-refuses-windows",
    "bitsandbytes-no-cuda-binary",
    "bitsandbytes-linux-only",
    "bitsandbytes-cuda-setup",
    "pip-too-new-for-python",
    "old-pip-skips-new-manylinux",
    "pip-skips-fitting-wheel",
    "old-pip-no-setup-py",
    "pip-20-tag-bug",
    "pip-20-soundfile-dll",
    "pip-editable-needs-setup-py",
    "ancient-pip-manylinux1",
    "pip-too-old-for-tag",
    "macos-wheel-tag-rejected",
    "pip-unsupported-wheel",
    "sdist-of-wheel-package",
    "pip-only-binary",
    "uv-http-timeout",
    "network-timeout",
    "pip-download-cut",
    "curl-low-speed-abort",
    "proxy-refused",
    "index-unreachable",
    "python-org-source-only",
    "python-installer-msi-failed",
    "pyenv-win-download",
    "connection-retries",
    "venv-without-pip",
    "ensurepip-missing",
    "pyttsx3-comtypes-speechlib",
    "sapi5-not-registered",
    "nothing-installable-here",
    "numpy-windows-fmod-check",
    "wheel-multiple-dist-info",
    "script-path-not-utf8",
    "program-not-win32",
    "python2-package-installed",
    "espeak-not-installed",
    "ctranslate2-float16",
    "torchaudio-no-backend",
    "audioop-sample-width",
    "program-symbol-lookup",
    "pycurl-ssl-backend",
    "library-asks-for-release",
    "system-library-too-old",
    "extension-undefined-symbol",
    "conda-activate-in-script",
    "conda-not-available",
    "conda-env-not-found",
    "git-missing",
    "invalid-requirement",
    "locale-codec-decode",
    "cannot-uninstall-unrecorded",
    "console-codec-encode",
    "path-not-found",
    "pip-of-another-python",
    "pip3-of-python2",
    "python2-parses-setup",
    "pip-build-under-python2",
    "python-is-python2",
    "module-installed-for-another-python",
    "console-script-other-python",
    "python-before-pyenv-shims",
    "python-not-pyenv-version",
    "pyenv-command-in-other-version",
    "uv-no-download-for-request",
    "uv-toolchain-era",
    "script-not-on-path",
    "pip10-launcher-quotes",
    "installed-but-not-importable",
    "old-pip-notice",
    "old-pip-crash",
    "python2-pip-wording",
    "old-pip-wording",
    "old-resolver-wording",
    "externally-managed",
    "user-site-in-venv",
    "conda-not-writable",
    "pip-modify-itself",
    "pip-launcher-version-conflict",
    "all-users-python-not-writable",
    "pyenv-win-vbscript-permission",
    "venv-python-blocked",
    "uv-hardlink-cloud-folder",
    "symlink-privilege",
    "ffmpeg-output-refused",
    "file-locked",
    "install-permission-denied",
    "uv-cache-write-refused",
    "setuptools-rejects-setup-config",
    "setuptools-removed-api",
    "editable-rebuild-env-gone",
    "backend-unavailable",
    "cython-too-old",
    "bdist-wheel-missing",
    "setuptools-missing-in-build",
    "offline-build-requirement-missing",
    "checkout-needs-cython",
    "meson-not-found",
    "build-imports-missing-module",
    "build-needs-numpy-headers",
    "old-pip-build-import",
    "metadata-imports-missing-module",
    "tensorflow-gpu-placeholder",
    "pytorch-name-placeholder",
    "torch-placeholder",
    "deprecated-placeholder",
    "setup-imports-undeclared",
    "pkg-resources-missing",
    "cmake4-policy-minimum",
    "library-config-missing",
    "cuda-toolkit-mismatch",
    "cuda-toolkit-missing",
    "h5py-build-no-hdf5",
    "rust-compile-error",
    "rust-missing",
    "fortran-missing",
    "cmake-missing",
    "msvc-missing",
    "msvc-sdk-header-missing",
    "no-lapack-blas",
    "msvc-library-header-missing",
    "every-release-needs-another-python",
    "pip-range-requires-python",
    "uv-python-version-file",
    "uv-requested-python",
    "uv-split-python",
    "metadata-failed",
    "build-failed",
    "subprocess-error",
    "protobuf-field-missing",
    "protobuf-message-dll",
    "requirement-name-inconsistent",
    "easy-install-version-clash",
    "tensorflow-addons-mismatch",
    "keras-tensorflow-mismatch",
    "protobuf-too-new",
    "scipy-numpy-range",
    "estimator-newer-than-tensorflow",
    "tensorflow-broken-install",
    "pkg-resources-version-conflict",
    "jax-jaxlib-mismatch",
    "numpy-alias-removed",
    "ffmpeg-python-error",
    "numba-decorators-removed",
    "numba-llvmlite-mismatch",
    "pip-rejects-invalid-metadata",
    "numba-numpy-unsupported",
    "tensorflow-addon-abi",
    "pip-conflict",
    "pipenv-no-version-matches",
    "uv-no-solution",
    "poetry-facts",
    "pip-backtracking",
    "many-versions-downloaded",
    "compiler-killed",
    "disk-full",
    "hash-mismatch",
    "broken-archive",
    "process-crashed",
    "gpu-out-of-memory",
    "ctranslate2-no-cuda",
    "hf-gated-model",
    "file-name-too-long",
    "torch-cpu-build",
    "pip-memory-error",
    "pip-killed-during-download",
    "program-path-is-folder",
    "native-bad-alloc",
    "pyttsx3-pyobjc",
    "pip-download-stalled",
    "pip-crash-after-large-download",
    "distribution-not-found",
    "import-name-not-on-pypi",
    "pyttsx3-sapi5-elsewhere",
    "pyttsx3-driver-import",
    "pyttsx3-init-oserror",
    "guess-32-bit",
    "module-missing-in-ipython-only",
    "sudo-pip-other-python",
    "module-missing-in-notebook",
    "notebook-runs-base-python",
    "module-missing-under-conda-base",
    "entry-point-other-python",
    "pyobjc-missing",
    "imagemagick-missing",
    "imagemagick-policy",
    "keyring-unavailable",
    "submodule-gone",
    "api-gone",
    "script-shadows-module",
    "python2-module-missing",
    "module-not-installed",
    "pyttsx3-loop-running",
    "cudart-warning-only",
    "guess-illegal-instruction",
    "guess-no-build-isolation",
    "guess-tensorflow-import",
    "guess-spleeter-210-fallback",
    "guess-tensorflow-native",
    "companion-replaced-torch",
    "pip-installed-conflict",
    "cli-usage",
    "ignored-for-python",
    "index-unauthorized",
    "index-wrong-content-type",
    "mirror-lacks-package",
    "backend-not-on-index",
    "typographic-dash-in-name",
    "misspelt-package",
    "no-matching-distribution",
)

_FAMILIES = (INTERPRETER_RULES, NETWORK_RULES, RUNTIME_RULES, PYTHON_RULES, WHEELS_RULES, BUILD_RULES, RESOLVE_RULES,
             OTHER_RULES)


def _ordered() -> Tuple[Rule, ...]:
    by_name: Dict[str, Rule] = {}
    for family in _FAMILIES:
        for rule in family:
            if rule.name in by_name:
                raise ValueError(f"two rules named {rule.name}")
            by_name[rule.name] = rule
    if set(by_name) != set(ORDER) or len(ORDER) != len(set(ORDER)):
        raise ValueError(f"ORDER and the families disagree: {sorted(set(by_name) ^ set(ORDER))}")
    return tuple(by_name[name] for name in ORDER)


RULES: Tuple[Rule, ...] = _ordered()
