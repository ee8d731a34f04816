/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * udp_sink - the socket end of the UDP tests.
 *
 * Receive mode: bind ADDR:PORT, take datagrams until COUNT good ones (each
 * sequence number 0..COUNT-1 exactly once, SIZE bytes, pattern intact) or
 * until the timeout; print
 *     udp_sink: received=R ok=O bad=B dup=D
 * and exit 0 only if O == COUNT and B == D == 0.
 *
 * Send mode: send COUNT numbered datagrams of SIZE bytes to ADDR:PORT, so
 * the application's count of what the kernel forwarded can be compared.
 * Resolve the neighbour first (e.g. one ping): frames queued behind an
 * unresolved ARP entry may be dropped by the kernel.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "payload.h"

static struct {
	const char *addr;
	const char *from;
	unsigned int port;
	unsigned int count;
	unsigned int size;
	double timeout;
	unsigned int pps;
	int send;
	int rcvbuf;
} opt = {
	.addr = "0.0.0.0",
	.port = 9000,
	.size = 64,
	.timeout = 30,
	.rcvbuf = 16 << 20,
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int sockaddr_of(const char *addr, unsigned int port,
		       struct sockaddr_in *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons(port);
	return inet_pton(AF_INET, addr, &sa->sin_addr) == 1 ? 0 : -1;
}

static int receive(int fd)
{
	static uint8_t buf[65536];
	unsigned int received = 0, ok = 0, bad = 0, dup = 0;
	uint8_t *seen = calloc(opt.count ? opt.count : 1, 1);
	double end = now_s() + opt.timeout;

	printf("udp_sink: ready\n");
	fflush(stdout);
	while (ok < opt.count && now_s() < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		uint32_t seq;
		ssize_t n;

		if (poll(&p, 1, 100) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			continue;
		received++;
		if ((size_t)n != opt.size ||
		    !kt_payload_check(buf, n, &seq) || seq >= opt.count)
			bad++;
		else if (seen[seq]++)
			dup++;
		else
			ok++;
	}
	/* anything trailing right behind the last good one counts too */
	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0) {
		received++;
		bad++;
	}
	free(seen);
	printf("udp_sink: received=%u ok=%u bad=%u dup=%u\n", received, ok,
	       bad, dup);
	return ok == opt.count && !bad && !dup ? 0 : 1;
}

static int transmit(int fd, const struct sockaddr_in *to)
{
	static uint8_t buf[65536];
	double start = now_s();
	unsigned int seq;

	for (seq = 0; seq < opt.count; seq++) {
		if (opt.pps)
			while (now_s() < start + (double)seq / opt.pps)
				usleep(50);
		kt_payload_fill(buf, opt.size, seq);
		while (sendto(fd, buf, opt.size, 0,
			      (const struct sockaddr *)to, sizeof(*to)) < 0) {
			if (errno != ENOBUFS && errno != EAGAIN) {
				perror("udp_sink: sendto");
				return 1;
			}
			usleep(100);
		}
	}
	printf("udp_sink: sent=%u\n", opt.count);
	return 0;
}

static void usage(void)
{
	printf("usage: udp_sink [--bind ADDR] --port P --count N --size S [--timeout SEC]\n"
	       "       udp_sink --send N --size S --to ADDR --port P [--from ADDR] [--pps R]\n");
}

static int parse_args(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "bind", required_argument, NULL, 'b' },
		{ "to", required_argument, NULL, 't' },
		{ "from", required_argument, NULL, 'f' },
		{ "port", required_argument, NULL, 'p' },
		{ "count", required_argument, NULL, 'n' },
		{ "send", required_argument, NULL, 's' },
		{ "size", required_argument, NULL, 'S' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "pps", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'b': case 't':	opt.addr = optarg; break;
		case 'f':		opt.from = optarg; break;
		case 'p':		opt.port = strtoul(optarg, NULL, 0); break;
		case 'n':		opt.count = strtoul(optarg, NULL, 0); break;
		case 's':		opt.count = strtoul(optarg, NULL, 0);
					opt.send = 1; break;
		case 'S':		opt.size = strtoul(optarg, NULL, 0); break;
		case 'T':		opt.timeout = strtod(optarg, NULL); break;
		case 'r':		opt.pps = strtoul(optarg, NULL, 0); break;
		case 'h':		usage(); exit(0);
		default:		return -1;
		}
	}
	if (optind != argc || opt.size < KT_PAYLOAD_MIN ||
	    opt.size > 65507 || !opt.port || !opt.count)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	int fd;

	if (parse_args(argc, argv)) {
		usage();
		return 2;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("udp_sink: socket");
		return 2;
	}
	if (opt.send) {
		if (sockaddr_of(opt.addr, opt.port, &sa)) {
			fprintf(stderr, "udp_sink: bad address %s\n", opt.addr);
			return 2;
		}
		if (opt.from) {
			struct sockaddr_in src;

			if (sockaddr_of(opt.from, 0, &src) ||
			    bind(fd, (struct sockaddr *)&src, sizeof(src))) {
				perror("udp_sink: bind");
				return 2;
			}
		}
		return transmit(fd, &sa);
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &opt.rcvbuf,
		       sizeof(opt.rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &opt.rcvbuf,
			   sizeof(opt.rcvbuf));
	if (sockaddr_of(opt.addr, opt.port, &sa) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("udp_sink: bind");
		return 2;
	}
	return receive(fd);
}
