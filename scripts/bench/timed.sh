# Sourced by the benchmark scripts.
#
# direct LOG COMMAND...: runs COMMAND (its standard output to LOG.out, its
# standard error to LOG) and sets SECS, the wall time in seconds to the
# millisecond. The clock is bash's EPOCHREALTIME, read without starting a
# process: two `date` processes around the command added about 1.2 ms to
# every job. Returns COMMAND's status.
direct() {
  local log="$1" start end
  shift
  start=$EPOCHREALTIME
  "$@" > "$log.out" 2> "$log" || return $?
  end=$EPOCHREALTIME
  SECS=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
}

# timed LOG COMMAND...: `direct` with COMMAND under GNU time (time's report
# goes to LOG), which also sets RSS_MB, the peak resident memory (time's own
# figure for the time has hundredths, too coarse for small inputs). Starting
# GNU time adds 1 to 2 ms to every run (measured here): noise for a run of
# seconds, not for one of 40 ms.
timed() {
  local log="$1"
  shift
  direct "$log" /usr/bin/time -v "$@" || return $?
  RSS_MB=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$log")
}

# fastest RUNS LIMIT LOG OUT COMMAND...: runs COMMAND up to RUNS times (the
# machine is shared and other work slows some runs; a run over LIMIT seconds
# is not repeated), removing OUT before each run, and sets SECS and RSS_MB
# of the fastest run and LOAD, the load average at its start. Returns the
# status of a run that failed (LOAD is then that run's).
fastest() {
  local runs="$1" limit="$2" log="$3" out="$4" i best="" best_rss="" best_load=""
  shift 4
  for i in $(seq "$runs"); do
    rm -f "$out"
    LOAD=$(cut -d' ' -f1 /proc/loadavg)
    timed "$log" "$@" || return $?
    if [ -z "$best" ] || awk -v a="$SECS" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best="$SECS"; best_rss="$RSS_MB"; best_load="$LOAD"
    fi
    if awk -v s="$SECS" -v l="$limit" 'BEGIN { exit !(s > l) }'; then
      break
    fi
  done
  SECS="$best"; RSS_MB="$best_rss"; LOAD="$best_load"
}
