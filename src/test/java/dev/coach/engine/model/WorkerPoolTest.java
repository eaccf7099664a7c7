package dev.coach.engine.model;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerPoolTest {

    @Test
    void everyIndexIsCoveredExactlyOnceWithGranuleAlignedSlices() {
        try (WorkerPool pool = new WorkerPool(3)) {
            for (int size : new int[]{1, 5, 64, 1000, 1001}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(size);
                pool.run(size, 16, (a, b) -> {
                    assertTrue(a % 16 == 0, "slice start " + a + " is not aligned");
                    for (int i = a; i < b; i++) {
                        hits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < size; i++) {
                    assertEquals(1, hits.get(i), "index " + i + " of " + size);
                }
            }
        }
    }

    @Test
    void slicesRunOnSeveralThreadsAndManyJobsInARowComplete() {
        try (WorkerPool pool = new WorkerPool(2)) {
            var threads = ConcurrentHashMap.<String>newKeySet();
            for (int job = 0; job < 5000; job++) {
                pool.run(2, (a, b) -> threads.add(Thread.currentThread().getName()));
            }
            assertEquals(2, threads.size(), "both the caller and the worker took slices: " + threads);
        }
    }

    @Test
    void aFailureInAWorkerReachesTheCaller() {
        try (WorkerPool pool = new WorkerPool(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run(100, (a, b) -> {
                if (a > 0) {
                    throw new IllegalStateException("boom in slice " + a);
                }
            }));
            assertEquals("boom in slice 50", e.getMessage());
            // and the pool still works afterwards
            AtomicIntegerArray hits = new AtomicIntegerArray(10);
            pool.run(10, (a, b) -> {
                for (int i = a; i < b; i++) {
                    hits.incrementAndGet(i);
                }
            });
            assertEquals(1, hits.get(9));
        }
    }
}
