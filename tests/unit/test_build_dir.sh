#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# test_build_dir - one build directory (make O=DIR) used by a checkout that
# moved, as make check's release builds use one per release for every
# clone: the kni example must compile against the checkout at hand, not
# the one librte_kni-uninstalled.pc named when it was first written.
# Exit 0 pass, 1 fail, 77 skip.

src=${RTE_KNI_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -r "$src/lib/librte_kni.pc.in" ] || { echo "skip: no checkout at $src (RTE_KNI_SRC)"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

build()
{
	make -s -C "$1/lib" O="$tmp/out" &&
		make -s -C "$1/examples/kni" KNI_BUILD="$tmp/out" O="$tmp/out/examples"
}

mkdir "$tmp/a" && cp -a "$src/lib" "$src/examples" "$src/driver" "$src/VERSION" "$tmp/a/" || exit 1
rm -rf "$tmp/a/driver/"*.o
build "$tmp/a" >"$tmp/log" 2>&1 || { cat "$tmp/log"; echo "FAIL: first build"; exit 1; }
echo "ok: built from $tmp/a into $tmp/out"
mv "$tmp/a" "$tmp/b" && touch "$tmp/b/examples/kni/main.c" || exit 1
build "$tmp/b" >"$tmp/log" 2>&1 || { cat "$tmp/log"; echo "FAIL: the example does not build from the moved checkout"; exit 1; }
grep -q "$tmp/b/lib/include" "$tmp/out/lib/pkgconfig/librte_kni-uninstalled.pc" ||
	{ cat "$tmp/out/lib/pkgconfig/librte_kni-uninstalled.pc"; echo "FAIL: the .pc does not name $tmp/b"; exit 1; }
echo "ok: rebuilt from $tmp/b: librte_kni-uninstalled.pc follows the checkout"
