#!/usr/bin/env bash
# The README's promise, end to end: start the server on a fresh database, import fever-clinic visits
# dated today, and see those people turn orange through people/lookup with greenFrom 14 days later.
# Usage: scripts/smoke.sh            (SQLite default, fresh data folder)
#        DATABASE_URL=mysql://… SOURCE_TOKEN=… PII_ENCRYPTION_KEY=… PII_HASH_KEY=… CODE_SIGNING_KEYS_FILE=… scripts/smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
port=${SMOKE_PORT:-39$((RANDOM % 90 + 10))}
export DATA_DIR=${DATA_DIR:-$work/data} PORT=$port SEED_DEMO=${SEED_DEMO:-1} JOBS_ENABLED=0
# its own process group: npm start runs tsx, which runs node; stopping npm alone would leave the server running
setsid npm start >"$work/server.log" 2>&1 &
pid=$!
trap 'kill -- -$pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break
  kill -0 $pid 2>/dev/null || { cat "$work/server.log"; echo "smoke: server exited"; exit 1; }
  sleep 0.5
done
curl -sf "http://127.0.0.1:$port/api/health" >/dev/null || { cat "$work/server.log"; echo "smoke: server did not come up"; exit 1; }
grep -q "八闽健康码 server is running" "$work/server.log"
token=${SOURCE_TOKEN:-$(node -e "console.log(require('$DATA_DIR/dev-secrets.json').SOURCE_TOKEN)")}

today=$(TZ=Asia/Shanghai date +%F)
green=$(TZ=Asia/Shanghai date -d "$today +14 days" +%F)
id=$(node -e "const w=[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2],b='35010219880315'+String(Math.floor(Math.random()*900)+100);console.log(b+'10X98765432'[[...b].reduce((s,c,i)=>s+ +c*w[i],0)%11])")
printf 'id_type,id_number,name,hospital,visited_at\nresident_id,%s,王小明,福建省立医院,%sT08:00:00\n' "$id" "$today" >"$work/visits.csv"
curl -sf -X POST "http://127.0.0.1:$port/api/v1/sources/fever-clinic-visits" -H "Authorization: Bearer $token" \
  -H 'Content-Type: text/csv' --data-binary @"$work/visits.csv" | tee "$work/import.json"; echo
grep -q '"inserted":1' "$work/import.json"
answer=$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/people/lookup" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d "{\"idType\":\"resident_id\",\"idNumber\":\"$id\"}")
echo "$answer"
expected="{\"colour\":\"orange\",\"reasons\":[\"FEVER_CLINIC\"],\"greenFrom\":\"$green\",\"codeNumber\":null,\"nucleicAcidTests\":[]}"
[ "$answer" = "$expected" ] || { echo "smoke: expected $expected"; exit 1; }
# the demo scanning account signs in, reports its scan point and looks up a typed number
staff=$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/staff/sessions" -H 'Content-Type: application/json' \
  -d '{"phone":"13800000001","password":"Bamin2026scan"}' | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).token))")
point=$(curl -sf -X PUT "http://127.0.0.1:$port/api/v1/staff/scan-point" -H "Authorization: Bearer $staff" -H 'Content-Type: application/json' \
  -d '{"communityName":"东街社区","pointName":"东门","areaCode":"350102","location":"东街 1 号"}')
echo "$point" | grep -q '"areaName":"福建省福州市鼓楼区"' || { echo "smoke: scan point: $point"; exit 1; }
missing=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/api/v1/staff/scans" -H "Authorization: Bearer $staff" \
  -H 'Content-Type: application/json' -d '{"codeNumber":"000000000000"}')
[ "$missing" = 404 ] || { echo "smoke: typed look-up of an unknown number answered $missing"; exit 1; }
echo "smoke: ok ($(grep -o '"dialect":"[a-z]*"' <(curl -s "http://127.0.0.1:$port/api/health")))"
