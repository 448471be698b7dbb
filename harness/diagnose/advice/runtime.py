"""Advice for failures after installing: ffmpeg, NumPy's ABI, AVX, native libraries, the model download."""
from __future__ import annotations

import re
from typing import Optional, Tuple

from harness.diagnose import reqs
from harness.diagnose.advice.base import (
    CONDA_ENV,
    DEFAULT_MODEL_URL,
    Facts,
    bare_pip,
    blocker_name,
    curl,
    distribution,
    in_conda,
    installed_packages,
    on_windows,
    set_env,
)
from harness.diagnose.rules.cues import ARM, CHECKSUM, TORCH_LIBRARY, TORCH_SYMBOL


def gated_model_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """A gated Hugging Face model: the licence is accepted once per account on the model's page, and the account's
    token goes with the download (pyannote's pipelines need it for the pipeline and the models it loads)."""
    model = (f.groups.get("model") or f.groups.get("repo")
             or next(iter(re.findall(r"['\"](pyannote/[\w.-]+)['\"]", f.log)), "")
             or next(iter(re.findall(r"huggingface\.co/(?!api/|settings/)([\w.-]+/[\w.-]+)", f.log)), ""))
    pyannote = "pyannote" in (model + f.log).lower() or "Pipeline.from_pretrained" in f.log
    upgrade = (" A pyannote.audio older than the model may also ask for files it no longer has: upgrade pyannote.audio."
               if f.groups.get("repo") and "pyannote" in model else "")
    named = model or ("MODEL (e.g. pyannote/speaker-diarization-3.1)" if pyannote else "MODEL")
    call = (f"`Pipeline.from_pretrained(\"{named}\", use_auth_token=\"hf_...\")` (`token=` in newer releases)" if pyannote
            else f"`from_pretrained(\"{named}\", token=\"hf_...\")`")
    page = f"https://hf.co/{model}" if model else "its Hugging Face page"
    extra = (" (and on hf.co/pyannote/segmentation-3.0, which the pipeline loads)" if pyannote else "")
    return (f"{model or 'The model'} is gated on Hugging Face: log in, accept its user conditions at {page}{extra}, "
            f"create an access token (hf.co/settings/tokens) and pass it - {call}, or `huggingface-cli login` / the "
            f"HF_TOKEN variable - then run again.{upgrade}", ("huggingface-cli login", set_env(f, "HF_TOKEN", "hf_...")))


def ffmpeg_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    install = {"windows": "winget install --id Gyan.FFmpeg", "macos": "brew install ffmpeg"}.get(
        f.platform, "sudo apt-get install -y ffmpeg")
    others = {"windows": " (or `choco install ffmpeg`, or the gyan.dev build with its bin folder added to PATH)",
              "macos": " (or `conda install -c conda-forge ffmpeg`)"}.get(f.platform, " (`brew install ffmpeg` on macOS, "
                                                                          "`conda install -c conda-forge ffmpeg` in conda)")
    return (f"Install ffmpeg (it brings ffprobe) and put it on PATH: `{install}`{others}, then open a new terminal "
            f"and rerun; the ffmpeg-python package alone is not ffmpeg.", (install, "ffmpeg -version", "ffprobe -version"))


# an import name, the PyPI project that is usually meant, and the one of the same name that shadows it
SAME_NAME = {"whisper": ("openai-whisper", "whisper"), "dotenv": ("python-dotenv", "dotenv"), "jwt": ("PyJWT", "jwt"),
             "serial": ("pyserial", "serial")}


def wrong_ffmpeg_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    if f.rule == "same-name-package" and f.blocker in SAME_NAME:
        meant, wrong = SAME_NAME[f.blocker]
        pip = bare_pip(f)
        return (f"The `{f.blocker}` module that Python found is the PyPI project `{wrong}`, not {meant}, which installs "
                f"under the same import name: `{pip} uninstall -y {wrong}`, then `{pip} install {meant}` (and fix any "
                f"requirements file that says `{wrong}`).", (f"{pip} uninstall -y {wrong}", f"{pip} install {meant}"))
    shadow = re.search(r'File "((?:(?!site-packages)[^"\n])*[\\/]ffmpeg\.py)"', f.log)
    also = (f" Also rename {shadow.group(1)}: a script named ffmpeg.py hides the package." if shadow else "")
    return (f"The `ffmpeg` module that Python found is not ffmpeg-python ({f.blocker or 'ffmpeg'} or python-ffmpeg "
            f"from PyPI has no `{f.groups.get('attr') or 'input'}`): uninstall those and install ffmpeg-python."
            + also,
            (f"{bare_pip(f)} uninstall -y ffmpeg python-ffmpeg ffmpeg-python", f"{bare_pip(f)} install ffmpeg-python"))


def numpy_abi_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    built, have = f.groups.get("built"), f.groups.get("have")
    if built and have and int(built, 16) > int(have, 16):
        return (f"A module was built against a newer NumPy than the installed {f.blocker or 'numpy'}: upgrade numpy "
                f"(`{bare_pip(f)} install --upgrade numpy`), keeping it within what the other packages allow.",
                (f"{bare_pip(f)} install --upgrade numpy",))
    if re.search(r"No module named '?numpy\.core\._multiarray_umath'?", f.log) and "_ARRAY_API" not in f.log:
        return (f"The module needs a newer NumPy than the installed one (numpy.core._multiarray_umath came with "
                f"NumPy 1.16): upgrade numpy (`{bare_pip(f)} install --upgrade numpy`), and remove a second, older "
                f"numpy (a system or conda copy) if one shadows it.", (f"{bare_pip(f)} install --upgrade numpy",))
    if re.search(r"No module named '?numpy\._core'?", f.log):
        return (f"The module was built for NumPy 2 (numpy._core) but an older numpy is installed: upgrade numpy "
                f"(`{bare_pip(f)} install --upgrade \"numpy>=2\"`), or install the module's release built for "
                f"NumPy 1.x.", (f'{bare_pip(f)} install --upgrade "numpy>=2"',))
    removed = (re.search(r"`(np\.\w+)` was removed in the NumPy 2\.0 release", f.log)
               or re.search(r"module 'numpy' has no attribute '(\w+)'", f.log) if f.groups.get("alias") or
               "was removed in the NumPy 2.0 release" in f.log else None)
    if removed:
        return (f"This code uses {'np.' + removed.group(1) if not removed.group(1).startswith('np.') else removed.group(1)}, which NumPy 2.0 removed: pin \"numpy<2\" (`{bare_pip(f)} install "
                f"\"numpy<2\"`), or upgrade the package to a release made for NumPy 2.", (f'{bare_pip(f)} install "numpy<2"',))
    if numpy_built_newer(f):
        return (f"A module here was built against a newer NumPy than the installed one (the C header it was compiled "
                f"with is larger than the installed numpy's): upgrade numpy (`{bare_pip(f)} install --upgrade numpy`), "
                f"or reinstall the module so it matches your numpy (`{bare_pip(f)} install --force-reinstall "
                f"--no-cache-dir MODULE`), best in a fresh virtual environment.",
                (f"{bare_pip(f)} install --upgrade numpy", f"{bare_pip(f)} show numpy"))
    if not NUMPY_2.search(f.log) and not re.search(r"numpy==[2-9]\.", f.blocker or ""):
        # the log does not say which side is newer: name both ways, and how to tell them apart
        return (f"A module here was built against another NumPy than the installed one; `{bare_pip(f)} show numpy` "
                f"tells which way: on NumPy 2.x pin \"numpy<2\" (`{bare_pip(f)} install \"numpy<2\"`) or upgrade the "
                f"module to a release built for NumPy 2; on NumPy 1.x upgrade numpy (`{bare_pip(f)} install --upgrade "
                f"numpy`) - the module was built against a newer one - or reinstall the module "
                f"(--force-reinstall --no-cache-dir) in a fresh virtual environment.",
                (f"{bare_pip(f)} show numpy", f'{bare_pip(f)} install "numpy<2"'))
    return (f"A module here was built against NumPy 1.x and cannot load with {f.blocker or 'NumPy 2'}: pin "
            f"\"numpy<2\" (`{bare_pip(f)} install \"numpy<2\"`), or upgrade the module to a release built for NumPy 2.",
            (f'{bare_pip(f)} install "numpy<2"', f'{bare_pip(f)} check'))


# what only a NumPy 2 runtime prints (or a log that names NumPy 2 at all)
# (NumPy 2's dtype struct is 88 bytes, 1.x's 96: an extension built for 1.x meeting 2.x says exactly this)
NUMPY_2 = re.compile(r"NumPy 2|numpy 2\.|numpy-2\.|numpy==2|_ARRAY_API|numpy\._core|NumPy 1\.x cannot be run"
                     r"|dtype size changed[^\n]*\s*Expected 96 from C header, got 88", re.IGNORECASE)


def numpy_built_newer(f: Facts) -> bool:
    """``numpy.ndarray size changed ... Expected 96 from C header, got 88 from PyObject``: the header the module
    was compiled with (expected) is bigger than the running numpy's type (got) - it was built against a newer one."""
    sizes = re.search(r"ndarray size changed[^\n]*\s*Expected (\d+) from C header, got (\d+) from PyObject", f.log)
    return bool(sizes) and int(sizes.group(1)) > int(sizes.group(2)) if sizes else False


# packages with a second distribution built for CPUs without AVX2/FMA (the same import name)
COMPAT_BUILDS = {"polars": "polars-lts-cpu"}


def compatibility_build(f: Facts) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """The package publishes a build for older CPUs: swap to it (its own warning names it when it has one)."""
    named = re.search(r"Install the `(?P<compat>[\w-]+)` package instead of `(?P<pkg>[\w-]+)`", f.log)
    pkg = named.group("pkg") if named else next((p for p in COMPAT_BUILDS if re.search(rf"\b{p}\b", f.log)), None)
    if not pkg:
        return None
    compat = named.group("compat") if named else COMPAT_BUILDS[pkg]
    pip = bare_pip(f)
    return (f"{pkg}'s wheels are built for CPUs with AVX2/FMA, which this CPU lacks (or an x86 Python under "
            f"Rosetta on Apple silicon): install the build for older CPUs instead - `{pip} uninstall -y {pkg}` then "
            f"`{pip} install {compat}` (same import name) - or use an arm64 Python on Apple silicon.",
            (f"{pip} uninstall -y {pkg}", f"{pip} install {compat}"))


def avx_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    intel_mac = re.search(r"\b(?:MacBook(?: Pro| Air)?|iMac|Mac mini|Mac Pro)\W+(?:\w+\W+)?(?:200\d|201[0-2])\b|"
                          r"\bIntel(?:\(R\))? Core(?:\(TM\))?2\b", f.log, re.IGNORECASE)
    if intel_mac:
        return (f"This Mac's Intel CPU ({intel_mac.group(0).strip()}) predates AVX, which TensorFlow's wheels (1.6 and "
                "later) need: run it on a newer machine (any Mac or PC from 2013 on, or a cloud/Colab VM), or use a "
                "TensorFlow built without AVX (1.5 or older, or build it from source on this machine).",
                ("sysctl -a | grep -i avx",))
    compat = compatibility_build(f)
    if compat:
        return compat
    if ARM.search(f.log) and not re.search(r"GenuineIntel|AuthenticAMD|\bx86_64\b(?![\w.-]*\.whl)", f.log):
        return arm_illegal_advice(f)
    if f.rule in ("numpy-cpu-baseline", "numpy-illegal-instruction"):
        return numpy_cpu_advice(f)
    model = re.search(r"^\s*Model name:\s+([^\n]+?)\s*$|\b((?:Intel\(R\) )?(?:Celeron|Pentium|Atom)\(R\)?[^\n,]{0,30}?"
                      r"\b[A-Z]?\d{3,5}[A-Z]?\b)", f.log, re.MULTILINE)
    cpu = " (" + " ".join((model.group(1) or model.group(2)).split()) + ")" if model else ""
    if f.rule == "illegal-instruction-import":
        return import_crash_advice(f, cpu)
    if f.rule == "illegal-instruction-any":
        return (f"The program's native code uses CPU instructions this CPU{cpu} lacks (AVX or AVX2: CPUs from before "
                "~2013, or some Atom/Celeron/Pentium models): use a build made for older CPUs (a non-AVX2 or "
                "\"compatibility\" build, an older release built without them, or build it from source on this "
                "machine), or run it on a machine whose CPU has AVX2.", (cpu_check(f, "avx2"),))
    if f.platform == "macos" or re.search(r"illegal hardware instruction|Illegal instruction: 4", f.log):
        return ("On a Mac with Apple silicon this is an x86_64 build running under Rosetta, which has no AVX (an x86 "
                "Python or Anaconda, or a Rosetta terminal): use an arm64 Python (python.org's universal2 installer, "
                "Homebrew on /opt/homebrew, or Miniforge arm64) and TensorFlow's arm64 wheels - `pip install "
                "tensorflow` from 2.13 on, tensorflow-macos (+ tensorflow-metal) before. On an Intel Mac, the CPU lacks "
                "AVX: TensorFlow 1.5 or older, or another machine.",
                ('python3 -c "import platform; print(platform.machine())"', "uname -m"))
    check = cpu_check(f, "avx")
    # "initialization routine failed" has a second usual cause on Windows: the MSVC runtime TensorFlow links
    redist = (" If it has AVX, install the Microsoft Visual C++ Redistributable (2015-2022, x64) - TensorFlow's DLLs "
              "need it." if on_windows(f) and not f.groups.get("isa") else "")
    return ("This CPU does not support the AVX instructions that TensorFlow's wheels (1.6 and later) are built "
            "with: run on a CPU with AVX (another machine, or a cloud/Colab VM), or use a TensorFlow built without "
            "AVX (TensorFlow 1.5 or older, a community no-AVX wheel, or conda's build: `conda install tensorflow`); "
            "check the CPU first." + redist, (check,) + (("winget install --id Microsoft.VCRedist.2015+.x64",)
                                                        if redist else ()))


# how to build a package on this machine so that it uses only what this CPU has (the prebuilt ones assume AVX)
NO_AVX_BUILD = {
    "dlib": "build dlib here without AVX: `pip install --no-binary dlib --no-cache-dir dlib` (cmake and a C++ compiler; "
            "its build tests this CPU), or from its source with `python setup.py install --no USE_AVX_INSTRUCTIONS`",
    "llama_cpp": 'build llama-cpp-python here without AVX2: `CMAKE_ARGS="-DGGML_NATIVE=ON" pip install --no-binary '
                 'llama-cpp-python --no-cache-dir --force-reinstall llama-cpp-python`',
}


# packages whose compiled code ships in another distribution
NATIVE_CODE_OF = {"face_recognition": "dlib", "jax": "jaxlib"}


def import_crash_advice(f: Facts, cpu: str) -> Tuple[str, Tuple[str, ...]]:
    """A crash right after `import X`: X's prebuilt wheel (or conda build) uses instructions this CPU lacks."""
    module = f.blocker or "the package"
    native = "dlib" if re.search(r"\bdlib\b", f.log) else NATIVE_CODE_OF.get(module, module)
    build = NO_AVX_BUILD.get(native, f"build {distribution(native)} from source on this machine (`{bare_pip(f)} "
                                     f"install --no-binary {distribution(native)} --no-cache-dir "
                                     f"{distribution(native)}`), so its code uses only what this CPU has")
    return (f"`import {module}` crashed with an illegal instruction: its prebuilt code uses CPU instructions (AVX/AVX2) "
            f"this CPU{cpu} lacks (CPUs from before ~2013, some Atom/Celeron/Pentium models, or a VM that hides "
            f"them): {build}; or take an older release built without them, or run it on a CPU with AVX.",
            (cpu_check(f, "avx"),))


# the NumPy release whose wheels first need the x86-64-v2 baseline (SSE4.2, POPCNT): older CPUs stop at the one before
NUMPY_X86_V2 = "2.4"


def numpy_cpu_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """NumPy's wheels (or the OpenBLAS they bundle) use instructions this CPU lacks: a release built for it, or
    NumPy built on this machine, which then takes only what the CPU has."""
    pip = bare_pip(f)
    # NumPy builds with meson from 1.26 on, and sets its baseline with meson's option; "native" is this CPU's own
    build = f'{pip} install --no-binary numpy numpy -Csetup-args=-Dcpu-baseline="native"'
    isa = (f.groups.get("isa") or "").strip()
    if f.rule == "numpy-cpu-baseline":
        older = (f' - the x86-64-v2 baseline came with NumPy {NUMPY_X86_V2}, so `{pip} install "numpy<{NUMPY_X86_V2}"` '
                 "installs wheels this CPU runs" if "X86_V2" in isa.upper() else "")
        return (f"NumPy's wheels are built for a CPU baseline ({isa or 'its minimum'}) this CPU lacks{older}; or build "
                f"NumPy on this machine for its own CPU (`{build}`, which needs a C compiler), or run it on a newer CPU.",
                ((f'{pip} install "numpy<{NUMPY_X86_V2}"',) if older else ()) + (build,))
    openblas = " (the crash is in its bundled OpenBLAS)" if re.search(r"openblas", f.log, re.IGNORECASE) else ""
    return (f"NumPy's prebuilt code{openblas} uses a CPU instruction this CPU lacks: take a numpy release whose wheels "
            "run here - upgrade numpy (newer OpenBLAS releases detect more CPUs) or pin the release before the one "
            "that broke; on an ARM board set OPENBLAS_CORETYPE=ARMV8 before starting Python; or build numpy from "
            f"source on this machine (`{pip} install --no-binary numpy numpy`, which needs a C compiler; from NumPy "
            f"{NUMPY_X86_V2} on add `-Csetup-args=-Dcpu-baseline=\"native\"`).",
            (f"{pip} install --upgrade numpy", f"{pip} install --no-binary numpy numpy", cpu_check(f, "sse4_2")))


def cpu_check(f: Facts, flag: str) -> str:
    """How the user sees their CPU (and whether it has ``flag``), in their own shell."""
    if on_windows(f):
        return 'Get-CimInstance Win32_Processor | Select-Object Name' if f.shell == "powershell" else "wmic cpu get name"
    return f"grep -o -w -m1 {flag} /proc/cpuinfo" if f.platform == "linux" else f"sysctl -a | grep -i {flag}"


def arm_illegal_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """An illegal instruction on an ARM board is never AVX (an x86 extension): a binary built for a newer ARM core
    (or CPU features this one lacks), which each project fixes in its own way."""
    fixes = []
    if re.search(r"\bnumpy\b|openblas|scipy", f.log, re.IGNORECASE):
        fixes.append("for numpy/OpenBLAS set `OPENBLAS_CORETYPE=ARMV8` before starting Python (its kernel detection "
                     "picks instructions some boards lack, e.g. NVIDIA Jetson), or pin the numpy release before the one "
                     "that broke")
    if re.search(r"miniconda|anaconda|\bconda\b", f.log, re.IGNORECASE):
        fixes.append("for conda use the Miniforge installer (conda-forge's aarch64 builds) instead of Miniconda/Anaconda, "
                     "whose aarch64 builds target newer ARM cores than a Raspberry Pi's")
    fixes.append("otherwise install the board vendor's build (NVIDIA's Jetson wheels, piwheels on a Raspberry Pi) or an "
                 "older release of the package, or build it from source on the board")
    return ("This is an ARM machine, so the cause is not AVX (an x86 extension): a prebuilt binary uses instructions "
            "of a newer ARM core than this one. " + "; ".join(fixes)[:1].upper() + "; ".join(fixes)[1:] + ".",
            (set_env(f, "OPENBLAS_CORETYPE", "ARMV8"), cpu_check(f, "asimd")) if not on_windows(f) else (cpu_check(f, ""),))


# the extension module named in "DLL load failed while importing X", by the distribution that ships it
EXTENSIONS = (("_multiarray_umath", "numpy"), ("_pywrap_tensorflow", "tensorflow"), ("_sndfile", "soundfile"),
              ("_portaudio", "pyaudio"), ("ffi", "llvmlite"), ("_C", "torch"))


def importing(log: str) -> str:
    """The distribution whose extension module the DLL error names, when it is a known one."""
    found = re.search(r"while importing (\w+)", log)
    name = found.group(1) if found else ""
    return next((dist for prefix, dist in EXTENSIONS if name.startswith(prefix)), "")


def _last_package(log: str) -> str:
    """The package a DLL error most probably belongs to when the error names none: TensorFlow, the pack's native
    heart, when the log mentions it; else the last installed package the traceback passes through."""
    if re.search(r"tensorflow", log, re.IGNORECASE):
        return "tensorflow"
    frames = installed_packages(log) or re.findall(r"\b([A-Za-z]\w*)[\\/]lib[\\/][\w.+-]+\.(?:so|dylib|pyd)\b", log)
    # else the module the user's own line imports (`>>> import cv2`, `from PIL import Image`)
    typed = re.findall(r"^\s*(?:>>>\s*)?(?:import|from) ([A-Za-z]\w*)", log, re.MULTILINE)
    return frames[-1] if frames else typed[-1] if typed else "tensorflow"


# A system library Python packages load at run time, by its name without lib/.so/.dylib/.dll and version, and the
# packages that bring it: (Debian/Ubuntu, Homebrew, conda-forge)
LIBRARY_PACKAGES = {"cblas": ("libatlas-base-dev", "openblas", "libcblas"), "atlas": ("libatlas-base-dev", "openblas", "libcblas"),
                    "f77blas": ("libatlas-base-dev", "openblas", "libblas"), "openblas": ("libopenblas-dev", "openblas", "openblas"),
                    "lapack": ("liblapack-dev", "lapack", "liblapack"), "gfortran": ("libgfortran5", "gcc", "libgfortran"),
                    "sndfile": ("libsndfile1", "libsndfile", "libsndfile"), "vorbis": ("libvorbis0a", "libvorbis", "libvorbis"),
                    "vorbisenc": ("libvorbisenc2", "libvorbis", "libvorbis"), "ogg": ("libogg0", "libogg", "libogg"),
                    "FLAC": ("libflac12", "flac", "libflac"), "sox": ("libsox-dev", "sox", "sox"),
                    "hdf5": ("libhdf5-dev", "hdf5", "hdf5"), "omp": ("libomp-dev", "libomp", "llvm-openmp"),
                    "gomp": ("libgomp1", "gcc", "libgomp"), "espeak-ng": ("espeak-ng libespeak-ng1", "espeak-ng", "espeak-ng"),
                    "espeak": ("espeak libespeak1", "espeak", "espeak"),
                    "portaudio": ("libportaudio2", "portaudio", "portaudio"), "GL": ("libgl1", "", "libgl"),
                    "avcodec": ("libavcodec-dev", "ffmpeg", "ffmpeg"), "avformat": ("libavformat-dev", "ffmpeg", "ffmpeg"),
                    "avutil": ("libavutil-dev", "ffmpeg", "ffmpeg")}


def library_stem(lib: str) -> str:
    """libsndfile.so.1, libsndfile-1.dll, libvorbis.0.4.9.dylib -> sndfile, sndfile, vorbis."""
    stem = re.sub(r"^lib|\.so(?:\.[\d.]+)?$|(?:\.[\d.]+)*\.(?:dylib|dll)$", "", lib)
    return re.sub(r"[.-]?\d+(?:\.\d+)*$", "", stem) or stem


def library_packages(lib: str) -> Optional[Tuple[str, str, str]]:
    """The packages that bring a known library; a longer name that starts with a known one (libportaudio64bit.dll)
    counts as it, for names long enough not to be another library's start."""
    stem = library_stem(lib)
    return LIBRARY_PACKAGES.get(stem) or next(
        (packages for name, packages in LIBRARY_PACKAGES.items() if len(name) >= 5 and stem.startswith(name)), None)


def library_named(log: str) -> str:
    """The shared library a loader says it cannot find, when no rule captured it."""
    found = re.search(r"(lib[\w+-]+(?:\.so(?:\.[\d.]+)?|(?:\.[\d.]+)*\.dylib))(?:: cannot open shared object| \(no such file"
                      r"|[^\n]*?(?:image not found|no such file))", log)
    return found.group(1) if found else ""


# macOS's loader names the absolute path a binary was linked against: a Homebrew keg's
HOMEBREW_KEG = re.compile(r"Library not loaded: (?:/usr/local|/opt/homebrew)/(?:opt|Cellar)/(?P<keg>[\w@.+-]+)/")


def linked_keg_gone(f: Facts, lib: str, module: str, keg: str, check: str) -> Tuple[str, Tuple[str, ...]]:
    """A package built on this Mac links Homebrew's library by path; upgrading the keg removed that file."""
    dist = distribution(module)
    pip = bare_pip(f)
    return (f"{module}'s compiled module was linked against Homebrew's {keg} ({lib}), and that file is gone (an upgrade "
            f"of {keg} replaced it): rebuild {dist} against what is installed now, without pip's cached wheel of the "
            f"old build (`{pip} install --force-reinstall --no-cache-dir {dist}`), or bring the old library back "
            f"(`brew install {keg}`, `brew reinstall {keg}`); then re-run `{check}`.",
            (f"{pip} install --force-reinstall --no-cache-dir {dist}", check))


def missing_library_advice(f: Facts, lib: str, module: str, check: str) -> Tuple[str, Tuple[str, ...]]:
    """A shared library a compiled package loads is not there (Linux, macOS): the package manager that owns the
    environment brings it - conda in a conda env, Homebrew on a Mac, apt elsewhere - or a wheel that bundles it."""
    stem = library_stem(lib)
    deb, brew, conda = library_packages(lib) or ("", stem, "lib" + stem)
    keg = HOMEBREW_KEG.search(f.log)
    if keg and f.platform == "macos" and not in_conda(f):
        return linked_keg_gone(f, lib, module, keg.group("keg"), check)
    if in_conda(f):
        how = (f"this is a conda environment: install the library into it from conda-forge (`conda install -c "
               f"conda-forge {conda}`), and update {module} from the same channel so the two match (`conda install -c "
               f"conda-forge {module} --update-deps`)" + (f" - outside conda, the OS package (`sudo apt-get install -y {deb}` "
                                                           f"on Debian/Ubuntu)" if deb and f.platform != "macos" else ""))
        cmd = f"conda install -c conda-forge {conda}"
    elif f.platform == "macos":
        how = f"install it with Homebrew (`brew install {brew}`)"
        cmd = f"brew install {brew}"
    else:
        how = (f"install it with the OS package manager (`sudo apt-get install -y {deb}` on Debian/Ubuntu)" if deb else
               f"install the OS package that provides it (`apt-file search {lib}` names it on Debian/Ubuntu)")
        cmd = f"sudo apt-get install -y {deb}" if deb else f"apt-file search {lib}"
    return (f"The shared library {lib} that {module} loads is missing: {how}; or reinstall or upgrade {module} from a "
            f"wheel that bundles its libraries (`{bare_pip(f)} install --upgrade --force-reinstall --only-binary=:all: "
            f"{module}`; a build from source links the system's copy instead), then "
            f"re-run `{check}`.", (cmd, check))


def runtime_too_old_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """GLIBCXX_3.4.29 not found: the system's libstdc++ (or glibc) predates the compiler that built the binary."""
    symbol, lib = f.groups.get("symbol", "GLIBCXX"), f.groups.get("lib", "libstdc++.so.6")
    by = f.groups.get("by", "")
    owner = (installed_packages(by) or [by.rsplit("/", 1)[-1] or "a compiled package"])[-1]
    if symbol.startswith("GLIBC_"):
        return (f"{owner} was built for glibc {symbol[6:]} or newer, and this system's C library ({lib}) is older: use "
                f"a newer OS (or container image) - or a release of {owner} built for this glibc (manylinux2014 "
                f"wheels run on glibc 2.17+; `ldd --version` shows yours).", ("ldd --version",))
    if CONDA_ENV.search(lib) and re.match(r"/(?:usr/)?lib", by):
        # the env's own (older) libstdc++ loads first, and a system library built against the system's newer one
        # needs what it lacks: the env's copy is the one to update
        return (f"This conda env's own C++ runtime ({lib}) loads before the system's and is older than the one "
                f"{by} was built against (it lacks {symbol}): update the env's copy (`conda install -c conda-forge "
                f"libstdcxx-ng libgcc-ng` in the activated env), or take the library from conda too (`conda install "
                f"-c conda-forge` the package that brings it) so that both come from one place.",
                ("conda install -c conda-forge libstdcxx-ng libgcc-ng",))
    conda = ("in this conda env, install a newer C++ runtime (`conda install -c conda-forge libstdcxx-ng libgcc-ng`) "
             "and make the env's own copy load first (`export LD_LIBRARY_PATH=$CONDA_PREFIX/lib:$LD_LIBRARY_PATH`); "
             if in_conda(f) else "")
    return (f"{owner} was built with a newer C++ compiler than the system's C++ runtime ({lib} lacks {symbol}): "
            f"{conda}update the system's libstdc++ (a newer gcc runtime or distribution release, e.g. `sudo apt-get "
            f"install --only-upgrade libstdc++6`), or install a build of {owner} made for this system (conda-forge's, or "
            f"an older release). `strings {lib.split('/')[-1]} | grep GLIBCXX` lists what the runtime has.",
            ("strings /usr/lib/x86_64-linux-gnu/libstdc++.so.6 | grep GLIBCXX",))


# the packages built against one torch release, whose libraries load torch's
TORCH_COMPANION = re.compile(r"[\\/](torchaudio|torchvision|torchtext|torchcodec)[\\/]|\b(torchaudio|torchvision)\b")


def torch_companion_advice(f: Facts, lib: str) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """torchaudio (torchvision ...) whose compiled library needs a torch library or symbol the installed torch lacks:
    it was built for another torch release - the two come in pairs. (On Windows torch's own DLLs failing is
    mostly the MSVC runtime, which the DLL advice says.)"""
    if on_windows(f) or not (re.match(TORCH_LIBRARY, lib) or re.search(TORCH_SYMBOL, f.log)):
        return None
    companion = TORCH_COMPANION.search(f.log)
    # a torch library missing with no companion named: the usual loader is torchaudio (or torchvision)
    name = (companion.group(1) or companion.group(2)) if companion else "torchaudio"
    who = name if companion else "the package that loads it (torchaudio, torchvision)"
    torch = re.search(r"\btorch(?:==|-| )(\d+\.\d+(?:\.\d+)?)", f.log)
    series = reqs.torch_companion(name, torch.group(1)) if torch else None
    # (quoted: a shell would expand the * of the series against the current folder)
    pair = f'torch=={torch.group(1)} "{name}=={series}.*"' if torch and series else f"torch {name}"
    pip = bare_pip(f)
    return (f"{who[0].upper() + who[1:]} was built for another torch release than the installed one (it needs a torch "
            f"library or symbol this torch lacks): reinstall torch and {name} together in matching versions, from the "
            f"same index (CPU or the same CUDA build) - `{pip} install --force-reinstall {pair}` - or install the "
            f"matching {name} release for your torch (the same nightly date, for nightlies).",
            (f"{pip} install --force-reinstall {pair}", f"{pip} list"))


def shared_library_advice(f: Facts, lib: str, module: str, check: str) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """Libraries whose absence has one well-known cause: libpython (a Python built without --enable-shared),
    cuDNN of a given major version, numpy's C extensions, and a conda package's library missing from its env."""
    paired = torch_companion_advice(f, lib)
    if paired:
        return paired
    libpython = re.match(r"libpython(\d\.\d+)", lib)
    if libpython:
        version = libpython.group(1)
        return (f"{lib} is Python {version}'s shared library, which this Python was built without (pyenv and source "
                f"builds are static by default): rebuild it with `--enable-shared` (pyenv: `env PYTHON_CONFIGURE_OPTS="
                f"\"--enable-shared\" pyenv install --force {version}.X`), or use a Python that ships it (the OS's "
                f"python{version}, conda, uv python install).",
                (f'env PYTHON_CONFIGURE_OPTS="--enable-shared" pyenv install --force {version}',))
    cudnn = re.match(r"(?:lib)?cudnn\w*?(?:64_|\.so\.)(\d+)", lib)
    if cudnn:
        major = cudnn.group(1)
        return (f"The GPU build needs cuDNN {major} ({lib}), which is not installed or not on the library path: install "
                f"cuDNN {major} for your CUDA (pip: `{bare_pip(f)} install nvidia-cudnn-cu12` / -cu11, or NVIDIA's "
                f"installer) and put its libraries on {'PATH' if on_windows(f) else 'LD_LIBRARY_PATH'} - or pin the "
                f"package releases built for the cuDNN you have (ctranslate2 4.4 and torch 2.3 and older use cuDNN 8) - "
                f"or run on the CPU.", ("nvidia-smi", check))
    if re.search(r"Importing the numpy C-extensions failed", f.log, re.IGNORECASE):
        conda = re.search(r"[\\/](?:ana|mini)conda3?[\\/]|\bconda\b|Anaconda", f.log, re.IGNORECASE)
        first = ("this is a conda Python whose environment is not activated (its DLLs are on PATH only then): run from "
                 "the Anaconda Prompt or after `conda activate ENV` (PowerShell: `conda init powershell` once), or "
                 "select the env in the IDE; " if conda else "")
        return (f"numpy's C extensions did not load: {first}otherwise numpy is broken or shadowed - reinstall it "
                f"(`{bare_pip(f)} install --force-reinstall --no-cache-dir numpy`), and make sure no numpy source folder "
                f"or second numpy on sys.path hides the installed one.",
                (("conda activate base",) if conda else ()) + (f"{bare_pip(f)} install --force-reinstall numpy",))
    conda_lib = re.search(r"[\\/](?:ana|mini)conda3?[\\/]|\bconda\b", f.log, re.IGNORECASE)
    if lib and f.groups.get("lib4") and conda_lib:
        program = f.log[:f.log.find(lib)].rsplit("\n", 1)[-1].split(":")[0].strip() or "the program"
        return (f"{program} cannot find {lib}, a library of the conda package it was built against: the env's packages "
                f"do not match (a newer or older build of that library, or mixed channels) - update them together from "
                f"one channel (`conda install -c conda-forge {program} --update-deps`, or a fresh env).",
                (f"conda install -c conda-forge {program}",))
    return None


def store_python(f: Facts) -> str:
    """The Microsoft Store's Python runs packages from a sandboxed, redirected folder, where the DLLs that some
    native packages load next to themselves are not found (scipy's, before Python 3.8's os.add_dll_directory)."""
    if "PythonSoftwareFoundation.Python." not in f.log:
        return ""
    return (" This is the Microsoft Store's Python, whose sandboxed folders break DLL loading for some native "
            "packages: use the python.org installer (Python 3.8 or newer) instead.")


def went_back(f: Facts, module: str) -> str:
    """The installed release of the package whose DLL failed, when the log shows it: a new release that breaks
    loading on Windows is common (its wheel links another runtime), and the release before it is the quick way out."""
    if module in ("tensorflow", "torch") or not module.isidentifier():
        return ""
    found = re.findall(rf"\b{re.escape(module)}(?:-|==| )(\d+\.\d+(?:\.\d+)?)\b", f.log, re.IGNORECASE)
    if not found:  # the release is not shown: `pip show` names it
        return (f" If it broke right after an upgrade of {module}, downgrade {module} to the release you had before "
                f"(`{bare_pip(f)} show {module}` names the one installed; `{bare_pip(f)} install \"{module}<THAT\"`).")
    have = found[-1]
    return (f" If it broke with this release ({module} {have}), go back to the one before: `{bare_pip(f)} install "
            f"\"{module}<{have}\"`.")


def cuda_versions(log: str) -> str:
    """The CUDA and cuDNN major versions a GPU build asks for, as its own message or the library names say
    (onnxruntime: "Require cuDNN 9.* and CUDA 12.*"; libcudnn_adv.so.9 is cuDNN 9, libcublas.so.12 CUDA 12)."""
    said = re.search(r"Require cuDNN (\d+)\.\* and CUDA (\d+)\.\*", log)
    if said:
        return f" - it requires cuDNN {said.group(1)} and CUDA {said.group(2)}"
    cudnn = re.search(r"libcudnn\w*\.so\.(\d+)", log)
    toolkit = re.search(r"lib(?:cublas|cudart|cufft|curand|cusparse|cusolver)\w*\.so\.(\d+)", log)
    named = [f"cuDNN {cudnn.group(1)}"] if cudnn else []
    named += [f"CUDA {toolkit.group(1)}"] if toolkit else []
    return f" ({' and '.join(named)})" if named else ""


def procedure_advice(f: Facts, module: str, check: str) -> Tuple[str, Tuple[str, ...]]:
    """The DLL was found but lacks a function: another version of it loaded first (an older copy on PATH, conda's
    next to pip's, or a half-upgraded install), so what matters is one consistent install, not a missing runtime."""
    conda = re.search(r"[\\/](?:ana|mini)conda3?[\\/]|\bconda\b", f.log, re.IGNORECASE)
    mixed = (f" In conda, do not mix channels or pip for it: install {module} and its libraries from one channel in a "
             f"new env (`conda create -n fresh -c conda-forge python {module}`), so it loads the matching DLLs (for h5py: "
             f"the matching hdf5)." if conda else "")
    return (f"A DLL that {module} loads was found but is another version than the one it was built against (an older "
            f"copy earlier on PATH or in System32, another Python's or conda's, or a half-upgraded install): upgrade "
            f"{module} in a fresh venv (`{bare_pip(f)} install --upgrade --force-reinstall --no-cache-dir {module}`), or "
            f"pin the previous release if the newest one broke; `where` the DLL's name shows which copy comes first on "
            f"PATH.{mixed}", (f"{bare_pip(f)} install --upgrade --force-reinstall --no-cache-dir {module}", check))


# the environment a conda command ran in: its prompt's "(name)", or its folder envs\name
CONDA_ENV_NAME = re.compile(r"^\((?P<prompt>[\w.-]+)\) |[\\/]envs[\\/](?P<folder>[\w.-]+)", re.MULTILINE)


def conda_ssl_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """conda's own _ssl is there; the OpenSSL DLLs it loads are not (or the wrong ones are found first)."""
    found = CONDA_ENV_NAME.search(f.log)
    env = (found.group("prompt") or found.group("folder")) if found else ""
    other = env if env and env != "base" else "ENV"
    if not on_windows(f):
        return (f"conda's Python cannot load its OpenSSL library (libssl/libcrypto), so neither conda nor pip can use "
                f"HTTPS: run conda from base (`conda activate base`) and reinstall openssl in the environment "
                f"(`conda install -n {other} openssl`).", ("conda activate base", 'python -c "import ssl"'))
    return ("conda's Python has its ssl module, but cannot load the OpenSSL DLLs it needs (libssl/libcrypto in the "
            "environment's Library\\bin), so neither conda nor pip can use HTTPS: most often conda ran outside an "
            "activated environment, or another OpenSSL was found first (an environment with a different openssl "
            "activated, or copies in C:\\Windows\\System32). Run from base - the Anaconda Prompt, or `conda activate "
            f"base` - and change the other environment from there (`conda install -n {other} ...`); if it persists, "
            "copy libcrypto-*-x64.dll and libssl-*-x64.dll from Library\\bin into DLLs, or reinstall openssl in base "
            "(`conda install -n base openssl`).",
            ("conda activate base", 'python -c "import ssl"'))


# what a module's DLLs need beyond the Visual C++ runtime on Windows
WINDOWS_DLL_NOTES = {
    "cv2": (" OpenCV's cv2 also loads Media Foundation (MFPlat.dll, MF.dll), which the N and KN editions of Windows "
            "lack: install the Media Feature Pack (Settings > Apps > Optional features)."),
}

# DLLs a known release loads and whose own dependency is the usual miss, by the file name the error shows
WINDOWS_DLL_FILE_NOTES = {
    "fbgemm.dll": (" torch 2.4.0's fbgemm.dll needs libomp140.x86_64.dll, which its wheel lacks and only a current "
                   "Visual C++ Redistributable (or Visual Studio) installs: update the redistributable, or install "
                   "torch 2.4.1 or later (which ships it) - or torch==2.3.1, which does not need it."),
}


def dll_file_note(f: Facts) -> str:
    return next((note for name, note in WINDOWS_DLL_FILE_NOTES.items() if name in f.log.lower()), "")


# a package's own setup.py, run by pip for its source archive, loading the C library a wheel would have bundled
SETUP_LOADS_LIBRARY = re.compile(r"[\\/]pip-(?:install|build)-[^\\/\s]+[\\/](?P<pkg>[A-Za-z][\w.-]*?)(?:_[0-9a-f]{32})?"
                                 r"[\\/]setup\.py\", line \d+")


def conda_own_dll_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """conda itself cannot load one of its base environment's DLLs (pywin32's win32file, ssl's): that environment is
    broken - most often an update that replaced a DLL while a program held it - not the package being installed."""
    version = re.search(r"user_agent: conda/([\d.]+)", f.log)
    which = f" (conda {version.group(1)})" if version else ""
    return (f"conda itself{which} fails to load a DLL of its own base environment, so it is that environment that is "
            f"broken (often an update that replaced a DLL while a program held it), not the package: close every "
            f"program that runs from Anaconda, open a new Anaconda Prompt and update conda (`conda update -n base "
            f"conda`); if conda no longer starts at all, reinstall Miniconda or Anaconda (your other environments "
            f"under envs can stay).", ("conda update -n base conda",))


def setup_loads_library_advice(f: Facts, pkg: str) -> Tuple[str, Tuple[str, ...]]:
    """The DLL failed inside the package's setup.py: pip is building it from source because no wheel fits, and the
    build wants the C library installed first. A wheel (or conda-forge's package) brings it."""
    name = reqs.canonical(pkg)
    bits = (" This Python is 32-bit: most such packages publish 64-bit wheels only, so a 64-bit Python may find one."
            if f.bits == 32 else "")
    wheel = f"{bare_pip(f)} install --only-binary=:all: {name}"
    return (f"pip is building {name} from its source archive because it found no wheel for this Python and platform, "
            f"and its setup.py needs the C library (the DLL it failed to load) installed first. Install a release that "
            f"has a wheel for your Python (`{wheel}` shows whether one exists), or take it from conda-forge, which "
            f"brings the library too (`conda install -c conda-forge {name}`); to build anyway, install the C library "
            f"and put its DLL folder on PATH.{bits}", (wheel, f"conda install -c conda-forge {name}"))


def dll_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    # the blocker is the module the traceback names (onnxruntime_genai), which the import check must keep as is
    raw = (f.blocker or "").strip("`'\"")
    module = (raw if re.fullmatch(r"[A-Za-z_][\w.]*", raw) else blocker_name(f)) if f.blocker else (
        importing(f.log) or _last_package(f.log))
    check = f'python -c "import {module}"'
    if re.search(r"%1 is not a valid Win32 application", f.log) and not re.search(r"_execute_child", f.log):
        # (a program started by subprocess with this error is another rule's; here a DLL of the other bitness)
        bits = ("this Python is 32-bit" if f.bits == 32 else
                "usually a 32-bit Python loading the 64-bit DLL of a 64-bit-only wheel (or the reverse)")
        return (f"Windows refused to load {module}'s DLL as the wrong kind of binary (another bitness: {bits}): check "
                f"with `python -c \"import struct; print(struct.calcsize('P') * 8)\"`, install the 64-bit Python "
                f"(python.org's 'Windows installer (64-bit)'), and reinstall {distribution(module)} with that "
                f"Python's pip in a new venv; a DLL copied in from another machine or PATH has the same effect.",
                ('python -c "import struct; print(struct.calcsize(\'P\') * 8)"', check))
    if re.search(r"mach-o, but wrong architecture|wrong ELF class", f.log):
        return ("The native library was built for another CPU architecture than this Python (an x86_64 Python under "
                "Rosetta with arm64 wheels, or the reverse): use a Python of the machine's own architecture (arm64 "
                "on Apple silicon), recreate the venv with it and reinstall.",
                ("python3 -c \"import platform; print(platform.machine())\"", "uname -m"))
    if module == "conda" and re.search(r"conda-script\.py|user_agent: conda/", f.log):
        return conda_own_dll_advice(f)
    built = SETUP_LOADS_LIBRARY.search(f.log)
    if built:
        return setup_loads_library_advice(f, built.group("pkg"))
    if f.rule == "pyttsx3-init-oserror":
        return pyttsx3_driver_advice(f)
    if f.rule == "glibc-runtime-too-old":
        return runtime_too_old_advice(f)
    if f.rule == "conda-ssl-dlls":
        return conda_ssl_advice(f)
    if in_conda(f) and on_windows(f) and re.search(r"initialization routine failed", f.log):
        return conda_runtime_advice(f, module, check)
    if re.search(r"The specified procedure could not be found|procedure entry point [^\n]* could not be located", f.log):
        return procedure_advice(f, module, check)
    if f.rule == "llvmlite-library":
        conda = " (in a conda env: `conda install -c numba numba llvmlite`)" if f.installer == "conda" or re.search(
            r"anaconda|miniconda|conda", f.log, re.IGNORECASE) else ""
        return (f"llvmlite's native library did not load: reinstall numba and llvmlite together, from the same source "
                f"(`{bare_pip(f)} install --force-reinstall --no-cache-dir numba llvmlite`){conda}"
                + ("; on Windows also install the Microsoft Visual C++ Redistributable (x64)" if on_windows(f) else "")
                + ".", (f"{bare_pip(f)} install --force-reinstall --no-cache-dir numba llvmlite",))
    lib = (f.groups.get("lib") or f.groups.get("lib2") or f.groups.get("lib3") or f.groups.get("lib4")
           or f.groups.get("lib5") or f.groups.get("lib6") or f.groups.get("dll") or "") or (
               "libsndfile" if "sndfile library not found" in f.log else
               "libportaudio" if "PortAudio library not found" in f.log else library_named(f.log))
    special = shared_library_advice(f, lib, module, check)
    if special:
        return special
    package = library_packages(lib) if lib else None
    if package and on_windows(f):  # no system package manager: the wheel brings the DLL, or the package is broken
        module_of_lib = blocker_name(f) if f.blocker else "the package"
        return (f"The native library {lib} did not load: on Windows the package's own wheel brings it (soundfile ships "
                f"libsndfile in _soundfile_data, PyAudio PortAudio), so this install of {module_of_lib} is broken or came "
                f"from an sdist: reinstall it from a wheel (`{bare_pip(f)} install --force-reinstall --no-cache-dir "
                f"--only-binary=:all: {module_of_lib}`), in a conda env from conda-forge (`conda install -c conda-forge "
                f"{module_of_lib}`).",
                (f"{bare_pip(f)} install --force-reinstall --no-cache-dir --only-binary=:all: {module_of_lib}",))
    if package and (f.platform == "macos" or in_conda(f)):
        return missing_library_advice(f, lib, module, check)
    if package:  # an OS library no wheel brings (espeak, PortAudio): the OS package, whichever module loads it
        install = "sudo apt-get install -y " + package[0]
        return (f"The system library {lib} is not installed: install it with the OS package manager (`{install}` "
                f"on Debian/Ubuntu; other distributions package it under a similar name), then re-run.",
                (install,))
    if re.search(r"cuda_driver\.cc:\d+\] Check failed|failed call to cuInit", f.log):
        return ("TensorFlow's CUDA driver calls failed (the NVIDIA driver is older than this TensorFlow's CUDA, or the "
                "GPU is busy or absent): update the NVIDIA driver, or run on the CPU (`CUDA_VISIBLE_DEVICES=-1`, or the "
                "CPU-only TensorFlow); spleeter can also do its STFT without TensorFlow's GPU kernels (`-B librosa`).",
                ("nvidia-smi", set_env(f, "CUDA_VISIBLE_DEVICES", "-1")))
    if re.search(r"DNN library is not found|Could not load library cudnn|CuDNN library: [\d.]+ but source", f.log):
        return ("TensorFlow's GPU build found no cuDNN that matches it: install the cuDNN (and CUDA) version this "
                "TensorFlow was built with and put its libraries on the library path (LD_LIBRARY_PATH / PATH), or "
                "run on the CPU (`CUDA_VISIBLE_DEVICES=-1`, or the CPU-only TensorFlow).",
                ("nvidia-smi", 'python -c "import tensorflow as tf; print(tf.sysconfig.get_build_info())"'))
    cuda = re.search(r"(libcu\w+\.so(?:\.[\d.]+)?): cannot open shared object file", f.log)
    if cuda:
        return (f"The GPU build needs the CUDA runtime {cuda.group(1)}{cuda_versions(f.log)}: install the matching CUDA "
                f"toolkit/cuDNN and add its lib64 to LD_LIBRARY_PATH, or install the CPU build instead.",
                ("ldconfig -p | grep libcudart", "export LD_LIBRARY_PATH=/usr/local/cuda/lib64:$LD_LIBRARY_PATH", check))
    if not on_windows(f) and f.platform:
        if lib and not lib.lower().endswith(".dll"):
            return missing_library_advice(f, lib, module, check)
        return (f"A shared library {module} needs is missing: install it (or use the CPU build), then re-run `{check}`.",
                (check,))
    if re.search(r"[\\/](?:ana|mini)conda3?[\\/]", f.log, re.IGNORECASE) and re.search(
            r"Importing the multiarray numpy extension module failed|mkl_\w+\.dll|"
            r"numpy[\\/]core[\\/]__init__\.py\", line \d+[^\n]*\n\s*from \. import (?:_?multiarray)", f.log) and not re.search(
            r"conda activate|\(base\)|\([\w.-]+\) [A-Za-z]:\\", f.log):
        # conda's DLLs (MKL, OpenSSL, ...) live in the env's Library\bin: on PATH only once the env is activated
        return (f"This is a conda Python started without activating its environment, and conda keeps the DLLs its "
                f"packages load in the environment's Library\\bin, which is on PATH only once it is activated: run from "
                f"the Anaconda Prompt or after `conda activate ENV` (an IDE: select the conda env so it activates it); "
                f"if it still fails, reinstall {module} in that env (`conda install --force-reinstall {module}`).",
                ("conda activate base", check))
    return (f"Install the Microsoft Visual C++ Redistributable (2015-2022, x64; vc_redist.x64.exe brings msvcp140.dll), "
            f"check that the CPU supports AVX, and for a GPU build the CUDA/cuDNN versions it was built with; if it "
            f"still fails, reinstall {distribution(module)} cleanly in a fresh venv, then re-run `{check}`.{WINDOWS_DLL_NOTES.get(module, '')}{dll_file_note(f)}"
            f" The Dependencies tool (github.com/lucasg/Dependencies) opens the module's .pyd and names the DLL that "
            f"is missing.{went_back(f, module)}{store_python(f)}",
            ("winget install --id Microsoft.VCRedist.2015+.x64", check))


def conda_runtime_advice(f: Facts, module: str, check: str) -> Tuple[str, Tuple[str, ...]]:
    """A DLL whose initialisation fails inside a conda env: the env brings its own MSVC runtime (vs2015_runtime /
    vc14_runtime), and one older than the runtime the DLL was built with makes its initialisation fail."""
    update = "conda install -c conda-forge vs2015_runtime vc14_runtime"
    return (f"{module}'s DLL failed to initialise inside a conda environment, which puts its own Microsoft Visual C++ "
            f"runtime (the vs2015_runtime / vc14_runtime packages) ahead of the system's: an env runtime older than "
            f"the one {distribution(module)} was built with fails like this. Update it (`{update}`), install the "
            "latest Visual C++ Redistributable (x64) for the system as well, then re-run "
            f"`{check}`; or install {distribution(module)} in a fresh env.",
            (update, "winget install --id Microsoft.VCRedist.2015+.x64", check))


def package_data_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """Installed code whose data is a download of its own (UniDic, a spaCy pipeline, NLTK's corpora): run it with
    the Python that runs the program."""
    py = "python" if on_windows(f) else (f"python{f.python}" if f.python else "python3")
    if f.groups.get("pkg"):
        why, run = ("UniDic's dictionary (which MeCab/fugashi read) was never downloaded: installing unidic brings "
                    "only its downloader", f"{py} -m unidic download")
        other = " - or use the small bundled dictionary instead (`pip install unidic-lite`, then uninstall unidic)"
    elif f.groups.get("model"):
        why, run = (f"the spaCy pipeline {f.groups['model']} is a package of its own, not installed here",
                    f"{py} -m spacy download {f.groups['model']}")
        other = ""
    else:
        res = f.groups.get("res") or "RESOURCE"
        why, run = f"NLTK's data {res} was never downloaded", f"{py} -m nltk.downloader {res}"
        other = ""
    return (f"The package is installed, but {why}: run `{run}` with the Python that runs the program{other}, then "
            f"start it again.", (run,))


def model_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    if f.rule in ("model-url-failed", "hf-download-cut"):
        return library_model_advice(f)
    if f.rule == "hf-gated-model":
        return gated_model_advice(f)
    if f.rule == "package-data-not-downloaded":
        return package_data_advice(f)
    if not f.rule and not re.search(r"spleeter|pretrained_models|MODEL_PATH", f.log, re.IGNORECASE):
        return library_model_advice(f)  # a likeness verdict on another project's log: not spleeter's archive
    url = f.url or DEFAULT_MODEL_URL
    name = re.sub(r"\.tar\.gz$", "", url.rstrip("/").rsplit("/", 1)[-1]) or "2stems"
    target = f"pretrained_models\\{name}" if on_windows(f) else f"pretrained_models/{name}"
    here = "$PWD\\pretrained_models" if f.shell == "powershell" else "%CD%\\pretrained_models"
    model_path = set_env(f, "MODEL_PATH", here if on_windows(f) else "$PWD/pretrained_models")
    mkdir = f"mkdir {target}" if on_windows(f) else f"mkdir -p {target}"
    return (f"Download the model archive by hand ({url}) and unpack it under MODEL_PATH; spleeter then skips "
            f"the download.", (f"{curl(f)} -L -o {name}.tar.gz {url}", mkdir, f"tar -xzf {name}.tar.gz -C {target}",
                               model_path))


# a Hugging Face download (the hub's library, or transformers' loaders)
HF_CUE = re.compile(r"huggingface|hf_hub|transformers|from_pretrained|\.safetensors\b|force_download")

# where libraries keep the models they download (POSIX spelling; on Windows ~ is %USERPROFILE%)
MODEL_CACHES = (
    (re.compile(r"\bkeras\b"), "~/.keras/models"),
    (re.compile(r"\bwhisper(?!x)\b|openai-whisper"), "~/.cache/whisper"),
    (re.compile(r"\bsuno\b|\bbark\b"), "~/.cache/suno/bark_v0"),
    (re.compile(r"[\\/]TTS[\\/]|\bcoqui\b|tts_models"), "~/.local/share/tts (Windows: %LOCALAPPDATA%\\tts)"),
    (re.compile(r"audio[-_]separator"), "/tmp/audio-separator-models (or --model_file_dir)"),
    (HF_CUE, "~/.cache/huggingface/hub"),
    (re.compile(r"torch[\\/]hub|load_state_dict_from_url|demucs|torchvision"), "~/.cache/torch/hub/checkpoints"),
    (re.compile(r"\bnltk\b"), "~/nltk_data"),
    (re.compile(r"\binsightface\b"), "~/.insightface/models"),
)


def model_cache(f: Facts) -> Optional[str]:
    """The folder the library that failed keeps its downloaded models in, when the log names a known one."""
    return next((folder for cue, folder in MODEL_CACHES if cue.search(f.log)), None)


def library_model_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """A library's own model download failed: its hard-coded URL moved, the host refused, or the file is corrupt."""
    callers = re.findall(r"(?:site|dist)-packages[\\/]([A-Za-z][\w-]*)[\\/]", f.log)
    app = re.search(r"App Version: ([A-Za-z][\w-]*)", f.log)
    package = callers[-1] if callers else (app.group(1) if app else "the package that downloads it")
    # the file's URL, not a tracker the error asks to report to
    # (the rule's own URL first; never a notebook's localhost links)
    url = re.search(re.escape(f.url), f.log) if f.url and f.url in f.log else re.search(
        r"(?<!an issue on )https?://(?!localhost\b|127\.0\.0\.1\b)(?![^\s]*github\.com/[^\s/]+/[^\s/]+"
        r"(?:/issues|[.`]*\s))[^\s'\")`]+", f.log)
    hub = (" (for huggingface.co: `force_download=True` in from_pretrained / hf_hub_download fetches the file anew, a "
           "mirror via HF_ENDPOINT, or another network when a work network's proxy cuts large downloads; log in with "
           "`huggingface-cli login` if the model is gated)")
    how = (f"update {package} to its newest release" if app and not callers
           else f"upgrade {package} (`{bare_pip(f)} install --upgrade {package}`)" if callers
           else "upgrade the package that downloads it")
    folder = model_cache(f)
    if re.search(CHECKSUM, f.log, re.IGNORECASE):  # the file arrived and is wrong: fetching it again comes first
        # the model file itself, when the log names it (its path in a cache folder)
        named = re.findall(r"[\w./\\~:-]*[\\/][\w.-]+\.(?:bin|pt|pth|ckpt|onnx|safetensors|h5|pb|tar\.gz)\b", f.log)
        model_file = f" - {named[-1]} -" if named else ""
        return (f"The downloaded model file failed its checksum (a cut or altered download, a stale cached copy, or "
                f"a model replaced upstream): delete the model file{model_file} from its cache folder"
                f"{f' ({folder})' if folder else ''} so it is re-downloaded, or "
                f"download it manually{f' ({url.group(0)})' if url else ''} into that folder; if the fresh copy fails "
                f"too, {how} - newer releases carry the new checksums; behind a proxy set HTTPS_PROXY"
                f"{hub if HF_CUE.search(f.log) else ''}.",
                ((f"{curl(f)} -L -O {url.group(0)}",) if url else ()) or (f"{bare_pip(f)} install --upgrade PACKAGE",))
    where = f"the cache folder it reads ({folder})" if folder else "the cache folder it reads"
    return (f"The model download failed, not the install: delete the partial file from {where} and retry the "
            f"download; if it fails again, download the model manually{f' ({url.group(0)})' if url else ''} into that "
            f"folder, or {how} - newer releases point at moved model URLs and new checksums; behind a proxy or "
            f"firewall set HTTPS_PROXY{hub if HF_CUE.search(f.log) else ''}.",
            ((f"{bare_pip(f)} install --upgrade {package}",) if callers else ())
            + ((f"{curl(f)} -L -O {url.group(0)}",) if url else ())
            or (f"{bare_pip(f)} install --upgrade PACKAGE",))


def pyttsx3_driver_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """pyttsx3's driver is the platform's speech API: what it needs differs per OS, so say the user's first."""
    pip = bare_pip(f)
    if f.platform == "macos" or re.search(r"nsss\.py|\bobjc\b|AppKit|Foundation", f.log):
        return (f"pyttsx3's macOS driver (nsss) needs PyObjC, and old pyttsx3 releases import it wrongly "
                f"(`name 'objc' is not defined`): upgrade pyttsx3 and install PyObjC (`{pip} install --upgrade pyttsx3 "
                f"pyobjc`), then `import objc` to check.", (f"{pip} install --upgrade pyttsx3 pyobjc",))
    if on_windows(f):
        return (f"pyttsx3's Windows driver (sapi5) needs pywin32/comtypes: `{pip} install --upgrade pyttsx3 pywin32 "
                f"comtypes`, then run `python -c \"import win32com.client\"` to check.",
                (f"{pip} install --upgrade pyttsx3 pywin32 comtypes",))
    return ("pyttsx3's Linux driver loads the espeak library (libespeak.so.1), which is not installed: `sudo apt-get "
            "install -y espeak libespeak1` (or espeak-ng and libespeak-ng1), then retry; on macOS it needs PyObjC, on "
            "Windows pywin32.", ("sudo apt-get install -y espeak libespeak1",))
