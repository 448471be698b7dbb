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
    import dataclasses

    with pytest.raises(dataclasses.FrozenInstanceError):
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


# -- hostile input: every problem is one `matrix.yaml:LINE:` line, in milliseconds, never a traceback


def one_line(tmp_path: Path, text: str) -> str:
    problems = errors_of(tmp_path, text)
    assert len(problems) == 1 and "\n" not in problems[0], problems
    assert problems[0].startswith("matrix.yaml:") and problems[0].split(":")[1].isdigit(), problems
    return problems[0]


def test_an_alias_bomb_is_refused_in_milliseconds(tmp_path):
    import time

    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    started = time.monotonic()
    problem = one_line(tmp_path, "\n".join(levels) + "\n" + VALID)
    assert time.monotonic() - started < 5  # 10^9 values if it expanded; the guard is generous here on purpose
    assert "aliases" in problem or "alias bomb" in problem


def test_few_aliases_that_expand_hugely_are_refused(tmp_path):
    # 2 aliases per level: under the alias cap, but 2^30 values when expanded.
    levels = ["b0: &b0 [x, x]"] + [f"b{i}: &b{i} [*b{i - 1}, *b{i - 1}]" for i in range(1, 31)]
    assert "alias" in one_line(tmp_path, "\n".join(levels) + "\n" + VALID)


def test_a_recursive_alias_is_refused(tmp_path):
    problem = one_line(tmp_path, "loop: &loop [*loop]\n" + VALID)
    assert problem.startswith("matrix.yaml:1:") and "recursive" in problem


def test_deep_nesting_is_refused_without_recursion_error(tmp_path):
    problem = one_line(tmp_path, "deep: " + "[" * 5000 + "]" * 5000 + "\n" + VALID)
    assert problem.startswith("matrix.yaml:1:") and "nested deeper than" in problem


def test_a_duplicate_key_names_both_lines(tmp_path):
    text = VALID.replace('pythons: ["3.8", "3.10"]\n', 'pythons: ["3.8", "3.10"]\npythons: ["3.11"]\n')
    assert one_line(tmp_path, text) == (
        "matrix.yaml:7: duplicate key 'pythons' (first at line 6); YAML would silently keep only the last one")


def test_non_utf8_is_one_line_with_its_line(tmp_path):
    path = tmp_path / "matrix.yaml"
    path.write_bytes(VALID.encode("utf-8").replace(b"spleeter==2.4.2", b"spl\xe9eter==2.4.2"))
    with pytest.raises(MatrixError) as info:
        matrix.load(path)
    assert info.value.problems == ["matrix.yaml:3: not UTF-8 (byte 0xe9); save the file as UTF-8"]


def test_a_huge_file_fifo_or_device_is_refused_without_reading_it(tmp_path):
    import os

    big = tmp_path / "matrix.yaml"
    big.write_bytes(b"# padding\n" * 200_000)
    with pytest.raises(MatrixError, match="larger than 1024 KiB"):
        matrix.load(big)
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)  # opening it would block until a writer comes
    with pytest.raises(MatrixError, match="not a regular file"):
        matrix.load(fifo)
    with pytest.raises(MatrixError, match="not a regular file"):
        matrix.load(Path("/dev/zero"))


def test_values_that_would_fail_only_after_the_installs(tmp_path):
    text = VALID.replace('requires_python: ">=3.8,<3.12"', "requires_python: three-eight") \
        .replace("timeouts:", "") + "timeouts: {install: .nan, verify: .inf}\n"
    problems = errors_of(tmp_path, text)
    assert any("pack.requires_python: not a version specifier: 'three-eight'" in p for p in problems), problems
    assert any("timeouts.install: expected a positive, finite number of seconds, got nan" in p for p in problems)
    assert any("timeouts.verify: expected a positive, finite number of seconds, got inf" in p for p in problems)


CHAIN = """chain:
  item: {item}
  stages:
    - {{name: separate, where: venv, command: ["{{python}}", "sep.py", "{{vocal_dir}}"]}}
    - {{name: diarize}}
    - {{name: tts}}
    - {{name: mix}}
    - {{name: mux}}
"""


def chain_text(item: str) -> str:
    return VALID[:VALID.index("chain:")] + CHAIN.format(item=item)


def test_stage_placeholders_and_the_item_are_checked_at_load(tmp_path):
    problems = errors_of(tmp_path, chain_text("../../etc"))
    assert any("chain.stages[0].command: unknown placeholder {vocal_dir} (known: item_dir" in p for p in problems)
    assert any("chain.item: '../../etc' leaves the folder of matrix.yaml" in p for p in problems)
    assert any("chain.item: 'missing': no such folder" in p for p in errors_of(tmp_path, chain_text("missing")))
    (tmp_path / "empty-item").mkdir()
    assert any("chain.item: 'empty-item':" in p and "item.json" in p
               for p in errors_of(tmp_path, chain_text("empty-item")))
    sample = ROOT / "samples" / "two-speakers"
    good = chain_text(str(sample)).replace('"{vocal_dir}"', '"{item_dir}"')
    assert load_text(tmp_path, good).chain.item == str(sample)


def test_a_trailing_newline_does_not_pass_the_id_and_version_checks(tmp_path):
    problems = errors_of(tmp_path, VALID.replace('"3.10"]', '"3.10\\n"]').replace("id: pinned", 'id: "pinned\\n"'))
    assert any("pythons[1]: '3.10\\n' does not match" in p for p in problems), problems
    assert any("strategies[1].id: 'pinned\\n' does not match" in p for p in problems), problems
    assert all("\n" not in p for p in problems)


def test_odd_keys_and_types_are_errors_not_tracebacks(tmp_path):
    problems = errors_of(tmp_path, VALID.replace("pins: base", "pins: [base]"))
    assert any("pins: expected the name of a pin set" in p for p in problems), problems
    assert one_line(tmp_path, "version: 1\n? [a, b]\n: c\n") == "matrix.yaml:2: invalid YAML: found unhashable key"
    assert errors_of(tmp_path, "x: 2001-02-30\n")[0].startswith("matrix.yaml:1: invalid YAML")
