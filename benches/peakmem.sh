#!/usr/bin/env bash
# Runs a command and prints its peak anonymous memory (RssAnon, KiB) and its peak resident
# set (VmHWM, KiB, which also counts mapped file pages), sampled every 5 ms from /proc.
# Usage: benches/peakmem.sh CMD [ARGS...]   (the command's stdout goes to /dev/null)
set -u
"$@" > /dev/null &
pid=$!
peak_anon=0
hwm=0
while kill -0 "$pid" 2>/dev/null; do
  if [ -r "/proc/$pid/status" ]; then
    a=$(awk '/^RssAnon:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
    h=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
    [ -n "${a:-}" ] && [ "$a" -gt "$peak_anon" ] && peak_anon=$a
    [ -n "${h:-}" ] && [ "$h" -gt "$hwm" ] && hwm=$h
  fi
  sleep 0.005
done
wait "$pid"
echo "peak_anon_kib=$peak_anon vmhwm_kib=$hwm"
