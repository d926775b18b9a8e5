#!/usr/bin/env bash
# The release: portable x86_64 Linux binaries (glibc 2.17 or later) and, from them, into
# target/dist/:
#   imds-VERSION-x86_64-linux.tar.gz   binaries, man/, completions/, README, licences
#   imds_VERSION_amd64.deb             (cargo-deb)
#   imds-VERSION-1.x86_64.rpm          (cargo-generate-rpm)
#   SHA256SUMS
# From a fresh clone: installs what it needs from the package registries (zig and
# cargo-zigbuild into a Python virtual environment under target/, the cargo tools with
# `cargo install`, reused when the pinned version is already there) and fails when a binary
# needs a glibc newer than 2.17.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

# Pinned tool versions: a new one is a reviewed change.
ZIGBUILD_VERSION=0.24.1
ZIGLANG_VERSION=0.17.1
CARGO_DEB_VERSION=3.8.0
CARGO_GENERATE_RPM_VERSION=0.21.1
CARGO_ABOUT_VERSION=0.9.3

TRIPLE=x86_64-unknown-linux-gnu
GLIBC_CEILING=2.17

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
out=$root/target/dist
tools=$root/target/dist-tools
step() { printf '== %s (%ss)\n' "$1" "$SECONDS"; }

step "tools"
for tool in objdump python3; do
  command -v "$tool" >/dev/null || { echo "dist/build.sh: needs $tool" >&2; exit 1; }
done
if [ ! -x "$tools/venv/bin/cargo-zigbuild" ] || ! "$tools/venv/bin/python" -m ziglang version >/dev/null 2>&1; then
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install --quiet --disable-pip-version-check \
    "cargo-zigbuild==$ZIGBUILD_VERSION" "ziglang==$ZIGLANG_VERSION"
fi
# cargo-zigbuild runs zig as `python -m ziglang` when no `zig` is on PATH.
export PATH=$tools/venv/bin:$PATH

# cargo install TOOL VERSION [ARGS…], unless `cargo TOOL --version` already says VERSION.
cargo_tool() {
  local name=$1 want=$2
  shift 2
  if cargo "${name#cargo-}" --version 2>/dev/null | grep -q -F "$want"; then
    return
  fi
  cargo install --locked --quiet "$name@$want" "$@"
}
cargo_tool cargo-deb "$CARGO_DEB_VERSION"
cargo_tool cargo-generate-rpm "$CARGO_GENERATE_RPM_VERSION"
cargo_tool cargo-about "$CARGO_ABOUT_VERSION" --features cli

step "portable binaries ($TRIPLE, glibc $GLIBC_CEILING)"
cargo zigbuild --locked --release --target "$TRIPLE.$GLIBC_CEILING" --bins
bin=$root/target/$TRIPLE/release
for b in imds imds-mock; do
  needed=$(objdump -T "$bin/$b" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -n 1)
  if [ -z "$needed" ]; then
    echo "dist/build.sh: $b has no GLIBC_ symbol versions: not a glibc binary?" >&2
    exit 1
  fi
  highest=$(printf '%s\n%s\n' "$needed" "$GLIBC_CEILING" | sort -V | tail -n 1)
  if [ "$highest" != "$GLIBC_CEILING" ]; then
    echo "dist/build.sh: $b needs GLIBC_$needed, above the $GLIBC_CEILING ceiling" >&2
    exit 1
  fi
  echo "$b: highest GLIBC_ symbol version $needed (ceiling $GLIBC_CEILING)"
done

step "third-party licences"
# Regenerated from Cargo.lock on every release; the committed copy is refreshed with it.
cargo about generate --locked --fail -c about.toml dist/about.hbs -o THIRD-PARTY-LICENSES.new
if ! cmp -s THIRD-PARTY-LICENSES.new THIRD-PARTY-LICENSES 2>/dev/null; then
  echo "note: THIRD-PARTY-LICENSES changed with Cargo.lock: commit the new copy"
fi
mv THIRD-PARTY-LICENSES.new THIRD-PARTY-LICENSES

rm -rf "$out"
mkdir -p "$out"

step "tarball"
name=imds-$version-x86_64-linux
stage=$root/target/dist-stage/$name
rm -rf "$stage"
mkdir -p "$stage"
install -m 755 "$bin/imds" "$bin/imds-mock" "$stage/"
cp -r man completions "$stage/"
install -m 644 README.md LICENSE-MIT LICENSE-APACHE THIRD-PARTY-LICENSES "$stage/"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='@0' \
  -C "$root/target/dist-stage" -czf "$out/$name.tar.gz" "$name"

step "deb"
cargo deb --no-build --no-strip --target "$TRIPLE" --output "$out/imds_${version}_amd64.deb"

step "rpm"
cargo generate-rpm --target "$TRIPLE" --output "$out/imds-$version-1.x86_64.rpm"

step "SHA256SUMS"
(cd "$out" && sha256sum -- *.tar.gz *.deb *.rpm > SHA256SUMS && sha256sum -c --quiet SHA256SUMS)
ls -l "$out"
step "done"
