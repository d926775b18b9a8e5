#!/usr/bin/env bash
# The Windows release: imds.exe and imds-mock.exe for x86_64-pc-windows-gnu and, from them,
#   target/dist/imds-VERSION-x86_64-windows.zip   both executables, README, licences,
#                                                  PowerShell completions, WINDOWS.md
# with its line added to target/dist/SHA256SUMS (dist/build.sh writes the file afresh).
#
# rustup has no Windows standard library to fetch here and no Debian suite ships one prebuilt,
# so std is built from source (-Zbuild-std) with Debian sid's rustc, cargo and rust-src, which
# are one version, and sid's MinGW-w64 GCC as the linker: all in a minimal sid userland that
# debootstrap installs under target/windows/chroot from the Debian mirror apt uses here. The
# crates (the project's and std's own) are vendored on this host first, since cargo in the
# chroot does not reach the registry. Fails when an executable imports a DLL that Windows
# Server 2016 does not ship. It also builds every test target for Windows (dev profile), whose
# unit tests dist/windows-test.sh runs. Everything it makes stays under target/windows: from a
# fresh clone, 13 minutes on two busy cores (the userland 2, the executables 5, the test
# executables 5) and 6.5 GB; with nothing changed, seconds. Needs root (debootstrap, chroot,
# unshare).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

TRIPLE=x86_64-pc-windows-gnu
SUITE=sid
# What the chroot holds: the Rust toolchain and std's source, MinGW-w64 (linker, objdump) and
# Wine (dist/windows-test.sh runs the executables with it).
PACKAGES=(rustc cargo rust-src gcc-mingw-w64-x86-64-posix binutils-mingw-w64-x86-64 wine64)
# The same cargo-about as dist/build.sh: the licence texts of the crates built for Windows.
CARGO_ABOUT_VERSION=0.9.3

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
out=$root/target/dist
work=$root/target/windows
jail=$work/chroot
# The repository appears at /src inside the chroot; these are the same directories as seen
# from there.
jail_work=/src/target/windows
step() { printf '== %s (%ss)\n' "$1" "$SECONDS"; }
fail() { echo "dist/windows.sh: $*" >&2; exit 1; }

step "tools"
[ "$(id -u)" = 0 ] || fail "needs root (debootstrap, chroot, unshare)"
for tool in cargo python3 sha256sum unshare chroot mount; do
  command -v "$tool" >/dev/null || fail "needs $tool"
done
command -v debootstrap >/dev/null || {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq debootstrap
}
# cargo install TOOL VERSION [ARGS…], unless `cargo TOOL --version` already says VERSION.
if ! cargo about --version 2>/dev/null | grep -q -F "$CARGO_ABOUT_VERSION"; then
  echo "installing cargo-about $CARGO_ABOUT_VERSION (cargo install)"
  cargo install --locked --quiet "cargo-about@$CARGO_ABOUT_VERSION" --features cli
fi

# The mirror apt is configured with (deb822 .sources first, then sources.list).
mirror=$(grep -h -E '^URIs: .*/debian/?$' /etc/apt/sources.list.d/*.sources 2>/dev/null |
  awk '{print $2; exit}')
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $2 ~ /\/debian\/?$/ {print $2; exit}' \
  /etc/apt/sources.list 2>/dev/null || true)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian

# Runs a shell command in the chroot, in a mount namespace of its own: /proc, /dev and the
# repository (at /src) are mounted there and go away with the namespace, whatever happens.
in_jail() {
  # shellcheck disable=SC2016 # expanded by the inner shell
  unshare -m --propagation private sh -c '
    set -e
    jail=$1 root=$2 cmd=$3
    mount -t proc proc "$jail/proc"
    mount --rbind /dev "$jail/dev"
    mkdir -p "$jail/src"
    mount --bind "$root" "$jail/src"
    exec chroot "$jail" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root \
      LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive /bin/sh -c "$cmd"
  ' in_jail "$jail" "$root" "$1"
}

step "Debian $SUITE userland ($jail)"
if [ ! -e "$jail/.debootstrap-done" ]; then
  rm -rf "$jail"
  mkdir -p "$work"
  debootstrap --variant=minbase "$SUITE" "$jail" "$mirror"
  touch "$jail/.debootstrap-done"
fi
# The mirror's Release files may be past their Valid-Until: the chroot's apt takes them as
# this host's does (/etc/apt/apt.conf.d/).
printf 'Acquire::Check-Valid-Until "false";\n' >"$jail/etc/apt/apt.conf.d/99imds-valid-until"
# A minimal debootstrap has no /etc/hosts; the tests reach the emulator as localhost.
[ -f "$jail/etc/hosts" ] || printf '127.0.0.1 localhost\n::1 localhost ip6-localhost\n' >"$jail/etc/hosts"
if [ "$(cat "$jail/.packages" 2>/dev/null)" != "${PACKAGES[*]}" ]; then
  in_jail "apt-get update -qq && apt-get install -y -qq --no-install-recommends ${PACKAGES[*]} >/dev/null && apt-get clean"
  printf '%s' "${PACKAGES[*]}" >"$jail/.packages"
fi
# rustc, cargo and rust-src must be one version: -Zbuild-std builds rust-src's std with rustc.
# shellcheck disable=SC2016 # a dpkg-query format
versions=$(chroot "$jail" dpkg-query -W -f '${Version}\n' rustc cargo rust-src | sort -u)
[ "$(wc -l <<<"$versions")" = 1 ] ||
  fail "rustc, cargo and rust-src differ in $SUITE: $(tr '\n' ' ' <<<"$versions")"
echo "toolchain: $(chroot "$jail" rustc --version), $(chroot "$jail" x86_64-w64-mingw32-gcc --version | head -n 1)"
library=$jail/usr/lib/rustlib/src/rust/library

step "vendored crates (the project's and std's)"
# Redone only when either lock file changes.
stamp=$(cat Cargo.lock "$library/Cargo.lock" | sha256sum | cut -d ' ' -f 1)
if [ "$(cat "$work/vendor/.stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$work/vendor"
  # std's Cargo.toml asks for a nightly cargo feature (profile-rustflags).
  RUSTC_BOOTSTRAP=1 cargo vendor --locked --quiet --versioned-dirs \
    -s "$library/Cargo.toml" "$work/vendor" >/dev/null
  echo "$stamp" >"$work/vendor/.stamp"
fi
mkdir -p "$work/cargo-home"
cat >"$work/cargo-home/config.toml" <<EOF
[source.crates-io]
replace-with = "vendored-sources"

[source.vendored-sources]
directory = "$jail_work/vendor"
EOF
echo "$(find "$work/vendor" -mindepth 1 -maxdepth 1 -type d | wc -l) crates in $work/vendor"

# jail_cargo COMMAND ARGS…: cargo in the chroot, offline on the vendored crates, for $TRIPLE with
# std built from rust-src. The linker leaves out the build time it would stamp into each
# executable's header (and so into its checksum), so the same sources make the same bytes. A
# target-specific rustflags entry, which cargo adds to the repository's own
# (.cargo/config.toml); RUSTFLAGS would replace them.
jail_cargo() {
  in_jail "cd /src && RUSTC_BOOTSTRAP=1 CARGO_HOME=$jail_work/cargo-home \
    CARGO_TARGET_DIR=$jail_work/cargo-target CARGO_TERM_COLOR=never \
    CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS='-C link-arg=-Wl,--no-insert-timestamp' \
    cargo $* --locked --offline --target $TRIPLE -Zbuild-std=std,panic_abort"
}

step "executables ($TRIPLE, std from rust-src)"
jail_cargo build --release --bins
bin=$work/cargo-target/$TRIPLE/release

step "test executables ($TRIPLE, dev profile)"
# Every test target of the three packages compiles for Windows; dist/windows-test.sh runs the
# unit tests of the library (imds-client) and of the command line (imds) under Wine, from the
# list written here: one line per test executable, with its target's kind and name (`lib
# imds_client`), its package's directory (where cargo test would run it) and its path, both as
# the chroot sees them. The command-line tests (tests/cli) are built, not run: they start the
# binaries and use Unix tools throughout.
jail_cargo test --workspace --tests --no-run --message-format=json-render-diagnostics |
  python3 -c '
import json, os, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["profile"]["test"] and m.get("executable"):
        print(m["target"]["kind"][0], m["target"]["name"],
              os.path.dirname(m["manifest_path"]), m["executable"])
' >"$work/tests.list.new"
mv "$work/tests.list.new" "$work/tests.list"
sed 's/^/  /' "$work/tests.list"

step "imported DLLs (Windows Server 2016 and later)"
# The DLLs every Windows since Server 2016 (Windows 10 1607) has in System32, that a Rust
# program and its crates may import. Anything else (libgcc_s_seh-1.dll, libwinpthread-1.dll, a
# newer API set) would make the executable fail to start there.
SYSTEM_DLLS=(advapi32.dll bcrypt.dll bcryptprimitives.dll crypt32.dll kernel32.dll msvcrt.dll
  ncrypt.dll ntdll.dll ole32.dll oleaut32.dll secur32.dll shell32.dll user32.dll userenv.dll
  ws2_32.dll api-ms-win-core-synch-l1-2-0.dll)
for exe in imds.exe imds-mock.exe; do
  [ -f "$bin/$exe" ] || fail "no $bin/$exe"
  dlls=$(in_jail "x86_64-w64-mingw32-objdump -p $jail_work/cargo-target/$TRIPLE/release/$exe" |
    sed -n 's/^[[:space:]]*DLL Name: //p' | sort -uf)
  [ -n "$dlls" ] || fail "$exe imports no DLL: not a Windows executable?"
  for dll in $dlls; do
    printf '%s\n' "${SYSTEM_DLLS[@]}" | grep -q -i -x -F "$dll" ||
      fail "$exe imports $dll, which Windows Server 2016 does not ship"
  done
  echo "$exe ($(stat -c %s "$bin/$exe") bytes) imports: $(tr '\n' ' ' <<<"$dlls")"
done

step "third-party licences (the crates built for $TRIPLE)"
# about.toml with this target in place of the Linux one: the Windows build has crates of its own
# (windows-sys, schannel, …) and lacks some of Linux's.
# Redone only when the lock file, the configuration or the template changes.
sed "s/^targets = .*/targets = [\"$TRIPLE\"]/" about.toml >"$work/about.toml"
grep -q "^targets = \[\"$TRIPLE\"\]" "$work/about.toml" || fail "about.toml has no targets line"
stamp=$(cat Cargo.lock "$work/about.toml" dist/about.hbs | sha256sum | cut -d ' ' -f 1)
if [ "$(cat "$work/THIRD-PARTY-LICENSES.stamp" 2>/dev/null)" != "$stamp" ] ||
  [ ! -s "$work/THIRD-PARTY-LICENSES" ]; then
  cargo about generate --locked --fail -c "$work/about.toml" dist/about.hbs -o "$work/THIRD-PARTY-LICENSES"
  echo "$stamp" >"$work/THIRD-PARTY-LICENSES.stamp"
fi

step "zip"
name=imds-$version-x86_64-windows
stage=$work/stage/$name
rm -rf "$work/stage"
mkdir -p "$stage/completions"
install -m 755 "$bin/imds.exe" "$bin/imds-mock.exe" "$stage/"
install -m 644 README.md LICENSE-MIT LICENSE-APACHE dist/WINDOWS.md "$stage/"
install -m 644 "$work/THIRD-PARTY-LICENSES" "$stage/"
install -m 644 completions/_imds.ps1 completions/_imds-mock.ps1 "$stage/completions/"
mkdir -p "$out"
# The same bytes for the same files: names sorted, every time stamp 1980-01-01.
python3 - "$work/stage" "$name" "$out/$name.zip" <<'EOF'
import os, sys, zipfile
base, name, dest = sys.argv[1:]
paths = []
for top, dirs, files in os.walk(os.path.join(base, name)):
    paths += [os.path.join(top, f) for f in files]
with zipfile.ZipFile(dest + ".new", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for path in sorted(paths):
        info = zipfile.ZipInfo(os.path.relpath(path, base).replace(os.sep, "/"), (1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = (os.stat(path).st_mode & 0o777 | 0o100000) << 16
        with open(path, "rb") as f:
            z.writestr(info, f.read(), compresslevel=9)
os.replace(dest + ".new", dest)
EOF
python3 -m zipfile -l "$out/$name.zip"

step "SHA256SUMS"
# This zip's line replaces any earlier one; the other packages' lines stay as they are.
(
  cd "$out"
  { awk -v zip="$name.zip" '$2 != zip' SHA256SUMS 2>/dev/null || true; sha256sum -- "$name.zip"; } >SHA256SUMS.new
  mv SHA256SUMS.new SHA256SUMS
  sha256sum -c --quiet SHA256SUMS
)
ls -l "$out/$name.zip"
step "done"
