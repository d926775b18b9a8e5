#!/usr/bin/env bash
# Runs `imds token --refresh --expires-in 5 -o FILE` against the emulator for a minute while a
# reader takes FILE every 10 ms, and writes to benches/REFRESH.md: the resident memory of the
# refresher each second (flat, or it leaks per refresh), how many reads found FILE missing or
# empty, and how many found a token already expired (its JWT `exp` at or before the read).
#
# Usage: bash benches/refresh.sh
#
# Run by hand, from a clone: it builds the release binaries itself, starts imds-mock on
# 127.0.0.1 and stops everything on exit. Nothing leaves the loopback interface. Needs python3
# for the reader (a shell loop that forks per read cannot keep a 10 ms pace).
#
# Environment:
#   IMDS_BENCH_NO_BUILD=1      reuse target/release (under CARGO_TARGET_DIR when set) as it is
#   IMDS_BENCH_SECONDS=N       how long the refresher runs (default 60)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
results=$root/benches/REFRESH.md
seconds=${IMDS_BENCH_SECONDS:-60}
lifetime=5

die() {
    printf 'refresh.sh: %s\n' "$*" >&2
    exit 1
}
case $seconds in '' | *[!0-9]* | 0) die "IMDS_BENCH_SECONDS: '$seconds' is not a positive whole number" ;; esac
command -v python3 > /dev/null || die "python3 is needed for the reader"

if [ -z "${IMDS_BENCH_NO_BUILD:-}" ]; then
    (cd "$root" && cargo build --release --locked --bins >&2)
fi
imds=$target/release/imds
mock=$target/release/imds-mock
[ -x "$imds" ] && [ -x "$mock" ] || die "no release binaries in $target/release"

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
    wait 2> /dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

"$mock" --port 0 > "$work/mock.out" 2> /dev/null &
pids+=($!)
for _ in $(seq 100); do
    [ -s "$work/mock.out" ] && break
    sleep 0.05
done
url=$(head -n 1 "$work/mock.out")
case $url in http://127.0.0.1:*) ;; *) die "imds-mock printed '$url'" ;; esac

file=$work/token
IMDS_ENDPOINT=$url "$imds" token --refresh --expires-in "$lifetime" -o "$file" 2> "$work/stderr" &
refresher=$!
pids+=("$refresher")
for _ in $(seq 200); do
    [ -e "$file" ] && break
    sleep 0.01
done
[ -e "$file" ] || die "the token file was not written"

# The reader: every 10 ms, read the file whole and check the token's JWT `exp` against the
# clock; counts of reads, misses (no file, or empty) and expired tokens, and distinct tokens.
python3 - "$file" "$seconds" > "$work/reader" << 'EOF' &
import base64, json, sys, time
path, seconds = sys.argv[1], float(sys.argv[2])
reads = missing = expired = 0
tokens = set()
end = time.monotonic() + seconds
while time.monotonic() < end:
    reads += 1
    try:
        with open(path) as f:
            token = f.read().strip()
    except FileNotFoundError:
        token = ""
    if not token:
        missing += 1
    else:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        if claims["exp"] <= time.time():
            expired += 1
        tokens.add(token)
    time.sleep(0.01)
print(reads, missing, expired, len(tokens))
EOF
reader=$!
pids+=("$reader")

# Resident memory of the refresher, once a second.
rss=()
for _ in $(seq "$seconds"); do
    sleep 1
    rss+=("$(awk '/^VmRSS:/ { print $2 }' "/proc/$refresher/status")")
done
wait "$reader"
read -r reads missing expired distinct < "$work/reader"
kill -TERM "$refresher"
status=0
wait "$refresher" || status=$?
[ -e "$file" ] && left=yes || left=no
mints=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"].get("PUT /identity/v1/token", 0))' \
    < <(curl -s --noproxy '*' "$url/_mock/counts" 2> /dev/null || echo '{"requests":{}}'))

# Flat: over the second half of the run (the allocator's heap settles over the first few
# refreshes), the largest and the smallest sample are within one page.
half=$((seconds / 2))
settled=("${rss[@]:half}")
low=$(printf '%s\n' "${settled[@]}" | sort -n | head -n 1)
high=$(printf '%s\n' "${settled[@]}" | sort -n | tail -n 1)
page_kib=$(($(getconf PAGESIZE) / 1024))
[ $((high - low)) -le "$page_kib" ] && flat=yes || flat=no

{
    printf '# token --refresh: memory and the file a reader sees\n\n'
    printf 'Written by `bash benches/refresh.sh` on %s (UTC): `imds token --refresh --expires-in %s -o FILE`\n' \
        "$(date -u +%Y-%m-%d)" "$lifetime"
    printf 'against imds-mock for %s s, a reader taking FILE every 10 ms (python3).\n\n' "$seconds"
    printf '| | |\n|---|---|\n'
    printf '| imds | %s (release build) |\n' "$("$imds" --version)"
    printf '| CPU | %s, %s cores |\n' "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" "$(nproc)"
    printf '| reads | %s |\n' "$reads"
    printf '| reads that found no file or an empty one | **%s** |\n' "$missing"
    printf '| reads that found an expired token | **%s** |\n' "$expired"
    printf '| distinct tokens read / minted | %s / %s |\n' "$distinct" "$mints"
    printf '| RSS after 1 s, 10 s, at the end (KiB) | %s, %s, %s |\n' "${rss[0]}" "${rss[9]:-?}" "${rss[-1]}"
    printf '| RSS from %s s on: lowest, highest (KiB) | %s, %s (flat within one %s KiB page: %s) |\n' \
        "$half" "$low" "$high" "$page_kib" "$flat"
    printf '| exit status on SIGTERM; file left in place | %s; %s |\n' "$status" "$left"
    printf '| stderr lines | %s |\n' "$(wc -l < "$work/stderr")"
    printf '\nRSS each second (KiB): %s\n' "${rss[*]}"
} > "$results"
cat "$results"
