# shellcheck shell=bash
# Sourced by scripts/demo.sh and scripts/soak.sh (and others): builds a demo server, starts it on
# 127.0.0.1:$port with profiling enabled, waits until it answers, and stops it on exit.
#
#   start_demo_server vapor|hummingbird PORT [VAR=value ...]     (extra environment for the server)
#
# DEMO_CONFIGURATION=release builds with -c release (default debug). The build runs under
# `flock $DEMO_BUILD_LOCK` (default /tmp/vapor-build.lock) when flock exists, so that scripts
# and builds sharing a machine do not compile Vapor side by side. DEMO_SKIP_BUILD=1 runs the
# binary built before as it is. BUILD_LOCK_HELD=1 says the caller already holds the lock.

start_demo_server() {
    local framework="$1" port="$2"
    shift 2
    local product
    case "$framework" in
        vapor) product=VaporDemo ;;
        hummingbird) product=HummingbirdDemo ;;
        *) echo "unknown framework '$framework': use vapor or hummingbird" >&2; return 2 ;;
    esac
    local configuration="${DEMO_CONFIGURATION:-debug}"
    local lock=()
    if command -v flock >/dev/null && [ -z "${BUILD_LOCK_HELD:-}" ]; then lock=(flock "${DEMO_BUILD_LOCK:-/tmp/vapor-build.lock}"); fi
    if [ -z "${DEMO_SKIP_BUILD:-}" ]; then
        echo "building $product ($configuration)..." >&2
        "${lock[@]}" swift build -c "$configuration" --product "$product" --quiet >&2
    fi
    local binary
    binary="$(swift build -c "$configuration" --product "$product" --show-bin-path)/$product"

    ensure_port_free "$port" || return 1
    demo_server_log="$(mktemp)"
    env PORT="$port" PROFILING_ENABLED=1 "$@" "$binary" >"$demo_server_log" 2>&1 &
    demo_server_pid=$!
    # A caller's own EXIT trap (faults.sh unmounts its folder there) is kept, not replaced; it
    # must stop the server itself.
    if [ -z "$(trap -p EXIT)" ]; then trap stop_demo_server EXIT; fi

    # Wait (at most 60 s) for the server to answer; give up early if it died.
    for _ in $(seq 1 120); do
        if curl -fs -o /dev/null "http://127.0.0.1:$port/" && kill -0 "$demo_server_pid" 2>/dev/null; then return 0; fi
        if ! kill -0 "$demo_server_pid" 2>/dev/null; then
            echo "$product exited before answering:" >&2
            cat "$demo_server_log" >&2
            return 1
        fi
        sleep 0.5
    done
    echo "$product did not answer within 60 s" >&2
    return 1
}

# Something already listening on 127.0.0.1:PORT would pass a readiness check while the new
# server fails to bind: the script would then measure the wrong server. Also sourced by
# scripts/bench-metrics.sh.
#
#   ensure_port_free PORT
ensure_port_free() {
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
        echo "port $1 is already in use by another server: stop it or choose another port" >&2
        return 1
    fi
}

# Safe before start_demo_server ran (a caller's EXIT trap after a failed build, under set -u).
stop_demo_server() {
    if [ -n "${demo_server_pid:-}" ]; then
        kill "$demo_server_pid" 2>/dev/null || true
        wait "$demo_server_pid" 2>/dev/null || true
    fi
    rm -f "${demo_server_log:-}"
}
