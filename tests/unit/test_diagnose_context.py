"""Advice that fits the user's own machine, read from the log itself, and the corpus scorer.

The corpus-wide checks: a diagnosis never tells a user to move to the Python they already run, never
gives Windows commands to a Linux log (or the reverse), and speaks the log's own shell.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List

import pytest
import yaml

from harness.diagnose import context, diagnose_file, diagnose_text, main
from harness.diagnose.engine import WINDOWS_ONLY
from harness.diagnose.evaluate import CorpusError, load_manifest, run
from harness.diagnose.text import decode, normalise

LOGS = Path(__file__).parent / "data" / "logs"
MANIFEST: List[Dict] = yaml.safe_load((LOGS / "manifest.yaml").read_text(encoding="utf-8"))["logs"]
ALL = MANIFEST
WINDOWS_COMMANDS = re.compile(r"\bwinget\b|\bpy -\d|\\Scripts\\|\$env:|^set \w+=|\bwmic\b|Get-CimInstance")
POSIX_ONLY = re.compile(r"\bsudo\b|/bin/python|^export |\bapt-get\b|/proc/cpuinfo")


def seen(name: str) -> context.LogContext:
    return context.read(normalise(decode((LOGS / name).read_bytes())))


@pytest.mark.parametrize("entry", ALL, ids=[e["file"] for e in ALL])
def test_advice_never_repeats_what_the_log_shows_the_user_has(entry):
    facts = seen(entry["file"])
    diagnosis = diagnose_file(LOGS / entry["file"])
    said = diagnosis.next_action
    if facts.python:
        py = re.escape(facts.python)
        moved = re.search(rf"\b(?:use|install|move to|with) Python {py}\b(?!\.\d)", said, re.IGNORECASE)
        assert not moved, f"advises Python {facts.python}, which the log already runs: {said}"
        new_env = re.search(rf"(?:-p |py -|python|python=){py}\b(?!\.\d)[^\n`]*\b(?:venv|create)\b"
                            rf"|\b(?:venv|create)\b[^\n`]*(?:-p |python=){py}\b(?!\.\d)", said)
        if diagnosis.category in ("python-version-unsupported", "no-wheel-for-platform"):
            assert not new_env, f"a new env with the same Python {facts.python}: {said}"
    if facts.bits == 64:
        assert "64-bit" not in said, f"tells a 64-bit Python to use a 64-bit one: {said}"
    if diagnosis.blocker and "==" in diagnosis.blocker:
        assert f"pin {diagnosis.blocker}" not in said, f"pins the very version that failed: {said}"
    if (facts.platform == "windows" or diagnosis.category in WINDOWS_ONLY) and "spleeter==2.4.2" in said:
        # 2.4.2's tensorflow-io-gcs-filesystem==0.32.0 has no Windows wheel: never the plain pin on Windows
        assert "tensorflow-io-gcs-filesystem==0.31.0" in said, said
    commands = "\n".join(diagnosis.manual_fallback)
    if facts.platform == "windows" or diagnosis.category in WINDOWS_ONLY:
        assert not POSIX_ONLY.search(commands), commands
        if facts.shell == "cmd":
            assert "$env:" not in commands, commands
        if facts.shell == "powershell":
            assert not re.search(r"^set \w+=", commands, re.MULTILINE), commands
    else:
        assert not WINDOWS_COMMANDS.search(commands), commands


# -- what the log says about the machine ----------------------------------------------------------


def test_python_version_bitness_platform_and_shell_come_from_the_log():
    facts = seen("150-tensorflow-43244-python37-32-bit-windows.log")
    assert (facts.python, facts.bits, facts.platform) == ("3.7", 32, "windows")
    uv = seen("17-spleeter-943-uv-llvmlite-0381-windows.log")
    assert (uv.python, uv.installer, uv.platform, uv.shell) == ("3.11", "uv", "windows", "powershell")
    assert seen("212-numba-8894-guard-cut-powershell.log").shell == "powershell"
    assert seen("192-spleeter4max-50-pip-not-recognized-windows.log").shell == "cmd"
    assert seen("130-tensorflow-62342-illegal-instruction-celeron.log").python == "3.10"
    assert seen("101-pyfda-253-numpy2-abi-numexpr-py312.log").python == "3.12"
    assert seen("155-ml-security-53-i686-kali-tensorflow.log").bits == 32


def test_a_log_without_context_keeps_the_advice_generic():
    facts = context.read("ERROR: No matching distribution found for foo\n")
    assert (facts.python, facts.bits, facts.platform, facts.installer) == (None, None, "linux", "pip")


def test_uv_timeout_in_powershell_sets_the_variable_the_powershell_way():
    text = ("(venv) PS C:\\work> uv pip install torch\n"
            "  Caused by: Failed to download distribution due to network timeout. Try increasing UV_HTTP_TIMEOUT "
            "(current value: 30s).\n")
    diagnosis = diagnose_text(text)
    assert diagnosis.category == "timeout"
    assert '$env:UV_HTTP_TIMEOUT="300"' in diagnosis.next_action
    cmd = diagnose_text(text.replace("(venv) PS C:\\work> ", "C:\\work>"))
    assert "set UV_HTTP_TIMEOUT=300" in cmd.manual_fallback
    linux = diagnose_text(text.replace("(venv) PS C:\\work> ", "$ "))
    assert "export UV_HTTP_TIMEOUT=300" in linux.manual_fallback


def test_python_version_guard_inside_a_metadata_failure_is_the_root_cause():
    diagnosis = diagnose_file(LOGS / "210-openvoice-164-numba-guard-py3118.log")
    assert (diagnosis.category, diagnosis.blocker) == ("python-version-unsupported", "numba")
    assert "Use Python 3.10" in diagnosis.next_action  # the guard said <3.11; the user runs 3.11


def test_uv_picking_an_old_spleeter_on_311_means_pin_242_not_build_llvmlite():
    diagnosis = diagnose_file(LOGS / "17-spleeter-943-uv-llvmlite-0381-windows.log")
    assert diagnosis.blocker == "llvmlite==0.38.1"
    assert "pin spleeter==2.4.2" in diagnosis.next_action
    assert diagnosis.category == "python-version-unsupported"  # llvmlite 0.38 has no 3.11 wheel: the build is the symptom
    assert not re.search(r"[Uu]se Python 3\.11", diagnosis.next_action)  # the user is on 3.11 already


def test_numpy_abi_direction_decides_numpy_lt_2_or_upgrade():
    numpy2 = diagnose_file(LOGS / "100-jupyter-notebook-7522-numpy2-abi.log")
    assert (numpy2.category, numpy2.blocker) == ("numpy-abi", "numpy==2.0.0") and '"numpy<2"' in numpy2.next_action
    older = diagnose_file(LOGS / "105-shared-numpy-10-api-version-0x10-old-numpy.log")
    assert older.category == "numpy-abi" and "upgrade numpy" in older.next_action and "numpy<2" not in older.next_action


def test_pyenv_advice_skips_the_update_the_user_already_ran():
    ran = diagnose_file(LOGS / "202-explore-education-4423-pyenv-win-3-10-13.log")
    assert "pyenv update" not in ran.next_action and "pyenv install --list" in ran.next_action
    fresh = diagnose_file(LOGS / "201-pyenv-win-336-definition-not-found.log")
    assert "pyenv update" in fresh.next_action


def test_nothing_matched_still_names_the_most_probable_cause():
    diagnosis = diagnose_file(LOGS / "154-rasa-3973-python37-32-win32-wheels.log")
    assert diagnosis.category == "python-32-bit" and diagnosis.summary.startswith("most probable cause")
    assert "64-bit" in diagnosis.next_action


def test_a_user_saying_the_resolution_never_ends_is_sent_to_constraints():
    for said in ("pip has been resolving dependency complications for 32 hours now...\nCollecting demucs\n",
                 "pip install -U scikit-learn\nBuild dependencies installation never finishes\n"):
        diagnosis = diagnose_text(said)
        assert diagnosis.category == "resolver-backtracking" and "constraints" in diagnosis.next_action
    # a time alone, with nothing about resolving, is no such cue
    assert diagnose_text("The download took for 3 hours and then the page said ok\n").category == "other"


def test_numpys_own_illegal_instruction_is_numpys_not_tensorflows():
    baseline = diagnose_text("RuntimeError: NumPy was built with baseline optimizations:\n(X86_V2) but your machine "
                             "doesn't support:\n(X86_V2).\n")
    assert baseline.category == "cpu-without-avx" and '"numpy<2.4"' in baseline.next_action
    crash = diagnose_text('$ pip install numpy==1.19.5\nSuccessfully installed numpy-1.19.5\n$ python3 -c "import numpy"\n'
                          "Illegal instruction (core dumped)\n")
    assert (crash.category, crash.blocker) == ("cpu-without-avx", "numpy==1.19.5")
    assert "--no-binary numpy" in crash.next_action and "TensorFlow" not in crash.next_action
    # TensorFlow beside it keeps TensorFlow's advice
    tf = diagnose_text(">>> import numpy\n>>> import tensorflow\nIllegal instruction (core dumped)\n")
    assert tf.blocker == "tensorflow" and "AVX" in tf.next_action


def test_a_missing_ssl_module_in_a_conda_env_is_its_openssl_dlls():
    windows = diagnose_text("(dev) C:\\Users\\me>conda install numpy\nCondaSSLError: OpenSSL appears to be unavailable "
                            "on this machine. OpenSSL is required to download and install packages.\n")
    assert windows.category == "dll-load-failed" and "conda install -n dev" in windows.next_action
    assert "Library\\bin" in windows.next_action
    # a Python built without OpenSSL (pyenv, a source build) stays the ssl-module advice
    built = diagnose_text("$ pip install requests\npip is configured with locations that require TLS/SSL, however the "
                          "ssl module in Python is not available.\n")
    assert built.category == "other" and "libssl-dev" in built.next_action


def test_requirements_installed_then_a_missing_import_is_another_interpreter():
    log = ("- `pip install -r requirements.txt`: installed successfully\n(env) C:\\app>python main.py\n"
           "Traceback (most recent call last):\n  File \"C:\\app\\main.py\", line 2, in <module>\n    import whisper\n"
           "ModuleNotFoundError: No module named 'whisper'\n")
    assert diagnose_text(log).category == "wrong-interpreter"
    # without the install before it, a missing module is only that
    assert diagnose_text(log.split("\n", 1)[1]).category == "other"


def test_a_module_a_release_removed_names_that_release_and_the_new_import():
    gone = diagnose_text("    from moviepy.editor import *\nModuleNotFoundError: No module named 'moviepy.editor'\n")
    assert gone.category == "dependency-conflict" and '"moviepy<2.0"' in gone.next_action
    # the error pasted as a comment under the import that raised it
    commented = diagnose_text("from moviepy import editor\n# ImportError: cannot import name 'editor' from 'moviepy'\n")
    assert "from moviepy import VideoFileClip" in commented.next_action
    assert '"scikit-learn<0.23"' in diagnose_text("ModuleNotFoundError: No module named 'sklearn.externals.joblib'\n").next_action


def test_conda_under_strict_priority_or_sudo_gets_the_setting_that_caused_it():
    strict = diagnose_text("(base) root@x:/# conda config --set channel_priority strict\nFound conflicts! Looking for "
                           "incompatible packages.\nUnsatisfiableError: The following specifications were found to be "
                           "incompatible with each other:\n")
    assert "channel_priority flexible" in strict.next_action
    sudo = diagnose_text("root@x:~# sudo -u jenkins /opt/conda/bin/conda install -q -y numpy\nNotWritableError: The current "
                         "user does not have write permissions to a required path.\n  path: /root/.conda/pkgs/urls.txt\n")
    assert sudo.category == "permission-denied" and "sudo -H -u USER" in sudo.next_action


def test_an_issue_templates_python_bullet_is_the_logs_python():
    assert context.read_python("- OS: Arch\n- Python 3.10.2\n") == "3.10"
    assert context.read_python("* **Python version:** 3.9\n") == "3.9"


def test_a_dockerfiles_python_image_and_setuptools_build_folder_name_the_python():
    assert context.read_python("FROM python:3.13-rc-bookworm\nRUN pip install tokenizers==0.20.0\n") == "3.13"
    assert context.read_python("#5 [2/4] FROM docker.io/library/python:3.8-slim\n") == "3.8"
    assert context.read_python("Step 1/6 : FROM python:3.10\n") == "3.10"
    assert context.read_python("      creating build/temp.macosx-13-x86_64-cpython-312/CMakeFiles\n") == "3.12"
    assert context.read_python("copying x.py -> build\\lib.win-amd64-cpython-39\\pkg\n") == "3.9"
    # a macOS build folder is macOS evidence (a missing wheel there is the platform's, not the release's)
    assert context.read_platform("creating build/lib.macosx-12.4-arm64-cpython-39/tokenizers\n") == "macos"


def test_venv_and_conda_setup_failures_get_the_setup_step_they_miss():
    ensurepip = diagnose_text("The virtual environment was not created successfully because ensurepip is not\n"
                              "available.  On Debian/Ubuntu systems, you need to install the python3-venv\n"
                              "package using the following command.\n\n    apt install python3.8-venv\n")
    assert "sudo apt-get install python3.8-venv" in ensurepip.next_action
    script = diagnose_text("$ ./setup.sh\nCommandNotFoundError: Your shell has not been properly configured to use "
                           "'conda activate'.\nTo initialize your shell, run\n\n    $ conda init <SHELL_NAME>\n")
    assert "etc/profile.d/conda.sh" in script.next_action and "conda run -n ENV" in script.next_action
    prompt = diagnose_text("PS C:\\> conda activate audio\nCommandNotFoundError: Your shell has not been properly "
                           "configured to use 'conda activate'.\n")
    assert "conda init powershell" in prompt.next_action


def test_uvs_throwaway_build_env_without_pip_is_the_builds_undeclared_import():
    log = ("error: Failed to download and build: fasttext==0.9.2\n  Caused by: Build backend failed to determine metadata "
           "through `prepare_metadata_for_build_wheel`:\n--- stderr:\n/tmp/.tmpZAGWL2/.venv/bin/python: No module named pip\n"
           "Traceback (most recent call last):\n  File \"/tmp/.tmpZAGWL2/.venv/lib/python3.10/site-packages/setuptools/"
           "build_meta.py\", line 311, in run_setup\n    exec(code, locals())\nModuleNotFoundError: No module named "
           "'pybind11'\n")
    diagnosis = diagnose_text(log)
    assert diagnosis.category == "build-backend-missing" and "--no-build-isolation" in diagnosis.next_action
    # the user's own venv without pip stays that
    own = diagnose_text("$ .venv/bin/python -m pip install x\n/home/me/app/.venv/bin/python: No module named pip\n")
    assert "ensurepip" in own.next_action


def test_h5pys_build_without_hdf5_is_a_source_build_that_wants_a_wheel():
    diagnosis = diagnose_text("error: Unable to load dependency HDF5, make sure HDF5 is installed properly\n"
                              "error: libhdf5.so: cannot open shared object file: No such file or directory\n")
    assert diagnosis.category == "source-build-failed" and "--only-binary=:all: h5py" in diagnosis.next_action


def test_torchaudio_built_for_another_torch_gets_the_matching_pair():
    action = diagnose_text("$ pip install torch==2.1.0\nOSError: dlopen(/Users/me/miniforge3/lib/python3.9/site-packages/"
                           "torchaudio/lib/libtorchaudio.so, 0x0006): Symbol not found: __ZN2at14RecordFunctionC1ENS_11"
                           "RecordScopeEb\n").next_action
    assert 'torch==2.1.0 "torchaudio==2.1.*"' in action and "matching torchaudio" in action


def test_pips_download_cut_inside_urllib3_is_a_download_that_broke_off():
    log = ("Collecting torch\n  Downloading https://download.pytorch.org/whl/cu117/torch-2.0.1%2Bcu117-cp310-cp310-"
           "win_amd64.whl (2343.6 MB)\nERROR: Exception:\nTraceback (most recent call last):\n  File \"C:\\app\\venv"
           "\\lib\\site-packages\\pip\\_vendor\\urllib3\\response.py\", line 435, in _error_catcher\n    yield\n")
    diagnosis = diagnose_text(log)
    assert diagnosis.category == "timeout" and "--default-timeout=120" in diagnosis.next_action


# -- the corpus scorer ---------------------------------------------------------------------------------


def test_eval_prints_both_figures_and_the_misses(tmp_path, capsys):
    (tmp_path / "a.log").write_text("ERROR: Package 'spleeter' requires a different Python: 3.12.1 not in '<3.12,>=3.8'\n")
    (tmp_path / "b.log").write_text("KeyError: 'sample_rate'\n")
    (tmp_path / "manifest.yaml").write_text(
        "logs:\n"
        "  - {file: a.log, category: python-version-unsupported, action: [Python 3.11], split: tune}\n"
        "  - {file: b.log, category: ffmpeg-missing, also: [model-download-failed], action: [ffmpeg], split: heldout}\n")
    assert main(["--eval", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "tune: 1 logs; category 1/1 (100.0%), next action 1/1 (100.0%)"
    assert out[1] == "heldout: 1 logs; category 0/1 (0.0%), next action 0/1 (0.0%)"
    assert out[2].startswith("all: 2 logs; category 1/2 (50.0%)")
    assert out[3].startswith("miss [heldout] b.log: category other (want ffmpeg-missing|model-download-failed); "
                             "action lacks ffmpeg: ")
    assert len(out) == 5  # the same miss once more under "all"


def test_eval_of_one_split(tmp_path):
    (tmp_path / "a.log").write_text("KeyError: 'x'\n")
    (tmp_path / "manifest.yaml").write_text("logs:\n  - {file: a.log, category: other, action: [KeyError]}\n")
    text, result = run(tmp_path, "tune")
    assert result is not None and (result.total, result.category_right, result.action_right) == (1, 1, 1)
    assert text == "tune: 1 logs; category 1/1 (100.0%), next action 1/1 (100.0%)"


def test_eval_bad_manifest_is_one_line_and_exit_2(tmp_path, capsys):
    (tmp_path / "manifest.yaml").write_text("logs:\n  - file: a.log\n    category: no-such-thing\n    action: [x]\n")
    (tmp_path / "a.log").write_text("x\n")
    assert main(["--eval", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"error: {tmp_path / 'manifest.yaml'}:2: unknown category 'no-such-thing' for a.log"
    with pytest.raises(CorpusError, match="cannot read"):
        load_manifest(tmp_path / "missing")


def test_eval_needs_a_logfile_or_a_directory(capsys):
    with pytest.raises(SystemExit) as stop:
        main([])
    assert stop.value.code == 2 and "give a LOGFILE, --eval DIR or --build-similar DIR" in capsys.readouterr().err


# Families whose corpus logs are few: the generic forms, each on a minimal log written for the test (not corpus
# material), with the category and a word of the remedy an expert names.
GENERIC_FORMS = [
    ("OSError: sndfile library not found\n", "dll-load-failed", "libsndfile1"),
    ("PackagesNotFoundError: The following packages are not available from current channels:\n",
     "conda-env-conflict", "conda-forge"),
    ("ERROR: Directory '.' is not installable. Neither 'setup.py' nor 'pyproject.toml' found.\n", "other", "cd"),
    ('Traceback (most recent call last):\n  File "/usr/lib/python3.5/site-packages/spleeter/__init__.py", line 10\n'
     '    f"{x}"\n         ^\nSyntaxError: invalid syntax\n', "python-version-unsupported", "newer Python"),
    ('  File "/usr/local/lib/python3.8/site-packages/spleeter/separator.py", line 5, in <module>\n'
     "    import tensorflow.contrib\nModuleNotFoundError: No module named 'tensorflow.contrib'\n", "dependency-conflict", "Pin"),
    ("tensorflow.python.framework.errors_impl.ResourceExhaustedError: OOM when allocating tensor with shape[1]\n",
     "other", "CUDA_VISIBLE_DEVICES"),
    ("ImportError: /venv/lib/python3.10/site-packages/torchaudio/lib/libtorchaudio.so: undefined symbol: _ZN3c10\n",
     "dependency-conflict", "matching"),
    ("pip._vendor.urllib3.exceptions.ReadTimeoutError: HTTPSConnectionPool(host='files.pythonhosted.org', "
     "port=443): Read timed out.\n", "timeout", "--default-timeout"),
    ("ValueError: Can't load save_path when it is None.\n", "model-download-failed", "MODEL_PATH"),
    ("AttributeError: module 'keras' has no attribute 'layers_v2'\n", "dependency-conflict", "Pin"),
    ("usage: demucs [-h] [-o OUT] tracks\ndemucs: error: unrecognized arguments: --two-stems\n", "other", "--help"),
    ("AttributeError: 'Separator' object has no attribute '_stft'\n", "other", "older spleeter"),
    ("AttributeError: 'Widget' object has no attribute 'render_v2'\n", "other", "older release"),
    ('  File "/home/u/venv/lib/python3.10/site-packages/pyttsx3/__init__.py", line 20, in init\nKeyError: \'sapi5\'\n',
     "other", "espeak"),
    ("EnvironmentNotWritableError: The current user does not have write permissions to the target environment.\n"
     "  environment location: /opt/miniconda3\n", "permission-denied", "conda create -n"),
    ("NoWritablePkgsDirError: No writeable pkgs directories configured.\n  - /opt/conda/pkgs\n", "permission-denied",
     "pkgs_dirs"),
    ('  File "/tmp/build-env/lib/python3.12/site-packages/setuptools/build_meta.py", line 304, in _get_build_requires\n'
     '    self.run_setup()\n  File "<string>", line 5, in <module>\nModuleNotFoundError: No module named \'torch\'\n',
     "build-backend-missing", "--no-build-isolation"),
    ("['-i', 'in.mp4', '-map', '0:a', 'out.wav']\nFileNotFoundError: [WinError 2] The system cannot find the file "
     "specified\n", "ffmpeg-missing", "PATH"),
]


@pytest.mark.parametrize("log,category,word", GENERIC_FORMS, ids=[g[1] + "-" + g[2] for g in GENERIC_FORMS])
def test_generic_forms_name_the_cause_and_a_remedy(log, category, word):
    diagnosis = diagnose_text(log)
    assert diagnosis.category == category
    assert word.lower() in diagnosis.next_action.lower(), diagnosis.next_action


def test_a_retried_timeout_that_then_succeeded_is_not_the_verdict():
    log = ("WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection "
           "broken by 'ReadTimeoutError(\"HTTPSConnectionPool(host='pypi.org', port=443): Read timed out. "
           "(read timeout=15)\")': /simple/numpy/\n"
           "  Building wheel for numpy (pyproject.toml) ... error\n"
           "error: command '/usr/bin/gcc' failed with exit code 1\n")
    assert diagnose_text(log).category == "source-build-failed"


# What a POSIX shell understands and PowerShell / cmd do not (activation, versioned interpreters, venv paths).
POSIX_SHELL = re.compile(r"\bsource |\bpython3\.\d+\b|^export |\bexport \w+=|/bin/python|"
                         r"\.venv[\w-]*/bin/", re.MULTILINE)


@pytest.mark.parametrize("entry", ALL, ids=[e["file"] for e in ALL])
def test_a_windows_log_gets_only_commands_its_shell_runs(entry):
    facts = seen(entry["file"])
    if facts.platform != "windows":
        return
    diagnosis = diagnose_file(LOGS / entry["file"])
    commands = "\n".join(diagnosis.manual_fallback)
    assert not POSIX_SHELL.search(commands), commands
    quoted = "\n".join(re.findall(r"`([^`]+)`", diagnosis.next_action))  # the commands the next action spells out
    assert not POSIX_SHELL.search(quoted), diagnosis.next_action


def test_uv_without_its_interpreter_on_windows_gets_a_powershell_fallback():
    text = ("PS C:\\Users\\me> python --version\nPython 3.12.1\nPS C:\\Users\\me> uv venv -p 3.12\n"
            "error: No interpreter found for Python 3.12 in managed installations\npython-preference = \"only-managed\"\n")
    diagnosis = diagnose_text(text)
    said = diagnosis.next_action + "\n" + "\n".join(diagnosis.manual_fallback)
    assert diagnosis.category == "interpreter-unavailable" and "--python C:\\" in said
    assert not POSIX_SHELL.search(said) and "$(" not in said, said


@pytest.mark.parametrize("prompt,written", [
    ("PS C:\\work> ", 'Set-Content -Encoding ascii build-constraints.txt "setuptools<72"'),
    ("C:\\work>", "echo setuptools^<72> build-constraints.txt"),
    ("$ ", 'echo "setuptools<72" > build-constraints.txt'),
])
def test_a_line_written_to_a_file_is_spelled_for_the_users_shell(prompt, written):
    text = (f"{prompt}uv pip install pyfoo==0.4.1\nerror: Failed to build `pyfoo==0.4.1`\n  Caused by: Call to "
            "`setuptools.build_meta:__legacy__.build_wheel` failed (exit status: 1)\n"
            "ModuleNotFoundError: No module named 'setuptools.command.test'\n")
    assert written in diagnose_text(text).manual_fallback
