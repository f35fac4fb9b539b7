#!/bin/sh
# Runs inside the real-kernel test guest, chrooted into the host's root (read-only, over 9p): the
# real rigdeskd with the real Kernel on the guest's real /sys, driven by the real rigdesk CLI.
# Every line the test reads starts with "RK: ".
set -u
run=$(cd "$(dirname "$0")" && pwd)
modules=$(cat "$run/modules")
java=$(cat "$run/java")
classpath=$(cat "$run/classpath")
release=$(uname -r)
# The host's root is read-only here: everything written goes under /run (a tmpfs).
scratch=/run/rk
mkdir -p $scratch/tmp
jvm="$java -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Djava.io.tmpdir=$scratch/tmp -cp $classpath"
say() { echo "RK: $*"; }
drv() { d=$(readlink "/sys/bus/pci/devices/$1/driver") && basename "$d" || echo none; }

# rigdeskd's modprobe, reading this kernel's modules (the host has none of its own).
printf '#!/bin/sh\nexec /sbin/modprobe -d %s "$@"\n' "$modules" > $scratch/modprobe
chmod +x $scratch/modprobe
# What udev does at boot: bind the host drivers.
for m in bochs snd_hda_intel e1000e; do $scratch/modprobe "$m" || say "modprobe $m failed"; done

boot="" secondary="" lone=""
for d in /sys/bus/pci/devices/*; do
    case "$(cat "$d/vendor"):$(cat "$d/class"):${d##*/}" in
        0x1234:0x030000:*) boot=${d##*/} ;;
        0x1234:0x038000:0000:00:*) secondary=${d##*/} ;;
        0x1234:0x038000:*) lone=${d##*/} ;; # alone behind a root port: the kernel can reset its bus
    esac
done
# What the kernel can reset: no reset_method (nor reset) is no method at all.
resets() { cat "/sys/bus/pci/devices/$1/reset_method" 2>/dev/null || echo none; }
audio=${secondary%.0}.1
say "devices boot=$boot secondary=$secondary audio=$audio lone=$lone"
say "reset-methods $secondary=$(resets "$secondary") $lone=$(resets "$lone")"
say "start $secondary=$(drv "$secondary") $audio=$(drv "$audio") $boot=$(drv "$boot")"

start_daemon() {
    rm -f $scratch/rigdeskd.sock
    $jvm org.rigdesk.daemon.Rigdeskd --socket $scratch/rigdeskd.sock --state-dir $scratch/state --modprobe $scratch/modprobe \
        --modules-dir "$modules/lib/modules/$release" --sample-interval 5000 "$@" >> $scratch/daemon.log 2>&1 &
    daemon=$!
    n=0
    while [ ! -S $scratch/rigdeskd.sock ] && [ $n -lt 900 ]; do sleep 0.2; n=$((n + 1)); done
}
cli() { $jvm org.rigdesk.app.Main --socket $scratch/rigdeskd.sock "$@"; }

start_daemon
say "daemon up"
cli gpus > $scratch/out 2>&1; say "gpus $(tr '\n' '|' < $scratch/out)"
cli gpus --json | tr -d ' \n' > $scratch/gpus.json; say "gpus-json $(cat $scratch/gpus.json)"
cli gpu mode "$secondary" vfio > $scratch/out 2>&1; code=$?
group=$(basename "$(readlink "/sys/bus/pci/devices/$secondary/iommu_group")")
say "to-vfio exit=$code $secondary=$(drv "$secondary") $audio=$(drv "$audio") group=$group devvfio=$(ls /dev/vfio | tr '\n' ',') $(tr '\n' ' ' < $scratch/out)"
# The owner's reset (as between jobs): refused for a card the kernel cannot reset, done for one it can.
cli gpu check --reset "$secondary" > $scratch/out 2>&1; code=$?
say "reset-refused exit=$code $(tr '\n' ' ' < $scratch/out)"
cli gpu mode "$lone" vfio > $scratch/out 2>&1; code=$?
say "lone-to-vfio exit=$code $lone=$(drv "$lone") $(tr '\n' ' ' < $scratch/out)"
cli gpu check --reset "$lone" > $scratch/out 2>&1; code=$?
say "reset exit=$code $lone=$(drv "$lone") $(tr '\n' ' ' < $scratch/out)"
cli gpu mode "$lone" host > $scratch/out 2>&1; code=$?
say "lone-to-host exit=$code $lone=$(drv "$lone") $(tr '\n' ' ' < $scratch/out)"
cli gpu mode "$secondary" host > $scratch/out 2>&1; code=$?
say "to-host exit=$code $secondary=$(drv "$secondary") $audio=$(drv "$audio") $(tr '\n' ' ' < $scratch/out)"
cli gpu mode "$boot" vfio > $scratch/out 2>&1; code=$?
say "boot-vga exit=$code $boot=$(drv "$boot") $(tr '\n' ' ' < $scratch/out)"
cli audit > $scratch/out 2>&1; say "audit $(tr '\n' '|' < $scratch/out)"
kill "$daemon"; wait "$daemon"

# kill -9 between an unbind and its probe (audio moved in writes 1-3, then the GPU's
# override and unbind), then a restart.
start_daemon --debug-pause-after-write 5
cli gpu mode "$secondary" vfio > /dev/null 2>&1 &
n=0
while [ "$(drv "$secondary")" != none ] && [ $n -lt 900 ]; do sleep 0.1; n=$((n + 1)); done
say "mid-toggle $secondary=$(drv "$secondary") $audio=$(drv "$audio")"
kill -9 "$daemon"; wait "$daemon" 2>/dev/null
say "killed -9 with $secondary=$(drv "$secondary") $audio=$(drv "$audio")"
start_daemon
say "after-restart $secondary=$(drv "$secondary") $audio=$(drv "$audio")"
kill "$daemon"; wait "$daemon"
sed 's/^/RK: daemon-log /' $scratch/daemon.log | grep -E "WARN|SEVERE|<3>|<4>|re-applied|moved" | head -20
say "done"
