/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fake_kni_loop.c - LD_PRELOAD companion of fake_kni.c for running a real
 * application (tests/apps/kni_testapp) on a host without rte_kni.ko.
 *
 * A thread plays a loopback kernel: every valid frame the application
 * sends is sent straight back to it, malformed ones are counted and
 * returned.  It also asks for MTU 9000 and "up" once the interface exists,
 * and fakes the few /sys/class/net/<name>/ files the application reads.
 * A summary line "fake_kni: ..." is printed to stderr at exit.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake_kni.h"

static struct {
	int up;
	unsigned int looped, requests, answers, refused;
	int stop;
	pthread_t thread;
} lp;

static void answer_requests(struct fake_if *f)
{
	struct rte_kni_request r;

	while (fake_resp_take(f, &r)) {
		lp.answers++;
		if (r.result)
			lp.refused++;
		if (r.type == RTE_KNI_REQ_CFG_NETWORK_IF && !r.result)
			lp.up = r.if_up;
	}
}

static void ask(struct fake_if *f)
{
	uint32_t mtu = 9000;
	uint8_t up = 1;

	fake_req_post(f, RTE_KNI_REQ_CHANGE_MTU, 0, &mtu, sizeof(mtu));
	fake_req_post(f, RTE_KNI_REQ_CFG_NETWORK_IF, 0, &up, sizeof(up));
	lp.requests += 2;
}

/*
 * Echo what came in; a frame that finds no empty mbuf waits (as the stack
 * would queue it) and nothing more is taken until it went out.
 */
static void loop_once(struct fake_if *f)
{
	static unsigned int next;

	if (next == f->npkts) {
		fake_pkts_clear(f);
		next = 0;
		fake_rx_consume(f, 256);
	}
	while (next < f->npkts &&
	       fake_tx_send(f, f->pkt[next], f->pkt_len[next]) == 0) {
		lp.looped++;
		next++;
	}
	answer_requests(f);
}

static void *loop(void *arg)
{
	int asked = 0;

	(void)arg;
	while (!__atomic_load_n(&lp.stop, __ATOMIC_RELAXED)) {
		pthread_mutex_lock(&fake_lock);
		if (fk.ifs[0].live) {
			if (!asked++)
				ask(&fk.ifs[0]);
			loop_once(&fk.ifs[0]);
		}
		pthread_mutex_unlock(&fake_lock);
		usleep(200);
	}
	return NULL;
}

static void __attribute__((constructor)) loop_start(void)
{
	pthread_create(&lp.thread, NULL, loop, NULL);
}

static void __attribute__((destructor)) loop_stop(void)
{
	__atomic_store_n(&lp.stop, 1, __ATOMIC_RELAXED);
	pthread_join(lp.thread, NULL);
	fprintf(stderr, "fake_kni: looped=%u rx_bad=%u rx_outside=%u requests=%u answers=%u refused=%u\n",
		lp.looped, fk.ifs[0].rx_bad, fk.ifs[0].rx_outside,
		lp.requests, lp.answers, lp.refused);
}

/* /sys/class/net/<name>/{flags,address,ifindex} of the fake interface */
FILE *fopen(const char *path, const char *mode)
{
	static FILE *(*real)(const char *, const char *);
	const struct fake_if *f = &fk.ifs[0];
	const char *prefix = "/sys/class/net/", *p;
	char *text = NULL;
	int n = -1;

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "fopen");
	p = path + strlen(prefix);
	if (strncmp(path, prefix, strlen(prefix)) || !f->c.name[0] ||
	    strncmp(p, f->c.name, strlen(f->c.name)) ||
	    p[strlen(f->c.name)] != '/')
		return real(path, mode);
	p += strlen(f->c.name) + 1;
	if (!strcmp(p, "flags"))
		n = asprintf(&text, "0x%x\n", lp.up ? 0x1003 : 0x1002);
	else if (!strcmp(p, "address"))
		n = asprintf(&text, "02:4b:4e:49:00:01\n");
	else if (!strcmp(p, "ifindex"))
		n = asprintf(&text, "%d\n", f->c.ifindex);
	if (n < 0)
		return NULL;
	return fmemopen(text, n, "r");
}
