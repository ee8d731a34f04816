/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * main.c - the KNI forwarder example: start-up, signals and shut-down.
 *
 *   kni [EAL options] -- -p PORTMASK [-P] [-m] --config="(port,rx,tx[,kthread...])"
 *
 * kni --help (or kni -- --help) describes every option.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_kni.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "kni_app.h"

struct kni_app kni_app;
volatile sig_atomic_t kni_quit;
volatile sig_atomic_t kni_print_stats;
volatile sig_atomic_t kni_reset_stats;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		kni_print_stats = 1;
	else if (sig == SIGUSR2)
		kni_reset_stats = 1;
	else
		kni_quit = 1;
}

static void signals_init(void)
{
	static const int sigs[] = { SIGUSR1, SIGUSR2, SIGINT, SIGTERM };
	struct sigaction sa;
	unsigned int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < RTE_DIM(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
	sigaction(SIGRTMIN, &sa, NULL);
}

static unsigned int nb_kni_wanted(void)
{
	unsigned int n = 0;
	uint16_t id;

	kni_foreach_port(id)
		n += kni_app.port[id].nb_lcore_k ? kni_app.port[id].nb_lcore_k : 1;
	return n;
}

/* Ports, pool and interfaces; on failure what was set up is left to cleanup(). */
static int setup(void)
{
	unsigned int nb_ports = 0;
	uint16_t id;

	kni_foreach_port(id)
		nb_ports++;
	kni_app.pool = rte_pktmbuf_pool_create("kni_mbuf_pool",
					       nb_ports * KNI_MBUFS_PER_PORT,
					       KNI_MBUF_CACHE, 0,
					       KNI_MBUF_DATA_SIZE, rte_socket_id());
	if (!kni_app.pool) {
		fprintf(stderr, "kni: cannot create the mbuf pool: %s\n",
			rte_strerror(rte_errno));
		return -1;
	}
	kni_app.indirect_pool = rte_pktmbuf_pool_create("kni_indirect_pool",
							KNI_INDIRECT_MBUFS,
							KNI_MBUF_CACHE, 0, 0,
							rte_socket_id());
	if (!kni_app.indirect_pool) {
		fprintf(stderr, "kni: cannot create the indirect mbuf pool: %s\n",
			rte_strerror(rte_errno));
		return -1;
	}
	if (rte_kni_init(nb_kni_wanted()) < 0) {
		fprintf(stderr, "kni: rte_kni_init failed (is rte_kni.ko loaded?)\n");
		return -1;
	}
	kni_foreach_port(id) {
		if (kni_port_init(id) || kni_port_alloc_kni(id))
			return -1;
	}
	return 0;
}

static void cleanup(void)
{
	uint16_t id;

	kni_monitor_stop();
	kni_foreach_port(id)
		kni_port_close(id);
	rte_kni_close();
	rte_mempool_free(kni_app.indirect_pool);
	rte_mempool_free(kni_app.pool);
}

/* "kni -- --help" answers without initialising the EAL (hugepages, root). */
static bool app_help_wanted(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		;
	for (i++; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	int ret;

	if (app_help_wanted(argc, argv)) {
		kni_usage(argv[0]);
		return EXIT_SUCCESS;
	}
	/* Logs go to files and pipes too: keep them in order with stderr. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	signals_init();
	rte_set_application_usage_hook(kni_usage);
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "kni: EAL initialisation failed: %s\n",
			rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}
	argc -= ret;
	argv += ret;
	argv[0] = argv[-ret];	/* the program name, for --help */

	if (kni_parse_args(argc, argv)) {
		kni_usage(argv[0]);
		rte_eal_cleanup();
		return EXIT_FAILURE;
	}

	ret = setup();
	if (!ret) {
		kni_ports_wait_link();
		ret = kni_monitor_start();
	}
	if (!ret && !kni_quit) {
		kni_datapath_prepare();
		printf("kni: forwarding; SIGUSR1 prints statistics, SIGUSR2 resets them\n");
		fflush(stdout);
		rte_eal_mp_remote_launch(kni_lcore_main, NULL, CALL_MAIN);
		rte_eal_mp_wait_lcore();
	}
	cleanup();
	rte_eal_cleanup();
	printf("kni: %s\n", ret ? "failed" : "stopped");
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}
