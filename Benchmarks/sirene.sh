#!/usr/bin/env bash
# The SIRENE benchmark (issue #14): `frenchtech import sirene` into a fresh registry, then `stats ecosystem`,
# against DuckDB computing the same figures with read_csv on the same file and against the sqlite3 shell
# (`.import`, then the same query). Whole processes of the release binary, median of RUNS runs, the three in turn
# (one run each per round). The file is SYNTHETIC (Benchmarks/sirene_generate.py: the StockEtablissement 3.11
# layout, invented firms, deterministic). Not a test: it prints figures, ratios and whether each target is met,
# and checks that the three agree on the figures.
#
#   bash Benchmarks/sirene.sh                 # SIZES="2000000 10000000" RUNS=5 by default
#   SIZES=200000 RUNS=3 bash Benchmarks/sirene.sh   # a quick look
#
# Work files (CSV, zip, registries) go to Benchmarks/work/, which git ignores.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"2000000 10000000"}
RUNS=${RUNS:-5}
PEERS="python3 Benchmarks/sirene_peers.py"
. Benchmarks/prelude.sh
python3 -c "import duckdb" 2>/dev/null || python3 -m pip install -q duckdb
echo "duckdb $(python3 -c 'import duckdb; print(duckdb.__version__)') (PyPI)"

REGISTRY="$WORK/sirene-registry.sqlite"
SHELL_DB="$WORK/sirene-shell.sqlite"
FRESH="rm -f $REGISTRY $REGISTRY-journal $REGISTRY-wal $REGISTRY-shm && $BIN init --db $REGISTRY"
STATS=("$BIN" stats ecosystem --territory Aix-Marseille --naf-set ict --format json --db "$REGISTRY")

json() { python3 -c "import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
ratio() { python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }
verdict() { python3 -c "import sys; print('met' if float(sys.argv[1]) <= float(sys.argv[2]) else 'NOT met')" "$1" "$2"; }

declare -A RSS
for rows in $SIZES; do
    csv="$WORK/sirene-synthetic-$rows.csv"
    [ -s "$csv" ] || python3 Benchmarks/sirene_generate.py --rows "$rows" --out "$csv"
    echo "== $rows rows: $csv ($(du -h "$csv" | cut -f1), synthetic)"
    $PEERS sqlite3-script "$csv" > "$WORK/sirene-shell.sql"

    results=$($MEASURE "$RUNS" \
        "$FRESH" --rss -- "$BIN" import sirene "$csv" --db "$REGISTRY" --- \
        "" --rss -- $PEERS duckdb "$csv" --- \
        "rm -f $SHELL_DB" --rss -- sh -c "sqlite3 $SHELL_DB < $WORK/sirene-shell.sql")
    ours=$(echo "$results" | sed -n 1p); duck=$(echo "$results" | sed -n 2p); shell=$(echo "$results" | sed -n 3p)
    # The registry of the last run holds the snapshot: its statistics, many runs (they take milliseconds).
    stats=$($MEASURE "$((RUNS * 4))" "" -- "${STATS[@]}")

    t_import=$(json "$ours" median_s); t_duck=$(json "$duck" median_s); t_shell=$(json "$shell" median_s)
    t_stats=$(json "$stats" median_s)
    RSS[$rows]=$(json "$ours" max_rss_kb)
    printf "import sirene        %8.3f s  peak %6d MB\n" "$t_import" "$((RSS[$rows] / 1024))"
    printf "stats ecosystem      %8.3f s\n" "$t_stats"
    printf "DuckDB read_csv      %8.3f s  peak %6d MB  (the figures, from the file)\n" "$t_duck" "$(($(json "$duck" max_rss_kb) / 1024))"
    printf "sqlite3 shell        %8.3f s  peak %6d MB  (.import, then the figures)\n" "$t_shell" "$(($(json "$shell" max_rss_kb) / 1024))"
    echo "import / DuckDB: $(ratio "$t_import" "$t_duck") (target <= 1.0: $(verdict "$t_import" "$t_duck"))"
    echo "import + stats / DuckDB: $(ratio "$(python3 -c "print($t_import + $t_stats)")" "$t_duck")"
    echo "import / sqlite3 shell: $(ratio "$t_import" "$t_shell")"
    echo "stats ecosystem: $(python3 -c "print('%.1f' % ($t_stats * 1000))") ms (target < 50 ms: $(verdict "$t_stats" 0.05))"
    echo "peak memory of import: $((RSS[$rows] / 1024)) MB (target < 100 MB: $(verdict "${RSS[$rows]}" 102400))"

    # The three agree on every figure (jobs_mid to half a job: a sum of halves).
    ours_json=$("${STATS[@]}")
    duck_json=$($PEERS duckdb "$csv")
    shell_json=$(sqlite3 "$SHELL_DB" "$(python3 -c "import sys; sys.path.insert(0, 'Benchmarks'); import sirene_peers as p; print(' '.join(p.figures_sql().split()))")" -json)
    python3 - "$ours_json" "$duck_json" "$shell_json" <<'EOF'
import json, sys
ours, duck, shell = json.loads(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])[0]
bad = [k for k in duck if abs(float(ours.get(k, "nan")) - float(duck[k])) > 0.5 or abs(float(shell[k]) - float(duck[k])) > 0.5]
print("figures:", json.dumps({k: duck[k] for k in duck}))
print("the three agree" if not bad else "DISAGREE on %s: frenchtech %s" % (bad, json.dumps(ours)))
sys.exit(1 if bad else 0)
EOF

    if [ "$rows" = "$(echo $SIZES | cut -d' ' -f1)" ]; then
        zip="$WORK/sirene-synthetic-$rows.zip"
        [ -s "$zip" ] || python3 -c "import sys, zipfile; zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED).write(sys.argv[1], 'StockEtablissement_utf8.csv')" "$csv" "$zip"
        zipped=$($MEASURE "$RUNS" "$FRESH" -- "$BIN" import sirene "$csv" --db "$REGISTRY" --- \
            "$FRESH" -- "$BIN" import sirene "$zip" --db "$REGISTRY")
        t_csv=$(json "$(echo "$zipped" | sed -n 1p)" median_s); t_zip=$(json "$(echo "$zipped" | sed -n 2p)" median_s)
        echo "zip ($(du -h "$zip" | cut -f1)): $t_zip s against $t_csv s for the CSV: $(ratio "$t_zip" "$t_csv")× (target <= 1.3: $(verdict "$(ratio "$t_zip" "$t_csv")" 1.3))"
    fi
done

sizes=($SIZES)
if [ ${#sizes[@]} -gt 1 ]; then
    first=${sizes[0]}; last=${sizes[-1]}
    echo "== peak memory of import: $((RSS[$first] / 1024)) MB at $first rows, $((RSS[$last] / 1024)) MB at $last rows (flat: $(verdict "${RSS[$last]}" "$((RSS[$first] * 12 / 10))"))"
fi
