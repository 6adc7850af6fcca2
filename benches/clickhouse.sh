#!/usr/bin/env bash
# Issue 11's benchmarks: `logx ship` throughput against `logx cat -o json` over the same files,
# and three queries over ~10 million rows in ClickHouse against the same queries on the local
# files (one-hour window, level count, phrase search), all in the same run, medians of RUNS.
#
#   BENCH_DATA=/tmp/gen RUNS=3 benches/clickhouse.sh
#
# Needs clickhouse-server (apt-get install clickhouse-server): started here on free ports with
# a data directory under target/, stopped at the end. Data: app.log (8.9 M entries) and
# cells-1m.json from ../shared/tools/gen_corpus.py (generated when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
DATA=${BENCH_DATA:-target/bench-data}
LOGX=$PWD/target/release/logx
export TZ=UTC LOGX_CACHE_DIR=$PWD/target/bench-cache
cargo build --release -q
[ -f "$DATA/app.log.truth.json" ] || python3 ../shared/tools/gen_corpus.py "$DATA" --size 1G --only app.log >&2
FILES=("$DATA/app.log")
[ -f "$DATA/cells-1m.json" ] && FILES+=("$DATA/cells-1m.json")

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
DIR=$PWD/target/bench-ch
rm -rf "$DIR"; mkdir -p "$DIR"
HTTP=$(free_port); TCP=$(free_port)
cat > "$DIR/config.xml" <<XML
<yandex><logger><level>warning</level><console>1</console></logger>
<http_port>$HTTP</http_port><tcp_port>$TCP</tcp_port><listen_host>127.0.0.1</listen_host>
<path>$DIR/data/</path><tmp_path>$DIR/tmp/</tmp_path><user_files_path>$DIR/uf/</user_files_path>
<format_schema_path>$DIR/fs/</format_schema_path><users_config>users.xml</users_config>
<default_profile>default</default_profile><default_database>default</default_database>
<mark_cache_size>1073741824</mark_cache_size><max_concurrent_queries>100</max_concurrent_queries></yandex>
XML
cat > "$DIR/users.xml" <<XML
<yandex><profiles><default></default></profiles><users><default><password></password>
<networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
<quotas><default></default></quotas></yandex>
XML
clickhouse-server --config-file="$DIR/config.xml" > "$DIR/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$HTTP/?query=SELECT%201" > /dev/null; do sleep 0.2; done
URL=clickhouse://127.0.0.1:$HTTP/bench.app
q() { curl -sf "http://127.0.0.1:$HTTP/" --data-binary "$1"; }

secs() { local s e; s=$(date +%s.%N); "$@" > /dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

ENTRIES=$($LOGX cat -c "${FILES[@]}")
# ship: each run into a fresh table (and checkpoint), interleaved with cat -o json
ship_t=(); cat_t=()
for r in $(seq "$RUNS"); do
  q "DROP TABLE IF EXISTS bench.app" || true
  rm -f "$DIR/ck.json"
  cat_t+=("$(secs "$LOGX" cat -o json "${FILES[@]}")")
  ship_t+=("$(secs "$LOGX" ship -q --checkpoint "$DIR/ck.json" --to "$URL" "${FILES[@]}")")
done
ROWS=$(q "SELECT count() FROM bench.app FINAL")
S=$(printf '%s\n' "${ship_t[@]}" | median); C=$(printf '%s\n' "${cat_t[@]}" | median)
echo "### ClickHouse (issue 11), $(date -u +%F), $(nproc) cores, server $(q 'SELECT version()'), RUNS=$RUNS"
echo
echo "Files: ${FILES[*]} ($ENTRIES entries); rows in the table after FINAL: $ROWS."
echo
echo "| measure | logx | reference | ratio |"
echo "|---|---|---|---|"
printf '| `logx ship` (create, batches of 20,000, checkpoints) vs `logx cat -o json`, same files | %.1f s, %.0f entries/s | %.1f s, %.0f entries/s | %.2fx the time |\n' \
  "$S" "$(echo "$ENTRIES / $S" | bc -l)" "$C" "$(echo "$ENTRIES / $C" | bc -l)" "$(echo "$S / $C" | bc -l)"

query_row() {
  local label=$1; shift
  local tl=() tr=()
  for r in $(seq "$RUNS"); do
    tl+=("$(secs "$LOGX" cat -c "$@" "${FILES[@]}")")
    tr+=("$(secs "$LOGX" cat -c "$@" "$URL")")
  done
  local a b nl nr
  a=$(printf '%s\n' "${tl[@]}" | median); b=$(printf '%s\n' "${tr[@]}" | median)
  nl=$($LOGX cat -c "$@" "${FILES[@]}" || true); nr=$($LOGX cat -c "$@" "$URL" || true)
  printf '| %s (`cat -c %s`): %s local, %s table | %.3f s (table) | %.3f s (files) | %.2fx |\n' "$label" "$*" "$nl" "$nr" "$b" "$a" "$(echo "$b / $a" | bc -l)"
}
echo
echo "| query over $ROWS rows | ClickHouse | local files | table/files |"
echo "|---|---|---|---|"
query_row "one-hour window" --from 2026-11-16T10:00:00Z --to 2026-11-16T11:00:00Z
query_row "level count" --level warn
query_row "phrase search" -F "connection reset by peer"

# The TUI over a table of app.log alone against the TUI over app.log (benches/tui.rs, its
# table part): TUI=0 leaves it out.
if [ "${TUI:-1}" != 0 ]; then
  q "DROP TABLE IF EXISTS bench.tui" || true
  rm -f "$DIR/ck-tui.json"
  "$LOGX" ship -q --checkpoint "$DIR/ck-tui.json" --to "clickhouse://127.0.0.1:$HTTP/bench.tui" "$DATA/app.log"
  echo
  LOGX_BENCH_TABLE="clickhouse://127.0.0.1:$HTTP/bench.tui" BENCH_DATA="$DATA" RUNS="$RUNS" \
    cargo bench -q --bench tui 2>/dev/null
fi
