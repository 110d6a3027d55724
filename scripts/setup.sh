#!/usr/bin/env bash
# Installs what the profiler, its demos and its tests need, when it is missing. Idempotent:
# prints nothing and installs nothing when everything is there. Fails only when what the build
# and the demo need cannot be installed; a tool that only tests use is reported and skipped.
#   libunwind-dev   libunwind (completes stacks through code without frame pointers)
#   libdw-dev       elfutils libdw (ELF symbol tables and DWARF line tables)
#   zlib1g-dev      gzip for pprof reports
#   gcc, binutils   /usr/bin/cc and /usr/bin/objcopy build the tests' shared-library fixtures
#                   (Tests/RequestProfilerTests/SharedLibraryFixture.swift)
#   chromium        the html report is tested in a real headless browser
#   golang-go       `go tool pprof` reads the pprof reports in tests
#   curl            scripts/demo.sh fetches a profiled request
#   wrk             scripts/loadtest.sh drives the load
#   gdb             scripts/loadtest.sh reads the server's live heap (malloc_stats)
#   python3 with google.protobuf and grpc_tools.protoc (the tests decode pprof reports): for
#                   Debian's own python3 (apt-managed, e.g. /usr/bin/python3) the packages
#                   python3-protobuf and python3-grpc-tools; for any other python3 on PATH
#                   (pyenv, a venv) protobuf and grpcio-tools from pip
set -euo pipefail

sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi

apt_updated=""
apt_install() {
    if [ -n "$sudo_cmd" ] && ! command -v sudo >/dev/null; then
        echo "setup: $* must be installed (apt), which needs root: run this script as root, or install sudo" >&2
        return 1
    fi
    echo "setup: installing $* (apt)"
    if [ -z "$apt_updated" ]; then $sudo_cmd apt-get update -qq; apt_updated=1; fi
    $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# What the build and the demo need: without these nothing works, so a failure stops here.
packages=(libunwind-dev libdw-dev zlib1g-dev gcc binutils curl)
# What only some tests and scripts use. Installed apart, one by one if need be: a package this
# distribution does not have (Ubuntu ships chromium as a snap, not a package) must not keep the
# build's packages above, or the others here, from being installed. The tests that need a
# missing tool fail with the command that installs it.
tool_packages=(chromium golang-go wrk gdb)
# No python3 at all (a minimal Debian or Ubuntu image): Debian's, whose modules come from apt below.
command -v python3 >/dev/null || packages+=(python3)
missing_packages() {
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || echo "$package"
    done
}
mapfile -t missing < <(missing_packages "${packages[@]}")
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
mapfile -t missing < <(missing_packages "${tool_packages[@]}")
if [ ${#missing[@]} -gt 0 ] && ! apt_install "${missing[@]}"; then
    for package in "${missing[@]}"; do
        apt_install "$package" 2>/dev/null || echo "setup: could not install $package (apt); the tests that use it will fail and say how to install it" >&2
    done
fi

# The tests run `python3` from PATH: the modules must be importable by that one.
if ! command -v python3 >/dev/null; then
    echo "setup: no python3 on PATH (the tests run it to decode pprof reports)" >&2
    exit 1
fi
python_modules=(google.protobuf grpc_tools.protoc)
debian_packages=(python3-protobuf python3-grpc-tools)
pip_packages=(protobuf grpcio-tools)
missing_modules() {  # prints the indexes of the modules python3 cannot import
    for i in "${!python_modules[@]}"; do
        python3 -c "import ${python_modules[$i]}" >/dev/null 2>&1 || echo "$i"
    done
}
# Debian's (or Ubuntu's) own python3: not a venv, and its executable belongs to a package. pip
# refuses to install into it ("externally-managed-environment"), or is not there at all.
python_is_debians() {
    local executable
    executable="$(python3 -c 'import sys; print(sys.executable if sys.prefix == sys.base_prefix else "")' 2>/dev/null)" || return 1
    [ -n "$executable" ] && dpkg-query -S "$(readlink -f "$executable")" >/dev/null 2>&1
}

mapfile -t wanted < <(missing_modules)
if [ ${#wanted[@]} -gt 0 ]; then
    install=()
    if python_is_debians; then
        for i in "${wanted[@]}"; do install+=("${debian_packages[$i]}"); done
        # Only tests need them: a failure is reported below, and the demo still runs.
        apt_install "${install[@]}" || echo "setup: apt-get install ${install[*]} failed" >&2
    else
        for i in "${wanted[@]}"; do install+=("${pip_packages[$i]}"); done
        echo "setup: installing ${install[*]} (pip, into $(command -v python3))"
        python3 -m pip install --quiet "${install[@]}" || echo "setup: pip install ${install[*]} failed" >&2
    fi
    mapfile -t still < <(missing_modules)
    if [ ${#still[@]} -gt 0 ]; then
        echo "setup: $(command -v python3) cannot import what the tests need to decode pprof reports:" >&2
        for i in "${still[@]}"; do
            echo "  ${python_modules[$i]}: install ${debian_packages[$i]} (apt, Debian's python3) or ${pip_packages[$i]} (pip, any other) for that python3" >&2
        done
        echo "setup: the demo does not need them; the pprof tests will fail until they are there" >&2
    fi
fi
