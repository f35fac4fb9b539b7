#!/usr/bin/env bash
# Builds Rigdesk's test VM image from Debian packages only: the cloud kernel, busybox-static, and
# the guest agent below, packed as kernel + initramfs + a small ext4 root disk.
#   packaging/image/build-test-image.sh [OUTPUT_DIR]      (default: build/images/test)
# Idempotent: an image already built for the same inputs is left as it is.
# Needs: apt-get (to download), dpkg-deb, cpio, gzip, mke2fs (e2fsprogs).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../build/images/test}
kernel_pkg=${RIGDESK_KERNEL_PACKAGE:-linux-image-cloud-amd64}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

stamp="$(sha256sum "$0" "$here"/agent/* | sha256sum | cut -c1-16)"
if [ -f "$out/image.json" ] && grep -q "\"recipe\": \"$stamp\"" "$out/image.json"; then
    echo "image up to date: $out"
    exit 0
fi

cd "$work"
# The meta-package names the current kernel; download that one.
real_pkg=$(apt-cache depends "$kernel_pkg" | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
real_pkg=${real_pkg:-$kernel_pkg}
apt-get download "$real_pkg" busybox-static >/dev/null 2>&1 || {
    apt-get update -qq && apt-get download "$real_pkg" busybox-static >/dev/null; }
dpkg-deb -x linux-image-*.deb kernel
dpkg-deb -x busybox-static_*.deb busybox
release=$(ls kernel/lib/modules)

root=initramfs
mkdir -p $root/bin $root/sbin $root/lib/modules $root/proc $root/sys $root/dev $root/job $root/work $root/tmp $root/etc
cp busybox/bin/busybox $root/bin/busybox
for applet in $(busybox/bin/busybox --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
# The virtio drivers the agent needs, in dependency order; the cloud kernel builds them as modules.
for module in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_mmio virtio_blk \
        virtio_console failover net_failover virtio_net; do
    path=$(find kernel/lib/modules/$release -name "$module.ko" | head -n 1)
    [ -n "$path" ] && cp "$path" $root/lib/modules/
done
# The guest agent, its control-channel helper and runner hooks, and the stand-in runner
# (this image has no real GitHub runner: the runner flavour in build-runner-image.sh has).
mkdir -p $root/opt/rigdesk $root/opt/actions-runner
install -m 0755 "$here/agent/init" $root/init
install -m 0755 "$here/agent/ctl" "$here/agent/job-hook.sh" $root/opt/rigdesk/
install -m 0755 "$here/agent/stand-in-runner.sh" $root/opt/actions-runner/run.sh
echo "rigdesk-test" > $root/etc/hostname
(cd $root && find . | cpio -o -H newc --quiet | gzip -9) > initrd.img

# The root disk: what a job's copy-on-write overlay starts from (mounted at /work in the guest).
mkdir -p rootfs
echo "Rigdesk test image ($release)" > rootfs/README
mke2fs -q -t ext4 -O ^metadata_csum -L rigdesk-root -d rootfs rootfs.ext4 32M >/dev/null

install -m 0644 kernel/boot/vmlinuz-$release "$out/vmlinuz"
install -m 0644 initrd.img "$out/initrd.img"
install -m 0644 rootfs.ext4 "$out/rootfs.ext4"
cat > "$out/image.json" <<JSON
{"flavour": "test", "kernel": "$release", "recipe": "$stamp",
 "files": {"kernel": "vmlinuz", "initramfs": "initrd.img", "rootDisk": "rootfs.ext4"}}
JSON
echo "built test image in $out (kernel $release, $(du -sh "$out" | cut -f1))"
