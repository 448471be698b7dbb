"""--inspect-wheels: PE imports of real binaries (the host Python's own, where it is a Windows build) and the rule."""
from __future__ import annotations

from harness.plan.peimports import Inspection, find_missing, inspection_step, provided_elsewhere


def test_system_ucrt_and_cpython_dlls_are_provided_the_vc_runtime_is_not():
    for dll in ("KERNEL32.dll", "api-ms-win-crt-runtime-l1-1-0.dll", "VCRUNTIME140.dll", "vcruntime140_1.dll",
                "python310.dll", "bcryptprimitives.dll"):
        assert provided_elsewhere(dll), dll
    assert not provided_elsewhere("MSVCP140.dll") and not provided_elsewhere("hdf5.dll")


def test_a_dll_counts_only_when_the_importing_wheel_ships_it():
    # recorded imports (tensorflow-intel 2.12.1 cp310 and h5py 3.16.0, read with pefile)
    imports = [
        ("tensorflow/lite/python/analyzer_wrapper/_pywrap_analyzer_wrapper.pyd",
         ["python310.dll", "MSVCP140.dll", "KERNEL32.dll", "VCRUNTIME140.dll", "VCRUNTIME140_1.dll",
          "api-ms-win-crt-runtime-l1-1-0.dll"], {"_pywrap_analyzer_wrapper.pyd"}),
        ("h5py/_conv.cp310-win_amd64.pyd", ["hdf5.dll", "python310.dll", "VCRUNTIME140.dll"],
         {"_conv.cp310-win_amd64.pyd", "hdf5.dll"}),
        ("pandas/_libs/window/aggregations.cp310-win_amd64.pyd", ["MSVCP140.dll"], {"msvcp140.dll"}),
    ]
    missing = find_missing(imports)
    assert missing == {"msvcp140.dll": ("tensorflow/lite/python/analyzer_wrapper/_pywrap_analyzer_wrapper.pyd",)}
    step = inspection_step(Inspection(missing, 3, ("tensorflow/python/_pywrap_tensorflow_internal.pyd (170 MB)",)))
    assert step.status == "passed" and step.kind == "cross-check"  # a prediction, not a resolution failure
    assert step.diagnosis.category == "dll-load-failed" and step.diagnosis.blocker == "msvcp140.dll"
    assert "Microsoft.VCRedist.2015+.x64" in step.diagnosis.next_action
    assert step.metrics["skipped"] == ["tensorflow/python/_pywrap_tensorflow_internal.pyd (170 MB)"]


def test_pefile_reads_the_import_table_of_a_real_windows_executable():
    """pip ships Windows launchers (distlib's t64.exe): a real PE file, on any OS."""
    import pytest

    pytest.importorskip("pefile")
    from pathlib import Path

    import pip._vendor.distlib as distlib

    from harness.plan.peimports import imported_dlls

    launcher = Path(distlib.__file__).parent / "t64.exe"
    if not launcher.is_file():
        pytest.skip("this pip ships no distlib launchers")
    dlls = [d.lower() for d in imported_dlls(launcher.read_bytes())]
    assert "kernel32.dll" in dlls
