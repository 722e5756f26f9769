#!/usr/bin/env bash
# Runs every example against a running gateway: examples/smoke.sh BASE_URL API_KEY
# (the CI runs it against `make run`). Fails on the first example that does not do
# what its docstring says. The Node examples need node and npm: the TypeScript SDK is
# built and examples/node's packages installed on the way.
set -euo pipefail
base=$1 key=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
python=${PYTHON:-$root/.venv/bin/python}
export GATEWAY_URL=$base GATEWAY_API_KEY=$key
work=$(mktemp -d)
# Session names and idempotency keys are the account's: a run of its own keeps a second
# run against the same gateway from meeting the first one's.
run=$(date +%s)-$$
receiver_pid=""
trap '[ -n "$receiver_pid" ] && kill "$receiver_pid" 2>/dev/null; rm -rf "$work"' EXIT
api() { curl -fsS -H "Authorization: Bearer $key" -H "Content-Type: application/json" "$@"; }
field() { "$python" -c "import json, sys; print(json.load(sys.stdin)$1)"; }
free_port() { "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# How many lines of a receiver's log are events of type $2 (each line must be JSON).
count_events() {
  "$python" -c 'import json, sys; print(sum(json.loads(line)["type"] == sys.argv[1] for line in sys.stdin))' "$2" <"$1"
}
wait_listening() {
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$1/" && return; sleep 0.1
  done
  echo "nothing listens on port $1" >&2; return 1
}
# A forged delivery is refused and printed nothing.
expect_forged_refused() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$1/hooks" \
    -H 'webhook-id: evt_x' -H "webhook-timestamp: $(date +%s)" -H 'webhook-signature: v1,Zm9yZ2Vk' -d '{}')
  [ "$code" = 401 ] || { echo "a forged delivery was answered $code, not 401" >&2; return 1; }
}
# The receiver stops by itself after --exit-after events; a bound keeps a lost delivery
# from hanging the run.
wait_receiver() {
  for _ in $(seq 600); do
    kill -0 "$receiver_pid" 2>/dev/null || break; sleep 0.1
  done
  if kill -0 "$receiver_pid" 2>/dev/null; then
    echo "the receiver did not get its events within 60 s:" >&2; cat "$1" >&2; return 1
  fi
  wait "$receiver_pid"; receiver_pid=""
  cat "$1"
}
# Until delivery $2 of endpoint $1 has succeeded on at least $3 attempts.
wait_delivered() {
  for _ in $(seq 100); do
    api "$base/v1/webhooks/$1/deliveries/$2" | "$python" -c 'import json, sys
d = json.load(sys.stdin); sys.exit(not (d["status"] == "succeeded" and d["attempts"] >= int(sys.argv[1])))' "$3" \
      && return
    sleep 0.1
  done
  echo "delivery $2 did not succeed $3 times" >&2; return 1
}

echo "== sandbox_quickstart.py"
(cd "$work" && "$python" "$here/sandbox_quickstart.py" "$base" "$key") | tee "$work/quickstart.log"
grep -q "message.received" "$work/quickstart.log"

echo "== sandbox_groups.py"
"$python" "$here/sandbox_groups.py" "$base" "$key" | tee "$work/groups.log"
grep -q "group.participants" "$work/groups.log"

echo "== webhook_receiver.py"
port=$(free_port)
endpoint=$(api -X POST "$base/v1/webhooks" -d "{\"url\": \"http://127.0.0.1:$port/hooks\", \"event_types\": [\"message.status\"]}")
GATEWAY_WEBHOOK_SECRET=$(field '["secret"]' <<<"$endpoint") \
  "$python" "$here/webhook_receiver.py" --port "$port" --exit-after 2 >"$work/receiver.log" &
receiver_pid=$!
session=$(api -X POST "$base/v1/sessions" -d "{\"name\": \"smoke-bulk-$run\", \"config\": {\"sandbox\": {\"auto_link\": true}}}" | field '["id"]')
for _ in $(seq 100); do
  [ "$(api "$base/v1/sessions/$session" | field '["status"]')" = WORKING ] && break; sleep 0.2
done
wait_listening "$port"
expect_forged_refused "$port"

echo "== bulk_send.py (twice: the second run sends nobody anything)"
"$python" "$here/bulk_send.py" "$session" "$here/recipients.csv" --campaign "smoke-$run" | tee "$work/bulk1.log"
grep -q "summary:" "$work/bulk1.log"
grep -q "+12025550101: failed" "$work/bulk1.log"
"$python" "$here/bulk_send.py" "$session" "$here/recipients.csv" --campaign "smoke-$run" | tee "$work/bulk2.log"
[ "$(grep -c '(sent before)' "$work/bulk2.log")" = 4 ]

wait_receiver "$work/receiver.log"
[ "$(count_events "$work/receiver.log" message.status)" -ge 2 ]
api -X DELETE "$base/v1/webhooks/$(field '["id"]' <<<"$endpoint")" >/dev/null

echo "== echo_bot.py"
# Bounded: it exits after two replies; `timeout` keeps a lost message from hanging the run.
timeout 60 "$python" "$here/echo_bot.py" "$base" "$key" --session "$session" --exit-after 2 >"$work/echo.log" &
bot_pid=$!
for _ in $(seq 100); do grep -q "^echoing" "$work/echo.log" && break; sleep 0.1; done
for text in "Where is my order?" "Thanks!"; do
  api -X POST "$base/v1/sandbox/sessions/$session/inbound" -d "{\"from\": \"+12025550177\", \"text\": \"$text\"}" >/dev/null
done
wait "$bot_pid"
cat "$work/echo.log"
[ "$(grep -c -- "-> msg_" "$work/echo.log")" = 2 ]

echo "== node: the TypeScript SDK built, examples/node's packages installed"
make -s -C "$root" sdk-typescript-deps
npm --prefix "$root/sdk/typescript" run --silent build
# Installed again only when the lock file changes, as the Makefile does for the SDK.
if [ ! "$here/node/node_modules/.installed" -nt "$here/node/package-lock.json" ]; then
  (cd "$here/node" && npm ci --no-audit --no-fund)
  touch "$here/node/node_modules/.installed"
fi

echo "== node/webhook_receiver.mjs"
port=$(free_port)
# Only webhook.test at first: the deduplication check below must not race the status
# events earlier steps' messages may still be producing.
endpoint=$(api -X POST "$base/v1/webhooks" -d "{\"url\": \"http://127.0.0.1:$port/hooks\", \"event_types\": [\"webhook.test\"]}")
endpoint_id=$(field '["id"]' <<<"$endpoint")
GATEWAY_WEBHOOK_SECRET=$(field '["secret"]' <<<"$endpoint") \
  node "$here/node/webhook_receiver.mjs" --port "$port" --exit-after 4 >"$work/node-receiver.log" &
receiver_pid=$!
wait_listening "$port"
expect_forged_refused "$port"
# A delivery sent again carries the same webhook-id: answered 204 twice, printed once.
delivery=$(api -X POST "$base/v1/webhooks/$endpoint_id/test" | field '["id"]')
wait_delivered "$endpoint_id" "$delivery" 1
api -X POST "$base/v1/webhooks/$endpoint_id/deliveries/$delivery/retry" >/dev/null
wait_delivered "$endpoint_id" "$delivery" 2
[ "$(count_events "$work/node-receiver.log" webhook.test)" = 1 ]
api -X PATCH "$base/v1/webhooks/$endpoint_id" -d '{"event_types": ["message.status"]}' >/dev/null

echo "== node/send_message.mjs"
node "$here/node/send_message.mjs" "$base" "$key" | tee "$work/send.log"
grep -q "^message.status events of msg_.*read$" "$work/send.log"

wait_receiver "$work/node-receiver.log"
[ "$(count_events "$work/node-receiver.log" message.status)" -ge 3 ]
api -X DELETE "$base/v1/webhooks/$endpoint_id" >/dev/null
echo "== examples passed"
