#!/usr/bin/env bash
# The interop suite: real clients read what paper-export writes.
#
# Installs the clients it needs (Debian packages from apt-packages.txt,
# Python packages from requirements.txt into tests/interop/.venv), builds the
# release binary, and runs the pytest files beside this script.
# Extra arguments go to pytest (`tests/interop/run.sh -k csv`).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

packages=$( (grep -v '^\s*#' "$here/apt-packages.txt" || true) | tr -s ' \n' ' ')
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "interop: installing Debian packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

if [ ! -x "$here/.venv/bin/python" ]; then
  python3 -m venv "$here/.venv"
fi
"$here/.venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt"

cargo build --release --locked --bin paper-export
export PAPER_EXPORT="$root/target/release/paper-export"
exec "$here/.venv/bin/python" -m pytest "$here" -q -p no:cacheprovider "$@"
