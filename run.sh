#!/usr/bin/env bash
# spleeter-matrix entry point for a fresh machine: installs what the harness needs, then runs a nox session.
#   ./run.sh matrix            the main job: default matrix on the embedded sample item; prints the table
#   ./run.sh tests             unit tests, then end-to-end tests (real installs, real chain)
#   ./run.sh smoke-3.10 [-- harness args]   any other nox session (nox -l lists them)
set -euo pipefail
cd "$(dirname "$0")"

session="${1:-tests}"
shift || true

UV_VERSION="0.13.9"
NOX_VERSION="2026.10.20"
TOOLS="${SPLEETER_MATRIX_TOOLS:-.tools}"

log() { printf '[run.sh] %s\n' "$*" >&2; }

install_system_packages() {
  # ffmpeg/ffprobe: spleeter's CLI and the Mux stage; espeak-ng: samples/make_sample.py and the TTS stage's
  # last-resort CLI engine (the default engine is libespeak-ng from the espeakng-loader wheel); sox: checks;
  # chromium: the headless browser that tests table.html and takes its screenshot (report --screenshot).
  local missing=()
  command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
  command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
  command -v sox >/dev/null 2>&1 || missing+=(sox)
  command -v unshare >/dev/null 2>&1 || missing+=(util-linux)
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
    || command -v google-chrome >/dev/null 2>&1 || missing+=(chromium)
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    log "please install: ${missing[*]} (no apt-get here)"; return 0
  fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  log "installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

host_python() {
  # nox needs Python >= 3.10 for itself; the cells' Pythons are provisioned by the harness.
  local candidate
  for candidate in "${PYTHON:-}" python3 python3.12 python3.11 python3.10 python; do
    [ -n "$candidate" ] || continue
    if "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' >/dev/null 2>&1; then
      echo "$candidate"; return 0
    fi
  done
  log "no Python >= 3.10 found for nox itself; set PYTHON=/path/to/python3.11"; return 1
}

install_tools() {
  local py
  py="$(host_python)"
  if [ ! -x "$TOOLS/bin/nox" ] || ! "$TOOLS/bin/uv" --version 2>/dev/null | grep -q "$UV_VERSION"; then
    log "installing uv $UV_VERSION and nox $NOX_VERSION into $TOOLS"
    "$py" -m venv "$TOOLS"
    # The machine's own pip configuration (extra indexes, constraints) must not decide our tool versions.
    PIP_CONFIG_FILE=/dev/null "$TOOLS/bin/python" -m pip install -q --disable-pip-version-check \
      "uv==$UV_VERSION" "nox==$NOX_VERSION"
  fi
}

install_system_packages
install_tools
export PATH="$PWD/$TOOLS/bin:$PATH"
[ "${1:-}" = "--" ] && shift
exec "$TOOLS/bin/nox" --no-color -s "$session" -- "$@"
