#!/usr/bin/env bash
# Install everything Haven needs into the project: Python 3.12+ venv in .venv (uv, hashed locks) and
# npm packages in node_modules. Safe to run again: it does nothing when the locks have not changed.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  local candidate version
  for candidate in "${HAVEN_PYTHON:-}" python3.12 python3.13 python3; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  # pyenv keeps other versions out of PATH; look there too, newest first.
  local root="${PYENV_ROOT:-$HOME/.pyenv}"
  if command -v pyenv >/dev/null 2>&1; then root="$(pyenv root)"; fi
  for candidate in $(ls -d "$root"/versions/3.1[2-9]* "$root"/versions/3.[2-9][0-9]* 2>/dev/null | sort -rV); do
    if [ -x "$candidate/bin/python3" ]; then echo "$candidate/bin/python3"; return 0; fi
  done
  return 1
}

stamp() { cat "$@" | sha256sum | cut -c1-16; }

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then
  python="$(find_python)" || { echo "Haven needs Python 3.12 or newer. Install it (or set HAVEN_PYTHON) and run again." >&2; exit 1; }
  echo "==> Creating .venv with $python ($("$python" --version))"
  rm -rf .venv
  "$python" -m venv .venv
fi

want="$(stamp requirements/bootstrap.lock requirements/dev.lock)"
if [ "$(cat .venv/.haven-installed 2>/dev/null)" != "$want" ]; then
  echo "==> Installing Python packages (uv, hashed lock)"
  .venv/bin/python -m pip --version >/dev/null 2>&1 || .venv/bin/python -m ensurepip --upgrade >/dev/null
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/bootstrap.lock
  .venv/bin/uv pip sync --quiet --python .venv/bin/python --require-hashes requirements/dev.lock
  echo "$want" > .venv/.haven-installed
fi

want="$(stamp package.json package-lock.json)"
if [ "$(cat node_modules/.haven-installed 2>/dev/null)" != "$want" ]; then
  command -v npm >/dev/null 2>&1 || { echo "Haven needs Node.js and npm for its front-end packages." >&2; exit 1; }
  echo "==> Installing front-end packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > node_modules/.haven-installed
fi

# PDFs (the DMM pack, the briefing sheet) print an emoji in a name from Debian's colour emoji font, which
# WeasyPrint finds through fontconfig; without it the emoji prints as an empty box. Installed only if
# absent, and only where apt-get may be run (as root, as CI does); anyone else is told how.
if command -v fc-list >/dev/null 2>&1 && ! fc-list "Noto Color Emoji" family 2>/dev/null | grep -q .; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> Installing the emoji font for PDFs (fonts-noto-color-emoji)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q fonts-noto-color-emoji >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q fonts-noto-color-emoji >/dev/null; } || true
  fi
  fc-list "Noto Color Emoji" family 2>/dev/null | grep -q . || \
    echo "Note: PDFs will print emoji in names as empty boxes until the emoji font is installed: sudo apt-get install fonts-noto-color-emoji" >&2
fi
