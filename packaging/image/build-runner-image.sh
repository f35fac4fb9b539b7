#!/usr/bin/env bash
# Builds the runner flavour of Rigdesk's job VM image, on the owner's machine (it needs the
# internet): the Debian cloud kernel and the guest agent's initramfs (as the test image), plus a
# Debian root disk (debootstrap) with what the GitHub Actions runner needs and, optionally, an
# NVIDIA driver. The runner itself is not in the image: rigdeskd keeps the newest release (checked
# daily) and hands it to each runner VM read-only, so an image never goes stale with GitHub.
#
#   sudo packaging/image/build-runner-image.sh [options] [OUTPUT_DIR]
#     --nvidia-run FILE       NVIDIA-Linux-x86_64-*.run to install, without X, for the VM's kernel
#     --mirror URL            Debian mirror (default: http://deb.debian.org/debian)
#     --size MIB              root disk size (default: what it holds plus 2 GiB for jobs)
#   OUTPUT_DIR defaults to /var/lib/rigdesk/images/default, where rigdeskd looks by default.
# Idempotent: an image built from the same inputs is left as it is. Prints where the image went.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
nvidia_run="" mirror=http://deb.debian.org/debian size="" out=/var/lib/rigdesk/images/default
die() { echo "build-runner-image: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --runner-tarball|--runner-version) die "$1: the runner no longer goes into the image; rigdeskd keeps it (rigdesk runner use-tarball FILE where it cannot download)" ;;
        --nvidia-run) nvidia_run=$(realpath "${2:?--nvidia-run needs a FILE}"); shift 2 ;;
        --mirror) mirror=${2:?--mirror needs a URL}; shift 2 ;;
        --size) size=${2:?--size needs MiB}; shift 2 ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) die "unknown option $1 (see --help)" ;;
        *) out=$1; shift ;;
    esac
done
[ "$(id -u)" -eq 0 ] || die "run as root: debootstrap and chroot need it"
for tool in debootstrap dpkg-deb cpio gzip mke2fs apt-get; do
    command -v "$tool" >/dev/null || die "$tool is missing (apt install debootstrap e2fsprogs cpio)"
done
[ -z "$nvidia_run" ] || [ -r "$nvidia_run" ] || die "cannot read $nvidia_run"
case "$size" in ''|*[!0-9]*) [ -z "$size" ] || die "--size takes MiB, a number" ;; esac

mkdir -p "$out"
out=$(cd "$out" && pwd)
inputs=("$0" "$here/lib.sh" "$here"/agent/*)
[ -n "$nvidia_run" ] && inputs+=("$nvidia_run")
stamp="$( (sha256sum "${inputs[@]}" | cut -d' ' -f1; echo "$mirror $size") | sha256sum | cut -c1-16)"
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

echo "build-runner-image: debootstrap (Debian bookworm, minbase) …" >&2
debootstrap --variant=minbase \
    --include=ca-certificates,curl,git,jq,sudo,tar,gzip,unzip,xz-utils,zstd,kmod,iproute2,procps,python3,python3-venv,libicu72,libkrb5-3,zlib1g,libssl3,liblttng-ust1 \
    bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
echo "rigdesk-runner" > "$root/etc/hostname"
# The VM's kernel modules, so the driver installer builds against and installs into the right tree.
mkdir -p "$root/lib/modules"
cp -a "$work/kernel/lib/modules/$release" "$root/lib/modules/"

# Where the guest agent overlays the host's runner.
mkdir -p "$root/opt/actions-runner"

if [ -n "$nvidia_run" ]; then
    echo "build-runner-image: installing the NVIDIA driver for $release …" >&2
    for fs in proc sys dev dev/pts; do mount --bind "/$fs" "$root/$fs"; done
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    headers=${release%-cloud-amd64}
    chroot "$root" apt-get update -qq
    chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "linux-headers-$release" gcc make libc6-dev pkg-config >/dev/null || die "no headers for $release ($headers)"
    install -m 0755 "$nvidia_run" "$root/tmp/nvidia.run"
    chroot "$root" sh /tmp/nvidia.run --accept-license --ui=none --no-questions --no-x-check --no-nouveau-check \
        --kernel-name="$release" --kernel-source-path="/usr/src/linux-headers-$release" --silent
    rm -f "$root/tmp/nvidia.run"
    chroot "$root" depmod "$release"
    for fs in dev/pts dev proc sys; do umount "$root/$fs"; done
fi
chroot "$root" apt-get clean
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin

used=$(du -sm "$root" | cut -f1)
disk_mib=${size:-$((used + 2048))}
[ "$disk_mib" -gt "$used" ] || die "--size $size MiB is smaller than the root's $used MiB"
mke2fs -q -t ext4 -O ^metadata_csum -L rigdesk-root -d "$root" "$work/rootfs.ext4" "${disk_mib}M"

install -m 0644 "$work/kernel/boot/vmlinuz-$release" "$out/vmlinuz"
install -m 0644 "$work/initrd.img" "$out/initrd.img"
mv "$work/rootfs.ext4" "$out/rootfs.ext4"
chmod 0644 "$out/rootfs.ext4"
cat > "$out/image.json" <<JSON
{"flavour": "runner", "kernel": "$release", "recipe": "$stamp", "runner": "from the host",
 "nvidia": "$( [ -n "$nvidia_run" ] && basename "$nvidia_run" || echo none)",
 "files": {"kernel": "vmlinuz", "initramfs": "initrd.img", "rootDisk": "rootfs.ext4"}}
JSON
echo "built the runner image in $out (kernel $release, root disk ${disk_mib} MiB, $(du -sh "$out" | cut -f1) on disk)"
echo "start rigdeskd with --image $out (the default when it is /var/lib/rigdesk/images/default)"
