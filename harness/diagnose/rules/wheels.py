"""Rules: no wheel for this platform, a pip too old to see one, and an install that may not be written (permissions, MAX_PATH)."""
from __future__ import annotations

from typing import Tuple

from harness.diagnose import context, reqs
from harness.diagnose.rules.base import REQ, Rule, rx
from harness.diagnose.rules.checks import (
    conda_manifest_path_long,
    long_windows_path,
    old_pip,
    old_pip_own_error,
    pip_older_than_tag,
)
from harness.diagnose.rules.cues import ARM
from harness.diagnose.rules.extract import (
    build_subject,
    fixed,
    group,
    path_group,
    pip_in_log,
    pip_version,
    site_package,
    wheel_requirement,
)

# words a build's message may put where a package name would be
GENERIC_SUBJECTS = frozenset(("package", "project", "library", "module", "it", "this", "extension", "software"))

WHEELS_RULES: Tuple[Rule, ...] = (
    # long-path
    Rule("pip-long-path-hint", "long-path", 80,
         rx(r"does not have Windows Long Path support enabled", r"enable-long-paths"),
         blocker=site_package, summary="a file path exceeded Windows' 260-character limit"),
    Rule("pip-long-path-oserror", "long-path", 80,
         # the message after the code is in the system's language ("No such file or directory", "Das System kann
         # den angegebenen Pfad nicht finden"); WinError 3 is a path not found, which a cut long path gives too
         rx(r"Could not install packages due to an (?:OSError|EnvironmentError):\s*\[(?:Errno 2|WinError 3)\][^'\n]*\n?[^'\n]*?"
             r":\s*'(?P<path>[^'\n]+)(?P<end>'|$)"),
         check=long_windows_path, blocker=site_package,
         summary="a file path exceeded Windows' 260-character limit"),
    # any traceback's WinError 3 (path not found) on a path the excerpt shows long or cut (pip moving its own files)
    Rule("winerror-3-long-path", "long-path", 80,
         rx(r"\[WinError 3\][^'\n]*:\s*'[^'\n]+'\s*->\s*'(?P<path>[^'\n]+)(?P<end>'|$)",  # a move: where it went
            r"\[WinError 3\][^'\n]*:\s*'(?P<path>[^'\n]+)(?P<end>'|$)"),
         check=long_windows_path, blocker=site_package,
         summary="a file path exceeded Windows' 260-character limit"),
    # TensorFlow's own file writer (a checkpoint, a SavedModel's variables) under a folder near MAX_PATH
    Rule("tensorflow-writeable-file-long-path", "long-path", 80,
         rx(r"Failed to create a NewWriteableFile: (?P<path>[A-Za-z]:\\[^\n:]+?)\s*(?:: |$)"),
         check=lambda text, m: len(m.group("path")) >= 230, blocker=fixed("tensorflow"),
         summary="TensorFlow wrote a file whose path exceeds Windows' 260-character limit"),
    # TensorFlow's deepest files, its Eigen tensor headers, are the first to pass 260 characters on Windows
    Rule("eigen-header-missing", "long-path", 80,
         rx(r"Eigen[\\/]+CXX11[\\/]+src[\\/]+Tensor[\\/]+\w+\.h"),
         requires=rx(r"No such file or directory|is missing|cannot be found|not found|does(?:n't| not) exist",
                     r"\bWindows\b|[A-Za-z]:\\"),
         blocker=fixed("tensorflow"), summary="a file path exceeded Windows' 260-character limit"),
    # conda unpacking a package on Windows under a deep folder (an app's bundled installer): the path, or an
    # antivirus holding the files
    Rule("conda-invalid-archive", "long-path", 79,
         rx(r"InvalidArchiveError\(\"Error with archive (?P<path>[A-Za-z]:\\[^\"'\n]+)"),
         blocker=fixed("conda"), summary="conda could not unpack a package under a deep Windows folder",
         action="conda could not unpack {path}: on Windows that is usually a path too long for the 260-character "
                "limit (the installer sits in a deep folder) or an antivirus holding the files - move the installer "
                "to a short path (such as C:\\ai), enable long paths (LongPathsEnabled=1), or exclude the folder from "
                "the antivirus; then delete the broken package from the pkgs folder and run it again."),
    # conda checks every file of a package it extracted: one that is missing under a deep folder was never
    # written (MAX_PATH), and conda calls the package "corrupted"
    Rule("conda-manifest-path-missing", "long-path", 79,
         rx(r"The package for [\w.-]+ located at (?P<pkg>[A-Za-z]:\\[^\n]+?)\s*\n?\s*appears to be corrupted\.\s*The path "
            r"'(?P<path>[^'\n]+)'\s*\n?\s*specified in the package manifest cannot be found"),
         check=conda_manifest_path_long, blocker=fixed("conda"),
         summary="conda could not write a package's deepest file under Windows' 260-character limit",
         action="conda's package folder plus the file's own path passes Windows' 260-character limit, so the file was "
                "never written and conda calls the package corrupted: enable long paths (LongPathsEnabled=1 under "
                "HKLM\\SYSTEM\\CurrentControlSet\\Control\\FileSystem, then reboot), or use a conda installed at a short path "
                "(C:\\miniconda3) or a short pkgs_dirs; then `conda clean --packages --tarballs` and create the env again."),
    # git on Windows (a git dependency's checkout, in uv's or pip's cache) stops at MAX_PATH unless core.longpaths
    Rule("git-filename-too-long", "long-path", 80,
         rx(r"(?:unable to access|cannot create directory at|unable to create file|open\(\)) ?'?[^'\n]*'?: Filename too long"),
         blocker=fixed("git"), summary="git could not write a file past Windows' 260-character limit",
         action="git could not write a file whose path passes Windows' 260-character limit (a git dependency checked "
                "out into the installer's deep cache folder): `git config --system core.longpaths true` (git's own "
                "switch), enable LongPathsEnabled=1 for Python, and if it persists point the cache at a short folder "
                "(UV_CACHE_DIR=C:\\uvc for uv, PIP_CACHE_DIR for pip) or clone the repository to a short path and "
                "install it from there."),
    # any Errno 2 on a very long Windows path (a git checkout inside an env, bytes paths as poetry prints them)
    Rule("errno2-long-windows-path", "long-path", 78,
         rx(r"\[Errno 2\] No such file or directory: b?'(?P<path>(?:[A-Za-z]:|<[^>\n]+>)[^'\n]{200,})"),
         check=lambda text, m: "\\" in m.group("path"),
         blocker=fixed(None), summary="a file path exceeded Windows' 260-character limit"),
    # setuptools copying a deep file into its Windows build folder: the path shown is relative to the package's
    # folder in pip's temp dir (~90 characters more), so 150 here is MAX_PATH there
    Rule("build-copy-long-windows-path", "long-path", 78,
         rx(r"could not create '(?P<path>build\\+(?:bdist|lib)\.win[^'\n]{130,})': No such file or directory"),
         blocker=fixed(None), summary="a file path in the Windows build folder exceeded the 260-character limit"),
    # WinError 206 is "The filename or extension is too long" in every language
    Rule("winerror-206", "long-path", 80, rx(r"\[WinError 206\]"), blocker=site_package,
         summary="a file path exceeded Windows' 260-character limit"),
    Rule("uv-only-binary", "no-wheel-for-platform", 72,
         rx(r"Wheels are required for `(?P<req>[^`]+)` because building from source is disabled"),
         blocker=group("req"), summary="{blocker} has no wheel usable here and source builds are off"),
    Rule("uv-no-distribution-for-platform", "no-wheel-for-platform", 72,
         rx(r"(?:[Dd]istribution |^|\s)`?(?P<req>[A-Za-z][\w.-]*(?:==[\w.+!-]+)?)(?: @ \S+)?`? can't be installed because "
            r"it doesn't have a source distribution or wheel for the current platform"),
         blocker=group("req"), summary="no wheel or source of {blocker} for this platform and Python"),
    Rule("uv-platform-tag", "no-wheel-for-platform", 72,
         rx(r"Because (?P<req>\S+) (?:has no wheels with a matching platform tag"
             r"|is unusable because no wheels are available with a matching platform)",
             r"(?<!\S)(?P<req>\S+) has no wheels with a matching platform tag"),
         blocker=group("req"), also=rx(r"^hint: Wheels are available for [^\n]+$"),
         summary="{blocker} has no wheel for this platform"),
    # uv given a wheel file built for another platform (a win_amd64 wheel inside WSL or Linux, a macOS one...)
    Rule("uv-wheel-file-other-platform", "no-wheel-for-platform", 72,
         rx(r"A path dependency is incompatible with the current platform: (?P<wheel>[^\s]+\.whl)"),
         blocker=lambda text, m: m.group("wheel"), summary="the wheel file {blocker} is built for another platform",
         action="{blocker} is a wheel built for another platform than the one uv runs on (inside WSL that is Linux, "
                "not Windows): install the wheel that matches this platform (a manylinux one on Linux/WSL; build it "
                "from the sdist otherwise), or run the install on the platform the wheel was built for (native Windows "
                "for a win_amd64 wheel)."),
    # poetry's verbose lines for each wheel of a locked release that does not fit: when they name other Pythons
    # (cp27, cp35 ...), the lock pins a release older than this Python
    Rule("poetry-skipped-wheels", "python-version-unsupported", 41,
         rx(r"^Skipping wheel (?P<name>[A-Za-z][\w.]*)-(?P<version>\d[\w.]*)-cp\d+-\S+\.whl as this is not supported by "
            r"the current environment"),
         blocker=lambda text, m: f"{m.group('name')}=={m.group('version')}",
         summary="the locked {blocker} has wheels only for other Pythons than this one",
         action="poetry skipped every wheel of the locked {blocker}: each names another Python (the cpXY in its file "
                "name) than this one. Update {name} to a release with wheels for your Python (`poetry update {name}`, "
                "after loosening its pin in pyproject.toml), or use a Python that its wheels name."),
    Rule("poetry-no-candidates", "no-wheel-for-platform", 40,
         rx(r"Unable to find installation candidates for (?P<name>[\w.-]+) \((?P<version>[^)\s]+)\)"),
         blocker=lambda text, m: f"{m.group('name')}=={m.group('version')}",
         summary="no file of {blocker} fits this platform (poetry found no candidate)"),
    Rule("uv-windows-hint", "no-wheel-for-platform", 72,
         rx(r"You're on (?:Windows|macOS|Linux) \(`[\w.]+`\), but `(?P<name>[\w.-]+)` \(v(?P<version>[^)\s]+)\) only "
             r"has wheels for"),
         blocker=lambda text, m: f"{m.group('name')}=={m.group('version')}",
         summary="{blocker} has no wheel for this platform"),
    # a package's own setup.py refusing Windows (uvloop: "does not support Windows at the moment"): no build there
    # (a message about "this package" names no package: the build's own subject does)
    Rule("build-refuses-windows", "no-wheel-for-platform", 70,
         rx(r"^\s*(?:RuntimeError|OSError|Exception|SystemExit|NotImplementedError|RuntimeWarning|ValueError):? "
            r"[^\n]*?(?P<req>[A-Za-z][\w.-]*) (?:does not support Windows|is not supported on Windows)"),
         requires=rx(r"setup\.py|Preparing metadata|egg_info|Building wheel"),
         blocker=lambda text, m: (build_subject(text, m) if m.group("req").lower() in GENERIC_SUBJECTS
                                  else m.group("req")),
         summary="{blocker} does not support Windows (its build says so)"),
    # bitsandbytes loads a binary built for one CUDA version (libbitsandbytes_cudaXYZ); a release without one for
    # the CUDA found falls back to its CPU library. Before 0.43 it had no Windows build: its loader takes the Linux
    # .so path and fails there
    Rule("bitsandbytes-no-cuda-binary", "no-wheel-for-platform", 70,
         rx(r"Required library version not found: libbitsandbytes_cuda(?P<cuda>\d+)(?:_nocublaslt)?\.(?:so|dll)"),
         blocker=fixed("bitsandbytes"), summary="this bitsandbytes ships no binary for the CUDA version found",
         action="This bitsandbytes release has no binary for the CUDA version it found ({cuda}) and fell back to its "
                "CPU library: upgrade bitsandbytes (`python -m pip install --upgrade bitsandbytes`; later releases "
                "ship binaries for more CUDA versions), or point it at a CUDA runtime it has a binary for "
                "(BNB_CUDA_VERSION, with that runtime installed), or compile it from source for your CUDA."),
    # old bitsandbytes' own CUDA setup looking for the CUDA runtime on the library path and giving up
    Rule("bitsandbytes-cuda-setup", "dll-load-failed", 69,
         rx(r"CUDA Setup failed despite GPU being available"),
         blocker=fixed("bitsandbytes"), summary="bitsandbytes could not load its CUDA library (its CUDA setup failed)",
         action="bitsandbytes could not find or load the CUDA runtime for its GPU library (old releases look it up on "
                "the library path themselves and often miss it): upgrade bitsandbytes (`python -m pip install "
                "--upgrade bitsandbytes`; newer releases load the CUDA libraries torch brings), or put your CUDA's lib "
                "folder on LD_LIBRARY_PATH; `python -m bitsandbytes` shows what it found."),
    Rule("bitsandbytes-linux-only", "no-wheel-for-platform", 70,
         rx(r"^[^\n]*[A-Za-z]:\\[^\n]*bitsandbytes\\libbitsandbytes_\w+\.so\b[^\n]*$"),
         blocker=fixed("bitsandbytes"), summary="this bitsandbytes has no Windows build (it loads its Linux library)",
         action="This bitsandbytes release has no Windows build - it tries to load its Linux library (.so) - so "
                "Windows cannot use it: upgrade bitsandbytes (`python -m pip install --upgrade bitsandbytes`; 0.43 "
                "and later ship Windows wheels), or run the program under WSL2 or Linux."),
    # upgrading an old pip on an old Python fetches a pip too new for it (pip 21 dropped 2.7 and 3.5)
    Rule("pip-too-new-for-python", "pip-outdated", 74,
         rx(r"Collecting pip\b[^\n]*\n(?:[^\n]*\n){0,3}?[^\n]*pip-(?P<v>2\d\.[\d.]+)\.tar\.gz[\s\S]{0,2500}?SyntaxError"),
         blocker=fixed("pip"), summary="the newest pip no longer runs on this old Python",
         action="pip {v} no longer runs on this Python (pip 21 dropped Python 2.7 and 3.5, pip 22 3.6): upgrade to "
                "the last pip made for it (`python -m pip install --upgrade \"pip<21\"` on 2.7/3.5, \"pip<22\" on 3.6, or "
                "get-pip.py from https://bootstrap.pypa.io/pip/2.7/get-pip.py) - or, better, move to a current Python."),
    # a pure-Python manylinux wheel skipped on Linux: the pip misreads tags (20.0/20.0.1's bug, or older pips)
    # pip before 19.0 (manylinux2010) / 19.3 (manylinux2014) in its own old wording: it skips the Linux wheel as
    # not compatible and builds the source archive instead
    Rule("old-pip-skips-new-manylinux", "pip-outdated", 72,
         rx(r"Skipping link \S*?-cp(?P<py>3\d+)-cp3\d+m?-(?P<tag>manylinux(?:2010|2014))_x86_64\.whl[^\n]*(?:\n[^\n]*)?"
            r"it is not compatible with this Python"),
         check=lambda text, m: (context.read_python(text) or f"3.{m.group('py')[1:]}") == f"3.{m.group('py')[1:]}",
         blocker=fixed("pip"), summary="this old pip skipped a wheel whose manylinux2010/2014 tag it does not know"),
    Rule("pip-skips-fitting-wheel", "pip-outdated", 73,
         rx(r"Skipping link: none of the wheel's tags match: [^\n]*\bpy3-none-manylinux\w*_x86_64\b"),
         requires=rx(r"/usr/|/home/|/tmp/|\bLinux\b|Ubuntu|Debian"),
         blocker=fixed("pip"), summary="pip skipped a wheel whose tags fit this machine",
         action="pip skipped a wheel whose tags fit this machine (py3-none-manylinux x86_64): this pip misreads wheel "
                "tags (pip 20.0 and 20.0.1 had exactly this bug; older pips do not know the newer manylinux tags): "
                "upgrade pip (`python -m pip install --upgrade pip`), then install again."),
    # an old pip that took a download without setup.py (a wheel it cannot read, renamed) for a source archive
    Rule("old-pip-no-setup-py", "pip-outdated", 66,
         rx(r"(?:IOError|FileNotFoundError|OSError): \[Errno 2\] No such file or directory: '[^'\n]*pip-[\w-]+-build[\\/]setup\.py'"),
         blocker=pip_in_log, summary="an old pip looked for a setup.py in something that is not a source archive",
         action="This old pip treated a download that has no setup.py as a source archive (it could not read the wheel "
                "that was offered): upgrade pip first (`python -m pip install --upgrade pip`; get-pip.py if it cannot "
                "upgrade itself), then install again."),
    # pip 20.0 and 20.0.1 misread wheel tags (their vendored packaging): a release whose wheels exist is "not found"
    Rule("pip-20-tag-bug", "pip-outdated", 72,
         rx(r"No matching distribution found for [^\n]+"),
         requires=rx(r"(?:pip version:?\s*\**\s*|\bpip |pip in \S+ \()20\.0(?:\.1)?\b(?!\.\d)"),
         blocker=fixed("pip"), summary="pip 20.0/20.0.1 misreads wheel tags and finds no wheel that exists",
         action="pip 20.0 and 20.0.1 misread wheel tags (a bug of their vendored packaging), so releases whose wheels "
                "exist are 'not found': upgrade pip (`python -m pip install --upgrade pip`, 20.0.2 or later), then "
                "install again."),
    # pip 20.0.x put soundfile's Windows DLL in wrongly: the old libsndfile it then loads lacks sf_wchar_open
    Rule("pip-20-soundfile-dll", "pip-outdated", 73,
         rx(r"has no function, constant or global variable named 'sf_wchar_open'"),
         blocker=fixed("pip"), summary="soundfile loads an old libsndfile DLL that pip 20.0.x installed",
         action="soundfile loads an old libsndfile DLL (one without sf_wchar_open): pip 20.0.x installed its Windows "
                "wheel wrongly. Upgrade pip (`python -m pip install --upgrade pip`), then reinstall soundfile "
                "(`python -m pip install --force-reinstall --no-cache-dir soundfile`)."),
    # editable installs of pyproject-only projects (PEP 660) came with pip 21.3
    Rule("pip-editable-needs-setup-py", "pip-outdated", 73,
         rx(r"editable mode currently requires a setup\.py based build"),
         blocker=fixed("pip"), summary="this pip predates editable installs of pyproject.toml projects (PEP 660)",
         action="This pip predates editable installs of pyproject.toml-only projects (PEP 660, pip 21.3): upgrade "
                "pip (`python -m pip install --upgrade pip`), then rerun `pip install -e .`."),
    # pip before 8.1 knows no manylinux tag at all (its code still in pip/req.py): the wheel is fine, the pip is old
    Rule("ancient-pip-manylinux1", "pip-outdated", 74,
         rx(r"manylinux1_\w+\.whl is not a supported wheel on this platform"),
         requires=rx(r"[\\/]pip[\\/](?:req|basecommand|wheel|index)\.py\""),
         blocker=pip_in_log, summary="{blocker} predates manylinux wheels (pip 8.1)",
         action="This pip predates manylinux wheels (they came with pip 8.1; its code is still in pip/req.py), so it "
                "rejects a wheel that fits this machine: upgrade pip (`python -m pip install --upgrade pip`, or "
                "get-pip.py for a distribution's pip that cannot upgrade itself), then install again."),
    # a manylinux tag newer than this pip: pip 19.0 reads manylinux2010, 19.3 manylinux2014, 20.3 manylinux_x_y
    Rule("pip-too-old-for-tag", "pip-outdated", 73,
         rx(r"manylinux(?P<tag>2010|2014|_\d+_\d+)_\w+\.whl is not a supported wheel on this platform"),
         check=pip_older_than_tag, blocker=pip_in_log, summary="{blocker} cannot read this wheel's manylinux tag"),
    # on Linux pip fetched the source archive of a package that ships manylinux wheels for every usual Python, and
    # built it (or hung building it): the pip is too old to read the newer manylinux tags
    Rule("sdist-of-wheel-package", "pip-outdated", 19,
         rx(r"Downloading [^\n]*?[/ ](?P<req>(?:opencv-(?:contrib-)?python(?:-headless)?|numpy|scipy|pandas|grpcio"
            r"|pyarrow|scikit-learn|matplotlib|cryptography|lxml|h5py|numba|llvmlite)-\d[\d.]*)\.(?:tar\.gz|zip)\b"),
         requires=rx(r"Building wheel for|Running setup\.py (?:install|bdist_wheel) for|Preparing (?:wheel )?metadata",
                     r"^(?:[^\n]*[\s(])?/(?:usr|home|opt|root)/[^\n]*python\d"),
         blocker=pip_in_log, summary="{blocker} took a source archive where PyPI has manylinux wheels (too old for their tag)"),
    # macOS 11 (Big Sur) and pip disagree on the macOS version: a Python built with an older SDK reports 10.16, so
    # macosx_11_0 wheels are rejected; a pip before 20.3 does not take macosx_10_x wheels on macOS 11
    Rule("macos-wheel-tag-rejected", "no-wheel-for-platform", 73,
         rx(r"(?<![\w.-])(?P<req>[A-Za-z][\w.]*-\d[\w.]*)-\S*-macosx_(?P<tag>1[01]_\d+)_(?P<arch>x86_64|arm64|universal2|intel)"
            r"\.whl is not a supported wheel on this platform"),
         blocker=wheel_requirement, summary="pip rejects the macOS wheel {blocker}: it reads another macOS version",
         action="pip and this Mac disagree on the macOS version the wheel's tag (macosx_{tag}) names: a Python built "
                "with an older SDK reports Big Sur as 10.16 (so macosx_11_0 wheels are refused), and a pip before 20.3 "
                "takes no macosx_10_x wheel on macOS 11. Upgrade pip in the venv (`python -m pip install --upgrade "
                "pip`), run the install with `SYSTEM_VERSION_COMPAT=0` (or 1 for a 10.x wheel), or rename the wheel's "
                "tag to one this pip accepts (macosx_11_0 -> macosx_10_9; `pip debug --verbose` lists the accepted "
                "tags); a current Python from python.org (universal2) avoids it."),
    Rule("pip-unsupported-wheel", "no-wheel-for-platform", 72,
         rx(r"(?<![\w.-])(?P<req>[A-Za-z][\w.]*-\d[\w.]*)-\S*\.whl is not a supported wheel on this platform"),
         blocker=wheel_requirement,
         summary="{blocker} is a wheel for another platform"),
    Rule("pip-only-binary", "no-wheel-for-platform", 68,
         rx(r"No matching distribution found for (?P<req>\S+)"),
         requires=rx(r"^\$ [^\n]*--only-binary[= ]:all:"),
         blocker=group("req"), summary="{blocker} has no wheel and only wheels were allowed"),
    # pip-outdated
    Rule("old-pip-notice", "pip-outdated", 65,
         rx(r"You are using pip version (?P<v>\d[\d.]*)",
             r"A new release of pip (?:is )?available: (?P<v>\d[\d.]*) ->",
             r"^pip (?P<v>\d[\d.]*) from ",
             r"Found existing installation: pip (?P<v>\d[\d.]*)"),
         check=old_pip, blocker=pip_version, summary="{blocker} is too old for today's wheels"),
    # pip before 10 kept its code in pip/*.py (no pip/_internal): a crash inside it is an old pip's own bug
    Rule("old-pip-crash", "pip-outdated", 22,
         rx(r"[\\/]pip[\\/](?:basecommand|req|util|index|download|wheel|locations)\.py\", line \d+"),
         check=old_pip_own_error, blocker=pip_in_log, summary="an old pip (before 10) crashed on its own bug",
         action="This is an old pip (its code predates pip 10) crashing on a bug of its own: upgrade pip first "
                "(`python -m pip install --upgrade pip`, or get-pip.py when the distribution's pip cannot upgrade "
                "itself: `curl -sSL https://bootstrap.pypa.io/get-pip.py | python3`), then install again - best in a "
                "venv."),
    # the same words from Python 2's pip (the log shows `python` is 2.7): the interpreter is the wrong one
    Rule("python2-pip-wording", "wrong-interpreter", 51,
         rx(r"^\s*(?:Could not find a version that satisfies the requirement|No matching distribution found for)"),
         requires=rx(r"^Python 2\.7[\w.]*\s*$|python2\.7[\\/](?:site|dist)-packages|\(python 2\.7\)"),
         blocker=fixed("pip"), summary="the pip that ran is Python 2.7's",
         action="This `pip` belongs to Python 2.7 (the log shows it), for which these packages publish nothing any "
                "more: install with Python 3's own pip, `python3 -m pip install ...` (or `pip3`), best in a Python 3 "
                "venv."),
    Rule("old-pip-wording", "pip-outdated", 50,
         rx(r"^\s*(?:Could not find a version that satisfies the requirement|No matching distribution found for"
             r"|Could not find any downloads that satisfy the requirement|No distributions at all found for)"),
         # old pips fail to read only the newer Linux (manylinux) and macOS tags: win_amd64 wheels they see fine; and
         # on an ARM board (a Raspberry Pi) no pip finds wheels PyPI never had
         check=lambda text, m: context.read_platform(text) != "windows" and not ARM.search(text),
         blocker=lambda text, m: None, summary="an old pip (before 19.1) could not find a usable wheel"),
    Rule("old-resolver-wording", "pip-outdated", 50,
         rx(r"has requirement [^\n]+, but you'll have [^\n]+ which is incompatible"),
         blocker=fixed(None), summary="pip's old (pre-20.3) resolver installed incompatible versions"),
    # permission-denied: pip may not write where it was pointed (a system or all-users Python)
    # PEP 668: not a file permission but the OS's policy that its Python is its own - pip may not write there, as
    # most of the corpus's labels have it (the advice is the venv / pipx / OS package the error itself names)
    Rule("externally-managed", "permission-denied", 61,
         rx(r"error: externally-managed-environment", r"This environment is externally managed"),
         blocker=fixed("externally-managed-environment"),
         summary="this Python belongs to the OS or Homebrew (PEP 668): pip may not install into it"),
    Rule("user-site-in-venv", "permission-denied", 60,
         rx(r"Can not perform a '--user' install\. User site-packages are not visible in this virtualenv"),
         blocker=fixed("--user"), summary="--user was asked for inside a virtual environment"),
    Rule("conda-not-writable", "permission-denied", 61,
         rx(r"(?:Environment)?NotWritableError:\s*The current user does not have write permissions",
            r"NoWritable(?:Envs|Pkgs)DirError",
            r"CondaIOError: Missing write permissions in: "),
         summary="conda may not write to the environment, package cache or envs directory it uses"),
    # uv moving a finished download into its own cache, and Windows refusing: a scanner (antivirus, indexer,
    # backup) holds the new file at that moment
    Rule("uv-cache-write-refused", "permission-denied", 61,
         rx(r"failed to (?:rename|remove|persist|copy|move) (?:file|directory|temporary file)[^\n]*?"
            r"(?P<cache>[A-Za-z]:\\[^\n]*?[\\/](?:uv[\\/]cache|uv-cache)\b)[^\n]*\(os error (?:5|32)\)"),
         blocker=fixed("uv cache"), summary="Windows refused uv's write inside its own cache",
         action="Windows refused uv's rename inside its own cache ({cache}): a scanner - usually the antivirus, "
                "sometimes the search indexer or a backup tool - holds the new file at that moment. Add an exclusion "
                "for the uv cache folder (or point UV_CACHE_DIR at a folder the scanner skips), and retry; `uv cache "
                "clean` if a half-written entry stays behind."),
    # pip on Windows refuses to modify itself through pip.exe (which it would have to replace while it runs)
    Rule("pip-modify-itself", "other", 62,
         rx(r"ERROR: To modify pip, please run the following command:\s*\n\s*(?P<cmd>[^\n]*python[\w.]*(?:\.exe)? -m pip[^\n]*)"),
         blocker=fixed("pip"), summary="pip.exe may not modify pip itself: run pip through python -m pip",
         action="On Windows pip.exe cannot replace itself, so pip refuses any command that may change pip: run the same "
                "command through the interpreter, as pip says - `{cmd}` (or `py -m pip ...`) - and use `python -m pip` "
                "from then on."),
    # a `pip` launcher script pinned to the pip it was written for (Homebrew's, old setuptools' entry points), after
    # pip upgraded itself under it: every pip command dies in pkg_resources before pip runs
    Rule("pip-launcher-version-conflict", "other", 66,
         rx(r"VersionConflict: \(pip (?P<have>[\w.]+) \([^)\n]*\), Requirement\.parse\('pip==(?P<want>[\w.]+)'\)"),
         blocker=fixed("pip"), summary="the pip launcher script is pinned to another pip than the one installed",
         action="The `pip` command is a launcher script written for pip {want}, and pip upgraded itself to {have} "
                "under it, so the launcher refuses to start: run pip as a module, which needs no launcher (`python3 -m "
                "pip ...`), and rewrite the launcher (`python3 -m pip install --force-reinstall pip`; for Homebrew's "
                "Python `brew reinstall python`)."),
    # the same refusal under Program Files / ProgramData: an all-users Python (or Anaconda) that a normal user may
    # not write to, whatever else (an old pip) the log shows
    Rule("all-users-python-not-writable", "permission-denied", 67,
         rx(r"Could not install packages due to an (?:OSError|EnvironmentError):? ?\[(?:Errno 13|WinError 5)\][^\n]*?"
            r"'[A-Za-z]:\\\\(?:Program Files(?: \(x86\))?|ProgramData)\\\\[^'\n]*'"),
         summary="pip may not write into an all-users Python (Program Files / ProgramData)"),
    # pyenv-win's VBScript refused a write (its version file, its install cache) or the script host is blocked
    Rule("pyenv-win-vbscript-permission", "permission-denied", 62,
         rx(r"pyenv(?:-\w+)?\.vbs\(\d+, \d+\) Microsoft VBScript runtime error: Permission denied"),
         blocker=fixed("pyenv-win"), summary="pyenv-win's script was refused a write (or may not run here)",
         action="pyenv-win's VBScript was refused access ('Permission denied'): its own files under "
                "%USERPROFILE%\\.pyenv (the global `version` file, the install cache) are read-only or held by another "
                "program, or a security policy blocks the script host (Windows Script Host / cscript) on this machine. "
                "Check that you may write those files (clear 'Read-only', run the terminal as administrator once), and "
                "on a managed PC ask IT whether scripts are blocked; otherwise install Python with the python.org "
                "installer and pick it with the py launcher."),
    # a venv's freshly copied python.exe that Windows will not run: an antivirus (or Controlled Folder Access,
    # AppLocker) blocks new executables in that folder or drive
    Rule("venv-python-blocked", "permission-denied", 62,
         rx(r"The executable \"?(?P<exe>[^\"\n]*python[\w.]*\.exe)\"? could not be run: \[WinError 5\] Access is denied"),
         blocker=path_group("exe"), summary="Windows will not run the new venv's python.exe ({blocker})",
         action="Windows would not run the venv's new python.exe ({blocker}): an antivirus, Controlled Folder Access or "
                "an AppLocker policy blocks new executables in that folder or drive. Allow it there (or add an "
                "exclusion for the project folder), or create the venv in another place (your user folder on C:); "
                "`python -m venv` is the built-in alternative to virtualenv."),
    # uv links files from its cache into the venv; a OneDrive (or other cloud-synced) folder refuses hardlinks
    Rule("uv-hardlink-cloud-folder", "other", 63,
         rx(r"failed to hardlink file[\s\S]{0,800}?(?:incompatible hardlinks|\(os error 396\))"),
         blocker=fixed("uv link mode"), summary="uv cannot hardlink its cache into a cloud-synced folder (OneDrive)",
         action="uv installs by hardlinking files from its cache, and this project lives in a cloud-synced folder "
                "(OneDrive) that refuses hardlinks: tell uv to copy (`--link-mode=copy`, or set UV_LINK_MODE=copy), "
                "or keep the project (and its .venv) outside OneDrive; `uv cache clean` afterwards if entries stay broken."),
    # WinError 1314: the user may not create symbolic links (huggingface_hub's cache links its snapshots)
    Rule("symlink-privilege", "permission-denied", 63,
         rx(r"\[WinError 1314\][^\n]*"),
         blocker=fixed("symlinks"), summary="Windows does not let this user create symbolic links",
         action="Windows refused to create a symbolic link (WinError 1314: the privilege is not held) - Hugging Face's "
                "model cache links its files that way: turn on Developer Mode (Settings > For developers), which lets "
                "normal users create symlinks, or run the program once as administrator; or set "
                "HF_HUB_DISABLE_SYMLINKS_WARNING and let huggingface_hub copy instead of link (it does when links fail)."),
    # ffmpeg (spleeter's writer) cannot create the output file: Windows' Controlled Folder Access, an antivirus or
    # a folder the user may not write refuses it, and ffmpeg says only "No such file or directory"
    Rule("ffmpeg-output-refused", "permission-denied", 58,
         rx(r"^\s*(?P<out>[A-Za-z]:\\[^\n]*\.(?:wav|mp3|flac|m4a|ogg|mp4)): No such file or directory\s*$"),
         requires=rx(r"^\s*libavformat\s+\d+\.", r"spleeter|SpleeterGui|vocals\.wav|accompaniment\.wav"),
         blocker=path_group("out"), summary="ffmpeg could not create the output file {blocker}",
         action="ffmpeg could not create {blocker}: the output folder may not be written - Windows Security's "
                "Controlled Folder Access or an antivirus blocks new files there (Music, Documents, another drive), "
                "or you lack permissions. Whitelist the program (spleeter's python.exe and ffmpeg.exe) in the "
                "antivirus / 'Allow an app through Controlled folder access', or pick an output folder you own (e.g. "
                "on the Desktop or C:\\spleeter-out)."),
    # a file the installer just wrote is held by another process: an antivirus/EDR scanning it, or a running
    # program of this environment (Windows' sharing and lock violations, os error 32/33)
    Rule("file-locked", "permission-denied", 61,
         rx(r"another process has locked a portion of the file", r"\(os error 3[23]\)",
            r"being used by another process"),
         blocker=fixed(None), summary="another process holds a file the install writes (antivirus, a running program)"),
    Rule("install-permission-denied", "permission-denied", 60,
         rx(r"Could not install packages due to an (?:OSError|EnvironmentError):? ?\[(?:Errno 13|WinError 5|WinError 32)\][^\n]*",
             r"Could not install packages due to an (?:OSError|EnvironmentError): \[WinError 2\][^\n]*-> '[^']*\.deleteme'",
             r"Failed to write executable - trying to use \.deleteme logic",
             r"(?:OSError|PermissionError): \[Errno 13\] Permission denied: '(?P<path>[^']+)'",
             # pip's own traceback while it moves or removes files of an install (an old pip prints no summary line)
             r"PermissionError: \[WinError 5\] [^\n:]*: '(?P<path2>[^'\n]*(?:site-packages|[Ss]cripts|pip-[\w-]+-uninstall)[^']*)'"),
         summary="pip may not write into this Python's site-packages"),
    # a name with a typographic dash (U+2010-2015, U+2212) pasted from a web page or document: no index has it
    Rule("typographic-dash-in-name", "other", 80,
         rx(r"(?:install|No matching distribution found for|requirement|not available from current channels:\s*\n\s*-)"
            r"[^\n]*?(?<![\w.\u2010-\u2015\u2212-])(?P<typed>[A-Za-z0-9][\w.]*[\u2010-\u2015\u2212][\w.\u2010-\u2015\u2212-]*)"),
         blocker=lambda text, m: m.group("typed"), summary="the name {blocker} holds a typographic dash, not the ASCII hyphen"),
    # a name no index has, one letter or two off a well-known one: a typo, not a missing wheel
    Rule("misspelt-package", "other", 44,
         rx(r"No matching distribution found for " + REQ, r"Could not find a version that satisfies the requirement "
            + REQ + r"(?= \(from versions: ?(?:none)?\)|\s*$)"),
         check=lambda text, m: bool(reqs.misspelt(reqs.split_requirement(m.group("req"))[0] or "")),
         blocker=group("req"), summary="{blocker} is no package: most probably a misspelt name"),
    Rule("no-matching-distribution", "no-wheel-for-platform", 40,
         rx(r"Could not find a version that satisfies the requirement " + REQ,
             r"No matching distribution found for " + REQ),
         blocker=group("req"), summary="no distribution of {blocker} fits this Python and platform"),
)
