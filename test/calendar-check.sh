#!/usr/bin/env bash
# The calendar check: the suites that compute dates, run again with the clock of every node process
# (tests and the services they spawn) moved to other days by libfaketime, so a test that only passes
# on the day it was written fails here. Each day is paired with a time zone whose local date differs
# from the UTC one, so local time read where UTC is meant shows too.
#
# The offset is relative, so every process shares one shifted clock that still runs. nats-server
# is a Go program, which reads the clock without libc: the broker keeps the real time, and a test
# that needs the broker's day reads it from the stored message.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v faketime >/dev/null 2>&1; then
  echo "calendar check: faketime is missing (apt-get install -y faketime)" >&2
  exit 1
fi

suites=(apps/aggregator apps/scheduler libs/reports apps/gateway/test/reports-api.test.ts apps/cli)
days=(
  "2027-01-01T00:00:30Z America/New_York" # a year boundary just after midnight UTC, still 2026 in New York
  "2028-02-29T00:00:30Z America/Los_Angeles" # a leap day, still the 28th in Los Angeles
)

for day in "${days[@]}"; do
  read -r at zone <<<"$day"
  offset=$(($(date -ud "$at" +%s) - $(date +%s)))
  # Timers run on the monotonic clock, which stays real so that no sleep is stretched or cut.
  shifted=(env TZ="$zone" FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "$(printf '%+d' "$offset")")
  # A check that ran on today's date would prove nothing: node must see the day asked for.
  seen=$("${shifted[@]}" node -e 'process.stdout.write(new Date().toISOString().slice(0, 10))')
  if [ "$seen" != "${at:0:10}" ]; then
    echo "calendar check: node sees $seen under faketime, not ${at:0:10}" >&2
    exit 1
  fi
  echo "calendar check: clock at $at ($zone), suites: ${suites[*]}"
  "${shifted[@]}" npx vitest run "${suites[@]}"
done
