#!/usr/bin/env bash
# A watch of 200 polls at the least interval (1s) against the emulator: the peak resident set
# (VmHWM) of `imds watch` after 20 polls and after 200, and the tokens it minted. The fixture
# changes every 10 polls (POST /_mock/patch), so observations are rendered and printed too.
# Writes benches/WATCH.md.
#
# Usage: bash benches/watch.sh
#
# Linux only (/proc/PID/status). Takes about 3.5 minutes: the polls are a second apart. Run by
# hand, not by the test suite. Nothing leaves the loopback interface.
#
# Environment:
#   IMDS_BENCH_BIN_DIR=DIR   take imds and imds-mock from DIR as they are (default: build
#                            target/release with cargo first)
#   IMDS_BENCH_POLLS=N       polls in all (default 200); the first reading is at N/10
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
results=$root/benches/WATCH.md
polls=${IMDS_BENCH_POLLS:-200}
early=$((polls / 10))
bin=${IMDS_BENCH_BIN_DIR:-}
if [ -z "$bin" ]; then
    (cd "$root" && cargo build --release --locked --bins)
    bin=${CARGO_TARGET_DIR:-$root/target}/release
fi
for b in imds imds-mock; do
    [ -x "$bin/$b" ] || { echo "watch.sh: no $bin/$b" >&2; exit 1; }
done
command -v curl > /dev/null || { echo "watch.sh: needs curl" >&2; exit 1; }

work=$(mktemp -d)
mock_pid=
watch_pid=
cleanup() {
    [ -z "$watch_pid" ] || kill "$watch_pid" 2> /dev/null || true
    [ -z "$mock_pid" ] || kill "$mock_pid" 2> /dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

"$bin/imds-mock" --port 0 --quiet > "$work/url" &
mock_pid=$!
for _ in $(seq 50); do
    [ -s "$work/url" ] && break
    sleep 0.1
done
url=$(head -n 1 "$work/url")
case $url in http://127.0.0.1:*) ;; *) echo "watch.sh: imds-mock printed '$url'" >&2; exit 1 ;; esac

count() { # requests seen for "METHOD /path"
    curl -sf "$url/_mock/counts" | sed -n "s|.*\"$1\":\([0-9]*\).*|\1|p" | grep . || echo 0
}
peak_kib() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$watch_pid/status"; }
current_kib() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$watch_pid/status"; }

IMDS_ENDPOINT=$url "$bin/imds" watch --interval 1s instance --field status --field name \
    > "$work/out" 2> "$work/err" &
watch_pid=$!

polled=0
patched=0
status=running
while [ "$polled" -lt "$polls" ]; do
    sleep 0.2
    polled=$(count 'GET /metadata/v1/instance')
    kill -0 "$watch_pid" 2> /dev/null || { echo "watch.sh: the watch ended early" >&2; cat "$work/err" >&2; exit 1; }
    if [ $((polled / 10)) -gt "$patched" ]; then
        patched=$((polled / 10))
        [ "$status" = running ] && status=stopping || status=running
        curl -sf -X POST -d "{\"instance\": {\"status\": \"$status\"}}" "$url/_mock/patch" > /dev/null
    fi
    if [ $((polled / early)) -gt "${sampled:-0}" ]; then
        sampled=$((polled / early))
        samples="${samples:-}| $polled | $(peak_kib) KiB | $(current_kib) KiB |
"
    fi
    if [ -z "${at_early:-}" ] && [ "$polled" -ge "$early" ]; then
        at_early=$polled
        early_peak=$(peak_kib)
        early_rss=$(current_kib)
    fi
done
late_peak=$(peak_kib)
late_rss=$(current_kib)
kill -TERM "$watch_pid"
code=0
wait "$watch_pid" || code=$?
watch_pid=
minted=$(count 'PUT /identity/v1/token')
printed=$(wc -l < "$work/out")
failed=$(wc -l < "$work/err")
page_kib=$(($(getconf PAGESIZE) / 1024))

verdict=ok
[ "$late_peak" -le $((early_peak + page_kib)) ] || verdict="FAILED: the peak grew"
[ "$minted" -eq 1 ] || verdict="FAILED: $minted tokens minted"
[ "$code" -eq 143 ] || verdict="FAILED: SIGTERM gave exit $code"

cat > "$results" << MD
# imds watch: memory and tokens over $polls polls

Written by \`bash benches/watch.sh\` on $(date -u +%Y-%m-%d) (UTC), $("$bin/imds" --version),
binaries from \`${bin#"$root"/}\`, on $(nproc) cores.

\`imds watch --interval 1s instance --field status --field name\` against \`imds-mock\`, whose
instance status was patched every 10 polls; VmHWM and VmRSS from /proc/PID/status.

| | after $at_early polls | after $polled polls |
|---|---:|---:|
| peak resident set (VmHWM) | $early_peak KiB | $late_peak KiB |
| resident set (VmRSS) | $early_rss KiB | $late_rss KiB |

Every $early polls:

| polls | VmHWM | VmRSS |
|---:|---:|---:|
$samples
- tokens minted: $minted
- observations printed: $printed; failed polls: $failed
- exit status on SIGTERM: $code
- page size: $page_kib KiB; the peak may grow by one page at most: **$verdict**
MD
cat "$results"
[ "$verdict" = ok ]
