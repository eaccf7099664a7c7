package dev.coach.cli;

import dev.coach.grade.Grade;
import dev.coach.grade.Grader;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Grades many answers on N threads, in input order, with a progress bar when stderr is a terminal. */
public final class GradeRunner {
    /** One graded answer. */
    public record Result(AnswerFile.Item item, Grade grade, long millis) {
    }

    private GradeRunner() {
    }

    public static List<Result> run(List<AnswerFile.Item> items, Grader grader, int jobs, PrintWriter progress) {
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(jobs, items.size())));
        try {
            List<Future<Result>> futures = new ArrayList<>();
            for (AnswerFile.Item item : items) {
                futures.add(pool.submit(() -> {
                    long t0 = System.nanoTime();
                    Grade g = grader.grade(item.question(), item.answer());
                    Result r = new Result(item, g, (System.nanoTime() - t0) / 1_000_000);
                    bar(progress, done.incrementAndGet(), items.size());
                    return r;
                }));
            }
            List<Result> out = new ArrayList<>();
            for (Future<Result> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted");
                }
            }
            if (progress != null) {
                progress.print("\r\033[K");
                progress.flush();
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static synchronized void bar(PrintWriter w, int done, int total) {
        if (w == null) {
            return;
        }
        int width = 30;
        int filled = (int) Math.round((double) done / total * width);
        w.print("\rgrading [" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total);
        w.flush();
    }

    /** A progress writer only when stderr is an interactive terminal. */
    public static PrintWriter progressWriter(PrintWriter err) {
        java.io.Console c = System.console();
        return c != null && c.isTerminal() ? err : null;
    }
}
