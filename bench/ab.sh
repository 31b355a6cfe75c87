#!/usr/bin/env bash
# Compares two server builds side by side in one run: the same workloads against each jar, alternating A, B, A, B...
# for ROUNDS rounds (so drift on a shared machine hits both alike), then prints every figure's median per build and
# the ratio B/A. A regression shows as a ratio well outside the spread of the rounds.
#
#   bench/ab.sh BASE.jar CANDIDATE.jar          # defaults below
#   AB_ROUNDS [3]                               rounds (each runs both jars once)
#   BENCH_WORKLOADS ["publish batch latency replay"], BENCH_SECONDS [10], BENCH_PUBLISHERS [1,16,64],
#   BENCH_SUBSCRIBERS [1,10,100] and the other knobs of bench/run.sh apply to every run.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
A=${1:?usage: bench/ab.sh BASE.jar CANDIDATE.jar}
B=${2:?usage: bench/ab.sh BASE.jar CANDIDATE.jar}
ROUNDS=${AB_ROUNDS:-3}
export BENCH_WORKLOADS=${BENCH_WORKLOADS:-publish batch latency replay}
OUT=$(mktemp -d -t myelin-ab.XXXXXX)
trap 'rm -rf "$OUT"' EXIT

for r in $(seq "$ROUNDS"); do
  for side in A B; do
    jar=$A; [[ $side == B ]] && jar=$B
    echo "=== round $r, build $side ($jar)" >&2
    MYELIN_JAR=$jar "$ROOT/bench/run.sh" > "$OUT/$side.$r.log" 2>&1 || { cat "$OUT/$side.$r.log" >&2; exit 1; }
    grep '^RESULT ' "$OUT/$side.$r.log" | sed "s/^RESULT /$side\t/" >> "$OUT/results.tsv"
  done
done

python3 - "$OUT/results.tsv" "$ROUNDS" "$A" "$B" <<'PY'
import json, sys, statistics
from collections import defaultdict
path, rounds, a, b = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
# A figure is a numeric field of a RESULT line, keyed by the line's non-numeric fields (workload, level...).
runs = defaultdict(lambda: defaultdict(list))
for line in open(path):
    side, js = line.rstrip('\n').split('\t', 1)
    r = json.loads(js)
    # 'events' is a setting of replay (events loaded) but a measurement of the closed-loop workloads.
    settings = ('publishers', 'subscribers', 'connections', 'batch_size', 'rate', 'clients') + \
               (() if 'events_per_s' in r else ('events',))
    ident = tuple((k, v) for k, v in r.items() if not isinstance(v, (int, float)) or k in settings)
    for k, v in r.items():
        if isinstance(v, (int, float)) and not isinstance(v, bool) and (k, v) not in ident:
            runs[(ident, k)][side].append(v)
print(f"A = {a}\nB = {b}\n{rounds} rounds, medians (min..max); ratio = B/A\n")
print(f"{'figure':70} {'A':>22} {'B':>22} {'B/A':>6}")
for (ident, k), sides in runs.items():
    if 'A' not in sides or 'B' not in sides:
        continue
    name = ' '.join(f"{x}={y}" for x, y in ident) + ' ' + k
    fa, fb = sides['A'], sides['B']
    ma, mb = statistics.median(fa), statistics.median(fb)
    ratio = mb / ma if ma else float('nan')
    print(f"{name[:70]:70} {ma:>10.3f} ({min(fa):.0f}..{max(fa):.0f}) {mb:>10.3f} ({min(fb):.0f}..{max(fb):.0f}) {ratio:>6.2f}")
PY
