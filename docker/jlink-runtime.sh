#!/usr/bin/env bash
# Builds the Java runtime the Docker image ships: only the modules the runner jars need (found with jdeps), made
# with jlink, with its own class-data archive. The Dockerfile runs this same script; run it here (no Docker needed)
# to see the runtime's size next to the jars':
#   mvn -B -q -DskipTests package && docker/jlink-runtime.sh target/jre
# Usage: jlink-runtime.sh <output dir> [jar ...]   (default jars: both runners of this checkout)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:?usage: $0 <output dir> [jar ...]}"
shift
jars=("$@")
[ ${#jars[@]} -gt 0 ] || jars=(app-webhook/target/app-webhook.jar app-polling/target/app-polling.jar)
for j in "${jars[@]}"; do [ -f "$j" ] || { echo "no jar $j: build with mvn -B -q -DskipTests package" >&2; exit 2; }; done
# Modules the code references, plus what is only looked up at run time: the EC crypto provider (TLS to
# api.telegram.org and api.kie.ai) and the Russian and English locale data (the bot's two languages).
found="$(jdeps --ignore-missing-deps --print-module-deps --multi-release 17 -q "${jars[@]}")"
modules="$found,jdk.crypto.ec,jdk.localedata"
# JDK 21 deprecated the numbered compression levels (a warning on every build) for zip-N, which 17 does not know.
jlink_major="$(jlink --version | cut -d. -f1)"
jlink_major="${jlink_major%%[!0-9]*}" # "25-ea" and the like: the number before any suffix
compress=2
[ "$jlink_major" -ge 21 ] && compress=zip-6
rm -rf "$out"
jlink --add-modules "$modules" --include-locales=en,ru --strip-debug --no-man-pages --no-header-files \
      --compress="$compress" --generate-cds-archive --output "$out"
echo "modules: $modules"
echo "runtime: $(du -sh "$out" | cut -f1) in $out"
for j in "${jars[@]}"; do echo "jar:     $(du -sh "$j" | cut -f1) $j"; done
