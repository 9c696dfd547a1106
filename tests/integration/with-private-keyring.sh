#!/bin/sh
# Runs a command inside its own D-Bus session with an unlocked gnome-keyring as the Secret Service, so
# keychain tests never see the user's keyring (and work on machines without a desktop session).
set -eu
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
exec dbus-run-session -- sh -c '
  printf %s flightdeck-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"' sh "$@"
