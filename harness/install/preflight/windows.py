"""The Windows checks: the C++ build tools, long paths and the MAX_PATH budget, the VC++ runtime.

The registry applies them on Windows only; everywhere else they are not applicable without running.
"""
from __future__ import annotations

from pathlib import Path

from harness.install import winsys
from harness.install.preflight.checks import CheckContext
from harness.install.preflight.model import BLOCK, PASS, WARN, TargetFacts, Verdict

MSVC_FIX = (
    "Install Build Tools for Visual Studio with the C++ workload:\n"
    "winget install Microsoft.VisualStudio.2022.BuildTools --override "
    '"--quiet --wait --add Microsoft.VisualStudio.Workload.VCTools --includeRecommended"'
)


def check_msvc(ctx: CheckContext) -> Verdict:
    probes = ctx.probes
    paths, evidence = winsys.find_msvc(probes.which, probes.run, probes.read_registry_str, probes.environ)
    if paths:
        return Verdict(PASS, f"MSVC build tools at {paths[0]}", details=evidence)
    message = "no MSVC C++ build tools: source builds fail with 'Microsoft Visual C++ 14.0 or greater is required'"
    return Verdict(BLOCK, message, MSVC_FIX, evidence, category="msvc-build-tools-missing")


LONG_PATHS_FIX = "\n".join(
    (
        "Enable Win32 long paths (as administrator), then open a new terminal:",
        'PowerShell: New-ItemProperty -Path "HKLM:\\SYSTEM\\CurrentControlSet\\Control\\FileSystem" '
        "-Name LongPathsEnabled -Value 1 -PropertyType DWORD -Force",
        'cmd: reg add "HKLM\\SYSTEM\\CurrentControlSet\\Control\\FileSystem" /v LongPathsEnabled /t REG_DWORD /d 1 /f',
        "gpedit.msc: Computer Configuration > Administrative Templates > System > Filesystem > Enable Win32 long paths",
    )
)


def check_long_paths(ctx: CheckContext) -> Verdict:
    value = ctx.probes.read_registry_dword(winsys.LONG_PATHS_KEY, winsys.LONG_PATHS_VALUE)
    shown = "absent" if value is None else value
    evidence = (f"{winsys.LONG_PATHS_KEY} {winsys.LONG_PATHS_VALUE} = {shown}",)
    if value == 1:
        return Verdict(PASS, "Win32 long paths enabled", details=evidence)
    message = f"Win32 long paths disabled: every file path must stay under {winsys.MAX_PATH} characters"
    return Verdict(WARN, message, LONG_PATHS_FIX, evidence, category="long-path")


def site_packages_for(facts: TargetFacts, work_dir: Path) -> str:
    """Where the pack lands: the target's own site-packages if it is a venv, else the venv made in work_dir."""
    if facts.in_venv and facts.purelib:
        return facts.purelib
    return winsys.venv_site_packages(str(work_dir))


def check_path_length(ctx: CheckContext) -> Verdict:
    relpath = ctx.options.longest_pack_relpath
    site = site_packages_for(ctx.facts, ctx.work_dir)
    longest = winsys.longest_install_path(site, relpath)
    details = (
        f"site-packages: {site} ({len(site)} chars)",
        f"deepest pack file: {relpath} chars below site-packages -> {longest} chars",
        f"budget from: {ctx.options.path_budget_source}",
    )
    if ctx.long_paths_enabled():
        message = f"longest path {longest} chars; long paths are enabled"
        return Verdict(PASS, message, details=details)
    if longest < winsys.MAX_PATH:
        return Verdict(PASS, f"longest path {longest} chars < {winsys.MAX_PATH}", details=details)
    root_max = winsys.max_site_packages_length(relpath) - len("\\Lib\\site-packages")
    message = (
        f"the deepest pack file would be {longest} chars (limit {winsys.MAX_PATH - 1}) "
        f"and long paths are disabled: the venv root may be at most {root_max} characters"
    )
    fix = (
        f"Use a venv whose root has at most {root_max} characters (site-packages at most "
        f"{winsys.max_site_packages_length(relpath)}; e.g. C:\\sm\\venv), or:\n" + LONG_PATHS_FIX
    )
    return Verdict(BLOCK, message, fix, details, category="long-path")


def check_vc_redist(ctx: CheckContext) -> Verdict:
    for key in winsys.VC_REDIST_KEYS:
        if ctx.probes.read_registry_dword(key, winsys.VC_REDIST_VALUE) == 1:
            evidence = (f"{key} {winsys.VC_REDIST_VALUE} = 1",)
            return Verdict(PASS, "Visual C++ 2015-2022 x64 runtime installed", details=evidence)
    message = "Visual C++ 2015-2022 x64 runtime not registered: importing TensorFlow may fail (msvcp140_1.dll)"
    fix = "winget install Microsoft.VCRedist.2015+.x64  (or https://aka.ms/vs/17/release/vc_redist.x64.exe)"
    return Verdict(WARN, message, fix, category="dll-load-failed")
