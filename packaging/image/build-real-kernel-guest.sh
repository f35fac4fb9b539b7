#!/usr/bin/env bash
# Builds the guest for the real-kernel toggle test: Debian's generic kernel (it has vfio-pci,
# bochs-drm, snd-hda-intel and e1000e as modules) and a busybox initramfs that mounts the host's
# root read-only over 9p and runs a script in a chroot of it, with the guest's own /proc, /sys,
# /dev and tmpfs, and this kernel's modules over /lib/modules.
#   packaging/image/build-real-kernel-guest.sh [OUTPUT_DIR]   (default: build/real-kernel)
# Idempotent. Needs apt-get, dpkg-deb, cpio, gzip, depmod (kmod).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../build/real-kernel}
mkdir -p "$out"
out=$(cd "$out" && pwd)
stamp="$(sha256sum "$0" "$here/real-kernel-init" | sha256sum | cut -c1-16)"
if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$stamp" ]; then
    echo "real-kernel guest up to date: $out"
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
real_pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
apt-get download "$real_pkg" busybox-static >/dev/null 2>&1 || {
    apt-get update -qq && apt-get download "$real_pkg" busybox-static >/dev/null; }
rm -rf "$out/root"
mkdir -p "$out/root"
dpkg-deb -x linux-image-*.deb "$out/root"
dpkg-deb -x busybox-static_*.deb busybox
release=$(ls "$out/root/lib/modules")
depmod -b "$out/root" "$release"

root=initramfs
mkdir -p $root/bin $root/lib/modules $root/proc $root/sys $root/dev $root/host $root/tmp
cp busybox/bin/busybox $root/bin/busybox
for applet in $(busybox/bin/busybox --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
# Enough to reach the host's root over virtio 9p; everything else loads from there.
for module in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci netfs fscache 9pnet \
        9pnet_virtio 9p; do
    path=$(find "$out/root/lib/modules/$release" -name "$module.ko" | head -n 1)
    [ -n "$path" ] && cp "$path" $root/lib/modules/ && echo "$module" >> $root/lib/modules/order
done
cp "$here/real-kernel-init" $root/init
chmod 755 $root/init
(cd $root && find . | cpio -o -H newc --quiet | gzip -6) > "$out/initrd.img"
install -m 0644 "$out/root/boot/vmlinuz-$release" "$out/vmlinuz"
echo "$release" > "$out/release"
echo "$stamp" > "$out/stamp"
echo "built the real-kernel guest in $out (kernel $release)"
