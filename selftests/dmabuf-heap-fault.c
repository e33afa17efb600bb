// SPDX-License-Identifier: GPL-2.0
/*
 * dmabuf-heap-fault: page allocation fault injection against the system heap.
 *
 * Guest helper for the fault-inject gate (ci/gates/fault-inject.sh). Needs a kernel with
 * CONFIG_FAULT_INJECTION, CONFIG_FAIL_PAGE_ALLOC and CONFIG_FAULT_INJECTION_DEBUG_FS
 * (kernel-config/debug/debug.config) and debugfs mounted; skips otherwise.
 *
 * Injection is on for this task only (task-filter=Y + /proc/self/make-it-fail, or
 * /proc/thread-self/fail-nth), also for sleeping (ignore-gfp-wait=N) and highmem
 * (ignore-gfp-highmem=N: the heap allocates GFP_HIGHUSER) allocations of every order
 * (min-order=0), and silent (verbose=0: a stack dump would read as a splat).
 *
 *  1 fail_nth_sweep: fail the 1st, 2nd, ... page allocation of one heap allocation in turn,
 *    until an allocation sees no injection. Each either fails with ENOMEM or succeeds
 *    (a fallback to a smaller order is fine).
 *  2 random_faults: DMA_HEAP_IOCTL_ALLOC in a loop with a probability of failure per page
 *    allocation. Every failure must be ENOMEM; some allocations must fail, some succeed.
 *  3 recovers: injection off, every size allocates again and reads as zero.
 *  4 kmemleak_clean: everything freed, the kmemleak objects reported after the test are
 *    those reported before it (needs CONFIG_DEBUG_KMEMLEAK, else skipped).
 * Nothing is printed while injection is on: console output allocates too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/dma-heap.h>

#include "kselftest.h"

#define HEAP_PATH	"/dev/dma_heap/system"
#define FPA		"/sys/kernel/debug/fail_page_alloc/"
#define KMEMLEAK	"/sys/kernel/debug/kmemleak"
#define ITERATIONS	400
#define KEEP		32
#define MAX_NTH		1000
#define KEEP_NTH	128
#define MAX_LEAKS	4096

static const unsigned long sizes[] = {
	4096, 3 * 4096, 64 << 10, (1 << 20) + 4096, 4 << 20,
};
#define NR_SIZES (sizeof(sizes) / sizeof(sizes[0]))

static int heap_fd = -1;

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -EIO;
}

static long read_long(const char *path)
{
	char buf[32] = "";
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

static int fpa(const char *knob, const char *val)
{
	char path[128];
	int ret;

	snprintf(path, sizeof(path), FPA "%s", knob);
	ret = write_file(path, val);
	if (ret)
		ksft_print_msg("cannot write %s to %s: %s\n", val, path, strerror(-ret));
	return ret;
}

/* The attributes every case uses; probability 0 = off. */
static int fpa_setup(const char *probability)
{
	return fpa("probability", "0") || fpa("task-filter", "Y") || fpa("interval", "1") ||
	       fpa("times", "-1") || fpa("space", "0") || fpa("verbose", "0") ||
	       fpa("ignore-gfp-wait", "N") || fpa("ignore-gfp-highmem", "N") ||
	       fpa("min-order", "0") || fpa("probability", probability);
}

static void injection_off(void)
{
	write_file("/proc/self/make-it-fail", "0");
	write_file("/proc/thread-self/fail-nth", "0");
	fpa("probability", "0");
}

/* Returns a dma-buf fd, or -errno. */
static int heap_alloc(unsigned long len)
{
	struct dma_heap_allocation_data data = {
		.len = len,
		.fd_flags = O_RDWR | O_CLOEXEC,
	};

	if (ioctl(heap_fd, DMA_HEAP_IOCTL_ALLOC, &data) < 0)
		return -errno;
	return data.fd;
}

static void drop_caches(void)
{
	/* Empties the heap's pools, if it has any, so the page allocator is used again. */
	write_file("/proc/sys/vm/drop_caches", "3");
}

/*
 * A heap may free released buffers from a worker, into pools: give it time to finish, and
 * empty the pools again.
 */
static void settle(void)
{
	int i;

	for (i = 0; i < 3; i++) {
		drop_caches();
		usleep(200 * 1000);
	}
}

static void random_faults(void)
{
	static int kept[KEEP];
	static int bad_errno[16];
	unsigned long ok = 0, enomem = 0, bad = 0, i;
	int nkept = 0, k, ret;

	drop_caches();
	if (fpa_setup("10") || write_file("/proc/self/make-it-fail", "1")) {
		injection_off();
		ksft_test_result_fail("random_faults: cannot enable fault injection\n");
		return;
	}
	for (i = 0; i < ITERATIONS; i++) {
		ret = heap_alloc(sizes[i % NR_SIZES]);
		if (ret >= 0) {
			ok++;
			if (nkept == KEEP) {
				/* Free under injection too: the release path must not care. */
				for (k = 0; k < KEEP / 2; k++)
					close(kept[k]);
				memmove(kept, kept + KEEP / 2, sizeof(int) * (KEEP - KEEP / 2));
				nkept -= KEEP / 2;
			}
			kept[nkept++] = ret;
		} else if (ret == -ENOMEM) {
			enomem++;
		} else {
			if (bad < 16)
				bad_errno[bad] = -ret;
			bad++;
		}
	}
	injection_off();
	for (k = 0; k < nkept; k++)
		close(kept[k]);

	for (i = 0; i < bad && i < 16; i++)
		ksft_print_msg("random_faults: allocation failed with %s, not ENOMEM\n",
			       strerror(bad_errno[i]));
	ksft_print_msg("random_faults: %lu allocations, %lu ok, %lu ENOMEM, %lu other errors\n",
		       (unsigned long)ITERATIONS, ok, enomem, bad);
	if (bad)
		ksft_test_result_fail("random_faults: %lu failures were not ENOMEM\n", bad);
	else if (!enomem || !ok)
		ksft_test_result_fail("random_faults: injection had no effect or blocked everything (%lu ok, %lu ENOMEM)\n",
				      ok, enomem);
	else
		ksft_test_result_pass("random_faults\n");
}

static void fail_nth_sweep(void)
{
	static const unsigned long nth_sizes[] = { 4096, (1 << 20) + 4096, (4 << 20) + 4096 };
	static int kept[KEEP_NTH];
	unsigned long s, n, points = 0, enomem = 0, fallback = 0, bad = 0;
	int ret, k, nkept, last_bad = 0;
	char val[16];

	if (access("/proc/thread-self/fail-nth", W_OK)) {
		ksft_test_result_skip("fail_nth_sweep: no /proc/thread-self/fail-nth\n");
		return;
	}
	if (fpa_setup("0")) {
		ksft_test_result_fail("fail_nth_sweep: cannot set up fail_page_alloc\n");
		return;
	}
	/*
	 * Empty pools, and keep every buffer until the sweep is done: freed buffers
	 * would refill the pools and hide the page allocator.
	 */
	settle();
	nkept = 0;
	for (s = 0; s < sizeof(nth_sizes) / sizeof(nth_sizes[0]); s++) {
		unsigned long sp = 0, se = 0;

		for (n = 1; n <= MAX_NTH; n++) {
			snprintf(val, sizeof(val), "%lu", n);
			if (write_file("/proc/thread-self/fail-nth", val))
				break;
			ret = heap_alloc(nth_sizes[s]);
			/* Still counting down: the allocation had fewer than n points. */
			if (read_long("/proc/thread-self/fail-nth") > 0) {
				write_file("/proc/thread-self/fail-nth", "0");
				if (ret >= 0)
					close(ret);
				break;
			}
			sp++;
			if (ret >= 0) {
				fallback++;
				if (nkept == KEEP_NTH) {
					for (k = 0; k < nkept; k++)
						close(kept[k]);
					nkept = 0;
				}
				kept[nkept++] = ret;
			} else if (ret == -ENOMEM) {
				se++;
			} else {
				bad++;
				last_bad = -ret;
			}
		}
		write_file("/proc/thread-self/fail-nth", "0");
		ksft_print_msg("fail_nth_sweep: %lu bytes: %lu injection points, %lu ENOMEM\n",
			       nth_sizes[s], sp, se);
		points += sp;
		enomem += se;
	}
	injection_off();
	for (k = 0; k < nkept; k++)
		close(kept[k]);
	ksft_print_msg("fail_nth_sweep: %lu injected failures: %lu ENOMEM, %lu recovered, %lu other errors\n",
		       points, enomem, fallback, bad);
	if (bad)
		ksft_test_result_fail("fail_nth_sweep: %lu failures were not ENOMEM (last: %s)\n",
				      bad, strerror(last_bad));
	else if (!enomem)
		ksft_test_result_fail("fail_nth_sweep: no injected failure reached the caller\n");
	else
		ksft_test_result_pass("fail_nth_sweep\n");
}

static void recovers(void)
{
	unsigned long s, j, bad = 0;
	int fd;

	injection_off();
	for (s = 0; s < NR_SIZES; s++) {
		unsigned char *p;

		fd = heap_alloc(sizes[s]);
		if (fd < 0) {
			ksft_print_msg("recovers: %lu bytes: %s\n", sizes[s], strerror(-fd));
			bad++;
			continue;
		}
		p = mmap(NULL, sizes[s], PROT_READ, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED) {
			ksft_print_msg("recovers: mmap of %lu bytes: %s\n", sizes[s], strerror(errno));
			bad++;
		} else {
			for (j = 0; j < sizes[s]; j++)
				if (p[j]) {
					ksft_print_msg("recovers: byte %lu of %lu is not zero\n", j, sizes[s]);
					bad++;
					break;
				}
			munmap(p, sizes[s]);
		}
		close(fd);
	}
	ksft_test_result(!bad, "recovers\n");
}

/* Addresses of the objects kmemleak reports after a fresh scan; -1 if no kmemleak. */
static long kmemleak_scan(unsigned long *addrs, long max)
{
	char line[256];
	long n = 0;
	FILE *f;

	if (write_file(KMEMLEAK, "scan") || write_file(KMEMLEAK, "scan"))
		return -1;
	f = fopen(KMEMLEAK, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long a;

		if (sscanf(line, "unreferenced object 0x%lx", &a) == 1 && n < max)
			addrs[n++] = a;
	}
	fclose(f);
	return n;
}

static void kmemleak_clean(const unsigned long *before, long nbefore)
{
	static unsigned long after[MAX_LEAKS];
	long nafter, i, j, new = 0;

	if (nbefore < 0) {
		ksft_test_result_skip("kmemleak_clean: no " KMEMLEAK "\n");
		return;
	}
	drop_caches();
	sleep(6);	/* kmemleak does not report objects younger than 5 s */
	nafter = kmemleak_scan(after, MAX_LEAKS);
	for (i = 0; i < nafter; i++) {
		for (j = 0; j < nbefore; j++)
			if (after[i] == before[j])
				break;
		if (j == nbefore) {
			ksft_print_msg("kmemleak_clean: new unreferenced object 0x%lx\n", after[i]);
			new++;
		}
	}
	ksft_test_result(nafter >= 0 && !new, "kmemleak_clean (%ld new, %ld before)\n", new, nbefore);
}

/* Grow the stack now, so that mlockall() covers what the tests will use. */
static void __attribute__((noinline)) prefault_stack(void)
{
	volatile char buf[128 << 10];
	size_t i;

	for (i = 0; i < sizeof(buf); i += 1024)
		buf[i] = 1;
}

int main(void)
{
	static unsigned long before[MAX_LEAKS];
	long nbefore;

	ksft_print_header();
	if (access(FPA "probability", W_OK) || access("/proc/self/make-it-fail", W_OK))
		ksft_exit_skip("no fail_page_alloc in debugfs or no /proc/self/make-it-fail (CONFIG_FAIL_PAGE_ALLOC, CONFIG_FAULT_INJECTION_DEBUG_FS)\n");
	heap_fd = open(HEAP_PATH, O_RDONLY | O_CLOEXEC);
	if (heap_fd < 0)
		ksft_exit_skip("cannot open " HEAP_PATH ": %s\n", strerror(errno));
	ksft_set_plan(4);

	/* No page faults while injection is on: a failed fault is not an ENOMEM. */
	prefault_stack();
	if (mlockall(MCL_CURRENT | MCL_FUTURE))
		ksft_print_msg("mlockall: %s\n", strerror(errno));

	nbefore = kmemleak_scan(before, MAX_LEAKS);
	/* The sweep first, while nothing this program freed sits in the heap's pools. */
	fail_nth_sweep();
	random_faults();
	recovers();
	injection_off();
	close(heap_fd);
	kmemleak_clean(before, nbefore);
	ksft_finished();
}
