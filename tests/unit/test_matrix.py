"""matrix.yaml loading: the default file is valid, and every mistake is named with its line."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from harness import matrix
from harness.errors import MatrixError

ROOT = Path(__file__).resolve().parents[2]

VALID = textwrap.dedent("""\
    version: 1
    pack:
      requirement: spleeter==2.4.2
      requires_python: ">=3.8,<3.12"
      import_check: [spleeter, tensorflow]
    pythons: ["3.8", "3.10"]
    pins:
      base:
        default: [numpy==1.23.5]
        "3.8": [numpy==1.22.4]
    strategies:
      - id: wheel-first
        installer: uv
        steps:
          - name: install
            requirements: ["{pack}"]
            args: ["--only-binary=:all:"]
      - id: pinned
        installer: pip
        steps:
          - name: deps
            requirements: []
            pins: base
            substitutions: {a==1: a==2}
      - id: resilient
        installer: pip
        fallback: [wheel-first, pinned]
    chain:
      enabled: false
      item: ""
      stages: []
    """)


def load_text(tmp_path: Path, text: str) -> matrix.Matrix:
    path = tmp_path / "matrix.yaml"
    path.write_text(text, encoding="utf-8")
    return matrix.load(path)


def errors_of(tmp_path: Path, text: str) -> list:
    with pytest.raises(MatrixError) as info:
        load_text(tmp_path, text)
    return info.value.problems


def test_default_matrix_is_valid_and_covers_wp0050():
    m = matrix.load(ROOT / "matrix.yaml")
    assert m.pythons == ("3.8", "3.9", "3.10", "3.11")
    ids = {s.id for s in m.strategies}
    assert {"default", "wheel-first", "bootstrap", "source-build", "no-build-isolation", "no-deps-pinned",
            "resilient"} <= ids
    assert {s.installer for s in m.strategies} == {"pip", "uv"}
    assert m.strategy("source-build").opt_in == "source-builds"
    assert m.strategy("resilient").fallback[0] == "bootstrap"
    assert m.interpreter_fallback == ("3.11", "3.10", "3.9", "3.8")
    assert [s.name for s in m.chain.stages] == ["separate", "diarize", "tts", "mix", "mux"]
    assert m.chain.stages[0].where == "venv"


def test_valid_file_builds_frozen_values(tmp_path):
    m = load_text(tmp_path, VALID)
    assert m.pack.name == "spleeter"
    step = m.strategy("wheel-first").steps[0]
    assert step.args == ("--only-binary=:all:",)
    assert m.pins_for("base", "3.8") == ("numpy==1.22.4",)
    assert m.pins_for("base", "3.10") == ("numpy==1.23.5",)
    assert m.strategy("pinned").steps[0].substitutions == (("a==1", "a==2"),)
    with pytest.raises(Exception):
        m.pack.requirement = "x"  # frozen


def test_three_mistakes_give_three_line_numbered_errors(tmp_path):
    broken = VALID.replace('args: ["--only-binary=:all:"]', "args: --only-binary") \
        .replace("installer: uv", "installer: conda") \
        .replace("        pins: base\n", "        pins: base\n        colour: red\n")
    problems = errors_of(tmp_path, broken)
    assert problems == [
        "matrix.yaml:13: strategies[0].installer: 'conda' is not one of: pip, uv",
        "matrix.yaml:17: strategies[0].steps[0].args: expected a list of strings",
        "matrix.yaml:24: strategies[1].steps[0].colour: unknown key (allowed: name, requirements, args, pins, substitutions)",
    ]


def test_unknown_top_level_key_and_bad_references(tmp_path):
    text = VALID.replace("version: 1\n", "version: 1\nextra: true\n").replace(
        "fallback: [wheel-first, pinned]", "fallback: [wheel-first, nope]").replace("pins: base", "pins: other")
    problems = errors_of(tmp_path, text)
    assert any(p.startswith("matrix.yaml:2: extra: unknown key") for p in problems)
    assert any("fallback[1]: unknown strategy 'nope'" in p for p in problems)
    assert any("pins: unknown pin set 'other'" in p for p in problems)


def test_unquoted_python_version_is_named(tmp_path):
    problems = errors_of(tmp_path, VALID.replace('pythons: ["3.8", "3.10"]', "pythons: [3.8, 3.10]"))
    # YAML reads 3.10 as the float 3.1: exactly the mistake users make.
    assert problems[0].startswith("matrix.yaml:6: pythons[0]: 3.8: write versions as quoted strings")
    assert len([p for p in problems if "pythons[" in p]) == 2


def test_ids_are_validated(tmp_path):
    problems = errors_of(tmp_path, VALID.replace("id: pinned", "id: ../escape"))
    assert any("strategies[1].id: '../escape' does not match" in p for p in problems)


def test_yaml_syntax_error_has_a_line(tmp_path):
    problems = errors_of(tmp_path, "pack: [unclosed\npythons: []\n")
    assert problems[0].startswith("matrix.yaml:")
    assert "invalid YAML" in problems[0]


def test_steps_and_fallback_are_exclusive(tmp_path):
    text = VALID.replace("fallback: [wheel-first, pinned]",
                         "fallback: [wheel-first]\n    steps: [{name: x, requirements: [y]}]")
    assert any("give exactly one of 'steps' or 'fallback'" in p for p in errors_of(tmp_path, text))


def test_options_must_not_be_packages(tmp_path):
    text = VALID.replace('args: ["--only-binary=:all:"]', 'args: ["numpy"]')
    assert any("'numpy' is not an option" in p for p in errors_of(tmp_path, text))


def test_chain_stage_order_is_enforced(tmp_path):
    text = VALID.replace("""chain:
  enabled: false
  item: ""
  stages: []""", """chain:
  item: samples/x
  stages:
    - {name: diarize}
    - {name: separate, where: venv}""")
    assert any("stages must be, in order" in p for p in errors_of(tmp_path, text))
