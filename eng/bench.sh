#!/usr/bin/env bash
# Benchmarks: scripts that print figures, not timed tests. Each area builds bench/Codex.Benchmarks in
# Release and runs it; the program starts the servers itself (the AppHost's process-mode infrastructure,
# as the tests use it, on a data folder and random ports of its own, so a dev stack or a test run is left
# alone) and stops them at the end. Loopback only; a run takes about two minutes. The figures go to
# stdout, progress to stderr.
#
#   eng/bench.sh <area>
#
# Areas:
#   events   outbox relay throughput (outbox row to confirmed publish, events/s) beside a raw
#            RabbitMQ.Client confirmed-publish loop of the same message size, then the end-to-end lag
#            (p50/p99/max) at a steady 1 000 events/s. The last line is
#            `events relay/raw throughput ratio: <number>`.
#   auth     sign-in requests/s over HTTP (one user per connection) beside the raw PasswordHasher
#            verify rate on every core in the same run, then access-token validation on one thread
#            through JwtBearer as services run it (cached JWKS), with and without the validated-token
#            cache. The last line is `login/raw-hash ratio: <number>`.
#   gateway  wrk at 64 connections: a cheap authenticated GET (API key + JWT) through the gateway,
#            the same GET straight to the service (JWT), and through a bare YARP proxy (the floor:
#            the hop alone), in interleaved rounds; medians of throughputs, p50s and p99s. wrk
#            comes from Debian's packages (installed when missing). The last line is
#            `gateway/bare YARP throughput ratio: <number>` (the median of the rounds' ratios).
#   crm      wrk at 64 connections with 100 000 customers and 20 000 leads in one tenant: customer
#            search and the lead list through the gateway (API key + JWT), beside raw Npgsql endpoints
#            on the same data (a single row, and the search's own SQL); throughputs, p50s and p99s;
#            then the search again at 8 connections. The last line is
#            `crm search/raw throughput ratio: <number>`.
#   cms      wrk at 64 connections, through the gateway: the public page route (anonymous, served from
#            Redis) and the delivery list (a cms.read key, uncached), beside a raw Npgsql read of one
#            published item's row in the same run. The last line is
#            `cms delivery/raw throughput ratio: <number>`.
#   billing  usage ingest: clients POST batches of 100 new events through the gateway (a billing.usage.write
#            key) back to back, beside a raw Npgsql insert of the same rows (Billing's own unnest statement)
#            on as many connections, in interleaved rounds; medians of events/s, batch p50/p99. The last line is
#            `billing ingest/raw throughput ratio: <number>`.
#
# Settings: events: CODEX_BENCH_EVENTS (messages per throughput run, 50000), CODEX_BENCH_LAG_RATE
# (events/s, 1000), CODEX_BENCH_LAG_SECONDS (measured seconds, 15).
# gateway: CODEX_BENCH_GATEWAY_SECONDS (per wrk run, 5), CODEX_BENCH_GATEWAY_ROUNDS (5), CODEX_BENCH_GATEWAY_CONNECTIONS (64).
# crm: CODEX_BENCH_CRM_SECONDS (15), CODEX_BENCH_CRM_CONNECTIONS (64), CODEX_BENCH_CRM_CUSTOMERS (100000),
# CODEX_BENCH_CRM_LEADS (20000), CODEX_BENCH_CRM_POOL (CRM's Npgsql Maximum Pool Size, 100).
# cms: CODEX_BENCH_CMS_SECONDS (15), CODEX_BENCH_CMS_CONNECTIONS (64), CODEX_BENCH_CMS_ITEMS (published articles, 200).
# billing: CODEX_BENCH_BILLING_SECONDS (per side and round, 10), CODEX_BENCH_BILLING_ROUNDS (3), CODEX_BENCH_BILLING_CLIENTS (16).
# auth: CODEX_BENCH_AUTH_SECONDS (per phase, 20; hashing and login alternate in 5 s windows), CODEX_BENCH_AUTH_CONNECTIONS (2 per core).
set -euo pipefail
# shellcheck disable=SC2034 # read by lib.sh
CODEX_LOG_TAG=bench
# shellcheck source-path=SCRIPTDIR
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

usage() {   # usage <exit code>: the comment at the top of this file
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
  exit "$1"
}

area=${1:-}
case $area in
  events | auth | gateway | crm | cms | billing) ;;
  -h | --help | help) usage 0 ;;
  '') say "error: no area given"; usage 2 ;;
  *) say "error: unknown area '$area'"; usage 2 ;;
esac
(($# == 1)) || { say "error: unexpected arguments after '$area': ${*:2}"; usage 2; }

project=$CODEX_ROOT/bench/Codex.Benchmarks/Codex.Benchmarks.csproj
program=$CODEX_ROOT/bench/Codex.Benchmarks/bin/Release/net10.0/Codex.Benchmarks.dll

forward_signals_to_run
ensure_packages "${CODEX_SERVER_PACKAGES[@]}"
[[ $area != gateway && $area != crm && $area != cms ]] || ensure_packages wrk

# Built before the servers start: they would only compete with the compiler for the two cores.
say "building $project (Release)"
run dotnet build "$project" -c Release -v quiet --nologo -clp:NoSummary >&2

cd "$CODEX_ROOT"
status=0
run dotnet "$program" "$area" || status=$?
exit "$status"
