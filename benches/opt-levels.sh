#!/usr/bin/env bash
# Builds the `imds` binary at several opt-levels (the rest of [profile.release] unchanged) and
# compares their sizes and speed against one emulator, to choose the release profile's opt-level.
#
# Usage: bash benches/opt-levels.sh [LEVEL…]      (default: 3 s z)
#
# One release build per level, each in its own target dir (target/opt-LEVEL), so this takes a
# while; run it by hand when the dependencies or the profile change. Loopback only.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
api_version=2025-08-26
levels=("$@")
[ ${#levels[@]} -gt 0 ] || levels=(3 s z)

command -v hyperfine > /dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine > /dev/null; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/imds-opt.XXXXXX")
mock_pid=
cleanup() {
    [ -z "$mock_pid" ] || { kill "$mock_pid" 2> /dev/null || true; wait "$mock_pid" 2> /dev/null || true; }
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for level in "${levels[@]}"; do
    printf '\n== building imds with opt-level=%s\n' "$level" >&2
    (cd "$root" && CARGO_PROFILE_RELEASE_OPT_LEVEL=$level cargo build --release --locked \
        --bin imds --target-dir "$target/opt-$level")
    cp "$target/opt-$level/release/imds" "$tmp/imds-$level"
done
(cd "$root" && cargo build --release --locked --bin imds-mock)

"$root/benches/gen-fixture.sh" 1000 > "$tmp/fixture.json"
"$target/release/imds-mock" --bind 127.0.0.1 --port 0 --fixture "$tmp/fixture.json" \
    > "$tmp/mock.out" 2> "$tmp/mock.log" &
mock_pid=$!
url=
for _ in $(seq 100); do
    url=$(head -n 1 "$tmp/mock.out" 2> /dev/null || true)
    [ -n "$url" ] && break
    sleep 0.05
done
case $url in http://127.0.0.1:*) ;; *) echo "opt-levels.sh: imds-mock did not start" >&2 && exit 1 ;; esac

unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export IMDS_ENDPOINT=$url NO_COLOR=1
IMDS_TOKEN=$(curl -s --noproxy '*' -X PUT "$url/identity/v1/token?version=$api_version" \
    -H 'Metadata-Flavor: ibm' -d '{"expires_in": 3600}' | jq -r .access_token)
export IMDS_TOKEN

for task in "instance" "keys --field public_key" "placement-groups"; do
    printf '\nimds %s (IMDS_TOKEN set)\n' "$task"
    cmds=()
    for level in "${levels[@]}"; do cmds+=(-n "opt-level=$level" "$tmp/imds-$level $task"); done
    hyperfine -N --warmup 5 --min-runs 50 --style basic --export-json "$tmp/t.json" "${cmds[@]}" \
        > /dev/null
    jq -r '.results[] | "\(.command)\t\(.median * 1000 | . * 100 | round / 100) ms median"' "$tmp/t.json"
done

printf '\nsize of imds (default features)\n'
for level in "${levels[@]}"; do
    printf 'opt-level=%s\t%s bytes\n' "$level" "$(stat -c %s "$tmp/imds-$level")"
done
