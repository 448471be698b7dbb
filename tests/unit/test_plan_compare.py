"""pip's plan against uv's: when they disagree the table shows both and the footnote says why."""
from __future__ import annotations

from harness.plan.compare import Plan, cross_check
from harness.report.render import as_json, markdown
from harness.report.table import build
from harness.results import FAILED, PASSED, SKIPPED, CellResult, Diagnosis, Distribution, PathBudget, StepResult


def check(pip_status, pip_steps, pip_versions, pip_reason, uv_status, uv_steps, uv_versions, uv_dists):
    return cross_check(Plan("pip", pip_status, tuple(pip_steps), dict(pip_versions), reason=pip_reason),
                       Plan("uv", uv_status, tuple(uv_steps), dict(uv_versions), tuple(uv_dists)))


def failed(category, log_tail=""):
    return StepResult(name="install", status=FAILED, log_tail=log_tail,
                      diagnosis=Diagnosis(category=category, blocker="jax>=0.3.15", next_action="x",
                                          summary="jax>=0.3.15 has no wheel and only wheels were allowed"))


def test_agreement_needs_the_same_verdict_and_the_same_versions():
    same = check(PASSED, (), {"numpy": "1.23.5"}, "", PASSED, (), {"numpy": "1.23.5"}, ())
    assert same.agrees and same.why == ""
    both_fail = check(FAILED, (failed("no-wheel-for-platform"),), {}, "", FAILED, (), {}, ())
    assert both_fail.agrees


def test_an_sdist_in_uvs_plan_explains_a_pip_failure():
    uv_dists = (Distribution("jax", "0.4.13", "jax-0.4.13.tar.gz", "https://x/jax-0.4.13.tar.gz", "a" * 64),)
    result = check(FAILED, (failed("no-wheel-for-platform", "Requires-Python >=3.9"),), {}, "",
                        PASSED, (), {"jax": "0.4.13"}, uv_dists)
    assert not result.agrees
    assert result.why == "uv plans jax from an sdist (it would build it); pip plans another platform from wheels only"


def test_requires_python_upper_bounds_explain_a_pip_failure():
    result = check(FAILED, (failed("python-version-unsupported"),), {}, "", PASSED, (), {"x": "1"}, ())
    assert result.why.startswith("uv ignores the upper bound of a dependency's Requires-Python")


def test_other_versions_and_pre_releases_are_named():
    result = check(PASSED, (), {"cryptography": "43.0.3"}, "", PASSED, (), {"cryptography": "45.0.7"}, ())
    assert result.why == "the two resolvers chose different versions: cryptography: pip 43.0.3, uv 45.0.7"
    pre = check(PASSED, (), {"numpy": "1.26.4"}, "", PASSED, (), {"numpy": "2.0.0rc1"}, ())
    assert pre.why == "a pre-release in one plan only: numpy 2.0.0rc1"
    skipped = check(SKIPPED, (), {}, "needs sdists (--only-binary=:none:): ...", FAILED, (), {}, ())
    assert not skipped.agrees and skipped.why.startswith("needs sdists")


def test_the_table_shows_both_verdicts_and_table_json_carries_plan_and_budget():
    result = check(FAILED, (failed("no-wheel-for-platform"),), {}, "", PASSED, (), {"jax": "0.4.13"},
                   (Distribution("jax", "0.4.13", "jax-0.4.13.tar.gz", "u", "a" * 64),))
    bad = CellResult(run_id="r", python="3.8", strategy="no-deps-pinned", installer="pip (dry, pip)", status=FAILED,
                     target="win_amd64", steps=(failed("no-wheel-for-platform"),), cross_check=result)
    good = CellResult(run_id="r", python="3.10", strategy="no-deps-pinned", installer="pip (dry, pip)",
                      status=PASSED, target="win_amd64",
                      distributions=(Distribution("numpy", "1.23.5", "numpy-1.23.5-cp310-cp310-win_amd64.whl",
                                                  "https://x/numpy.whl", "b" * 64),),
                      path_budget=PathBudget(155, "tensorflow\\x", "tensorflow_intel.whl", 85, "1 wheels' file lists"))
    table = build([bad, good])
    text = markdown(table)
    assert "| `no-deps-pinned` | ❌ no-wheel-for-platform [1] · uv: ✅ [2] | ✅ |" in text
    assert ("2. **`resolvers-disagree`** on resolve-win_amd64, step `plan`: pip failed, uv passed: uv plans jax "
            "from an sdist (it would build it); pip plans another platform from wheels only") in text
    assert "| 3.10 · `no-deps-pinned` | 155 chars (`tensorflow_intel.whl`) | **85** chars |" in text
    cells = as_json(table)["rows"][0]["cells"]
    budget = cells["3.10 · resolves on win_amd64"]["path_budget"]
    assert budget["venv_root_max"] == 85 and budget["longest_relpath"] == 155
    assert budget["sentence"].endswith("with long paths off, the venv root may be at most 85 characters")
    assert cells["3.10 · resolves on win_amd64"]["distributions"][0]["sha256"] == "b" * 64
    assert cells["3.8 · resolves on win_amd64"]["cross_check"]["footnote"] == 2


def test_junit_reports_a_failed_cross_check_step_as_skipped_not_as_a_second_failure():
    from harness.report.junit import junit_text

    uv_step = StepResult(name="uv:install", status=FAILED, kind="cross-check", message="no-wheel-for-platform: x")
    cell = CellResult(run_id="r", python="3.10", strategy="default-pip", installer="pip (dry, pip)", status=FAILED,
                      target="win_amd64", steps=(failed("no-wheel-for-platform"), uv_step))
    text = junit_text([cell])
    assert text.count("<failure") == 1
    assert "cross-check only, not the cell&apos;s verdict: no-wheel-for-platform: x" in text or \
        "cross-check only, not the cell's verdict: no-wheel-for-platform: x" in text
