/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * monitor.c - the control thread: prints and resets the statistics when
 * the signal handler asks (printf is not async-signal-safe), and with -m
 * mirrors each port's link (carrier, speed, duplex) onto its interfaces:
 * every 500 ms, and at once when a port signals a link change by interrupt.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_ethdev.h>
#include <rte_kni.h>
#include <rte_lcore.h>

#include "compat.h"
#include "kni_app.h"

#define MONITOR_TICK_US		100000	/* signal flags */
#define MONITOR_LINK_TICKS	5	/* links every 500 ms */

static rte_thread_t monitor_thread;
static bool monitor_running;
static volatile bool monitor_stop;
static bool link_event;		/* a port reported a link change */

void kni_monitor_kick(void)
{
	__atomic_store_n(&link_event, true, __ATOMIC_RELEASE);
}

/*
 * By the interface, not its name (which the administrator may change);
 * the kernel keeps what it is told while the interface is down, and
 * forgets it when it goes down, so it is told again every time.
 */
static void links_update(void)
{
	char text[RTE_ETH_LINK_MAX_STR_LEN];
	struct rte_eth_link link;
	unsigned int i;
	uint16_t id;
	int prev;

	kni_foreach_port(id) {
		struct kni_port *p = &kni_app.port[id];

		if (kni_port_link_get(id, &link))
			continue;
		for (i = 0; i < p->nb_kni; i++) {
			const char *name = rte_kni_get_name(p->kni[i]);

			prev = rte_kni_set_link(p->kni[i], &link);
			if (prev < 0 || prev == link.link_status)
				continue;
			rte_eth_link_to_str(text, sizeof(text), &link);
			printf("kni: %s carrier %s (port %u: %s)\n", name,
			       link.link_status ? "on" : "off", id, text);
			fflush(stdout);
		}
	}
}

static uint32_t monitor_main(void *arg)
{
	unsigned int tick = 0;
	bool due;

	(void)arg;
	while (!monitor_stop) {
		if (kni_reset_stats) {
			kni_reset_stats = 0;
			kni_stats_reset();
		}
		if (kni_print_stats) {
			kni_print_stats = 0;
			kni_stats_print();
		}
		due = tick++ % MONITOR_LINK_TICKS == 0;
		if (__atomic_exchange_n(&link_event, false, __ATOMIC_ACQ_REL))
			due = true;
		if (due && kni_app.monitor_links)
			links_update();
		usleep(MONITOR_TICK_US);
	}
	return 0;
}

int kni_monitor_start(void)
{
	int ret;

	ret = rte_thread_create_control(&monitor_thread, "kni-monitor",
					monitor_main, NULL);
	if (ret) {
		fprintf(stderr, "kni: cannot start the monitor thread: %s\n",
			strerror(-ret));
		return -ret;
	}
	monitor_running = true;
	return 0;
}

void kni_monitor_stop(void)
{
	if (!monitor_running)
		return;
	monitor_stop = true;
	rte_thread_join(monitor_thread, NULL);
	monitor_running = false;
}
