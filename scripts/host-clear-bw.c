// SPDX-License-Identifier: GPL-2.0
/*
 * host-clear-bw: how well clearing memory scales across host cores, the way UML clears pages.
 *
 * N threads, pinned to host CPUs 0..N-1, each clear a buffer of their own for 2 s and report the
 * sum of their throughputs. With -p each buffer is cleared 4 KiB at a time with memset() (ordinary
 * stores, as UML's clear_page() does); without it, with one memset() of the whole buffer (glibc
 * picks non-temporal stores for large buffers). Used by hand for selftests/BENCH.md ("The 2-CPU
 * rows at 32 and 128 MiB"); not part of any check.
 *
 *   gcc -O2 -pthread -o /tmp/host-clear-bw scripts/host-clear-bw.c
 *   for s in 8 32 64 128; do /tmp/host-clear-bw -p 1 $s; /tmp/host-clear-bw -p 2 $s; done
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static size_t size;
static int per_page;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void *clear_loop(void *arg)
{
	long cpu = (long)arg;
	double t0, t, *gbps;
	cpu_set_t set;
	long n = 0;
	char *buf;
	size_t o;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		perror("sched_setaffinity");
	buf = aligned_alloc(4096, size);
	gbps = malloc(sizeof(*gbps));
	if (!buf || !gbps) {
		perror("alloc");
		exit(1);
	}
	memset(buf, 1, size);
	t0 = now();
	do {
		if (per_page) {
			for (o = 0; o < size; o += 4096) {
				memset(buf + o, 0, 4096);
				__asm__ volatile("" ::: "memory");
			}
		} else {
			memset(buf, 0, size);
			__asm__ volatile("" ::: "memory");
		}
		n++;
		t = now();
	} while (t - t0 < 2.0);
	*gbps = n * (double)size / (t - t0) / 1e9;
	free(buf);
	return gbps;
}

int main(int argc, char **argv)
{
	pthread_t th[64];
	double total = 0;
	int i, n;

	if (argc > 1 && !strcmp(argv[1], "-p")) {
		per_page = 1;
		argv++;
		argc--;
	}
	if (argc != 3 || atoi(argv[1]) < 1 || atoi(argv[1]) > 64 || atoi(argv[2]) < 1) {
		fprintf(stderr, "usage: %s [-p] THREADS MIB\n", argv[0]);
		return 2;
	}
	n = atoi(argv[1]);
	size = (size_t)atoi(argv[2]) << 20;
	for (i = 0; i < n; i++)
		if (pthread_create(&th[i], NULL, clear_loop, (void *)(long)i)) {
			perror("pthread_create");
			return 1;
		}
	for (i = 0; i < n; i++) {
		void *r;

		pthread_join(th[i], &r);
		total += *(double *)r;
		free(r);
	}
	printf("threads=%d size=%sMiB %s total=%.1f GB/s\n", n, argv[2],
	       per_page ? "4k-memset" : "memset", total);
	return 0;
}
