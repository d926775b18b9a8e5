#!/usr/bin/env bash
# Times `imds` against the curl | jq pipelines it replaces, side by side in one run, and writes
# the medians, ratios, request and connection counts, peak memory and binary sizes to
# benches/RESULTS.md.
#
# Usage: bash benches/compare.sh
#
# Run by hand, from a clone: it builds the release binaries itself (with and without the `tls`
# feature), installs hyperfine, GNU time and strace with apt-get when missing, starts imds-mock on
# 127.0.0.1 and stops it on exit. Nothing leaves the loopback interface. Slow (two LTO builds and
# a few minutes of timing), so it is not part of the test suite or CI.
#
# Environment: IMDS_BENCH_NO_BUILD=1 reuses target/release and target/bench-notls/release (under
# CARGO_TARGET_DIR when set) as they are; IMDS_BENCH_PLACEMENT_GROUPS=N changes the fixture size (default 1000);
# IMDS_BENCH_MIN_RUNS=N changes hyperfine's --min-runs (default 30).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
results=$root/benches/RESULTS.md
api_version=2025-08-26
groups=${IMDS_BENCH_PLACEMENT_GROUPS:-1000}
min_runs=${IMDS_BENCH_MIN_RUNS:-30}

say() { printf '\n== %s\n' "$*" >&2; }
die() {
    printf 'compare.sh: %s\n' "$*" >&2
    exit 1
}

# --- tools -------------------------------------------------------------------------------------
missing=()
command -v hyperfine > /dev/null || missing+=(hyperfine)
command -v curl > /dev/null || missing+=(curl)
command -v jq > /dev/null || missing+=(jq)
command -v strace > /dev/null || missing+=(strace)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    [ "$(id -u)" = 0 ] || die "need ${missing[*]}: install them (apt-get install -y ${missing[*]})"
    apt-get install -y -qq "${missing[@]}" > /dev/null 2>&1 ||
        { apt-get update -qq && apt-get install -y -qq "${missing[@]}" > /dev/null; }
fi
command -v cargo > /dev/null || die "cargo not found"

# --- build -------------------------------------------------------------------------------------
# The binary without TLS goes to its own target dir, so that neither build undoes the other.
if [ "${IMDS_BENCH_NO_BUILD:-}" != 1 ]; then
    say "building release binaries (default features, then without tls)"
    (cd "$root" && cargo build --release --locked --bins)
    (cd "$root" && cargo build --release --locked --bins --no-default-features --features mock \
        --target-dir "$target/bench-notls")
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/imds-bench.XXXXXX")
mock_pids=()
cleanup() {
    for pid in "${mock_pids[@]}"; do kill "$pid" 2> /dev/null || true; done
    for pid in "${mock_pids[@]}"; do wait "$pid" 2> /dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Copies, so that a build during the run cannot change what is timed.
cp "$target/release/imds" "$tmp/imds"
cp "$target/release/imds-mock" "$tmp/imds-mock"
cp "$target/bench-notls/release/imds" "$tmp/imds-notls"
imds=$tmp/imds

# --- emulators ---------------------------------------------------------------------------------
# start_mock NAME ARGS…: starts imds-mock on a free loopback port, its request log in
# $tmp/NAME.log, and sets $url to its base URL.
start_mock() {
    local name=$1
    shift
    "$tmp/imds-mock" --bind 127.0.0.1 --port 0 "$@" > "$tmp/$name.out" 2> "$tmp/$name.log" &
    mock_pids+=($!)
    url=
    for _ in $(seq 100); do
        url=$(head -n 1 "$tmp/$name.out" 2> /dev/null || true)
        [ -n "$url" ] && break
        kill -0 "${mock_pids[-1]}" 2> /dev/null || break
        sleep 0.05
    done
    case $url in
    http://127.0.0.1:*) ;;
    *) die "imds-mock $name did not start (stdout: '$url', log: $(head -c 300 "$tmp/$name.log"))" ;;
    esac
}

say "generating a fixture with $groups placement groups"
"$root/benches/gen-fixture.sh" "$groups" > "$tmp/fixture.json"

start_mock default
base=$url
start_mock groups --fixture "$tmp/fixture.json"
base_pg=$url
say "emulators: $base (default fixture), $base_pg ($groups placement groups)"

# Nothing below may be sent through a proxy.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
export NO_COLOR=1
unset IMDS_TOKEN IMDS_SECURE IMDS_WAIT IMDS_TIMEOUT IMDS_API_VERSION

# --- the commands compared ---------------------------------------------------------------------
# The pipelines are the ones IBM's documentation teaches (DESIGN.md §8): mint a token with curl
# and jq, then GET with curl and pick with jq. `-s` only hides curl's progress meter.
curl_=(curl -s --noproxy "'*'")
token_pipe() { # $1 = base URL
    printf '%s' "TOKEN=\$(${curl_[*]} -X PUT '$1/identity/v1/token?version=$api_version'" \
        " -H 'Metadata-Flavor: ibm' -d '{\"expires_in\": 3600}' | jq -r .access_token)"
}
get_pipe() { # $1 = base URL, $2 = path
    printf '%s' "${curl_[*]} -H \"Authorization: Bearer \$TOKEN\" '$1/metadata/v1/$2?version=$api_version'"
}

keys_pipe="$(token_pipe "$base"); $(get_pipe "$base" keys) | jq -r '.keys[].public_key'"
keys_imds="IMDS_ENDPOINT=$base $imds keys --field public_key"
inst_pipe="$(token_pipe "$base"); $(get_pipe "$base" instance) | jq ."
inst_imds="IMDS_ENDPOINT=$base $imds instance"

# One token for the "token already in hand" comparison.
token=$(curl -s --noproxy '*' -X PUT "$base/identity/v1/token?version=$api_version" \
    -H 'Metadata-Flavor: ibm' -d '{"expires_in": 3600}' | jq -r .access_token)
if [ -z "$token" ] || [ "$token" = null ]; then die "could not mint a token from $base"; fi
bare_curl="curl -s --noproxy '*' -H 'Authorization: Bearer $token' '$base/metadata/v1/instance?version=$api_version'"
bare_imds="$imds --endpoint $base instance"

# The curl loop over placement groups: the service's default page size (50), one curl per page,
# one jq per page for `next` (re-based onto the emulator, `version` kept), one jq at the end to
# join the pages into one array, as `imds placement-groups` prints.
cat > "$tmp/pg-loop.sh" << EOF
#!/usr/bin/env bash
set -eu
base=$base_pg
v=$api_version
pages=$tmp/pg-pages.json
: > "\$pages"
TOKEN=\$(curl -s --noproxy '*' -X PUT "\$base/identity/v1/token?version=\$v" \\
    -H 'Metadata-Flavor: ibm' -d '{"expires_in": 3600}' | jq -r .access_token)
url="\$base/metadata/v1/placement_groups?version=\$v"
while [ -n "\$url" ]; do
    page=\$(curl -s --noproxy '*' -H "Authorization: Bearer \$TOKEN" "\$url")
    printf '%s\n' "\$page" >> "\$pages"
    next=\$(printf '%s' "\$page" | jq -r '.next.href // empty')
    url=
    if [ -n "\$next" ]; then
        url=\$base/\${next#*://*/}
        case \$url in *version=*) ;; *) url="\$url&version=\$v" ;; esac
    fi
done
jq -s '[.[].placement_groups[]]' "\$pages"
EOF
chmod +x "$tmp/pg-loop.sh"
pg_loop="$tmp/pg-loop.sh"
pg_imds="IMDS_ENDPOINT=$base_pg $imds placement-groups"

# --- same answers? -----------------------------------------------------------------------------
say "checking that each pair prints the same data"
same() { # $1 = what, $2 and $3 = shell commands; $4 = "json" to compare as JSON
    local a=$tmp/same.a b=$tmp/same.b
    bash -c "$2" > "$a" || die "$1: failed: $2"
    bash -c "$3" > "$b" || die "$1: failed: $3"
    if [ "${4:-}" = json ]; then
        jq -S . "$a" > "$a.n" && jq -S . "$b" > "$b.n" && mv "$a.n" "$a" && mv "$b.n" "$b"
    fi
    cmp -s "$a" "$b" || die "$1: outputs differ: $(diff "$a" "$b" | head -n 10)"
}
same "keys" "$keys_pipe" "$keys_imds"
same "instance" "$inst_pipe" "$inst_imds" json
same "instance with a token" "$bare_curl" "IMDS_TOKEN=$token $bare_imds" json
same "placement groups" "$pg_loop" "$pg_imds" json
[ "$(jq length <<< "$(bash -c "$pg_imds")")" = "$groups" ] || die "imds placement-groups: not $groups items"

# --- requests and connections ------------------------------------------------------------------
# requests URL CMD: service requests CMD made, from the emulator's counts (control path, not
# counted itself).
requests() {
    curl -s --noproxy '*' -X POST "$1/_mock/reset" > /dev/null
    bash -c "$2" > /dev/null
    curl -s --noproxy '*' "$1/_mock/counts" | jq .total
}
# connections URL CMD: TCP connections CMD opened to the emulator at URL (connect() calls,
# every process of a pipeline).
connections() {
    strace -f -qq -e trace=connect -o "$tmp/strace" bash -c "$2" > /dev/null
    grep -c "connect(.*sin_port=htons(${1##*:})" "$tmp/strace" || true
}
say "counting requests and connections"
declare -A req conn
for k in keys_pipe keys_imds inst_pipe inst_imds pg_loop pg_imds; do
    u=$base
    case $k in pg_*) u=$base_pg ;; esac
    req[$k]=$(requests "$u" "${!k}")
    conn[$k]=$(connections "$u" "${!k}")
done
export IMDS_TOKEN=$token
req[bare_curl]=$(requests "$base" "$bare_curl")
conn[bare_curl]=$(connections "$base" "$bare_curl")
req[bare_imds]=$(requests "$base" "$bare_imds")
conn[bare_imds]=$(connections "$base" "$bare_imds")
unset IMDS_TOKEN

# --- timing ------------------------------------------------------------------------------------
# Pipelines need a shell: those pairs run both sides under bash, and hyperfine subtracts the cost
# of starting it from both (in the pipelines' favour). Single commands run without a shell (-N).
hf=(hyperfine --warmup 3 --min-runs "$min_runs" --style basic)
say "timing: keys"
"${hf[@]}" --shell bash --export-json "$tmp/keys.json" \
    -n "curl + jq (token, keys)" "$keys_pipe" -n "imds keys --field public_key" "$keys_imds"
say "timing: instance"
"${hf[@]}" --shell bash --export-json "$tmp/inst.json" \
    -n "curl + jq . (token, instance)" "$inst_pipe" -n "imds instance" "$inst_imds"
say "timing: one GET with a token in hand"
IMDS_TOKEN=$token "${hf[@]}" -N --export-json "$tmp/bare.json" \
    -n "curl GET instance" "$bare_curl" -n "imds instance (IMDS_TOKEN)" "$bare_imds"
say "timing: $groups placement groups"
"${hf[@]}" --shell bash --export-json "$tmp/pg.json" \
    -n "curl loop, limit 50 (+ jq)" "$pg_loop" -n "imds placement-groups" "$pg_imds"
say "timing: process start, no request"
curl -s --noproxy '*' -H "Authorization: Bearer $token" \
    "$base/metadata/v1/instance?version=$api_version" > "$tmp/instance.json"
"${hf[@]}" -N --export-json "$tmp/start.json" \
    -n "curl --version" "curl --version" -n "jq --version" "jq --version" \
    -n "imds --version" "$imds --version" -n "jq . FILE" "jq . $tmp/instance.json" \
    -n "bash -c true" "bash -c true"

# median FILE I: median of result I in milliseconds.
median() { jq -r ".results[$2].median * 1000" "$1"; }
ms() { awk -v x="$1" 'BEGIN { printf "%.2f", x }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

# --- memory and size ---------------------------------------------------------------------------
# peak_kib CMD…: median of 5 runs of GNU time's maximum resident set size, in KiB.
peak_kib() {
    for _ in 1 2 3 4 5; do
        /usr/bin/time -f %M -o "$tmp/rss" "$@" > /dev/null
        cat "$tmp/rss"
    done | sort -n | sed -n 3p
}
mib() { awk -v k="$1" 'BEGIN { printf "%.2f", k / 1024 }'; }
say "measuring peak memory"
export IMDS_ENDPOINT=$base
rss_inst=$(peak_kib "$imds" instance)
rss_inst_notls=$(peak_kib "$tmp/imds-notls" instance)
rss_keys=$(peak_kib "$imds" keys --field public_key)
rss_pg=$(IMDS_ENDPOINT=$base_pg peak_kib "$imds" placement-groups)
rss_curl=$(peak_kib curl -s --noproxy '*' -H "Authorization: Bearer $token" \
    "$base/metadata/v1/instance?version=$api_version")
rss_jq=$(peak_kib jq . "$tmp/instance.json")
rss_mock=$(ps -o rss= -p "${mock_pids[1]}" | tr -d ' ')
unset IMDS_ENDPOINT
size_tls=$(stat -c %s "$tmp/imds")
size_notls=$(stat -c %s "$tmp/imds-notls")
size_mock=$(stat -c %s "$tmp/imds-mock")

# The emulator plus loopback, per request: 50 GETs from one curl process over one connection,
# time from the request sent to the first byte of the answer (median).
gets=()
for _ in $(seq 50); do gets+=(-o /dev/null "$base/metadata/v1/instance?version=$api_version"); done
curl -s --noproxy '*' -H "Authorization: Bearer $token" \
    -w '%{response_code} %{time_starttransfer} %{time_pretransfer}\n' "${gets[@]}" \
    > "$tmp/mock-times" || true
mock_ms=$(awk '$1 == 200 { print ($2 - $3) * 1000 }' "$tmp/mock-times" | sort -n |
    awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print "nan" }')

# --- report ------------------------------------------------------------------------------------
k_p=$(median "$tmp/keys.json" 0) k_i=$(median "$tmp/keys.json" 1)
i_p=$(median "$tmp/inst.json" 0) i_i=$(median "$tmp/inst.json" 1)
b_c=$(median "$tmp/bare.json" 0) b_i=$(median "$tmp/bare.json" 1)
g_l=$(median "$tmp/pg.json" 0) g_i=$(median "$tmp/pg.json" 1)
s_c=$(median "$tmp/start.json" 0) s_j=$(median "$tmp/start.json" 1) s_i=$(median "$tmp/start.json" 2)
s_f=$(median "$tmp/start.json" 3) s_b=$(median "$tmp/start.json" 4)

verdict() { awk -v ok="$1" 'BEGIN { print (ok ? "met" : "**missed**") }'; }
t_keys=$(verdict "$(awk -v a="$k_p" -v b="$k_i" 'BEGIN { print (a / b >= 8) }')")
t_bare=$(verdict "$(awk -v a="$b_c" -v b="$b_i" 'BEGIN { print (a / b >= 1.5) }')")
t_pg=$(verdict "$(awk -v a="$g_l" -v b="$g_i" -v r="${req[pg_imds]}" -v q="${req[pg_loop]}" \
    'BEGIN { print (a / b >= 5 && r < q) }')")
t_size=$(verdict "$(awk -v s="$size_tls" 'BEGIN { print (s <= 3.5 * 1048576) }')")
t_rss=$(verdict "$(awk -v k="$rss_inst" 'BEGIN { print (k <= 6 * 1024) }')")

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
{
    cat << EOF
# imds vs curl | jq — benchmark results

Written by \`bash benches/compare.sh\` on $(date -u +%Y-%m-%d) (UTC). Ratios are the result:
they come from one run, on one machine, against one emulator. Absolute times are context.

## Machine and tools

| | |
|---|---|
| CPU | $cpu, $(nproc) cores (nproc) |
| kernel | $(uname -sr) |
| imds | $("$imds" --version 2> /dev/null || echo '?') (release build, default features) |
| rustc | $(rustc --version) |
| curl | $(curl --version | head -n 1 | cut -d' ' -f1-2) |
| jq | $(jq --version) |
| hyperfine | $(hyperfine --version) |

## Time (median of ≥ $min_runs runs, hyperfine, warm-up 3)

| task | curl + jq | imds | ratio | target |
|---|---:|---:|---:|---|
| token + SSH keys' public keys (\`jq -r '.keys[].public_key'\` vs \`imds keys --field public_key\`) | $(ms "$k_p") ms | $(ms "$k_i") ms | **$(ratio "$k_p" "$k_i")×** | ≥ 8×: $t_keys |
| token + instance document (\`jq .\` vs \`imds instance\`) | $(ms "$i_p") ms | $(ms "$i_i") ms | **$(ratio "$i_p" "$i_i")×** | |
| one GET with a token in hand (bare \`curl\` vs \`imds instance\` with \`IMDS_TOKEN\`) | $(ms "$b_c") ms | $(ms "$b_i") ms | **$(ratio "$b_c" "$b_i")×** | ≥ 1.5×: $t_bare |
| token + $groups placement groups (curl loop, page size 50, vs \`imds placement-groups\`) | $(ms "$g_l") ms | $(ms "$g_i") ms | **$(ratio "$g_l" "$g_i")×** | ≥ 5× and fewer requests: $t_pg |
| process start, no request (\`curl --version\`, \`jq --version\` vs \`imds --version\`) | $(ms "$s_c") ms, $(ms "$s_j") ms | $(ms "$s_i") ms | | |

The pipelines run under bash; hyperfine subtracts the cost of starting that shell from both
sides of a row. The bare GET and the process-start rows run without a shell. For context, on
this machine \`bash -c true\` takes $(ms "$s_b") ms and \`jq . FILE\` on the instance document
$(ms "$s_f") ms: jq spends most of its time compiling its built-in library before it reads any
input, so each \`jq\` in a pipeline costs about that much whatever it is asked.

## Requests and TCP connections per run

Requests: the emulator's \`/_mock/counts\`. Connections: \`connect()\` calls seen by \`strace -f\`
across every process of the command.

| task | curl + jq: requests | connections | imds: requests | connections |
|---|---:|---:|---:|---:|
| keys | ${req[keys_pipe]} | ${conn[keys_pipe]} | ${req[keys_imds]} | ${conn[keys_imds]} |
| instance | ${req[inst_pipe]} | ${conn[inst_pipe]} | ${req[inst_imds]} | ${conn[inst_imds]} |
| one GET with a token | ${req[bare_curl]} | ${conn[bare_curl]} | ${req[bare_imds]} | ${conn[bare_imds]} |
| $groups placement groups | ${req[pg_loop]} | ${conn[pg_loop]} | ${req[pg_imds]} | ${conn[pg_imds]} |

## Memory and size

Peak resident set size: GNU \`time -f %M\`, median of 5 runs.

| | peak RSS | target |
|---|---:|---|
| \`imds instance\` (default features, with TLS) | $(mib "$rss_inst") MiB | ≤ 6 MiB: $t_rss |
| \`imds instance\` (\`--no-default-features --features mock\`, no TLS) | $(mib "$rss_inst_notls") MiB | |
| \`imds keys --field public_key\` | $(mib "$rss_keys") MiB | |
| \`imds placement-groups\` ($groups items) | $(mib "$rss_pg") MiB | |
| \`curl\` GET instance | $(mib "$rss_curl") MiB | |
| \`jq .\` on the instance document | $(mib "$rss_jq") MiB | |
| \`imds-mock\` serving $groups placement groups (resident at the end) | $(mib "$rss_mock") MiB | |

| binary (\`cargo build --release\`, stripped) | size | target |
|---|---:|---|
| \`imds\`, default features (with TLS) | $(mib "$((size_tls / 1024))") MiB ($size_tls bytes) | ≤ 3.5 MiB: $t_size |
| \`imds\`, \`--no-default-features --features mock\` (no TLS) | $(mib "$((size_notls / 1024))") MiB ($size_notls bytes) | |
| \`imds-mock\`, default features | $(mib "$((size_mock / 1024))") MiB ($size_mock bytes) | |

The emulator plus loopback per request (curl's time from request sent to first byte, median of
50 GETs of the instance over one connection): $(ms "$mock_ms") ms.
EOF
    if [ -f "$root/benches/NOTES.md" ]; then
        printf '\n'
        cat "$root/benches/NOTES.md"
    fi
} > "$results"

say "results"
sed -n '/^## Time/,$p' "$results" >&2
printf '\nwrote %s\n' "${results#"$root"/}" >&2
