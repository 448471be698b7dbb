"""Rules for failures outside the categories above, and the best guesses when nothing more specific matched."""
from __future__ import annotations

import re
from typing import Optional, Tuple

from harness.diagnose import context, stdlib
from harness.diagnose.rules.base import PIP_MEMORY, Rule, rx
from harness.diagnose.rules.checks import in_uv_build_env, not_windows, shadowing_script
from harness.diagnose.rules.extract import build_subject, downloaded_file, fixed, group

# "No module named X" (X the top-level module: `No module named 'X.Y'` means X is there, Y not)
MODULE_MISSING = r"(?:ModuleNotFoundError|ImportError): No module named '?(?P<mod>[A-Za-z_]\w*)(?:\.[\w.]+)?'?"

# Top-level names whose "X.Y" is not a release's module: namespaces (their X.Y is a distribution of its own),
# the installers, and the standard library's own modules (which come with Python, not in releases)
NAMESPACE_OR_CORE = {"google", "azure", "jaraco", "zope", "backports", "mpl_toolkits", "ruamel", "sphinxcontrib",
                     "nvidia", "pip", "setuptools"} | stdlib.CORE_MODULES
LAST_EXCEPTION = re.compile(r"^\s*(?:[\w.]+\.)?[A-Z]\w*(?:Error|Exception)\b:", re.MULTILINE)


def submodule_gone(text: str, m: "re.Match[str]") -> bool:
    """`No module named 'X.Y'` with X itself importable: the installed X is a release without Y."""
    top = m.group("mod")
    if top in NAMESPACE_OR_CORE or m.group("sub").startswith("_"):
        return False  # a namespace's Y is its own distribution; X._Y is a compiled part of a broken install
    return not re.search(r"No module named '?" + re.escape(top) + r"'?\s*$", text, re.MULTILINE)


def api_owner(text: str, m: "re.Match[str]") -> Optional[str]:
    """The top-level package of the module an AttributeError or ImportError names."""
    found = m.groupdict()
    return (found.get("mod") or found.get("frm") or "").split(".")[0] or None


def api_gone(text: str, m: "re.Match[str]") -> bool:
    """An installed library's module lacks a name the code uses, and that is the last error the log shows."""
    top = api_owner(text, m) or ""
    later = [e for e in LAST_EXCEPTION.finditer(text) if e.start() > m.end()]
    return top not in NAMESPACE_OR_CORE and not later


OTHER_RULES: Tuple[Rule, ...] = (
    # `pip install ...` typed at the Python prompt (python, IDLE, Spyder's console): Python reads it as code
    Rule("pip-at-python-prompt", "other", 60,
         rx(r'^\s*File "<(?:stdin|console|pyshell#\d+|ipython-input[^>]*)>", line \d+[^\n]*\n\s*pip3? install\b',
            r"^>>> ?pip3? install\b[^\n]*\n(?:[^\n]*\n){0,4}?\s*SyntaxError: invalid syntax"),
         blocker=fixed("pip"), summary="pip was typed at the Python prompt, where it is read as Python code",
         action="`pip install` is a command for the terminal, not Python code: leave the Python prompt (`exit()`) and "
                "run `python -m pip install ...` in a terminal (Command Prompt, PowerShell or a shell); in Jupyter, "
                "IPython or Spyder's console use `%pip install ...`."),
    # apt cannot install a system package (a -dev library a build asked for) because its dependencies are at other
    # versions than it needs: a PPA or another release's package, or a half-done upgrade - apt's own state, not pip's
    Rule("apt-unmet-dependencies", "other", 66,
         rx(r"The following packages have unmet dependencies:\s*\n\s*(?P<pkg>[a-z0-9][a-z0-9.+-]+)\s*:\s*(?:Depends|"
            r"PreDepends|Breaks|Conflicts)"),
         check=lambda text, m: bool(re.search(r"E: Unable to correct problems|E: Unmet dependencies|held broken packages",
                                              text)),
         blocker=group("pkg"), summary="apt cannot install {blocker}: its dependencies are at other versions",
         action="apt refuses {blocker} because the packages it depends on are installed (or offered) at other versions "
                "than it needs - usually a PPA or a package from another release, or an interrupted upgrade: run `sudo "
                "apt-get update && sudo apt-get -f install` (`sudo apt --fix-broken install`), then install the exact "
                "versions apt names (`sudo apt-get install {blocker} DEPENDENCY=VERSION`, or `sudo aptitude install "
                "{blocker}`, which proposes the downgrade); `apt-cache policy DEPENDENCY` shows where each version "
                "comes from."),
    # a command word read as a requirement: `python get-pip.py install`, `pip install install X`, `pip install sudo`
    Rule("command-word-as-requirement", "other", 60,
         rx(r"(?:No matching distribution found for|Could not find a version that satisfies the requirement) "
            r"(?P<word>install|uninstall|update|sudo|conda|apt-get|brew)(?![\w.-])"),
         blocker=group("word"), summary="pip read the command word {blocker} as the name of a package",
         action="pip took `{blocker}` for the name of a package to install - it came in as an argument: "
                "`python get-pip.py` takes no command (run it alone), and after `pip install` come only package names "
                "(`python -m pip install PACKAGE`, the verb once). Rerun the command without that word."),
    Rule("spleeter-model-as-input", "other", 56,
         rx(r"Loading audio b'(?P<model>spleeter:[\w-]+)'",
            r"spleeter separate [^\n]*?(?<!-p )(?<!--params_filename )(?P<model>(?<![\w:])spleeter:[\w-]+)"),
         summary="the model name {blocker} was read as an audio file",
         blocker=lambda text, m: m.group("model"),
         action="spleeter took `{blocker}` for an input file: pass the model with -p (`spleeter separate -p "
                "{blocker} -o output AUDIO`)."),
    Rule("spleeter-usage", "other", 56,
         rx(r"Error: Missing argument 'FILES\.\.\.'", r"Error: (?:No such option|no such option): -i\b"),
         summary="spleeter's command line was not understood",
         action="spleeter 2.x takes the audio files as arguments and has no -i option any more: run "
                "`spleeter separate -p spleeter:2stems -o output AUDIO_FILE`."),
    Rule("spleeter-config-name", "other", 56,
         rx(r"No embedded configuration (?P<name>\S+) found"),
         summary="spleeter has no built-in configuration of that name",
         action="spleeter has no built-in configuration called {name}: the names are spleeter:2stems, spleeter:4stems "
                "and spleeter:5stems (with the `spleeter:` prefix and the plural 'stems', `-p spleeter:2stems`), or "
                "the path of your own JSON configuration."),
    Rule("spleeter1-usage", "other", 56,
         rx(r"spleeter separate: error: the following arguments are required: -i/--audio_filenames",
            r"spleeter(?: separate)?: error: unrecognized arguments"),
         summary="the installed spleeter is 1.x, whose command line differs from 2.x",
         action="This is spleeter 1.x's command line (it wants `-i AUDIO`): either pass the files with -i "
                "(`spleeter separate -i AUDIO_FILE -p spleeter:2stems -o output`) or upgrade spleeter to 2.x "
                "(`python -m pip install -U spleeter`; SpleeterGUI: its core upgrade), which takes the files as "
                "arguments; `spleeter --version` shows which you have."),
    # any other argparse/click usage error: the command line of another release of the tool
    Rule("cli-usage", "other", 14,
         rx(r"^(?P<prog>[\w.-]+)(?: [\w-]+)?: error: (?:the following arguments are required|unrecognized arguments)",
            r"^Error: (?:Missing argument|No such option|Got unexpected extra argument)"),
         summary="the command line was not understood by the installed version",
         action="The command line does not match the installed version's options (flags are renamed or removed "
                "between releases): run the command with --help, check the version (`pip show PACKAGE`), and either "
                "adapt the command to it or upgrade/pin the release the instructions were written for."),
    Rule("ffmpeg-python-error", "other", 20,
         rx(r"^(?:ffmpeg\._run\.)?Error: ffmpeg error \(see stderr output for detail\)"),
         summary="ffmpeg itself failed; ffmpeg-python only reports that it did",
         action="ffmpeg itself failed and ffmpeg-python only says so: print ffmpeg's own message (run with "
                "capture_stderr=True, catch ffmpeg.Error as e and print e.stderr.decode()), or run the ffmpeg command "
                "by hand - it names the bad input, codec or path."),
    # a bare program name that subprocess could not start: the tool is not installed, or not on this PATH
    Rule("program-not-found", "other", 52,
         rx(r"^\s*(?:FileNotFoundError|OSError): \[Errno 2\] No such file or directory: '(?P<prog>[A-Za-z][\w+-]*)'`?\s*$"),
         requires=rx(r"subprocess\.py|_execute_child|\bPopen\b|check_output|check_call|\bspawn\b"),
         blocker=lambda text, m: m.group("prog"), summary="the program {blocker} is not installed or not on PATH"),
    # installers (Miniconda's, and scripts that wrap it) that refuse a folder whose path has a space in it
    Rule("path-with-spaces", "other", 58,
         rx(r"can ?not be (?:silently )?installed (?:under|in(?:to)?) a path (?:with|containing) spaces",
            r"(?:install(?:ation)? )?path (?:must not|cannot|can't|may not) contain (?:any )?spaces"),
         summary="the installer refuses a folder whose path contains spaces",
         action="The folder's path contains a space, which this installer (Miniconda's, inside the program's own "
                "installer) cannot handle: move or rename the folder to a path without spaces (e.g. C:\\ai\\"
                "text-generation-webui instead of a folder under 'My Programs' or a user name with a space), then run "
                "the installer again from there."),
    # dash (Debian's and Ubuntu's sh) running a bash script: `sh script.sh` ignores its #!/bin/bash line
    Rule("bash-script-run-by-sh", "other", 58,
         rx(r"^\s*(?P<script>[\w./-]+\.sh): (?:line )?\d+: (?:Bad substitution|\[\[: not found|Syntax error: "
            r"\"\(\" unexpected|source: not found)"),
         blocker=lambda text, m: m.group("script").rsplit("/", 1)[-1],
         summary="{blocker} is a bash script run by sh (dash)",
         action="{blocker} is a bash script, and `sh {blocker}` runs it with dash (Debian/Ubuntu's sh), which does not "
                "know bash's syntax (`${{var:...}}`, `[[`, `source`): run it as `bash {blocker}` or `./{blocker}` "
                "(after `chmod +x {blocker}`), so its #!/bin/bash line applies."),
    # the "file" that is not found is a whole command line: the code gave subprocess one string without a shell
    Rule("command-string-as-program", "other", 57,
         rx(r"(?:FileNotFoundError|OSError): \[(?:Errno|WinError) 2\][^\n]*?: '(?P<prog>[\w./\\:-]+) -{1,2}\w[^'\n]*'"),
         blocker=lambda text, m: m.group("prog").replace("\\", "/").rsplit("/", 1)[-1],
         summary="the whole command line was run as the name of a program",
         action="The program that was not found is the whole command line ('{blocker} -...'): the code passes it to "
                "subprocess as one string without shell=True, so the OS looks for a file named after all of it. "
                "{blocker} itself may well be installed: update the package or extension that runs it (its fix passes "
                "an argument list, `[\"{blocker}\", \"-y\", ...]`, or shell=True), or patch that call the same way."),
    Rule("compiler-killed", "other", 58,
         rx(r"fatal error: Killed signal terminated program (?:cc1plus|cc1|as|ld)\b",
             r"ld terminated with signal 9"),
         summary="the kernel killed the compiler: the build ran out of memory",
         action="The kernel killed the compiler (out of memory while building from source): build with fewer "
                "parallel jobs (`MAKEFLAGS=-j1`, `CMAKE_BUILD_PARALLEL_LEVEL=1`, `MAX_JOBS=1`), add swap or memory, "
                "or install a prebuilt wheel instead of building."),
    Rule("disk-full", "other", 60,
         rx(r"\[Errno 28\] No space left on device"),
         summary="the disk pip downloads and unpacks to is full",
         action="The disk is full (Errno 28) - often the temp dir pip unpacks into, or its cache: free space (`df -h` "
                "shows which filesystem), or point TMPDIR (TEMP on Windows) at a bigger disk and add --no-cache-dir."),
    # a crash: with spleeter almost always memory
    Rule("process-crashed", "other", 25,
         rx(r"Segmentation fault(?!s may occur)", r"std::bad_alloc", r"\bMemoryError\b", r"^(?:zsh: )?[Kk]illed\b",
             r"Unable to allocate [\d.]+ [GMK]iB", r"ResourceExhaustedError", r"OOM when allocating tensor"),
         summary="the process crashed (out of memory, most likely)",
         action="The process was killed or crashed while separating: with spleeter that is almost always memory "
                "(5stems wants about 8 GB; on a GPU its memory). Separate shorter pieces (`--duration 120` / `-d 120`), "
                "use the 2stems model, run on the CPU (`CUDA_VISIBLE_DEVICES=-1`), or use a machine with more RAM."),
    Rule("gpu-out-of-memory", "other", 26,
         rx(r"CUDA out of memory", r"CUDA error: out of memory", r"torch\.(?:cuda\.)?OutOfMemoryError"),
         summary="the GPU ran out of memory",
         action="The GPU ran out of memory (not an install problem): use a smaller model, batch size or resolution, "
                "close other programs that hold the GPU (`nvidia-smi` lists them), set "
                "PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True against fragmentation, or run on the CPU; web UIs have "
                "low-memory switches (stable-diffusion-webui: --medvram / --lowvram)."),
    # CTranslate2 (faster-whisper, whisperX) built without CUDA - its only build on macOS - asked for the GPU
    Rule("ctranslate2-no-cuda", "other", 25,
         rx(r"This CTranslate2 package was not compiled with CUDA support"),
         blocker=fixed("ctranslate2"), summary="this CTranslate2 build has no CUDA support",
         action="This CTranslate2 build has no CUDA (on macOS it never has; on Linux/Windows PyPI's wheels do, for "
                "the CUDA/cuDNN they were built with): run on the CPU - `device=\"cpu\", compute_type=\"int8\"` "
                "(whisperX/faster-whisper CLI: `--device cpu --compute_type int8`) - or, on a machine with an NVIDIA "
                "GPU, install a CUDA-enabled ctranslate2 release that matches its CUDA."),
    # a Hugging Face model behind a licence gate (pyannote's): without an accepted licence and a token the
    # download is refused, and pyannote's from_pretrained returns None instead of raising
    Rule("hf-gated-model", "model-download-failed", 49,
         rx(r"Could not download '(?P<model>[\w.-]+/[\w.-]+)' (?:pipeline|model)",
            r"(?:pipeline|model) is private or gated",
            r"Cannot access gated repo for url",
            r"(?:RepositoryNotFoundError|GatedRepoError|HTTPError): 401 Client Error[^\n]*huggingface\.co/(?P<repo>[\w.-]+/[\w.-]+)",
            r"'NoneType' object has no attribute '(?:to|instantiate|__call__|eval)'"),
         requires=rx(r"pyannote|from_pretrained|huggingface_hub|Pipeline\.from_pretrained|huggingface\.co"),
         # pyannote's Pipeline.from_pretrained returns None for a refused download: the NoneType error follows it
         check=lambda text, m: "NoneType" not in m.group(0) or bool(re.search(r"pyannote|Pipeline\.from_pretrained\(",
                                                                                 text, re.IGNORECASE)),
         summary="the model is gated on Hugging Face: its licence must be accepted and a token passed"),
    # eCryptfs (an encrypted Linux home) allows names of about 143 bytes: wheel cache entries are longer
    Rule("file-name-too-long", "other", 57,
         rx(r"File name too long \(os error 36\)", r"\[Errno 36\] File name too long"),
         summary="a file name is longer than this file system allows",
         action="A file name is longer than this file system allows - on Linux most often an encrypted home (eCryptfs "
                "limits names to about 143 bytes), which wheel and cache file names exceed: put the cache and the venv "
                "outside it (`UV_CACHE_DIR=/tmp/uv-cache` or `--cache-dir`, `PIP_CACHE_DIR`, a venv under /opt or "
                "/tmp) or upgrade the tool if it has since shortened its names (`uv self update`)."),
    # the CPU-only torch wheel (PyPI's default on Windows) asked to use CUDA, or a GPU torch that finds no usable GPU
    Rule("torch-cpu-build", "other", 24,
         rx(r"Torch not compiled with CUDA enabled", r"Torch is not able to use GPU"),
         blocker=fixed("torch"), summary="the installed torch is the CPU-only build",
         action="torch cannot use the GPU - most often the installed torch is the CPU-only build (PyPI's default "
                "wheel on Windows): "
                "replace it with a CUDA build from PyTorch's index - `python -m pip uninstall -y torch torchvision "
                "torchaudio`, then `python -m pip install torch torchvision torchaudio --index-url "
                "https://download.pytorch.org/whl/cu121` (the CUDA version pytorch.org's selector gives for your "
                "driver) - and update the NVIDIA driver if the GPU is still not used; or run on the CPU "
                "(device='cpu'; stable-diffusion-webui: --skip-torch-cuda-test)."),
    Rule("pip-memory-error", "other", 26,
         rx(r"\bMemoryError\b"), requires=rx(r"pip[\\/](?:_internal[\\/])?(?:basecommand|cli|commands|req|download)"),
         summary="pip ran out of memory on a large download",
         action=PIP_MEMORY),
    # the kernel's OOM killer ends pip in the middle of a large download: the shell prints only "Killed"
    Rule("pip-killed-during-download", "other", 27,
         rx(r"(?:Downloading|Collecting|Using cached)[^\n]*\n(?:[^\n]*\n){0,2}?[^\n]*(?:eta [\d:]+|MB/s|%)\s*Killed\s*$",
            r"(?:Downloading|Collecting)[^\n]*\n(?:[^\n]*\n){0,2}?\s*Killed\s*$"),
         summary="pip was killed (out of memory) while it downloaded a large file",
         action=PIP_MEMORY),
    # subprocess asked to start a folder (virtualenv -p C:\Python34\): Windows answers "Access is denied"
    Rule("program-path-is-folder", "wrong-interpreter", 62,
         rx(r"_execute_child[\s\S]{0,400}?PermissionError: \[WinError 5\] Access is denied"),
         requires=rx(r"virtualenv|\s-p\s|--python[ =]"),
         blocker=fixed("-p"), summary="the interpreter given is a folder, not python.exe",
         action="The interpreter given to -p / --python is a folder (C:\\Python34\\), and starting a folder is "
                "'Access is denied' on Windows: pass the full path of the interpreter itself (`virtualenv -p "
                "C:\\Python34\\python.exe ENV`), or a version the py launcher knows (`-p 3.4`)."),
    # a native library (onnxruntime, torch) could not allocate memory for the model at the chosen settings
    Rule("native-bad-alloc", "other", 26,
         rx(r"FAIL : bad allocation", r"\bstd::bad_alloc\b", r"RuntimeError: [^\n]*\bbad allocation\b"),
         summary="the program ran out of memory (a native allocation failed)",
         action="The program ran out of memory (the native library could not allocate what the model needs at these "
                "settings): lower the batch size / segment or chunk size, process shorter files, close other programs "
                "(or use the CPU instead of a small GPU, or the reverse), then retry."),
    # pyttsx3 2.80 declared pyobjc (macOS only) without a platform marker, so Windows and Linux try to build it
    Rule("pyttsx3-pyobjc", "other", 64,
         rx(r"Collecting pyobjc[^\n]*\(from pyttsx3"),
         requires=rx(r"ERROR|error|failed"),
         blocker=fixed("pyttsx3==2.80"), summary="pyttsx3 2.80 pulls pyobjc (macOS only) on this platform",
         action="pyttsx3 2.80 declared pyobjc, which exists only for macOS, for every platform, so pip tries to build it "
                "here: install the release before it (`python -m pip install pyttsx3==2.71`) or a current pyttsx3 "
                "(2.90 and later mark pyobjc as macOS-only: `python -m pip install --upgrade pyttsx3`)."),
    Rule("pip-download-stalled", "timeout", 14,
         rx(r"Downloading (?P<file>[^\s(]+)[^\n]*\((?P<size>\d{2,})(?:\.\d+)? ?MB\)[^\n]*(?:\n[^\n]*){0,2}?"
            r"(?P<speed>\b\d+(?:\.\d+)? ?[kK]B/s)[^\n]*(?:\n[^\n]*){0,2}?(?:ERROR: )?Exception:",
            # no speed shown: the traceback, ending in the socket read with no MemoryError, says the same
            r"Downloading (?P<file>[^\s(]+)[^\n]*\((?P<size>\d{3,})(?:\.\d+)? ?MB\)[^\n]*(?:\n[^\n]*){0,2}?"
            r"(?:ERROR: )?Exception:(?![\s\S]*MemoryError)[\s\S]*\bin (?:readinto|_error_catcher|_fp_read|_safe_read)\b"),
         requires=rx(r"in (?:readinto|recv_into|_error_catcher|_safe_read)\b|Read timed out|ReadTimeoutError"),
         blocker=downloaded_file, summary="the download of {blocker} broke off on a slow link",
         action="The download broke off in the middle of a large file on a slow link (pip was reading from the socket "
                "when it gave up): give pip more time and retries (`python -m pip install --default-timeout=1000 "
                "--retries 10 ...`), use a more stable connection, or a closer mirror (`--index-url`); or download the "
                "wheel once (in a browser) and install the file."),
    Rule("pip-crash-after-large-download", "other", 13,
         rx(r"Downloading [^\n]*\((?P<size>\d{3,})(?:\.\d+)? ?MB\)[^\n]*(?:\n[^\n]*){0,2}?(?:ERROR: )?Exception:"),
         check=lambda text, m: int(m.group("size")) >= 300,
         summary="most probable cause: pip ran out of memory on a very large download",
         action=PIP_MEMORY),
    Rule("distribution-not-found", "other", 24,
         rx(r"DistributionNotFound: The '(?P<req>[^']+)' distribution was not found and is required by (?P<by>\S+)"),
         blocker=group("req"), summary="{blocker} is missing from this environment",
         action="{blocker} is required but not installed in this interpreter: install it there (`python -m pip "
                "install \"{blocker}\"`) or reinstall the package that needs it in a fresh venv ({pack})."),
    # an import name asked for as a distribution name (or the reverse): pip cannot find it under that name
    Rule("import-name-not-on-pypi", "other", 66,
         rx(r"(?:Could not find a version that satisfies the requirement|No matching distribution found for) "
             r"(?P<req>win32com|win32api|pywintypes|cv2|sklearn|PIL|yaml|skimage)\b",
             r"No module named '(?P<req>win32com|win32api|pywintypes)(?:\.\w+)?'"),
         blocker=lambda text, m: m.group("req"), summary="{blocker} is an import name, not the PyPI package's name",
         action="`{blocker}` is the name you import, not the one to install: install {dist} instead "
                "(`python -m pip install {dist}`){pyttsx}."),
    Rule("pyttsx3-sapi5-elsewhere", "other", 24,
         rx(r"KeyError: '(?:sapi5|SAPI5)'", r"No module named 'win32com'[^\n]*\n(?:[^\n]*\n){0,3}?[^\n]*sapi5"),
         check=not_windows, summary="pyttsx3's SAPI5 driver was asked for on a machine that is not Windows",
         action="SAPI5 is the Windows speech API; this machine is not Windows: call `pyttsx3.init()` without a driver "
                "name (or 'nsss' on macOS, 'espeak' on Linux) and on Linux install espeak (`sudo apt-get install "
                "espeak-ng libespeak1`)."),
    Rule("pyttsx3-driver-import", "other", 23,
         rx(r"pyttsx3[\\/]driver\.py\", line \d+, in __init__\s*\n[>\s]*self\._module = importlib\.import_module"),
         summary="pyttsx3 could not load its platform speech driver"),
    # IPython's traceback, cut before the library's name: pyttsx3.init() raised an OSError on Linux, which is
    # ctypes failing to load libespeak (its espeak driver's only OSError)
    Rule("pyttsx3-init-oserror", "dll-load-failed", 23,
         rx(r"^OSError\s+Traceback \(most recent call last\)[^\n]*(?:\n[^\n]*){0,8}?\n[-> \d]*(?:engine|\w+) = pyttsx3\.init\("),
         check=lambda text, m: not_windows(text, m) and "nsss" not in text,
         blocker=fixed("libespeak"), summary="pyttsx3's espeak driver could not load the espeak library"),
    # best guesses: nothing above matched, but the log still points somewhere
    Rule("guess-32-bit", "python-32-bit", 12,
         rx(context.BITS_32),
         summary="most probable cause: a 32-bit Python (no TensorFlow wheels exist for it)"),
    # a notebook or IDE that cannot import what `pip list` shows: its kernel (interpreter) is another Python
    # the same import works at the `python` prompt and fails in IPython: the ipython command is another Python's
    Rule("module-missing-in-ipython-only", "wrong-interpreter", 18,
         rx(MODULE_MISSING),
         check=lambda text, m: bool(re.search(r"<ipython-input-|^In \[\d+\]: ", text, re.MULTILINE)) and bool(
             re.search(r"^>>> import " + re.escape(m.group("mod")) + r"\s*$(?!\n(?:Traceback|\s*File ))", text, re.MULTILINE)),
         blocker=lambda text, m: m.group("mod"),
         summary="{blocker} imports at the python prompt, but the ipython command runs another Python",
         action="{blocker} imports at the `python` prompt but not in IPython: the `ipython` command belongs to another "
                "Python (conda's base, or the system's) than this environment's. Install IPython into this environment "
                "(`conda install ipython`, or `python -m pip install ipython`), or start it through this Python "
                "(`python -m IPython`), so that both run the same interpreter."),
    # `sudo pip install` runs root's pip (the system Python's) and the user's own python (conda's, a venv's,
    # pyenv's) then lacks the module
    Rule("sudo-pip-other-python", "wrong-interpreter", 18,
         rx(MODULE_MISSING),
         requires=rx(r"^\s*(?:[$#] )?sudo (?:-H )?pip[\d.]* install\b",
                     r"[\\/](?:ana|mini)conda\d?[\\/]|[\\/]envs[\\/]|[\\/]\.pyenv[\\/]|\bvenv\b|virtualenv"),
         blocker=lambda text, m: m.group("mod"),
         summary="`sudo pip` installed {blocker} into root's Python, not the one that runs",
         action="`sudo pip` runs root's pip - the system Python's - not the pip of the Python you run (conda's, a "
                "venv's or pyenv's, as the log shows), so {blocker} went elsewhere: install without sudo, through the "
                "Python that runs (`python -m pip install {blocker}` after activating the environment; `which python` "
                "and `python -m pip -V` must name the same place)."),
    Rule("module-missing-in-notebook", "wrong-interpreter", 16,
         rx(MODULE_MISSING),
         requires=rx(r"\bjupyter\b|\bnotebook\b|ipykernel|\bspyder\b|\bpycharm\b|\bvs ?code\b|<ipython-input-|"
                     r"^\s*Cell In\s?\[\d+\]",
                     r"\bpip list\b|\bpip show\b|\bis installed\b|\binstalled (?:it|using|with|through|via|successfully)\b|"
                     # the user printed sys.executable in both places: two Pythons
                     r"Requirement already satisfied|sys\.executable[\s\S]*?sys\.executable"),
         blocker=lambda text, m: m.group("mod"),
         summary="{blocker} is installed, but the notebook or IDE runs another Python (its kernel)",
         action="{blocker} is installed into another Python than the one the notebook or IDE runs (its kernel or "
                "interpreter setting): install it from inside, into the same interpreter (`%pip install {blocker}` in a "
                "notebook cell, or `python -m pip install {blocker}` with the kernel's python), or make the "
                "environment that has it a kernel (`conda activate ENV`, `python -m pip install ipykernel`, `python -m "
                "ipykernel install --user --name ENV`) and pick that kernel / interpreter."),
    # the env has it, but the notebook (or a bare `python`) is the base interpreter: sys.executable shows which
    Rule("notebook-runs-base-python", "wrong-interpreter", 16,
         rx(r"\bModuleNotFoundError\b"),
         requires=rx(r"\bconda info --envs?\b|\bactivated?\b|\bdeactivated?\b", r"sys\.executable|\bjupyter\b|\bnotebook\b"),
         summary="the module is installed in a conda env, but this Python (the notebook's kernel) is another one",
         action="The module is installed in the conda environment, but the notebook (or this `python`) runs another "
                "interpreter - base's, as sys.executable shows: activate the environment before starting Jupyter "
                "(`conda activate ENV`, then `jupyter notebook`), or make the environment a kernel (`conda activate "
                "ENV`, `python -m pip install ipykernel`, `python -m ipykernel install --user --name ENV`) and pick it."),
    # the traceback runs in conda's base Python (its lib, not an envs/ folder): the app's packages were installed
    # into its own environment, which is not active
    Rule("module-missing-under-conda-base", "wrong-interpreter", 17,
         rx(MODULE_MISSING),
         requires=rx(r"[\\/](?:ana|mini|miniforge|mamba)(?:conda|forge)3?[\\/](?:lib[\\/]python3\.\d+|Lib)[\\/]site-packages[\\/]"),
         check=lambda text, m: not re.search(r"[\\/](?:ana|mini)conda3?[\\/]envs[\\/]", text, re.IGNORECASE),
         blocker=lambda text, m: m.group("mod"),
         summary="{blocker} is missing from conda's base Python, which is the one running",
         action="The program runs under conda's base Python (its traceback is in base's site-packages), and {blocker} "
                "was installed into the project's own environment: activate that environment first (`conda activate "
                "ENV`, then start the program again from that prompt), or install the requirements into the Python "
                "that runs (`python -m pip install -r requirements.txt`, with the Python version the project asks "
                "for)."),
    # a console script whose distribution metadata is not in the Python that runs it: pip installed the package
    # into another interpreter than the script's shebang names
    Rule("entry-point-other-python", "wrong-interpreter", 30,
         rx(r"(?:importlib(?:_metadata|\.metadata)\.)?PackageNotFoundError:? (?P<mod>[\w.-]+)\s*$",
            r"DistributionNotFound: The '(?P<mod>[\w.-]+)' distribution was not found"),
         requires=rx(r"Successfully installed\b|Running setup\.py develop for|Requirement already satisfied"),
         blocker=lambda text, m: m.group("mod"),
         summary="the {blocker} command runs another Python than the one pip installed {blocker} into",
         action="pip installed {blocker} into one Python, and the `{blocker}` command that ran belongs to another (its "
                "first line names that interpreter): install and run with the same interpreter - `python -m pip install "
                "{blocker}` (or `-e .`) and then `python -m {blocker}` - check with `python -m pip -V` and `which "
                "{blocker}` / `where {blocker}`; in a notebook restart the runtime after installing."),
    # PyObjC's modules (pyttsx3's macOS driver, AppKit/Foundation users): the bridge is a package of its own
    Rule("pyobjc-missing", "other", 60,
         rx(r"No module named '(?P<mod>Foundation|AppKit|objc|PyObjCTools|Quartz|AVFoundation|CoreFoundation)'"),
         blocker=fixed("pyobjc"), summary="the macOS framework module comes from PyObjC, which is not installed",
         action="`{mod}` is one of macOS's frameworks as PyObjC exposes them (pyttsx3's macOS driver, nsss, needs it): "
                "install PyObjC into the same Python (`python3 -m pip install pyobjc`), then run again; off macOS, "
                "choose the platform's own driver instead."),
    # moviepy's TextClip runs ImageMagick's convert/magick: absent, or unknown to moviepy on Windows
    Rule("imagemagick-missing", "other", 60,
         rx(r"This error can be due to the fact that ImageMagick is not installed",
            r"moviepy[\\/]video[\\/]VideoClip\.py\", line \d+, in __init__\s*\n\s*subprocess_call\(cmd"),
         blocker=fixed("ImageMagick"), summary="moviepy's TextClip could not run ImageMagick",
         action="moviepy draws text (TextClip) with ImageMagick, which is not installed or not where moviepy looks: "
                "install ImageMagick (Windows: its installer, with 'Install legacy utilities (e.g. convert)' ticked; "
                "`brew install imagemagick`; `sudo apt-get install imagemagick`), then tell moviepy its path - the "
                "IMAGEMAGICK_BINARY environment variable, or `from moviepy.config import change_settings; "
                "change_settings({{\"IMAGEMAGICK_BINARY\": r\"C:\\Program Files\\ImageMagick-7\\magick.exe\"}})` "
                "(moviepy 1.x; moviepy 2 draws text without ImageMagick)."),
    # ImageMagick's security policy refuses to read the text file moviepy passes as @file
    Rule("imagemagick-policy", "other", 60,
         rx(r"not authorized `@[^'\n]*' @ error/"),
         blocker=fixed("ImageMagick"), summary="ImageMagick's security policy refuses to read moviepy's @file",
         action="ImageMagick's security policy (policy.xml) forbids reading @files, which moviepy's TextClip uses: "
                "edit /etc/ImageMagick-6/policy.xml (or -7) and change the line `<policy domain=\"path\" "
                "rights=\"none\" pattern=\"@*\"/>` to rights=\"read,write\" (or comment it out), then run again."),
    # a keyring backend that cannot ask for the password here (SSH, a headless box, a dismissed prompt)
    Rule("keyring-unavailable", "other", 60,
         rx(r"Unable to store the password for [\w.-]+ in the key ring",
            r"Failed to (?:create|unlock) the collection(?:: Prompt dismissed)?",
            r"keyring\.errors\.(?:KeyringLocked|InitError|NoKeyringError)\b",
            r"No recommended backend was available\. Install a recommended 3rd party backend package"),
         blocker=fixed("keyring"), summary="the system keyring could not be used here",
         action="The system keyring (Secret Service / KWallet) could not be unlocked or asked here (an SSH session, "
                "a headless machine, a dismissed prompt): turn it off for this tool - `export PYTHON_KEYRING_BACKEND="
                "keyring.backends.null.Keyring` (PowerShell: `$env:PYTHON_KEYRING_BACKEND = ...`), or for poetry "
                "`poetry config keyring.enabled false` - and pass the token another way (POETRY_PYPI_TOKEN_PYPI, "
                "POETRY_HTTP_BASIC_<REPO>_PASSWORD)."),
    # the installed release of a package lacks a module or name the code imports: releases that do not match
    Rule("submodule-gone", "dependency-conflict", 16,
         rx(r"(?:ModuleNotFoundError|ImportError): No module named '?(?P<mod>[A-Za-z_]\w*)\.(?P<sub>[\w.]+)'?"),
         check=submodule_gone, blocker=lambda text, m: m.group("mod"), summary="the installed {blocker} is a release without that module"),
    Rule("api-gone", "dependency-conflict", 7,
         # (a "# " before it: the error pasted as a comment under the code that raised it)
         rx(r"^\s*(?:#\s*)?AttributeError: module '(?P<mod>[A-Za-z_][\w.]*)' has no attribute '(?P<attr>\w+)'",
            r"^\s*(?:#\s*)?ImportError: cannot import name '(?P<attr>\w+)' from '(?P<frm>[A-Za-z_][\w.]*)'(?! \(unknown)"),
         check=api_gone, blocker=api_owner,
         summary="the installed {blocker} is a release without the name the code uses"),
    # the user's own script carries the name of the package it imports: Python finds the script first (the
    # script's folder comes first on sys.path), so the package's submodules and names are "missing"
    Rule("script-shadows-module", "other", 66,
         rx(r"No module named '(?P<module>\w+)\.[\w.]+'; '(?P=module)' is not a package",
            r"partially initialized module '(?P<module2>\w+)' has no attribute"),
         check=lambda text, m: bool(shadowing_script(text, m.group("module") or m.group("module2"))),
         blocker=lambda text, m: shadowing_script(text, m.group("module") or m.group("module2")),
         summary="the user's own {blocker} is imported instead of the installed package",
         action="Your own file {blocker} has the name of the package it imports, so Python imports that file (its "
                "folder comes first on sys.path) instead of the installed package: rename the file (and delete the "
                "__pycache__ folder beside it), then run again - the shadowing goes away with the name."),
    # Python 2's own wording (Python 3 quotes the name): the script ran under Python 2, and the package the user
    # installed today went into Python 3 (pip3, or a pip of Python 3)
    Rule("python2-module-missing", "wrong-interpreter", 16,
         rx(r"^ImportError: No module named (?P<mod>[A-Za-z_]\w*)(?:\.[\w.]+)?\s*$"),
         check=lambda text, m: m.group("mod") not in stdlib.CORE_MODULES and not m.group("mod").startswith("_"),
         blocker=lambda text, m: m.group("mod"), summary="Python 2 ran the code; {blocker} is most likely Python 3's",
         action="This ImportError is Python 2's (Python 3 quotes the module's name): the script ran under Python 2, "
                "while {blocker} was most likely installed for Python 3 (by pip3, or a pip of Python 3). Run it with "
                "Python 3 (`python3 script.py`, `py -3` on Windows) and install with that same interpreter (`python3 "
                "-m pip install {blocker}`); today's packages no longer support Python 2."),
    Rule("module-not-installed", "other", 15,
         rx(MODULE_MISSING,
            r"Failed to initialize NumPy: No module named '(?P<mod>numpy)'"),
         blocker=lambda text, m: m.group("mod"), summary="the module {blocker} is not installed where the code runs"),
    Rule("pyttsx3-loop-running", "other", 23,
         rx(r"RuntimeError: run loop already started"),
         summary="pyttsx3's event loop was started twice",
         action="pyttsx3's runAndWait() was called while its event loop was already running (a second call from a "
                "callback, thread or notebook cell): call runAndWait() once per batch of say() calls, from one thread, "
                "or end the running loop first (engine.endLoop() / engine.stop())."),
    Rule("cudart-warning-only", "other", 8,
         rx(r"Ignore above cudart dlerror if you do not have a GPU set up on your machine"),
         # only when it is the only thing: a traceback after it is the failure, whatever it is
         check=lambda text, m: "Traceback (most recent call last)" not in text[m.end():],
         summary="only TensorFlow's warning that no CUDA runtime was found",
         action="This is only TensorFlow's warning that it found no CUDA runtime: harmless without a GPU (TensorFlow "
                "runs on the CPU - ignore it). To use a GPU, install the CUDA and cuDNN versions this TensorFlow was "
                "built with and put their bin folder on PATH."),
    Rule("guess-illegal-instruction", "cpu-without-avx", 14,
         rx(r"Illegal instruction", r"illegal hardware instruction"), blocker=fixed("tensorflow"),
         summary="most probable cause: a prebuilt binary (TensorFlow's) uses AVX, which this CPU lacks"),
    Rule("guess-no-build-isolation", "build-backend-missing", 11,
         rx(r"--no-build-isolation|--no-isolation"),
         summary="most probable cause: the build backend is missing under --no-build-isolation"),
    Rule("guess-tensorflow-import", "dependency-conflict", 9,
         rx(r"tensorflow[\\/]__init__\.py\", line \d+, in <modul"),
         blocker=fixed("tensorflow"), summary="most probable cause: importing TensorFlow failed (a broken install)",
         action="Importing TensorFlow failed inside its own package: reinstall it cleanly in a fresh venv "
                "(`python -m pip install --force-reinstall --no-cache-dir tensorflow`), or install {pack} in a new "
                "venv; if the error names a DLL or a .so file, that library is what is missing."),
    Rule("guess-spleeter-210-fallback", "metadata-generation-failed", 8,
         rx(r"Collecting numpy<1\.19\.0,>=1\.16\.0 \(from spleeter\)"),
         blocker=fixed("numpy<1.19.0,>=1.16.0"),
         summary="most probable cause: pip fell back to spleeter 2.1.0, whose numpy<1.19 no longer builds"),
    Rule("guess-tensorflow-native", "dll-load-failed", 10,
         rx(r"pywrap_tensorflow"),
         blocker=fixed("tensorflow"), summary="most probable cause: TensorFlow's native library did not load"),
    # Debian, Ubuntu and deadsnakes ship ensurepip (and so venv's pip) in a separate package
    # a venv whose creation skipped or failed ensurepip: its python runs, its pip was never put in
    Rule("venv-without-pip", "other", 68,
         rx(r"[\\/][\w.-]*(?:venv|env)[\\/](?:Scripts|bin)[\\/]python(?:\d[\d.]*)?(?:\.exe)?\"?: No module named pip\b"),
         # not uv's own throwaway build environment (a .tmpXXXX folder): there a setup.py that runs pip itself failed,
         # and the build's own rules say what it lacks
         check=lambda text, m: not in_uv_build_env(text, m),
         summary="the venv has no pip (its creation did not install it)",
         action="This venv has no pip - creating it skipped or failed the ensurepip step: put pip in with the venv's "
                "own python (`python -m ensurepip --upgrade`, run with that venv's python), or delete the venv folder "
                "and let it be created again."),
    Rule("ensurepip-missing", "other", 67,
         rx(r"No module named '?ensurepip'?",
            r"ensurepip is not\s+available",
            r"Command '\[[^\]\n]*'-Im', 'ensurepip'[^\n]*returned non-zero exit status"),
         blocker=fixed("ensurepip"), summary="this Python has no ensurepip, so venv cannot put pip into new environments"),
    Rule("pyttsx3-comtypes-speechlib", "other", 24,
         rx(r"cannot import name 'SpeechLib' from 'comtypes\.gen'"),
         summary="comtypes has no generated SpeechLib wrapper (a frozen app, or a stale comtypes cache)",
         action="comtypes has not generated the SpeechLib wrapper that pyttsx3's SAPI5 driver imports: in a PyInstaller "
                "build add the hidden imports (`--hidden-import=pyttsx3.drivers --hidden-import=pyttsx3.drivers.sapi5 "
                "--hidden-import=comtypes.gen.SpeechLib`, or a pyttsx3 hook); otherwise empty comtypes' gen cache and "
                "run once unfrozen, or reinstall comtypes (`python -m pip install --force-reinstall comtypes`)."),
    Rule("sapi5-not-registered", "other", 24,
         rx(r"com_error: \(-2147221005, 'Invalid class string'"),
         summary="Windows could not create the SAPI5 speech object",
         action="Windows could not create SAPI.SpVoice, the SAPI5 speech object pyttsx3 drives (it is not registered: a "
                "Windows edition or server without the speech components, or a broken pywin32): add the speech / "
                "text-to-speech components (Settings > Time & language > Speech), and reinstall pywin32 "
                "(`python -m pip install --force-reinstall pywin32`)."),
    Rule("nothing-installable-here", "other", 30,
         rx(r"Directory '(?P<dir>[^']+)' is not installable\. Neither 'setup\.py' nor 'pyproject\.toml' found",
            r"does not appear to be a Python project: neither 'setup\.py' nor 'pyproject\.toml' found"),
         summary="pip was pointed at a folder that is not a Python project",
         action="pip was given a folder that holds no Python project (no setup.py or pyproject.toml): run it in the "
                "project's own folder (`cd` into the checkout, then `python -m pip install .`), point it at that path, "
                "or install the released package by name from PyPI (`python -m pip install NAME`)."),
    # a compiled extension linked against another version of the library it extends (numpy, torch, ...)
    # a program started by subprocess that Windows cannot run: a 0-byte or cut download, another platform's build
    # an installed package whose code is Python 2 (`print x`): an abandoned namesake on PyPI (gi is not PyGObject)
    # or a release from before Python 3, imported by something that only probes for it
    Rule("python2-package-installed", "other", 60,
         rx(r"File \"[^\"\n]*site-packages[\\/](?P<pkg>[A-Za-z_]\w*)[\\/][^\"\n]*\", line \d+\s*\n[^\n]*\n(?:\s*\^+\s*\n)?"
            r"\s*SyntaxError: Missing parentheses in call to '(?:print|exec)'"),
         blocker=lambda text, m: m.group("pkg"), summary="the installed {blocker} is Python 2 code",
         action="The installed `{blocker}` package is Python 2 code (`print x`), which Python 3 cannot even parse: it is "
                "an old release or an unrelated namesake on PyPI (the `gi` on PyPI is not PyGObject). Uninstall it "
                "(`python -m pip uninstall {blocker}`); if something needs the real module, install the maintained "
                "package that provides it (PyGObject for gi) or a Python 3 release."),
    # numpy 1.19.4 refuses to import on Windows 10 2004, whose runtime's fmod is broken (fixed in the OS later)
    Rule("numpy-windows-fmod-check", "other", 70,
         rx(r"fails to pass a sanity check due to a bug in the windows runtime"),
         blocker=fixed("numpy==1.19.4"), summary="numpy 1.19.4's sanity check against Windows 10 2004's fmod bug",
         action="numpy 1.19.4 refuses to import on Windows 10 version 2004, whose runtime's fmod is broken: install "
                "numpy 1.19.3 (`python -m pip install numpy==1.19.3`) or a numpy from 1.20 on, or update Windows "
                "(the bug was fixed in a later Windows update)."),
    # a wheel that holds two .dist-info folders (intel-tensorflow 2.0.0 also held tensorflow's): pip 20 rejects it
    Rule("wheel-multiple-dist-info", "other", 70,
         rx(r"(?P<pkg>[\w.-]+) has an invalid wheel, multiple \.dist-info directories found: [\w.]+?-(?P<v>\d[\w.]*?)\.dist-info"),
         blocker=lambda text, m: m.group("pkg"), summary="the wheel of {blocker} is built wrongly (two .dist-info folders)",
         action="The wheel of {pkg} is built wrongly (it holds two .dist-info folders), which pip 20 and later reject: "
                "install a fixed release of it (a later version: `python -m pip install \"{pkg}>{v}\"`), or "
                "as a stopgap an older pip that accepted it (`python -m pip install \"pip<20\"`)."),
    # a console script's launcher under a user folder with non-ASCII letters: Python reads the script's path bytes
    # in the ANSI code page, not UTF-8
    Rule("script-path-not-utf8", "other", 70,
         rx(r"SyntaxError: Non-UTF-8 code starting with '\\x[0-9a-f]{2}' in file (?P<path>[^\n]*[\\/]Scripts[\\/]"
            r"(?P<tool>[\w.-]+?)-script\.pyw?)"),
         blocker=lambda text, m: m.group("tool"), summary="the {blocker} launcher fails on a non-ASCII user folder",
         action="The {tool} launcher lives under a folder whose name has non-ASCII letters, which this old launcher/Python "
                "cannot read: run the module through the interpreter instead (`python -m {tool} ...`), or install "
                "Python (or the venv) under an ASCII-only path such as C:\\Python37 or C:\\venvs\\{tool}."),
    Rule("program-not-win32", "other", 86,
         rx(r"_execute_child[\s\S]{0,600}?\[WinError 193\] %1 is not a valid Win32 application"),
         summary="the program the script starts is not a valid Windows program",
         action="The program this script starts through subprocess is not a valid Windows program: a 0-byte or "
                "partly downloaded .exe, a 32/64-bit mismatch, or a build for another OS. Find which program the "
                "command runs (often ffmpeg) and re-download a Windows build of it, extract it completely, and put "
                "its folder on PATH (`where ffmpeg` shows which one is found first)."),
    # torchaudio without soundfile/sox/ffmpeg: it has nothing to read or write audio with
    Rule("torchaudio-no-backend", "other", 30,
         rx(r"No audio (?:I/O )?backend is available",
            # the backend asked for (by name) is not among the installed ones
            r"Backend \"(?P<backend>\w+)\" is not one of available backends: \[(?P<have>[^\]\n]*)\]"),
         blocker=fixed("torchaudio"), summary="torchaudio has no audio backend to read or write files with"),
    # phonemizer (TTS front ends) loads eSpeak NG's library itself: Windows has it in no standard place
    Rule("espeak-not-installed", "dll-load-failed", 84,
         rx(r"espeak not installed on your system", r"RuntimeError: espeak(?:-ng)? not installed"),
         blocker=fixed("espeak-ng"), summary="phonemizer finds no eSpeak NG library",
         action="phonemizer finds no eSpeak NG: install eSpeak NG (Windows: the .msi from its GitHub releases; Linux: "
                "the espeak-ng package) and, on Windows, point phonemizer at its DLL - "
                "PHONEMIZER_ESPEAK_LIBRARY=C:\\Program Files\\eSpeak NG\\libespeak-ng.dll (and PHONEMIZER_ESPEAK_PATH "
                "to its folder) - then start the program again."),
    # CTranslate2 (faster-whisper, WhisperX) on a CPU or GPU without fast float16
    Rule("ctranslate2-float16", "other", 30,
         rx(r"Requested float16 compute type, but the target device or backend do not support efficient float16"),
         summary="float16 was asked for on a device without fast float16 (the CPU)",
         action="float16 needs a CUDA GPU: on the CPU pass compute_type=\"int8\" (or \"float32\"), e.g. "
                "`--compute_type int8`; for the GPU install the CUDA build of torch/CTranslate2 that matches your "
                "driver and run with device=\"cuda\"."),
    # audioread's raw backend (Python's audioop) reads 8/16/32-bit samples only
    Rule("audioop-sample-width", "other", 30,
         rx(r"audioop\.error: Size should be 1, 2(?:, 3)? or 4"),
         summary="audioread's raw WAV reader cannot read this file's sample width (24-bit)",
         action="audioread's raw WAV reader (Python's audioop) cannot read 24-bit samples: install soundfile (librosa "
                "reads WAV files through it first) or ffmpeg (audioread then decodes through it), or convert the file "
                "to 16-bit PCM."),
    # a program (not a Python extension) loading an older copy of its own library: a stale install elsewhere on
    # the loader's path (/usr/lib beside /usr/local/lib after `make install`)
    Rule("program-symbol-lookup", "dll-load-failed", 47,
         rx(r"^(?:\S*[\\/])?(?P<prog>[\w.-]+): symbol lookup error: [^\n]*undefined symbol: (?P<sym>\w+)",
            r"symbol lookup error: (?:\S*[\\/])?(?P<prog>[\w.-]+): undefined symbol: (?P<sym>\w+)"),
         blocker=lambda text, m: m.group("prog"), summary="{blocker} loads an older copy of its library (an undefined symbol)",
         action="{blocker} loads an older copy of the library it was built with (it lacks `{sym}`): another install of "
                "it sits earlier on the loader's path (a distribution package in /usr/lib beside a `make install` in "
                "/usr/local/lib). `ldd $(which {blocker})` shows which copy loads: remove the stale one (its package, "
                "or the old files) or run `sudo ldconfig` after `make install`, then run {blocker} again."),
    # pycurl compiled for one SSL backend and loading a libcurl built with another
    Rule("pycurl-ssl-backend", "other", 60,
         rx(r"pycurl: libcurl link-time ssl backend \((?P<link>[\w/-]+)\) is different from compile-time ssl backend"
            r" \((?P<compile>[\w/-]+)\)"),
         blocker=fixed("pycurl"), summary="pycurl was compiled for another SSL backend than its libcurl uses",
         action="pycurl was compiled for another SSL backend than the libcurl it loads ({link}): reinstall it compiled "
                "for that one - uninstall pycurl, set PYCURL_SSL_LIBRARY={link} (the backend `curl-config "
                "--ssl-backends` names), then `python -m pip install --no-cache-dir --compile pycurl` (with libcurl's "
                "and the SSL library's development packages installed)."),
    # a library's own import check naming the release it needs and the command that brings it; in a notebook the
    # running kernel keeps what it imported before the upgrade
    Rule("library-asks-for-release", "other", 48,
         rx(r"requires `(?P<req>[A-Za-z][\w.-]*(?:\[[\w,]+\])?[<>=!~]=?[\w.]+)`[^\n]*?[Pp]lease run `(?P<cmd>pip "
            r"install [^`\n]+)`"),
         blocker=lambda text, m: m.group("req"), summary="a library asks for a newer release of another: {blocker}",
         action="The library says it needs {req}: run `{cmd}` with the Python (or notebook) that runs the code, then "
                "restart it - in Colab or Jupyter restart the runtime/kernel, since the running session keeps the "
                "release it imported before the upgrade; `pip show` confirms the version installed."),
    # a library of the operating system itself (/lib64, /usr/lib) lacking a symbol an extension wants: the wheel was
    # built against a newer release of it (OpenSSL 1.1.1 against CentOS 7's 1.1.0) - not a mismatch between packages
    Rule("system-library-too-old", "dll-load-failed", 48,
         rx(r"(?:ImportError|OSError): (?:/usr)?/lib(?:64|/[\w-]+-linux-gnu)?/(?P<lib>lib[\w+-]+?)\.so[.\d]*: "
            r"undefined symbol: (?P<sym>\w+)"),
         blocker=lambda text, m: m.group("lib"), summary="the system's {blocker} is older than an extension needs",
         action="The operating system's {blocker} lacks `{sym}`, which a compiled package's wheel was built against (a "
                "newer release of that library; for libssl/libcrypto, OpenSSL 1.1.1 or later): upgrade that system "
                "library, or install a release of the package built for this system (a newer release that bundles "
                "or links it statically, or an older one), or take the package from conda, which brings its own "
                "copy of the library."),
    Rule("extension-undefined-symbol", "dependency-conflict", 47,
         rx(r"(?:site|dist)-packages[\\/](?P<name>[A-Za-z][\w.-]*)[\\/][^\n']*\.so[^\n':]*: undefined symbol",
            # old torchaudio's extension sat beside the packages, not inside its own folder
            r"(?:site|dist)-packages[\\/](?P<name>_torch_sox)\.[^\n':]*\.so: undefined symbol",
            # the same with the path elided or the message wrapped onto the next line
            r"[\\/](?P<name2>_torch_sox)\.[^\n':]*\.so:\s*\n?\s*undefined symbol"),
         blocker=lambda text, m: "torchaudio" if "_torch_sox" in m.groupdict().values() else (
             m.group("name").replace("_", "-")),
         summary="{blocker}'s compiled extension does not match the library version it was built against"),
    # `conda activate` inside a shell script: the script's non-interactive shell never ran conda's shell setup
    Rule("conda-activate-in-script", "other", 65,
         rx(r"CondaError: Run 'conda init' before 'conda (?:de)?activate'",
            r"CommandNotFoundError: Your shell has not been properly configured to use 'conda (?:de)?activate'"),
         requires=rx(r"^(?:\S*[$#>] ?)?\S*\.sh\b|\b(?:ba|z)?sh \S+\.sh\b|^#!/(?:usr/)?bin/(?:env )?(?:ba)?sh|\bin (?:a|my|the) "
                     r"(?:shell |bash )?script\b"),
         summary="`conda activate` ran in a shell script, whose shell has not loaded conda's shell function",
         action="A shell script runs a non-interactive shell that never loaded conda's shell function (what `conda "
                "init` adds to ~/.bashrc), so `conda activate` fails there: in the script, first `source \"$(conda info "
                "--base)/etc/profile.d/conda.sh\"` (or `eval \"$(conda shell.bash hook)\"`), then `conda activate "
                "ENV`; or skip activation and run the command in the env with `conda run -n ENV COMMAND`."),
    Rule("conda-not-available", "other", 64,
         rx(r"CommandNotFoundError: No command 'conda \w+'",
            r"CondaError: Run 'conda init' before 'conda (?:de)?activate'",
            r"CommandNotFoundError: Your shell has not been properly configured to use 'conda (?:de)?activate'",
            r"(?:^|\s)conda: command not found",
            r"'conda' is not recognized as an internal or external command",
            r"The term 'conda' is not recognized"),
         summary="conda is not installed, or not set up in this shell",
         action="This shell has no (working) conda: install a conda distribution (Miniconda or Anaconda) if there is "
                "none, or set it up for this shell - `conda init bash` for Git Bash, `conda init powershell`, or use the "
                "Anaconda Prompt - then open a new terminal; an old conda also lacks `conda env` (update conda)."),
    Rule("path-not-found", "other", 29,
         rx(r"EnvironmentFileNotFound: '(?P<path>[^']+)' file not found",
            r"ERROR: Could not open requirements file: \[Errno 2\] No such file or directory: '(?P<path2>[^']+)'"),
         summary="the file named on the command line does not exist at that path",
         action="The file given on the command line is not where the path says: check the path as written (a path "
                "from another OS or machine - C:/... on macOS/Linux -, a relative path typed in another folder, a typo), "
                "`cd` to the folder that holds it or give the full path, then run again."),
    Rule("conda-env-not-found", "other", 63,
         rx(r"EnvironmentNameNotFound: Could not find conda environment: (?P<env>\S+)",
            r"EnvironmentLocationNotFound: Not a conda environment: (?P<env>\S+)"),
         blocker=group("env"), summary="there is no conda environment {blocker}",
         action="There is no conda environment {blocker}: create it first (`conda create -n {blocker} python=3.10`), or "
                "pick one that exists (`conda env list`), then `conda activate {blocker}`."),
    # a package that distutils (or the OS) installed, without the RECORD pip needs to remove it
    Rule("cannot-uninstall-unrecorded", "other", 55,
         rx(r"Cannot uninstall '?(?P<req>[\w.-]+)'?\. It is a distutils installed project",
            r"Cannot uninstall (?P<req>[\w.-]+) [\d.]+\s*\n[^\n]*no RECORD file was found"),
         blocker=group("req"), summary="pip cannot uninstall {blocker}: it was installed without a file list",
         action="pip cannot remove {blocker}: it was installed by distutils or the OS package manager, without the "
                "file list (RECORD) pip needs. Install into a virtual environment instead (best), or leave the old copy "
                "and install over it: `python -m pip install --ignore-installed {blocker}` (a system copy belongs to "
                "the OS: use its package manager or a venv)."),
    # Python itself cannot start: it finds no standard library (a PYTHONHOME/PYTHONPATH of another Python)
    Rule("python-stdlib-not-found", "other", 99,
         rx(r"Fatal Python error: init_fs_encoding", r"Fatal Python error: Py_Initialize: unable to load the file "
            r"system codec", r"^ModuleNotFoundError: No module named 'encodings'"),
         summary="Python cannot find its own standard library (PYTHONHOME / PYTHONPATH)",
         action="Python cannot find its own standard library (the encodings module): PYTHONHOME or PYTHONPATH points at "
                "another Python, or the install is broken. Unset them (`set PYTHONHOME=` / `unset PYTHONHOME "
                "PYTHONPATH`; on Windows check System > Environment Variables), and if it persists reinstall Python; "
                "a venv made by a removed Python must be recreated."),
    # setup.py reads its README with the locale's codec (gbk, cp1252, cp932 ...) on a non-English Windows
    Rule("locale-codec-decode", "metadata-generation-failed", 62,
         rx(r"UnicodeDecodeError: '(?P<codec>gbk|cp\d+|mbcs|charmap|shift_jis|euc_kr|big5)' codec can't decode"),
         check=lambda text, m: bool(re.search(r"setup\.py|egg_info|Preparing metadata|build_meta", text)),
         blocker=build_subject, summary="the build of {blocker} read a UTF-8 file with the Windows locale's codec",
         action="The setup.py of {blocker} reads a UTF-8 file (its README) with this Windows locale's codec "
                "({codec}): turn on Python's UTF-8 mode and install again - `$env:PYTHONUTF8=1` (PowerShell) or "
                "`set PYTHONUTF8=1` (cmd) - or install a release with a wheel, which needs no setup.py."),
    Rule("console-codec-encode", "other", 30,
         rx(r"UnicodeEncodeError: '(?P<codec>gbk|cp\d+|mbcs|charmap|ascii)' codec can't encode character"),
         summary="printing to a console whose code page cannot show a character",
         action="The console's encoding ({codec}) cannot show a character the program prints: run with Python's "
                "UTF-8 mode (`$env:PYTHONUTF8=1` in PowerShell, `set PYTHONUTF8=1` in cmd, `export PYTHONUTF8=1` "
                "elsewhere) or PYTHONIOENCODING=utf-8, or switch the console to UTF-8 (`chcp 65001`)."),
    Rule("git-missing", "other", 64,
         rx(r"Cannot find command 'git' - do you have 'git' installed and in your PATH\?",
            r"\bgit: command not found", r"'git' is not recognized as an internal or external command"),
         blocker=fixed("git"), summary="pip needs git for a git+https requirement, and git is not installed",
         action="This requirement is a git URL (git+https://...), which pip clones with git - and git is not installed "
                "or not on PATH: install Git (`winget install Git.Git` on Windows, `sudo apt-get install git`, `brew "
                "install git`) and open a new terminal, or install the released package from PyPI by name instead."),
    Rule("invalid-requirement", "other", 58,
         rx(r"ERROR: Invalid requirement: '(?P<req>[^']+)'"), blocker=group("req"),
         summary="pip could not parse the requirement {blocker}",
         action="pip could not parse `{blocker}`: versions are pinned with == (`name==1.2.3`), not = or a space; quote "
                "specifiers with < or > in the shell (`\"numpy<2\"`), and a URL or path needs its own form "
                "(`name @ https://...`)."),
)
