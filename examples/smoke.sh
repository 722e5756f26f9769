#!/usr/bin/env bash
# Runs every example against a running gateway: examples/smoke.sh BASE_URL API_KEY
# (the CI runs it against `make run`). Fails on the first example that does not do
# what its docstring says.
set -euo pipefail
base=$1 key=$2
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-$here/../.venv/bin/python}
export GATEWAY_URL=$base GATEWAY_API_KEY=$key
work=$(mktemp -d)
receiver_pid=""
trap '[ -n "$receiver_pid" ] && kill "$receiver_pid" 2>/dev/null; rm -rf "$work"' EXIT
api() { curl -fsS -H "Authorization: Bearer $key" -H "Content-Type: application/json" "$@"; }
field() { "$python" -c "import json, sys; print(json.load(sys.stdin)$1)"; }

echo "== sandbox_quickstart.py"
(cd "$work" && "$python" "$here/sandbox_quickstart.py" "$base" "$key") | tee "$work/quickstart.log"
grep -q "message.received" "$work/quickstart.log"

echo "== sandbox_groups.py"
"$python" "$here/sandbox_groups.py" "$base" "$key" | tee "$work/groups.log"
grep -q "group.participants" "$work/groups.log"

echo "== webhook_receiver.py"
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
endpoint=$(api -X POST "$base/v1/webhooks" -d "{\"url\": \"http://127.0.0.1:$port/hooks\", \"event_types\": [\"message.status\"]}")
GATEWAY_WEBHOOK_SECRET=$(field '["secret"]' <<<"$endpoint") \
  "$python" "$here/webhook_receiver.py" --port "$port" --exit-after 2 >"$work/receiver.log" &
receiver_pid=$!
session=$(api -X POST "$base/v1/sessions" -d '{"name": "smoke-bulk", "config": {"sandbox": {"auto_link": true}}}' | field '["id"]')
for _ in $(seq 100); do
  [ "$(api "$base/v1/sessions/$session" | field '["status"]')" = WORKING ] && break; sleep 0.2
done
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1
done
# A forged delivery is refused and printed nothing.
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/hooks" \
  -H 'webhook-id: evt_x' -H "webhook-timestamp: $(date +%s)" -H 'webhook-signature: v1,Zm9yZ2Vk' -d '{}')
[ "$code" = 401 ]

echo "== bulk_send.py (twice: the second run sends nobody anything)"
"$python" "$here/bulk_send.py" "$session" "$here/recipients.csv" --campaign smoke | tee "$work/bulk1.log"
grep -q "summary:" "$work/bulk1.log"
grep -q "+12025550101: failed" "$work/bulk1.log"
"$python" "$here/bulk_send.py" "$session" "$here/recipients.csv" --campaign smoke | tee "$work/bulk2.log"
[ "$(grep -c '(sent before)' "$work/bulk2.log")" = 4 ]

wait "$receiver_pid"; receiver_pid=""
cat "$work/receiver.log"
[ "$(grep -c "\"type\": \"message.status\"" "$work/receiver.log")" -ge 2 ]
api -X DELETE "$base/v1/webhooks/$(field '["id"]' <<<"$endpoint")" >/dev/null
echo "== examples passed"
