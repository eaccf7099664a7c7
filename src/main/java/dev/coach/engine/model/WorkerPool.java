package dev.coach.engine.model;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of worker threads that split one job's index range statically: with {@code n} threads, thread
 * {@code t} always gets the {@code t}-th slice, and the calling thread does slice 0 itself. Threads are created
 * once and kept, so a forward pass pays no thread start-up per operation.
 */
public final class WorkerPool implements AutoCloseable {

    /** A job over the index range {@code [start, end)}. */
    @FunctionalInterface
    public interface RangeTask {
        void run(int start, int end);
    }

    private final int threads;
    private final Thread[] workers;
    private volatile Job job;
    private volatile boolean closed;

    private record Job(RangeTask task, int size, int granule, CountDownLatch done, AtomicReference<Throwable> failure, long serial) {
    }

    private long serial;

    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int slice = i + 1;
            workers[i] = Thread.ofPlatform().daemon().name("coach-engine-" + slice).start(() -> loop(slice));
        }
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code task} over {@code [0, size)} split in equal slices whose bounds are multiples of {@code granule}. */
    public synchronized void run(int size, int granule, RangeTask task) {
        if (threads == 1 || size <= granule) {
            task.run(0, size);
            return;
        }
        CountDownLatch done = new CountDownLatch(workers.length);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Job j = new Job(task, size, granule, done, failure, ++serial);
        job = j;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        slice(j, 0);
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for engine workers", e);
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
    }

    public void run(int size, RangeTask task) {
        run(size, 1, task);
    }

    private void slice(Job j, int t) {
        int units = (j.size + j.granule - 1) / j.granule;
        int from = (int) ((long) units * t / threads) * j.granule;
        int to = (int) Math.min(j.size, (long) units * (t + 1) / threads * j.granule);
        if (from < to) {
            j.task.run(from, to);
        }
    }

    private void loop(int slice) {
        long seen = 0;
        while (!closed) {
            Job j = job;
            if (j == null || j.serial == seen) {
                // Spin briefly (decode issues many small jobs back to back), then park.
                for (int i = 0; i < 2000 && (j = job) != null && j.serial == seen && !closed; i++) {
                    Thread.onSpinWait();
                }
                if (j == null || j.serial == seen) {
                    LockSupport.parkNanos(200_000);
                    continue;
                }
            }
            seen = j.serial;
            try {
                slice(j, slice);
            } catch (Throwable t) {
                j.failure.compareAndSet(null, t);
            } finally {
                j.done.countDown();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
