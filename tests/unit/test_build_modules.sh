#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# test_build_modules - tests/vm/build-modules keeps one build directory
# per kernel for every checkout (make check, make matrix, a fresh clone):
# a source that changed must be rebuilt even when the checkout's copy of
# it is older than the objects already there (a clone of an older commit,
# or one made before the last build).  Builds the driver twice against the
# newest kernel headers installed.  Exit 0 pass, 1 fail, 77 skip.

src=${RTE_KNI_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -x "$src/tests/vm/build-modules" ] || { echo "skip: no checkout at $src (RTE_KNI_SRC)"; exit 77; }
kver=$(ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1 | cut -d/ -f4)
[ -n "$kver" ] || { echo "skip: no kernel headers installed"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/a" "$tmp/b" && cp -a "$src/driver" "$src/VERSION" "$tmp/a/" &&
	cp -a "$src/driver" "$src/VERSION" "$tmp/b/" || exit 1
rm -f "$tmp/a/driver/"*.o "$tmp/a/driver/"*.ko "$tmp/b/driver/"*.o "$tmp/b/driver/"*.ko
# b: one source differs, and is older than anything a build makes
sed -i 's/^MODULE_DESCRIPTION(\(.*\));$/MODULE_DESCRIPTION(\1 " (b)");/' "$tmp/b/driver/kni_main.c"
grep -q '" (b)");$' "$tmp/b/driver/kni_main.c" || { echo "FAIL: cannot mark b's kni_main.c"; exit 1; }
touch -d '2001-01-01' "$tmp/b/driver/kni_main.c"

build()
{
	"$src/tests/vm/build-modules" -s "$1/driver" "$kver" "$tmp/out/driver" >"$tmp/log" 2>&1 ||
		{ cat "$tmp/log"; echo "FAIL: build from $1 for $kver"; exit 1; }
}

build "$tmp/a"
desc=$(modinfo -F description "$tmp/out/driver/rte_kni.ko")
echo "ok: built from a for $kver: $desc"
build "$tmp/b"
desc=$(modinfo -F description "$tmp/out/driver/rte_kni.ko")
case $desc in
*" (b)") echo "ok: rebuilt from b, whose kni_main.c is older than a's objects: $desc" ;;
*) echo "FAIL: rte_kni.ko is still a's after building b: $desc"; exit 1 ;;
esac
