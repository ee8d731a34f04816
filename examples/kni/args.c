/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * args.c - the application's command line (after EAL's "--") and --help.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kni_app.h"

void kni_usage(const char *prgname)
{
	printf(
"\nUsage: %s [EAL options] -- -p PORTMASK [-P] [-m]\n"
"          --config=\"(port,lcore_rx,lcore_tx[,lcore_kthread,...])[,(...)]\"\n"
"\n"
"Forwards packets between DPDK ports and Linux network interfaces created\n"
"through the Kernel NIC Interface (rte_kni.ko must be loaded): what a port\n"
"receives goes to the kernel's network stack through vEth<port>, and what\n"
"the stack sends on vEth<port> leaves through the port.\n"
"\n"
"  -p PORTMASK  hexadecimal mask of the ports to use (0x1: port 0, 0x3:\n"
"               ports 0 and 1); it must name exactly the ports of --config\n"
"  -P           put every port in promiscuous mode.  Without it a port\n"
"               accepts only frames for its own MAC address (which is also\n"
"               the interface's), broadcast, and the multicast groups its\n"
"               interface joined\n"
"  -m           mirror each port's link onto its interfaces: every 500 ms\n"
"               the port's link becomes the interfaces' carrier, and its\n"
"               speed and duplex what ethtool shows; carrier changes are\n"
"               logged.  Use it with rte_kni.ko carrier=off (the\n"
"               default); without -m load rte_kni.ko carrier=on, or the\n"
"               interfaces never get a carrier\n"
"  --config=\"(port,lcore_rx,lcore_tx[,lcore_kthread,...]),...\"\n"
"               one group per port.  lcore_rx receives from the port, hands\n"
"               the packets to the kernel and answers the kernel's requests;\n"
"               lcore_tx sends what the kernel transmitted.  Both must be\n"
"               EAL lcores (-l); they may be the same lcore, and one lcore\n"
"               may serve several ports.  Each lcore_kthread (at most %d)\n"
"               adds an interface vEth<port>_<i> whose kernel poller is bound\n"
"               to that CPU (rte_kni.ko kthread_mode=multiple); without any,\n"
"               the port gets the single interface vEth<port>\n"
"  -h, --help   this text\n"
"\n"
"Requests from the kernel act on the port of the interface's first KNI:\n"
"  ip link set vEth0 mtu N       the port is stopped, reconfigured with\n"
"                                MTU N and started again\n"
"  ip link set vEth0 up | down   the port is restarted | stopped\n"
"  ip link set vEth0 address A   the port's MAC address becomes A\n"
"  promisc / allmulticast        the port's mode follows the interface\n"
"  ip maddr, joining a group     the port's multicast filter follows the\n"
"                                interface's list (all-multicast beyond\n"
"                                256 addresses)\n"
"While a request is applied, the other lcores stop forwarding.\n"
"\n"
"Signals:\n"
"  SIGUSR1                 print the statistics table: per port, packets\n"
"                          handed to the kernel (rx_packets) or refused by\n"
"                          it (rx_dropped), packets sent on the port\n"
"                          (tx_packets) or refused by it (tx_dropped)\n"
"  SIGUSR2                 reset the statistics\n"
"  SIGINT SIGTERM SIGRTMIN delete the interfaces, stop the ports and exit\n"
"\n"
"Example, port 0 received and sent on lcore 1:\n"
"  %s -l 0,1 -- -p 0x1 -m --config=\"(0,1,1)\"\n",
	       prgname, KNI_MAX_KTHREAD, prgname);
}

static int parse_uint(const char **s, unsigned long max, unsigned long *val)
{
	char *end;

	while (isspace((unsigned char)**s))
		(*s)++;
	if (!isdigit((unsigned char)**s))
		return -1;
	errno = 0;
	*val = strtoul(*s, &end, 10);
	if (errno || *val > max)
		return -1;
	*s = end;
	while (isspace((unsigned char)**s))
		(*s)++;
	return 0;
}

/* One "(port,lcore_rx,lcore_tx[,lcore_kthread...])" group. */
static int parse_group(const char **s)
{
	unsigned long v[3 + KNI_MAX_KTHREAD];
	struct kni_port *p;
	unsigned int n = 0, i;

	if (**s != '(')
		return -1;
	(*s)++;
	for (;;) {
		if (n == RTE_DIM(v)) {
			fprintf(stderr, "kni: more than %d kernel-thread lcores for a port\n",
				KNI_MAX_KTHREAD);
			return -1;
		}
		if (parse_uint(s, n ? RTE_MAX_LCORE - 1 : RTE_MAX_ETHPORTS - 1, &v[n]))
			return -1;
		n++;
		if (**s == ')')
			break;
		if (**s != ',')
			return -1;
		(*s)++;
	}
	(*s)++;
	if (n < 3) {
		fprintf(stderr, "kni: a --config group needs port, lcore_rx and lcore_tx\n");
		return -1;
	}
	p = &kni_app.port[v[0]];
	if (p->enabled) {
		fprintf(stderr, "kni: port %lu appears twice in --config\n", v[0]);
		return -1;
	}
	p->enabled = true;
	p->lcore_rx = v[1];
	p->lcore_tx = v[2];
	p->nb_lcore_k = n - 3;
	for (i = 0; i < p->nb_lcore_k; i++)
		p->lcore_k[i] = v[3 + i];
	return 0;
}

static int parse_config(const char *arg)
{
	const char *s = arg;

	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (parse_group(&s)) {
			fprintf(stderr, "kni: bad --config near \"%s\"\n", s);
			return -1;
		}
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			return 0;
		if (*s++ != ',') {
			fprintf(stderr, "kni: bad --config near \"%s\"\n", s - 1);
			return -1;
		}
	}
}

static int parse_portmask(const char *arg)
{
	unsigned long mask;
	char *end;

	errno = 0;
	mask = strtoul(arg, &end, 16);
	if (errno || end == arg || *end || !mask || mask > UINT32_MAX) {
		fprintf(stderr, "kni: -p needs a non-zero hexadecimal port mask, not \"%s\"\n",
			arg);
		return -1;
	}
	kni_app.portmask = mask;
	return 0;
}

/* After parsing: the mask and the groups agree, ports and lcores exist. */
static int check_config(void)
{
	bool configured = false;
	uint16_t id;

	for (id = 0; id < RTE_MAX_ETHPORTS; id++) {
		struct kni_port *p = &kni_app.port[id];
		bool masked = id < 32 && (kni_app.portmask & (1u << id));

		if (masked != p->enabled) {
			fprintf(stderr, "kni: port %u is %s -p but %s --config\n", id,
				masked ? "in" : "not in", p->enabled ? "in" : "not in");
			return -1;
		}
		if (!p->enabled)
			continue;
		configured = true;
		if (!rte_eth_dev_is_valid_port(id)) {
			fprintf(stderr, "kni: no port %u (%u ports available)\n", id,
				rte_eth_dev_count_avail());
			return -1;
		}
		if (!rte_lcore_is_enabled(p->lcore_rx) ||
		    !rte_lcore_is_enabled(p->lcore_tx)) {
			fprintf(stderr, "kni: port %u: lcore %u or %u is not an EAL lcore (-l)\n",
				id, p->lcore_rx, p->lcore_tx);
			return -1;
		}
	}
	if (!configured) {
		fprintf(stderr, "kni: no port configured (-p and --config)\n");
		return -1;
	}
	return 0;
}

int kni_parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool have_config = false;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "p:Pmh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			if (parse_portmask(optarg))
				return -1;
			break;
		case 'P':
			kni_app.promiscuous = true;
			break;
		case 'm':
			kni_app.monitor_links = true;
			break;
		case 'c':
			if (have_config) {
				fprintf(stderr, "kni: --config given twice\n");
				return -1;
			}
			if (parse_config(optarg))
				return -1;
			have_config = true;
			break;
		case 'h':
			kni_usage(argv[0]);
			exit(EXIT_SUCCESS);
		default:
			return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "kni: unexpected argument \"%s\"\n", argv[optind]);
		return -1;
	}
	if (!kni_app.portmask || !have_config) {
		fprintf(stderr, "kni: -p and --config are required\n");
		return -1;
	}
	return check_config();
}
