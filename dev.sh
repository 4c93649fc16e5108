#!/usr/bin/env bash
# Entry points for a fresh machine. Each sets up what it needs, then runs:
#   ./dev.sh demo    simulated apps + the full service (Ctrl-C stops)
#   ./dev.sh test    installs test servers (Debian packages) if missing, lint, type-check, tests
#   ./dev.sh lint    ruff + mypy --strict only
#   ./dev.sh bench   the scheduler/probe/ledger benchmark (args passed to `monitor bench`)
set -euo pipefail
cd "$(dirname "$0")"

VENV=.venv
PY="$VENV/bin/python"
# Debian packages the tests start as real servers or use as real tools:
#   promtool (prometheus) lints /metrics; victoria-metrics takes the InfluxDB v2 writes of the
#   series sink; influxdb (1.x) runs the dashboards' InfluxQL queries; fonts-noto-cjk gives the
#   PDF reports their Chinese glyphs; poppler-utils (pdftoppm, pdftotext) checks the PDFs.
#   libharfbuzz-subset0 lets WeasyPrint subset the CJK fonts natively (0.3 s a PDF, not 10 s).
#   chromium is the real browser the web console's end-to-end tests drive through Playwright
#   (tests/support/browser.py); Playwright's own browser download needs the internet, so it
#   launches this one (/usr/bin/chromium) and `playwright install` is never run.
#   nginx-light and tinyproxy are the real web server and HTTP proxy of the probes' verdict
#   suite (tests/probes/test_realworld.py).
#   systemd gives systemd-analyze, which checks deploy/appmon.service (tests/deploy).
#   libreoffice-writer (soffice) opens the Word reports headless and converts them to PDF, the
#   proof a .docx is sound (tests/reports/test_docx.py).
APT_PACKAGES=(prometheus victoria-metrics influxdb fonts-noto-cjk poppler-utils
              libharfbuzz-subset0 chromium nginx-light tinyproxy systemd libreoffice-writer)
# What each package installs, to tell whether it is there (a command, or a file for fonts).
declare -A APT_PROVIDES=([prometheus]=promtool [victoria-metrics]=victoria-metrics
                         [influxdb]=influxd [fonts-noto-cjk]=/usr/share/fonts/opentype/noto
                         [poppler-utils]=pdftoppm
                         [libharfbuzz-subset0]=/usr/lib/x86_64-linux-gnu/libharfbuzz-subset.so.0
                         [chromium]=chromium [nginx-light]=nginx [tinyproxy]=tinyproxy
                         [systemd]=systemd-analyze [libreoffice-writer]=soffice)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

setup_python() {
  if [ ! -x "$PY" ]; then
    log "creating $VENV"
    python3 -m venv "$VENV"
  fi
  # Reinstall only when pyproject.toml changed since the last install.
  local stamp="$VENV/.installed"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    log "installing Python dependencies"
    "$PY" -m pip install --quiet --upgrade pip
    "$PY" -m pip install --quiet -e '.[test]'
    touch "$stamp"
  fi
}

setup_apt() {
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    local probe="${APT_PROVIDES[$pkg]}"
    if [[ "$probe" == /* ]]; then
      [ -e "$probe" ] || missing+=("$pkg")
    else
      command -v "$probe" >/dev/null 2>&1 || missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# A host name resolving to both ::1 and 127.0.0.1, for the probes' happy-eyeballs and
# ip_version tests (the machine's own localhost may resolve to one family only).
DUAL_STACK_HOST=appmon-dualstack.test
setup_hosts() {
  grep -q "$DUAL_STACK_HOST" /etc/hosts && return 0
  log "adding $DUAL_STACK_HOST (::1 and 127.0.0.1) to /etc/hosts"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  printf '127.0.0.1 %s\n::1 %s\n' "$DUAL_STACK_HOST" "$DUAL_STACK_HOST" | $sudo tee -a /etc/hosts >/dev/null
}

lint() {
  log "ruff"
  "$VENV/bin/ruff" check .
  log "mypy --strict"
  "$VENV/bin/mypy" monitor probes alerting
  log "import contracts (the layers of DESIGN.md)"
  "$VENV/bin/lint-imports" --no-cache
}

cmd="${1:-help}"
shift || true
case "$cmd" in
  demo)
    setup_python
    exec "$PY" -m monitor demo "$@"
    ;;
  test)
    setup_python
    setup_apt
    setup_hosts
    lint
    log "pytest"
    exec "$VENV/bin/pytest" "$@"
    ;;
  lint)
    setup_python
    lint
    ;;
  bench)
    setup_python
    exec "$PY" -m monitor bench "$@"
    ;;
  *)
    sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
    [ "$cmd" = help ] || exit 2
    ;;
esac
