// SPDX-License-Identifier: GPL-2.0
/*
 * dmabuf-bench - latency and throughput of the dma-buf system heap
 *
 * Runs as root in a guest booted from an initramfs, on the base kernel and on
 * the kernel with page pools and deferred freeing, and prints one line per
 * measure that scripts/bench.sh parses:
 *
 *   bench kernel=<release> measure=<name> size=<size> threads=<n> iters=<n> <key>=<value>...
 *
 * Measures, for each size:
 *   warm_alloc   DMA_HEAP_IOCTL_ALLOC after an idle gap with the pools primed
 *   release      close() of a freshly allocated buffer
 *   cold_alloc   DMA_HEAP_IOCTL_ALLOC with empty pools (drop_caches first)
 *   tput         back-to-back alloc + close for a fixed time
 * and once:
 *   frame_queue  allocate 16 x 8 MiB, free them; idle gap between rounds
 *   frame_queue_nogap  the same without a gap
 *   reclaim      time until drop_caches has emptied the pools
 *
 * The idle gap is "wait until the deferred-free worker has recycled
 * everything we released, then sleep gap_us". On a kernel without the
 * deferred-free helper (no /sys/kernel/debug/dmabuf_deferred_free) it is
 * just the sleep.
 *
 * All times are CLOCK_MONOTONIC. Options:
 *   -q         quick: a tenth of the iterations (for testing the harness)
 *   -m LIST    only these measures (comma separated), default all
 *   -s LIST    only these sizes (comma separated, e.g. 4K,32M), default all
 *   -g USEC    idle gap, default 1000
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <linux/dma-heap.h>

#define HEAP_PATH	"/dev/dma_heap/system"
#define DF_PATH		"/sys/kernel/debug/dma_buf/deferred_free_system"
/* One file per pool (order 8, 4, 0); the order-8 one tells whether there are pools. */
#define POOL_PATH	"/sys/kernel/debug/dma_buf/page_pool_system_8"
static const char *const pool_paths[] = {
	"/sys/kernel/debug/dma_buf/page_pool_system_8",
	"/sys/kernel/debug/dma_buf/page_pool_system_4",
	"/sys/kernel/debug/dma_buf/page_pool_system_0",
};
#define DROP_PATH	"/proc/sys/vm/drop_caches"

#define PG		4096UL
#define MAX_THREADS	2
#define TPUT_REPS	3
#define FRAME_BUFS	16
#define FRAME_SIZE	(8UL << 20)
#define RECLAIM_CHUNK	(32UL << 20)
#define RECLAIM_CHUNKS	8
#define DRAIN_TIMEOUT_NS (20ULL * 1000000000ULL)

struct size_cfg {
	const char *name;
	unsigned long bytes;
	int warm_iters;		/* warm_alloc and release, per thread */
	int cold_iters;
};

static const struct size_cfg sizes[] = {
	{ "4K",   4UL << 10,   300, 150 },
	{ "64K",  64UL << 10,  300, 150 },
	{ "1M",   1UL << 20,   200, 100 },
	{ "8M",   8UL << 20,   100,  50 },
	{ "32M",  32UL << 20,   50,  30 },
	{ "128M", 128UL << 20,  20,  10 },
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int heap_fd = -1;
static bool have_df;		/* deferred-free helper present */
static bool have_pool;		/* page-pool helper present */
static long df_baseline;	/* freed pages counted when we started */
static long released_pages;	/* pages we have released, atomic */
static unsigned int divisor = 1;	/* -q */
static unsigned long gap_us = 1000;
static double tput_secs = 0.3;
static int frame_rounds = 30;
static const char *only;	/* -m */
static const char *only_sizes;	/* -s */
static unsigned long prefault_mb;
static char kernel[65];

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void sleep_us(unsigned long us)
{
	struct timespec ts = {
		.tv_sec = us / 1000000,
		.tv_nsec = (us % 1000000) * 1000,
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int scaled(int iters)
{
	int n = iters / divisor;

	return n < 3 ? 3 : n;
}

static void fail(const char *what, int err)
{
	printf("bench error kernel=%s what=%s errno=%d (%s)\n", kernel, what,
	       err, strerror(err));
	fflush(stdout);
	exit(2);
}

/* Read a small text file into @buf; return false if it cannot be read. */
static bool read_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return false;
	buf[n] = '\0';
	return true;
}

/* Value of "key value" at the start of a line of @buf, or -1. */
static long kv(const char *buf, const char *key)
{
	size_t klen = strlen(key);
	const char *p = buf;

	while (p && *p) {
		if (!strncmp(p, key, klen) && p[klen] == ' ')
			return strtol(p + klen + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

struct heap_stats {
	long pending;
	long freed;		/* freed_normal_pages + freed_pressure_pages */
	long pressure;		/* freed_pressure_pages */
	long pool_total;
	long served;
};

static void read_stats(struct heap_stats *st)
{
	char buf[4096];

	memset(st, 0, sizeof(*st));
	if (have_df && read_file(DF_PATH, buf, sizeof(buf))) {
		st->pending = kv(buf, "pending_pages");
		st->pressure = kv(buf, "freed_reclaim_pages") + kv(buf, "freed_alloc_pages") +
			       kv(buf, "freed_bound_pages");
		st->freed = kv(buf, "freed_recycled_pages") + st->pressure;
	}
	for (size_t i = 0; have_pool && i < sizeof(pool_paths) / sizeof(pool_paths[0]); i++) {
		if (!read_file(pool_paths[i], buf, sizeof(buf)))
			continue;
		st->pool_total += kv(buf, "total_pages");
		st->served += kv(buf, "served_pages");
	}
}

/*
 * Wait until the deferred-free worker has finished with everything we
 * released: pending_pages (the freelist and what the worker is freeing) is
 * 0, and the freed counters have caught up with what we released, or have
 * not moved since the previous look, 100 us earlier. A heap frees some
 * buffers without the helper (small ones, for instance), and then the
 * counters never catch up: waiting for them would make the patched kernel
 * spin here where the base kernel does not, before the timed operation.
 */
static void drain_wait(void)
{
	uint64_t start = now_ns(), t;
	struct heap_stats st;
	long want, last = -1;

	if (!have_df)
		return;
	for (;;) {
		want = df_baseline + __atomic_load_n(&released_pages, __ATOMIC_SEQ_CST);
		read_stats(&st);
		t = now_ns();
		if (st.pending == 0) {
			if (st.freed >= want || st.freed == last)
				return;
			last = st.freed;
		} else {
			last = -1;
		}
		if (t - start > DRAIN_TIMEOUT_NS) {
			printf("bench warn kernel=%s drain-timeout pending=%ld freed=%ld want=%ld\n",
			       kernel, st.pending, st.freed, want);
			return;
		}
		sleep_us(100);
	}
}

static void idle_gap(void)
{
	drain_wait();
	sleep_us(gap_us);
}

static int heap_alloc(unsigned long len)
{
	struct dma_heap_allocation_data data = {
		.len = len,
		.fd_flags = O_RDWR | O_CLOEXEC,
	};

	if (ioctl(heap_fd, DMA_HEAP_IOCTL_ALLOC, &data) < 0)
		fail("alloc", errno);
	return data.fd;
}

static void heap_free(int fd, unsigned long len)
{
	close(fd);
	__atomic_add_fetch(&released_pages, len / PG, __ATOMIC_SEQ_CST);
}

static void drop_caches(void)
{
	int fd = open(DROP_PATH, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, "3\n", 2) != 2)
		fail("drop_caches", errno);
	close(fd);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Nearest-rank percentile of a sorted array. */
static uint64_t pct(const uint64_t *v, int n, int p)
{
	int rank = (n * p + 99) / 100;

	return v[rank > 0 ? rank - 1 : 0];
}

/* Is @name in the comma-separated @list (NULL: everything is)? */
static bool listed(const char *list, const char *name)
{
	const char *p = list;
	size_t len = strlen(name);

	if (!list)
		return true;
	while (p && *p) {
		if (!strncmp(p, name, len) && (p[len] == ',' || !p[len]))
			return true;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

static uint64_t measure_start;
static long measure_nivcsw;

static long nivcsw(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_nivcsw;
}

static void begin(void)
{
	measure_nivcsw = nivcsw();
	measure_start = now_ns();
}

/*
 * End of a measure line: pool hits and synchronous (bound or pressure)
 * frees during the measure, how often the benchmark was preempted (its
 * involuntary context switches), and how long the measure took in all.
 */
static void print_pool(const struct heap_stats *a, const struct heap_stats *b,
		       long alloc_pages)
{
	unsigned long long wall_ms = (now_ns() - measure_start) / 1000000;
	long preempted = nivcsw() - measure_nivcsw;

	if (!have_pool || !have_df) {
		printf(" pool_hit_pct=n/a pressure_pages=n/a nivcsw=%ld wall_ms=%llu\n",
		       preempted, wall_ms);
		return;
	}
	printf(" pool_hit_pct=%.1f pressure_pages=%ld nivcsw=%ld wall_ms=%llu\n",
	       alloc_pages ? 100.0 * (b->served - a->served) / alloc_pages : 0.0,
	       b->pressure - a->pressure, preempted, wall_ms);
}

/* ---- threads ---- */

enum kind { WARM, RELEASE, TPUT };

struct job {
	enum kind kind;
	const struct size_cfg *sz;
	int iters;
	pthread_barrier_t *barrier;
	uint64_t *lat;		/* iters samples */
	long ops;
	uint64_t elapsed;
};

/* Fill the pools with 2 buffers per thread of this size, twice. */
static void prime(const struct size_cfg *sz, int nthreads)
{
	int fds[2 * MAX_THREADS], round, i;

	for (round = 0; round < 2; round++) {
		for (i = 0; i < 2 * nthreads; i++)
			fds[i] = heap_alloc(sz->bytes);
		for (i = 0; i < 2 * nthreads; i++)
			heap_free(fds[i], sz->bytes);
		drain_wait();
	}
}

static void *job_fn(void *arg)
{
	struct job *job = arg;
	unsigned long len = job->sz->bytes;
	uint64_t t0, t1, deadline;
	long check = len >= (1UL << 20) ? 1 : 16;
	int i, fd;

	if (job->kind == TPUT)
		for (i = 0; i < 2; i++)
			heap_free(heap_alloc(len), len);
	pthread_barrier_wait(job->barrier);

	switch (job->kind) {
	case WARM:
		for (i = 0; i < job->iters; i++) {
			idle_gap();
			t0 = now_ns();
			fd = heap_alloc(len);
			t1 = now_ns();
			job->lat[i] = t1 - t0;
			heap_free(fd, len);
		}
		break;
	case RELEASE:
		for (i = 0; i < job->iters; i++) {
			idle_gap();
			fd = heap_alloc(len);
			t0 = now_ns();
			heap_free(fd, len);
			t1 = now_ns();
			job->lat[i] = t1 - t0;
		}
		break;
	case TPUT:
		t0 = now_ns();
		deadline = t0 + (uint64_t)(tput_secs / divisor * 1e9);
		t1 = t0;
		job->ops = 0;
		do {
			heap_free(heap_alloc(len), len);
			if (++job->ops % check == 0)
				t1 = now_ns();
		} while (t1 < deadline);
		job->elapsed = now_ns() - t0;
		break;
	}
	return NULL;
}

static void run_jobs(struct job *jobs, int nthreads)
{
	pthread_barrier_t barrier;
	pthread_t tid[MAX_THREADS];
	int i, err;

	pthread_barrier_init(&barrier, NULL, nthreads);
	for (i = 0; i < nthreads; i++) {
		jobs[i].barrier = &barrier;
		err = pthread_create(&tid[i], NULL, job_fn, &jobs[i]);
		if (err)
			fail("pthread_create", err);
	}
	for (i = 0; i < nthreads; i++)
		pthread_join(tid[i], NULL);
	pthread_barrier_destroy(&barrier);
}

/* warm_alloc or release: latency samples from every thread. */
static void latency(enum kind kind, const struct size_cfg *sz, int nthreads)
{
	const char *name = kind == WARM ? "warm_alloc" : "release";
	struct job jobs[MAX_THREADS];
	struct heap_stats a, b;
	int iters = scaled(sz->warm_iters), i, n = iters * nthreads;
	uint64_t *lat = calloc(n, sizeof(*lat)), med;

	begin();

	if (!lat)
		fail("calloc", ENOMEM);
	memset(jobs, 0, sizeof(jobs));
	for (i = 0; i < nthreads; i++) {
		jobs[i].kind = kind;
		jobs[i].sz = sz;
		jobs[i].iters = iters;
		jobs[i].lat = lat + i * iters;
	}
	prime(sz, nthreads);
	read_stats(&a);
	run_jobs(jobs, nthreads);
	drain_wait();
	read_stats(&b);

	med = median(lat, n);
	printf("bench kernel=%s measure=%s size=%s threads=%d iters=%d median_ns=%llu p99_ns=%llu min_ns=%llu",
	       kernel, name, sz->name, nthreads, n, (unsigned long long)med,
	       (unsigned long long)pct(lat, n, 99), (unsigned long long)lat[0]);
	print_pool(&a, &b, (long)n * (sz->bytes / PG));
	fflush(stdout);
	free(lat);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void throughput(const struct size_cfg *sz, int nthreads)
{
	double gbps[TPUT_REPS], ops_s[TPUT_REPS];
	struct job jobs[MAX_THREADS];
	struct heap_stats a, b;
	long ops, total_ops = 0;
	uint64_t elapsed;
	int rep, i;

	begin();

	read_stats(&a);
	for (rep = 0; rep < TPUT_REPS; rep++) {
		memset(jobs, 0, sizeof(jobs));
		for (i = 0; i < nthreads; i++) {
			jobs[i].kind = TPUT;
			jobs[i].sz = sz;
		}
		drain_wait();
		run_jobs(jobs, nthreads);
		ops = 0;
		elapsed = 0;
		for (i = 0; i < nthreads; i++) {
			ops += jobs[i].ops;
			if (jobs[i].elapsed > elapsed)
				elapsed = jobs[i].elapsed;
		}
		total_ops += ops;
		ops_s[rep] = ops * 1e9 / elapsed;
		gbps[rep] = ops_s[rep] * sz->bytes / 1e9;
	}
	drain_wait();
	read_stats(&b);
	qsort(gbps, TPUT_REPS, sizeof(double), cmp_double);
	qsort(ops_s, TPUT_REPS, sizeof(double), cmp_double);
	printf("bench kernel=%s measure=tput size=%s threads=%d iters=%ld reps=%d secs_per_rep=%.2f gbps=%.3f ops_s=%.0f",
	       kernel, sz->name, nthreads, total_ops, TPUT_REPS, tput_secs / divisor,
	       gbps[TPUT_REPS / 2], ops_s[TPUT_REPS / 2]);
	print_pool(&a, &b, (total_ops + 2 * TPUT_REPS * nthreads) * (long)(sz->bytes / PG));
	fflush(stdout);
}

/* Allocation with empty pools: drop_caches (untimed) before every sample. */
static void bench_cold_alloc(const struct size_cfg *sz)
{
	int iters = scaled(sz->cold_iters), i, fd, tries;
	uint64_t *lat = calloc(iters, sizeof(*lat)), t0, med;
	struct heap_stats a, b, st;

	begin();

	if (!lat)
		fail("calloc", ENOMEM);
	read_stats(&a);
	for (i = 0; i < iters; i++) {
		drain_wait();
		for (tries = 0; tries < 10; tries++) {
			drop_caches();
			read_stats(&st);
			if (st.pool_total <= 0 && st.pending <= 0)
				break;
		}
		sleep_us(gap_us);
		t0 = now_ns();
		fd = heap_alloc(sz->bytes);
		lat[i] = now_ns() - t0;
		heap_free(fd, sz->bytes);
	}
	drain_wait();
	read_stats(&b);
	med = median(lat, iters);
	printf("bench kernel=%s measure=cold_alloc size=%s threads=1 iters=%d median_ns=%llu p99_ns=%llu min_ns=%llu",
	       kernel, sz->name, iters, (unsigned long long)med,
	       (unsigned long long)pct(lat, iters, 99), (unsigned long long)lat[0]);
	print_pool(&a, &b, (long)iters * (sz->bytes / PG));
	fflush(stdout);
	free(lat);
}

/* A video-style queue: 16 x 8 MiB allocated, then all freed, per round. */
static void frame_queue(bool gap)
{
	int rounds = scaled(frame_rounds), r, i, fds[FRAME_BUFS];
	uint64_t *lat = calloc(rounds, sizeof(*lat)), t0, med;
	struct heap_stats a, b;

	begin();

	if (!lat)
		fail("calloc", ENOMEM);
	/* One untimed round fills the pools. */
	for (i = 0; i < FRAME_BUFS; i++)
		fds[i] = heap_alloc(FRAME_SIZE);
	for (i = 0; i < FRAME_BUFS; i++)
		heap_free(fds[i], FRAME_SIZE);
	idle_gap();
	read_stats(&a);
	for (r = 0; r < rounds; r++) {
		if (gap)
			idle_gap();
		t0 = now_ns();
		for (i = 0; i < FRAME_BUFS; i++)
			fds[i] = heap_alloc(FRAME_SIZE);
		for (i = 0; i < FRAME_BUFS; i++)
			heap_free(fds[i], FRAME_SIZE);
		lat[r] = now_ns() - t0;
	}
	drain_wait();
	read_stats(&b);
	med = median(lat, rounds);
	printf("bench kernel=%s measure=%s size=16x8M threads=1 iters=%d median_ns=%llu p99_ns=%llu min_ns=%llu",
	       kernel, gap ? "frame_queue" : "frame_queue_nogap", rounds,
	       (unsigned long long)med, (unsigned long long)pct(lat, rounds, 99),
	       (unsigned long long)lat[0]);
	print_pool(&a, &b, (long)rounds * FRAME_BUFS * (FRAME_SIZE / PG));
	fflush(stdout);
	free(lat);
}

static long meminfo_kb(const char *key)
{
	char buf[8192], k[64];

	if (!read_file("/proc/meminfo", buf, sizeof(buf)))
		return -1;
	snprintf(k, sizeof(k), "%s:", key);
	return kv(buf, k);
}

/* Fill the pools with 256 MiB, then time drop_caches emptying them. */
static void bench_reclaim(void)
{
	const unsigned long mb = RECLAIM_CHUNKS * (RECLAIM_CHUNK >> 20);
	struct heap_stats before, st;
	long free0, free1;
	int fds[RECLAIM_CHUNKS], i;
	uint64_t t0, t1;

	if (!have_df || !have_pool) {
		printf("bench kernel=%s measure=reclaim size=%luM threads=1 iters=1 time_ns=n/a pool_kb=n/a returned_kb=n/a left_pages=n/a\n",
		       kernel, mb);
		fflush(stdout);
		return;
	}
	for (i = 0; i < RECLAIM_CHUNKS; i++)
		fds[i] = heap_alloc(RECLAIM_CHUNK);
	/* One at a time, so that the freelist bound is never reached. */
	for (i = 0; i < RECLAIM_CHUNKS; i++) {
		heap_free(fds[i], RECLAIM_CHUNK);
		drain_wait();
	}
	sleep_us(100000);
	read_stats(&before);
	free0 = meminfo_kb("MemFree");
	t0 = now_ns();
	drop_caches();
	for (;;) {
		read_stats(&st);
		t1 = now_ns();
		if ((st.pool_total == 0 && st.pending == 0) ||
		    t1 - t0 > 10ULL * 1000000000ULL)
			break;
		sleep_us(1000);
	}
	free1 = meminfo_kb("MemFree");
	printf("bench kernel=%s measure=reclaim size=%luM threads=1 iters=1 time_ns=%llu pool_kb=%lu returned_kb=%ld left_pages=%ld\n",
	       kernel, mb, (unsigned long long)(t1 - t0),
	       (before.pool_total + before.pending) * (PG / 1024), free1 - free0,
	       st.pool_total + st.pending);
	fflush(stdout);
}

/*
 * UML backs guest memory with a host file that is populated on first touch,
 * so the first use of a guest page costs a host page fault. Touch all free
 * memory once, through the heap (the kernel clears what it allocates), so
 * that no measure pays for that. Then empty the pools again.
 */
static unsigned long prefault(void)
{
	const unsigned long chunk = 128UL << 20;
	long free_kb = meminfo_kb("MemFree");
	unsigned long n = 0, i, max;
	int *fds;

	if (free_kb < 0 || (unsigned long)free_kb * 1024 < 2 * chunk)
		return 0;
	max = ((unsigned long)free_kb * 1024 - chunk) / chunk;
	fds = calloc(max, sizeof(*fds));
	if (!fds)
		fail("calloc", ENOMEM);
	for (n = 0; n < max; n++) {
		struct dma_heap_allocation_data data = {
			.len = chunk,
			.fd_flags = O_RDWR | O_CLOEXEC,
		};

		if (ioctl(heap_fd, DMA_HEAP_IOCTL_ALLOC, &data) < 0)
			break;
		fds[n] = data.fd;
	}
	for (i = 0; i < n; i++)
		heap_free(fds[i], chunk);
	free(fds);
	drain_wait();
	drop_caches();
	return n * (chunk >> 20);
}

/*
 * Cost of the timer itself and of a trivial syscall (both high under UML),
 * as medians: what one clock read adds to a timed interval, and what
 * getppid() costs on top of that.
 */
static void overheads(uint64_t *timer_ns, uint64_t *syscall_ns)
{
	const int n = 1001;
	uint64_t v[1001], t0;
	int i;

	for (i = 0; i < n; i++) {
		t0 = now_ns();
		v[i] = now_ns() - t0;
	}
	*timer_ns = median(v, n);
	for (i = 0; i < n; i++) {
		t0 = now_ns();
		getppid();
		v[i] = now_ns() - t0;
	}
	*syscall_ns = median(v, n);
	*syscall_ns = *syscall_ns > *timer_ns ? *syscall_ns - *timer_ns : 0;
}

static void print_header(void)
{
	char buf[16384], model[128] = "unknown", *p, *e;
	uint64_t timer_ns, syscall_ns;
	struct heap_stats st;
	unsigned int i;
	long max_pages = -1;

	if (read_file("/proc/cpuinfo", buf, sizeof(buf))) {
		p = strstr(buf, "model name");
		if (p)
			p = strchr(p, ':');
		if (p) {
			p += 1 + strspn(p + 1, " \t");
			e = strchrnul(p, '\n');
			snprintf(model, sizeof(model), "%.*s", (int)(e - p), p);
			for (p = model; *p; p++)
				if (*p == ' ' || *p == '\t')
					*p = '_';
		}
	}
	if (have_df && read_file(DF_PATH, buf, sizeof(buf)))
		max_pages = kv(buf, "max_pages");
	read_stats(&st);
	overheads(&timer_ns, &syscall_ns);

	printf("bench-header kernel=%s machine=%s nproc=%ld mem_total_kb=%ld deferred_free=%s page_pool=%s max_pending_pages=%ld timer_ns=%llu syscall_ns=%llu gap_us=%lu prefault_mb=%lu\n",
	       kernel, model, sysconf(_SC_NPROCESSORS_ONLN), meminfo_kb("MemTotal"),
	       have_df ? "yes" : "no", have_pool ? "yes" : "no", max_pages,
	       (unsigned long long)timer_ns, (unsigned long long)syscall_ns, gap_us,
	       prefault_mb);
	printf("bench-iters kernel=%s", kernel);
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		printf(" %s=warm:%d,release:%d,cold:%d", sizes[i].name,
		       scaled(sizes[i].warm_iters), scaled(sizes[i].warm_iters),
		       scaled(sizes[i].cold_iters));
	printf(" tput_secs_per_rep=%.2f tput_reps=%d frame_rounds=%d frame=%dx8M reclaim=%lux32M\n",
	       tput_secs / divisor, TPUT_REPS, scaled(frame_rounds), FRAME_BUFS,
	       (unsigned long)RECLAIM_CHUNKS);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct heap_stats st;
	struct utsname uts;
	unsigned int i;
	int opt, t;

	while ((opt = getopt(argc, argv, "qm:s:g:")) != -1) {
		switch (opt) {
		case 'q':
			divisor = 10;
			break;
		case 'm':
			only = optarg;
			break;
		case 's':
			only_sizes = optarg;
			break;
		case 'g':
			gap_us = strtoul(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr, "usage: %s [-q] [-m measure,...] [-s size,...] [-g gap_us]\n", argv[0]);
			return 1;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	uname(&uts);
	snprintf(kernel, sizeof(kernel), "%s", uts.release);

	heap_fd = open(HEAP_PATH, O_RDONLY | O_CLOEXEC);
	if (heap_fd < 0)
		fail("open " HEAP_PATH, errno);
	have_df = access(DF_PATH, R_OK) == 0;
	have_pool = access(POOL_PATH, R_OK) == 0;
	read_stats(&st);
	df_baseline = st.freed;
	prefault_mb = prefault();

	print_header();
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		if (!listed(only_sizes, sizes[i].name))
			continue;
		for (t = 1; t <= MAX_THREADS; t++)
			if (listed(only, "warm_alloc"))
				latency(WARM, &sizes[i], t);
		if (listed(only, "release"))
			latency(RELEASE, &sizes[i], 1);
		for (t = 1; t <= MAX_THREADS; t++)
			if (listed(only, "tput"))
				throughput(&sizes[i], t);
		if (listed(only, "cold_alloc"))
			bench_cold_alloc(&sizes[i]);
	}
	if (listed(only, "frame_queue")) {
		frame_queue(true);
		frame_queue(false);
	}
	if (listed(only, "reclaim"))
		bench_reclaim();
	printf("bench-done kernel=%s\n", kernel);
	return 0;
}
