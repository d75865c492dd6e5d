package io.hvprobe.cli;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Check and check --manifest map their objects with it: parallel, but the results in input order. */
class OrderedParallelTest {

    /** A per-thread resource that remembers whether it was closed. */
    private static final class Worker implements AutoCloseable {
        final List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        volatile boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void resultsComeInInputOrderEvenWhenLaterItemsFinishFirst() throws Exception {
        List<Integer> items = IntStream.range(0, 12).boxed().toList();
        CountDownLatch lastDone = new CountDownLatch(1);
        List<String> out = OrderedParallel.map(items, 3, (none, i) -> {
            if (i == 0) {
                // The first item waits until the last one has finished, so completion order is not input order.
                assertThat(lastDone.await(10, TimeUnit.SECONDS)).isTrue();
            }
            if (i == 11) {
                lastDone.countDown();
            }
            return "r" + i;
        });
        assertThat(out).containsExactlyElementsOf(items.stream().map(i -> "r" + i).toList());
    }

    @Test
    void eachThreadGetsItsOwnWorkerAndEveryWorkerIsClosed() throws Exception {
        Set<Worker> made = ConcurrentHashMap.newKeySet();
        Set<Long> threads = ConcurrentHashMap.newKeySet();
        List<Integer> out = OrderedParallel.map(IntStream.range(0, 20).boxed().toList(), 2, () -> {
            Worker w = new Worker();
            made.add(w);
            return w;
        }, (w, i) -> {
            w.seen.add(i);
            threads.add(Thread.currentThread().threadId());
            return i * 2;
        });
        assertThat(out).containsExactlyElementsOf(IntStream.range(0, 20).map(i -> i * 2).boxed().toList());
        assertThat(made).hasSizeLessThanOrEqualTo(2).hasSameSizeAs(threads).allMatch(w -> w.closed);
        assertThat(made.stream().mapToInt(w -> w.seen.size()).sum()).isEqualTo(20);
    }

    @Test
    void oneJobRunsOnTheCallingThreadWithOneWorker() throws Exception {
        List<Worker> made = new ArrayList<>();
        Thread caller = Thread.currentThread();
        OrderedParallel.map(List.of(1, 2, 3), 1, () -> {
            Worker w = new Worker();
            made.add(w);
            return w;
        }, (w, i) -> {
            assertThat(Thread.currentThread()).isSameAs(caller);
            return i;
        });
        assertThat(made).hasSize(1).allMatch(w -> w.closed);
    }

    @Test
    void theFirstFailureInInputOrderIsRethrownAndWorkersAreStillClosed() {
        for (int jobs : new int[] {1, 3}) {
            Set<Worker> made = ConcurrentHashMap.newKeySet();
            assertThatThrownBy(() -> OrderedParallel.map(List.of(1, 2, 3, 4), jobs, () -> {
                Worker w = new Worker();
                made.add(w);
                return w;
            }, (w, i) -> {
                if (i >= 2) {
                    throw new IllegalStateException("item " + i);
                }
                return i;
            })).as("jobs " + jobs).isInstanceOf(IllegalStateException.class).hasMessage("item 2");
            assertThat(made).as("jobs " + jobs).isNotEmpty().allMatch(w -> w.closed);
        }
    }
}
