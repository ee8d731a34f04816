/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * unit.h - minimal checks for the host unit tests.  Each test program
 * prints one "ok NAME" / "FAIL NAME" line per case and exits 0 when all
 * passed, 1 when one failed, 77 when it cannot run here.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>

#define UNIT_SKIP 77

static int unit_failures;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n",	\
				__FILE__, __LINE__, #cond);		\
			unit_failures++;				\
		}							\
	} while (0)

#define CHECK_EQ(a, b)							\
	do {								\
		unsigned long long a_ = (unsigned long long)(a);	\
		unsigned long long b_ = (unsigned long long)(b);	\
		if (a_ != b_) {						\
			fprintf(stderr, "%s:%d: %s == %s failed: %llu != %llu\n", \
				__FILE__, __LINE__, #a, #b, a_, b_);	\
			unit_failures++;				\
		}							\
	} while (0)

#define RUN(test)							\
	do {								\
		int before_ = unit_failures;				\
		test();							\
		printf("%s %s\n", unit_failures == before_ ? "ok" : "FAIL", \
		       #test);						\
	} while (0)

static inline int unit_exit(void)
{
	return unit_failures ? 1 : 0;
}

#endif /* UNIT_H */
