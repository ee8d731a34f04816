/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * payload.h - the UDP payload both test programs agree on: a 4-byte
 * big-endian sequence number, then bytes that depend on the sequence
 * number and the offset, so a frame that is truncated, shifted, mixed
 * with another or corrupted fails the check.
 */
#ifndef KT_PAYLOAD_H
#define KT_PAYLOAD_H

#include <stdint.h>

#define KT_PAYLOAD_MIN	4

static inline uint8_t kt_pattern(uint32_t seq, uint32_t off)
{
	return (uint8_t)(seq * 13 + off * 7 + (off >> 8) + 1);
}

static inline void kt_payload_fill(uint8_t *p, uint32_t len, uint32_t seq)
{
	uint32_t i;

	p[0] = seq >> 24;
	p[1] = seq >> 16;
	p[2] = seq >> 8;
	p[3] = seq;
	for (i = KT_PAYLOAD_MIN; i < len; i++)
		p[i] = kt_pattern(seq, i);
}

/* 1 if @p is a valid payload; its sequence number goes to *seq. */
static inline int kt_payload_check(const uint8_t *p, uint32_t len,
				   uint32_t *seq)
{
	uint32_t i, s;

	if (len < KT_PAYLOAD_MIN)
		return 0;
	s = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
	for (i = KT_PAYLOAD_MIN; i < len; i++)
		if (p[i] != kt_pattern(s, i))
			return 0;
	*seq = s;
	return 1;
}

#endif /* KT_PAYLOAD_H */
