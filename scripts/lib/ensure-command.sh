# Sourced by scripts that need a tool from Debian: installs its package with apt-get when the
# command is missing (sudo when not root).
#
#   ensure_command COMMAND PACKAGE

ensure_command() {
    command -v "$1" >/dev/null && return 0
    install_package "$2"
}

#   install_package PACKAGE     (for what is not a command: python3-venv)
install_package() {
    local sudo_cmd=""
    if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
    echo "installing $1 (apt)..." >&2
    $sudo_cmd apt-get update -qq
    $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$1" >/dev/null
}
