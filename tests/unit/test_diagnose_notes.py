"""The machine notes (advice/notes.py): a 32-bit Python and a conda env add their sentence, and only then."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from harness.diagnose import diagnose_file, diagnose_text
from harness.diagnose.advice.base import Facts
from harness.diagnose.advice.notes import bits_note, new_python_note

LOGS = Path(__file__).parent / "data" / "logs"

# the error lines as the tools print them; the paths are what a Windows conda or venv user's traceback shows
NUMPY_DLL = ("  File \"{prefix}\\lib\\site-packages\\numpy\\core\\__init__.py\", line 24, in <module>\n"
             "    from . import multiarray\n"
             "ImportError: DLL load failed while importing _multiarray_umath: The specified module could not be found.\n")
TF_DLL = ("  File \"{prefix}\\lib\\site-packages\\tensorflow\\python\\pywrap_tensorflow.py\", line 64, in <module>\n"
          "    from tensorflow.python._pywrap_tensorflow_internal import *\n"
          "ImportError: DLL load failed while importing _pywrap_tensorflow_internal: A dynamic link library (DLL) "
          "initialization routine failed.\n")
CONDA = "C:\\Users\\me\\anaconda3\\envs\\audio"
VENV = "C:\\Users\\me\\proj\\.venv"


def test_a_setup_py_refusing_32_bit_windows_gets_the_64_bit_python():
    action = diagnose_file(next(LOGS.glob("1353-*.log"))).next_action
    assert "This Python is 32-bit" in action and "64-bit Python 3.8" in action


def test_a_64_bit_build_failure_gets_no_bitness_note():
    action = diagnose_file(next(LOGS.glob("1152-*.log"))).next_action  # 32-bit: the note, once
    assert action.count("64-bit") >= 1
    log = ("  Building wheel for webrtcvad (setup.py) ... error\n  error: Microsoft Visual C++ 14.0 or greater is "
           "required.\nPython 3.10.11 (tags/v3.10.11, Apr  5 2023) [MSC v.1929 64 bit (AMD64)] on win32\n")
    assert "32-bit" not in diagnose_text(log).next_action


def test_a_numpy_dll_in_a_conda_env_says_activate_it_then_reinstall_with_conda():
    # conda's DLLs are on PATH only in an activated env: that first, then conda's own reinstall (never pip's)
    action = diagnose_text(NUMPY_DLL.format(prefix=CONDA)).next_action
    assert "conda activate" in action and "conda install --force-reinstall numpy" in action
    assert "pip install" not in action


def test_the_same_dll_in_a_venv_gets_no_conda_note():
    action = diagnose_text(NUMPY_DLL.format(prefix=VENV)).next_action
    assert "conda" not in action and "reinstall numpy" in action


def test_tensorflow_in_a_conda_env_is_not_sent_to_condas_old_builds():
    action = diagnose_text(TF_DLL.format(prefix=CONDA)).next_action
    assert "do not mix pip and conda" not in action and "Redistributable" in action


# the refusal's target decides whose write it was: uv's own exe, the program's own open(), or an install's
UV_SELF = ("(.venv) PS C:\\work> uv pip install -r requirements.txt\nResolved 54 packages in 900ms\n"
           "error: failed to remove file `C:\\work\\.venv\\Lib\\site-packages\\../../Scripts/uv.exe`\n"
           "  Caused by: Access is denied. (os error 5)\n")
OPEN_A_FOLDER = ("Traceback (most recent call last):\n  File \"C:\\app\\run.py\", line 3, in <module>\n"
                 "    open(sys.argv[1])\nPermissionError: [Errno 13] Permission denied: 'D:\\\\songs\\\\album'\n")
PIP_WRITE = ("Installing collected packages: numpy\nERROR: Could not install packages due to an OSError: [WinError 5] "
             "Access is denied: 'C:\\\\Program Files\\\\Python310\\\\Lib\\\\site-packages\\\\numpy'\n")


def test_uv_replacing_its_own_exe_is_told_to_run_a_uv_from_outside_the_venv():
    action = diagnose_text(UV_SELF).next_action
    assert "uv installed outside the venv" in action and "pipx install uv" in action


def test_a_programs_own_open_of_a_folder_is_not_sent_to_reinstall():
    diagnosis = diagnose_text(OPEN_A_FOLDER)
    assert "D:\\songs\\album" in diagnosis.next_action and "not a directory" in diagnosis.next_action
    assert "venv" not in diagnosis.next_action


def test_pips_own_refused_write_keeps_the_install_advice():
    action = diagnose_text(PIP_WRITE).next_action
    assert "The program itself" not in action and "venv" in action


def _facts(**kw: object) -> "Facts":
    base = dict(category="source-build-failed", blocker="webrtcvad==2.0.10", pack="webrtcvad", python="3.14",
                target_python="3.13", installer="pip", platform="linux")
    base.update(kw)
    return Facts(**base)  # type: ignore[arg-type]


def test_a_build_on_a_python_newer_than_most_wheels_names_the_previous_minor():
    note = new_python_note(_facts(), "Install a C compiler and retry.")
    assert "on Python 3.13" in note and "3.14" in note


def test_the_new_python_note_stays_out_when_the_python_is_older_or_the_advice_names_one():
    assert new_python_note(_facts(python="3.12"), "Install a C compiler and retry.") == ""
    assert new_python_note(_facts(), "Use Python 3.12, where wheels exist.") == ""
    assert new_python_note(_facts(category="dll-load-failed"), "Reinstall it.") == ""


# a Windows metadata build of a release that has 64-bit Windows wheels only (PyPI's files), the bitness unseen
PANDAS_SDIST = ("PS C:\\work> py -m pip install pandas==2.2.1\nCollecting pandas==2.2.1\n"
                "  Downloading pandas-2.2.1.tar.gz (4.4 MB)\n  Preparing metadata (pyproject.toml) ... error\n"
                "  error: subprocess-exited-with-error\n\n  × Preparing metadata (pyproject.toml) did not run "
                "successfully.\n  │ exit code: 1\n")


def test_a_windows_build_of_a_64_bit_only_release_names_the_32_bit_python():
    action = diagnose_text(PANDAS_SDIST).next_action
    assert "64-bit Windows wheels only" in action and "pandas<2.1.0" in action


def test_the_64_bit_only_note_needs_windows_a_late_release_and_wheels_for_that_python():
    assert "64-bit Windows wheels" not in diagnose_text(PANDAS_SDIST.replace("PS C:\\work> ", "$ ")).next_action
    assert "64-bit Windows wheels" not in diagnose_text(PANDAS_SDIST.replace("2.2.1", "2.0.3")).next_action
    # h5py 3.7.0 has no wheel for 3.11 on any platform: the Python, not the bitness
    h5py = _facts(category="source-build-failed", blocker="h5py==3.7.0", python="3.11", platform="windows")
    assert bits_note(h5py, "Install a C compiler.") == ""
    assert "h5py<3.0.0" in bits_note(replace(h5py, python="3.10"), "Install a C compiler.")
    assert bits_note(replace(h5py, python="3.10", bits=64), "Install a C compiler.") == ""
