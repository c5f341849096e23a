#!/usr/bin/env bash
# Unpacks one Debian bookworm source package into DEST, for sources the Wasm build compiles itself
# (Dear ImGui, simdjson): never committed, never from anywhere but Debian. Uses a private apt
# configuration under DEST's parent: nothing in /etc/apt changes, no root needed, and the mirror is
# read from this machine's own apt sources (no host in the repo). Does nothing when DEST already
# holds FILE.
#   emsdk-config/fetch-debian-source.sh PACKAGE VERSION DEST FILE
#   e.g. emsdk-config/fetch-debian-source.sh imgui 1.86+ds-1 build/x/_deps/imgui imgui.cpp
set -euo pipefail
package="$1" version="$2" dest="$3" file="$4"
[[ -f "$dest/$file" ]] && exit 0
me="fetch-debian-source($package)"

for tool in apt-get dpkg-source; do
  command -v "$tool" >/dev/null || { echo "$me: '$tool' not found; install package dpkg-dev" >&2; exit 1; }
done
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[[ -f "$keyring" ]] || { echo "$me: $keyring missing; install package debian-archive-keyring" >&2; exit 1; }

# The first Debian mirror configured for bookworm (deb822 .sources files, then one-line lists).
mirror=""
for f in /etc/apt/sources.list.d/*.sources; do
  [[ -f "$f" ]] || continue
  mirror=$(awk 'BEGIN{RS="";FS="\n"} /Suites:[^\n]*bookworm([ \n]|$)/ && !/debian-security/ {
             for (i=1;i<=NF;i++) if ($i ~ /^URIs:/) { split($i,a," "); print a[2]; exit } }' "$f")
  [[ -n "$mirror" ]] && break
done
if [[ -z "$mirror" ]]; then
  mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
           awk '$1=="deb" && $0 ~ / bookworm / && $0 !~ /security/ { for(i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }')
fi
[[ -n "$mirror" ]] || { echo "$me: no Debian bookworm mirror found in /etc/apt" >&2; exit 1; }

work="$(dirname "$dest")/$package-apt"
rm -rf "$work" && mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/src"
echo "deb-src [signed-by=$keyring] $mirror bookworm main" > "$work/sources.list"
cat > "$work/apt.conf" <<CONF
Dir::Etc::sourcelist "$work/sources.list";
Dir::Etc::sourceparts "-";
Dir::State::Lists "$work/lists";
Dir::Cache "$work/cache";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Debug::NoLocking "true";
APT::Sandbox::User "$(id -un)";
#clear APT::Update::Pre-Invoke;
#clear APT::Update::Post-Invoke;
#clear APT::Update::Post-Invoke-Success;
CONF
echo "$me: downloading Debian source package $package=$version"
apt-get -c "$work/apt.conf" -qq update
(cd "$work/src" && apt-get -c "$work/apt.conf" -qq source --download-only "$package=$version" >/dev/null)
rm -rf "$dest"
dpkg-source -x "$work/src/${package}_${version#*:}.dsc" "$dest" >/dev/null 2>&1 ||
  { echo "$me: dpkg-source failed to unpack ${package}_${version#*:}.dsc" >&2; exit 1; }
[[ -f "$dest/$file" ]] || { echo "$me: unpacked sources lack $file" >&2; exit 1; }
rm -rf "$work"
