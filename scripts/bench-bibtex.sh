#!/usr/bin/env bash
# BibTeX speed: paper-export beside pandoc and bibtool, on the same files.
#
#   scripts/bench-bibtex.sh                 generates 10000 and 100000 papers with paper-gen
#   scripts/bench-bibtex.sh in.json ...     uses these canonical JSON files instead
#   SIZES="10000" PANDOC_MAX=10000 scripts/bench-bibtex.sh
#
# For each input `in.json` of N papers it makes `in.bib` with paper-export, then
# times these jobs on the same files:
#   paper-export in.json -f bibtex          (JSON -> BibTeX)
#   paper-export in.bib -f json             (BibTeX -> JSON)
#   pandoc -f bibtex -t csljson in.bib      (only up to PANDOC_MAX papers: ~1 GB at 10,000)
#   bibtool -i in.bib -o out.bib
# The jobs take turns, one run each per round, so that a slow spell of the
# shared machine falls on all of them rather than on one job's runs. The
# first round runs each job under /usr/bin/time -v for its peak memory (a
# job over 5 seconds runs only that once); then REPEAT rounds (default 5)
# run the others directly, and the fastest of those counts (GNU time's own
# start adds 1-2 ms to a run, a twentieth of a 40 ms one). It counts the
# records in every output (a job that loses records is FAILED, not fast) and
# prints records/s, peak RSS and the ratios the issue asks for:
# JSON->BibTeX >= 200x pandoc, BibTeX->JSON >= 100x pandoc, both >= 10x bibtool,
# peak memory < 100 MB. A benchmark, never a test: it asserts nothing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
SIZES="${SIZES:-10000 100000}"
PANDOC_MAX="${PANDOC_MAX:-10000}"
REPEAT="${REPEAT:-5}"
work="$root/target/bench-bibtex"
. "$root/scripts/bench/timed.sh"
mkdir -p "$work"

need=""
for p in pandoc bibtool time; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need="$need $p"
done
if [ -n "$need" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

cargo build --release --locked -q --bin paper-export
cargo build --release --locked -q -p paper-gen
pe="$root/target/release/paper-export"
gen="$root/target/release/paper-gen"

inputs=("$@")
if [ ${#inputs[@]} -eq 0 ]; then
  for n in $SIZES; do
    [ -s "$work/gen-$n.json" ] || "$gen" --count "$n" -o "$work/gen-$n.json"
    inputs+=("$work/gen-$n.json")
  done
fi

# Records in an output file, by format.
count() {
  case "$1" in
    bib) grep -c '^@' "$2" || true ;;
    json) python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["papers"] if isinstance(d, dict) else d))' "$2" ;;
  esac
}

declare -A rate rss
# Jobs of one input: add_job NAME KIND OUT -- COMMAND..., then run_jobs N.
names=(); kinds=(); outs=()
add_job() {
  local i=${#names[@]}
  names+=("$1"); kinds+=("$2"); outs+=("$3"); shift 4
  declare -ga "cmd_$i"
  local -n cmd="cmd_$i"
  cmd=("$@")
}

# Runs the jobs in turns and prints a row per job. The first round runs
# each job under GNU time for its peak memory; a job that takes over 5
# seconds there is not run again (time's own start is nothing beside it).
# The others then run REPEAT more rounds without GNU time, and their
# fastest of those counts.
run_jobs() {
  local n="$1" round i secs mb got check r
  local -a best=() best_rss=() failed=() done=()
  for round in $(seq 0 "$REPEAT"); do
    for i in "${!names[@]}"; do
      [ -n "${done[$i]:-}" ] && continue
      local -n cmd="cmd_$i"
      rm -f "${outs[$i]}"
      if [ "$round" = 0 ]; then
        timed "$work/time.log.$i" "${cmd[@]}" || { failed[$i]=1; done[$i]=1; continue; }
        best_rss[$i]="$RSS_MB"
        if awk -v s="$SECS" 'BEGIN { exit !(s > 5) }'; then
          best[$i]="$SECS"; done[$i]=1
        fi
      else
        direct "$work/time.log.$i" "${cmd[@]}" || { failed[$i]=1; done[$i]=1; continue; }
        if [ -z "${best[$i]:-}" ] || awk -v a="$SECS" -v b="${best[$i]}" 'BEGIN { exit !(a < b) }'; then
          best[$i]="$SECS"
        fi
      fi
      [ -s "${outs[$i]}" ] || cp "$work/time.log.$i.out" "${outs[$i]}"
    done
  done
  for i in "${!names[@]}"; do
    if [ -n "${failed[$i]:-}" ]; then
      printf '| %-34s | %8s | %7s | %9s | %7s | FAILED (exit) |\n' "${names[$i]}" "$n" - - -
      continue
    fi
    secs="${best[$i]}"; mb="${best_rss[$i]}"
    got=$(count "${kinds[$i]}" "${outs[$i]}")
    if [ "$got" = "$n" ]; then check="ok"; else check="FAILED: $got records"; fi
    r=$(awk -v n="$n" -v s="$secs" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print 0 }')
    rate["${names[$i]}"]=$r
    rss["${names[$i]}"]=$mb
    printf '| %-34s | %8s | %7s | %9s | %7s | %s |\n' "${names[$i]}" "$n" "$secs" "$r" "$mb" "$check"
  done
  names=(); kinds=(); outs=()
}

ratio() { awk -v a="${rate[$1]:-0}" -v b="${rate[$2]:-0}" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "n/a" }'; }

for in_json in "${inputs[@]}"; do
  n=$(count json "$in_json")
  d="$work/$n"; mkdir -p "$d"
  "$pe" -q "$in_json" -f bibtex -o "$d/in.bib"
  echo
  echo "### $n papers ($(du -h "$d/in.bib" | cut -f1) of BibTeX)"
  echo
  echo "| job                                |  records | seconds | records/s | peak MB | check |"
  echo "|------------------------------------|---------:|--------:|----------:|--------:|-------|"
  rate=(); rss=()
  add_job "paper-export json -> bibtex" bib "$d/out.bib" -- "$pe" -q "$in_json" -f bibtex -o "$d/out.bib"
  add_job "paper-export bibtex -> json" json "$d/out.json" -- "$pe" -q "$d/in.bib" -f json -o "$d/out.json"
  if [ "$n" -le "$PANDOC_MAX" ]; then
    add_job "pandoc -f bibtex -t csljson" json "$d/pandoc.json" -- pandoc -f bibtex -t csljson "$d/in.bib" -o "$d/pandoc.json"
  fi
  add_job "bibtool -i in.bib -o out.bib" bib "$d/bibtool.bib" -- bibtool -q -i "$d/in.bib" -o "$d/bibtool.bib"
  run_jobs "$n"
  echo
  w="paper-export json -> bibtex"; r="paper-export bibtex -> json"
  p="pandoc -f bibtex -t csljson"; b="bibtool -i in.bib -o out.bib"
  if [ -n "${rate[$p]:-}" ]; then
    echo "- JSON -> BibTeX: $(ratio "$w" "$p")x pandoc (target 200x), $(ratio "$w" "$b")x bibtool (target 10x)"
    echo "- BibTeX -> JSON: $(ratio "$r" "$p")x pandoc (target 100x), $(ratio "$r" "$b")x bibtool (target 10x)"
  else
    echo "- JSON -> BibTeX: $(ratio "$w" "$b")x bibtool (target 10x); pandoc not run above $PANDOC_MAX papers"
    echo "- BibTeX -> JSON: $(ratio "$r" "$b")x bibtool (target 10x)"
  fi
  echo "- peak memory: json -> bibtex ${rss[$w]:-?} MB, bibtex -> json ${rss[$r]:-?} MB (target < 100 MB)"
done
echo
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"
