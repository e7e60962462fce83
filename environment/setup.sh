#!/usr/bin/env bash
# Installs the optional system parts of Reproduce (see environment/debian-packages.txt). Every
# part is optional: a part that cannot be installed is reported and skipped, and Reproduce says
# plainly what it cannot do without it. plotly.js needs no step: it ships inside the library
# (Reproduce/Figures/Assets/plotly.min.js), so figures draw offline everywhere.
#   sudo environment/setup.sh          # Debian packages (needs root)
#   environment/setup.sh --npm-only    # kept for old scripts: nothing to do any more
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
npm_only=0
[[ "${1:-}" == "--npm-only" ]] && npm_only=1

if [[ $npm_only == 0 ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: not root, skipping Debian packages (run with sudo to install them)."
  elif ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: no apt-get here, skipping Debian packages."
  else
    mapfile -t pkgs < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$here/debian-packages.txt" | awk '{print $1}')
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || echo "setup: apt-get update failed (offline?); trying the local package lists."
    if ! apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null 2>&1; then
      # One unavailable package makes apt refuse the whole list: install one at a time instead.
      for p in "${pkgs[@]}"; do
        if apt-get install -y -qq --no-install-recommends "$p" >/dev/null 2>&1; then
          echo "setup: installed $p"
        else
          echo "setup: could not install optional package $p; continuing without it."
        fi
      done
    else
      echo "setup: installed ${pkgs[*]}"
    fi
  fi
fi

echo "setup: plotly.js 3.0.1 ships with the library (no npm step); PNG export and the browser test need Chromium (apt-get install chromium)."
exit 0
