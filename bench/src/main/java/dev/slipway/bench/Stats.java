package dev.slipway.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Percentiles and CPU counters for the benchmark's report. */
final class Stats {

    private Stats() {
    }

    /** Nearest-rank percentile of nanosecond samples, in milliseconds; NaN when there are none. */
    static double percentileMillis(Collection<Long> nanos, double percentile) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    static double meanMillis(Collection<Long> nanos) {
        return nanos.stream().mapToLong(Long::longValue).average().orElse(Double.NaN) / 1e6;
    }

    /** CPU time this JVM has used, in nanoseconds (all threads). */
    static long ownCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** CPU time a child process has used, in nanoseconds, or -1 when the system does not say. */
    static long cpuNanos(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(d -> d.toNanos()).orElse(-1L);
    }

    /** The machine's busy and total jiffies from /proc/stat, or null off Linux. */
    static long[] machineJiffies() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            long[] fields = Arrays.stream(cpu.trim().split("\\s+")).skip(1).mapToLong(Long::parseLong).toArray();
            long total = Arrays.stream(fields).sum();
            long idle = fields[3] + (fields.length > 4 ? fields[4] : 0);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Share of the machine's CPU that was busy between two {@link #machineJiffies()} readings. */
    static double busyShare(long[] before, long[] after) {
        if (before == null || after == null || after[1] == before[1]) {
            return Double.NaN;
        }
        return (double) (after[0] - before[0]) / (after[1] - before[1]);
    }

    /** Per thread of a process (Linux): its name and the CPU it used so far, in clock ticks; empty elsewhere. */
    static Map<Long, ThreadCpu> threadCpu(long pid) {
        var threads = new HashMap<Long, ThreadCpu>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // after the name: state is field 3, utime 14 and stime 15 (1-based, man 5 proc)
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    threads.put(Long.parseLong(task.getFileName().toString()), new ThreadCpu(name, ticks));
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return threads;
    }

    record ThreadCpu(String name, long ticks) {
    }

    /** CPU milliseconds by group of threads between two {@link #threadCpu} readings (100 ticks a second). */
    static Map<String, Double> cpuByGroup(Map<Long, ThreadCpu> before, Map<Long, ThreadCpu> after) {
        var groups = new TreeMap<String, Double>();
        after.forEach((tid, thread) -> {
            ThreadCpu earlier = before.get(tid);
            long ticks = thread.ticks() - (earlier != null && earlier.name().equals(thread.name()) ? earlier.ticks() : 0);
            if (ticks > 0) {
                groups.merge(group(thread.name()), ticks * 10.0, Double::sum);
            }
        });
        return groups;
    }

    static final String JIT = "JIT compilers";

    /**
     * Waits until the process's JIT compilers used less than {@code share} of one core over a second,
     * or {@code max} passed; returns how long it waited.
     */
    static java.time.Duration awaitQuietJit(long pid, double share, java.time.Duration max) throws InterruptedException {
        long start = System.nanoTime();
        var before = threadCpu(pid);
        while (System.nanoTime() - start < max.toNanos()) {
            Thread.sleep(1000);
            var after = threadCpu(pid);
            double jitMillis = cpuByGroup(before, after).getOrDefault(JIT, 0.0);
            before = after;
            if (jitMillis < share * 1000) {
                break;
            }
        }
        return java.time.Duration.ofNanos(System.nanoTime() - start);
    }

    private static String group(String thread) {
        if (thread.startsWith("slipway-change")) {
            return "change worker thread";
        }
        if (thread.startsWith("ForkJoinPool")) {
            return "request handling (virtual-thread carriers; Helm's Go threads too)";
        }
        if (thread.startsWith("GC ") || thread.startsWith("G1 ")) {
            return "garbage collection";
        }
        if (thread.startsWith("C1 ") || thread.startsWith("C2 ")) {
            return JIT;
        }
        if (thread.startsWith("JGit")) {
            return "JGit background";
        }
        return "other threads";
    }
}
