#!/usr/bin/env bash
# Checks what dist/build.sh made: the checksums, the README's try-it line run with the portable
# binaries from the tarball, and the files the .deb (dpkg-deb -c) and the .rpm (rpm -qlp) hold
# against the list below. Needs dpkg-deb and rpm (Debian's `rpm` package).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
out=$root/target/dist
fail() { echo "dist/check.sh: $*" >&2; exit 1; }

(cd "$out" && sha256sum -c SHA256SUMS) || fail "SHA256SUMS does not match"

# The tarball, unpacked as a user would.
name=imds-$version-x86_64-linux
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xzf "$out/$name.tar.gz" -C "$work"
for f in imds imds-mock README.md LICENSE-MIT LICENSE-APACHE THIRD-PARTY-LICENSES \
  man/imds.1 man/imds-mock.1 completions/imds.bash completions/imds-mock.fish; do
  [ -e "$work/$name/$f" ] || fail "the tarball has no $f"
done
grep -q 'EPL-2.0' "$work/$name/THIRD-PARTY-LICENSES" || fail "THIRD-PARTY-LICENSES has no EPL-2.0 text"

# The README's try-it line, `cargo run -q --bin X --` made the binary X.
try_it=$(grep -m 1 '^cargo run -q --bin imds-mock ' README.md) || fail "no try-it line in README.md"
line=$(printf '%s\n' "$try_it" | sed 's/cargo run -q --bin \([a-z-]*\) --/\1/g')
echo "try-it: $line"
keys=$(cd "$work" && env -i PATH="$work/$name:/usr/bin:/bin" sh -c "$line")
printf '%s\n' "$keys"
printf '%s\n' "$keys" | grep -q '^ssh-' || fail "the try-it line printed no SSH key"
"$work/$name/imds" --version | grep -q "^imds $version (x86_64-unknown-linux-gnu; features: tls, mock)$" ||
  fail "imds --version: $("$work/$name/imds" --version)"

# The files each package installs: both binaries, every man page, the completions at the
# distribution's paths, the README and the licence texts.
expected() {
  local zsh=$1 man_suffix=$2
  printf '%s\n' /usr/bin/imds /usr/bin/imds-mock
  for page in man/*.1; do
    printf '/usr/share/man/man1/%s%s\n' "${page#man/}" "$man_suffix"
  done
  printf '/usr/share/bash-completion/completions/%s\n' imds imds-mock
  printf '%s/%s\n' "$zsh" _imds "$zsh" _imds-mock
  printf '/usr/share/fish/vendor_completions.d/%s\n' imds.fish imds-mock.fish
  printf '/usr/share/doc/imds/%s\n' README.md LICENSE-MIT LICENSE-APACHE THIRD-PARTY-LICENSES
}
compare() {
  local what=$1 want=$2 got=$3
  if ! diff -u <(sort <<<"$want") <(sort <<<"$got"); then
    fail "$what holds other files than expected (- expected, + found)"
  fi
  echo "$what: $(wc -l <<<"$got") files as expected"
}

deb=$out/imds_${version}_amd64.deb
# cargo-deb compresses man pages and adds Debian's copyright file.
deb_files=$(dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' | grep -v '/$')
compare "$deb" "$(expected /usr/share/zsh/vendor-completions .gz; echo /usr/share/doc/imds/copyright)" "$deb_files"
dpkg-deb -f "$deb" Package Version Architecture Maintainer Depends Description

rpm=$out/imds-$version-1.x86_64.rpm
rpm_files=$(rpm -qlp "$rpm" 2>/dev/null)
compare "$rpm" "$(expected /usr/share/zsh/site-functions '')" "$rpm_files"
rpm -qip "$rpm" 2>/dev/null | grep -E '^(Name|Version|Release|Architecture|License|Summary|URL|Packager|Vendor) '
echo "dist/check.sh: all checks passed"
