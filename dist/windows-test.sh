#!/usr/bin/env bash
# Runs imds.exe and imds-mock.exe from the zip dist/windows.sh made, under Wine (in its Debian
# sid chroot, target/windows/chroot), against the Linux imds-mock, and compares what they print
# with what the Linux build prints: byte for byte for every read command, exit code for every
# failure class. Everything runs in a network namespace of its own (unshare -n) that has only
# the loopback interface: nothing can reach the real service or any other address. Then the
# unit tests of the library, the emulator and the command line, built for Windows by
# dist/windows.sh, run under Wine, and their counts are reported. Needs root and
# dist/windows.sh's target/dist/ zip and test executables; builds the Linux binaries with cargo
# (dev profile, what `cargo test` builds). The Wine prefix is kept in target/windows/wine, so
# the first run takes a minute more than the next ones.
#
# A check that meets a known difference from Linux says so ("expected difference: …") and
# passes; once the difference is gone it says that instead, and the check can become a hard one.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
TRIPLE=x86_64-pc-windows-gnu
name=imds-$version-x86_64-windows
zip=$root/target/dist/$name.zip
work=$root/target/windows
jail=$work/chroot
run=$work/test
step() { printf '== %s (%ss)\n' "$1" "$SECONDS"; }
fail() { echo "dist/windows-test.sh: $*" >&2; exit 1; }

if [ -z "${IMDS_WINDOWS_TEST_NETNS:-}" ]; then
  [ "$(id -u)" = 0 ] || fail "needs root (chroot, unshare)"
  [ -f "$zip" ] || fail "no $zip: run dist/windows.sh first"
  chroot "$jail" sh -c "command -v wine64" >/dev/null 2>&1 || fail "no Wine in $jail: run dist/windows.sh first"
  for tool in cargo python3 unshare chroot ip timeout cmp openssl; do
    command -v "$tool" >/dev/null || fail "needs $tool"
  done

  step "Linux build (cargo build --bins)"
  cargo build --locked --bins
  linux=${CARGO_TARGET_DIR:-$root/target}/debug
  for b in imds imds-mock; do [ -x "$linux/$b" ] || fail "no $b in $linux"; done

  step "zip unpacked into $run/pkg"
  rm -rf "$run"
  mkdir -p "$run/pkg" "$run/out"
  python3 -m zipfile -e "$zip" "$run/pkg"
  for f in imds.exe imds-mock.exe README.md LICENSE-MIT LICENSE-APACHE THIRD-PARTY-LICENSES \
    WINDOWS.md completions/_imds.ps1 completions/_imds-mock.ps1; do
    [ -f "$run/pkg/$name/$f" ] || fail "the zip has no $f"
  done

  step "into a network namespace with loopback only (unshare -n)"
  IMDS_WINDOWS_TEST_NETNS=1 IMDS_WINDOWS_TEST_LINUX=$linux IMDS_WINDOWS_TEST_START=$SECONDS \
    exec unshare -n -m --propagation private bash "$root/dist/windows-test.sh"
fi

# --- inside the namespace ---
SECONDS=$IMDS_WINDOWS_TEST_START
linux=$IMDS_WINDOWS_TEST_LINUX
ip link set lo up
# Nothing but loopback: a test that would leave the machine fails to connect instead.
if ip -o link show | grep -v -q ': lo:'; then fail "the namespace has more than loopback"; fi
if ip route get 169.254.169.254 >/dev/null 2>&1; then fail "169.254.169.254 is routable here"; fi

# The chroot sees the repository at /src, so $run is /src/target/windows/test there, and
# Z:\src\target\windows\test to Windows programs (Wine maps / to Z:).
mount -t proc proc "$jail/proc"
mount --rbind /dev "$jail/dev"
mkdir -p "$jail/src"
mount --bind "$root" "$jail/src"
jail_run=/src/target/windows/test
win_run='Z:\src\target\windows\test'
win_data='Z:\src\tests\data'

mocks=()
cleanup() {
  local pid
  for pid in "${mocks[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -z "${wineserver:-}" ] || wine_env "/$wineserver" -k 2>/dev/null || true
}
trap cleanup EXIT

# Wine with a prefix of its own under target/ and without its debug chatter on stderr; no
# Mono or Gecko (nothing here needs them, and there is no network to fetch them).
wine_env() {
  chroot "$jail" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root LANG=C.UTF-8 \
    WINEPREFIX=/src/target/windows/wine WINEDEBUG=-all WINEDLLOVERRIDES='mscoree,mshtml=' "$@"
}
# wine_in SECONDS DIR PROGRAM ARGS…: PROGRAM (a path in the chroot) under Wine, started in DIR,
# stopped after SECONDS.
wine_in() {
  local seconds=$1 dir=$2
  shift 2
  timeout -k 5 "$seconds" chroot "$jail" /usr/bin/env -i -C "$dir" PATH=/usr/bin:/bin HOME=/root \
    LANG=C.UTF-8 WINEPREFIX=/src/target/windows/wine WINEDEBUG=-all WINEDLLOVERRIDES='mscoree,mshtml=' \
    wine64 "$@"
}
# win EXE ARGS…: runs EXE (imds.exe or imds-mock.exe) from the zip under Wine.
win() {
  local exe=$1
  shift
  wine_in 120 / "$jail_run/pkg/$name/$exe" "$@"
}
# lin EXE ARGS…: the Linux build, with an empty environment like the Windows one.
lin() {
  local exe=$1
  shift
  timeout -k 5 120 env -i -C "$run/out" PATH=/usr/bin:/bin LANG=C.UTF-8 "$linux/$exe" "$@"
}

step "Wine prefix (target/windows/wine)"
# Debian keeps wineserver out of PATH.
wineserver=$(cd "$jail" && find usr/bin usr/lib -name wineserver -type f -perm -u+x | head -n 1)
[ -n "$wineserver" ] || fail "no wineserver in $jail"
mkdir -p "$work/wine"
# One wineserver for every run below (it stays until `wineserver -k` on exit); then the prefix,
# made on the first run.
wine_env "/$wineserver" -p 2>/dev/null || true
wine_env wine64 wineboot --init >/dev/null 2>&1 || true
echo "$(wine_env wine64 --version), prefix ready"

# mock ARGS…: starts the Linux imds-mock with ARGS on a free loopback port; $mock_url is its URL.
mock() {
  local log
  log=$run/out/mock-${#mocks[@]}
  env -i PATH=/usr/bin:/bin LANG=C.UTF-8 "$linux/imds-mock" -q "$@" >"$log.url" 2>"$log.err" &
  mocks+=($!)
  for _ in $(seq 100); do
    if [ -s "$log.url" ]; then
      mock_url=$(head -n 1 "$log.url")
      return
    fi
    sleep 0.1
  done
  fail "imds-mock $* printed no URL: $(cat "$log.err")"
}

passed=0
failed=0
expected=()
same=0
pass() { passed=$((passed + 1)); echo "ok   $*"; }
flop() { failed=$((failed + 1)); echo "FAIL $*"; }
# A known difference from Linux: counted as passed, listed at the end.
known() {
  passed=$((passed + 1))
  expected+=("$1")
  echo "ok   $1 (expected difference: $2)"
}

# both NAME ARGS…: imds ARGS on Linux and under Wine. An argument @RUN@NAME is the file NAME in
# the test directory, @DATA@NAME one in tests/data/, each in the system's own form (Z:\… under
# Wine). Leaves out/NAME.{lin,win}.{out,err} and sets $rc_lin, $rc_win.
both() {
  local id=$1 arg rest
  local lin_args=() win_args=()
  shift
  for arg in "$@"; do
    case $arg in
      @RUN@*) rest=${arg#@RUN@}; lin_args+=("$run${rest:+/$rest}"); win_args+=("$win_run${rest:+\\$rest}") ;;
      @DATA@*) rest=${arg#@DATA@}; lin_args+=("$root/tests/data/$rest"); win_args+=("$win_data\\$rest") ;;
      *) lin_args+=("$arg"); win_args+=("$arg") ;;
    esac
  done
  rc_lin=0 rc_win=0
  lin imds "${lin_args[@]}" >"$run/out/$id.lin.out" 2>"$run/out/$id.lin.err" || rc_lin=$?
  win imds.exe "${win_args[@]}" >"$run/out/$id.win.out" 2>"$run/out/$id.win.err" || rc_win=$?
}
# same NAME ARGS…: both, and the output compared byte for byte.
same() {
  local id=$1
  both "$@"
  if [ "$rc_lin" != "$rc_win" ]; then
    flop "$id: exit $rc_win under Wine, $rc_lin on Linux: $(head -c 300 "$run/out/$id.win.err")"
  elif ! cmp -s "$run/out/$id.lin.out" "$run/out/$id.win.out"; then
    flop "$id: stdout differs from Linux ($(cmp "$run/out/$id.lin.out" "$run/out/$id.win.out" 2>&1 | head -n 1))"
  elif [ ! -s "$run/out/$id.lin.out" ] && [ "$rc_lin" = 0 ]; then
    flop "$id: no output on Linux either"
  else
    same=$((same + 1))
    pass "$id: exit $rc_win, $(wc -c <"$run/out/$id.win.out") bytes, byte for byte as on Linux"
  fi
}
# code NAME WANT ARGS…: both, and both exit WANT with nothing on stdout and a reason on stderr.
code() {
  local id=$1 want=$2
  shift 2
  both "$id" "$@"
  if [ "$rc_win" != "$want" ] || [ "$rc_lin" != "$want" ]; then
    flop "$id: exit $rc_win under Wine, $rc_lin on Linux, want $want: $(head -c 300 "$run/out/$id.win.err")"
  elif [ -s "$run/out/$id.win.out" ]; then
    flop "$id: exit $want, but something on stdout"
  elif ! grep -q '^imds: ' "$run/out/$id.win.err"; then
    flop "$id: exit $want, but no 'imds: …' line on stderr"
  else
    pass "$id: exit $want as on Linux ($(head -n 1 "$run/out/$id.win.err"))"
  fi
}
# file_is NAME FILE WANT: FILE holds the same bytes as WANT.
file_is() {
  if cmp -s "$2" "$3"; then
    same=$((same + 1))
    pass "$1: $(wc -c <"$2") bytes, byte for byte as on Linux"
  else
    flop "$1: $(cmp "$3" "$2" 2>&1 | head -n 1)"
  fi
}

step "versions"
mock
url=$mock_url
want="imds $version ($TRIPLE; features: tls, mock)"
got=$(win imds.exe --version) || true
if [ "$got" = "$want" ]; then pass "imds.exe --version: $got"; else flop "imds.exe --version: '$got', want '$want'"; fi
got=$(win imds-mock.exe --version) || true
if [ "$got" = "$(lin imds-mock --version)" ]; then pass "imds-mock.exe --version: $got, as on Linux"; else flop "imds-mock.exe --version: '$got'"; fi
# The same text as Linux's but for the target.
lin imds --version | sed "s/x86_64-unknown-linux-gnu/$TRIPLE/" >"$run/out/version.lin.out"
win imds.exe --version >"$run/out/version.win.out"
file_is "--version (target named)" "$run/out/version.win.out" "$run/out/version.lin.out"

step "read commands, byte for byte against Linux (plain HTTP, $url)"
e=(--endpoint "$url")
same instance "${e[@]}" instance
same instance-compact "${e[@]}" -c instance
same instance-fields "${e[@]}" instance --field name --field zone.name --field vcpu.count
same instance-shell "${e[@]}" instance --shell zone=zone.name --shell cpus=vcpu.count
same instance-jsonpath "${e[@]}" instance --field '$.network_interfaces[*].name'
same keys "${e[@]}" keys
same keys-public_key "${e[@]}" keys --field public_key
same keys-null "${e[@]}" keys -0 --field name
key_id=$(head -n 1 < <(lin imds "${e[@]}" keys --field id))
same keys-one "${e[@]}" keys "$key_id"
same init "${e[@]}" init
same init-user-data "${e[@]}" init --user-data
same nics "${e[@]}" nics
same nics-fields "${e[@]}" nics --field name --field 'floating_ips[0].address' --default none
same volumes "${e[@]}" volumes
same placement-groups "${e[@]}" placement-groups
same placement-groups-names "${e[@]}" placement-groups --field name
same get "${e[@]}" get instance/network_attachments
same get-vni "${e[@]}" get virtual_network_interfaces
same snapshot "${e[@]}" snapshot
same snapshot-redact "${e[@]}" snapshot --redact
same api-version-old "${e[@]}" --api-version 2022-03-01 instance --field id
same color-never "${e[@]}" --color never instance
# clap names the program as it was started: imds.exe.
for help in help:--help help-cert:cert:--help; do
  IFS=: read -r -a args <<<"$help"
  both "${args[@]}"
  if [ "$rc_win" = 0 ] && cmp -s "$run/out/${args[0]}.lin.out" "$run/out/${args[0]}.win.out"; then
    same=$((same + 1))
    pass "imds ${args[*]:1}: byte for byte as on Linux (no longer a difference: make this a hard check)"
  elif [ "$rc_win" = 0 ] && sed 's/imds\.exe/imds/g' "$run/out/${args[0]}.win.out" | cmp -s "$run/out/${args[0]}.lin.out" -; then
    known "imds ${args[*]:1} as on Linux" "the usage line names imds.exe, the rest is the same"
  else
    flop "imds ${args[*]:1}: exit $rc_win, $(cmp "$run/out/${args[0]}.lin.out" "$run/out/${args[0]}.win.out" 2>&1 | head -n 1)"
  fi
done

step "doctor (timings blanked)"
both doctor "${e[@]}" doctor
for f in lin win; do
  sed -E 's/[0-9]+ ms/N ms/g' "$run/out/doctor.$f.out" >"$run/out/doctor.$f.blank"
done
if [ "$rc_win" = 0 ] && [ "$rc_lin" = 0 ] && cmp -s "$run/out/doctor.lin.blank" "$run/out/doctor.win.blank"; then
  same=$((same + 1))
  pass "doctor: exit 0, $(wc -l <"$run/out/doctor.win.out") lines as on Linux but for timings"
else
  flop "doctor: exit $rc_win (Linux $rc_lin); $(diff "$run/out/doctor.lin.blank" "$run/out/doctor.win.blank" | head -n 5 | tr '\n' ' ')"
fi

# A closed port: the same report as Linux's, exit 4.
both doctor-refused --endpoint http://127.0.0.1:1 doctor
if [ "$rc_win" = 4 ] && [ "$rc_lin" = 4 ] && grep -q '^✗ connect: 127.0.0.1:1 refused' "$run/out/doctor-refused.win.out" &&
  cmp -s "$run/out/doctor-refused.lin.out" "$run/out/doctor-refused.win.out"; then
  same=$((same + 1))
  pass "doctor against a closed port: exit 4, byte for byte as on Linux"
else
  flop "doctor against a closed port: exit $rc_win (Linux $rc_lin); $(diff "$run/out/doctor-refused.lin.out" "$run/out/doctor-refused.win.out" | head -n 5 | tr '\n' ' ')"
fi
# The service's own address, which nothing here routes to: on Windows the first fix is the host
# route (WINDOWS.md), and the rest is Linux's.
route='`route -p add 169.254.169.254 MASK 255.255.255.255 <gateway>`'
both doctor-route --endpoint http://169.254.169.254 doctor
if [ "$rc_win" = 4 ] && [ "$rc_lin" = 4 ] && grep -q -F -e "  fix: on Windows, the service needs a host route" "$run/out/doctor-route.win.out" &&
  grep -q -F -e "$route" "$run/out/doctor-route.win.out" && ! grep -q -F -e "$route" "$run/out/doctor-route.lin.out"; then
  pass "doctor without the route to 169.254.169.254: exit 4, the fix names $route"
else
  flop "doctor without the route to 169.254.169.254: exit $rc_win (Linux $rc_lin): $(grep -A 2 '✗' "$run/out/doctor-route.win.out" | head -c 400)"
fi

step "token"
both token "${e[@]}" token
if [ "$rc_win" = 0 ] && grep -q -x -E '[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+' "$run/out/token.win.out"; then
  pass "token: exit 0, a JWT ($(wc -c <"$run/out/token.win.out") bytes)"
else
  flop "token: exit $rc_win: $(head -c 300 "$run/out/token.win.out" "$run/out/token.win.err")"
fi
both token-export "${e[@]}" token --export
if [ "$rc_win" = 0 ] && grep -q -x -E "export IMDS_TOKEN='?[A-Za-z0-9._-]+'?" "$run/out/token-export.win.out"; then
  pass "token --export: $(cut -c 1-30 "$run/out/token-export.win.out")…"
else
  flop "token --export: exit $rc_win: $(head -c 300 "$run/out/token-export.win.out")"
fi

step "files (-o, --authorized-keys, cert --key-out)"
lin imds "${e[@]}" init --user-data >"$run/out/user-data.lin"
win imds.exe "${e[@]}" init --user-data -o "$win_run\\user-data" && rc=0 || rc=$?
[ "$rc" = 0 ] || flop "init --user-data -o (new file): exit $rc"
file_is "init --user-data -o (new file)" "$run/user-data" "$run/out/user-data.lin"
win imds.exe "${e[@]}" init --user-data -o "$win_run\\user-data" && rc=0 || rc=$?
[ "$rc" = 0 ] || flop "init --user-data -o (again): exit $rc"
file_is "init --user-data -o (again, replacing it)" "$run/user-data" "$run/out/user-data.lin"

printf 'an older file, longer than nothing\n%.0s' $(seq 400) >"$run/replaced.json"
win imds.exe "${e[@]}" instance -o "$win_run\\replaced.json" && rc=0 || rc=$?
[ "$rc" = 0 ] || flop "instance -o (existing file): exit $rc"
file_is "instance -o (replacing a longer file)" "$run/replaced.json" "$run/out/instance.lin.out"

win imds.exe "${e[@]}" snapshot -o "$win_run\\snapshot.json" && rc=0 || rc=$?
[ "$rc" = 0 ] || flop "snapshot -o: exit $rc"
file_is "snapshot -o" "$run/snapshot.json" "$run/out/snapshot.lin.out"

leftovers=$(find "$run" -maxdepth 1 -type f ! -name user-data ! -name replaced.json ! -name snapshot.json)
if [ -z "$leftovers" ]; then pass "-o left no temporary file"; else flop "-o left: $leftovers"; fi

# An -o that cannot be: a directory is refused, and the file is left alone on failure.
code o-directory 1 "${e[@]}" instance -o @RUN@
cp "$run/replaced.json" "$run/kept.json"
win imds.exe "${e[@]}" instance --field no_such_field -o "$win_run\\kept.json" >/dev/null 2>&1 && rc=0 || rc=$?
if [ "$rc" = 6 ] && cmp -s "$run/kept.json" "$run/replaced.json"; then
  pass "-o on failure (exit 6): the file is left as it was"
else
  flop "-o on failure: exit $rc, file $(cmp -s "$run/kept.json" "$run/replaced.json" && echo kept || echo changed)"
fi

printf 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAlreadyThereKeyExampleOnly me@laptop\n' >"$run/authorized_keys.lin"
cp "$run/authorized_keys.lin" "$run/authorized_keys"
lin imds "${e[@]}" keys --authorized-keys "$run/authorized_keys.lin" >/dev/null
win imds.exe "${e[@]}" keys --authorized-keys "$win_run\\authorized_keys" >/dev/null && rc=0 || rc=$?
[ "$rc" = 0 ] || flop "keys --authorized-keys: exit $rc"
file_is "keys --authorized-keys (added to an existing file)" "$run/authorized_keys" "$run/authorized_keys.lin"

# cert: a new P-256 key, a CSR, the chain the emulator's CA signed; the key must be the chain's.
mock --ca-out "$run/out/identity-ca.pem"
ca_url=$mock_url
win imds.exe --endpoint "$ca_url" cert --key-type ec-p256 --key-out "$win_run\\cert.key" \
  >"$run/out/cert.win.out" 2>"$run/out/cert.win.err" && rc=0 || rc=$?
if [ "$rc" != 0 ]; then
  flop "cert --key-type ec-p256: exit $rc: $(head -c 300 "$run/out/cert.win.err")"
else
  awk '/BEGIN CERTIFICATE/ {n++} n == 1' "$run/out/cert.win.out" >"$run/out/leaf.pem"
  cert_key=$(openssl x509 -in "$run/out/leaf.pem" -noout -pubkey 2>&1)
  file_key=$(openssl pkey -in "$run/cert.key" -pubout 2>&1)
  if [ "$(grep -c 'BEGIN CERTIFICATE' "$run/out/cert.win.out")" -ge 2 ] && [ "$cert_key" = "$file_key" ] &&
    openssl pkey -in "$run/cert.key" -noout -text 2>/dev/null | grep -q 'P-256' &&
    openssl verify -CAfile "$run/out/identity-ca.pem" -untrusted "$run/out/cert.win.out" \
      "$run/out/leaf.pem" >/dev/null 2>&1; then
    pass "cert --key-type ec-p256: a P-256 key and the chain for it, verified against the emulator's CA"
  else
    flop "cert --key-type ec-p256: the key and the chain do not go together: $file_key / $cert_key"
  fi
  # PEM ends its lines with \n on every system (rcgen's own PEM has \r\n on Windows).
  if grep -q $'\r' "$run/cert.key"; then
    flop "cert --key-out: the key file has CR characters"
  elif head -n 1 "$run/cert.key" | grep -q -x -e '-----BEGIN PRIVATE KEY-----'; then
    pass "cert --key-out: PKCS#8 PEM with LF line ends, as on Linux"
  else
    flop "cert --key-out: the key file is no PKCS#8 PEM: $(head -n 1 "$run/cert.key")"
  fi
  if grep -q $'\r' "$run/out/cert.win.out"; then
    flop "cert: the chain on stdout has CR characters"
  else
    pass "cert: the chain on stdout has LF line ends, as the service sent it"
  fi
fi
code cert-exists 1 --endpoint "$ca_url" cert --key-type ec-p256 --key-out @RUN@cert.key
win imds.exe --endpoint "$ca_url" cert --key-type ec-p256 --force --key-out "$win_run\\cert.key" \
  >/dev/null 2>&1 && rc=0 || rc=$?
if [ "$rc" = 0 ] && [ "$(openssl pkey -in "$run/cert.key" -pubout 2>&1)" != "$file_key" ]; then
  pass "cert --force --key-out: the key file replaced with a new key"
else
  flop "cert --force --key-out: exit $rc"
fi

step "HTTPS (--secure --cacert, the emulator with tests/data/server.pem)"
mock --tls-cert "$root/tests/data/server.pem" --tls-key "$root/tests/data/server.key"
tls_url=$mock_url
case $tls_url in https://localhost:*) ;; *) fail "the TLS emulator's URL is $tls_url" ;; esac
tls_port=${tls_url##*:}
rc_lin=0 rc_win=0
lin imds --endpoint "$tls_url" --secure --cacert "$root/tests/data/ca.pem" instance \
  >"$run/out/https.lin.out" 2>"$run/out/https.lin.err" || rc_lin=$?
win imds.exe --endpoint "$tls_url" --secure --cacert "$win_data\\ca.pem" instance \
  >"$run/out/https.win.out" 2>"$run/out/https.win.err" || rc_win=$?
if [ "$rc_win" = 0 ] && [ "$rc_lin" = 0 ] && cmp -s "$run/out/https.lin.out" "$run/out/https.win.out"; then
  same=$((same + 1))
  pass "https instance: exit 0, byte for byte as on Linux"
else
  flop "https instance: exit $rc_win (Linux $rc_lin): $(head -c 300 "$run/out/https.win.err")"
fi
rc_lin=0 rc_win=0
lin imds --endpoint "https://127.0.0.1:$tls_port" --cacert "$root/tests/data/ca.pem" keys --field name \
  >"$run/out/https-ip.lin.out" 2>&1 || rc_lin=$?
win imds.exe --endpoint "https://127.0.0.1:$tls_port" --cacert "$win_data\\ca.pem" keys --field name \
  >"$run/out/https-ip.win.out" 2>"$run/out/https-ip.win.err" || rc_win=$?
if [ "$rc_win" = 0 ] && cmp -s "$run/out/https-ip.lin.out" "$run/out/https-ip.win.out"; then
  same=$((same + 1))
  pass "https at 127.0.0.1 (the certificate's IP SAN): byte for byte as on Linux"
else
  flop "https at 127.0.0.1: exit $rc_win (Linux $rc_lin): $(head -c 300 "$run/out/https-ip.win.err")"
fi

step "exit codes of the failure classes"
code usage 2 "${e[@]}" --timeout soon instance
code usage-endpoint 2 --endpoint "" instance
code not-found-key 3 "${e[@]}" keys no-such-key
code not-found-path 3 "${e[@]}" get no_such_collection
# Port 1 on 127.0.0.1: nothing listens in this namespace.
code refused-connection 4 --endpoint http://127.0.0.1:1 instance
code untrusted-certificate 4 --endpoint "$tls_url" --secure instance
code tls-to-http 4 --endpoint "http://localhost:$tls_port" instance
mock --hang
hang_url=$mock_url
code no-answer 4 --endpoint "$hang_url" --timeout 1s instance
mock --fail 403
forbidden_url=$mock_url
code forbidden 5 --endpoint "$forbidden_url" instance
code field-not-found 6 "${e[@]}" instance --field no_such_field
mock --truncate
truncate_url=$mock_url
code truncated 7 --endpoint "$truncate_url" instance
mock --fail 503 --retry-after 10
unavailable_url=$mock_url
code unavailable 7 --endpoint "$unavailable_url" keys
code no-cacert-file 2 "${e[@]}" --cacert @RUN@no-such.pem instance
code cacert-not-pem 2 "${e[@]}" --cacert @DATA@README.md instance

step "colour"
# stdout is a file here, no console: `always` colours all the same, `auto` does not.
both color-always "${e[@]}" --color always instance
if ! grep -q $'\e\[' "$run/out/color-always.lin.out"; then
  flop "--color always: no colour on Linux either"
elif [ "$rc_win" = 0 ] && cmp -s "$run/out/color-always.lin.out" "$run/out/color-always.win.out"; then
  same=$((same + 1))
  pass "--color always: ANSI colour into a file, byte for byte as on Linux"
else
  flop "--color always: exit $rc_win, $(cmp "$run/out/color-always.lin.out" "$run/out/color-always.win.out" 2>&1 | head -n 1)"
fi
same color-always-compact "${e[@]}" --color always -c keys
same color-auto "${e[@]}" --color auto instance

step "imds-mock.exe under Wine"
log=$run/out/mock-exe
win imds-mock.exe -q --port 0 --ca-out "$win_run\\mock-exe-ca.pem" >"$log.url" 2>"$log.err" &
mocks+=($!)
for _ in $(seq 300); do [ -s "$log.url" ] && break; sleep 0.1; done
win_url=$(head -n 1 "$log.url" 2>/dev/null || true)
if [ -z "$win_url" ]; then
  flop "imds-mock.exe printed no URL: $(head -c 300 "$log.err")"
else
  for what in instance keys placement-groups snapshot; do
    if lin imds --endpoint "$win_url" "$what" >"$run/out/mock-exe-$what.out" 2>"$run/out/mock-exe-$what.err" &&
      cmp -s "$run/out/mock-exe-$what.out" "$run/out/$what.lin.out"; then
      same=$((same + 1))
      pass "Linux imds $what against imds-mock.exe: byte for byte as against the Linux imds-mock"
    else
      flop "Linux imds $what against imds-mock.exe: $(head -c 300 "$run/out/mock-exe-$what.err")"
    fi
  done
  # Its certificate authority: the chain it signs verifies against the root --ca-out wrote.
  if lin imds --endpoint "$win_url" cert --key-type ec-p256 --key-out "$run/out/mock-exe-cert.key" \
    >"$run/out/mock-exe-cert.out" 2>"$run/out/mock-exe-cert.err" &&
    awk '/BEGIN CERTIFICATE/ {n++} n == 1' "$run/out/mock-exe-cert.out" >"$run/out/mock-exe-leaf.pem" &&
    openssl verify -CAfile "$run/mock-exe-ca.pem" -untrusted "$run/out/mock-exe-cert.out" \
      "$run/out/mock-exe-leaf.pem" >/dev/null 2>&1; then
    pass "Linux imds cert against imds-mock.exe: the chain verifies against its --ca-out root"
  else
    flop "Linux imds cert against imds-mock.exe: $(head -c 300 "$run/out/mock-exe-cert.err")"
  fi
  if grep -q $'\r' "$run/mock-exe-ca.pem" "$run/out/mock-exe-cert.out"; then
    flop "imds-mock.exe --ca-out or its certificate chain has CR characters"
  elif grep -q -x -e '-----BEGIN CERTIFICATE-----' "$run/mock-exe-ca.pem"; then
    pass "imds-mock.exe --ca-out and its certificate chains: PEM with LF line ends, as on Linux"
  else
    flop "imds-mock.exe --ca-out: no PEM certificate: $(head -c 100 "$run/mock-exe-ca.pem")"
  fi
fi
# WINDOWS.md's try-it line: imds-mock.exe runs imds.exe against itself.
win imds-mock.exe -q -- imds.exe keys --field public_key >"$run/out/exec.win.out" 2>"$run/out/exec.win.err" && rc=0 || rc=$?
if [ "$rc" = 0 ] && cmp -s "$run/out/exec.win.out" "$run/out/keys-public_key.lin.out"; then
  pass "imds-mock.exe -q -- imds.exe keys --field public_key: the keys, exit 0"
else
  flop "imds-mock.exe -- imds.exe: exit $rc: $(head -c 300 "$run/out/exec.win.err")"
fi
win imds-mock.exe -q -- imds.exe instance --field no_such_field >/dev/null 2>&1 && rc=0 || rc=$?
if [ "$rc" = 6 ]; then
  pass "imds-mock.exe -- CMD exits with CMD's status (6)"
else
  flop "imds-mock.exe -- CMD: exit $rc, want 6"
fi

step "unit tests under Wine (dist/windows.sh built them)"
# The unit tests of the library, the emulator and the command line, each run where cargo test
# would run it (its package's directory). libtest's last line gives the counts.
[ -s "$work/tests.list" ] || fail "no $work/tests.list: run dist/windows.sh first"
units=()
unit_passed=0 unit_failed=0 unit_ignored=0
while read -r kind target dir exe; do
  [ "$kind" = lib ] || continue
  log=$run/out/unit-$target
  wine_in 900 "$dir" "$exe" --color never </dev/null >"$log.out" 2>"$log.err" && rc=0 || rc=$?
  counts=$(sed -n -E 's/^test result: [A-Za-z]+\. ([0-9]+) passed; ([0-9]+) failed; ([0-9]+) ignored;.*/\1 \2 \3/p' "$log.out" | tail -n 1)
  if [ -z "$counts" ]; then
    flop "$target unit tests: exit $rc, no result line: $(tail -c 300 "$log.err")"
    continue
  fi
  read -r p f i <<<"$counts"
  unit_passed=$((unit_passed + p)) unit_failed=$((unit_failed + f)) unit_ignored=$((unit_ignored + i))
  units+=("$target: $p passed, $f failed, $i ignored")
  if [ "$rc" = 0 ] && [ "$f" = 0 ]; then
    pass "$target unit tests: $p passed, $i ignored"
  else
    flop "$target unit tests: exit $rc, $f failed: $(grep -E '^test .* FAILED$' "$log.out" | cut -c 6- | tr '\n' ' ' | head -c 600)"
  fi
done <"$work/tests.list"
[ ${#units[@]} -ge 3 ] || flop "unit tests: ${#units[@]} test executables of libraries in $work/tests.list, want 3"

step "done"
echo "$same outputs byte for byte as the Linux build's"
echo "unit tests under Wine: $unit_passed passed, $unit_failed failed, $unit_ignored ignored"
printf '  %s\n' "${units[@]}"
if [ ${#expected[@]} -gt 0 ]; then
  echo "expected differences from Linux (${#expected[@]}):"
  printf '  %s\n' "${expected[@]}"
fi
echo "windows: $passed passed, $failed failed"
[ "$failed" = 0 ]
