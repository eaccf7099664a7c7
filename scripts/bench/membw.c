/*
 * membw: how fast this machine reads memory, the ceiling for decoding one token (which reads every weight once).
 *
 *   membw [MIB [THREADS [PASSES]]]     defaults: 1024 MiB, 2 threads, 9 passes
 *
 * Fills one buffer of MIB mebibytes (so every page is resident), then for 1, 2, ... THREADS threads reads the whole
 * buffer PASSES times; with T threads each reads its own contiguous 1/T of it. A pass is timed from the moment all
 * threads are released to the moment the last one is done. Prints JSON: per thread count the median, minimum and
 * maximum read bandwidth over the passes and every pass's figure, in GB/s (1 GB = 1e9 bytes).
 *
 * Build: cc -O2 -march=native -pthread membw.c -o membw
 * The inner loop sums 32-byte vectors (GCC/Clang vector extensions: AVX2 loads on x86) into four independent
 * accumulators; the sum is kept so the reads cannot be optimized away. On the Zen 4 machine of docs/BENCHMARKS.md,
 * 32-byte loads read 10 to 20% faster than 64-byte (AVX-512) ones, so the wider vectors would understate the limit.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef uint64_t vec __attribute__((vector_size(32)));

struct worker {
    pthread_t thread;
    const vec *begin;
    size_t count; /* vectors */
    uint64_t sum;
};

static pthread_barrier_t start_line, finish_line;
static int passes_left;
static volatile uint64_t sink;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t read_all(const vec *p, size_t n) {
    vec a = {0}, b = {0}, c = {0}, d = {0};
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        a += p[i];
        b += p[i + 1];
        c += p[i + 2];
        d += p[i + 3];
    }
    for (; i < n; i++) {
        a += p[i];
    }
    vec s = a + b + c + d;
    uint64_t total = 0;
    for (int k = 0; k < 4; k++) {
        total += s[k];
    }
    return total;
}

/* Helper threads: one read of their slice per pass, between the two barriers. */
static void *helper(void *arg) {
    struct worker *w = arg;
    for (int p = 0; p < passes_left; p++) {
        pthread_barrier_wait(&start_line);
        w->sum += read_all(w->begin, w->count);
        pthread_barrier_wait(&finish_line);
    }
    return NULL;
}

static int compare(const void *x, const void *y) {
    double a = *(const double *) x, b = *(const double *) y;
    return (a > b) - (a < b);
}

int main(int argc, char **argv) {
    long mib = argc > 1 ? atol(argv[1]) : 1024;
    int max_threads = argc > 2 ? atoi(argv[2]) : 2;
    int passes = argc > 3 ? atoi(argv[3]) : 9;
    if (mib < 1 || max_threads < 1 || max_threads > 256 || passes < 1) {
        fprintf(stderr, "usage: membw [MIB >= 1 [THREADS 1..256 [PASSES >= 1]]]\n");
        return 2;
    }
    size_t bytes = (size_t) mib << 20;
    size_t nvec = bytes / sizeof(vec);
    vec *buf;
    if (posix_memalign((void **) &buf, 4096, nvec * sizeof(vec)) != 0) {
        fprintf(stderr, "membw: cannot allocate %ld MiB; try a smaller size\n", mib);
        return 1;
    }
    memset(buf, 1, nvec * sizeof(vec)); /* makes every page resident before timing */

    double *gbs = malloc(sizeof(double) * passes);
    struct worker *w = calloc(max_threads, sizeof(struct worker));
    printf("{\"buffer_bytes\": %zu, \"passes\": %d, \"unit\": \"GB/s (1e9 bytes per second)\", \"read\": [", nvec * sizeof(vec), passes);
    for (int t = 1; t <= max_threads; t++) {
        pthread_barrier_init(&start_line, NULL, t);
        pthread_barrier_init(&finish_line, NULL, t);
        passes_left = passes;
        size_t per = nvec / t;
        for (int k = 0; k < t; k++) {
            w[k].begin = buf + k * per;
            w[k].count = k == t - 1 ? nvec - k * per : per;
            w[k].sum = 0;
            if (k > 0 && pthread_create(&w[k].thread, NULL, helper, &w[k]) != 0) {
                fprintf(stderr, "membw: cannot start thread %d\n", k);
                return 1;
            }
        }
        for (int p = 0; p < passes; p++) {
            pthread_barrier_wait(&start_line);
            double t0 = now();
            w[0].sum += read_all(w[0].begin, w[0].count);
            pthread_barrier_wait(&finish_line);
            gbs[p] = nvec * sizeof(vec) / (now() - t0) / 1e9;
        }
        for (int k = 1; k < t; k++) {
            pthread_join(w[k].thread, NULL);
        }
        for (int k = 0; k < t; k++) {
            sink += w[k].sum;
        }
        pthread_barrier_destroy(&start_line);
        pthread_barrier_destroy(&finish_line);
        printf("%s\n  {\"threads\": %d, \"samples_gbs\": [", t > 1 ? "," : "", t);
        for (int p = 0; p < passes; p++) {
            printf("%s%.2f", p ? ", " : "", gbs[p]);
        }
        qsort(gbs, passes, sizeof(double), compare);
        double median = passes % 2 ? gbs[passes / 2] : (gbs[passes / 2 - 1] + gbs[passes / 2]) / 2;
        printf("], \"median_gbs\": %.2f, \"min_gbs\": %.2f, \"max_gbs\": %.2f}", median, gbs[0], gbs[passes - 1]);
    }
    printf("\n]}\n");
    free(gbs);
    free(w);
    free(buf);
    return 0;
}
