#!/usr/bin/env bash
# Builds Rigdesk's test VM image from Debian packages only: the cloud kernel, busybox-static, and
# the guest agent below, packed as kernel + initramfs + a small ext4 root disk.
#   packaging/image/build-test-image.sh [OUTPUT_DIR]      (default: build/images/test)
# Idempotent: an image already built for the same inputs is left as it is.
# Needs: apt-get (to download), dpkg-deb, cpio, gzip, mke2fs (e2fsprogs).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../build/images/test}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

stamp="$(sha256sum "$0" "$here/lib.sh" "$here"/agent/* | sha256sum | cut -c1-16)"
if [ -f "$out/image.json" ] && grep -q "\"recipe\": \"$stamp\"" "$out/image.json"; then
    echo "image up to date: $out"
    exit 0
fi

# shellcheck source=lib.sh
. "$here/lib.sh"
fetch_kernel_and_busybox
# No runner goes in: rigdeskd hands runner VMs the one it keeps (the tests' GitHub stand-in serves one).
build_initramfs "$work/initrd.img" test
cd "$work"

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
