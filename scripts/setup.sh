#!/usr/bin/env bash
# Installs what the profiler, its demos and its tests need, when it is missing. Idempotent.
#   libunwind-dev   libunwind (completes stacks through code without frame pointers)
#   libdw-dev       elfutils libdw (ELF symbol tables and DWARF line tables)
#   zlib1g-dev      gzip for pprof reports
#   chromium        the html report is tested in a real headless browser
#   golang-go       `go tool pprof` reads the pprof reports in tests
#   curl            scripts/demo.sh fetches a profiled request
#   wrk             scripts/loadtest.sh drives the load
#   gdb             scripts/loadtest.sh reads the server's live heap (malloc_stats)
#   python: protobuf + grpcio-tools (pprof decoding)
set -euo pipefail

sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi

packages=(libunwind-dev libdw-dev zlib1g-dev chromium golang-go curl wrk gdb)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python_modules=(google.protobuf grpc_tools)
python_packages=(protobuf grpcio-tools)
wanted=()
for i in "${!python_modules[@]}"; do
  python3 -c "import ${python_modules[$i]}" 2>/dev/null || wanted+=("${python_packages[$i]}")
done
if [ ${#wanted[@]} -gt 0 ]; then
  echo "setup: pip installing ${wanted[*]}"
  python3 -m pip install --quiet "${wanted[@]}"
fi
