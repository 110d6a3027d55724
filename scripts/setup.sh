#!/usr/bin/env bash
# Installs the system packages the profiler and its tests need, when they are missing:
#   libunwind-dev  libunwind (completes stacks through code without frame pointers)
#   libdw-dev      elfutils libdw (symbol tables and DWARF line tables)
# Idempotent; uses apt-get (run as root, or with sudo available).
set -euo pipefail

packages=(libunwind-dev libdw-dev)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  echo "setup: installing ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
