#!/usr/bin/env bash
# Builds rigdesk_<version>_amd64.deb: jlink trims a runtime to the modules Rigdesk uses, jpackage
# makes the app image around it (the rigdesk and rigdeskd launchers), and dpkg-deb packs that with
# what jpackage cannot place: the systemd unit, the sysusers entry, the desktop entry and icon, and
# /usr/bin and /usr/sbin links, so dpkg tracks every file and removal leaves nothing behind.
#   packaging/deb/build-deb.sh [OUTPUT_DIR]      (default: packaging/target; after mvn package)
# Needs: JDK 17 (jlink, jpackage), dpkg-deb, fakeroot.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${1:-$top/packaging/target}
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$top/pom.xml" | head -n 1)
app_jar="$top/app/target/rigdesk.jar"
daemon_jar="$top/daemon/target/rigdeskd.jar"
for jar in "$app_jar" "$daemon_jar"; do
    [ -f "$jar" ] || { echo "build-deb: $jar is missing: run mvn package first" >&2; exit 2; }
done
for tool in jlink jpackage dpkg-deb fakeroot; do
    command -v "$tool" >/dev/null || { echo "build-deb: $tool is missing (JDK 17, dpkg-dev, fakeroot)" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

# What jdeps finds in both jars, plus TLS's elliptic curves (GitHub's API) and JFR's API, which a
# library references reflectively.
modules=java.base,java.desktop,java.logging,java.management,java.naming,java.prefs,java.rmi,java.sql
modules+=,jdk.crypto.ec,jdk.jfr,jdk.net,jdk.security.auth,jdk.unsupported,jdk.zipfs
jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
    --output "$work/runtime"

# Each launcher gets its own jar on its class path: the input holds only the window's jar; the
# daemon's jar rides along in the app directory and its launcher names it.
mkdir -p "$work/input"
cp "$app_jar" "$work/input/rigdesk.jar"
# A small heap that grows only as needed, tight free ratios, bounded code cache and metaspace:
# 87 MiB RSS idle on the lab rig instead of 169 with the JVM's defaults (ApiBench#footprint).
cat > "$work/rigdeskd.properties" <<PROPS
main-jar=rigdeskd.jar
main-class=org.rigdesk.daemon.Rigdeskd
description=Rigdesk daemon
java-options=-XX:+UseSerialGC -Xss512k -Xms8m -Xmx256m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=24m -XX:MaxMetaspaceSize=96m
PROPS
cp "$daemon_jar" "$work/input/rigdeskd.jar"
jpackage --type app-image --name rigdesk --app-version "$version" --vendor "Rigdesk" \
    --input "$work/input" --main-jar rigdesk.jar --main-class org.rigdesk.app.Main \
    --java-options "-XX:+UseSerialGC -Xss512k" \
    --runtime-image "$work/runtime" --add-launcher rigdeskd="$work/rigdeskd.properties" --dest "$work/image"
# jpackage puts every input jar on each launcher's class path: keep each launcher to its own.
sed -i 's|^app.classpath=.*rigdeskd.jar$||' "$work/image/rigdesk/lib/app/rigdesk.cfg"
sed -i 's|^app.classpath=.*/rigdesk.jar$||' "$work/image/rigdesk/lib/app/rigdeskd.cfg"

root="$work/root"
mkdir -p "$root/opt" "$root/usr/bin" "$root/usr/sbin" "$root/lib/systemd/system" "$root/usr/lib/sysusers.d" \
    "$root/usr/share/applications" "$root/usr/share/icons/hicolor/scalable/apps" "$root/usr/share/doc/rigdesk" \
    "$root/DEBIAN"
cp -a "$work/image/rigdesk" "$root/opt/rigdesk"
ln -s /opt/rigdesk/bin/rigdesk "$root/usr/bin/rigdesk"
ln -s /opt/rigdesk/bin/rigdeskd "$root/usr/sbin/rigdeskd"
install -m 0644 "$here/rigdeskd.service" "$root/lib/systemd/system/rigdeskd.service"
install -m 0644 "$here/rigdesk.sysusers" "$root/usr/lib/sysusers.d/rigdesk.conf"
install -m 0644 "$here/rigdesk.desktop" "$root/usr/share/applications/rigdesk.desktop"
install -m 0644 "$top/resources/icons/rigdesk.svg" "$root/usr/share/icons/hicolor/scalable/apps/rigdesk.svg"
install -m 0644 "$top/README.md" "$root/usr/share/doc/rigdesk/README.md"
# The VM image recipes, so an installed Rigdesk can build its runner image (rigdesk doctor says how).
mkdir -p "$root/usr/share/rigdesk/image/agent"
install -m 0755 "$top"/packaging/image/build-runner-image.sh "$top"/packaging/image/build-test-image.sh \
    "$root/usr/share/rigdesk/image/"
install -m 0644 "$top/packaging/image/lib.sh" "$root/usr/share/rigdesk/image/"
install -m 0755 "$top"/packaging/image/agent/* "$root/usr/share/rigdesk/image/agent/"
printf 'Rigdesk %s\nThe Rigdesk authors. See README.md.\n' "$version" > "$root/usr/share/doc/rigdesk/copyright"
install -m 0755 "$here/postinst" "$here/prerm" "$here/postrm" "$root/DEBIAN/"
# Nothing writable by others, whatever the build umask.
chmod -R go-w "$root"
installed=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: rigdesk
Version: $version
Architecture: amd64
Maintainer: Rigdesk <rigdesk@localhost>
Installed-Size: $installed
Section: admin
Priority: optional
Depends: libc6, zlib1g, passwd
Recommends: qemu-system-x86, qemu-utils, pci.ids, libgtk-3-0, libgl1, systemd, debootstrap, e2fsprogs, cpio
Suggests: xdg-utils
Homepage: https://github.com/rigdesk/rigdesk
Description: GPU workstation as a GitHub Actions runner host, one microVM per job
 Rigdesk moves GPUs between their host driver and vfio-pci, runs every CI job in
 a throw-away microVM with a whole GPU passed through, registers ephemeral
 just-in-time GitHub runners, and shows it all in a desktop app with a tray
 icon and the rigdesk command. The rigdeskd service runs as root; members of
 the rigdesk group may use it.
CONTROL
deb="$out/rigdesk_${version}_amd64.deb"
fakeroot dpkg-deb --build -Zxz "$root" "$deb" >/dev/null
echo "built $deb ($(du -h "$deb" | cut -f1), installed $(( installed / 1024 )) MiB)"
