#!/bin/sh
# CLI tests of `slant serve` (the API itself is tested through sockets by
# tests/test_http_server.c): option errors, start on a free port, access
# log, a busy port, clean exit on SIGTERM and SIGINT; then the browser test
# (tests/browser/serve.test.js) when playwright-core and chromium are there.
# Run from tests/cli.sh; prints "serve: N passed, N failed, N skipped".
set -u
B=${BUILD:-build}/slant
T=$(mktemp -d)
pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$T"; }
trap cleanup EXIT
passed=0; failed=0; skipped=0
ok() { passed=$((passed + 1)); }
ko() { failed=$((failed + 1)); echo "FAIL serve: $1" >&2; }
skip() { skipped=$((skipped + 1)); echo "SKIP serve: $1" >&2; }

# refused NAME STDERR_SUBSTRING -- args: exit 1 with that message
refused() {
    name=$1; msg=$2; shift 3
    "$B" serve "$@" >"$T/out" 2>"$T/err"; rc=$?
    if [ "$rc" -eq 1 ] && grep -qF -- "$msg" "$T/err"; then ok; else ko "$name: exit $rc: $(head -c 200 "$T/err")"; fi
}
refused port_out_of_range "--port" -- --port 70000
refused zero_threads "--threads" -- --threads 0
refused zero_timeout "--timeout" -- --timeout 0
refused zero_max_body "--max-body" -- --max-body 0
refused stray_argument "usage" -- extra
refused missing_model "/nonexistent.slant" -- --model /nonexistent.slant

if [ ! -f models/default.slant ]; then
    skip "models/default.slant is missing: server tests"
else
    refused bad_host "not an IPv4 or IPv6 address" -- --host nowhere.invalid --port 0

    # start NAME: runs slant serve --port 0 in the background, sets pid and port
    start() {
        : > "$T/log"
        "$B" serve --port 0 --threads 2 "$@" 2>"$T/log" & pid=$!
        pids="$pids $pid"
        port=""
        for _ in $(seq 1 200); do
            port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$T/log")
            [ -n "$port" ] && return 0
            kill -0 "$pid" 2>/dev/null || return 1
            sleep 0.05
        done
        return 1
    }
    # stop SIGNAL: sends it, expects exit 0 and "stopped" in the log
    stop() {
        kill -"$1" "$pid"; wait "$pid"; rc=$?
        if [ "$rc" -eq 0 ] && grep -q "stopped" "$T/log"; then ok; else ko "sig$1_stops_cleanly: exit $rc: $(tail -c 300 "$T/log")"; fi
    }

    if start; then
        ok
        refused busy_port_is_refused "cannot listen" -- --port "$port"
        if command -v curl >/dev/null 2>&1; then
            body=$(curl -s "http://127.0.0.1:$port/healthz")
            [ "$body" = '{"status":"ok"}' ] && ok || ko "healthz_answers: $body"
            curl -s -o /dev/null "http://127.0.0.1:$port/nope"
            sleep 0.1
            grep -q "GET /healthz 200 15 B" "$T/log" && ok || ko "access_log_has_method_path_status_bytes: $(cat "$T/log")"
            grep -q "GET /nope 404" "$T/log" && ok || ko "access_log_has_the_404"
        else
            skip "curl is missing: access log test"
        fi
        stop TERM
    else
        ko "starts_on_a_free_port: $(cat "$T/log")"
    fi
    if start; then stop INT; else ko "starts_again: $(cat "$T/log")"; fi

    if command -v node >/dev/null 2>&1 && [ -d tests/browser/node_modules/playwright-core ] && [ -x /usr/bin/chromium ]; then
        out=$(cd tests/browser && node serve.test.js 2>"$T/browser.err")
        line=$(printf '%s\n' "$out" | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -n 1)
        if [ -n "$line" ]; then
            passed=$((passed + $(echo "$line" | sed -E 's/.* ([0-9]+) passed.*/\1/')))
            f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
            failed=$((failed + f))
            [ "$f" -eq 0 ] || cat "$T/browser.err" >&2
        else ko "browser_test_ran: $(cat "$T/browser.err")"; fi
    else
        skip "browser test: needs node, chromium and (cd tests/browser && npm install)"
    fi
fi
echo "serve: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
