#!/usr/bin/env bash
# The whole stack on this machine without Docker or Aspire: eng/infra.sh's PostgreSQL, Redis and
# RabbitMQ (dev ports), then every service of eng/services.tsv whose project exists, and the web
# console, each with the environment contract of ARCHITECTURE.md. Ctrl+C stops all it started.
#
#   eng/dev.sh
#
# Per service: build, `migrate` when its eng/services.tsv row names a database (every service that
# owns one has that command: ARCHITECTURE.md, "Running it"), then `dotnet run --no-build --no-launch-profile` in its own process group, logging to
# .codex/logs/<name>.log. Settings: CODEX_ADMIN_EMAIL (admin@codex.local) and CODEX_ADMIN_PASSWORD
# (Codex-Dev-Admin-2026!) for the first superadmin, plus eng/infra.sh's CODEX_* settings.
set -euo pipefail
# shellcheck disable=SC2034 # read by lib.sh
CODEX_LOG_TAG=dev
# shellcheck source-path=SCRIPTDIR
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

infra=$CODEX_ROOT/eng/infra.sh
logs=$CODEX_ROOT/.codex/logs
export CODEX_ADMIN_EMAIL=${CODEX_ADMIN_EMAIL:-admin@codex.local}
export CODEX_ADMIN_PASSWORD=${CODEX_ADMIN_PASSWORD:-Codex-Dev-Admin-2026!}
export CODEX_REPO_ROOT=$CODEX_ROOT
export ASPNETCORE_ENVIRONMENT=Development DOTNET_ENVIRONMENT=Development
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
cd "$CODEX_ROOT"

# --- what there is to run: eng/services.tsv, plus the web console ---------------------------------
names=() projects=() ports=() databases=()
while IFS=$'\t' read -r name project port database || [[ -n $name ]]; do
  [[ -z $name || $name == \#* ]] && continue
  names+=("$name") projects+=("$project") ports+=("$port") databases+=("${database:--}")
done < eng/services.tsv
web_project=$(compgen -G 'web/Codex.Web/*.csproj' | head -n 1 || true)
if [[ -n $web_project ]]; then
  names+=(web) projects+=("$web_project") ports+=(5200) databases+=(-)
elif [[ -f web/package.json ]]; then
  names+=(web) projects+=(web/package.json) ports+=(5200) databases+=(-)
else
  names+=(web) projects+=(web/Codex.Web/Codex.Web.csproj) ports+=(5200) databases+=(-)   # not there yet
fi
for i in "${!names[@]}"; do
  export "services__${names[i]}__http__0=http://127.0.0.1:${ports[i]}"
done

present=()   # indexes of the rows whose project exists
for i in "${!names[@]}"; do
  [[ -f ${projects[i]} ]] && present+=("$i")
done
for i in "${present[@]}"; do
  ! port_open "${ports[i]}" || fail "${names[i]}: 127.0.0.1:${ports[i]} is already taken (another eng/dev.sh?)"
done

# --- stopping: process groups first, then the infrastructure this script started -------------------
groups=()          # one process group per started service (setsid: the pid is the group id)
infra_started=()   # components that were not running before
stopping=
stop_all() {
  [[ -z $stopping ]] || return 0
  stopping=1
  trap '' INT TERM
  local pgid deadline=$((SECONDS + 20)) left
  if ((${#groups[@]})); then
    say "stopping the services"
    for pgid in "${groups[@]}"; do kill -TERM -- "-$pgid" 2>/dev/null || true; done
    while ((SECONDS < deadline)); do
      left=0
      for pgid in "${groups[@]}"; do kill -0 -- "-$pgid" 2>/dev/null && left=1; done
      ((left)) || break
      sleep 0.2
    done
    for pgid in "${groups[@]}"; do kill -KILL -- "-$pgid" 2>/dev/null || true; done
  fi
  if ((${#infra_started[@]})); then
    "$infra" down "${infra_started[@]}" || warn "eng/infra.sh down ${infra_started[*]} failed"
  else
    say "the infrastructure was running before eng/dev.sh; it stays up (eng/infra.sh down stops it)"
  fi
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- infrastructure --------------------------------------------------------------------------------
for c in postgres redis rabbitmq; do
  "$infra" status "$c" > /dev/null || infra_started+=("$c")
done
"$infra" up
eval "$("$infra" env)"

# --- services --------------------------------------------------------------------------------------
mkdir -p "$logs"
for i in "${present[@]}"; do : > "$logs/${names[i]}.log"; done

for i in "${present[@]}"; do
  [[ ${projects[i]} == *.csproj ]] || continue
  say "${names[i]}: building ${projects[i]}"
  dotnet build "${projects[i]}" -nologo -v quiet >> "$logs/${names[i]}.log" 2>&1 \
    || { tail -n 30 "$logs/${names[i]}.log" >&2; fail "${names[i]}: build failed (log: $logs/${names[i]}.log)"; }
  if [[ ${databases[i]} != - ]]; then
    say "${names[i]}: migrate"
    OTEL_SERVICE_NAME=${names[i]} timeout 600 dotnet run --project "${projects[i]}" --no-build --no-launch-profile -- migrate \
      >> "$logs/${names[i]}.log" 2>&1 < /dev/null \
      || { tail -n 30 "$logs/${names[i]}.log" >&2; fail "${names[i]}: migrate failed (log: $logs/${names[i]}.log)"; }
  fi
done

start() {   # start <index>: the service in a session of its own, so its children stop with it
  local name=${names[$1]} project=${projects[$1]} port=${ports[$1]}
  local log=$logs/$name.log
  say "$name: starting on http://127.0.0.1:$port"
  if [[ $project == *.csproj ]]; then
    ASPNETCORE_URLS=http://127.0.0.1:$port OTEL_SERVICE_NAME=$name \
      setsid dotnet run --project "$project" --no-build --no-launch-profile >> "$log" 2>&1 < /dev/null &
  else
    if [[ ! -d web/node_modules ]]; then
      say "web: npm install"
      (cd web && npm install --no-audit --no-fund) >> "$log" 2>&1 || fail "web: npm install failed (log: $log)"
    fi
    (cd web && OTEL_SERVICE_NAME=$name exec setsid npm run dev -- --port "$port") >> "$log" 2>&1 < /dev/null &
  fi
  groups+=("$!")
}

ready() {   # ready <row index> <started index>: /alive answers (dotnet), or the port is open (npm)
  local name=${names[$1]} port=${ports[$1]} pgid=${groups[$2]}
  local deadline=$((SECONDS + 180))
  until if [[ ${projects[$1]} == *.csproj ]]; then http_ok /alive "$port"; else port_open "$port"; fi; do
    if ! kill -0 -- "-$pgid" 2>/dev/null; then
      tail -n 30 "$logs/$name.log" >&2
      warn "$name: exited during start-up (log: $logs/$name.log)"
      return 1
    fi
    if ((SECONDS > deadline)); then
      warn "$name: no answer on 127.0.0.1:$port after 180s (log: $logs/$name.log)"
      return 1
    fi
    sleep 0.5
  done
}

health=()   # per started service: running / failed
for i in "${present[@]}"; do start "$i"; done
for n in "${!present[@]}"; do
  if ready "${present[n]}" "$n"; then health+=(running); else health+=(failed); fi
done

# --- what runs where --------------------------------------------------------------------------------
{
  echo
  ((${#present[@]} == 0)) || printf '  %-14s %-24s %-8s %s\n' service url state log
  for n in "${!present[@]}"; do
    i=${present[n]}
    printf '  %-14s %-24s %-8s %s\n' "${names[i]}" "http://127.0.0.1:${ports[i]}" "${health[n]}" ".codex/logs/${names[i]}.log"
  done
  ((${#present[@]})) || echo "  (no service project exists yet: eng/services.tsv lists them; the infrastructure runs alone)"
  echo
  "$infra" status | sed 's/^/  /'
  echo "  connection strings: eval \"\$(eng/infra.sh env)\""
  echo
  echo "  superadmin: $CODEX_ADMIN_EMAIL / $CODEX_ADMIN_PASSWORD"
  echo
  echo "  Ctrl+C stops everything eng/dev.sh started."
} >&2

# --- until Ctrl+C: report services that stop on their own ----------------------------------------------
reported=()
for n in "${!health[@]}"; do [[ ${health[n]} == running ]] || reported[n]=1; done
while true; do
  sleep 2 &
  wait $! || true
  for n in "${!groups[@]}"; do
    if [[ -z ${reported[n]:-} ]] && ! kill -0 -- "-${groups[n]}" 2>/dev/null; then
      warn "${names[${present[n]}]} has stopped (log: $logs/${names[${present[n]}]}.log)"
      reported[n]=1
    fi
  done
done
