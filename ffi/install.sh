#!/usr/bin/env bash
# Installs libeseal for C, Go (cgo) and other consumers under PREFIX:
#   PREFIX/include/eseal.h
#   PREFIX/lib/libeseal.so, PREFIX/lib/libeseal.a
#   PREFIX/lib/pkgconfig/eseal.pc         (dynamic: -leseal, with an rpath to PREFIX/lib)
#   PREFIX/lib/pkgconfig/eseal-static.pc  (static: libeseal.a and the system libraries it needs)
# Then: PKG_CONFIG_PATH=PREFIX/lib/pkgconfig go build (the Go binding asks pkg-config for
# "eseal", or "eseal-static" with the build tag eseal_static), or
# cc $(pkg-config --cflags --libs eseal) ...
# Builds the library in release first if target/release has none.
#
# usage: ffi/install.sh PREFIX
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: ffi/install.sh PREFIX" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1"
prefix=$(cd "$1" && pwd)
if [ ! -f "$root/target/release/libeseal.so" ] || [ ! -f "$root/target/release/libeseal.a" ]; then
    (cd "$root" && cargo build --release --quiet -p eseal-ffi)
fi
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/ffi/Cargo.toml" | head -1)
install -d "$prefix/include" "$prefix/lib/pkgconfig"
install -m 644 "$root/ffi/include/eseal.h" "$prefix/include/eseal.h"
install -m 755 "$root/target/release/libeseal.so" "$prefix/lib/libeseal.so"
install -m 644 "$root/target/release/libeseal.a" "$prefix/lib/libeseal.a"
common="prefix=$prefix
includedir=\${prefix}/include
libdir=\${prefix}/lib
"
cat >"$prefix/lib/pkgconfig/eseal.pc" <<PC
${common}
Name: eseal
Description: C ABI of eseal: GB/T 38540 electronic seals with SM2/SM3, PDF and OFD (shared library)
Version: $version
Cflags: -I\${includedir}
Libs: -L\${libdir} -leseal -Wl,-rpath,\${libdir}
PC
cat >"$prefix/lib/pkgconfig/eseal-static.pc" <<PC
${common}
Name: eseal-static
Description: C ABI of eseal: GB/T 38540 electronic seals with SM2/SM3, PDF and OFD (static library)
Version: $version
Cflags: -I\${includedir}
Libs: \${libdir}/libeseal.a -lpthread -ldl -lm
PC
echo "installed libeseal $version under $prefix (pkg-config: PKG_CONFIG_PATH=$prefix/lib/pkgconfig)"
