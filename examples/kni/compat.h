/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * compat.h - the example is written against the newest DPDK API; this file,
 * the only place that knows DPDK release numbers, maps it back onto the
 * older releases it also builds against (22.11 and later).
 */
#ifndef KNI_APP_COMPAT_H
#define KNI_APP_COMPAT_H

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include <rte_lcore.h>
#include <rte_thread.h>
#include <rte_version.h>

#if RTE_VERSION < RTE_VERSION_NUM(23, 11, 0, 0)
/*
 * 23.11 replaced rte_ctrl_thread_create(), which made a pthread running a
 * void *(*)(void *), with rte_thread_create_control().  An rte_thread_t is
 * that pthread_t, which rte_thread_join() joins.
 */
struct kni_compat_thread {
	rte_thread_func	fn;
	void		*arg;
};

static void *kni_compat_thread_main(void *p)
{
	struct kni_compat_thread start = *(struct kni_compat_thread *)p;

	free(p);
	return (void *)(uintptr_t)start.fn(start.arg);
}

static inline int rte_thread_create_control(rte_thread_t *thread, const char *name,
					    rte_thread_func fn, void *arg)
{
	struct kni_compat_thread *start = malloc(sizeof(*start));
	pthread_t tid;
	int ret;

	if (!start)
		return -ENOMEM;
	start->fn = fn;
	start->arg = arg;
	ret = rte_ctrl_thread_create(&tid, name, NULL, kni_compat_thread_main, start);
	if (ret) {
		free(start);
		return ret;
	}
	thread->opaque_id = (uintptr_t)tid;
	return 0;
}
#endif

#endif /* KNI_APP_COMPAT_H */
