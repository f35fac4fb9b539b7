#!/usr/bin/env bash
# Builds the runner flavour of Rigdesk's job VM image, on the owner's machine (it needs the
# internet): the Debian cloud kernel and the guest agent's initramfs (as the test image), plus a
# root disk (debootstrap) that runs what GitHub's ubuntu-24.04 runners run: Docker Engine (started
# at boot, its data on the job's disk), a `runner` user in the docker group with passwordless sudo,
# RUNNER_TOOL_CACHE=/opt/hostedtoolcache and the common base (git, git-lfs, curl, jq, zstd, unzip,
# rsync, build-essential, python3 with venv…), optionally an NVIDIA driver and container toolkit.
# The runner itself is not in the image: rigdeskd keeps the newest release (checked daily) and
# hands it to each runner VM read-only, so an image never goes stale with GitHub.
#
#   sudo packaging/image/build-runner-image.sh [options] [OUTPUT_DIR]
#     --distro NAME           ubuntu-24.04 (default: what workflows are written for) or debian-12
#     --nvidia-run FILE       NVIDIA-Linux-x86_64-*.run to install, without X, for the VM's kernel
#     --nvidia-toolkit DIR    the NVIDIA container toolkit's .deb files (with --nvidia-run), made
#                             Docker's nvidia runtime so `docker run --gpus all` works
#     --mirror URL            the distribution's mirror (default: its official archive)
#     --keyring FILE          the archive's key (default: the distribution's keyring on this host)
#     --size MIB              root disk size (default: what it holds plus 2 GiB for jobs)
#   OUTPUT_DIR defaults to /var/lib/rigdesk/images/default, where rigdeskd looks by default.
# Idempotent: an image built from the same inputs is left as it is. Prints where the image went.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
distro=ubuntu-24.04 nvidia_run="" toolkit="" mirror="" keyring="" size="" out=/var/lib/rigdesk/images/default
die() { echo "build-runner-image: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --runner-tarball|--runner-version) die "$1: the runner no longer goes into the image; rigdeskd keeps it (rigdesk runner use-tarball FILE where it cannot download)" ;;
        --distro) distro=${2:?--distro needs ubuntu-24.04 or debian-12}; shift 2 ;;
        --nvidia-run) nvidia_run=$(realpath "${2:?--nvidia-run needs a FILE}"); shift 2 ;;
        --nvidia-toolkit) toolkit=$(realpath "${2:?--nvidia-toolkit needs a DIR of .deb files}"); shift 2 ;;
        --mirror) mirror=${2:?--mirror needs a URL}; shift 2 ;;
        --keyring) keyring=$(realpath "${2:?--keyring needs a FILE}"); shift 2 ;;
        --size) size=${2:?--size needs MiB}; shift 2 ;;
        -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) die "unknown option $1 (see --help)" ;;
        *) out=$1; shift ;;
    esac
done
# What differs between the distributions: the suite, the archive, and the names of the runner's
# libraries (Ubuntu 24.04 renamed some in its 64-bit time_t transition).
case "$distro" in
    ubuntu-24.04)
        suite=noble components=main,universe mirror=${mirror:-http://archive.ubuntu.com/ubuntu}
        keyring=${keyring:-/usr/share/keyrings/ubuntu-archive-keyring.gpg}
        [ -r "$keyring" ] || die "Ubuntu's archive key is not at $keyring: install ubuntu-keyring, pass --keyring FILE, or build --distro debian-12"
        runner_libs="libicu74 libkrb5-3 zlib1g libssl3t64 liblttng-ust1t64" ;;
    debian-12)
        suite=bookworm components=main mirror=${mirror:-http://deb.debian.org/debian}
        runner_libs="libicu72 libkrb5-3 zlib1g libssl3 liblttng-ust1" ;;
    *) die "--distro $distro: ubuntu-24.04 or debian-12" ;;
esac
[ "$(id -u)" -eq 0 ] || die "run as root: debootstrap and chroot need it"
for tool in debootstrap dpkg-deb cpio gzip mke2fs apt-get; do
    command -v "$tool" >/dev/null || die "$tool is missing (apt install debootstrap e2fsprogs cpio)"
done
[ -z "$nvidia_run" ] || [ -r "$nvidia_run" ] || die "cannot read $nvidia_run"
if [ -n "$toolkit" ]; then
    [ -n "$nvidia_run" ] || die "--nvidia-toolkit needs --nvidia-run: the toolkit hands containers the driver"
    ls "$toolkit"/*.deb >/dev/null 2>&1 || die "no .deb files in $toolkit (nvidia-container-toolkit, -base, libnvidia-container1, libnvidia-container-tools)"
fi
case "$size" in ''|*[!0-9]*) [ -z "$size" ] || die "--size takes MiB, a number" ;; esac

mkdir -p "$out"
out=$(cd "$out" && pwd)
inputs=("$0" "$here/lib.sh" "$here"/agent/*)
[ -n "$nvidia_run" ] && inputs+=("$nvidia_run")
[ -n "$toolkit" ] && inputs+=("$toolkit"/*.deb)
stamp="$( (sha256sum "${inputs[@]}" | cut -d' ' -f1; echo "$distro $mirror $size") | sha256sum | cut -c1-16)"
if [ -f "$out/image.json" ] && grep -q "\"recipe\": \"$stamp\"" "$out/image.json"; then
    echo "image up to date: $out"
    exit 0
fi

work=$(mktemp -d)
root="$work/root"
cleanup() {
    for fs in dev/pts dev proc sys; do umount "$root/$fs" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=lib.sh
. "$here/lib.sh"
fetch_kernel_and_busybox
build_initramfs "$work/initrd.img" runner

echo "build-runner-image: debootstrap ($distro, minbase) …" >&2
script=/usr/share/debootstrap/scripts/$suite
[ -e "$script" ] || script=/usr/share/debootstrap/scripts/gutsy # older debootstraps know noble by its family
debootstrap --variant=minbase --components="$components" ${keyring:+--keyring="$keyring"} \
    "$suite" "$root" "$mirror" "$script" >"$work/debootstrap.log" 2>&1 || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
echo "rigdesk-runner" > "$root/etc/hostname"
# The host's own name resolves without a resolver (sudo looks it up).
printf '127.0.0.1\tlocalhost\n127.0.1.1\trigdesk-runner\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"
# The VM's kernel modules: Docker's networking and the driver installer load and build against them.
mkdir -p "$root/lib/modules"
cp -a "$work/kernel/lib/modules/$release" "$root/lib/modules/"
for fs in proc sys dev dev/pts; do mount --bind "/$fs" "$root/$fs"; done
cp /etc/resolv.conf "$root/etc/resolv.conf"
# No service starts inside the build's chroot.
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"
in_chroot() { chroot "$root" env DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }
apt_install() { in_chroot apt-get install -y -qq --no-install-recommends "$@" >>"$work/apt.log" 2>&1 || { tail -n 20 "$work/apt.log" >&2; exit 1; }; }
packaged() { in_chroot apt-cache show "$1" >/dev/null 2>&1; }

echo "build-runner-image: Docker, the runner's libraries and the common tools …" >&2
in_chroot apt-get update -qq
# What GitHub's ubuntu-24.04 image documents as its base, less what a VM job does not need.
apt_install ca-certificates curl wget git git-lfs jq sudo tar gzip bzip2 unzip zip xz-utils zstd rsync file \
    openssh-client gnupg lsb-release locales tzdata kmod iproute2 iptables procps less \
    python3 python3-venv python3-pip build-essential pkg-config $runner_libs docker.io
# buildx (and compose v2) where the distribution packages them: Ubuntu 24.04 does, Debian 12 does not.
for extra in docker-buildx docker-compose-v2; do packaged "$extra" && apt_install "$extra"; done
# The kernel package's modules come without their index: the guest's modprobe needs it.
in_chroot depmod "$release"

# The user jobs run as, as on GitHub's runners: uid 1001, passwordless sudo, Docker without sudo.
in_chroot useradd --create-home --shell /bin/bash --uid 1001 --groups docker,sudo runner
echo 'runner ALL=(ALL) NOPASSWD:ALL' > "$root/etc/sudoers.d/runner"
chmod 0440 "$root/etc/sudoers.d/runner"
# The tool cache actions/setup-* install into and look in.
mkdir -p "$root/opt/hostedtoolcache"
in_chroot chown runner:runner /opt/hostedtoolcache
printf 'RUNNER_TOOL_CACHE=/opt/hostedtoolcache\nAGENT_TOOLSDIRECTORY=/opt/hostedtoolcache\n' >> "$root/etc/environment"
# Where the guest agent overlays the host's runner.
mkdir -p "$root/opt/actions-runner"

driver="" cuda=""
if [ -n "$nvidia_run" ]; then
    echo "build-runner-image: installing the NVIDIA driver for $release …" >&2
    headers=${release%-cloud-amd64}
    apt_install "linux-headers-$release" gcc make libc6-dev pkg-config || die "no headers for $release ($headers)"
    install -m 0755 "$nvidia_run" "$root/tmp/nvidia.run"
    chroot "$root" sh /tmp/nvidia.run --accept-license --ui=none --no-questions --no-x-check --no-nouveau-check \
        --kernel-name="$release" --kernel-source-path="/usr/src/linux-headers-$release" --silent
    rm -f "$root/tmp/nvidia.run"
    chroot "$root" depmod "$release"
    # The driver's version from the library it installed; the newest CUDA it runs from the library
    # itself (cuDriverGetVersion needs no GPU), as nvidia-smi's "CUDA Version" shows it.
    driver=$(cd "$root" && ls usr/lib/x86_64-linux-gnu/libcuda.so.*.* usr/lib/libcuda.so.*.* 2>/dev/null \
        | sed -n 's/.*libcuda\.so\.\([0-9][0-9.]*\)$/\1/p' | head -n 1)
    cuda=$(chroot "$root" python3 -c 'import ctypes
v = ctypes.c_int()
if ctypes.CDLL("libcuda.so.1").cuDriverGetVersion(ctypes.byref(v)) == 0: print("%d.%d" % (v.value // 1000, v.value % 1000 // 10))' 2>/dev/null || true)
    if [ -n "$toolkit" ]; then
        echo "build-runner-image: the NVIDIA container toolkit as Docker's nvidia runtime …" >&2
        mkdir -p "$root/tmp/toolkit"
        cp "$toolkit"/*.deb "$root/tmp/toolkit/"
        apt_install /tmp/toolkit/*.deb
        rm -rf "$root/tmp/toolkit"
        in_chroot nvidia-ctk runtime configure --runtime=docker >/dev/null
    fi
fi
docker=$(in_chroot dpkg-query -W -f='${Version}' docker.io | sed 's/^[0-9]*://; s/[+~-].*//')
. "$root/etc/os-release"
rm -f "$root/usr/sbin/policy-rc.d" "$root/etc/resolv.conf"
in_chroot apt-get clean
for fs in dev/pts dev proc sys; do umount "$root/$fs"; done
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin

used=$(du -sm "$root" | cut -f1)
disk_mib=${size:-$((used + 2048))}
[ "$disk_mib" -gt "$used" ] || die "--size $size MiB is smaller than the root's $used MiB"
mke2fs -q -t ext4 -O ^metadata_csum -L rigdesk-root -d "$root" "$work/rootfs.ext4" "${disk_mib}M"

install -m 0644 "$work/kernel/boot/vmlinuz-$release" "$out/vmlinuz"
install -m 0644 "$work/initrd.img" "$out/initrd.img"
mv "$work/rootfs.ext4" "$out/rootfs.ext4"
chmod 0644 "$out/rootfs.ext4"
json() { if [ -n "$1" ]; then printf '"%s"' "$1"; else printf null; fi; }
cat > "$out/image.json" <<JSON
{"flavour": "runner", "kernel": "$release", "recipe": "$stamp", "runner": "from the host",
 "distro": "$distro", "distroName": $(json "${PRETTY_NAME:-}"), "builtAt": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
 "docker": $(json "$docker"), "nvidia": "$( [ -n "$nvidia_run" ] && basename "$nvidia_run" || echo none)",
 "driver": $(json "$driver"), "cuda": $(json "$cuda"), "containerToolkit": $( [ -n "$toolkit" ] && echo true || echo false),
 "files": {"kernel": "vmlinuz", "initramfs": "initrd.img", "rootDisk": "rootfs.ext4"}}
JSON
echo "built the runner image in $out ($distro, Docker $docker, kernel $release, root disk ${disk_mib} MiB, $(du -sh "$out" | cut -f1) on disk)"
echo "start rigdeskd with --image $out (the default when it is /var/lib/rigdesk/images/default)"
