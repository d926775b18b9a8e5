#!/usr/bin/env bash
# Runs the portable binaries from the release tarball inside a Debian 11 (bullseye, glibc 2.31)
# userland: a minimal debootstrap into target/debian11, from the Debian mirror apt uses on this
# machine. Needs root (debootstrap, chroot) and dist/build.sh's target/dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
name=imds-$version-x86_64-linux
tarball=$root/target/dist/$name.tar.gz
jail=$root/target/debian11
fail() { echo "dist/check-debian11.sh: $*" >&2; exit 1; }

[ -f "$tarball" ] || fail "no $tarball: run dist/build.sh first"
command -v debootstrap >/dev/null || {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq debootstrap
}

# The mirror apt is configured with (deb822 .sources first, then sources.list).
mirror=$(grep -h -E '^URIs: .*/debian/?$' /etc/apt/sources.list.d/*.sources 2>/dev/null |
  awk '{print $2; exit}')
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $2 ~ /\/debian\/?$/ {print $2; exit}' \
  /etc/apt/sources.list 2>/dev/null || true)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian

if [ ! -x "$jail/usr/bin/ldd" ]; then
  rm -rf "$jail"
  debootstrap --variant=minbase bullseye "$jail" "$mirror"
fi

# A minimal debootstrap has no /etc/hosts; an installed system has one with localhost.
[ -f "$jail/etc/hosts" ] || printf '127.0.0.1 localhost\n::1 localhost ip6-localhost\n' >"$jail/etc/hosts"
rm -rf "${jail:?}/opt/$name"
tar -xzf "$tarball" -C "$jail/opt"
in_jail() { chroot "$jail" /usr/bin/env -i PATH="/opt/$name:/usr/bin:/bin" HOME=/root /bin/sh -c "$1"; }

echo "userland: $(in_jail '. /etc/os-release; echo "$PRETTY_NAME"'), $(in_jail 'ldd --version | head -n 1')"
in_jail 'imds --version'
try_it=$(grep -m 1 '^cargo run -q --bin imds-mock ' README.md) || fail "no try-it line in README.md"
line=$(printf '%s\n' "$try_it" | sed 's/cargo run -q --bin \([a-z-]*\) --/\1/g')
echo "try-it: $line"
keys=$(in_jail "cd /tmp && $line")
printf '%s\n' "$keys"
printf '%s\n' "$keys" | grep -q '^ssh-' || fail "the try-it line printed no SSH key"
in_jail 'imds-mock -q -- imds instance --field name --field zone.name' ||
  fail "imds instance failed"
# HTTPS at a host name: glibc's resolver (localhost, from /etc/hosts) and the TLS stack.
mkdir -p "$jail/opt/tls"
cp tests/data/server.pem tests/data/server.key tests/data/ca.pem "$jail/opt/tls/"
in_jail 'imds-mock -q --tls-cert /opt/tls/server.pem --tls-key /opt/tls/server.key -- \
  imds --cacert /opt/tls/ca.pem --secure instance --field id' || fail "imds --secure failed"
echo "dist/check-debian11.sh: the portable binaries run on Debian 11"
