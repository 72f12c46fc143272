# Sourced by the benchmark scripts.
#
# timed LOG COMMAND...: runs COMMAND under GNU time (its standard output to
# LOG.out, time's report to LOG) and sets SECS, the wall time in seconds to
# the millisecond (time's own figure has hundredths, too coarse for small
# inputs), and RSS_MB, the peak resident memory. Returns COMMAND's status.
timed() {
  local log="$1" start end
  shift
  start=$(date +%s%N)
  /usr/bin/time -v "$@" > "$log.out" 2> "$log" || return $?
  end=$(date +%s%N)
  SECS=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  RSS_MB=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$log")
}
