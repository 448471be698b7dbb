"""table.html: the report page a maintainer opens: one standalone file, no network.

Above the matrix, the diff against the previous run when one was given; then the matrix (each
cell links to its card), a card per cell (resolved versions, step durations, chain metrics, the
diagnosis, links to the step logs as relative paths inside the results dir), the blockers. A
filter by status hides cards, matrix cells and chain rows; its state is the URL fragment
(``table.html#status=failed,timeout``), so a filtered view can be linked, and a headless browser
can be pointed at one.

Every glyph is followed by its word (``✅ passed``): a machine without an emoji font draws an
empty box for the glyph, and the word still reads.
"""
from __future__ import annotations

import html
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence

from harness.report import causes
from harness.report import diff as diff_mod
from harness.report.render import stage_text
from harness.report.runs import relative_log
from harness.report.table import SYMBOLS, Column, Table, TableCell
from harness.results import PASSED, CellResult, StepResult, version_key

WORDS = {"passed": "passed", "failed": "failed", "blocked": "blocked", "skipped": "skipped", "timeout": "timed out"}
NOT_RUN = "—"
SHOWN_VERSIONS = 12  # in a card before the rest folds away

e = html.escape

_CSS = """
body{font-family:system-ui,"Segoe UI",sans-serif;margin:1.5em 2em;color:#1d1d1d;max-width:110em}
table{border-collapse:collapse;margin:.6em 0}th,td{border:1px solid #c9c9c9;padding:.3em .55em;text-align:left;
vertical-align:top}th{background:#f1f1f1}a{color:#0b57b0}code{font-size:.93em}
.passed{background:#e6f4ea}.failed,.blocked{background:#fce8e6}.skipped{background:#f3f3f3;color:#555}
.timeout{background:#fef3e0}.glyph{font-family:"Noto Color Emoji","Segoe UI Emoji",sans-serif}
td[data-status][hidden]{display:table-cell;visibility:hidden}
.rec{font-weight:600}.meta{color:#555}.card{border:1px solid #c9c9c9;border-radius:4px;margin:1em 0;padding:.2em 1em}
.card h3{margin:.5em 0}.card dl{display:grid;grid-template-columns:max-content auto;gap:.15em 1em}
.card dt{color:#555}.card dd{margin:0}pre{background:#f7f7f7;padding:.5em;overflow-x:auto;white-space:pre-wrap}
#filter fieldset{display:inline-block;border:1px solid #c9c9c9}#filter label{margin-right:1.2em}
.diff li{margin:.25em 0}.regression{color:#a50e0e;font-weight:600}
"""

# Reads the wanted statuses from the fragment, mirrors the checkboxes into it, hides the rest.
_SCRIPT = """
(function () {
  var boxes = Array.prototype.slice.call(document.querySelectorAll('#filter input[name="status"]'));
  function wanted() {
    var keep = {};
    boxes.forEach(function (b) {
      if (b.checked) { keep[b.value] = true; }
      b.toggleAttribute('checked', b.checked);  // so the serialised page shows the state too
    });
    return keep;
  }
  function apply() {
    var keep = wanted(), visible = 0;
    document.querySelectorAll('[data-status]').forEach(function (el) {
      el.hidden = !keep[el.getAttribute('data-status')];
      if (!el.hidden && el.classList.contains('card')) { visible += 1; }
    });
    document.querySelectorAll('tr[data-row]').forEach(function (row) {
      var cells = row.querySelectorAll('td[data-status]');
      row.hidden = cells.length > 0 && Array.prototype.every.call(cells, function (c) { return c.hidden; });
    });
    document.getElementById('shown').textContent = visible + ' of ' + boxes.reduce(function (n, b) {
      return n + Number(b.getAttribute('data-count')); }, 0) + ' cells shown';
    try {
      history.replaceState(null, '', '#status=' + Object.keys(keep).join(','));
    } catch (err) { /* a file:// page may refuse; the filter still works */ }
  }
  var match = /status=([a-z,]*)/.exec(location.hash);
  if (match) {
    var from = match[1].split(',');
    boxes.forEach(function (b) { b.checked = from.indexOf(b.value) >= 0; });
  }
  boxes.forEach(function (b) { b.addEventListener('change', apply); });
  apply();
  document.body.setAttribute('data-ready', 'yes');
})();
"""


def glyph(status: str) -> str:
    """The status glyph, then its word, always both."""
    return (f"<span class=\"glyph\" aria-hidden=\"true\">{SYMBOLS.get(status, '?')}</span>"
            f"&nbsp;{e(WORDS.get(status, status))}")


def cell_id(cell: CellResult) -> str:
    return "cell-" + "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in cell.key)


def page(table: Table, title: str = "spleeter-matrix compatibility", root: Optional[Path] = None,
         diff: Optional["diff_mod.RunDiff"] = None) -> str:
    """The whole page. ``root`` is the results dir the page lives in: log links are checked against it."""
    cells = [tc.cell for tc in table.cells.values() if tc.cell is not None]
    out = ["<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
           f"<title>{e(title)}</title><style>{_CSS}</style></head><body data-ready=\"no\">", f"<h1>{e(title)}</h1>"]
    runs = sorted({c.run_id for c in cells})
    out.append(f"<p class=\"meta\">{len(cells)} cells from run{'s' if len(runs) != 1 else ''} "
               f"{e(', '.join(runs))}. Pack {e(', '.join(sorted({c.pack for c in cells if c.pack})))}.</p>")
    out += [f"<p class=\"rec\">{_inline_code(r.sentence())}</p>" for r in table.recommendations]
    if diff is not None:
        out += diff_section(diff)
    out += _filter(cells)
    out += _matrix(table)
    if table.chain_rows:
        out += _chain(table)
    out.append("<h2 id=\"cells\">Cells</h2>")
    for cell in sorted(cells, key=lambda c: (c.where, table.strategies.index(c.strategy), version_key(c.python))):
        out += card(cell, root)
    if table.footnotes:
        out += _footnotes(table)
    out.append(f"<script>{_SCRIPT}</script>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _inline_code(text: str) -> str:
    """Markdown's `code` spans as <code>, everything else escaped."""
    pieces = text.split("`")
    return "".join(f"<code>{e(p)}</code>" if i % 2 else e(p) for i, p in enumerate(pieces))


def _filter(cells: Sequence[CellResult]) -> List[str]:
    counts: Dict[str, int] = {}
    for cell in cells:
        counts[cell.status] = counts.get(cell.status, 0) + 1
    boxes = [f"<label><input type=\"checkbox\" name=\"status\" value=\"{e(status)}\" data-count=\"{counts[status]}\" "
             f"checked> {glyph(status)} ({counts[status]})</label>" for status in WORDS if status in counts]
    return ["<form id=\"filter\"><fieldset><legend>Show cells</legend>", *boxes,
            "<span id=\"shown\"></span></fieldset></form>"]


def _matrix(table: Table) -> List[str]:
    out = ["<h2 id=\"matrix\">Matrix</h2>", "<table><thead><tr><th>strategy</th>"
           + "".join(f"<th>{e(c.title)}</th>" for c in table.columns) + "</tr></thead><tbody>"]
    for strategy in table.strategies:
        out.append(f"<tr data-row=\"{e(strategy)}\"><th><code>{e(strategy)}</code></th>")
        for column in table.columns:
            out.append(_matrix_cell(table.cells.get((strategy, column)), column))
        out.append("</tr>")
    out.append("</tbody></table>")
    out.append(f"<p class=\"meta\">{glyph('passed')} install + import check (and the smoke chain where it ran) · "
               f"{glyph('failed')} with the diagnosed category · {glyph('skipped')} · {glyph('timeout')} · "
               f"{NOT_RUN} not run</p>")
    return out


def _matrix_cell(tc: Optional[TableCell], column: Column) -> str:
    if tc is None or tc.cell is None:
        return f"<td>{NOT_RUN} not run</td>"
    symbol = SYMBOLS.get(tc.status, "?")
    rest = tc.text[len(symbol):].strip() if tc.text.startswith(symbol) else tc.text
    word = WORDS.get(tc.status, tc.status)
    for redundant in (word + ":", word, tc.status):
        if rest.startswith(redundant):
            rest = rest[len(redundant):].strip()
            break
    if rest and tc.status not in (PASSED,):
        rest = ": " + rest
    text = e(rest)
    if tc.footnote:
        text = text.replace(f"[{tc.footnote}]", f"<a href=\"#fn{tc.footnote}\">[{tc.footnote}]</a>")
    return (f"<td class=\"{e(tc.status)}\" data-status=\"{e(tc.status)}\"><a href=\"#{cell_id(tc.cell)}\">"
            f"{glyph(tc.status)}</a>{' ' if rest and tc.status == PASSED else ''}{text}</td>")


def _chain(table: Table) -> List[str]:
    out = ["<h2 id=\"chain\">Smoke chain</h2><table><thead><tr><th>cell</th>"
           + "".join(f"<th>{e(n)}</th>" for n in table.stage_names) + "</tr></thead><tbody>"]
    for cell in table.chain_rows:
        stages = {s.name: s for s in cell.stages}
        out.append(f"<tr data-status=\"{e(cell.status)}\"><th><a href=\"#{cell_id(cell)}\">{e(cell.python)} · "
                   f"{e(cell.where)} · <code>{e(cell.strategy)}</code></a></th>")
        for name in table.stage_names:
            stage = stages.get(name)
            if stage is None:
                out.append(f"<td>{NOT_RUN} not run</td>")
                continue
            detail = stage_text(stage)[len(SYMBOLS.get(stage.status, "?")):].strip()
            out.append(f"<td class=\"{e(stage.status)}\">{glyph(stage.status)} {e(detail)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return out


def card(cell: CellResult, root: Optional[Path]) -> List[str]:
    """One cell: what ran, what it resolved, how long each step took, what failed and why."""
    title = f"{cell.python} · {cell.where} · {cell.strategy}"
    out = [f"<section class=\"card\" id=\"{cell_id(cell)}\" data-status=\"{e(cell.status)}\">",
           f"<h3 class=\"{e(cell.status)}\">{glyph(cell.status)} — {e(title)}</h3><dl>"]
    facts = [("interpreter", f"{cell.interpreter.version} ({cell.interpreter.source}) {cell.interpreter.path}"
              if cell.interpreter else ""), ("installer", cell.installer), ("installed by", cell.winner or ""),
             ("why skipped", cell.reason), ("duration", f"{cell.duration:.1f} s" if cell.duration else ""),
             ("run", cell.run_id + (f" (resumed from {cell.resumed_from})" if cell.resumed_from else "")),
             ("started", cell.started_at)]
    out += [f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in facts if v]
    out.append("</dl>")
    out += _diagnosis(cell)
    versions = causes.resolved_versions(cell, root)
    if versions:
        out += _versions_table(versions)
    if cell.steps:
        out += _steps_table(cell, root)
    metrics = [(s.name, k, v) for s in cell.stages for k, v in sorted(s.metrics.items()) if _scalar(v)]
    if metrics:
        out.append("<h4>Chain metrics</h4><table><thead><tr><th>stage</th><th>metric</th><th>value</th></tr>"
                   "</thead><tbody>")
        out += [f"<tr><td>{e(s)}</td><td><code>{e(k)}</code></td><td>{e(_value(v))}</td></tr>" for s, k, v in metrics]
        out.append("</tbody></table>")
    out.append("</section>")
    return out


def _scalar(value: object) -> bool:
    return isinstance(value, (int, float, str, bool)) and not (isinstance(value, str) and len(value) > 120)


def _value(value: object) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def _diagnosis(cell: CellResult) -> List[str]:
    diagnosis, step = cell.diagnosis, cell.failing_step
    if step is None or cell.status == PASSED:
        return []
    out = ["<div class=\"diagnosis\"><h4>Diagnosis</h4>"]
    if diagnosis is None:
        out.append(f"<p>{glyph(step.status)} in <code>{e(step.name)}</code>: {e(step.message or 'no diagnosis')}</p>")
    else:
        blocker = f" — blocker <code>{e(diagnosis.blocker)}</code>" if diagnosis.blocker else ""
        out.append(f"<p><b><code>{e(diagnosis.category)}</code></b>{blocker} in <code>{e(step.name)}</code>: "
                   f"{e(diagnosis.summary or diagnosis.category)}</p>")
        out.append(f"<p>Next action: {e(diagnosis.next_action)}</p>")
        if diagnosis.manual_fallback:
            out.append("<p>Manual fallback:</p><pre>" + e("\n".join(diagnosis.manual_fallback)) + "</pre>")
        if diagnosis.evidence:
            out.append("<p>Evidence from the log:</p><pre>" + e("\n".join(diagnosis.evidence)) + "</pre>")
    out.append("</div>")
    return out


def _versions_table(versions: Dict[str, str]) -> List[str]:
    names = sorted(versions, key=causes.package_order)
    rows = [f"<tr><td><code>{e(n)}</code></td><td>{e(versions[n])}</td></tr>" for n in names]
    head = "<table><thead><tr><th>package</th><th>version</th></tr></thead><tbody>"
    out = [f"<h4>Resolved versions ({len(names)})</h4>", head, *rows[:SHOWN_VERSIONS], "</tbody></table>"]
    if len(rows) > SHOWN_VERSIONS:
        out += [f"<details><summary>{len(rows) - SHOWN_VERSIONS} more</summary>", head, *rows[SHOWN_VERSIONS:],
                "</tbody></table></details>"]
    return out


def _steps_table(cell: CellResult, root: Optional[Path]) -> List[str]:
    out = ["<h4>Steps</h4><table><thead><tr><th>step</th><th>kind</th><th>status</th><th>duration</th><th>log</th>"
           "<th>message</th></tr></thead><tbody>"]
    for step in cell.steps:
        out.append(f"<tr><td><code>{e(step.name)}</code></td><td>{e(step.kind)}</td>"
                   f"<td class=\"{e(step.status)}\">{glyph(step.status)}</td><td>{step.duration:.1f} s</td>"
                   f"<td>{log_link(cell, step, root)}</td><td>{e(step.message)}</td></tr>")
    out.append("</tbody></table>")
    return out


def log_link(cell: CellResult, step: StepResult, root: Optional[Path]) -> str:
    """A relative link to the step's log when the file is inside this results dir, else its name."""
    relative = relative_log(cell, step)
    if relative and root is not None and (Path(root) / relative).is_file():
        return f"<a class=\"log\" href=\"{e(relative)}\">{e(relative.rsplit('/', 1)[-1])}</a>"
    if step.log_path:
        return f"{e(step.log_path.replace(chr(92), '/').rsplit('/', 1)[-1])} (not in this results dir)"
    return ""


def _footnotes(table: Table) -> List[str]:
    out = ["<h2 id=\"blockers\">Blockers and next actions</h2><ol>"]
    for n in table.footnotes:
        blocker = f" — blocker <code>{e(n.blocker)}</code>" if n.blocker else ""
        fallback = ""
        if n.manual_fallback:
            fallback = "<br>Manual fallback:<pre>" + e("\n".join(n.manual_fallback)) + "</pre>"
        out.append(f"<li id=\"fn{n.number}\"><b><code>{e(n.category)}</code></b>{blocker} on {e(n.platform)}: "
                   f"{e(n.summary)}<br>Cells: {_inline_code(n.where)}"
                   f"<br>Next action: {e(n.next_action)}{fallback}</li>")
    out.append("</ol>")
    return out


def diff_section(diff: "diff_mod.RunDiff") -> List[str]:
    """The diff against the previous run, first on the page: what a weekly reader came for."""
    out = ["<section class=\"diff\" id=\"diff\"><h2>What changed since the previous run</h2>",
           f"<p>Compared <code>{e(diff.old)}</code> ({diff.old_cells} cells) with <code>{e(diff.new)}</code> "
           f"({diff.new_cells} cells): {_inline_code(diff_mod.summary_line(diff).replace('**', ''))}.</p>"]
    for kind, heading in diff_mod.SECTIONS:
        changes = diff.of(kind)
        if not changes:
            continue
        out.append(f"<h3 class=\"{e(kind)}\">{e(heading)}</h3><ul>")
        for change in changes:
            out.append(f"<li><b>{_inline_code(change.label)}</b>: {_status_move(change)}"
                       + ("<ul>" + "".join(f"<li>{_inline_code(c.text)}</li>" for c in change.causes) + "</ul>"
                          if change.causes else "") + "</li>")
        out.append("</ul>")
    out.append("</section>")
    return out


def _status_move(change: "diff_mod.CellChange") -> str:
    parts: Iterable[str] = [s for s in (change.old_status, change.new_status) if s]
    shown = [glyph(s) for s in parts]
    if len(shown) == 2 and change.old_status == change.new_status:
        shown = shown[1:]
    return " → ".join(shown)
