#!/usr/bin/env bash
# Benchmarks paper-export beside its peers, in one run, on the same generated files.
#
#   scripts/bench.sh                   sizes 10000 100000 1000000
#   SIZES="10000 100000" scripts/bench.sh
#
# Installs the peers itself (pandoc, bibtool and GNU time from Debian; bibtexparser
# and genanki into scripts/bench/.venv), builds the release binaries, generates the
# inputs with paper-gen, runs every job under /usr/bin/time -v (the fastest of
# REPEAT runs, default 3; jobs over 20 seconds run once), counts the records
# in every output (a job that loses records is reported as FAILED, not as fast),
# and prints a Markdown table of records/s and peak RSS. Results also go to
# target/bench/results.md. A benchmark, never a test: nothing here asserts speed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
SIZES="${SIZES:-10000 100000 1000000}"
REPEAT="${REPEAT:-3}"
# Peers that slow down or swell past these sizes are skipped there (see peers.md).
PANDOC_MAX="${PANDOC_MAX:-10000}"
BIBTOOL_MAX="${BIBTOOL_MAX:-100000}"
BIBTEXPARSER_MAX="${BIBTEXPARSER_MAX:-100000}"
GENANKI_MAX="${GENANKI_MAX:-1000000}"
work="$root/target/bench"
mkdir -p "$work"

need=""
for p in pandoc bibtool time; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need="$need $p"
done
if [ -n "$need" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends $need >/dev/null
fi
venv="$root/scripts/bench/.venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check bibtexparser==2.1.0 genanki==0.13.1
py="$venv/bin/python"
peers="$root/scripts/bench/peers.py"
. "$root/scripts/bench/timed.sh"

cargo build --release --locked -q -p paper-export -p paper-gen
pe="$root/target/release/paper-export"
gen="$root/target/release/paper-gen"

results="$work/results.md"
{
  echo "| job | records | seconds | records/s | peak RSS MB | check |"
  echo "|---|---:|---:|---:|---:|---|"
} > "$results"

# run NAME N OUTFORMAT OUTFILE -- COMMAND...
run() {
  local name="$1" n="$2" fmt="$3" out="$4"; shift 5
  local secs rss got check
  # Slow peers (over 20 seconds a run) run once.
  if ! fastest "$REPEAT" 20 "$work/time.log" "$out" "$@"; then
    echo "| $name | $n | - | - | - | FAILED (exit) |" | tee -a "$results"
    return
  fi
  secs="$SECS"; rss="$RSS_MB"
  if [ "$fmt" = "-" ]; then got="$n"; else got=$("$py" "$peers" count "$fmt" "$out"); fi
  if [ "$got" = "$n" ]; then check="ok"; else check="FAILED: $got records"; fi
  local rate
  rate=$(awk -v n="$n" -v s="$secs" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "inf" }')
  echo "| $name | $n | $secs | $rate | $rss | $check |" | tee -a "$results"
}

for n in $SIZES; do
  d="$work/$n"; mkdir -p "$d"
  [ -s "$d/in.json" ] || "$gen" --count "$n" -o "$d/in.json"
  [ -s "$d/in.jsonl" ] || "$pe" -q "$d/in.json" -f jsonl -o "$d/in.jsonl"
  [ -s "$d/in.bib" ] || "$pe" -q "$d/in.json" -f bibtex -o "$d/in.bib"
  [ -s "$d/in.csl.json" ] || "$pe" -q "$d/in.json" -f csl-json -o "$d/in.csl.json"

  run "cat json (I/O floor)" "$n" - "$d/cat.out" -- sh -c "cat '$d/in.json' > '$d/cat.out'"
  run "paper-export json → csv" "$n" csv "$d/out.csv" -- "$pe" -q "$d/in.json" -f csv -o "$d/out.csv"
  run "paper-export json → bibtex" "$n" bibtex "$d/out.bib" -- "$pe" -q "$d/in.json" -f bibtex -o "$d/out.bib"
  run "paper-export json → jsonl" "$n" jsonl "$d/out.jsonl" -- "$pe" -q "$d/in.json" -f jsonl -o "$d/out.jsonl"
  run "paper-export json → json" "$n" json "$d/out.json" -- "$pe" -q "$d/in.json" -f json -o "$d/out.json"
  run "paper-export bibtex → json" "$n" json "$d/bib.json" -- "$pe" -q "$d/in.bib" -f json -o "$d/bib.json"
  run "paper-export csl-json → biblatex" "$n" biblatex "$d/out.biblatex.bib" -- "$pe" -q "$d/in.csl.json" -f biblatex -o "$d/out.biblatex.bib"
  run "paper-export json → anki" "$n" anki "$d/out.apkg" -- "$pe" -q "$d/in.json" -f anki -o "$d/out.apkg"
  if [ "$n" -le "$PANDOC_MAX" ]; then
    run "pandoc bibtex → csljson" "$n" csl-json "$d/pandoc.csl.json" -- pandoc -f bibtex -t csljson "$d/in.bib" -o "$d/pandoc.csl.json"
    run "pandoc csljson → biblatex" "$n" biblatex "$d/pandoc.bib" -- pandoc -f csljson -t biblatex "$d/in.csl.json" -o "$d/pandoc.bib"
  fi
  if [ "$n" -le "$BIBTOOL_MAX" ]; then
    run "bibtool reformat" "$n" bibtex "$d/bibtool.bib" -- bibtool -q -i "$d/in.bib" -o "$d/bibtool.bib"
  fi
  if [ "$n" -le "$BIBTEXPARSER_MAX" ]; then
    run "bibtexparser v2 parse + write" "$n" bibtex "$d/bibtexparser.bib" -- "$py" "$peers" bibtexparser "$d/in.bib" "$d/bibtexparser.bib"
  fi
  if [ "$n" -le "$GENANKI_MAX" ]; then
    run "genanki deck (simpler: 6 fields, 1 card)" "$n" anki "$d/genanki.apkg" -- "$py" "$peers" genanki "$d/in.jsonl" "$d/genanki.apkg"
  fi
done

echo
text_formats=$("$pe" --list-formats | awk 'NR > 1 && $3 == "yes" && $1 != "anki" {print $1}')
"$py" "$peers" builtin "$pe" $text_formats | tee -a "$results"

echo
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m); $(date -u +%Y-%m-%d)"
echo "Results: $results"
