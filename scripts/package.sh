#!/usr/bin/env bash
# Builds the Debian packages (SPEC 14) and checks them with lintian:
#   dist/emservice_<version>_<arch>.deb      programs, plugins, unit, configuration, man pages
#   dist/emservice-dev_<version>_<arch>.deb  the plugin SDK
#
#   scripts/package.sh [extra cmake -D options]
#
# The packages need Debian's layout (/usr, /etc, /var), so they are built in
# a folder of their own (build-deb), without the tests. With ccache, the
# objects are those scripts/build.sh made: only linking is left (with
# Debian's relro and bindnow; compile flags stay those of build.sh, so that
# the cache serves them).
#   EM_PACKAGE_BUILD_DIR  the build folder (default: build-deb)
#   EM_PACKAGE_OUT        where the .deb files go (default: dist)
#   EM_PACKAGE_LINTIAN=0  skip lintian
# Exit status 1 when the build fails or lintian reports an error.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${EM_PACKAGE_BUILD_DIR:-$root/build-deb}
out=${EM_PACKAGE_OUT:-$root/dist}

"$root/scripts/install-deps.sh" >/dev/null

echo "package: configuring $build (Debian layout, no tests)"
mkdir -p "$build"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEM_BUILD_TESTS=OFF \
  -DCMAKE_INSTALL_PREFIX=/usr -DCMAKE_INSTALL_LIBDIR=lib -DCMAKE_INSTALL_SYSCONFDIR=/etc \
  -DCMAKE_INSTALL_LOCALSTATEDIR=/var \
  "-DCMAKE_EXE_LINKER_FLAGS=-Wl,-z,relro -Wl,-z,now" \
  "-DCMAKE_MODULE_LINKER_FLAGS=-Wl,-z,relro -Wl,-z,now" "$@" >"$build/package-configure.log" 2>&1 ||
  { cat "$build/package-configure.log" >&2; exit 1; }

echo "package: building the programs, plugins and man pages"
start=$SECONDS
log="$build/package-build.log"
if ! cmake --build "$build" -j "${EM_JOBS:-$(nproc)}" >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "package: the build failed; the whole log is $log" >&2
  exit 1
fi
echo "package: built in $((SECONDS - start)) s"

mkdir -p "$out"
rm -f "$out"/emservice_*.deb "$out"/emservice-dev_*.deb
(cd "$build" && cpack -G DEB -B "$build/cpack" >"$build/cpack.log" 2>&1) ||
  { cat "$build/cpack.log" >&2; exit 1; }
mv "$build"/cpack/*.deb "$out"/
for deb in "$out"/emservice_*.deb "$out"/emservice-dev_*.deb; do
  printf '%s  %s\n' "$(du -h "$deb" | cut -f1)" "$deb"
  dpkg-deb --field "$deb" Package Version Architecture Depends Recommends | sed 's/^/    /'
done

if [ "${EM_PACKAGE_LINTIAN:-1}" = 0 ]; then
  exit 0
fi
if ! command -v lintian >/dev/null; then
  echo "package: lintian is not installed: not checked" >&2
  exit 0
fi
echo "package: lintian"
# The tags lintian prints are the report; only errors fail the build.
# -I: informational tags too. (As root, lintian says it is not recommended.)
report=$(lintian --tag-display-limit 0 -I "$out"/emservice_*.deb "$out"/emservice-dev_*.deb 2>&1 |
  grep -v 'running with root privileges' || true)
[ -n "$report" ] && printf '%s\n' "$report" | sed 's/^/    /'
errors=$(printf '%s\n' "$report" | grep -c '^E: ' || true)
warnings=$(printf '%s\n' "$report" | grep -c '^W: ' || true)
infos=$(printf '%s\n' "$report" | grep -c '^I: ' || true)
echo "package: lintian: $errors errors, $warnings warnings, $infos informational tags"
[ "$errors" -eq 0 ]
