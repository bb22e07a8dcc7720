package dev.slipway.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Clients creating services as fast as they can: each client thread takes the next request number
 * and sends it, until {@code total} requests were sent, {@code keepGoing} says stop, or the time is up.
 * Every request sent is in the result, whatever became of it.
 */
public final class Burst {

    private final int clients;
    private final int total;
    private final IntFunction<SlipwayApi> apiOfClient;
    private BooleanSupplier keepGoing = () -> true;
    private Duration maxDuration = Duration.ofMinutes(10);
    private Consumer<SlipwayApi.Creation> onAnswer = c -> { };
    private IntFunction<SlipwayApi.Request> requests;

    /**
     * @param apiOfClient the portal client number {@code i} talks to (several portals: spread them)
     * @param prefix      service names are {@code <prefix>-<number>}
     */
    public Burst(int clients, int total, String prefix, IntFunction<SlipwayApi> apiOfClient) {
        this.clients = clients;
        this.total = total;
        this.apiOfClient = apiOfClient;
        this.requests = index -> SlipwayApi.Request.of(prefix, index);
    }

    /** The request number {@code index} sends (default: {@link SlipwayApi.Request#of}). */
    public Burst requests(IntFunction<SlipwayApi.Request> value) {
        this.requests = value;
        return this;
    }

    /** Checked before each request: clients stop sending once it says false. */
    public Burst keepGoing(BooleanSupplier keepGoing) {
        this.keepGoing = keepGoing;
        return this;
    }

    public Burst maxDuration(Duration maxDuration) {
        this.maxDuration = maxDuration;
        return this;
    }

    /** Called by the client thread as soon as a request is answered (or failed). */
    public Burst onAnswer(Consumer<SlipwayApi.Creation> onAnswer) {
        this.onAnswer = onAnswer;
        return this;
    }

    /** Runs the burst in this thread's stead and returns every request sent, in no particular order. */
    public List<SlipwayApi.Creation> run() throws InterruptedException {
        Queue<SlipwayApi.Creation> done = new ConcurrentLinkedQueue<>();
        var next = new AtomicInteger();
        long deadline = System.nanoTime() + maxDuration.toNanos();
        var finished = new CountDownLatch(clients);
        var threads = new ArrayList<Thread>();
        for (int c = 0; c < clients; c++) {
            SlipwayApi api = apiOfClient.apply(c);
            threads.add(Thread.ofPlatform().name("bench-client-" + c).daemon().start(() -> {
                try {
                    while (keepGoing.getAsBoolean() && System.nanoTime() < deadline) {
                        int index = next.getAndIncrement();
                        if (index >= total) {
                            return;
                        }
                        SlipwayApi.Creation creation = api.create(requests.apply(index));
                        done.add(creation);
                        onAnswer.accept(creation);
                    }
                } finally {
                    finished.countDown();
                }
            }));
        }
        finished.await();
        return List.copyOf(done);
    }

    /** Runs the burst on a thread of its own; {@link Running#await()} returns what {@link #run()} would. */
    public Running start() {
        var running = new Running();
        running.thread = Thread.ofPlatform().name("bench-burst").daemon().start(() -> {
            try {
                running.result = run();
            } catch (Throwable e) {
                running.failure = e;
            }
        });
        return running;
    }

    public static final class Running {
        private Thread thread;
        private volatile List<SlipwayApi.Creation> result;
        private volatile Throwable failure;

        public List<SlipwayApi.Creation> await(Duration timeout) throws InterruptedException {
            thread.join(timeout);
            if (thread.isAlive()) {
                throw new IllegalStateException("the burst did not end within " + timeout);
            }
            if (failure != null) {
                throw new IllegalStateException("the burst failed", failure);
            }
            return result;
        }
    }
}
