package io.hvprobe.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Maps items on up to {@code jobs} threads and returns the results in input order, so {@code --jobs N} gives
 * exactly what a serial run gives. Each thread gets its own worker (e.g. an emulator session that is not
 * thread-safe), made on first use and closed at the end.
 */
final class OrderedParallel {
    private OrderedParallel() {
    }

    /** What is done to one item with the calling thread's worker. */
    @FunctionalInterface
    interface Task<W, T, R> {
        R apply(W worker, T item) throws Exception;
    }

    /** {@link #map(List, int, Supplier, Task)} without per-thread state. */
    static <T, R> List<R> map(List<T> items, int jobs, Task<Void, T, R> task) throws Exception {
        return map(items, jobs, () -> () -> { }, (w, item) -> task.apply(null, item));
    }

    /**
     * {@code task} applied to every item, results in the order of {@code items}. With {@code jobs <= 1} the
     * calling thread does all of it with one worker. The first failure (in input order) stops the others and is
     * rethrown; every worker made is closed either way.
     */
    static <W extends AutoCloseable, T, R> List<R> map(List<T> items, int jobs, Supplier<W> workers,
                                                       Task<? super W, T, R> task) throws Exception {
        List<R> results = new ArrayList<>(items.size());
        if (jobs <= 1) {
            try (W worker = workers.get()) {
                for (T item : items) {
                    results.add(task.apply(worker, item));
                }
            }
            return results;
        }
        List<W> made = Collections.synchronizedList(new ArrayList<>());
        ThreadLocal<W> mine = ThreadLocal.withInitial(() -> {
            W w = workers.get();
            made.add(w);
            return w;
        });
        try (ExecutorService pool = Executors.newFixedThreadPool(jobs)) {
            List<Future<R>> futures = new ArrayList<>(items.size());
            for (T item : items) {
                futures.add(pool.submit(() -> task.apply(mine.get(), item)));
            }
            for (Future<R> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    pool.shutdownNow();
                    throw e.getCause() instanceof Exception x ? x : e;
                }
            }
        } finally {
            for (W w : made) {
                w.close();
            }
        }
        return results;
    }
}
