#!/usr/bin/env bash
# Installs the .deb into a throw-away Debian root (debootstrap minbase with what the .deb's Depends
# and Recommends bring in, as `apt install ./rigdesk_*.deb` would; both cached between runs) and
# checks what a user gets: the programs, the unit, the window on an X server, then removes and
# purges it and checks what is left. Runs as root.
#   packaging/deb/test-deb.sh [DEB]     (default: packaging/target/rigdesk_*_amd64.deb)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
deb=${1:-$(ls "$top"/packaging/target/rigdesk_*_amd64.deb | tail -n 1)}
cache=${RIGDESK_CACHE:-$HOME/.cache/rigdesk}
base="$cache/debroot-bookworm-minbase.tar"
[ "$(id -u)" -eq 0 ] || { echo "test-deb: run as root (chroot)" >&2; exit 2; }
fail() { echo "test-deb: FAIL: $*" >&2; exit 1; }
ok() { echo "test-deb: ok: $*"; }

if [ ! -s "$base" ]; then
    echo "test-deb: building the minimal root once (debootstrap minbase) into $base" >&2
    mkdir -p "$cache"
    tmp=$(mktemp -d)
    debootstrap --variant=minbase bookworm "$tmp" http://deb.debian.org/debian >"$cache/debootstrap.log" 2>&1 \
        || { tail -n 20 "$cache/debootstrap.log" >&2; rm -rf "$tmp"; exit 1; }
    tar -C "$tmp" -cf "$base.new" . && mv "$base.new" "$base"
    rm -rf "$tmp"
fi
# The root with the package's dependencies: made once per set of Depends and Recommends, by apt
# installing the .deb itself (recommended packages included, as apt does by default) and removing
# it again, so the package's own files and scripts are tested on a root that never had them.
fields=$(dpkg-deb -f "$deb" Depends Recommends)
deps="$cache/debroot-bookworm-deps-$(echo "$fields" | sha256sum | cut -c1-12).tar"
if [ ! -s "$deps" ]; then
    echo "test-deb: installing the package's Depends and Recommends into a root once ($deps)" >&2
    tmp=$(mktemp -d)
    tar -C "$tmp" -xf "$base"
    mount -t proc proc "$tmp/proc"
    printf '#!/bin/sh\nexit 101\n' > "$tmp/usr/sbin/policy-rc.d" && chmod 755 "$tmp/usr/sbin/policy-rc.d"
    cp "$deb" "$tmp/tmp/rigdesk.deb"
    status=0
    { chroot "$tmp" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
        sh -c 'apt-get update && apt-get install -y /tmp/rigdesk.deb && dpkg -P rigdesk && apt-get clean' \
        > "$cache/deps.log" 2>&1; } || status=$?
    rm -f "$tmp/usr/sbin/policy-rc.d" "$tmp/tmp/rigdesk.deb"
    umount "$tmp/proc" || umount -l "$tmp/proc"
    if [ "$status" -ne 0 ]; then tail -n 30 "$cache/deps.log" >&2; rm -rf --one-file-system "$tmp"; exit 1; fi
    rm -f "$cache"/debroot-bookworm-deps-*.tar
    tar -C "$tmp" -cf "$deps.new" . && mv "$deps.new" "$deps"
    rm -rf --one-file-system "$tmp"
fi
root=$(mktemp -d)
xvfb=
# Stops the demo daemon's session (the daemon and its fake nvidia-smi) and waits until it is gone:
# a JVM still shutting down keeps files of the root's /proc open, and /proc cannot be unmounted then.
stop_demo() {
    [ -s "$root/tmp/rd.pid" ] || return 0
    local group; group=$(cat "$root/tmp/rd.pid")
    kill -- -"$group" 2>/dev/null || return 0
    for _ in $(seq 1 100); do kill -0 -- -"$group" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL -- -"$group" 2>/dev/null
    sleep 0.2
}
# Runs on every exit and keeps the test's own exit status: a root that cannot be removed is a
# warning (it is left under /tmp), never a test failure, and never a reason to delete through a
# still-mounted /proc.
cleanup() {
    local status=$?
    stop_demo
    [ -z "$xvfb" ] || { kill "$xvfb" 2>/dev/null; wait "$xvfb" 2>/dev/null || true; }
    for _ in $(seq 1 50); do mountpoint -q "$root/proc" || break; umount "$root/proc" 2>/dev/null || sleep 0.1; done
    if mountpoint -q "$root/proc"; then
        umount -l "$root/proc" 2>/dev/null || true
    fi
    if mountpoint -q "$root/proc"; then
        echo "test-deb: warning: $root/proc is still mounted; leaving $root" >&2
    else
        rm -rf --one-file-system "$root" || echo "test-deb: warning: could not remove $root" >&2
    fi
    exit "$status"
}
trap cleanup EXIT
tar -C "$root" -xf "$deps"
# The archive keeps its temp directory's 0700 on "."; a real root is 0755, and the daemon refuses a
# state directory its VMMs' users cannot pass through.
chmod 755 "$root"
mount -t proc proc "$root/proc"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"; }
before=$(cd "$root" && find . -xdev -path ./proc -prune -o -print | sort)

cp "$deb" "$root/tmp/rigdesk.deb"
in_root dpkg -i /tmp/rigdesk.deb > "$root/tmp/install.log" 2>&1 || { cat "$root/tmp/install.log" >&2; fail "dpkg -i"; }
grep -q "usermod -aG rigdesk" "$root/tmp/install.log" || fail "postinst says how to join the group"
ok "installed on a minimal Debian ($(du -h "$deb" | cut -f1) package)"

version=$(in_root rigdesk --version) || fail "rigdesk --version"
[[ "$version" == "rigdesk "* ]] || fail "rigdesk --version printed '$version'"
ok "rigdesk on PATH: $version"
in_root rigdeskd --help | grep -q -- "--socket" || fail "rigdeskd --help"
ok "rigdeskd on PATH"
# The trimmed runtime has what the daemon and the CLI use: a demo daemon answers the CLI over its socket.
# It runs in its own session so that it and its children (the fake nvidia-smi) all stop after.
in_root setsid sh -c 'echo $$ > /tmp/rd.pid; exec rigdeskd --socket /tmp/rd.sock --state-dir /tmp/rd-state \
    --simulate desktop' > "$root/tmp/rd.log" 2>&1 &
for i in $(seq 1 100); do [ -S "$root/tmp/rd.sock" ] && break; sleep 0.1; done
in_root rigdesk --socket /tmp/rd.sock gpus > "$root/tmp/gpus.txt" 2>&1 || { stop_demo; cat "$root/tmp/rd.log" \
    "$root/tmp/gpus.txt" >&2; fail "demo daemon + CLI"; }
grep -q "0000:01:00.0 .* host .* ready" "$root/tmp/gpus.txt" || { cat "$root/tmp/gpus.txt" >&2; fail "rigdesk gpus"; }
ok "the installed rigdeskd serves the installed rigdesk (demo rig)"
# The installed window, on an X server of the host's (the root reaches it through the abstract
# socket; nothing of X is installed in the root but what the package pulls in): it must come up
# with the GPU cards' live readings and save a screenshot (rigdesk --smoke), with JavaFX as modules.
Xvfb -displayfd 9 -screen 0 1280x800x24 -nolisten tcp 9>"$root/tmp/display" 2>/dev/null &
xvfb=$!
for _ in $(seq 1 100); do [ -s "$root/tmp/display" ] && break; sleep 0.1; done
[ -s "$root/tmp/display" ] || fail "Xvfb did not start (the host needs xvfb)"
started=$SECONDS
# As a desktop user would, with a home of its own (its Java preferences, GTK's and Mesa's caches go
# there, not into the root's /root, which the purge check below holds to nothing new).
mkdir -p "$root/tmp/home"
in_root DISPLAY=":$(cat "$root/tmp/display")" HOME=/tmp/home XDG_CACHE_HOME=/tmp/home/.cache \
    JAVA_TOOL_OPTIONS=-Duser.home=/tmp/home \
    rigdesk --socket /tmp/rd.sock --smoke /tmp/window.png \
    > "$root/tmp/window.log" 2>&1 || { stop_demo; cat "$root/tmp/window.log" >&2; fail "the installed window"; }
stop_demo
! grep -q "Unsupported JavaFX configuration" "$root/tmp/window.log" || fail "JavaFX runs from the class path"
python3 - "$root/tmp/window.png" <<'PY' || fail "the window's screenshot is blank or not a PNG"
import sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
chunks, at = b"", 8
while at < len(data):
    size = int.from_bytes(data[at:at + 4], "big")
    if data[at + 4:at + 8] == b"IDAT":
        chunks += data[at + 8:at + 8 + size]
    at += 12 + size
pixels = zlib.decompress(chunks)
assert len(set(pixels)) > 32, "too few distinct byte values: a blank window"
PY
mkdir -p "$top/build" && cp "$root/tmp/window.png" "$top/build/deb-window.png"
ok "the installed window shows the GPU cards with live readings ($((SECONDS - started)) s, build/deb-window.png): $(grep smoke: "$root/tmp/window.log")"
in_root getent group rigdesk >/dev/null || fail "the rigdesk group"
ok "group rigdesk exists"
unit="$root/lib/systemd/system/rigdeskd.service"
[ -f "$unit" ] || fail "no unit file"
grep -q "^ExecStart=/opt/rigdesk/bin/rigdeskd .*--socket-group rigdesk" "$unit" || fail "ExecStart"
# systemd-analyze checks the unit against this host's systemd; its ExecStart must exist here.
sed "s|/opt/rigdesk/|$root/opt/rigdesk/|" "$unit" > "$root/tmp/rigdeskd.service"
if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify "$root/tmp/rigdeskd.service" || fail "systemd-analyze verify"
    ok "systemd-analyze verify passes"
fi
desktop="$root/usr/share/applications/rigdesk.desktop"
grep -q "^Exec=/usr/bin/rigdesk$" "$desktop" || fail "desktop entry"
command -v desktop-file-validate >/dev/null && { desktop-file-validate "$desktop" || fail "desktop-file-validate"; }
[ -f "$root/usr/share/icons/hicolor/scalable/apps/rigdesk.svg" ] || fail "icon"
ok "desktop entry and icon"
in_root bash -n /usr/share/rigdesk/image/build-runner-image.sh || fail "the image recipe is installed"
[ -x "$root/usr/share/rigdesk/image/agent/init" ] || fail "the guest agent ships with the recipe"
bad=$(cd "$root" && find opt/rigdesk usr/bin/rigdesk usr/sbin/rigdeskd lib/systemd/system/rigdeskd.service \
    \( ! -user root -o ! -group root -o -perm -o+w \) ! -type l)
[ -z "$bad" ] || fail "files not root-owned or writable by others: $bad"
[ "$(stat -c %a "$root/opt/rigdesk/bin/rigdeskd")" = 755 ] || fail "rigdeskd mode"
[ "$(stat -c %a "$unit")" = 644 ] || fail "unit mode"
ok "ownership root:root, launchers 0755, nothing writable by others"

mkdir -p "$root/var/lib/rigdesk/jobs" && echo state > "$root/var/lib/rigdesk/rigdesk.db"
in_root dpkg -r rigdesk > /dev/null 2>&1 || fail "dpkg -r"
for gone in opt/rigdesk usr/share/rigdesk usr/bin/rigdesk usr/sbin/rigdeskd lib/systemd/system/rigdeskd.service \
        usr/share/applications/rigdesk.desktop; do
    [ ! -e "$root/$gone" ] && [ ! -L "$root/$gone" ] || fail "$gone left after removal"
done
[ -f "$root/var/lib/rigdesk/rigdesk.db" ] || fail "removal (not purge) deleted the state"
ok "removal leaves only the state"
in_root dpkg -P rigdesk > /dev/null 2>&1 || fail "dpkg -P"
[ ! -e "$root/var/lib/rigdesk" ] || fail "purge left /var/lib/rigdesk"
after=$(cd "$root" && find . -xdev -path ./proc -prune -o -print | sort)
left=$(comm -13 <(echo "$before") <(echo "$after") | grep -v -E '^\./(tmp|var/lib/dpkg|var/log|var/cache|etc/(group|gshadow|passwd|shadow)-?$)' || true)
[ -z "$left" ] || fail "left after purge: $left"
ok "purge removes the state and leaves nothing else"
# The installed daemon ran on this host's network stack (a chroot shares it): nothing of job
# networks may outlive the package.
if command -v nft >/dev/null 2>&1 && nft list tables 2>/dev/null | grep -q "inet rigdesk"; then
    fail "purge left the nftables table inet rigdesk"
fi
if ip -o link show 2>/dev/null | grep -q ": rd-[0-9]*[:@]"; then fail "purge left a job link"; fi
ok "purge leaves no job network rules or links"
