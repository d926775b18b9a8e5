#!/usr/bin/env bash
# Times `imds` against the curl | jq pipelines it replaces, against a raw-socket floor client
# and against `jq .` on long lists, side by side in one run, and writes the medians, ratios,
# request and connection counts, peak memory and binary sizes to benches/RESULTS.md and a chart
# of time and peak memory against the number of items to benches/scaling.svg.
#
# Usage: bash benches/compare.sh
#
# Run by hand, from a clone: it builds the release binaries itself (with and without default
# features) and the floor client (benches/floor.rs, with rustc -O), installs hyperfine, GNU time,
# strace and gnuplot with apt-get when missing, starts imds-mock on 127.0.0.1 and stops it on
# exit. Nothing leaves the loopback interface. Slow (two LTO builds and several minutes of
# timing: the curl loop over 10,000 placement groups alone takes over 10 s a run), so it is not
# part of the test suite or CI.
#
# Environment:
#   IMDS_BENCH_NO_BUILD=1        reuse target/release and target/bench-nodefault/release (under
#                                CARGO_TARGET_DIR when set) as they are
#   IMDS_BENCH_SIZES="1 100 …"   placement-group counts of the long-list series (default
#                                "1 100 1000 10000"); the rows of the time table use the last
#                                two
#   IMDS_BENCH_MIN_RUNS=N        hyperfine's --min-runs (default 30); the curl loop over N items
#                                runs max(3, min(MIN_RUNS, 30000 / N)) times
#   IMDS_BENCH_BASELINE=PATH     another imds binary (say, a build of the previous release):
#                                every imds command timed here must print the same bytes with it
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
results=$root/benches/RESULTS.md
chart=$root/benches/scaling.svg
api_version=2025-08-26
read -r -a sizes <<< "${IMDS_BENCH_SIZES:-1 100 1000 10000}"
min_runs=${IMDS_BENCH_MIN_RUNS:-30}
baseline=${IMDS_BENCH_BASELINE:-}

say() { printf '\n== %s\n' "$*" >&2; }
die() {
    printf 'compare.sh: %s\n' "$*" >&2
    exit 1
}

[ ${#sizes[@]} -ge 2 ] || die "IMDS_BENCH_SIZES needs at least two sizes"
for n in "${sizes[@]}"; do
    case $n in '' | *[!0-9]* | 0) die "IMDS_BENCH_SIZES: '$n' is not a positive whole number" ;; esac
done
mid=${sizes[-2]}
big=${sizes[-1]}
[ -z "$baseline" ] || [ -x "$baseline" ] || die "IMDS_BENCH_BASELINE: $baseline is not executable"

# --- tools -------------------------------------------------------------------------------------
missing=()
command -v hyperfine > /dev/null || missing+=(hyperfine)
command -v curl > /dev/null || missing+=(curl)
command -v jq > /dev/null || missing+=(jq)
command -v strace > /dev/null || missing+=(strace)
command -v gnuplot > /dev/null || missing+=(gnuplot-nox)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    [ "$(id -u)" = 0 ] || die "need ${missing[*]}: install them (apt-get install -y ${missing[*]})"
    apt-get install -y -qq "${missing[@]}" > /dev/null 2>&1 ||
        { apt-get update -qq && apt-get install -y -qq "${missing[@]}" > /dev/null; }
fi
command -v cargo > /dev/null || die "cargo not found"
command -v rustc > /dev/null || die "rustc not found"

# --- build -------------------------------------------------------------------------------------
# The binary without default features goes to its own target dir, so that neither build undoes
# the other.
if [ "${IMDS_BENCH_NO_BUILD:-}" != 1 ]; then
    say "building release binaries (default features, then imds without them)"
    (cd "$root" && cargo build --release --locked --bins)
    (cd "$root" && cargo build --release --locked --bin imds --no-default-features \
        --target-dir "$target/bench-nodefault")
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
cp "$target/bench-nodefault/release/imds" "$tmp/imds-nodefault"
imds=$tmp/imds
say "building the floor client (benches/floor.rs)"
rustc -O --edition 2024 -C strip=symbols -o "$tmp/floor" "$root/benches/floor.rs"

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

start_mock default
base=$url
declare -A base_pg mock_pid_pg
for n in "${sizes[@]}"; do
    "$root/benches/gen-fixture.sh" "$n" > "$tmp/fixture-$n.json"
    start_mock "pg-$n" --fixture "$tmp/fixture-$n.json"
    base_pg[$n]=$url
    mock_pid_pg[$n]=${mock_pids[-1]}
done
say "emulators: $base (default fixture); placement groups: $(for n in "${sizes[@]}"; do
    printf '%s at %s; ' "$n" "${base_pg[$n]}"
done)"

# Nothing below may be sent through a proxy.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
export NO_COLOR=1
unset IMDS_TOKEN IMDS_SECURE IMDS_WAIT IMDS_TIMEOUT IMDS_API_VERSION IMDS_ENDPOINT

# --- the commands compared ---------------------------------------------------------------------
# The pipelines are the ones IBM's documentation teaches (docs/ARCHITECTURE.md §8): mint a token
# with curl and jq, then GET with curl and pick with jq. `-s` only hides curl's progress meter.
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
floor="$tmp/floor $base $api_version"
floor_imds="$imds --endpoint $base instance"

# One token for the "token already in hand" comparison.
token=$(curl -s --noproxy '*' -X PUT "$base/identity/v1/token?version=$api_version" \
    -H 'Metadata-Flavor: ibm' -d '{"expires_in": 3600}' | jq -r .access_token)
if [ -z "$token" ] || [ "$token" = null ]; then die "could not mint a token from $base"; fi
bare_curl="curl -s --noproxy '*' -H 'Authorization: Bearer $token' '$base/metadata/v1/instance?version=$api_version'"
bare_imds="$imds --endpoint $base instance"

# The curl loop over placement groups, as the documentation would have it: the service's
# default page size (50), one curl per page, one jq per page for `next` (re-based onto the
# emulator, `version` kept), one jq at the end to join the pages into one array, as
# `imds placement-groups` prints.
declare -A pg_loop pg_imds
for n in "${sizes[@]}"; do
    cat > "$tmp/pg-loop-$n.sh" << EOF
#!/usr/bin/env bash
set -eu
base=${base_pg[$n]}
v=$api_version
pages=$tmp/pg-pages-$n.json
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
    chmod +x "$tmp/pg-loop-$n.sh"
    pg_loop[$n]="bash $tmp/pg-loop-$n.sh"
    pg_imds[$n]="$imds --endpoint ${base_pg[$n]} placement-groups"
done

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
same "instance, floor client" "$floor" "$floor_imds" json
same "instance with a token" "$bare_curl" "IMDS_TOKEN=$token $bare_imds" json
for n in "${sizes[@]}"; do
    same "$n placement groups" "${pg_loop[$n]}" "${pg_imds[$n]}" json
    # The merged document `jq .` is timed on: exactly what imds prints.
    bash -c "${pg_imds[$n]}" > "$tmp/merged-$n.json"
    [ "$(jq length "$tmp/merged-$n.json")" = "$n" ] || die "imds placement-groups: not $n items"
done

# The `--field` rows on the largest list.
fields_plain="${pg_imds[$big]}"
fields_short="${pg_imds[$big]} --field name"
fields_star="${pg_imds[$big]} --field '\$[*].name'"
fields_desc="${pg_imds[$big]} --field '\$..name'"
for c in "$fields_short" "$fields_star" "$fields_desc"; do
    [ "$(bash -c "$c" | wc -l)" = "$big" ] || die "not $big names from: $c"
done

# Byte for byte the same as the baseline binary, on every imds command timed here.
identical=
if [ -n "$baseline" ]; then
    say "checking that $baseline prints the same bytes"
    byte_same() { # $1 = shell command with $imds in it; run with both binaries
        local ours=$1 theirs=${1//"$imds"/"$baseline"}
        bash -c "$ours" > "$tmp/ours" || die "failed: $ours"
        bash -c "$theirs" > "$tmp/theirs" || die "failed: $theirs"
        cmp -s "$tmp/ours" "$tmp/theirs" ||
            die "not the same bytes as the baseline: $ours: $(diff "$tmp/theirs" "$tmp/ours" | head -n 10)"
    }
    cases=("$keys_imds" "$inst_imds" "IMDS_TOKEN=$token $bare_imds" "$floor_imds"
        "$fields_short" "$fields_star" "$fields_desc")
    for n in "${sizes[@]}"; do cases+=("${pg_imds[$n]}"); done
    for c in "${cases[@]}"; do byte_same "$c"; done
    identical="the ${#cases[@]} imds commands timed here print the same bytes as"
    identical="$identical \`$("$baseline" --version)\` (IMDS_BENCH_BASELINE)."
fi

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
count() { # $1 = key, $2 = base URL, $3 = command
    req[$1]=$(requests "$2" "$3")
    conn[$1]=$(connections "$2" "$3")
}
count keys_pipe "$base" "$keys_pipe"
count keys_imds "$base" "$keys_imds"
count inst_pipe "$base" "$inst_pipe"
count inst_imds "$base" "$inst_imds"
count floor "$base" "$floor"
count bare_curl "$base" "$bare_curl"
count bare_imds "$base" "IMDS_TOKEN=$token $bare_imds"
for n in "$mid" "$big"; do
    count "loop_$n" "${base_pg[$n]}" "${pg_loop[$n]}"
    count "imds_$n" "${base_pg[$n]}" "${pg_imds[$n]}"
done

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
say "timing: instance against the floor client"
"${hf[@]}" -N --export-json "$tmp/floor.json" \
    -n "floor client (token, instance)" "$floor" -n "imds instance" "$floor_imds"
say "timing: one GET with a token in hand"
IMDS_TOKEN=$token "${hf[@]}" -N --export-json "$tmp/bare.json" \
    -n "curl GET instance" "$bare_curl" -n "imds instance (IMDS_TOKEN)" "$bare_imds"
for n in "${sizes[@]}"; do
    say "timing: $n placement groups"
    "${hf[@]}" -N --export-json "$tmp/pg-$n.json" \
        -n "imds placement-groups ($n)" "${pg_imds[$n]}" \
        -n "jq . on the merged document ($n)" "jq . $tmp/merged-$n.json"
    runs=$(awk -v m="$min_runs" -v n="$n" \
        'BEGIN { r = int(30000 / n); if (r > m) r = m; if (r < 3) r = 3; print r }')
    hyperfine --warmup 1 --runs "$runs" --style basic -N --export-json "$tmp/loop-$n.json" \
        -n "curl loop, limit 50 (+ jq) ($n)" "${pg_loop[$n]}"
done
say "timing: --field on $big placement groups"
"${hf[@]}" -N --export-json "$tmp/fields.json" \
    -n "imds placement-groups" "$fields_plain" -n "imds … --field name" "$fields_short" \
    -n "imds … --field '\$[*].name'" "$fields_star" -n "imds … --field '\$..name'" "$fields_desc"
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
ms1() { awk -v x="$1" 'BEGIN { printf (x >= 100 ? "%.0f" : "%.1f"), x }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
ratio2() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# --- memory and size ---------------------------------------------------------------------------
# peak_kib RUNS CMD…: median of RUNS runs of GNU time's maximum resident set size, in KiB. For a
# script that is the largest single process it ran, not their sum.
peak_kib() {
    local runs=$1
    shift
    for _ in $(seq "$runs"); do
        /usr/bin/time -f %M -o "$tmp/rss" "$@" > /dev/null
        cat "$tmp/rss"
    done | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
mib() { awk -v k="$1" 'BEGIN { printf "%.2f", k / 1024 }'; }
mib1() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
say "measuring peak memory"
rss_inst=$(peak_kib 5 "$imds" --endpoint "$base" instance)
rss_inst_nodefault=$(peak_kib 5 "$tmp/imds-nodefault" --endpoint "$base" instance)
rss_keys=$(peak_kib 5 "$imds" --endpoint "$base" keys --field public_key)
rss_floor=$(peak_kib 5 "$tmp/floor" "$base" "$api_version")
rss_curl=$(peak_kib 5 curl -s --noproxy '*' -H "Authorization: Bearer $token" \
    "$base/metadata/v1/instance?version=$api_version")
rss_jq=$(peak_kib 5 jq . "$tmp/instance.json")
declare -A rss_pg rss_pg_jq rss_pg_loop rss_mock
for n in "${sizes[@]}"; do
    # shellcheck disable=SC2086 # the commands are words without quotes
    rss_pg[$n]=$(peak_kib 5 ${pg_imds[$n]})
    rss_pg_jq[$n]=$(peak_kib 5 jq . "$tmp/merged-$n.json")
    loop_rss_runs=3
    [ "$n" -lt 1000 ] || loop_rss_runs=1
    # shellcheck disable=SC2086
    rss_pg_loop[$n]=$(peak_kib "$loop_rss_runs" ${pg_loop[$n]})
    rss_mock[$n]=$(ps -o rss= -p "${mock_pid_pg[$n]}" | tr -d ' ')
done
rss_desc=$(peak_kib 5 "$imds" --endpoint "${base_pg[$big]}" placement-groups --field '$..name')
size_default=$(stat -c %s "$tmp/imds")
size_nodefault=$(stat -c %s "$tmp/imds-nodefault")
size_mock=$(stat -c %s "$tmp/imds-mock")

# The emulator plus loopback, per request: 51 GETs from one curl process over one connection,
# the whole time of each after the first, which opened the connection (median).
gets=()
for _ in $(seq 51); do gets+=(-o /dev/null "$base/metadata/v1/instance?version=$api_version"); done
curl -s --noproxy '*' -H "Authorization: Bearer $token" \
    -w '%{response_code} %{time_total}\n' "${gets[@]}" \
    > "$tmp/mock-times" || true
mock_ms=$(awk 'NR > 1 && $1 == 200 { print $2 * 1000 }' "$tmp/mock-times" | sort -n |
    awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print "nan" }')

# --- chart -------------------------------------------------------------------------------------
# One line per size: items, then time (ms) and peak RSS (MiB) for imds, the curl loop, jq .
for n in "${sizes[@]}"; do
    printf '%s %s %s %s %s %s %s\n' "$n" \
        "$(median "$tmp/pg-$n.json" 0)" "$(median "$tmp/loop-$n.json" 0)" \
        "$(median "$tmp/pg-$n.json" 1)" \
        "$(mib "${rss_pg[$n]}")" "$(mib "${rss_pg_loop[$n]}")" "$(mib "${rss_pg_jq[$n]}")"
done > "$tmp/scaling.dat"
say "drawing ${chart#"$root"/}"
gnuplot << EOF
set terminal svg size 900,420 dynamic font "sans,12" background rgb "white"
set output "$chart"
set multiplot layout 1,2 title "Placement groups listed against imds-mock on $(nproc) cores (medians)"
set logscale xy
set xtics ("1" 1, "10" 10, "100" 100, "1,000" 1000, "10,000" 10000)
set key below Left reverse
set grid
set style data linespoints
set title "time (ms), by number of placement groups"
plot "$tmp/scaling.dat" using 1:3 title "curl loop (+ jq), page size 50" lw 2 pt 7, \
     "" using 1:4 title "jq . on the merged list" lw 2 pt 5, \
     "" using 1:2 title "imds placement-groups" lw 2 pt 9
set title "peak RSS (MiB), by number of placement groups"
unset logscale y
set yrange [0:*]
plot "$tmp/scaling.dat" using 1:6 title "curl loop: largest process" lw 2 pt 7, \
     "" using 1:7 title "jq . on the merged list" lw 2 pt 5, \
     "" using 1:5 title "imds placement-groups" lw 2 pt 9
unset multiplot
EOF

# --- report ------------------------------------------------------------------------------------
k_p=$(median "$tmp/keys.json" 0) k_i=$(median "$tmp/keys.json" 1)
i_p=$(median "$tmp/inst.json" 0) i_i=$(median "$tmp/inst.json" 1)
f_f=$(median "$tmp/floor.json" 0) f_i=$(median "$tmp/floor.json" 1)
b_c=$(median "$tmp/bare.json" 0) b_i=$(median "$tmp/bare.json" 1)
m_l=$(median "$tmp/loop-$mid.json" 0) m_i=$(median "$tmp/pg-$mid.json" 0)
g_l=$(median "$tmp/loop-$big.json" 0) g_i=$(median "$tmp/pg-$big.json" 0)
g_j=$(median "$tmp/pg-$big.json" 1)
d_0=$(median "$tmp/fields.json" 0) d_s=$(median "$tmp/fields.json" 1)
d_a=$(median "$tmp/fields.json" 2) d_d=$(median "$tmp/fields.json" 3)
s_c=$(median "$tmp/start.json" 0) s_j=$(median "$tmp/start.json" 1) s_i=$(median "$tmp/start.json" 2)
s_f=$(median "$tmp/start.json" 3) s_b=$(median "$tmp/start.json" 4)

verdict() { awk -v ok="$1" 'BEGIN { print (ok ? "met" : "**missed**") }'; }
t_keys=$(verdict "$(awk -v a="$k_p" -v b="$k_i" 'BEGIN { print (a / b >= 8) }')")
t_floor=$(verdict "$(awk -v a="$f_i" -v b="$f_f" 'BEGIN { print (a / b <= 1.3) }')")
t_bare=$(verdict "$(awk -v a="$b_c" -v b="$b_i" 'BEGIN { print (a / b >= 1.5) }')")
t_pg=$(verdict "$(awk -v a="$m_l" -v b="$m_i" -v r="${req[imds_$mid]}" -v q="${req[loop_$mid]}" \
    'BEGIN { print (a / b >= 5 && r < q) }')")
t_big_time=$(verdict "$(awk -v a="$g_i" -v b="$g_j" 'BEGIN { print (a <= b / 3) }')")
t_big_rss=$(verdict "$(awk -v a="${rss_pg[$big]}" -v b="${rss_pg_jq[$big]}" 'BEGIN { print (a <= b) }')")
t_size=$(verdict "$(awk -v s="$size_default" 'BEGIN { print (s <= 3.75 * 1048576) }')")
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
| token + $mid placement groups (curl loop, page size 50, vs \`imds placement-groups\`) | $(ms "$m_l") ms | $(ms "$m_i") ms | **$(ratio "$m_l" "$m_i")×** | ≥ 5× and fewer requests: $t_pg |
| token + $big placement groups (likewise) | $(ms "$g_l") ms | $(ms "$g_i") ms | **$(ratio "$g_l" "$g_i")×** | |
| process start, no request (\`curl --version\`, \`jq --version\` vs \`imds --version\`) | $(ms "$s_c") ms, $(ms "$s_j") ms | $(ms "$s_i") ms | | |

The keys and instance pipelines run under bash; hyperfine subtracts the cost of starting that
shell from both sides of those rows. Every other row runs without a shell (the curl loop is a
script run by \`bash\`, which costs it $(ms "$s_b") ms of its time). For context, on this machine
\`jq . FILE\` on the instance document takes $(ms "$s_f") ms: jq spends most of its time
compiling its built-in library before it reads any input, so each \`jq\` in a pipeline costs
about that much whatever it is asked. The curl loop over N items runs max(3, min($min_runs,
30000 / N)) times after one warm-up run.

## Against the floor

The floor client (benches/floor.rs, \`rustc -O\`, no libraries) does the least a client can:
one TCP connection with TCP_NODELAY, the token PUT and the instance GET on it, the body
written out as received (compact; imds pretty-prints it).

| task | floor client | imds | imds ÷ floor | target |
|---|---:|---:|---:|---|
| token + instance document (\`imds instance\`) | $(ms "$f_f") ms | $(ms "$f_i") ms | **$(ratio2 "$f_i" "$f_f")×** | ≤ 1.3×: $t_floor |

## Long lists

\`imds placement-groups\` against \`jq .\` on the merged list it prints (the same bytes, from a
file) and against the curl loop. Time: hyperfine medians; peak RSS: GNU \`time -f %M\`, median of
5 runs (of 3 runs, or 1 from 1,000 items on, for the curl loop, whose figure is its largest single
process: curl, jq or bash). Chart: [scaling.svg](scaling.svg).

| placement groups | imds | \`jq .\` | curl loop | imds peak RSS | \`jq .\` peak RSS | curl loop peak RSS |
|---:|---:|---:|---:|---:|---:|---:|
EOF
    for n in "${sizes[@]}"; do
        printf '| %s | %s ms | %s ms | %s ms | %s MiB | %s MiB | %s MiB |\n' "$n" \
            "$(ms "$(median "$tmp/pg-$n.json" 0)")" "$(ms "$(median "$tmp/pg-$n.json" 1)")" \
            "$(ms1 "$(median "$tmp/loop-$n.json" 0)")" "$(mib "${rss_pg[$n]}")" \
            "$(mib "${rss_pg_jq[$n]}")" "$(mib "${rss_pg_loop[$n]}")"
    done
    cat << EOF

| target, $big placement groups | imds | \`jq .\` | ratio | |
|---|---:|---:|---:|---|
| time ≤ ⅓ of \`jq .\` | $(ms "$g_i") ms | $(ms "$g_j") ms | **$(ratio2 "$g_i" "$g_j")** | $t_big_time |
| peak RSS ≤ \`jq .\`'s | $(mib "${rss_pg[$big]}") MiB | $(mib "${rss_pg_jq[$big]}") MiB | **$(ratio2 "${rss_pg[$big]}" "${rss_pg_jq[$big]}")** | $t_big_rss |

\`--field\` on $big placement groups (one name per line):

| command | time | |
|---|---:|---|
| \`imds placement-groups\` (the whole list, pretty) | $(ms "$d_0") ms | |
| \`imds placement-groups --field name\` (shorthand, walked by hand) | $(ms "$d_s") ms | |
| \`imds placement-groups --field '\$[*].name'\` (JSONPath) | $(ms "$d_a") ms | |
| \`imds placement-groups --field '\$..name'\` (JSONPath, descendants) | $(ms "$d_d") ms | peak RSS $(mib "$rss_desc") MiB |

## Requests and TCP connections per run

Requests: the emulator's \`/_mock/counts\`. Connections: \`connect()\` calls seen by \`strace -f\`
across every process of the command.

| task | curl + jq: requests | connections | imds: requests | connections |
|---|---:|---:|---:|---:|
| keys | ${req[keys_pipe]} | ${conn[keys_pipe]} | ${req[keys_imds]} | ${conn[keys_imds]} |
| instance | ${req[inst_pipe]} | ${conn[inst_pipe]} | ${req[inst_imds]} | ${conn[inst_imds]} |
| instance, floor client | ${req[floor]} | ${conn[floor]} | | |
| one GET with a token | ${req[bare_curl]} | ${conn[bare_curl]} | ${req[bare_imds]} | ${conn[bare_imds]} |
| $mid placement groups | ${req[loop_$mid]} | ${conn[loop_$mid]} | ${req[imds_$mid]} | ${conn[imds_$mid]} |
| $big placement groups | ${req[loop_$big]} | ${conn[loop_$big]} | ${req[imds_$big]} | ${conn[imds_$big]} |

## Memory and size

Peak resident set size: GNU \`time -f %M\`, median of 5 runs.

| | peak RSS | target |
|---|---:|---|
| \`imds instance\` (default features) | $(mib "$rss_inst") MiB | ≤ 6 MiB: $t_rss |
| \`imds instance\` (\`--no-default-features\`) | $(mib "$rss_inst_nodefault") MiB | |
| \`imds keys --field public_key\` | $(mib "$rss_keys") MiB | |
| floor client (token, instance) | $(mib "$rss_floor") MiB | |
| \`curl\` GET instance | $(mib "$rss_curl") MiB | |
| \`jq .\` on the instance document | $(mib "$rss_jq") MiB | |
| \`imds-mock\` serving $big placement groups (resident at the end) | $(mib "${rss_mock[$big]}") MiB | |

| binary (\`cargo build --release\`, stripped) | size | target |
|---|---:|---|
| \`imds\`, default features | $(mib "$((size_default / 1024))") MiB ($size_default bytes) | ≤ 3.75 MiB: $t_size |
| \`imds\`, \`--no-default-features\` | $(mib "$((size_nodefault / 1024))") MiB ($size_nodefault bytes) | |
| \`imds-mock\`, default features | $(mib "$((size_mock / 1024))") MiB ($size_mock bytes) | |

The emulator plus loopback per request (curl's total time of a GET of the instance on a
connection already open, median of 50): $(ms "$mock_ms") ms.
EOF
    if [ -n "$identical" ]; then
        printf '\nSame output: %s\n' "$identical"
    fi
    if [ -f "$root/benches/NOTES.md" ]; then
        printf '\n'
        cat "$root/benches/NOTES.md"
    fi
} > "$results"

say "results"
sed -n '/^## Time/,$p' "$results" | sed '/^## Notes/,$d' >&2
printf '\nwrote %s and %s\n' "${results#"$root"/}" "${chart#"$root"/}" >&2
