#!/usr/bin/env bash
# Installs what wirecheck needs from Debian packages (and npm, for the browser tests).
#   emsdk-config/setup.sh serve   # build + serve the playground
#   emsdk-config/setup.sh test    # everything the test command needs
# Idempotent and quiet when all is present; runs `apt-get update` once, only when it must install.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
what="${1:-test}"

build_pkgs=(cmake ninja-build g++ pkg-config nlohmann-json3-dev libcli11-dev libcpp-httplib-dev
            libcurl4-openssl-dev zlib1g-dev libsimdjson-dev libimgui-dev googletest libgtest-dev libgmock-dev)
wasm_pkgs=(emscripten nodejs dpkg-dev debian-archive-keyring python3-fonttools fonts-inter
           fonts-jetbrains-mono fonts-wqy-microhei)
# clang + its runtime libraries: the native-asan preset (ASan, UBSan, LeakSanitizer, libFuzzer).
test_pkgs=(googletest libgtest-dev libgmock-dev libbenchmark-dev chromium npm clang libclang-rt-14-dev)

case "$what" in
  serve) wanted=("${build_pkgs[@]}" "${wasm_pkgs[@]}") ;;
  test) wanted=("${build_pkgs[@]}" "${wasm_pkgs[@]}" "${test_pkgs[@]}") ;;
  *) echo "usage: $0 serve|test" >&2; exit 2 ;;
esac

missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
# The machine may ship its own node and npm outside Debian's packages: accept those.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for pkg in "${missing[@]}"; do [[ "$pkg" == nodejs || "$pkg" == npm ]] || filtered+=("$pkg"); done
  missing=("${filtered[@]}")
fi

if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null; then sudo=(sudo); else
      echo "setup: missing packages and not root; run: apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ "$what" == test ]]; then
  # playwright-core drives Debian's chromium; it never downloads a browser of its own.
  e2e="$root/tests/e2e"
  if [[ ! -d "$e2e/node_modules/playwright-core" || "$e2e/package-lock.json" -nt "$e2e/node_modules" ]]; then
    echo "setup: installing npm packages for the browser tests"
    (cd "$e2e" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    touch "$e2e/node_modules"
  fi
fi
