#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/kunit.sh: the runner behind `make kunit`.  Links kunit/ into a kernel
# tree extracted from Debian's linux-source package and runs the tree's own
# tools/testing/kunit/kunit.py: on User-Mode Linux (uniprocessor, so the
# two-CPU ring case skips there) and on qemu x86_64 with CONFIG_SMP=y and two
# CPUs (TCG).  Prints kunit.py's parsed results, one line per case, and ends
# with "kunit: N passed, N failed, N skipped".  Exits non-zero if any case
# failed or a kernel did not configure, build or boot.
#
# The tree, the build directories and the ccache live outside the checkout,
# in $RTE_KNI_KUNIT_DIR, and are made again whenever they are missing.

set -u -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
. "$here/lib.sh"

work=${RTE_KNI_KUNIT_DIR:-/var/tmp/rte-kni-kunit}
series=${RTE_KNI_KUNIT_SERIES:-6.12}
archs=${RTE_KNI_KUNIT_ARCHS:-um x86_64}
timeout=${RTE_KNI_KUNIT_TIMEOUT:-600}	# per kernel run, building excluded

usage()
{
	cat <<EOF
Usage: tests/kunit.sh [-a ARCHS] [-s SERIES] [-V] [-- KUNIT.PY-RUN-ARGS...]

  -a ARCHS   kunit.py architectures to run, e.g. um or "um x86_64"
             (default: "$archs")
  -s SERIES  linux-source-SERIES to build from (default: $series)
  -V         print the version of the tree the suites run on, and exit
  --         pass the rest to kunit.py run, e.g. -- 'rte_kni_ring.*'

Environment: RTE_KNI_KUNIT_DIR (tree, builds and ccache; default
/var/tmp/rte-kni-kunit), RTE_KNI_KUNIT_SERIES, RTE_KNI_KUNIT_ARCHS,
RTE_KNI_KUNIT_TIMEOUT (seconds a test kernel may run; default 600).
EOF
}

version_only=0
while getopts a:s:Vh opt; do
	case $opt in
	a) archs=$OPTARG ;;
	s) series=$OPTARG ;;
	V) version_only=1 ;;
	h) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
extra=("$@")

die()
{
	echo "kunit: $*" >&2
	echo "kunit: 0 passed, 1 failed, 0 skipped"
	exit 1
}

tarball=/usr/src/linux-source-$series.tar.xz
pkgver=$(dpkg-query -W -f='${Version}' "linux-source-$series" 2>/dev/null)

# The upstream version, e.g. 6.12.117 for 6.12.117-1~deb12u1.
if ((version_only)); then
	echo "${pkgver%%-*}" | grep . || echo "$series"
	exit 0
fi

# ---- prerequisites (tests/deps.sh installs them) ----------------------------

missing=()
[ -r "$tarball" ] && [ -n "$pkgver" ] || missing+=("linux-source-$series")
for tool in flex bison bc gcc make python3 xz; do
	command -v "$tool" >/dev/null || missing+=("$tool")
done
if [[ " $archs " = *" x86_64 "* ]]; then
	command -v qemu-system-x86_64 >/dev/null &&
		[ -r /usr/share/qemu/qboot.rom ] || missing+=(qemu-system-x86)
	[ -r /usr/include/gelf.h ] || missing+=(libelf-dev)
fi
((${#missing[@]} == 0)) || die "missing ${missing[*]}: run tests/deps.sh (make deps)"

# One run at a time per cache: the tree is shared by every checkout.
rk_lock "$work" kunit || die "cannot create $work"

# ---- the kernel tree ----------------------------------------------------------

tree=$work/linux-${pkgver//'~'/_}
rk_extract "$tarball" "$tree" kunit || die "could not extract $tarball"

# Link kunit/ in as drivers/rte_kni_kunit.  Its Makefile reaches ../driver by
# the physical path, so the suites build the sources of this checkout.
ln -sfn "$src/kunit" "$tree/drivers/rte_kni_kunit" || die "cannot link kunit/ into $tree"
grep -qs '^source "drivers/rte_kni_kunit/Kconfig"' "$tree/drivers/Kconfig" ||
	echo 'source "drivers/rte_kni_kunit/Kconfig"' >>"$tree/drivers/Kconfig"
grep -qs '^obj-y += rte_kni_kunit/' "$tree/drivers/Makefile" ||
	echo 'obj-y += rte_kni_kunit/' >>"$tree/drivers/Makefile"

make_opts=()
if command -v ccache >/dev/null; then
	export CCACHE_DIR=$work/ccache CCACHE_BASEDIR=$work
	make_opts=(--make_options 'CC=ccache gcc')
fi

# ---- the runs -----------------------------------------------------------------

passed=0 failed=0 skipped=0 status=0

# count JSON: "PASSED FAILED SKIPPED" over every case, parameters included.
count()
{
	python3 - "$1" <<'EOF'
import json, sys
n = {"PASS": 0, "FAIL": 0, "SKIP": 0}
def walk(g):
    for c in g.get("test_cases", []):
        s = c.get("status")
        n[s if s in n else "FAIL"] += 1
    for sub in g.get("sub_groups", []):
        walk(sub)
walk(json.load(open(sys.argv[1])))
print(n["PASS"], n["FAIL"], n["SKIP"])
EOF
}

for arch in $archs; do
	build=$work/build-${pkgver//'~'/_}-$arch
	json=$build/rte-kni-results.json
	args=(run --build_dir="$build" --kunitconfig="$src/kunit" --arch="$arch"
	      --jobs="$(nproc)" --timeout="$timeout" --json="$json" "${make_opts[@]}")
	case $arch in
	um) ;;
	*)	# kunit.py's x86_64 config is uniprocessor; the ring wants two CPUs.
		args+=(--kconfig_add CONFIG_SMP=y --qemu_args '-smp 2') ;;
	esac

	echo "kunit: $arch on linux-source-$series $pkgver (build: $build)"
	rm -f "$json"
	start=$EPOCHREALTIME
	(cd "$tree" && python3 tools/testing/kunit/kunit.py "${args[@]}" "${extra[@]}") 2>&1 |
		grep --line-buffered -v "^stty: 'standard input'"
	rc=${PIPESTATUS[0]}
	secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')

	if [ -s "$json" ] && counts=$(count "$json"); then
		read -r p f s <<<"$counts"
		# The summary above shows neither why a case skipped nor what a
		# passing case reported (kunit_info()); the KTAP has both.
		sed -nE -e "s/^[[:space:]]*ok [0-9]+ ([^ ]+) # SKIP (.*)/kunit: $arch: \1: skipped: \2/p" \
			-e '/: pass:[0-9]+ fail:|EXPECTATION FAILED|ASSERTION FAILED|^[[:space:]]*# module:/d' \
			-e "s/^[[:space:]]*# ([a-z0-9_]+): (.*)/kunit: $arch: \1: \2/p" \
			"$build/test.log" 2>/dev/null
	else
		p=0 f=0 s=0
	fi
	if ((rc != 0 && f == 0)); then
		# kunit.py failed without a failing case: config, build or boot.
		f=1
		echo "kunit: $arch: kunit.py exited $rc (no failing case: configuration, build or boot failure)"
	fi
	echo "kunit: $arch: $p passed, $f failed, $s skipped (${secs}s)"
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	((rc == 0)) || status=1
done

echo "kunit: $passed passed, $failed failed, $skipped skipped"
((status == 0 && failed == 0 && passed > 0))
