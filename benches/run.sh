#!/usr/bin/env bash
# Benchmarks of logx against reference tools in the same run (page cache warm, median of
# RUNS runs; in ratio rows the two commands alternate, so that machine noise hits both alike).
#
#   benches/run.sh [engine|query|patterns|audit|export|tail|tui|all]     (default: all)
#
# Data: 1 GiB files from ../shared/tools/gen_corpus.py, generated into $BENCH_DATA
# (default target/bench-data) on the first run. Needs ripgrep (apt-get install ripgrep).
# Prints Markdown rows for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
WHAT=${1:-all}
RUNS=${RUNS:-5}
DATA=${BENCH_DATA:-target/bench-data}
SIZE=${BENCH_SIZE:-1G}
LOGX=target/release/logx
export LOGX_CACHE_DIR=${LOGX_CACHE_DIR:-$PWD/target/bench-cache}
export TZ=UTC

cargo build --release -q
if [ ! -f "$DATA/rotated-json.truth.json" ]; then
  echo "generating $SIZE per file into $DATA ..." >&2
  python3 ../shared/tools/gen_corpus.py "$DATA" --size "$SIZE" >&2
fi
for f in "$DATA"/*.json "$DATA"/*.log "$DATA"/syslog "$DATA"/app.logfmt; do cat "$f" > /dev/null; done

# median of RUNS timings (seconds) of a command; $PRE runs before each (not timed)
median() {
  local times=()
  for _ in $(seq "$RUNS"); do
    [ -n "${PRE:-}" ] && eval "$PRE"
    local s e
    s=$(date +%s.%N)
    "$@" > /dev/null 2>&1 || true
    e=$(date +%s.%N)
    times+=("$(echo "$e - $s" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

# one timing (seconds) of a command string; $PRE runs before it (not timed)
once() {
  [ -n "${PRE:-}" ] && eval "$PRE"
  local s e
  s=$(date +%s.%N)
  bash -c "$1" > /dev/null 2>&1 || true
  e=$(date +%s.%N)
  echo "$e - $s" | bc -l
}

mid() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# ratio row: label, target, reference command (string), logx command (string); the two are
# run in turn, RUNS times each, so that machine noise hits both sides alike
row() {
  local label=$1 target=$2 ref=$3 cmd=$4
  local rs=() ls=() r l
  for _ in $(seq "$RUNS"); do
    rs+=("$(once "$ref")")
    ls+=("$(once "$cmd")")
  done
  r=$(mid "${rs[@]}")
  l=$(mid "${ls[@]}")
  printf '| %s | `%s` | `%s` | %.3f s | %.3f s | %.2fx | %s |\n' "$label" "$cmd" "$ref" "$l" "$r" "$(echo "$l / $r" | bc -l)" "$target"
}

header() {
  echo "| measure | logx command | reference | logx | reference | ratio | target |"
  echo "|---|---|---|---|---|---|---|"
}

PHRASE="connection reset by peer"
if [ "$WHAT" = engine ] || [ "$WHAT" = all ]; then
  echo "### Engine (issue 2), $(date -u +%F), $(nproc) cores, $SIZE per file"
  header
  row "line index, 1 GiB text" "1.5x" "wc -l $DATA/app.log" "$LOGX index $DATA/app.log"
  row "line index, 1 GiB zap JSON" "1.5x" "wc -l $DATA/cells.json" "$LOGX index $DATA/cells.json"
  for f in app.log cells.json directus.json syslog access.log; do
    row "count entries, $f" "3x" "wc -l $DATA/$f" "$LOGX --no-index cat -c $DATA/$f"
  done
  row "NDJSON out, zap JSON" "15x" "wc -l $DATA/cells.json" "$LOGX --no-index cat -o json $DATA/cells.json"
  row "NDJSON out, pino JSON" "15x" "wc -l $DATA/directus.json" "$LOGX --no-index cat -o json $DATA/directus.json"
  echo
  echo "Peak memory (anonymous; the mapping itself not counted; target under 3% of the file plus 50 MiB = $(( $(stat -c %s $DATA/cells.json) * 3 / 100 / 1024 + 51200 )) KiB):"
  echo
  for c in "cat -c $DATA/app.log" "cat -o json $DATA/cells.json" "cat -c --level warn $DATA/directus.json"; do
    rm -rf "$LOGX_CACHE_DIR"
    echo "- \`logx $c\`: $(benches/peakmem.sh $LOGX $c)"
  done
  echo
fi

if [ "$WHAT" = query ] || [ "$WHAT" = all ]; then
  echo "### Query (issue 3), $(date -u +%F), $(nproc) cores, $SIZE per file"
  header
  for f in app.log cells.json directus.json; do
    row "phrase count, $f" "1.5x" "rg -c -F '$PHRASE' $DATA/$f" "$LOGX --no-index cat -c -F '$PHRASE' $DATA/$f"
  done
  PRE="rm -rf $LOGX_CACHE_DIR"
  row "level filter, zap JSON, first read" "5x" "wc -l $DATA/cells.json" "$LOGX cat -c --level warn $DATA/cells.json"
  row "level filter, pino JSON, first read" "5x" "wc -l $DATA/directus.json" "$LOGX cat -c --level warn $DATA/directus.json"
  row "one hour of five days, first open" "50 ms" "true" "$LOGX cat -c --from 2026-11-16T10:00:00Z --to 2026-11-16T11:00:00Z $DATA/cells.json"
  unset PRE
  rm -rf "$LOGX_CACHE_DIR"
  first=$(median bash -c "rm -rf $LOGX_CACHE_DIR; $LOGX stats $DATA/cells.json")
  $LOGX stats "$DATA/cells.json" > /dev/null
  second=$(median bash -c "$LOGX stats $DATA/cells.json")
  printf '| second stats with the persisted index | `logx stats cells.json` | first read | %.3f s | %.3f s | %.1f%% | 5%% |\n' "$second" "$first" "$(echo "100 * $second / $first" | bc -l)"
  echo
fi

# entries per second of a command on one core: label, entries, command
rate_row() {
  local label=$1 n=$2 cmd=$3 t
  t=$(median bash -c "$cmd")
  printf '| %s | `%s` | %s | %.2f s | %s/s |\n' "$label" "$cmd" "$n" "$t" "$(echo "$n / $t" | bc)"
}

if [ "$WHAT" = patterns ] || [ "$WHAT" = all ]; then
  echo "### Patterns (issue 8), $(date -u +%F), one core (--threads 1), $SIZE per file"
  echo "| measure | command | entries | time | entries per second (target 500000) |"
  echo "|---|---|---|---|---|"
  for f in cells.json directus.json app.log syslog access.log; do
    n=$(python3 -c "import json;print(json.load(open('$DATA/$f.truth.json'))['entries'])")
    rate_row "templates, $f" "$n" "$LOGX --threads 1 patterns -o json $DATA/$f"
  done
  for f in cells.json app.log; do
    n=$(python3 -c "import json;print(json.load(open('$DATA/$f.truth.json'))['entries'])")
    rate_row "compare two periods, $f" "$n" "$LOGX --threads 1 patterns -o json --compare --before 2026-11-16T12:00:00Z $DATA/$f"
  done
  echo
  echo "Grouping accuracy on loghub (\`benches/patterns_accuracy.py\`):"
  echo
  python3 benches/patterns_accuracy.py --logx "$LOGX"
  echo
fi

if [ "$WHAT" = audit ] || [ "$WHAT" = all ]; then
  echo "### Audit grouping (issue 7), $(date -u +%F), $(nproc) cores, $SIZE per file"
  header
  for f in cells.json directus.json; do
    row "audit groups, $f" "-" "$LOGX --no-index cat -c $DATA/$f" "$LOGX --no-index audit -o json $DATA/$f"
  done
  echo
  for f in cells.json directus.json; do
    echo "- \`logx audit -o json $f\` peak memory: $(benches/peakmem.sh $LOGX --no-index audit -o json $DATA/$f)"
  done
  echo
fi

if [ "$WHAT" = export ] || [ "$WHAT" = all ]; then
  echo "### Export (issue 5), $(date -u +%F), $(nproc) cores, $SIZE per file"
  header
  row "CSV export, zap JSON" "1x" "$LOGX --no-index cat -o json $DATA/cells.json > /dev/null" "$LOGX --no-index export --all --csv $DATA/cells.json > /dev/null"
  row "CSV export, text" "1x" "$LOGX --no-index cat -o json $DATA/app.log > /dev/null" "$LOGX --no-index export --all --csv $DATA/app.log > /dev/null"
  echo
  [ -s "$DATA/cells-1m.json" ] || head -n 1000000 "$DATA/cells.json" > "$DATA/cells-1m.json"
  t=$(median bash -c "$LOGX --no-index export --all --xlsx -o $DATA/out.xlsx $DATA/cells-1m.json")
  printf -- '- XLSX, 1,000,000 rows (`logx export --all --xlsx -o out.xlsx cells-1m.json`): %.2f s, %s rows per second\n' "$t" "$(echo "1000000 / $t" | bc)"
  echo "- its peak memory (target under 150 MiB): $(benches/peakmem.sh $LOGX --no-index export --all --xlsx -o $DATA/out.xlsx $DATA/cells-1m.json)"
  rm -f "$DATA/out.xlsx"
  echo
fi

if [ "$WHAT" = tail ] || [ "$WHAT" = all ]; then
  echo "### Tail (issue 4), $(date -u +%F), $(nproc) cores"
  echo
  python3 benches/tail_bench.py
  echo
fi

if [ "$WHAT" = tui ] || [ "$WHAT" = all ]; then
  echo "### TUI (issue 6), $(date -u +%F), $(nproc) cores, through a pty"
  echo
  BENCH_DATA="$DATA" RUNS="$RUNS" cargo bench -q --bench tui 2>/dev/null
  echo
fi
