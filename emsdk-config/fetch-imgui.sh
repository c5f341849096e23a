#!/usr/bin/env bash
# Puts Dear ImGui 1.86's sources (Debian source package imgui 1.86+ds-1) into DEST for the Wasm
# build. Uses a private apt configuration under DEST's parent: nothing in /etc/apt changes, no
# root needed, and the mirror is read from this machine's own apt sources (no host in the repo).
#   emsdk-config/fetch-imgui.sh DEST
set -euo pipefail
dest="$1"
version="1.86+ds-1"
[[ -f "$dest/imgui.cpp" && -f "$dest/backends/imgui_impl_opengl3.cpp" ]] && exit 0

for tool in apt-get dpkg-source; do
  command -v "$tool" >/dev/null || { echo "fetch-imgui: '$tool' not found; install package dpkg-dev" >&2; exit 1; }
done
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[[ -f "$keyring" ]] || { echo "fetch-imgui: $keyring missing; install package debian-archive-keyring" >&2; exit 1; }

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
[[ -n "$mirror" ]] || { echo "fetch-imgui: no Debian bookworm mirror found in /etc/apt" >&2; exit 1; }

work="$(dirname "$dest")/imgui-apt"
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
echo "fetch-imgui: downloading Debian source package imgui=$version"
apt-get -c "$work/apt.conf" -qq update
(cd "$work/src" && apt-get -c "$work/apt.conf" -qq source --download-only "imgui=$version" >/dev/null)
rm -rf "$dest"
dpkg-source -x "$work/src/imgui_${version}.dsc" "$dest" >/dev/null 2>&1 ||
  { echo "fetch-imgui: dpkg-source failed to unpack imgui_${version}.dsc" >&2; exit 1; }
[[ -f "$dest/imgui.cpp" ]] || { echo "fetch-imgui: unpacked sources lack imgui.cpp" >&2; exit 1; }
rm -rf "$work"
