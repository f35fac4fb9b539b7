#!/usr/bin/env bash
# Builds rigdesk_<version>_amd64.deb: jlink trims a runtime to the modules Rigdesk uses (JavaFX's
# among them), jpackage makes the app image around it (the rigdesk and rigdeskd launchers over one
# set of library jars), and dpkg-deb packs that with
# what jpackage cannot place: the systemd unit, the sysusers entry, the desktop entry and icon, and
# /usr/bin and /usr/sbin links, so dpkg tracks every file and removal leaves nothing behind.
#   packaging/deb/build-deb.sh [OUTPUT_DIR]      (default: packaging/target; after mvn package)
# Needs: JDK 17 (jlink, jpackage, jar), dpkg-deb, fakeroot, python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${1:-$top/packaging/target}
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$top/pom.xml" | head -n 1)
app_jar="$top/app/target/rigdesk.jar"
daemon_jar="$top/daemon/target/rigdeskd.jar"
javafx="$top/app/target/javafx"
for built in "$app_jar" "$daemon_jar" "$top/app/target/lib" "$top/daemon/target/lib" "$javafx"; do
    [ -e "$built" ] || { echo "build-deb: $built is missing: run mvn package first" >&2; exit 2; }
done
for tool in jlink jpackage jar dpkg-deb fakeroot python3; do
    command -v "$tool" >/dev/null || { echo "build-deb: $tool is missing (JDK 17, dpkg-dev, fakeroot, python3)" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

# One runtime for both launchers: what jdeps finds in both programs, TLS's elliptic curves (GitHub's
# API), JFR's API (a library references it reflectively), and JavaFX linked in as modules: the
# window's natives go to the runtime's lib/, where JavaFX loads them from (no copy in the image, no
# extraction into the user's home). The module image shares its constant strings but is not zipped:
# the package's xz packs it far tighter than jlink's zip (--compress=2 made a 46 MB .deb, this a
# 32 MB one), at 70 MB on disk instead of 58 (uncompressed: 91).
modules=java.base,java.desktop,java.logging,java.management,java.naming,java.prefs,java.rmi,java.sql
modules+=,jdk.crypto.ec,jdk.jfr,jdk.net,jdk.security.auth,jdk.unsupported,jdk.zipfs
modules+=,javafx.base,javafx.graphics,javafx.controls
jlink --module-path "$javafx" --add-modules "$modules" --exclude-resources='glob:/javafx.graphics/lib*.so' \
    --strip-debug --no-header-files --no-man-pages --compress=1 --output "$work/runtime"
graphics=$(ls "$javafx"/javafx-graphics-*.jar)
(cd "$work/runtime/lib" && jar xf "$graphics" $(jar tf "$graphics" | grep -E '^lib[^/]*\.so$'))

# Both programs as thin jars beside one lib/ with each library once (their manifests' Class-Path
# names lib/…), trimmed to what an amd64 Linux package uses.
mkdir -p "$work/input/lib"
cp "$app_jar" "$work/input/rigdesk.jar"
cp "$daemon_jar" "$work/input/rigdeskd.jar"
cp -n "$top"/app/target/lib/*.jar "$top"/daemon/target/lib/*.jar "$work/input/lib/"
rm -f "$work"/input/lib/annotations-*.jar  # compile-time annotations of Kotlin's library
trim="python3 $here/trim-jar.py"
$trim "$work"/input/lib/sqlite-jdbc-*.jar 'org/sqlite/native/*' --keep 'org/sqlite/native/Linux/x86_64/*'
$trim "$work"/input/lib/junixsocket-native-common-*.jar 'lib/*' 'META-INF/native-image/*' \
    --keep 'lib/amd64-Linux-clang/*'
# The window uses AtlantaFX's Primer theme, light and dark, as CSS.
$trim "$work"/input/lib/atlantafx-base-*.jar 'atlantafx/base/theme/*.bss' 'atlantafx/base/theme/*.css' \
    --keep 'atlantafx/base/theme/primer-light.css' 'atlantafx/base/theme/primer-dark.css'
# A small heap that grows only as needed, tight free ratios, bounded code cache and metaspace:
# 87 MiB RSS idle on the lab rig instead of 169 with the JVM's defaults (ApiBench#footprint).
cat > "$work/rigdeskd.properties" <<PROPS
main-jar=rigdeskd.jar
main-class=org.rigdesk.daemon.Rigdeskd
description=Rigdesk daemon
java-options=-XX:+UseSerialGC -Xss512k -Xms8m -Xmx256m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=24m -XX:MaxMetaspaceSize=96m
PROPS
# The window's flags are in rigdesk.jvmflags (AppBench reads the same file): a heap that starts at
# 16 MiB and grows as needed (the JVM's default starts at 1/64 of the RAM, 384 MiB committed on a
# 24 GiB desk), C1 only (half a second of the start on two cores, and no C2 arena).
jpackage --type app-image --name rigdesk --app-version "$version" --vendor "Rigdesk" \
    --input "$work/input" --main-jar rigdesk.jar --main-class org.rigdesk.app.Main \
    --java-options "$(cat "$here/rigdesk.jvmflags") --add-modules javafx.controls" \
    --runtime-image "$work/runtime" --add-launcher rigdeskd="$work/rigdeskd.properties" --dest "$work/image"
# jpackage puts every input jar on each launcher's class path: each launcher gets its own jar alone,
# whose manifest brings in the libraries it uses.
for launcher in rigdesk rigdeskd; do
    cfg="$work/image/rigdesk/lib/app/$launcher.cfg"
    sed -i '/^app.classpath=/d' "$cfg"
    sed -i "s|^\[Application\]$|[Application]\napp.classpath=\$APPDIR/$launcher.jar|" "$cfg"
done

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
Depends: libc6, zlib1g, passwd, util-linux, iproute2, nftables
Recommends: libgtk-3-0t64 | libgtk-3-0, libgl1, qemu-system-x86, qemu-utils, pci.ids, systemd, debootstrap, e2fsprogs, cpio
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
