#!/usr/bin/env bash
# Runs every bench workload against a freshly started Myelin server, with a Redis peer for
# the durable-publish comparison, prints everything, and stops what it started.
#
# Everything is configurable through the environment (defaults in brackets):
#   BENCH_SECONDS [10]            measured seconds per level of publish / batch / latency
#   BENCH_WARMUP_SECONDS [5]      warm-up before the publish and batch levels (lets C2 finish)
#   BENCH_PUBLISHERS [1,16,64]    connections for publish and its Redis peer
#   BENCH_BATCH_PUBLISHERS [1,4]  connections for batch publish
#   BENCH_BATCH_SIZE [1000]       events per batch request
#   BENCH_PAYLOAD_BYTES [128]     payload size
#   BENCH_RATE [1000]             offered events/s for the latency workload
#   BENCH_SUBSCRIBERS [1,10,100]  SSE subscribers on one axon for the latency workload
#   BENCH_REPLAY_EVENTS [100000]  events loaded then replayed over one stream
#   BENCH_IDLE_SUBSCRIBERS [10000] idle SSE subscriptions to hold
#   BENCH_SQL_AXONS [10000]       axons with a small table for the sql workload's many-axons and
#                                 cold-open figures
#   BENCH_SQL_MAX_OPEN_DATABASES [1000]  the server's cap on open per-axon databases (LRU), also
#                                 given to the sql workload so its cold-open walk exceeds it
#   BENCH_LIST_AXONS [100000]     axons created then paged through by the list workload
#   BENCH_WORKLOADS ["compare batch latency replay idle-sse"]
#                                 "compare" runs Myelin publish and Redis XADD back to back; it
#                                 falls back to "publish" alone when no Redis can be had.
#                                 Optional, not in the default list (sql ~70 s, list ~25 s):
#                                 "sql"  Axon SQL: point reads, batched inserts, reads over
#                                        BENCH_SQL_AXONS axons, first query on a closed database
#                                 "list" paging through BENCH_LIST_AXONS axons (list it before
#                                        sql so the unfiltered walks see only its axons)
#                                 "intents" (~6 min) create rate and heap of BENCH_INTENTS waiting
#                                        intents, lateness of BENCH_INTENT_TIMERS time intents due within
#                                        10 s, BENCH_INTENT_POLLS long polls held at once (h2c streams)
#                                 e.g. BENCH_WORKLOADS="list sql" bench/run.sh
#                                 Agent workloads (not in the default list; they need node and run the
#                                 agents of test-agents/, installed with npm ci when missing):
#                                 "wake"       wake latency of a running, frozen and shut-down agent, for
#                                              the SDK's example agent and acp-agent.mjs (~6 min)
#                                 "wake-burst" BENCH_BURST_DEVBOXES suspended agents: memory, processes,
#                                              a burst of wakes (~1 min)
#                                 "relay"      events/s through the broker vs. client publish (~1 min)
#                                 e.g. BENCH_WORKLOADS="wake wake-burst relay" bench/run.sh
#                                 "webhooks"   webhook deliveries/s to a loopback receiver in the bench
#                                              process, for BENCH_WEBHOOKS webhooks on one axon (~1 min)
#   BENCH_INTENTS [100000]        waiting intents created by the intents workload
#   BENCH_INTENT_TIMERS [10000]   time intents whose lateness the intents workload measures
#   BENCH_INTENT_POLLS [10000]    long polls the intents workload holds at once
#   BENCH_WEBHOOK_EVENTS [5000]   events published per webhooks level
#   BENCH_WEBHOOKS [1,4,16]       webhooks (all matching every event) per level
#   BENCH_WAKE_SAMPLES [100]      wake samples per agent for the running and frozen modes
#   BENCH_WAKE_SHUTDOWN_SAMPLES [50]  wake samples per agent for the shut-down mode (each waits ~1-2 s
#                                 for the idle timer)
#   BENCH_WAKE_MODES [running,frozen,shutdown]  which wake modes to measure (e.g. "frozen")
#   BENCH_STARTUP_SAMPLES [30]    agent start-ups (spawn to initialize answer) measured without the server
#   BENCH_BURST_DEVBOXES [100]    devboxes with a suspended agent for wake-burst
#   BENCH_RELAY_CHUNKS [20000]    session/update notifications per relayed turn
#   BENCH_RELAY_ROUNDS [3]        relayed turns
#   BENCH_SERVER_XMX [1g]         server heap (-Xmx); the server gets no other JVM tuning
#   BENCH_REDIS_PORT              use the Redis already listening on 127.0.0.1:PORT instead of
#                                 starting a private redis-server (its durability settings are
#                                 switched for the run and restored afterwards)
#   JAVA_HOME [/usr/lib/jvm/temurin-25-jdk-amd64], MYELIN_JAR [myelin-cli/target/myelin.jar]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
SERVER_JAR=${MYELIN_JAR:-$ROOT/myelin-cli/target/myelin.jar}
BENCH_JAR=$ROOT/bench/target/myelin-bench.jar

SECS=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP_SECONDS:-5}
PUBLISHERS=${BENCH_PUBLISHERS:-1,16,64}
BATCH_PUBLISHERS=${BENCH_BATCH_PUBLISHERS:-1,4}
BATCH_SIZE=${BENCH_BATCH_SIZE:-1000}
PAYLOAD=${BENCH_PAYLOAD_BYTES:-128}
RATE=${BENCH_RATE:-1000}
SUBSCRIBERS=${BENCH_SUBSCRIBERS:-1,10,100}
REPLAY_EVENTS=${BENCH_REPLAY_EVENTS:-100000}
IDLE_SUBSCRIBERS=${BENCH_IDLE_SUBSCRIBERS:-10000}
WORKLOADS=${BENCH_WORKLOADS:-compare batch latency replay idle-sse}
SERVER_XMX=${BENCH_SERVER_XMX:-1g}
SQL_AXONS=${BENCH_SQL_AXONS:-10000}
SQL_MAX_OPEN=${BENCH_SQL_MAX_OPEN_DATABASES:-1000}
LIST_AXONS=${BENCH_LIST_AXONS:-100000}
INTENTS=${BENCH_INTENTS:-100000}
INTENT_TIMERS=${BENCH_INTENT_TIMERS:-10000}
INTENT_POLLS=${BENCH_INTENT_POLLS:-10000}
WEBHOOK_EVENTS=${BENCH_WEBHOOK_EVENTS:-5000}
WEBHOOKS=${BENCH_WEBHOOKS:-1,4,16}
WAKE_SAMPLES=${BENCH_WAKE_SAMPLES:-100}
WAKE_SHUTDOWN_SAMPLES=${BENCH_WAKE_SHUTDOWN_SAMPLES:-50}
WAKE_MODES=${BENCH_WAKE_MODES:-running,frozen,shutdown}
STARTUP_SAMPLES=${BENCH_STARTUP_SAMPLES:-30}
BURST_DEVBOXES=${BENCH_BURST_DEVBOXES:-100}
RELAY_CHUNKS=${BENCH_RELAY_CHUNKS:-20000}
RELAY_ROUNDS=${BENCH_RELAY_ROUNDS:-3}

log() { printf '\n=== %s\n' "$*"; }

# --- build what is missing --------------------------------------------------------------------
if [[ ! -f $SERVER_JAR ]]; then
  log "building the server jar"
  (cd "$ROOT" && JAVA_HOME=$JAVA_HOME mvn -B -q -DskipTests -pl myelin-cli -am package)
fi
if [[ ! -f $BENCH_JAR ]]; then
  log "building the bench jar"
  (cd "$ROOT" && JAVA_HOME=$JAVA_HOME mvn -B -q -DskipTests -pl bench package)
fi
bench() { "$JAVA" -jar "$BENCH_JAR" "$@"; }

# --- agents, for the agent workloads ------------------------------------------------------------
# The server runs them as devbox broker mounts (agents.binaries); the bench also runs them alone
# for the figures that belong to the agent (start-up, emission rate).
AGENTS_ENV=()
if [[ " $WORKLOADS " =~ \ (wake|wake-burst|relay)\  ]]; then
  NODE=$(command -v node) || { echo "the agent workloads need node on PATH" >&2; exit 1; }
  if [[ ! -d $ROOT/test-agents/node_modules ]]; then
    log "installing the test agents (npm ci)"
    (cd "$ROOT/test-agents" && npm ci --no-audit --no-fund)
  fi
  EXAMPLE_AGENT=$ROOT/test-agents/node_modules/@agentclientprotocol/sdk/dist/examples/agent.js
  ACP_AGENT=$ROOT/test-agents/acp-agent.mjs
  AGENTS_ENV=("MYELIN_AGENTS_BINARIES={\"example\": [\"$NODE\", \"$EXAMPLE_AGENT\"], \"acp\": [\"$NODE\", \"$ACP_AGENT\"]}")
fi

# Every SSE subscription is one socket on each side: the idle workload needs ~10k descriptors
# in both processes, which inherit this limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if (( $(ulimit -n) < IDLE_SUBSCRIBERS + 1000 )); then
  echo "note: open-file limit $(ulimit -n) is below what $IDLE_SUBSCRIBERS idle subscriptions need" >&2
fi

WORK=$(mktemp -d -t myelin-bench.XXXXXX)
SERVER_PID=
REDIS_PID=
cleanup() {
  [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  [[ -n $REDIS_PID ]] && kill "$REDIS_PID" 2>/dev/null && wait "$REDIS_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- machine ------------------------------------------------------------------------------------
log "machine"
echo "date:   $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "cpus:   $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "memory: $(free -g | awk '/^Mem:/ {print $2 " GiB total"}')"
echo "load:   $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min)"
echo "java:   $("$JAVA" -version 2>&1 | head -1)"
echo "disk:   $(df -h "$WORK" | awk 'NR==2 {print $1 " mounted on " $6}') (server and Redis data both live here)"

# --- Myelin -----------------------------------------------------------------------------------------
KEY=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
PORT=$(bench free-port)
URL=http://127.0.0.1:$PORT
mkdir -p "$WORK/data"
log "starting Myelin on $URL (heap -Xmx$SERVER_XMX, data in $WORK/data)"
MYELIN_ADMIN_KEY=$KEY \
MYELIN_SSE_MAX_CONNECTIONS=20000 \
MYELIN_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true \
MYELIN_SSE_MAX_PER_AXON=20000 \
MYELIN_SSE_IDLE_TIMEOUT=10m \
MYELIN_SQL_MAX_OPEN_DATABASES=$SQL_MAX_OPEN \
  env "${AGENTS_ENV[@]}" "$JAVA" "-Xmx$SERVER_XMX" --enable-native-access=ALL-UNNAMED -jar "$SERVER_JAR" \
    serve --host 127.0.0.1 --port "$PORT" --data-dir "$WORK/data" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
if ! bench wait-healthy --url "$URL" --timeout-seconds 120; then
  cat "$WORK/server.log" >&2
  exit 1
fi
COMMON=(--url "$URL" --key "$KEY")

# --- Redis peer -------------------------------------------------------------------------------------
REDIS_PORT=
if [[ -n ${BENCH_REDIS_PORT:-} ]]; then
  REDIS_PORT=$BENCH_REDIS_PORT
elif command -v redis-server >/dev/null; then
  # A private instance whose append-only file sits on the same disk as Myelin's data.
  REDIS_PORT=$(bench free-port)
  mkdir -p "$WORK/redis"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$WORK/redis" --save '' --appendonly no \
    --daemonize no --loglevel warning >"$WORK/redis.log" 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 50); do
    redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
elif command -v redis-cli >/dev/null && redis-cli -p 6379 ping >/dev/null 2>&1; then
  REDIS_PORT=6379
fi
if [[ -n $REDIS_PORT ]] && command -v redis-cli >/dev/null; then
  echo "redis:  $(redis-cli -p "$REDIS_PORT" info server | tr -d '\r' | grep '^redis_version' | cut -d: -f2) on port $REDIS_PORT"
fi

# --- workloads ----------------------------------------------------------------------------------------
for w in $WORKLOADS; do
  case $w in
    compare|redis)
      if [[ -z $REDIS_PORT ]]; then
        echo "no Redis available: running Myelin publish alone"
        [[ $w == compare ]] && w=publish || continue
      fi
      ;;
  esac
  log "workload: $w"
  case $w in
    publish)  bench publish "${COMMON[@]}" --server-pid "$SERVER_PID" --publishers "$PUBLISHERS" --seconds "$SECS" --warmup-seconds "$WARMUP" --payload-bytes "$PAYLOAD" ;;
    redis)    bench redis --redis-port "$REDIS_PORT" --publishers "$PUBLISHERS" --seconds "$SECS" --warmup-seconds "$WARMUP" --payload-bytes "$PAYLOAD" ;;
    compare)  bench compare "${COMMON[@]}" --server-pid "$SERVER_PID" --redis-port "$REDIS_PORT" --publishers "$PUBLISHERS" --seconds "$SECS" --warmup-seconds "$WARMUP" --payload-bytes "$PAYLOAD" ;;
    batch)    bench batch "${COMMON[@]}" --server-pid "$SERVER_PID" --publishers "$BATCH_PUBLISHERS" --batch-size "$BATCH_SIZE" --seconds "$SECS" --warmup-seconds "$WARMUP" --payload-bytes "$PAYLOAD" ;;
    latency)  bench latency "${COMMON[@]}" --rate "$RATE" --subscribers "$SUBSCRIBERS" --seconds "$SECS" --payload-bytes "$PAYLOAD" ;;
    replay)   bench replay "${COMMON[@]}" --events "$REPLAY_EVENTS" --payload-bytes "$PAYLOAD" ;;
    idle-sse) bench idle-sse "${COMMON[@]}" --subscribers "$IDLE_SUBSCRIBERS" --server-pid "$SERVER_PID" --jcmd "$JAVA_HOME/bin/jcmd" --class-histogram 12 ;;
    sql)      bench sql "${COMMON[@]}" --server-pid "$SERVER_PID" --seconds "$SECS" --warmup-seconds "$WARMUP" --axons "$SQL_AXONS" --open-cap "$SQL_MAX_OPEN" ;;
    list)     bench list "${COMMON[@]}" --axons "$LIST_AXONS" ;;
    intents)  bench intents "${COMMON[@]}" --server-pid "$SERVER_PID" --jcmd "$JAVA_HOME/bin/jcmd" --class-histogram 12 \
                --intents "$INTENTS" --timers "$INTENT_TIMERS" --polls "$INTENT_POLLS" ;;
    webhooks) bench webhooks "${COMMON[@]}" --events "$WEBHOOK_EVENTS" --webhooks "$WEBHOOKS" ;;
    wake)
      # The example agent's turns run ~5 s of timers and end on a permission request: each sample
      # cancels its turn after the first update. It has no loadSession: its shut-down wake opens a
      # new session. acp-agent.mjs restores its session with session/load.
      bench wake "${COMMON[@]}" --server-pid "$SERVER_PID" --agent example --cancel-turns --modes "$WAKE_MODES" \
        --agent-command "$NODE $EXAMPLE_AGENT" --samples "$WAKE_SAMPLES" \
        --shutdown-samples "$WAKE_SHUTDOWN_SAMPLES" --startup-samples "$STARTUP_SAMPLES"
      bench wake "${COMMON[@]}" --server-pid "$SERVER_PID" --agent acp --modes "$WAKE_MODES" \
        --agent-command "$NODE $ACP_AGENT" --samples "$WAKE_SAMPLES" \
        --shutdown-samples "$WAKE_SHUTDOWN_SAMPLES" --startup-samples "$STARTUP_SAMPLES" ;;
    wake-burst) bench wake-burst "${COMMON[@]}" --server-pid "$SERVER_PID" --agent acp --devboxes "$BURST_DEVBOXES" ;;
    relay)    bench relay "${COMMON[@]}" --server-pid "$SERVER_PID" --agent acp --agent-command "$NODE $ACP_AGENT" \
                --chunks "$RELAY_CHUNKS" --rounds "$RELAY_ROUNDS" ;;
    *) echo "unknown workload: $w" >&2; exit 2 ;;
  esac
done

log "server data dir size: $(du -sh "$WORK/data" | cut -f1)"
