#!/usr/bin/env bash
# heartbeat.sh LABEL COMMAND [ARG...]: runs COMMAND and, while it runs,
# prints "LABEL: still running (N min)" to stderr once a minute, so that a
# long quiet step (a cold build, a cold lint cache) never looks stuck.
set -euo pipefail
label="$1"
shift
started=$(date +%s)
# The ticker kills its sleep when stopped, and holds no descriptor but
# stderr, so nothing waits on it after COMMAND ends.
(
	trap 'kill "$nap" 2>/dev/null; exit 0' TERM
	while :; do
		sleep 60 &
		nap=$!
		wait "$nap"
		printf '%s: still running (%d min)\n' "$label" $((($(date +%s) - started) / 60)) >&2
	done
) </dev/null >/dev/null 3>&- &
ticker=$!
trap 'kill "$ticker" 2>/dev/null || true' EXIT
"$@"
