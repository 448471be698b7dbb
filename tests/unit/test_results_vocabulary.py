"""The result vocabulary: statuses, step kinds and categories are str enums the JSON cannot tell from strings."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from harness.diagnose.rules import RULES
from harness.results import (
    CATEGORIES,
    PASSED,
    STATUSES,
    Category,
    CellFileError,
    CellResult,
    CrossCheck,
    Diagnosis,
    Status,
    StepKind,
    StepResult,
    read_cell,
    write_cell,
)


def test_a_member_is_its_word_in_json_comparisons_and_formatting():
    assert Status.PASSED == "passed" and PASSED is Status.PASSED
    assert json.dumps({"status": Status.TIMEOUT}) == '{"status": "timeout"}'
    # f-strings and str() give the word on every Python (3.11 changed Enum.__format__ for mixins).
    assert f"{Status.FAILED} {StepKind.CROSS_CHECK:<12}|" == "failed cross-check |"
    assert str(Category.NO_WHEEL_FOR_PLATFORM) == "no-wheel-for-platform"
    assert STATUSES == ("passed", "failed", "skipped", "timeout", "blocked")
    assert CATEGORIES[0] == "python-version-unsupported" and CATEGORIES[-1] == "other"


def test_text_becomes_the_member_and_an_unknown_word_names_the_known_ones():
    assert Status.parse("blocked") is Status.BLOCKED
    with pytest.raises(ValueError) as info:
        Status.parse("green")
    assert str(info.value) == "unknown status 'green'; known: passed, failed, skipped, timeout, blocked"
    with pytest.raises(ValueError, match="unknown step kind 'build'; known: provision, preflight, install"):
        StepKind.parse("build")


def test_only_failed_timed_out_and_blocked_are_verdicts_against_a_cell():
    assert {s for s in Status if s.bad} == {Status.FAILED, Status.TIMEOUT, Status.BLOCKED}


def test_a_diagnosis_with_an_unknown_category_is_refused_where_it_is_built():
    with pytest.raises(ValueError) as info:
        Diagnosis(category="no-wheel", blocker="jax", next_action="use 3.9")
    message = str(info.value)
    assert message.startswith("unknown diagnosis category 'no-wheel'; known: python-version-unsupported, ")
    assert "no-wheel-for-platform" in message and message.endswith(", other")


def test_every_rule_of_the_rules_table_builds_a_diagnosis():
    for rule in RULES:
        built = Diagnosis(category=rule.category, blocker=None, next_action="x")
        assert built.category is Category(rule.category), rule.name


def test_records_hold_members_and_write_plain_words(tmp_path):
    diagnosis = Diagnosis("timeout", None, "raise the timeout", summary="install timed out after 5 s")
    step = StepResult("install", "timeout", kind="install", diagnosis=diagnosis)
    check = CrossCheck("uv", "passed", "spleeter 2.4.2", agrees=True)
    cell = CellResult("r1", "3.10", "default", "uv", "timeout", steps=(step,), platform="linux", cross_check=check)
    assert (step.status, step.kind, diagnosis.category, cell.status) == (
        Status.TIMEOUT, StepKind.INSTALL, Category.TIMEOUT, Status.TIMEOUT)
    assert type(cell.to_json()["status"]) is str and type(step.to_json()["kind"]) is str
    assert type(diagnosis.to_json()["category"]) is str and type(check.to_json()["status"]) is str
    back = read_cell(write_cell(tmp_path, cell))
    assert back == cell and back.steps[0].status is Status.TIMEOUT
    assert back.steps[0].diagnosis.category is Category.TIMEOUT


@pytest.mark.parametrize("where, value, says", [
    ("kind", "build", "unknown step kind 'build'"),
    ("category", "no-wheel", "unknown diagnosis category 'no-wheel'"),
])
def test_a_cell_file_with_an_unknown_word_is_refused_naming_it(tmp_path, where, value, says):
    diagnosis = Diagnosis("other", None, "read the log")
    cell = CellResult("r1", "3.10", "default", "uv", "failed", platform="linux",
                      steps=(StepResult("install", "failed", diagnosis=diagnosis),))
    data = cell.to_json()
    if where == "kind":
        data["steps"][0]["kind"] = value
    else:
        data["steps"][0]["diagnosis"]["category"] = value
    path = tmp_path / "cell.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CellFileError) as info:
        read_cell(path)
    assert str(info.value).startswith(f"{path}:1: not a cell result: {says}; known: ")


def test_the_readme_lists_every_category_in_the_vocabulary_order():
    # the README's "Categories:" paragraph is what a maintainer reads to decode a table cell
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    paragraph = readme[readme.index("Categories: "):].split("\n\n")[0]
    assert re.findall(r"`([a-z0-9-]+)`", paragraph) == list(CATEGORIES)
