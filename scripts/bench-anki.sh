#!/usr/bin/env bash
# Benchmarks paper-export's Anki deck writer beside genanki, in one run.
#
#   scripts/bench-anki.sh                    sizes 100000 1000000
#   SIZES="10000 100000" REPEAT=5 scripts/bench-anki.sh
#
# For each size it generates N papers with paper-gen (JSON Lines), then times
#   paper-export IN.jsonl -f anki -o OUT.apkg
#   genanki building the same deck from the same IN.jsonl (same note type,
#   fields, tags, GUIDs and deck: scripts/bench/anki_peer.py)
# under /usr/bin/time -v, counts the notes in both packages (opening their
# SQLite collections), checks that both hold the same notes, and prints
# notes/s and peak RSS. Each tool runs REPEAT times (default 3; genanki
# once at 1,000,000, where one run takes minutes) and the fastest run counts,
# with the load average at its start: on a shared machine other work slows
# some runs. Results also go to target/bench-anki/results.md.
# A benchmark, never a test: nothing here asserts speed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
SIZES="${SIZES:-100000 1000000}"
REPEAT="${REPEAT:-3}"
work="$root/target/bench-anki"
mkdir -p "$work"

if ! dpkg-query -W -f='${Status}' time 2>/dev/null | grep -q "install ok installed"; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends time >/dev/null
fi
venv="$root/scripts/bench/.venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check genanki==0.13.1
py="$venv/bin/python"
peer="$root/scripts/bench/anki_peer.py"
. "$root/scripts/bench/timed.sh"

cargo build --release --locked -q -p paper-export -p paper-gen
pe="$root/target/release/paper-export"
gen="$root/target/release/paper-gen"

# The note type and deck genanki uses: exactly paper-export's.
"$pe" -q -f anki -o "$work/model.apkg" --deck "Benchmark papers"
"$py" "$peer" model "$work/model.apkg" "$work/model.json"

results="$work/results.md"
{
  echo "| tool | notes | seconds (best of runs) | notes/s | peak RSS MB | load at start | notes in package |"
  echo "|---|---:|---:|---:|---:|---:|---|"
} > "$results"

# run NAME N TIMES OUT -- COMMAND...: runs COMMAND TIMES times, appends the
# fastest run to the table, and prints its rate in notes/s on stdout.
run() {
  local name="$1" n="$2" times="$3" out="$4"; shift 5
  local log="$work/time.log"
  if ! fastest "$times" 1000000 "$log" "$out" "$@"; then
    echo "| $name | $n | - | - | - | $LOAD | FAILED (exit) |" >> "$results"
    tail -5 "$log" >&2
    echo 0
    return
  fi
  local best="$SECS" best_rss="$RSS_MB" best_load="$LOAD"
  local got check rate
  got=$("$py" "$peer" count "$out")
  if [ "$got" = "$n" ]; then check="$got (ok)"; else check="FAILED: $got"; fi
  rate=$(awk -v n="$n" -v s="$best" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "inf" }')
  echo "| $name | $n | $best ($times) | $rate | $best_rss | $best_load | $check |" >> "$results"
  echo "$rate"
}

for n in $SIZES; do
  d="$work/$n"; mkdir -p "$d"
  [ -s "$d/in.jsonl" ] || "$gen" --count "$n" --format jsonl -o "$d/in.jsonl"
  peer_times="$REPEAT"; [ "$n" -ge 1000000 ] && peer_times=1
  ours=$(run "paper-export -f anki" "$n" "$REPEAT" "$d/paper-export.apkg" -- \
    "$pe" -q "$d/in.jsonl" -f anki --deck "Benchmark papers" -o "$d/paper-export.apkg")
  theirs=$(run "genanki 0.13.1" "$n" "$peer_times" "$d/genanki.apkg" -- \
    "$py" "$peer" genanki "$work/model.json" "$d/in.jsonl" "$d/genanki.apkg")
  same=$("$py" "$peer" compare "$d/paper-export.apkg" "$d/genanki.apkg" || true)
  ratio=$(awk -v a="$ours" -v b="$theirs" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }')
  echo "| ($n: paper-export is ${ratio}× genanki; $same) | | | | | | |" >> "$results"
done

cat "$results"
echo
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m); load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%d)"
echo "Results: $results"
