# Shared by the image recipes (sourced): the Debian cloud kernel, busybox, and the initramfs that
# carries the guest agent. Callers set: here (this directory), work (a scratch directory).

# Downloads the current cloud kernel and busybox-static into $work; sets $release.
fetch_kernel_and_busybox() {
    local kernel_pkg=${RIGDESK_KERNEL_PACKAGE:-linux-image-cloud-amd64} real_pkg
    # The meta-package names the current kernel; download that one.
    real_pkg=$(apt-cache depends "$kernel_pkg" | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
    real_pkg=${real_pkg:-$kernel_pkg}
    (cd "$work" && { apt-get download "$real_pkg" busybox-static >/dev/null 2>&1 || {
        apt-get update -qq && apt-get download "$real_pkg" busybox-static >/dev/null; }; })
    dpkg-deb -x "$work"/linux-image-*.deb "$work/kernel"
    dpkg-deb -x "$work"/busybox-static_*.deb "$work/busybox"
    release=$(ls "$work/kernel/lib/modules")
}

# Packs busybox, the virtio modules (and overlay, for the runner the host hands a runner VM) and the
# guest agent as $1 (gzip'd cpio) for flavour $2 (test|runner). No image carries the actions runner.
build_initramfs() {
    local target=$1 flavour=$2 root="$work/initramfs" module path applet
    mkdir -p "$root"/bin "$root"/sbin "$root"/lib/modules "$root"/proc "$root"/sys "$root"/dev "$root"/job \
        "$root"/work "$root"/tmp "$root"/etc "$root"/opt/rigdesk
    cp "$work/busybox/bin/busybox" "$root/bin/busybox"
    for applet in $("$work/busybox/bin/busybox" --list); do
        [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
    done
    # The drivers the agent needs, in dependency order; the cloud kernel builds them as modules.
    for module in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_mmio virtio_blk \
            virtio_console failover net_failover virtio_net overlay; do
        path=$(find "$work/kernel/lib/modules/$release" -name "$module.ko" | head -n 1)
        [ -n "$path" ] && cp "$path" "$root/lib/modules/"
    done
    install -m 0755 "$here/agent/init" "$root/init"
    install -m 0755 "$here/agent/ctl" "$here/agent/job-hook.sh" "$here/agent/modprobe" "$root/opt/rigdesk/"
    echo "rigdesk-$flavour" > "$root/etc/hostname"
    (cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) > "$target"
}
