// SPDX-License-Identifier: GPL-2.0
/*
 * dmabuf-bench - latency, throughput and side costs of the dma-buf system heap
 *
 * Runs as root in a guest booted from an initramfs, on the base kernel, on
 * the base kernel booted with init_on_free=1, and on the kernel with page
 * pools and deferred freeing, and prints one line per measure that
 * scripts/bench.sh parses:
 *
 *   bench kernel=<release> measure=<name> size=<size> threads=<n> iters=<n> <key>=<value>...
 *
 * Measures, for each size:
 *   warm         idle gap, then time DMA_HEAP_IOCTL_ALLOC (alloc_*), close()
 *                (rel_*) and both (rt_*), with the pools primed
 *   tput         back-to-back alloc + close for a fixed time
 *   cold_alloc   DMA_HEAP_IOCTL_ALLOC with empty pools (drop_caches first)
 * and once:
 *   frame_queue  allocate 16 x 8 MiB, release them, sleep G ms, repeat, for
 *                G = 33, 16 and 0 (size=gap33, gap16, gap0): per-round mean,
 *                p90 and median of alloc, release and round trip, and the CPU
 *                time of every thread per GiB allocated and freed; then the
 *                same at 33 ms with 16 x 4 KiB (size=gap33_4k): what a round
 *                costs when no buffer needs clearing (syscalls, dma-buf
 *                export and release; buffers under 1 MiB bypass the pools,
 *                the same path on every kernel), the fixed cost of the harness
 *   unrelated    frees that have nothing to do with the heap: anonymous
 *                memory populated and unmapped (anon_populate, anon_munmap),
 *                fork + exit of a child that populated memory (fork_exit),
 *                a tmpfs file written and unlinked (tmpfs_write,
 *                tmpfs_unlink); twice: as the measures before left the
 *                system, then with the pools emptied (names with
 *                "_dropped"), each after a line with the pools' size and
 *                the free lists' state (unrel_state), and with the PFN
 *                breaks of the populated mappings (pfn_breaks)
 *   churn        a frame round, 33 ms, then another user takes the memory
 *                (a tmpfs file, with most of RAM held by a ballast): pages
 *                the pools cleared and reclaim then freed unused
 *   frag         pageblocks and free high-order blocks before and after a
 *                mixed heap + anonymous workload, with the pools full and
 *                after drop_caches; run first, on a fresh system
 *   reclaim      time until drop_caches has emptied the pools
 *
 * The idle gap is "wait until the deferred-free worker has recycled
 * everything we released, then sleep gap_us". On a kernel without the
 * deferred-free helper (no /sys/kernel/debug/dma_buf/deferred_free_system)
 * it is just the sleep. The frame queue's gap is only the sleep, on every
 * kernel.
 *
 * CPU time: the benchmark process's CPU clock, plus the CPU clock of the
 * deferred-free worker (a kthread named "dmabuf-df-<heap>") when there is
 * one; and, as a cross-check that counts every thread, the busy time of
 * all CPUs from /proc/stat (10 ms ticks).
 *
 * The header reports the kernel's "mem auto-init:" line from the kernel log
 * (auto_init=...), so that the harness can check init_on_free.
 *
 * All times are CLOCK_MONOTONIC. Options:
 *   -q         quick: a tenth of the iterations (for testing the harness)
 *   -m LIST    only these measures (comma separated), default all
 *   -s LIST    only these sizes (comma separated, e.g. 4K,32M), default all
 *   -g USEC    idle gap, default 1000
 *   -x N       N times the iterations, 1 to 100 (for a profile of one
 *              measure, selftests/BENCH.md)
 *   -p S,W     spin 300 ms on CPU W, then run on CPU S and move the
 *              deferred-free worker to CPU W (scripts/bench.sh's pinned
 *              2-CPU runs: 0,1); without it the
 *              scheduler places both, and the 2-CPU numbers depend on
 *              whether it put them on one CPU or on two
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
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
#define WORKER_PREFIX	"dmabuf-df-"	/* deferred-free-helper.c: kthread_create_worker() */
/*
 * v1 of the series (tag sent/dmabuf-heaps-v1), used when the paths above are
 * absent: one deferred-free file (pending_pages, which counts busy_pages too,
 * freed_normal_pages = recycled, freed_pressure_pages = every uncleared free),
 * one file for all pools (total_pages and served_pages over all of them), and
 * one worker, "dmabuf-deferred-free" (matched on the 15 characters a comm
 * keeps).
 */
#define DF_PATH_V1	"/sys/kernel/debug/dmabuf_deferred_free"
#define POOL_PATH_V1	"/sys/kernel/debug/dmabuf_page_pool"
#define WORKER_PREFIX_V1 "dmabuf-deferred"
#define TMP_FILE	"/tmp/dmabuf-bench.tmp"

#define MiB		(1UL << 20)
#define PG		4096UL
#define TPUT_REPS	3
#define FRAME_BUFS	16
#define FRAME_SIZE	(8UL << 20)
#define FRAME_WARMUP	3
#define RECLAIM_CHUNK	(32UL << 20)
#define RECLAIM_CHUNKS	8
#define UNRELATED_SIZE	(16UL << 20)
#define FORK_SIZE	(8UL << 20)
#define UNRELATED_ITERS	10
#define PFN_MAPS	3	/* mappings whose PFN breaks are read, per pass */
#define CHURN_FREE	(384UL << 20)	/* what the ballast leaves free */
#define CHURN_WRITE	(288UL << 20)	/* what the other user takes per round */
#define CHURN_ROUNDS	6
#define BALLAST_CHUNK	(64UL << 20)
#define BALLAST_MAX	128
#define FRAG_LIVE_MAX	(384UL << 20)
#define FRAG_ANON	(1UL << 20)
#define FRAG_STEPS	400
#define FRAG_ANON_RING	64
#define FRAG_BUFS	128
#define DRAIN_TIMEOUT_NS (20ULL * 1000000000ULL)
#define DRAIN_POLL_US 2000

struct size_cfg {
	const char *name;
	unsigned long bytes;
	int warm_iters;
	int cold_iters;
};

static const struct size_cfg sizes[] = {
	{ "4K",   4UL << 10,   300, 150 },
	{ "1M",   1UL << 20,   200, 100 },
	{ "8M",   8UL << 20,   100,  50 },
	{ "32M",  32UL << 20,   50,  30 },
	{ "128M", 128UL << 20,  20,  10 },
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int heap_fd = -1;
static bool have_df;		/* deferred-free helper present */
static bool have_pool;		/* page-pool helper present */
static bool df_v1;		/* have_df through v1's DF_PATH_V1 */
static bool pool_v1;		/* have_pool through v1's POOL_PATH_V1 */
static const char *df_path = DF_PATH;
static long df_baseline;	/* freed pages counted when we started */
static long released_pages;	/* pages we have released */
static unsigned int divisor = 1;	/* -q */
static unsigned int multiplier = 1;	/* -x */
static unsigned long gap_us = 1000;
static double tput_secs = 0.3;
/* 100: one slow round in 30 (a host hiccup, on every kernel) moved a mean by 0.7 ms. */
static int frame_rounds = 100;
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
	int n = iters * multiplier / divisor;

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
	size_t got = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	while (got < len - 1 && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += n;
	close(fd);
	buf[got] = '\0';
	return got > 0;
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
	long freed;		/* every freed_*_pages */
	long recycled;		/* freed_recycled_pages: cleared into the pools */
	long pressure;		/* freed_{reclaim,alloc,bound}_pages: freed uncleared */
	long pool_total;
	long served;
};

static void read_stats(struct heap_stats *st)
{
	char buf[4096];

	memset(st, 0, sizeof(*st));
	if (have_df && df_v1 && read_file(df_path, buf, sizeof(buf))) {
		st->pending = kv(buf, "pending_pages");
		st->pressure = kv(buf, "freed_pressure_pages");
		st->recycled = kv(buf, "freed_normal_pages");
		st->freed = st->recycled + st->pressure;
	} else if (have_df && read_file(df_path, buf, sizeof(buf))) {
		st->pending = kv(buf, "pending_pages");
		st->pressure = kv(buf, "freed_reclaim_pages") + kv(buf, "freed_alloc_pages") +
			       kv(buf, "freed_bound_pages");
		st->recycled = kv(buf, "freed_recycled_pages");
		st->freed = st->recycled + st->pressure;
	}
	if (have_pool && pool_v1 && read_file(POOL_PATH_V1, buf, sizeof(buf))) {
		st->pool_total = kv(buf, "total_pages");
		st->served = kv(buf, "served_pages");
	}
	for (size_t i = 0; have_pool && !pool_v1 && i < ARRAY_SIZE(pool_paths); i++) {
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
 * not moved since the previous look, DRAIN_POLL_US earlier. A heap frees
 * some buffers without the helper (small ones, for instance), and then the
 * counters never catch up: waiting for them would make the patched kernel
 * spin here where the base kernel does not, before the timed operation.
 *
 * The looks must leave the CPU idle: the worker steps aside from a busy
 * CPU, and under UML a look (three syscalls of ~20 us) every 100 us kept
 * the CPU busy enough that the worker cleared about one item a second, its
 * floor, and a drain took 9 s.
 */
static void drain_wait(void)
{
	uint64_t start = now_ns(), t;
	struct heap_stats st;
	long want, last = -1;

	if (!have_df)
		return;
	for (;;) {
		want = df_baseline + released_pages;
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
		sleep_us(DRAIN_POLL_US);
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
	released_pages += len / PG;
}

static void drop_caches(void)
{
	int fd = open(DROP_PATH, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, "3\n", 2) != 2)
		fail("drop_caches", errno);
	close(fd);
}

/* drop_caches until the pools and the freelist are empty (at most 10 times). */
static void empty_pools(void)
{
	struct heap_stats st;
	int tries;

	drain_wait();
	for (tries = 0; tries < 10; tries++) {
		drop_caches();
		read_stats(&st);
		if (st.pool_total <= 0 && st.pending <= 0)
			break;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Statistics of @n samples; sorts @v. */
struct stat3 {
	uint64_t med, p90, p99, min, mean;
};

static struct stat3 stats_of(uint64_t *v, int n)
{
	struct stat3 s;
	long double sum = 0;
	int i, r;

	qsort(v, n, sizeof(*v), cmp_u64);
	for (i = 0; i < n; i++)
		sum += v[i];
	s.med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	r = (n * 90 + 99) / 100;	/* nearest rank */
	s.p90 = v[r > 0 ? r - 1 : 0];
	r = (n * 99 + 99) / 100;
	s.p99 = v[r > 0 ? r - 1 : 0];
	s.min = v[0];
	s.mean = (uint64_t)(sum / n);
	return s;
}

static void print_stat(const char *prefix, uint64_t *v, int n)
{
	struct stat3 s = stats_of(v, n);

	printf(" %s_med_ns=%llu %s_p90_ns=%llu %s_p99_ns=%llu %s_mean_ns=%llu %s_min_ns=%llu",
	       prefix, (unsigned long long)s.med, prefix, (unsigned long long)s.p90,
	       prefix, (unsigned long long)s.p99, prefix, (unsigned long long)s.mean,
	       prefix, (unsigned long long)s.min);
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
static long measure_nivcsw, measure_nvcsw;

static void csw(long *invol, long *vol)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	*invol = ru.ru_nivcsw;
	*vol = ru.ru_nvcsw;
}

static void begin(void)
{
	csw(&measure_nivcsw, &measure_nvcsw);
	measure_start = now_ns();
}

/*
 * End of a measure line: pool hits and synchronous (bound or pressure)
 * frees during the measure, how often the benchmark was preempted (its
 * involuntary context switches) and how often it slept (voluntary ones:
 * its own sleeps, and any wait in the kernel), and how long the measure
 * took in all.
 */
static void print_pool(const struct heap_stats *a, const struct heap_stats *b,
		       long alloc_pages)
{
	unsigned long long wall_ms = (now_ns() - measure_start) / 1000000;
	long invol, vol;

	csw(&invol, &vol);
	invol -= measure_nivcsw;
	vol -= measure_nvcsw;
	if (!have_pool || !have_df) {
		printf(" pool_hit_pct=n/a pressure_pages=n/a nivcsw=%ld nvcsw=%ld wall_ms=%llu\n",
		       invol, vol, wall_ms);
		return;
	}
	printf(" pool_hit_pct=%.1f pressure_pages=%ld nivcsw=%ld nvcsw=%ld wall_ms=%llu\n",
	       alloc_pages ? 100.0 * (b->served - a->served) / alloc_pages : 0.0,
	       b->pressure - a->pressure, invol, vol, wall_ms);
}

static long meminfo_kb(const char *key)
{
	char buf[8192], k[64];

	if (!read_file("/proc/meminfo", buf, sizeof(buf)))
		return -1;
	snprintf(k, sizeof(k), "%s:", key);
	return kv(buf, k);
}

static long vmstat(const char *key)
{
	static char buf[32768];

	if (!read_file("/proc/vmstat", buf, sizeof(buf)))
		return -1;
	return kv(buf, key);
}

/* ---- CPU time ---- */

static pid_t worker_pid;	/* the deferred-free worker, 0 if none */
static int pin_self = -1, pin_worker = -1;	/* -p S,W */

static void find_worker(void)
{
	const char *prefix = df_v1 ? WORKER_PREFIX_V1 : WORKER_PREFIX;
	char path[300], comm[64];
	struct dirent *de;
	DIR *d = opendir("/proc");

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		if (read_file(path, comm, sizeof(comm)) &&
		    !strncmp(comm, prefix, strlen(prefix))) {
			worker_pid = atoi(de->d_name);
			break;
		}
	}
	closedir(d);
}

/*
 * -p: the benchmark on one CPU, the worker (if there is one) on another. A
 * CPU that is not online is an error, not a silent fallback: the 2-CPU
 * table is about where the worker runs. First the benchmark spins for
 * PIN_SPIN_MS on the worker's CPU, on every kernel, so that the host can
 * tell which of its threads runs that CPU (scripts/bench.sh checks it).
 */
#define PIN_SPIN_MS	300

/* Let @pid run on @cpu only; @what names it in the error. */
static void pin_to(pid_t pid, int cpu, const char *what)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(pid, sizeof(set), &set))
		fail(what, errno);
}

static void pin(void)
{
	uint64_t t0;

	pin_to(0, pin_worker, "sched_setaffinity (-p, the spin on the worker's CPU)");
	t0 = now_ns();
	while (now_ns() - t0 < PIN_SPIN_MS * 1000000ULL)
		;
	pin_to(0, pin_self, "sched_setaffinity (-p, the benchmark)");
	if (worker_pid)
		pin_to(worker_pid, pin_worker, "sched_setaffinity (-p, the deferred-free worker)");
	printf("bench-pin kernel=%s self_cpu=%d worker_cpu=%d worker_pid=%d spun_cpu=%d spun_ms=%d\n",
	       kernel, pin_self, worker_pid ? pin_worker : -1, (int)worker_pid, pin_worker,
	       PIN_SPIN_MS);
}

static uint64_t clock_ns(clockid_t clk)
{
	struct timespec ts;

	if (clock_gettime(clk, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The worker's CPU time: its CPU clock, else utime + stime from /proc. */
static uint64_t worker_cpu_ns(void)
{
	char path[64], buf[1024], *p;
	unsigned long ut, st;
	clockid_t clk;

	if (!worker_pid)
		return 0;
	if (!clock_getcpuclockid(worker_pid, &clk))
		return clock_ns(clk);
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)worker_pid);
	if (!read_file(path, buf, sizeof(buf)))
		return 0;
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
			 &ut, &st) != 2)
		return 0;
	return (uint64_t)(ut + st) * (1000000000ULL / sysconf(_SC_CLK_TCK));
}

/* Busy time of all CPUs (idle and iowait excluded), from /proc/stat. */
static uint64_t all_cpu_ns(void)
{
	unsigned long long v[8] = { 0 };
	char buf[4096];

	if (!read_file("/proc/stat", buf, sizeof(buf)) ||
	    sscanf(buf, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
		   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 8)
		return 0;
	return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) *
	       (1000000000ULL / sysconf(_SC_CLK_TCK));
}

struct cpu_snap {
	uint64_t self, worker, all;
};

static void cpu_snap(struct cpu_snap *c)
{
	c->self = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	c->worker = worker_cpu_ns();
	c->all = all_cpu_ns();
}

/* ---- warm latency, throughput, empty pools ---- */

/* Fill the pools with 2 buffers of this size, three times. */
static void prime(const struct size_cfg *sz)
{
	int fds[2], round, i;

	for (round = 0; round < 3; round++) {
		for (i = 0; i < 2; i++)
			fds[i] = heap_alloc(sz->bytes);
		for (i = 0; i < 2; i++)
			heap_free(fds[i], sz->bytes);
		drain_wait();
	}
}

/* warm: idle gap, then alloc, close; both timed, and the round trip. */
static void bench_warm(const struct size_cfg *sz)
{
	int n = scaled(sz->warm_iters), i, fd;
	uint64_t *al = calloc(n, sizeof(*al)), *rl = calloc(n, sizeof(*rl));
	uint64_t *rt = calloc(n, sizeof(*rt)), t0, t1, t2;
	struct heap_stats a, b;

	if (!al || !rl || !rt)
		fail("calloc", ENOMEM);
	begin();
	prime(sz);
	read_stats(&a);
	for (i = 0; i < n; i++) {
		idle_gap();
		t0 = now_ns();
		fd = heap_alloc(sz->bytes);
		t1 = now_ns();
		heap_free(fd, sz->bytes);
		t2 = now_ns();
		al[i] = t1 - t0;
		rl[i] = t2 - t1;
		rt[i] = t2 - t0;
	}
	drain_wait();
	read_stats(&b);
	printf("bench kernel=%s measure=warm size=%s threads=1 iters=%d", kernel, sz->name, n);
	print_stat("alloc", al, n);
	print_stat("rel", rl, n);
	print_stat("rt", rt, n);
	print_pool(&a, &b, (long)n * (sz->bytes / PG));
	free(al);
	free(rl);
	free(rt);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Back-to-back alloc + close for tput_secs, TPUT_REPS times; the median rep. */
static void bench_tput(const struct size_cfg *sz)
{
	double gbps[TPUT_REPS], ops_s[TPUT_REPS];
	uint64_t t0, t1, deadline, elapsed;
	long check = sz->bytes >= MiB ? 1 : 16, ops, total = 0;
	struct heap_stats a, b;
	int rep;

	begin();
	read_stats(&a);
	for (rep = 0; rep < TPUT_REPS; rep++) {
		drain_wait();
		heap_free(heap_alloc(sz->bytes), sz->bytes);
		heap_free(heap_alloc(sz->bytes), sz->bytes);
		t0 = now_ns();
		deadline = t0 + (uint64_t)(tput_secs / divisor * 1e9);
		t1 = t0;
		ops = 0;
		do {
			heap_free(heap_alloc(sz->bytes), sz->bytes);
			if (++ops % check == 0)
				t1 = now_ns();
		} while (t1 < deadline);
		elapsed = now_ns() - t0;
		total += ops + 2;
		ops_s[rep] = ops * 1e9 / elapsed;
		gbps[rep] = ops_s[rep] * sz->bytes / 1e9;
	}
	drain_wait();
	read_stats(&b);
	qsort(gbps, TPUT_REPS, sizeof(double), cmp_double);
	qsort(ops_s, TPUT_REPS, sizeof(double), cmp_double);
	printf("bench kernel=%s measure=tput size=%s threads=1 iters=%ld reps=%d secs_per_rep=%.2f gbps=%.3f ops_s=%.0f",
	       kernel, sz->name, total, TPUT_REPS, tput_secs / divisor,
	       gbps[TPUT_REPS / 2], ops_s[TPUT_REPS / 2]);
	print_pool(&a, &b, total * (long)(sz->bytes / PG));
}

/* Allocation with empty pools: drop_caches (untimed) before every sample. */
static void bench_cold_alloc(const struct size_cfg *sz)
{
	int n = scaled(sz->cold_iters), i, fd;
	uint64_t *lat = calloc(n, sizeof(*lat)), t0;
	struct heap_stats a, b;

	if (!lat)
		fail("calloc", ENOMEM);
	begin();
	read_stats(&a);
	for (i = 0; i < n; i++) {
		empty_pools();
		sleep_us(gap_us);
		t0 = now_ns();
		fd = heap_alloc(sz->bytes);
		lat[i] = now_ns() - t0;
		heap_free(fd, sz->bytes);
	}
	drain_wait();
	read_stats(&b);
	printf("bench kernel=%s measure=cold_alloc size=%s threads=1 iters=%d", kernel, sz->name, n);
	print_stat("alloc", lat, n);
	print_pool(&a, &b, (long)n * (sz->bytes / PG));
	free(lat);
}

/* ---- frame queue ---- */

/* One round: 16 buffers of @len allocated, then released; times in @al and @rl. */
static void frame_round(int *fds, unsigned long len, uint64_t *al, uint64_t *rl)
{
	uint64_t t0, t1;
	int i;

	t0 = now_ns();
	for (i = 0; i < FRAME_BUFS; i++)
		fds[i] = heap_alloc(len);
	t1 = now_ns();
	for (i = 0; i < FRAME_BUFS; i++)
		heap_free(fds[i], len);
	if (al)
		*al = t1 - t0;
	if (rl)
		*rl = now_ns() - t1;
}

/*
 * A video-style queue at 1000/gap_ms frames per second: allocate 16 buffers
 * of @len (8 MiB; 4 KiB for the fixed cost), release them, sleep gap_ms, repeat.
 * The CPU window runs from the first timed round until the worker has
 * recycled the last one.
 */
static void frame_queue(int gap_ms, unsigned long len)
{
	int rounds = scaled(frame_rounds), r, fds[FRAME_BUFS];
	uint64_t *al = calloc(rounds, sizeof(*al)), *rl = calloc(rounds, sizeof(*rl));
	uint64_t *rt = calloc(rounds, sizeof(*rt));
	struct cpu_snap c0, c1;
	struct heap_stats a, b;
	uint64_t self_ns;
	double gib;

	if (!al || !rl || !rt)
		fail("calloc", ENOMEM);
	begin();
	for (r = 0; r < FRAME_WARMUP; r++) {
		frame_round(fds, len, NULL, NULL);
		sleep_us(gap_ms * 1000UL);
	}
	drain_wait();
	read_stats(&a);
	cpu_snap(&c0);
	for (r = 0; r < rounds; r++) {
		frame_round(fds, len, &al[r], &rl[r]);
		rt[r] = al[r] + rl[r];
		if (gap_ms)
			sleep_us(gap_ms * 1000UL);
	}
	/* The drain's polling is ours, not the workload's. */
	self_ns = clock_ns(CLOCK_PROCESS_CPUTIME_ID) - c0.self;
	drain_wait();
	cpu_snap(&c1);
	read_stats(&b);
	gib = (double)rounds * FRAME_BUFS * len / (1UL << 30);
	printf("bench kernel=%s measure=frame_queue size=gap%d%s threads=1 iters=%d", kernel,
	       gap_ms, len == FRAME_SIZE ? "" : "_4k", rounds);
	print_stat("alloc", al, rounds);
	print_stat("rel", rl, rounds);
	print_stat("rt", rt, rounds);
	printf(" gib=%.3f cpu_self_ns=%llu cpu_worker_ns=%llu cpu_all_ns=%llu worker_pid=%d",
	       gib, (unsigned long long)self_ns,
	       (unsigned long long)(c1.worker - c0.worker),
	       (unsigned long long)(c1.all - c0.all), (int)worker_pid);
	print_pool(&a, &b, (long)rounds * FRAME_BUFS * (len / PG));
	free(al);
	free(rl);
	free(rt);
}

/* ---- frees that have nothing to do with the heap ---- */

static void *map_populated(unsigned long len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	if (p == MAP_FAILED)
		fail("mmap", errno);
	return p;
}

/* Write one byte per page: the memory is used, not just mapped. */
static void touch(char *p, unsigned long len)
{
	for (unsigned long off = 0; off < len; off += PG)
		p[off] = 1;
}

static void write_file(const char *path, unsigned long len)
{
	static char buf[1 << 20];
	unsigned long done = 0;
	ssize_t n;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		fail("open " TMP_FILE, errno);
	memset(buf, 0x5a, sizeof(buf));
	while (done < len) {
		n = write(fd, buf, len - done < sizeof(buf) ? len - done : sizeof(buf));
		if (n <= 0)
			fail("write " TMP_FILE, n < 0 ? errno : ENOSPC);
		done += n;
	}
	close(fd);
}

/* A tmpfs file of @len bytes, allocated by fallocate(): no copying, no clearing. */
static void fill_file(const char *path, unsigned long len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		fail("open " TMP_FILE, errno);
	if (fallocate(fd, 0, 0, len))
		fail("fallocate " TMP_FILE, errno);
	close(fd);
}

/*
 * Breaks in the physical contiguity of the @len bytes at @p, from
 * /proc/self/pagemap (root sees PFNs): 0 if the pages are one run of PFNs,
 * len / PG - 1 if no two neighbours are neighbours in memory. The
 * hypothesis it tests: under UML a fault maps a page with a host mmap(),
 * runs of physically contiguous pages can be merged into one call, so a
 * scattered free list would make faults dearer there. -1 if the PFNs
 * cannot be read.
 */
static long pfn_breaks(const char *p, unsigned long len)
{
	unsigned long n = len / PG, i;
	uint64_t *e = calloc(n, sizeof(*e)), prev;
	long breaks = 0;
	int fd;

	if (!e)
		fail("calloc", ENOMEM);
	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || pread(fd, e, n * sizeof(*e), (uintptr_t)p / PG * sizeof(*e)) !=
	    (ssize_t)(n * sizeof(*e)))
		breaks = -1;
	if (fd >= 0)
		close(fd);
	for (i = 0, prev = 0; breaks >= 0 && i < n; i++) {
		uint64_t pfn = e[i] & ((1ULL << 55) - 1);

		if (!(e[i] >> 63) || !pfn)
			breaks = -1;	/* not present, or PFNs hidden */
		else if (i && pfn != prev + 1)
			breaks++;
		prev = pfn;
	}
	free(e);
	return breaks;
}

static void print_unrelated(const char *name, const char *pass, unsigned long len,
			    uint64_t *v, int n)
{
	printf("bench kernel=%s measure=%s%s size=%luM threads=1 iters=%d", kernel, name, pass,
	       len >> 20, n);
	print_stat("t", v, n);
	printf("\n");
}

/*
 * One pass of the unrelated work; @pass is appended to the measures' names
 * ("" for the first pass, which the main table shows). Then the PFN
 * breaks of PFN_MAPS more populated mappings, untimed: reading pagemap
 * warms what munmap() touches, so not between the timed calls.
 */
static void unrelated_pass(const char *pass)
{
	int n = scaled(UNRELATED_ITERS), i;
	uint64_t *pop = calloc(n, sizeof(*pop)), *unm = calloc(n, sizeof(*unm));
	uint64_t *fk = calloc(n, sizeof(*fk)), *wr = calloc(n, sizeof(*wr));
	uint64_t *ul = calloc(n, sizeof(*ul)), *brk = calloc(PFN_MAPS, sizeof(*brk)), t0, t1;
	bool brk_ok = true;
	pid_t pid;
	int status;
	long b;
	char *p;

	if (!pop || !unm || !fk || !wr || !ul || !brk)
		fail("calloc", ENOMEM);
	for (i = 0; i < n; i++) {
		t0 = now_ns();
		p = map_populated(UNRELATED_SIZE);
		touch(p, UNRELATED_SIZE);
		t1 = now_ns();
		if (munmap(p, UNRELATED_SIZE))
			fail("munmap", errno);
		unm[i] = now_ns() - t1;
		pop[i] = t1 - t0;

		t0 = now_ns();
		pid = fork();
		if (pid < 0)
			fail("fork", errno);
		if (!pid) {
			p = map_populated(FORK_SIZE);
			touch(p, FORK_SIZE);
			_exit(0);
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
			fail("waitpid", errno ? errno : ECHILD);
		fk[i] = now_ns() - t0;

		t0 = now_ns();
		write_file(TMP_FILE, UNRELATED_SIZE);
		t1 = now_ns();
		if (unlink(TMP_FILE))
			fail("unlink", errno);
		ul[i] = now_ns() - t1;
		wr[i] = t1 - t0;
	}
	print_unrelated("anon_populate", pass, UNRELATED_SIZE, pop, n);
	print_unrelated("anon_munmap", pass, UNRELATED_SIZE, unm, n);
	print_unrelated("fork_exit", pass, FORK_SIZE, fk, n);
	print_unrelated("tmpfs_write", pass, UNRELATED_SIZE, wr, n);
	print_unrelated("tmpfs_unlink", pass, UNRELATED_SIZE, ul, n);
	for (i = 0; i < PFN_MAPS; i++) {
		p = map_populated(UNRELATED_SIZE);
		touch(p, UNRELATED_SIZE);
		b = pfn_breaks(p, UNRELATED_SIZE);
		brk_ok &= b >= 0;
		brk[i] = b < 0 ? 0 : b;
		if (munmap(p, UNRELATED_SIZE))
			fail("munmap", errno);
	}
	if (brk_ok) {
		struct stat3 bs = stats_of(brk, PFN_MAPS);

		printf("bench kernel=%s measure=pfn_breaks%s size=%luM threads=1 iters=%d med=%llu min=%llu mean=%llu\n",
		       kernel, pass, UNRELATED_SIZE >> 20, PFN_MAPS, (unsigned long long)bs.med,
		       (unsigned long long)bs.min, (unsigned long long)bs.mean);
	} else {
		printf("bench warn kernel=%s pfn_breaks unreadable (/proc/self/pagemap)\n", kernel);
	}
	free(brk);
	free(pop);
	free(unm);
	free(fk);
	free(wr);
	free(ul);
}

/* ---- reclaim churn ---- */

/* Hold heap buffers until about @leave bytes are free; return how many. */
static int ballast(int *fds, unsigned long *lens, unsigned long leave,
		   unsigned long *bytes)
{
	long free_kb = meminfo_kb("MemFree");
	unsigned long want, len;
	int n = 0;

	*bytes = 0;
	if (free_kb < 0 || (unsigned long)free_kb * 1024 <= leave)
		return 0;
	want = (unsigned long)free_kb * 1024 - leave;
	while (want >= MiB && n < BALLAST_MAX) {
		len = want > BALLAST_CHUNK ? BALLAST_CHUNK : want & ~(MiB - 1);
		lens[n] = len;
		fds[n++] = heap_alloc(len);
		*bytes += len;
		want -= len;
	}
	return n;
}

/*
 * Reclaim churn: a ballast of heap buffers leaves CHURN_FREE free. Each
 * round allocates and releases a frame queue, sleeps 33 ms (the worker
 * clears the frames into the pools), then another user allocates a
 * CHURN_WRITE tmpfs file (fallocate), which needs more than is free, and
 * deletes it. Pages the
 * pools cleared and reclaim then freed without serving them are wasted
 * clears: recycled - served - (growth of the pools); exact as long as the
 * pools stay below their cap (they hold at most one frame queue here).
 */
static void bench_churn(void)
{
	int rounds = scaled(CHURN_ROUNDS), r, fds[FRAME_BUFS], bfds[BALLAST_MAX], nb, i;
	uint64_t *rt = calloc(rounds, sizeof(*rt)), *wr = calloc(rounds, sizeof(*wr));
	uint64_t al, rl, t0;
	struct heap_stats a, b;
	unsigned long bbytes, blens[BALLAST_MAX];
	long pgfree0, pgfree1;
	cpu_set_t one, all;

	if (!rt || !wr)
		fail("calloc", ENOMEM);
	/*
	 * One CPU for the whole measure: with two, the pages the tmpfs file
	 * freed could sit on the other CPU's per-CPU lists (seen: 190 MiB),
	 * out of reach of the next allocation, and the OOM killer came.
	 */
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	if (sched_getaffinity(0, sizeof(all), &all) || sched_setaffinity(0, sizeof(one), &one))
		fail("sched_setaffinity", errno);
	begin();
	empty_pools();
	nb = ballast(bfds, blens, CHURN_FREE, &bbytes);
	read_stats(&a);
	pgfree0 = vmstat("pgfree");
	for (r = 0; r < rounds; r++) {
		frame_round(fds, FRAME_SIZE, &al, &rl);
		rt[r] = al + rl;
		sleep_us(33000);
		t0 = now_ns();
		fill_file(TMP_FILE, CHURN_WRITE);
		if (unlink(TMP_FILE))
			fail("unlink", errno);
		wr[r] = now_ns() - t0;
	}
	drain_wait();
	pgfree1 = vmstat("pgfree");
	read_stats(&b);
	for (i = 0; i < nb; i++)
		heap_free(bfds[i], blens[i]);
	empty_pools();
	sched_setaffinity(0, sizeof(all), &all);
	printf("bench kernel=%s measure=churn size=16x8M threads=1 iters=%d ballast_mb=%lu write_mb=%lu",
	       kernel, rounds, bbytes >> 20, CHURN_WRITE >> 20);
	print_stat("rt", rt, rounds);
	print_stat("write", wr, rounds);
	printf(" heap_pages=%ld pgfree=%ld", (long)rounds * FRAME_BUFS * (long)(FRAME_SIZE / PG),
	       pgfree1 - pgfree0);
	if (have_df && have_pool)
		printf(" cleared_pages=%ld served_pages=%ld pool_delta_pages=%ld wasted_pages=%ld uncleared_pages=%ld",
		       b.recycled - a.recycled, b.served - a.served,
		       b.pool_total - a.pool_total,
		       (b.recycled - a.recycled) - (b.served - a.served) -
		       (b.pool_total - a.pool_total), b.pressure - a.pressure);
	else
		printf(" cleared_pages=n/a served_pages=n/a pool_delta_pages=n/a wasted_pages=n/a uncleared_pages=n/a");
	print_pool(&a, &b, (long)rounds * FRAME_BUFS * (long)(FRAME_SIZE / PG));
	free(rt);
	free(wr);
}

/* ---- fragmentation ---- */

struct frag {
	long blocks[6];		/* Unmovable Movable Reclaimable HighAtomic Isolate CMA */
	long free_ge[11];	/* free blocks of order >= i, all zones */
	long free_hi_kb;	/* free memory in blocks of order >= 9 */
	long free_kb;
};

static void read_frag(struct frag *f)
{
	static char buf[65536];
	char *line, *save = NULL;
	bool counts = false;
	int i, o;

	memset(f, 0, sizeof(*f));
	if (read_file("/proc/pagetypeinfo", buf, sizeof(buf))) {
		for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			long v[6] = { 0 };
			char *p;

			if (!strncmp(line, "Number of blocks type", 21)) {
				counts = true;
				continue;
			}
			if (!counts || strncmp(line, "Node", 4))
				continue;
			p = strstr(line, "zone");
			if (!p)
				continue;
			p += 4;
			p += strspn(p, " ");
			p += strcspn(p, " ");	/* the zone's name */
			if (sscanf(p, "%ld %ld %ld %ld %ld %ld", &v[0], &v[1], &v[2], &v[3],
				   &v[4], &v[5]) < 3)
				continue;
			for (i = 0; i < 6; i++)
				f->blocks[i] += v[i];
		}
	}
	if (read_file("/proc/buddyinfo", buf, sizeof(buf))) {
		for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char *p = strstr(line, "zone");
			long c;
			int off;

			if (!p)
				continue;
			p += 4;
			p += strspn(p, " ");
			p += strcspn(p, " ");
			for (o = 0; o < 11 && sscanf(p, "%ld%n", &c, &off) == 1; o++, p += off)
				for (i = 0; i <= o; i++)
					f->free_ge[i] += c;
		}
	}
	/* Blocks of exactly order o: free_ge[o] - free_ge[o + 1]; 4 KiB << o each. */
	for (o = 9; o < 11; o++)
		f->free_hi_kb += (f->free_ge[o] - (o < 10 ? f->free_ge[o + 1] : 0)) * (4L << o);
	f->free_kb = meminfo_kb("MemFree");
}

/* The share of free memory in blocks of order >= 9, in percent. */
static double frag_hi_pct(const struct frag *f)
{
	return f->free_kb > 0 ? 100.0 * f->free_hi_kb / f->free_kb : 0.0;
}

static void print_frag(const char *state, const struct frag *f)
{
	printf("bench kernel=%s measure=frag size=%s threads=1 iters=1 unmovable_blocks=%ld movable_blocks=%ld reclaimable_blocks=%ld highatomic_blocks=%ld free_ge8=%ld free_ge9=%ld free_ge10=%ld free_hi_kb=%ld free_kb=%ld hi_pct=%.1f\n",
	       kernel, state, f->blocks[0], f->blocks[1], f->blocks[2], f->blocks[3],
	       f->free_ge[8], f->free_ge[9], f->free_ge[10], f->free_hi_kb, f->free_kb,
	       frag_hi_pct(f));
}

/*
 * The unrelated work twice: as the earlier measures left the system (the
 * pools full on the patched kernel), then after empty_pools(). Before each
 * pass the free lists' state and what the pools hold are printed
 * (measure=unrel_state), so that a slower pass can be told apart from a
 * more scattered free list.
 */
static void bench_unrelated(void)
{
	static const struct {
		const char *state, *suffix;
	} passes[] = { { "pooled", "" }, { "dropped", "_dropped" } };
	struct heap_stats st;
	struct frag f;

	for (size_t i = 0; i < ARRAY_SIZE(passes); i++) {
		if (i)
			empty_pools();
		else
			drain_wait();
		read_stats(&st);
		read_frag(&f);
		printf("bench kernel=%s measure=unrel_state size=%s threads=1 iters=1 pool_kb=%ld free_ge9=%ld free_kb=%ld hi_pct=%.1f\n",
		       kernel, passes[i].state, st.pool_total * (PG >> 10), f.free_ge[9],
		       f.free_kb, frag_hi_pct(&f));
		unrelated_pass(passes[i].suffix);
	}
}

static unsigned int rnd_state = 12345;

static unsigned int rnd(void)
{
	rnd_state = rnd_state * 1103515245 + 12345;
	return (rnd_state >> 16) & 0x7fff;
}

/*
 * A mixed workload: heap buffers of 1-32 MiB allocated and released at
 * random (at most FRAG_LIVE_MAX live), interleaved with 2 MiB anonymous
 * mappings (a ring of FRAG_ANON_RING) whose pages land between them. The
 * same seed on every kernel. Then everything is released; the state is
 * read with the pools full (after the worker is done) and after
 * drop_caches.
 */
static void bench_frag(void)
{
	int steps = scaled(FRAG_STEPS), s, nbuf = 0, i, head = 0;
	int bfd[FRAG_BUFS];
	unsigned long blen[FRAG_BUFS], live = 0, len;
	char *anon[FRAG_ANON_RING] = { NULL };
	struct heap_stats a, b;
	struct frag f;

	begin();
	empty_pools();
	read_frag(&f);
	print_frag("before", &f);
	read_stats(&a);
	for (s = 0; s < steps; s++) {
		unsigned int r = rnd() % 10;

		if (r < 5 && nbuf < FRAG_BUFS) {
			len = MiB << (rnd() % 6);
			if (live + len <= FRAG_LIVE_MAX) {
				bfd[nbuf] = heap_alloc(len);
				blen[nbuf++] = len;
				live += len;
				continue;
			}
			r = 5;
		}
		if (r < 8 && nbuf) {
			i = rnd() % nbuf;
			heap_free(bfd[i], blen[i]);
			live -= blen[i];
			bfd[i] = bfd[--nbuf];
			blen[i] = blen[nbuf];
			continue;
		}
		if (anon[head] && munmap(anon[head], FRAG_ANON))
			fail("munmap", errno);
		anon[head] = map_populated(FRAG_ANON);
		touch(anon[head], FRAG_ANON);
		head = (head + 1) % FRAG_ANON_RING;
	}
	for (i = 0; i < FRAG_ANON_RING; i++)
		if (anon[i] && munmap(anon[i], FRAG_ANON))
			fail("munmap", errno);
	for (i = 0; i < nbuf; i++)
		heap_free(bfd[i], blen[i]);
	drain_wait();
	sleep_us(100000);
	read_stats(&b);
	read_frag(&f);
	print_frag("pooled", &f);
	empty_pools();
	read_frag(&f);
	print_frag("dropped", &f);
	printf("bench kernel=%s measure=frag_pool size=- threads=1 iters=%d pool_pages=%ld",
	       kernel, steps, b.pool_total);
	print_pool(&a, &b, 0);
}

/* ---- reclaim ---- */

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
}

/* ---- setup ---- */

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
	*timer_ns = stats_of(v, n).med;
	for (i = 0; i < n; i++) {
		t0 = now_ns();
		getppid();
		v[i] = now_ns() - t0;
	}
	*syscall_ns = stats_of(v, n).med;
	*syscall_ns = *syscall_ns > *timer_ns ? *syscall_ns - *timer_ns : 0;
}

/*
 * The kernel's "mem auto-init: stack:..., heap alloc:..., heap free:..."
 * line, from the kernel log, with blanks made underscores; "unknown" if
 * it is not there.
 */
static void auto_init(char *out, size_t len)
{
	static char log[1 << 20];
	const char *key = "mem auto-init: stack:";
	char *p, *e;
	int n;

	snprintf(out, len, "unknown");
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, sizeof(log) - 1);
	if (n <= 0)
		return;
	log[n] = '\0';
	p = strstr(log, key);
	if (!p)
		return;
	p += strlen("mem auto-init: ");
	e = strchrnul(p, '\n');
	snprintf(out, len, "%.*s", (int)(e - p), p);
	for (p = out; *p; p++)
		if (*p == ' ' || *p == '\t')
			*p = '_';
}

static void print_header(void)
{
	char buf[16384], model[128] = "unknown", ai[128], *p, *e;
	uint64_t timer_ns, syscall_ns;
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
	if (have_df && read_file(df_path, buf, sizeof(buf)))
		max_pages = kv(buf, "max_pages");
	overheads(&timer_ns, &syscall_ns);
	auto_init(ai, sizeof(ai));

	printf("bench-header kernel=%s machine=%s nproc=%ld mem_total_kb=%ld deferred_free=%s page_pool=%s max_pending_pages=%ld worker_pid=%d auto_init=%s timer_ns=%llu syscall_ns=%llu gap_us=%lu prefault_mb=%lu\n",
	       kernel, model, sysconf(_SC_NPROCESSORS_ONLN), meminfo_kb("MemTotal"),
	       have_df ? "yes" : "no", have_pool ? "yes" : "no", max_pages, (int)worker_pid,
	       ai, (unsigned long long)timer_ns, (unsigned long long)syscall_ns, gap_us,
	       prefault_mb);
	printf("bench-iters kernel=%s", kernel);
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		printf(" %s=warm:%d,cold:%d", sizes[i].name, scaled(sizes[i].warm_iters),
		       scaled(sizes[i].cold_iters));
	printf(" tput_secs_per_rep=%.2f tput_reps=%d frame_rounds=%d frame=%dx8M unrelated=%dx%luM churn=%d frag_steps=%d reclaim=%lux32M\n",
	       tput_secs / divisor, TPUT_REPS, scaled(frame_rounds), FRAME_BUFS,
	       scaled(UNRELATED_ITERS), UNRELATED_SIZE >> 20,
	       scaled(CHURN_ROUNDS), scaled(FRAG_STEPS), (unsigned long)RECLAIM_CHUNKS);
}

int main(int argc, char **argv)
{
	static const int gaps[] = { 33, 16, 0 };
	struct heap_stats st;
	struct utsname uts;
	unsigned int i;
	int opt;

	while ((opt = getopt(argc, argv, "qm:s:g:x:p:")) != -1) {
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
		case 'x':
			multiplier = strtoul(optarg, NULL, 10);
			if (multiplier < 1 || multiplier > 100) {
				fprintf(stderr, "-x: 1 to 100, got %s\n", optarg);
				return 1;
			}
			break;
		case 'p':
			if (sscanf(optarg, "%d,%d", &pin_self, &pin_worker) != 2 ||
			    pin_self < 0 || pin_worker < 0 ||
			    pin_self >= CPU_SETSIZE || pin_worker >= CPU_SETSIZE) {
				fprintf(stderr, "-p: SELF_CPU,WORKER_CPU, got %s\n", optarg);
				return 1;
			}
			break;
		default:
			fprintf(stderr, "usage: %s [-q] [-m measure,...] [-s size,...] [-g gap_us] [-x N] [-p self_cpu,worker_cpu]\n", argv[0]);
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
	if (!have_df && access(DF_PATH_V1, R_OK) == 0) {
		have_df = df_v1 = true;
		df_path = DF_PATH_V1;
	}
	if (!have_pool && access(POOL_PATH_V1, R_OK) == 0)
		have_pool = pool_v1 = true;
	if (have_df)
		find_worker();
	if (pin_self >= 0)
		pin();
	read_stats(&st);
	df_baseline = st.freed;
	/*
	 * Fragmentation first, on a fresh system: the prefault allocates all
	 * memory through the heap, which turns almost every pageblock
	 * unmovable on every kernel and would leave nothing to compare.
	 * The frag lines come before the header; bench.sh does not mind.
	 */
	if (listed(only, "frag"))
		bench_frag();
	prefault_mb = prefault();

	print_header();
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		if (!listed(only_sizes, sizes[i].name))
			continue;
		if (listed(only, "warm"))
			bench_warm(&sizes[i]);
		if (listed(only, "tput"))
			bench_tput(&sizes[i]);
		if (listed(only, "cold_alloc"))
			bench_cold_alloc(&sizes[i]);
	}
	for (i = 0; i < ARRAY_SIZE(gaps); i++)
		if (listed(only, "frame_queue"))
			frame_queue(gaps[i], FRAME_SIZE);
	if (listed(only, "frame_queue"))
		frame_queue(33, PG);
	if (listed(only, "unrelated"))
		bench_unrelated();
	if (listed(only, "churn"))
		bench_churn();
	if (listed(only, "reclaim"))
		bench_reclaim();
	printf("bench-done kernel=%s\n", kernel);
	return 0;
}
