"""JUnit XML: one testsuite per (platform, Python), one testcase per (strategy, step or stage).

Written with the ``junit-xml`` package so the file is what Jenkins, GitLab and
the GitHub reporter actions already read. The failure message is the
diagnosis headline (what a reader scans first); the log tail and the next
action go in the body.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Dict, List, Sequence, Tuple

from junit_xml import TestCase, TestSuite, to_xml_report_string

from harness.results import PASSED, SKIPPED, TIMEOUT, CellResult, StepKind, StepResult, version_key


def build_suites(cells: Sequence[CellResult]) -> List[TestSuite]:
    groups: Dict[Tuple[str, str], List[CellResult]] = OrderedDict()
    for cell in sorted(cells, key=lambda c: (c.where, version_key(c.python), c.strategy)):
        groups.setdefault((_group_id(cell), cell.python), []).append(cell)
    suites = []
    for (group, python), members in groups.items():
        cases: List[TestCase] = []
        for cell in members:
            cases.extend(_cases(cell))
        interpreter = next((c.interpreter for c in members if c.interpreter), None)
        first = members[0]
        # A dry resolution ran on no platform: its suite is named for the target (resolve-win_amd64).
        props = {"platform": first.where if first.is_dry else first.platform, "python": python}
        if first.profile:
            props["profile"] = first.profile
        if interpreter:
            props.update({"interpreter": interpreter.path, "interpreter_version": interpreter.version,
                          "interpreter_source": interpreter.source, "arch": interpreter.arch})
        suites.append(TestSuite(f"python-{python}-{group}", cases, properties=props))
    return suites


def _group_id(cell: CellResult) -> str:
    """``windows``, ``windows-end-user`` or ``resolve-win_amd64``: dots and spaces would split a JUnit class name."""
    if cell.is_dry:
        return cell.where
    return f"{cell.platform}-{cell.profile}" if cell.profile else cell.platform


def _cases(cell: CellResult) -> List[TestCase]:
    classname = f"{_group_id(cell)}.py{cell.python.replace('.', '')}.{cell.strategy}"
    if not cell.steps:
        case = TestCase(f"{cell.strategy} :: cell", classname=classname, elapsed_sec=cell.duration)
        if cell.status == SKIPPED:
            case.add_skipped_info(message=cell.reason or "skipped")
        elif cell.status != PASSED:
            case.add_failure_info(message=cell.reason or cell.status, failure_type=cell.status)
        return [case]
    return [_case(cell, step, classname) for step in cell.steps]


def _case(cell: CellResult, step: StepResult, classname: str) -> TestCase:
    case = TestCase(f"{cell.strategy} :: {step.name}", classname=classname, elapsed_sec=step.duration,
                    stdout=step.log_tail or None)
    if step.status == SKIPPED:
        case.add_skipped_info(message=step.message or "skipped")
    elif step.kind == StepKind.CROSS_CHECK and step.status != PASSED:
        # uv's answer beside pip's for a pip strategy: shown, never the cell's verdict.
        case.add_skipped_info(message=f"cross-check only, not the cell's verdict: {step.message or step.status}")
    elif cell.status == PASSED and step.status != PASSED:
        # A retry or a later fallback member recovered: the attempt is evidence, not a failure of the cell.
        headline = step.diagnosis.headline() if step.diagnosis else step.status
        case.add_skipped_info(message=f"recovered by a later attempt: {headline}")
    elif step.status.bad:
        diagnosis = step.diagnosis
        message = diagnosis.headline() if diagnosis else (step.message or step.status)
        body = []
        if diagnosis:
            body.append(f"category: {diagnosis.category}")
            if diagnosis.blocker:
                body.append(f"blocker: {diagnosis.blocker}")
            body.append(f"next action: {diagnosis.next_action}")
            body += [f"manual fallback: {c}" for c in diagnosis.manual_fallback]
        if step.log_path:
            body.append(f"log: {step.log_path}")
        body += ["", step.log_tail]
        kind = "timeout" if step.status == TIMEOUT else (diagnosis.category if diagnosis else step.status)
        case.add_failure_info(message=message, output="\n".join(body), failure_type=kind)
    return case


def junit_text(cells: Sequence[CellResult]) -> str:
    text: str = to_xml_report_string(build_suites(cells), prettyprint=True, encoding="utf-8")  # junit_xml is untyped
    return text
