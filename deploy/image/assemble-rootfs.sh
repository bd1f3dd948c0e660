#!/usr/bin/env bash
# assemble-rootfs.sh OUT QUARKUS_APP MODELS — the root file system of the service image, built on this machine
# (no base image, no registry): Jib (deploy/image/pom.xml) layers each OUT/<layer>/ onto "scratch", one layer each.
#
#   OUT/runtime/     /opt/java (a jlinked Temurin runtime), the shared libraries it and ONNX Runtime link (ldd),
#                    /etc (passwd, group, hosts, nsswitch.conf), the writable directories
#   OUT/libs/        /deployments/lib (the Quarkus fast-jar's dependencies, shipped plugins among them)
#   OUT/app/         /deployments/{quarkus-run.jar,app,quarkus}, /deployments/jvm.args (deploy/container/jvm.args)
#   OUT/models/      /deployments/models
#
# The image user is uid/gid 185 (deploy/k8s runs the pod as 185). Jib writes every file as root: the writable
# directories (/tmp, /var/cache/rsynth = the user's home, /deployments/.rsynth) are world-writable instead of owned by
# 185 (Jib sets the modes: deploy/image/pom.xml's <permissions>).
set -euo pipefail
OUT="$(realpath -m "$1")"; APP="$(realpath "$2")"; MODELS="$(realpath "$3")"
JDK="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# From `jdeps -s --multi-release 25` over the fast-jar's jars (java.compiler and jdk.compiler dropped: only optional
# code refers to them), plus the providers a JDK finds by name at run time: EC and PKCS#11 crypto, DNS, zipfs, the
# extended socket options Netty and Kafka ask for, JAAS login modules (Kafka SASL), charsets, JFR.
MODULES=java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.security.jgss,\
java.security.sasl,java.sql,java.xml,java.xml.crypto,java.instrument,java.transaction.xa,jdk.management,\
jdk.unsupported,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.naming.dns,jdk.zipfs,jdk.net,jdk.security.auth,jdk.charsets,\
jdk.jfr

rm -rf "$OUT"
mkdir -p "$OUT"/runtime/opt "$OUT"/libs/deployments "$OUT"/app/deployments "$OUT"/models/deployments
R="$OUT/runtime"
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files --compress=zip-6 \
  --output "$R/opt/java"

# AWT's X11, sound and splash-screen libraries would pull in X11 and ALSA: the service runs headless, never loads them
rm -f "$R"/opt/java/lib/{libawt_xawt.so,libjawt.so,libsplashscreen.so,libjsound.so}

# Shared libraries: whatever the runtime's and ONNX Runtime's ELF files need (ldd resolves them on this machine, a
# Debian 12 like the CI's), copied to the paths ld.so searches by default; plus libgcc_s, which glibc dlopens to
# unwind a cancelled thread.
ort_jar=$(ls "$APP"/lib/main/com.microsoft.onnxruntime.onnxruntime-*.jar | head -1)
ort_dir=$(mktemp -d); trap 'rm -rf "$ort_dir"' EXIT
(cd "$ort_dir" && "$JDK/bin/jar" xf "$ort_jar" ai/onnxruntime/native/linux-x64)
mapfile -t elves < <(find "$R/opt/java" "$ort_dir" -type f \( -name '*.so' -o -path '*/bin/*' \))
{
  for f in "${elves[@]}"; do ldd "$f" 2>/dev/null | awk '/=> \//{print $3} /^\s*\/.*ld-linux/{print $1}'; done
  ls /lib/x86_64-linux-gnu/libgcc_s.so.1
} | grep -v -e "^$R/" -e "^$ort_dir/" | sort -u | while read -r lib; do
  mkdir -p "$R$(dirname "$lib")"
  cp -L "$lib" "$R$lib"
done
# ld.so itself: the interpreter path every executable names
mkdir -p "$R/lib64"; cp -L /lib64/ld-linux-x86-64.so.2 "$R/lib64/"

mkdir -p "$R/etc" "$R/tmp" "$R/var/cache/rsynth" "$R/deployments/.rsynth" "$R/deployments/config" "$R/deployments/plugins"
printf 'root:x:0:0:root:/root:/sbin/nologin\nrsynth:x:185:185:rsynth:/var/cache/rsynth:/sbin/nologin\n' > "$R/etc/passwd"
printf 'root:x:0:\nrsynth:x:185:\n' > "$R/etc/group"
printf '127.0.0.1 localhost\n::1 localhost ip6-localhost\n' > "$R/etc/hosts"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$R/etc/nsswitch.conf"

cp -r "$APP/lib" "$OUT/libs/deployments/lib"
cp -r "$APP/quarkus-run.jar" "$APP/app" "$APP/quarkus" "$HERE/../container/jvm.args" "$OUT/app/deployments/"
cp -r "$MODELS" "$OUT/models/deployments/models"
du -sh "$OUT"/* >&2
