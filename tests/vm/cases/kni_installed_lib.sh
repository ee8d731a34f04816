#!/bin/bash
# An application built the way users build one: the library installed with
# make install (into the VM's throw-away overlay of /usr/local), then
# cc prog.c $(pkg-config --cflags --libs librte_kni).  The program is the
# test application itself; it must load the installed library and pass
# traffic both ways.
# vmrun: -c 2 -m 1536 -a hugepages=256
. tests/vm/kni_case.sh

make -s -C lib install PREFIX=/usr/local >/tmp/install.log 2>&1 || { cat /tmp/install.log; fail "make install"; }
ldconfig
export PKG_CONFIG_PATH=/usr/local/lib/pkgconfig:/usr/local/lib/x86_64-linux-gnu/pkgconfig
ok "pkg-config librte_kni: $(pkg-config --modversion librte_kni), $(pkg-config --libs librte_kni)"
cc -O2 -o /tmp/kni_prog tests/apps/kni_testapp.c $(pkg-config --cflags --libs librte_kni) \
	|| fail "cc against the installed library"
lib=$(ldd /tmp/kni_prog | awk '/librte_kni/ { print $3 }')
case $lib in
/usr/local/*) ok "kni_prog uses $lib" ;;
*) fail "kni_prog links $lib, not the installed copy" ;;
esac
B=/tmp
cp /tmp/kni_prog /tmp/kni_testapp
app_start /tmp/app.log --no-pci --vdev=net_null0 -l 0 --file-prefix inst -- \
	--carrier-up --inject 200 --inject-size 256 --count-udp-port 7000
B=$RTE_KNI_BIN
traffic_check /tmp/app.log 200 256
app_stop "$APP_PID" /tmp/app.log
gone vEth0
rmmod rte_kni
ok "rmmod rte_kni"
