"""Failure classes that the corpus has no real log for yet, on short messages in the tools' own wording.

These snippets are written here (synthetic, the error lines as the tools print them), so each test holds
only the category and a remedy key word; the real-log corpus in ``data/logs`` is the measure of accuracy.
"""
from __future__ import annotations

import string

import pytest

from harness.diagnose import diagnose_text
from harness.diagnose.rules import RULES

CASES = [
    # what Python took out of its standard library: the calling package's newer release or an older Python,
    # never `pip install <the stdlib name>`
    ('  File "/venv/lib/python3.13/site-packages/pydub/utils.py", line 2, in <module>\n    import audioop\n'
     "ModuleNotFoundError: No module named 'audioop'\n", "python-version-unsupported", "audioop-lts"),
    ('  File "C:\\Python310\\lib\\site-packages\\foo\\x.py", line 3\n'
     "AttributeError: module 'collections' has no attribute 'MutableMapping'\n", "python-version-unsupported",
     "collections.abc.MutableMapping"),
    ('  File "/usr/lib/python3.8/site-packages/foo/x.py", line 3\nModuleNotFoundError: No module named \'urllib2\'\n',
     "python-version-unsupported", "urllib.request"),
    # a binary built with a newer C++ compiler than the system's runtime; macOS's loader without a library
    ("ImportError: /lib64/libstdc++.so.6: version `GLIBCXX_3.4.29' not found (required by /opt/venv/lib/python3.11/"
     "site-packages/scipy/_lib/_uarray/_uarray.cpython-311-x86_64-linux-gnu.so)\n", "dll-load-failed", "libstdc++"),
    ("OSError: dlopen(/Users/me/venv/lib/python3.11/site-packages/torchaudio/lib/libtorchaudio_sox.so, 0x0006): "
     "Library not loaded: @rpath/libsox.dylib\n", "dll-load-failed", "brew install sox"),
    # uv's universal lock picked a release without a wheel for this platform
    ("error: Distribution `pyside6==6.9.0 @ registry+https://pypi.org/simple` can't be installed because it doesn't "
     "have a source distribution or wheel for the current platform\n", "no-wheel-for-platform", "required-environments"),
    ("RuntimeError: jaxlib version 0.4.14 is newer than and incompatible with jax version 0.4.6. Please update your "
     "jax and/or jaxlib packages.\n", "dependency-conflict", "--upgrade jax jaxlib"),
    ("[KeyRingError]\nUnable to store the password for poetry-repository-pypi in the key ring: Failed to create the "
     "collection: Prompt dismissed..\n", "other", "PYTHON_KEYRING_BACKEND"),
    ("OSError: MoviePy Error: creation of None failed because of the following error:\n\n[Errno 2] No such file or "
     "directory: 'unset'.\n\n.This error can be due to the fact that ImageMagick is not installed on your computer\n",
     "other", "IMAGEMAGICK_BINARY"),
    # an old pip's own wording before any build advice: upgrading pip comes first
    ("    Complete output from command python setup.py egg_info:\n    error: Microsoft Visual C++ 14.0 is required.\n",
     "msvc-build-tools-missing", "--upgrade pip"),
    # PyObjC's framework modules (pyttsx3's macOS driver)
    ("ModuleNotFoundError: No module named 'Foundation'\n", "other", "pip install pyobjc"),
    # a private index that wants credentials; a clash on Python itself (the project's own range)
    ("  HTTPError\n\n  401 Client Error: Unauthorized for url: https://gitlab.example.com/api/v4/projects/1/packages/"
     "pypi/files/x/foo-0.1-py3-none-any.whl\n  at ~/.poetry/lib/poetry/utils/authenticator.py:66\n", "network-or-index",
     "http-basic"),
    ("[SolverProblemError]\nBecause quart (0.6.1) requires Python >=3.6.1\n and no versions of quart match >0.6.1,<0.7.0, "
     "quart is forbidden.\nSo, because pysam depends on quart (^0.6.1), version solving failed.\n", "dependency-conflict",
     'python = ">=3.6.1"'),
    # conda's channels without an ARM build of the package; a CUDA build without the driver's __cuda
    ("Platform: linux-aarch64\nSolving environment: failed\n\nPackagesNotFoundError: The following packages are not "
     "available from current channels:\n\n  - pytorch-gpu\n", "no-wheel-for-platform", "pip install torch"),
    ("Could not solve for environment specs\nThe following package could not be installed\n└─ jaxlib 0.4.23 "
     "cuda120py311h is not installable because it requires\n   └─ __cuda >=12 , which is missing on the system.\n",
     "conda-env-conflict", "CONDA_OVERRIDE_CUDA"),
    # no rule's wording, but the words of the cause (rules/cues.py); the Python the message itself names
    ("RuntimeError: This package is not supported on Python 3.13; please use Python 3.12 or older\n",
     "python-version-unsupported", "Python 3.12"),
    ("pkg_resources.VersionConflict: (numpy 2.0.1 (c:\\x), Requirement.parse('numpy<2'))\n", "dependency-conflict",
     "fresh venv"),
    # torchvision follows torch's releases with its own numbers (torch 2.1 <-> torchvision 0.16)
    ("ERROR: Cannot install torch==2.1.0 and torchvision==0.15.2 because these package versions have conflicting "
     "dependencies.\n\nThe conflict is caused by:\n    The user requested torch==2.1.0\n    torchvision 0.15.2 depends "
     "on torch==2.0.1\n", "dependency-conflict", "torchvision==0.16.*"),
    # pip's check after an install: the installed version against the declared range
    ("ERROR: pip's dependency resolver does not currently take into account all the packages that are installed. "
     "This behaviour is the source of the following dependency conflicts.\nspleeter 2.4.2 requires numpy<2.0.0,>=1.16.0, "
     "but you have numpy 2.1.3 which is incompatible.\n", "dependency-conflict", '"numpy<2.0.0,>=1.16.0"'),
    ("Processing c:\\users\\me\\downloads\\tensorflow-2.10.1-cp310-cp310-win_amd64.whl\nERROR: Exception:\n"
     "Traceback (most recent call last):\n  File \"C:\\Python310\\lib\\site-packages\\pip\\_internal\\cli\\base_command.py\", "
     "line 160, in exc_logging_wrapper\n    status = run_func(*args)\n  File \"C:\\Python310\\lib\\zipfile.py\", line 1336, "
     "in _RealGetContents\n    raise BadZipFile(\"File is not a zip file\")\nzipfile.BadZipFile: File is not a zip file\n",
     "network-or-index", "pip cache purge"),
    ("torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 20.00 MiB\n", "other", "batch size"),
    ("AssertionError: Torch not compiled with CUDA enabled\n", "other", "download.pytorch.org/whl/cu"),
    ("  Building wheel for tokenizers (pyproject.toml) ... error\n      error: can't find Rust compiler\n"
     "  ERROR: Failed building wheel for tokenizers\n", "source-build-failed", "rustup"),
    ("  Building wheel for dlib (setup.py) ... error\n      ERROR: CMake must be installed to build dlib\n"
     "  ERROR: Failed building wheel for dlib\n", "source-build-failed", "pip install cmake"),
    ("  Building wheel for webrtcvad (setup.py) ... error\n  error: command 'gcc' failed: No such file or directory\n"
     "  ERROR: Failed building wheel for webrtcvad\n", "source-build-failed", "build-essential"),
    ("CondaHTTPError: HTTP 000 CONNECTION FAILED for url <https://conda.anaconda.org/conda-forge/win-64/"
     "current_repodata.json>\n", "network-or-index", "proxy_servers"),
    ("Could not solve for environment specs\nThe following packages are incompatible\n", "conda-env-conflict",
     "conda create"),
    ("Python was not found; run without arguments to install from the Microsoft Store, or disable this shortcut "
     "from Settings > Manage App Execution Aliases.\n", "interpreter-unavailable", "execution aliases"),
    ("OSError: PortAudio library not found\n", "dll-load-failed", "libportaudio2"),
    ("requests.exceptions.ConnectTimeout: HTTPSConnectionPool(host='huggingface.co', port=443): Max retries "
     "exceeded (Caused by ConnectTimeoutError(None, 'Connection to huggingface.co timed out. (connect timeout=10)'))\n",
     "timeout", "HF_ENDPOINT"),
    ("  File \"/x/site-packages/basicsr/utils/download_util.py\", line 5, in load_file_from_url\n"
     "urllib.error.HTTPError: HTTP Error 403: Forbidden\n", "model-download-failed", "upgrade basicsr"),
    ("FileNotFoundError: [Errno 2] No such file or directory: 'ffmpeg -y -i in.wav out.mp3'\n", "other",
     "argument list"),
    ("#7 12.3 ERROR: Cannot install numpy==1.20.1 and tensorflow==2.5.0 because these package versions have "
     "conflicting dependencies.\n#7 12.3 The conflict is caused by:\n#7 12.3     The user requested numpy==1.20.1\n"
     "#7 12.3     tensorflow 2.5.0 depends on numpy~=1.19.2\n", "dependency-conflict", "numpy~=1.19.2"),
    ("LINK : fatal error LNK1158: cannot run 'rc.exe'\n", "msvc-build-tools-missing", "Build Tools"),
    ("ERROR: Cannot uninstall 'PyYAML'. It is a distutils installed project and thus we cannot accurately determine "
     "which files belong to it which would lead to only a partial uninstall.\n", "other", "--ignore-installed"),
    ("Fatal Python error: init_fs_encoding: failed to get the Python codec of the filesystem encoding\n"
     "ModuleNotFoundError: No module named 'encodings'\n", "other", "PYTHONHOME"),
    ("CondaError: Run 'conda init' before 'conda activate'\n", "other", "conda init"),
    ("EnvironmentNameNotFound: Could not find conda environment: sep\n", "other", "conda create -n sep"),
    ("  File \"C:\\pip-install-x\\setup.py\", line 5, in <module>\nUnicodeDecodeError: 'gbk' codec can't decode "
     "byte 0x80 in position 42: illegal multibyte sequence\n", "metadata-generation-failed", "PYTHONUTF8=1"),
    ("UnicodeEncodeError: 'charmap' codec can't encode character '\\u2588' in position 0\n", "other", "chcp 65001"),
    ("ERROR: Cannot find command 'git' - do you have 'git' installed and in your PATH?\n", "other", "install Git"),
    ("ERROR: Invalid requirement: 'spleeter=2.4.2'\n", "other", "=="),
    ("AttributeError: module 'pkgutil' has no attribute 'ImpImporter'. Did you mean: 'zipimporter'?\n",
     "python-version-unsupported", "upgrade pip and setuptools"),
    ("ModuleNotFoundError: No module named 'tensorflow.contrib'\n", "dependency-conflict", "`tensorflow.contrib` was removed in tensorflow 2.0"),
    ("  fatal: unable to access 'https://github.com/x/y/': Failed to connect to github.com port 443 after 21035 ms: "
     "Timed out\n  error: subprocess-exited-with-error\n", "network-or-index", "github.com is reachable"),
    ("ERROR: Could not find a version that satisfies the requirement tensorflow (from versions: none)\nERROR: No "
     "matching distribution found for tensorflow\nERROR: tensorflow-1.14.0-cp36-cp36m-manylinux1_x86_64.whl is not a "
     "supported wheel on this platform.\n", "no-wheel-for-platform", "ARM board"),
    # a stdlib module of a Python compiled without the library's headers: install them and compile it again
    ("  File \"/home/u/.pyenv/versions/3.11.9/lib/python3.11/lzma.py\", line 27, in <module>\n"
     "    from _lzma import *\nModuleNotFoundError: No module named '_lzma'\n", "source-build-failed", "liblzma-dev"),
    # a bare program name subprocess could not start, with its OS package on macOS
    ("/Users/me/venv/lib/python3.11/site-packages/pydub/utils.py:170: RuntimeWarning\n  File \"/usr/lib/python3.11/"
     "subprocess.py\", line 1901, in _execute_child\nFileNotFoundError: [Errno 2] No such file or directory: 'sox'\n",
     "other", "brew install sox"),
    # pyttsx3's driver on Windows: pywin32/comtypes, not espeak
    ("  File \"C:\\Python311\\Lib\\site-packages\\pyttsx3\\driver.py\", line 50, in __init__\n"
     "    self._module = importlib.import_module(name)\nModuleNotFoundError: No module named 'win32com'\n",
     "other", "pywin32"),
    # the pin is the problem when the index's own list shows releases that do have files
    ("ERROR: Could not find a version that satisfies the requirement pyworld==0.2.10 (from versions: 0.2.12, 0.3.0, "
     "0.3.4)\nERROR: No matching distribution found for pyworld==0.2.10\n", "python-version-unsupported", "pyworld>=0.2.12"),
    # the same name, another project: python-dotenv meant, `dotenv` installed
    ("ImportError: cannot import name 'load_dotenv' from 'dotenv' (/x/site-packages/dotenv/__init__.py)\n",
     "wrong-ffmpeg-package", "python-dotenv"),
    # a DLL of another version loaded first, in conda: one channel, a new env
    ("  File \"C:\\Users\\me\\miniconda3\\lib\\site-packages\\scipy\\__init__.py\", line 1\n"
     "ImportError: DLL load failed while importing _ufuncs: The specified procedure could not be found.\n",
     "dll-load-failed", "conda create -n fresh -c conda-forge"),
    # the library names say which CUDA/cuDNN a GPU build wants
    ("ImportError: libcublasLt.so.12: cannot open shared object file: No such file or directory\n", "dll-load-failed",
     "CUDA 12"),
    # any gated Hugging Face repo: its own page and a token, not pyannote's pipeline call
    ("OSError: Cannot access gated repo for url https://huggingface.co/meta-llama/Llama-2-7b-hf/resolve/main/config.json.\n"
     "  File \"/x/site-packages/huggingface_hub/utils/_errors.py\", line 1\n", "model-download-failed",
     "hf.co/meta-llama/Llama-2-7b-hf"),
    # torchaudio's sox backends exist only on Linux/macOS; soundfile is there
    ('RuntimeError: Backend "sox_io" is not one of available backends: [\'soundfile\'].\n', "other",
     'set_audio_backend("soundfile")'),
    # ... and of the classes blind17's tuning part showed
    ("/venv/lib/python3.12/site-packages/polars/_cpu_check.py:232: RuntimeWarning: Missing required CPU features.\nThe following required CPU features were not detected:\n"
     "    avx2, fma\n", "cpu-without-avx", "polars-lts-cpu"),
    ("UnsatisfiableError: The following specifications were found to be incompatible with each other:\n"
     "  - python=3.12\n  - pytorch=1.13\n", "conda-env-conflict", "conda create"),
    ("/usr/local/bin/sox: symbol lookup error: /usr/local/bin/sox: undefined symbol: sox_init_v2\n",
     "dll-load-failed", "ldconfig"),
    ("ERROR: An error occurred during the fetch of repository 'go_sdk':\njavax.net.ssl.SSLHandshakeException: PKIX "
     "path building failed: unable to find valid certification path to requested target\n", "ssl-certificate",
     "keytool"),
    ("pyenv: python3.9: command not found\n\nThe `python3.9' command exists in these Python versions:\n  3.9.18\n",
     "interpreter-unavailable", "pyenv local 3.9.18"),
    ("ERROR: scipy-1.9.3-cp310-cp310-macosx_11_0_x86_64.whl is not a supported wheel on this platform.\n",
     "no-wheel-for-platform", "SYSTEM_VERSION_COMPAT"),
    ("OSError: Consistency check failed: file should be of size 1340 but has size 12 (pytorch_model.bin).\n"
     "We are sorry for the inconvenience. Please retry with `force_download=True`.\n", "model-download-failed",
     "force_download=True"),
    ("$ sudo pip install librosa\nSuccessfully installed librosa-0.10.1\n$ which python\n/home/me/venv/bin/python\n"
     "$ python -c 'import librosa'\nModuleNotFoundError: No module named 'librosa'\n", "wrong-interpreter",
     "without sudo"),
    # session 12: variants, in the tools' own wording, of the classes blind16 showed
    ("Processing ./wheels/somepkg-1.0.tar.gz\n  Installing build dependencies: finished with status 'error'\n"
     "      Looking in links: wheels\n      ERROR: No matching distribution found for setuptools>=61\n",
     "build-backend-missing", "pip download setuptools wheel"),
    ("Processing /src/scipy\n  Preparing metadata (pyproject.toml): started\n"
     "  meson-python: error: Could not find meson version 0.64.0 or newer, found .\n",
     "build-backend-missing", "git submodule update --init"),
    ("  File \"setup.py\", line 90, in run\nException: Cython-generated file 'pkg/_core.c' not found.\n",
     "build-backend-missing", "pip install cython"),
    ("  File \"setup.py\", line 12, in <module>\n    raise RuntimeError('Not supported on 32-bit Windows')\n"
     "RuntimeError: Not supported on 32-bit Windows\n", "python-32-bit", "64-bit Python"),
    ("pip._vendor.pkg_resources.VersionConflict: (pip 24.0 (/usr/lib/python3/site-packages), "
     "Requirement.parse('pip==23.3.1'))\n", "other", "-m pip"),
    ('Traceback (most recent call last):\n  File "/home/me/numpy.py", line 1, in <module>\n    import numpy.linalg\n'
     "ModuleNotFoundError: No module named 'numpy.linalg'; 'numpy' is not a package\n", "other", "rename the file"),
    ("Skipping wheel pyyaml-5.3-cp36-cp36m-win_amd64.whl as this is not supported by the current environment\n"
     "Skipping wheel pyyaml-5.3-cp37-cp37m-win_amd64.whl as this is not supported by the current environment\n",
     "python-version-unsupported", "poetry update pyyaml"),
    ("ERROR: HTTP error 403 while getting https://files.pythonhosted.org/packages/ab/cd/numpy-2.1.0.tar.gz\n"
     "ERROR: 403 Client Error: Forbidden for url: https://files.pythonhosted.org/packages/ab/cd/numpy-2.1.0.tar.gz\n",
     "network-or-index", "pip cache purge"),
    ("ImportError: dlopen(/Users/me/venv/lib/python3.11/site-packages/psycopg2/_psycopg.cpython-311-darwin.so, 2): "
     "Library not loaded: /opt/homebrew/opt/postgresql@14/lib/libpq.5.dylib\n  Reason: image not found\n",
     "dll-load-failed", "--no-cache-dir"),
    ("OSError: /home/me/miniconda3/envs/tts/bin/../lib/libstdc++.so.6: version 'GLIBCXX_3.4.30' not found (required "
     "by /usr/lib/x86_64-linux-gnu/libLLVM-15.so.1)\n", "dll-load-failed", "libstdcxx-ng"),
    # a DLL whose initialisation fails outside TensorFlow, in a conda env: the env's own MSVC runtime
    ('  File "C:\\Users\\me\\miniconda3\\envs\\ai\\lib\\site-packages\\ctranslate2\\__init__.py", line 8\n'
     "ImportError: DLL load failed while importing _ext: A dynamic link library (DLL) initialization routine failed.\n",
     "dll-load-failed", "vc14_runtime"),
    # a build script that finds no cmake program (scikit-build's, a plain setup.py's)
    ("  Traceback (most recent call last):\n  File \"setup.py\", line 40, in <module>\n"
     "  RuntimeError: CMake must be installed to build the following extensions: sentencepiece\n",
     "source-build-failed", "pip install cmake"),
    # the newest release of a wheel-shipping package taken as an sdist on a Python its line supports
    ("Python 3.10.11\nCollecting scipy\n  Downloading scipy-1.15.0.tar.gz (59.2 MB)\n"
     "  Installing build dependencies ... done\n  Preparing metadata (pyproject.toml) ... error\n"
     "  error: subprocess-exited-with-error\n", "python-version-unsupported", 'scipy<1.15'),
    # pip before 20.3 on macOS 11 or later matches no wheel at all
    ("# user: macOS Monterey 12.1, Python 3.9\nUsing pip 20.1.1 from /usr/local/lib/python3.9/site-packages/pip "
     "(python 3.9)\nERROR: Could not find a version that satisfies the requirement numpy (from versions: none)\n"
     "ERROR: No matching distribution found for numpy\n", "no-wheel-for-platform", "--upgrade pip"),
    # setuptools' build folder of a 32-bit Windows Python, in a build that then fails
    ("  copying src\\foo\\x.py -> build\\lib.win32-3.8\\foo\n  running build_ext\n"
     "  error: Microsoft Visual C++ 14.0 or greater is required.\n", "python-32-bit", "64-bit"),
    # a project's .python-version that its own requires-python excludes
    ("error: The Python request from `.python-version` resolved to Python 3.10.14, which is incompatible with the "
     "project's Python requirement: `>=3.12`\n", "python-version-unsupported", "uv python pin"),
    # a 32-bit Python building a package that does ship 32-bit wheels for other releases: the previous one may have
    ("Python 3.9.7 (32bit) on Windows 10\n  ValueError: jpeg is required unless explicitly disabled using "
     "--disable-jpeg, aborting\nERROR: Failed building wheel for pillow\n", "python-32-bit", "previous version"),
    # MSVC's missing-header message in another language (the header in double quotes)
    ("  foo.c(3): fatal error C1083: No se puede abrir el archivo incluir: \"mysql.h\": No such file or directory\n"
     "  ERROR: Failed building wheel for mysqlclient\n", "source-build-failed", "PyMySQL"),
    # a C library the build links (ld's -lNAME) or loads: its -dev package; clang's header on the next line
    ("  /usr/bin/ld: cannot find -lsndfile: No such file or directory\n  collect2: error: ld returned 1 exit status\n"
     "  error: command '/usr/bin/gcc' failed with exit code 1\n  ERROR: Failed building wheel for pysndfx\n",
     "source-build-failed", "libsndfile1-dev"),
    ("  src/api_compat.h:27:10: fatal error:\n        'portaudio.h' file not found\n  1 error generated.\n"
     "  error: command '/usr/bin/clang' failed with exit code 1\n  ERROR: Failed building wheel for pyaudio\n",
     "source-build-failed", "portaudio19-dev"),
    ("  RuntimeError: llvm-config failed executing, please point LLVM_CONFIG to the path for llvm-config\n"
     "  ERROR: Failed building wheel for llvmlite\n", "source-build-failed", "LLVM_CONFIG"),
    # resolvers that give up (PDM's loop limit), a CUDA extension without a toolkit, an extension for another torch
    ("$ pdm lock\n\u2716 Lock failed\nThe dependency resolution exceeds the maximum loop depth of 10000, there may be "
     "some circular dependencies in your project.\n[ResolutionTooDeep]: 10000\n", "resolver-backtracking",
     "resolve_max_rounds"),
    ("  File \"/tmp/pip-build/setup.py\", line 40, in <module>\n  OSError: CUDA_HOME environment variable is not set. "
     "Please set it to your CUDA install root.\n  ERROR: Failed building wheel for flash-attn\n",
     "source-build-failed", "CUDA_HOME"),
    ("WARNING[XFORMERS]: xFormers can't load C++/CUDA extensions. xFormers was built for:\n    PyTorch 2.3.0+cu121 "
     "with CUDA 1201 (you have 2.4.1+cu124)\n    Python  3.11.9 (you have 3.11.9)\n", "dll-load-failed",
     "torch 2.4.1+cu124"),
    ("  File \"/venv/lib/python3.11/site-packages/somepkg/utils/download.py\", line 73, in download_file\n"
     "RuntimeError: Failed downloading url https://example.org/releases/download/v1/models.zip\n",
     "model-download-failed", "https://example.org/releases/download/v1/models.zip"),
    # a C library's config program on Windows: a wheel or conda-forge; a pure-Python backend no index offers
    ("C:\\Users\\me>pip install rasterio==1.0.13\n  A GDAL API version must be specified. Provide a path to gdal-config "
     "using a GDAL_CONFIG environment variable or use a GDAL_VERSION environment variable.\n",
     "source-build-failed", "conda install -c conda-forge rasterio"),
    ("Setting up build environment\nERROR: Could not find a version that satisfies the requirement flit_core>=3.4 "
     "(from versions: none)\nERROR: No matching distribution found for flit_core>=3.4\n", "network-or-index", "pip.conf"),
    # pipx's own report of pip's output; interpreters tox or an installer cannot find
    ("PIP STDERR\n----------\nERROR: Ignored the following versions that require a different python version: 1.4.0 "
     "Requires-Python >=3.9,<3.12\nERROR: Could not find a version that satisfies the requirement mytool (from "
     "versions: none)\nERROR: No matching distribution found for mytool\n", "python-version-unsupported",
     "pipx install --python"),
    ("py39 create: /work/.tox/py39\nERROR: InterpreterNotFound: python3.9\n", "interpreter-unavailable",
     "skip_missing_interpreters"),
    ("\"No python was detected on your system. Please install Python version 3.10.0 or higher.\"\n",
     "interpreter-unavailable", "Add python.exe to PATH"),
    # Python 2 met: a setup.py's guard, a build tool's interpreter query, its unquoted ImportError
    ("  Complete output (1 lines):\n  ERROR: somekernel requires Python version 3.6 or above.\n",
     "python-version-unsupported", "Python 3.11"),
    ("  AttributeError: 'module' object has no attribute 'base_prefix'\n  \U0001f4a5 maturin failed\n    Caused by: python "
     "is not a valid python interpreter\n", "wrong-interpreter", "-i python3"),
    ("Traceback (most recent call last):\n  File \"app.py\", line 1, in <module>\n    import requests_toolbelt\n"
     "ImportError: No module named requests_toolbelt\n", "wrong-interpreter", "python3 -m pip install"),
    # a pasted typographic dash; releases hidden by Requires-Python; an extension for another Python's DLL
    ("$ pip install scikit\u2011learn\nERROR: Could not find a version that satisfies the requirement scikit\u2011learn "
     "(from versions: none)\n", "other", "scikit-learn"),
    ("ERROR: Could not find a version that satisfies the requirement pandas>=2.1 (from versions: 1.0.0, 1.1.5, 1.2.5, "
     "1.3.5)\nERROR: No matching distribution found for pandas>=2.1\n", "python-version-unsupported", "Upgrade Python"),
    ("  File \"C:\\Py37\\lib\\site-packages\\fastlib\\__init__.py\", line 3, in <module>\n    from . import _core\n"
     "ImportError: Module use of python39.dll conflicts with this version of Python.\n", "python-version-unsupported",
     "Python 3.9"),
    # PowerShell's error record alone; a stalled large download; torch 2.4.0's fbgemm.dll
    ("    + CategoryInfo          : ObjectNotFound: (gradio:String) [], CommandNotFoundException\n"
     "    + FullyQualifiedErrorId : CommandNotFoundException\n", "wrong-interpreter", "Scripts\\activate"),
    ("  Downloading torch-2.5.1-cp311-cp311-manylinux1_x86_64.whl (906.4 MB)\nERROR: Exception:\nTraceback (most recent "
     "call last):\n  File \"/v/lib/python3.11/site-packages/pip/_vendor/urllib3/response.py\", line 438, in "
     "_error_catcher\n    yield\n  File \"/usr/lib/python3.11/socket.py\", line 720, in readinto\n", "timeout",
     "--default-timeout"),
    ("OSError: [WinError 126] The specified module could not be found. Error loading \"C:\\v\\Lib\\site-packages\\"
     "torch\\lib\\fbgemm.dll\" or one of its dependencies.\n", "dll-load-failed", "libomp140"),
    # pipenv's one-line clash of a pin; poetry 0.12's project range
    ("Locking [packages] dependencies...\nCould not find a version that matches requests==2.19.0,>=2.20\n",
     "dependency-conflict", "relax the pin"),
    ("[SolverProblemError]\nThe current supported Python versions are >=2.7\nBecause no versions of black match "
     ">19.3b0\n and black (19.3b0) requires Python >=3.6, black is forbidden.\n", "python-version-unsupported",
     "Python constraint"),
    # a conda build needing a newer OS than pixi's system-requirements; WeasyPrint's Pango; a Linux-only package
    ("$ pixi install\n  \u00d7 failed to solve the conda requirements of 'default' 'osx-arm64'\n      \u2514\u2500 foo 1.2.0 "
     "would require\n         \u2514\u2500 __osx >=14.0, for which no candidates were found.\n", "no-wheel-for-platform",
     'macos = "14.0"'),
    ("\nWeasyPrint could not import some external libraries. Please carefully follow the installation steps before "
     "reporting an issue:\n", "dll-load-failed", "libpango-1.0-0"),
    ("C:\\src>pip install somellm\n      somellm only supports Linux platform (including WSL).Building on win32\n"
     "  ERROR: Failed building wheel for somellm\n", "source-build-failed", "WSL2"),
    # Intel-only macOS wheels on Apple silicon; a tox env's own command locked; pixi behind a TLS-intercepting proxy
    ("Using pip 23.1 from /opt/homebrew/lib/python3.11/site-packages/pip (python 3.11)\nERROR: Could not find a "
     "version that satisfies the requirement oldaudio (from versions: none)\n", "no-wheel-for-platform", "Rosetta 2"),
    ("PermissionError: [WinError 32] The process cannot access the file because it is being used by another process: "
     "'C:\\proj\\.tox\\py311\\Scripts\\hatch.exe'\n", "permission-denied", "tox -r"),
    ("C:\\w>pixi install\n  |-> error sending request for url (https://repo.corp/simple/x/)\n  `-> invalid peer "
     "certificate: UnknownIssuer\n", "ssl-certificate", "tls-root-certs"),
    # mamba into an Anaconda base that cannot take it: Miniforge, not a new env
    ("(base) C:\\Users\\me>conda install -c conda-forge mamba\nCollecting package metadata (current_repodata.json): "
     "done\nSolving environment: failed with initial frozen solve. Retrying with flexible solve.\n"
     "Solving environment: failed with repodata from current_repodata.json, will retry with next repodata source.\n"
     "Collecting package metadata (repodata.json): done\nSolving environment: /\n", "conda-env-conflict",
     "Miniforge"),    # distutils imported by a program at run time (not a build); CMake 4's dropped minimum; Windows's paging file;
    # a DLL of the other bitness; NumPy's C header in a build; a module whose distribution has another name
    ('  File "C:\\Users\\me\\venv\\Lib\\site-packages\\oldtool\\util.py", line 3, in <module>\n'
     "    from distutils.version import LooseVersion\nModuleNotFoundError: No module named 'distutils'\n",
     "python-version-unsupported", "upgrade oldtool"),
    ("  CMake Error at CMakeLists.txt:1 (cmake_minimum_required):\n    Compatibility with CMake < 3.5 has been removed "
     "from CMake.\n\n  ERROR: Failed building wheel for oldext\n", "source-build-failed", "CMAKE_POLICY_VERSION_MINIMUM=3.5"),
    ('OSError: [WinError 1455] The paging file is too small for this operation to complete. Error loading "C:\\venv\\'
     'lib\\site-packages\\torch\\lib\\cudnn_cnn_infer64_8.dll" or one of its dependencies.\n', "other",
     "increase the paging file"),
    ('  File "C:\\Python38-32\\lib\\site-packages\\pyfoo\\__init__.py", line 2, in <module>\n    from ._core import run\n'
     "ImportError: DLL load failed: %1 is not a valid Win32 application.\n", "dll-load-failed", "64-bit Python"),
    ("    src/ext.c:3:10: fatal error: numpy/arrayobject.h: No such file or directory\n    compilation terminated.\n"
     "  ERROR: Failed building wheel for oldext\n", "build-backend-missing", "--no-build-isolation oldext"),
    ('  File "/venv/lib/python3.11/site-packages/voice/listen.py", line 1, in <module>\n    import speech_recognition\n'
     "ModuleNotFoundError: No module named 'speech_recognition'\n", "other", "install SpeechRecognition"),
    # setuptools 78.0.1 refused setup.cfg's dash-separated keys (description-file): a build constraint below 78
    ("  Getting requirements to build wheel ... error\n      setuptools.errors.InvalidConfigError: Invalid dash-separated "
     "key 'description-file' in 'metadata' (setup.cfg), please use the underscore name 'description_file' instead.\n",
     "build-backend-missing", "setuptools<78"),
    # an illegal instruction right after importing one package: that package's prebuilt code (dlib's AVX builds)
    ('$ python3 -c "import dlib"\nIllegal instruction (core dumped)\n', "cpu-without-avx", "USE_AVX_INSTRUCTIONS"),
    (">>> import fastmodel\nIllegal instruction (core dumped)\n", "cpu-without-avx", "--no-binary fastmodel"),
    # apt's broken state under a build's missing header: apt's own fix first
    ("The following packages have unmet dependencies:\n portaudio19-dev : Depends: libportaudio2 (= 19.6.0-1build1) but "
     "19.6.0-1.1 is to be installed\nE: Unable to correct problems, you have held broken packages.\n    fatal error: "
     "portaudio.h: No such file or directory\n", "other", "apt --fix-broken install"),
    # a package's exact pin replaced the torch the others were installed for: its release made for the old torch
    ("Collecting torch==2.3.0 (from xformers)\n  Attempting uninstall: torch\n    Found existing installation: torch "
     "2.1.2+cu121\nERROR: pip's dependency resolver does not currently take into account all the packages that are "
     "installed.\ntorchvision 0.16.2+cu121 requires torch==2.1.2, but you have torch 2.3.0 which is incompatible.\n",
     "dependency-conflict", '"xformers" "torch==2.1.2"'),
    # a Rust extension whose PyO3 is older than the Python: the release made for it, or the Python before
    ("  Building wheel for orjson (pyproject.toml) ... error\n  error: the configured Python interpreter version (3.14) "
     "is newer than PyO3's maximum supported version (3.13)\n", "python-version-unsupported", "Python 3.13"),
    ("      error[E0425]: cannot find function `_PyLong_AsByteArray` in module `pyo3::ffi`\n  ERROR: Failed building "
     "wheel for rpds-py\n", "python-version-unsupported", "upgrade rpds-py"),
    # a PyInstaller older than the Python it runs on (its log header names both)
    ("120 INFO: PyInstaller: 4.0\n121 INFO: Python: 3.9.0\n122 INFO: Platform: Linux-5.4\nTraceback (most recent call "
     "last):\n  File \"/v/lib/python3.9/site-packages/PyInstaller/depend/bytecode.py\", line 9\nIndexError: tuple index "
     "out of range\n", "python-version-unsupported", "PyInstaller 4.1"),
    # libcurl's low-speed abort (mamba, micromamba, libmamba): the check is switched off, not the timeout raised
    ("$ micromamba install -c conda-forge pytorch\nOperation too slow. Less than 30 bytes/sec transferred the last 60 "
     "seconds\n", "timeout", "MAMBA_NO_LOW_SPEED_LIMIT=1"),
    # bitsandbytes without a binary for the CUDA found, or (before 0.43) on Windows at all
    ("CUDA SETUP: Required library version not found: libbitsandbytes_cuda118_nocublaslt.so. Maybe you need to compile "
     "it from source?\nCUDA SETUP: Defaulting to libbitsandbytes_cpu.so...\n", "no-wheel-for-platform",
     "upgrade bitsandbytes"),
    ("CUDA SETUP: Loading binary D:\\envs\\tg\\lib\\site-packages\\bitsandbytes\\libbitsandbytes_cuda117.so...\n"
     "argument of type 'WindowsPath' is not iterable\n", "no-wheel-for-platform", "WSL2"),
    # the operating system's own library older than the one a wheel was built against
    ("ImportError: /usr/lib/x86_64-linux-gnu/libcrypto.so.1.1: undefined symbol: EVP_MD_get_size, version "
     "OPENSSL_3.0.0\n", "dll-load-failed", "OpenSSL 1.1.1 or later"),
    # data a package downloads in a step of its own after pip: the download, for the package that needs it
    ("OSError: [E050] Can't find model 'en_core_web_sm'. It doesn't seem to be a Python package or a valid path to a "
     "data directory.\n", "model-download-failed", "-m spacy download en_core_web_sm"),
    ("  Resource punkt not found.\n  Please use the NLTK Downloader to obtain the resource:\n", "model-download-failed",
     "-m nltk.downloader punkt"),
    ("error message from MeCab: [ifs] no such file or directory: /opt/venv/lib/python3.11/site-packages/unidic/dicdir/"
     "mecabrc\n", "model-download-failed", "-m unidic download"),
    # an old pip's md5 check of a download that arrived cut
    ("  Bad md5 hash for package https://pypi.python.org/packages/source/n/numpy/numpy-1.9.2.tar.gz#md5=a1ed53432dbcd2"
     "56398898d35bc8e645\n", "network-or-index", "--no-cache-dir"),
    # CMake on Windows falling back to NMake: no Visual Studio compiler at all
    ("  -- Building for: NMake Makefiles\n  -- The C compiler identification is unknown\n  CMake Error at CMakeLists.txt:3 "
     "(project):\n  ERROR: Failed building wheel for pyfoo\n", "msvc-build-tools-missing", "Desktop development with C++"),
    # a compiler that is not installed, under its target-prefixed name; Termux's own package manager for it
    ("  unable to execute 'x86_64-linux-gnu-gcc': No such file or directory\n  error: command 'x86_64-linux-gnu-gcc' failed "
     "with exit status 1\n", "source-build-failed", "build-essential"),
    ("$ pip install pycryptodome\n    Running command /data/data/com.termux/files/usr/bin/python3 setup.py install\n    "
     "unable to execute 'aarch64-linux-android-clang': No such file or directory\n", "source-build-failed",
     "pkg install clang"),
    # pixi's PyPI solve held by its lock file (or a conda dependency)
    ("  × failed to solve the pypi requirements of 'default' 'linux-64'\n  ╰─▶ Because only black<24.1 is available and "
     "you require black>=24.1, we can conclude that the requirements are unsatisfiable.\n", "dependency-conflict",
     "pixi update black"),
    # installing a torch companion uninstalled the torch the environment had
    ("$ pip install torchaudio\nInstalling collected packages: torch, torchaudio\n  Attempting uninstall: torch\n    "
     "Found existing installation: torch 2.2.0+cu118\n    Uninstalling torch-2.2.0+cu118:\n      Successfully "
     "uninstalled torch-2.2.0+cu118\n", "dependency-conflict", "whl/cu118"),
    # setup() rejecting what setuptools removed, in a log that shows no build step: the metadata step's failure
    ("error in oldpkg setup command: use_2to3 is invalid.\n", "metadata-generation-failed", "setuptools<58"),
    # setuptools copying a deep file into its Windows build folder: MAX_PATH with pip's temp dir in front
    ("  error: could not create 'build\\bdist.win-amd64\\wheel\\.\\deepkit\\kernels\\configs\\tuned\\"
     "device_name=NVIDIA_GeForce_RTX_4090,dtype=fp8_w8a8,block_shape=[128,128],num_warps=8.json': No such file or "
     "directory\n  ERROR: Failed building wheel for deepkit\n", "long-path", "LongPathsEnabled"),
    # flash-attn's setup.py checking CUDA_HOME itself, the traceback cut before its message
    ('    File "/tmp/pip-install-x/flash-attn_0a1b/setup.py", line 249, in run\n      raise_if_cuda_home_none('
     '"flash_attn")\n', "source-build-failed", "CUDA_HOME"),
    # a source archive's setup.py that does not parse on this Python: Python 2 code wants a newer release, other
    # syntax a newer Python
    ("    Complete output from command python setup.py egg_info:\n    Traceback (most recent call last):\n      File "
     "\"/tmp/pip-build-ab12cd/oldpkg/setup.py\", line 12\n        print 'installing'\n                         ^\n    "
     "SyntaxError: Missing parentheses in call to 'print'\n", "python-version-unsupported", "install --upgrade oldpkg"),
    ('      File "C:\\Users\\me\\AppData\\Local\\Temp\\pip-install-k2j3\\newpkg_0123456789abcdef0123456789abcdef\\'
     'setup.py", line 8\n        name=f"newpkg-{VERSION}",\n                            ^\n    SyntaxError: invalid '
     "syntax\n", "python-version-unsupported", "newer Python"),
    # jax's older wording of a jaxlib too old for it
    ("ValueError: jaxlib is version 0.1.50, but this version of jax requires version 0.1.52.\n", "dependency-conflict",
     "--upgrade jax jaxlib"),
    # waf probing for any C compiler (PyInstaller's bootloader); Alpine's toolchain package
    ("  Checking for 'gcc' (C compiler)          : not found\n  Checking for 'clang' (C compiler)        : not found\n"
     "  could not configure a C compiler!\n", "source-build-failed", "gcc or clang"),
    ("FROM alpine:3.19\nRUN apk add python3 py3-pip\n  unable to execute 'gcc': No such file or directory\n  error: "
     "command 'gcc' failed with exit status 1\n", "source-build-failed", "apk add --no-cache build-base"),
    # old bitsandbytes' own CUDA setup giving up
    ("RuntimeError:\n        CUDA Setup failed despite GPU being available. Please run the following command to get "
     "more information:\n", "dll-load-failed", "upgrade bitsandbytes"),
    # an editable meson-python install rebuilding with the tools of pip's deleted build env
    ('  File "/home/me/venv/lib/python3.12/site-packages/_mypkg_editable_loader.py", line 310, in rebuild\n    '
     "subprocess.run(self._build_cmd, cwd=self._build_path, env=env, stdout=stdout, check=True)\nFileNotFoundError: "
     "[Errno 2] No such file or directory: '/tmp/pip-build-env-x1y2/normal/bin/ninja'\n", "build-backend-missing",
     "--no-build-isolation -e ."),
    # pip before 19.0 in its old wording, skipping a manylinux2010 wheel for this very Python
    ("Python 3.6.9\nSkipping link https://files.pythonhosted.org/packages/ab/cd/shapely-1.7.0-cp36-cp36m-manylinux2010_"
     "x86_64.whl#sha256=0123 (from https://pypi.org/simple/shapely/) (requires-python:>=3.5); it is not compatible with "
     "this Python\n", "pip-outdated", "upgrade pip"),
    # mamba refusing a pin the environment already breaks
    ("Your pinning does not match what's currently installed. Please remove the pin and fix your installation\n  Pin: "
     "python 3.9.*\n  Currently installed: conda-forge/linux-64::python==3.10.4=h12345_0\n", "conda-env-conflict",
     "remove the pin"),
    # Pillow's own check for the image libraries before compiling
    ("  The headers or library files could not be found for jpeg,\n  a required dependency when compiling Pillow from "
     "source.\n  ERROR: Failed building wheel for Pillow\n/home/me/venv/bin/python\n", "source-build-failed",
     "libjpeg-dev"),
    # the MySQL client's headers on Windows: Connector/C (or a driver that needs no build)
    ("_mysql.c(29): fatal error C1083: Cannot open include file: 'my_config.h': No such file or directory\nerror: "
     "command 'C:\\Program Files (x86)\\Microsoft Visual Studio 14.0\\VC\\BIN\\cl.exe' failed with exit status 2\n",
     "source-build-failed", "Connector/C"),
    # old generated C against a newer Python's C API
    ("      src/fastpkg/_speedups.c:1201:38: error: 'PyThreadState' {aka 'struct _ts'} has no member named "
     "'use_tracing'\n  ERROR: Failed building wheel for fastpkg\n", "python-version-unsupported", "Python 3.10"),
    # another package's extension built against one torch release
    ("ImportError: /venv/lib/python3.11/site-packages/fastattn/_C.cpython-311-x86_64-linux-gnu.so: undefined symbol: "
     "_ZN3c1021throwNullDataPtrErrorEv\ntorch: 2.3.0\n", "dependency-conflict", "downgrade torch"),
    # pip's build step running under a Python 2.7 first on PATH
    ("    ERROR: Command errored out with exit status 1:\n     command: 'C:\\Python27\\python.exe' 'C:\\Python27\\lib\\"
     "site-packages\\pip\\_vendor\\pep517\\_in_process.py' get_requires_for_build_wheel 'c:\\temp\\tmp1'\n",
     "wrong-interpreter", "py -3 -m pip"),
    # a library's own check naming the release it needs and the command; a notebook restarts after it
    ("ImportError: Using `load_in_8bit=True` requires `accelerate>=0.26.0`: Please run `pip install accelerate -U`\n",
     "other", "restart the runtime"),
    # the header Python 3.11 moved, and MSVC's C2039 in another language, as a newer Python's C API
    ("      uvloop/loop.c:123:12: fatal error: longintrepr.h: No such file or directory\n  ERROR: Failed building wheel "
     "for uvloop\n", "python-version-unsupported", "Python 3.10"),
    ('      yarl/_quoting_c.c(2112): error C2039: "ob_digit": \u4e0d\u662f "_longobject" \u7684\u6210\u5458\n',
     "python-version-unsupported", "upgrade yarl"),
    # a build script's own words for no Visual Studio
    ("    raise Exception('Please install Visual Studio or MS Build first')\nException: Please install Visual Studio or "
     "MS Build first\n", "msvc-build-tools-missing", "Desktop development with C++"),
    # a package whose own build refuses Windows: WSL, or a marker that leaves it out there
    ("  Preparing metadata (setup.py) ... error\n    RuntimeError: uwsgi does not support Windows\n",
     "no-wheel-for-platform", "sys_platform != 'win32'"),
    ("  Preparing metadata (setup.py) ... error\n    RuntimeError: This package does not support Windows\n",
     "no-wheel-for-platform", "PACKAGE; sys_platform"),
    # a Cython extension built against another numpy
    ("AttributeError: type object 'fastlib._core.Vector' has no attribute '__reduce_cython__'\n", "numpy-abi",
     "--upgrade numpy"),
    # pycurl compiled for another SSL backend than its libcurl
    ("ImportError: pycurl: libcurl link-time ssl backend (openssl) is different from compile-time ssl backend (gnutls)\n",
     "other", "PYCURL_SSL_LIBRARY=openssl"),
    # X11's headers for a build
    ("    src/gui.c:4:10: fatal error: X11/Xlib.h: No such file or directory\n  ERROR: Failed building wheel for pyscreen\n",
     "source-build-failed", "libx11-dev"),
    # pip's error box alone names the build that failed (a Rust package's needs Rust)
    ("  × Building wheel for safetensors (pyproject.toml) did not run successfully.\n  │ exit code: 1\n",
     "source-build-failed", "rustup"),
]


# Fragments no rule matches (a cut traceback, a localised Windows message): the cue words still name the cause.
FRAGMENTS = [
    ("urllib.error.URLError: <urlopen error [WinError 10061] Es konnte keine Verbindung hergestellt werden, da der "
     "Zielcomputer die Verbindung verweigerte>\n", "network-or-index", "HTTPS_PROXY"),
    ("  File \"/x/site-packages/whisper/__init__.py\", line 91, in _download\n    raise RuntimeError(\n"
     "RuntimeError: Model has been downloaded but the SHA256 checksum does not not match.\n", "model-download-failed",
     "delete the model file"),
    ("$ pyenv install --list | grep 3.13\n  3.13.0\n  3.13-dev\n", "interpreter-unavailable", "update pyenv"),
    ("Requested Python version (3.9) not installed\n", "interpreter-unavailable", "py install 3.9"),
    ("Python 3.8-32 not found!\n", "interpreter-unavailable", "python.org installer"),
]

# NumPy ABI breaks, by which side is newer (the log's own numbers, or both ways when it does not say)
NUMPY_SIDES = [
    ("ValueError: numpy.ndarray size changed, may indicate binary incompatibility. Expected 88 from C header, got 80 "
     "from PyObject\n", "numpy-abi", "install --upgrade numpy"),
    ("ValueError: numpy.dtype size changed, may indicate binary incompatibility. Expected 96 from C header, got 88 "
     "from PyObject\n", "numpy-abi", "numpy<2"),
    ("ImportError: numpy.core.multiarray failed to import\n", "numpy-abi", "pip show numpy"),
]


@pytest.mark.parametrize("text,category,word", CASES + FRAGMENTS + NUMPY_SIDES,
                         ids=[c[2] for c in CASES + FRAGMENTS + NUMPY_SIDES])
def test_a_class_without_a_corpus_log_gets_its_category_and_remedy(text, category, word):
    diagnosis = diagnose_text(text)
    assert diagnosis.category == category
    assert word.lower() in diagnosis.next_action.lower(), diagnosis.next_action
    assert diagnosis.evidence


# Advice that fits the package the log is about, not the pack this harness verifies.
OTHER_PROJECTS = [
    ("$ pip install pyfoo==0.1.2\nCollecting pyfoo==0.1.2\n  Using cached pyfoo-0.1.2.tar.gz (4 kB)\n"
     "  Preparing metadata (setup.py) ... error\n  error: subprocess-exited-with-error\n"
     "error: metadata-generation-failed\n", "metadata-generation-failed", "newer version"),
    ("$ pip install pyfoo\nCollecting pyfoo\n  Using cached pyfoo-2.0.tar.gz (4 kB)\n"
     "  Preparing metadata (setup.py) ... error\nerror: metadata-generation-failed\n", "metadata-generation-failed",
     "previous version"),
    ("    Complete output from command python setup.py egg_info:\n      File \"/tmp/pip-build/setup.py\", line 8\n"
     "        def read(fname: str) -> str:\n                      ^\n    SyntaxError: invalid syntax\n",
     "wrong-interpreter", "python3 -m pip"),
    ("error: Failed to build `pyfoo==0.4.1`\n  Caused by: The build backend returned an error\n  Caused by: Call to "
     "`setuptools.build_meta:__legacy__.build_wheel` failed (exit status: 1)\n[stderr]\nModuleNotFoundError: No module "
     "named 'setuptools.command.test'\n", "build-backend-missing", "--build-constraint"),
    ("nvidia@jetson-xavier:~$ pip3 install tensorflow\nERROR: Could not find a version that satisfies the requirement "
     "tensorflow (from versions: none)\nERROR: No matching distribution found for tensorflow\n",
     "python-version-unsupported", "NVIDIA's Jetson wheels"),
    ("pi@raspberrypi:~ $ uname -m\narmv7l\npi@raspberrypi:~ $ pip3 install tensorflow==2.15.0\nERROR: No matching "
     "distribution found for tensorflow==2.15.0\n", "no-wheel-for-platform", "64-bit OS"),
]


@pytest.mark.parametrize("text,category,word", OTHER_PROJECTS, ids=[c[2] for c in OTHER_PROJECTS])
def test_another_projects_log_gets_advice_for_its_own_package(text, category, word):
    diagnosis = diagnose_text(text)
    assert diagnosis.category == category
    assert word.lower() in diagnosis.next_action.lower(), diagnosis.next_action
    said = diagnosis.next_action + " ".join(diagnosis.manual_fallback)
    assert "spleeter" not in said.replace(".venv-spleeter", ""), said  # the venv's name is only a name


def test_a_single_weak_cue_is_not_enough_to_name_a_cause():
    diagnosis = diagnose_text("the download page said x86\nexit status 3\n")
    assert diagnosis.category == "other"


@pytest.mark.parametrize("text", [
    # a model call in the traceback, but the error is the library's (too old for the model), not the download
    "  File \"x/site-packages/transformers/modeling_utils.py\", line 3, in from_pretrained\n"
    "    resolved = cached_file(name, force_download=False)\nKeyError: 'qwen2'\n",
    # sys.platform is win32 on 64-bit Windows too
    "Python 3.10.4 (tags/v3.10.4) [MSC v.1929 64 bit (AMD64)] on win32\nsomething odd happened\n",
])
def test_cues_that_do_not_show_the_failure_leave_it_other(text):
    assert diagnose_text(text).category == "other"


def test_a_truncated_checkpoint_is_a_failed_model_download():
    diagnosis = diagnose_text("  File \"app.py\", line 3, in load_model\n    state = torch.load(path)\n"
                              "RuntimeError: PytorchStreamReader failed reading zip archive: failed finding central "
                              "directory\n")
    assert diagnosis.category == "model-download-failed" and "delete the partial file" in diagnosis.next_action


# The same failure in the wording of other tool versions and Windows languages (the codes stay the same).
VARIANTS = [
    ("ERROR: Could not install packages due to an OSError: [WinError 206] Der Dateiname oder die Erweiterung ist zu "
     "lang: 'C:\\\\Users\\\\x\\\\venv\\\\Lib\\\\site-packages\\\\tensorflow\\\\include\\\\x.h'\n", "long-path"),
    ("CondaSSLError: Encountered an SSL error. Most likely a certificate verification issue.\n", "ssl-certificate"),
    ("LibMambaUnsatisfiableError: Encountered problems while solving:\n  - nothing provides requested tensorflow 2.12.*\n",
     "conda-env-conflict"),
    ("Der Befehl \"pip\" ist entweder falsch geschrieben oder\nkonnte nicht gefunden werden.\n", "interpreter-unavailable"),
    ("'pip' n'est pas reconnu en tant que commande interne\nou externe, un programme ex\u00e9cutable ou un fichier de "
     "commandes.\n", "interpreter-unavailable"),
    ("pip : Die Benennung \"pip\" wurde nicht als Name eines Cmdlet, einer Funktion, einer Skriptdatei oder eines "
     "ausf\u00fchrbaren Programms erkannt.\n", "interpreter-unavailable"),
    ("'spleeter' \u4e0d\u662f\u5185\u90e8\u6216\u5916\u90e8\u547d\u4ee4\uff0c\u4e5f\u4e0d\u662f\u53ef\u8fd0\u884c\u7684\u7a0b\u5e8f\n",
     "wrong-interpreter"),
]


@pytest.mark.parametrize("text,category", VARIANTS, ids=[c[0][:30] for c in VARIANTS])
def test_variant_wordings_keep_their_category_and_windows_commands(text, category):
    diagnosis = diagnose_text(text)
    assert diagnosis.category == category
    if "conda" not in text.lower():  # the rest are Windows messages: Windows commands
        assert not any("/bin/" in command for command in diagnosis.manual_fallback), diagnosis.manual_fallback


def test_a_traceback_cut_at_an_import_names_that_import():
    diagnosis = diagnose_text("Traceback (most recent call last):\n  File \"C:\\\\x\\\\app.py\", line 1, in <module>\n"
                              "    from spleeter.separator import Separator\n  File \"C:\\\\x\\\\separator.py\", line "
                              "27, in <module>\n    from librosa.core import stft\n")
    assert "importing librosa" in diagnosis.next_action and "Redistributable" in diagnosis.next_action


# pip takes spleeter 2.1.0 for a bare `spleeter` only when every newer release excludes this Python; its numpy
# pin then builds from source and fails. The way out is an older Python, not a pin pip could not honour - and on
# Windows 2.4.0 on Python 3.10 (2.4.2's tensorflow-io-gcs-filesystem 0.32.0 has no Windows wheel).
FELL_BACK = ("Collecting spleeter\n  Using cached spleeter-2.1.0-py3-none-any.whl.metadata (10 kB)\n"
             "Collecting numpy<1.19.0,>=1.16.0 (from spleeter)\n  Using cached numpy-1.18.5.zip (5.4 MB)\n"
             "  Installing build dependencies ... done\n  Getting requirements to build wheel ... done\n"
             "  error: subprocess-exited-with-error\n{tail}")


def test_pip_falling_back_to_spleeter_210_asks_for_an_older_python():
    diagnosis = diagnose_text(FELL_BACK.format(tail="  Running from numpy source directory.\n"))
    assert "Python 3.11" in diagnosis.next_action and "pin spleeter==2.4.2" not in diagnosis.next_action


def test_on_windows_the_fallback_names_spleeter_240_on_python_310():
    tail = ("  File \"C:\\Users\\me\\AppData\\Local\\Temp\\pip-install-x\\numpy\\setup.py\", line 1\n"
            "PS C:\\Users\\me> \n")
    diagnosis = diagnose_text(FELL_BACK.format(tail=tail))
    assert "py -3.10" in diagnosis.next_action and "spleeter==2.4.0" in diagnosis.next_action


def test_a_stdlib_module_this_python_still_has_is_not_called_removed():
    # imp left in 3.12: on the log's own 3.9 its absence is something else, not the Python version
    text = '  File "/usr/lib/python3.9/site-packages/foo/x.py", line 3\nModuleNotFoundError: No module named \'imp\'\n'
    assert diagnose_text(text).category != "python-version-unsupported"
    gone = diagnose_text(text.replace("python3.9", "python3.12"))
    assert gone.category == "python-version-unsupported" and "importlib" in gone.next_action


def test_a_program_missing_on_windows_is_found_with_where_and_installed_for_windows():
    text = ('Traceback (most recent call last):\n  File "C:\\Users\\me\\venv\\lib\\site-packages\\pyrubberband\\pyrb.py", '
            'line 74, in __rubberband\n    subprocess.check_call(arguments, stdout=DEVNULL, stderr=DEVNULL)\n'
            '  File "C:\\Python310\\lib\\subprocess.py", line 1440, in _execute_child\n'
            "FileNotFoundError: [Errno 2] No such file or directory: 'rubberband'\n")
    diagnosis = diagnose_text(text)
    assert diagnosis.category == "other" and "pyrubberband runs" in diagnosis.next_action
    assert "winget" in diagnosis.next_action and diagnosis.manual_fallback == ("where rubberband",)
    assert "apt-get" not in diagnosis.next_action  # the POSIX branch names the OS package manager instead
    posix = diagnose_text(text.replace("C:\\Users\\me\\venv", "/home/me/venv").replace("C:\\Python310", "/usr"))
    assert "apt-get install -y rubberband-cli" in posix.next_action and "command -v rubberband" in posix.manual_fallback


def test_every_rule_summary_names_only_the_blocker():
    # summaries are formatted with the blocker alone: any other field would raise on the log that hits the rule
    for rule in RULES:
        fields = {name for _, name, _, _ in string.Formatter().parse(rule.summary or "") if name is not None}
        assert fields <= {"blocker"}, (rule.name, fields)


RANGES = ("ERROR: Cannot install oldlib==1.5 and tensorflow==2.11.0 because these package versions have conflicting "
          "dependencies.\n\nThe conflict is caused by:\n    oldlib 1.5 depends on numpy~=1.19.2\n"
          "    tensorflow 2.11.0 depends on numpy>=1.20\n\nTo fix this you could try to:\n"
          "1. loosen the range of package versions you've specified\n\nERROR: ResolutionImpossible: for help visit "
          "https://pip.pypa.io/en/latest/topics/dependency-resolution/#dealing-with-dependency-conflicts\n")


def test_ranges_that_do_not_meet_name_the_package_whose_range_stands_apart():
    diagnosis = diagnose_text(RANGES, blind=True)
    assert (diagnosis.category, diagnosis.blocker) == ("dependency-conflict", "numpy")
    assert "oldlib 1.5 (numpy~=1.19.2)" in diagnosis.next_action
    assert diagnosis.manual_fallback[-1] == "python3 -m pip install --upgrade oldlib"


def test_ranges_that_meet_ask_for_the_common_range_outright():
    text = RANGES.replace("numpy~=1.19.2", "numpy<1.25").replace(
        "numpy>=1.20\n", "numpy>=1.20\n    keras 2.11.0 depends on numpy>=1.22\n")
    diagnosis = diagnose_text(text, blind=True)
    assert diagnosis.manual_fallback == ('python3 -m pip install "numpy>=1.22,<1.25"',)


def test_a_conflict_on_a_pre_release_python_asks_for_the_newest_stable_one():
    diagnosis = diagnose_text(RANGES + "\nPython 3.14.0a5 (tags/v3.14.0a5) on win32\n", blind=True)
    assert "pre-release (3.14.0a5)" in diagnosis.next_action and "3.13" in diagnosis.next_action


def test_a_command_that_names_torch_itself_is_not_a_companion_replacing_it():
    replaced = ("Installing collected packages: torch, torchvision\n  Attempting uninstall: torch\n    Found existing "
                "installation: torch 2.1.0\n    Uninstalling torch-2.1.0:\n      Successfully uninstalled torch-2.1.0\n")
    companion = diagnose_text("$ pip install torchvision\n" + replaced)
    assert companion.category == "dependency-conflict" and companion.blocker == "torch==2.1.0"
    assert "torchvision version matching torch 2.1.0" in companion.next_action
    asked = diagnose_text("$ pip install torchvision torch==2.3.0\n" + replaced)
    assert "torch companion" not in asked.summary
