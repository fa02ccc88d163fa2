import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * What one thread group's work in a window of a bot's JFR recording (a warm burst's reply senders) costs, counted
 * inclusive of kiebot's own frames (BENCHMARKS.md, section 75): JfrWindow names the last frame of kiebot's on a stack,
 * so a sample in the JDK, Micrometer or the logging under one of our wrappers counted for the library below it or for
 * nobody. Here a sample belongs to the nearest frame, from the top of the stack down, of kiebot's or of one of the
 * libraries a reply passes through (pengrad, OkHttp with Okio and Kotlin, Gson, Jdbi, pgjdbc, HikariCP, Jackson); the
 * JDK, Micrometer, SLF4J/Logback and resilience4j belong to whoever called them. Printed for execution samples (counts)
 * and allocation samples (estimated bytes): by that owner; by the call from kiebot's code into the library that owns
 * it (or kiebot's own method); and by every method of kiebot's on the stack (inclusive). The group's bytes allocated,
 * exactly, come from {@code jdk.ThreadAllocationStatistics} (record with {@code #period=1s}: the window is taken to
 * the events' seconds). Not part of the build:
 *
 * <pre>java bench/JfrInclusive.java RECORDING.jfr FROM TO THREAD_GROUP_REGEX      (e.g. replies-vm)
 * java bench/JfrInclusive.java RECORDING.jfr timeline                           (bytes per second by group)</pre>
 */
public final class JfrInclusive {
    private static final int TOP = 30;
    private static final String OURS = "kiebot";

    private final Map<String, Long> execByOwner = new HashMap<>();
    private final Map<String, Long> execByEntry = new HashMap<>();
    private final Map<String, Long> execInclusive = new HashMap<>();
    private final Map<String, Long> allocByOwner = new HashMap<>();
    private final Map<String, Long> allocByEntry = new HashMap<>();
    private final Map<String, Long> allocInclusive = new HashMap<>();
    /** Per thread: (time, cumulative bytes) of its allocation statistics, in the recording's order. */
    private final Map<Long, List<long[]>> allocatedByThread = new HashMap<>();
    private final Map<Long, String> threadGroups = new HashMap<>();
    private long execSamples;
    private long allocWeight;

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[1].equals("timeline")) {
            timeline(Path.of(args[0]));
            return;
        }
        if (args.length < 4) {
            System.err.println("usage: java bench/JfrInclusive.java RECORDING.jfr FROM TO THREAD_GROUP_REGEX\n"
                    + "       java bench/JfrInclusive.java RECORDING.jfr timeline");
            System.exit(2);
        }
        JfrInclusive w = new JfrInclusive();
        Instant from = Instant.parse(args[1]);
        Instant to = Instant.parse(args[2]);
        w.read(Path.of(args[0]), from, to, args[3]);
        w.print(from, to, args[3]);
    }

    /** The bytes each thread group allocated in each second: where a burst starts and ends. */
    private static void timeline(Path recording) throws Exception {
        Map<Long, Long> last = new HashMap<>();
        Map<Long, Map<String, Long>> bySecond = new TreeMap<>();
        Set<String> groups = new HashSet<>();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (!e.getEventType().getName().equals("jdk.ThreadAllocationStatistics")) {
                    continue;
                }
                RecordedThread t = e.getThread("thread");
                long id = t == null ? -1 : t.getJavaThreadId();
                long now = e.getLong("allocated");
                Long before = last.put(id, now);
                if (before != null && now > before) {
                    String g = group(t);
                    groups.add(g);
                    bySecond.computeIfAbsent(e.getStartTime().getEpochSecond(), s -> new HashMap<>())
                            .merge(g, now - before, Long::sum);
                }
            }
        }
        List<String> shown = List.of("http", "updates-vm", "replies-vm", "answers-vm");
        System.out.printf("%-22s %s  (MB per second; groups seen: %s)%n", "second", String.join(" ", shown), groups);
        for (Map.Entry<Long, Map<String, Long>> s : bySecond.entrySet()) {
            StringBuilder row = new StringBuilder(String.format("%-22s", Instant.ofEpochSecond(s.getKey())));
            for (String g : shown) {
                row.append(String.format(" %9.2f", s.getValue().getOrDefault(g, 0L) / 1e6));
            }
            System.out.println(row);
        }
    }

    private void read(Path recording, Instant from, Instant to, String threads) throws Exception {
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                String type = e.getEventType().getName();
                if (type.equals("jdk.ThreadAllocationStatistics")) {
                    RecordedThread t = e.getThread("thread");
                    if (t != null && group(t).matches(threads)) {
                        threadGroups.put(t.getJavaThreadId(), group(t));
                        allocatedByThread.computeIfAbsent(t.getJavaThreadId(), k -> new ArrayList<>())
                                .add(new long[]{e.getStartTime().toEpochMilli(), e.getLong("allocated")});
                    }
                    continue;
                }
                boolean exec = type.equals("jdk.ExecutionSample");
                if (!exec && !type.equals("jdk.ObjectAllocationSample")
                        || e.getStartTime().isBefore(from) || e.getStartTime().isAfter(to)) {
                    continue;
                }
                RecordedThread thread = e.getThread(exec ? "sampledThread" : "eventThread");
                RecordedStackTrace stack = e.getStackTrace();
                if (thread == null || !group(thread).matches(threads) || stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                long weight = exec ? 1 : e.getLong("weight");
                if (exec) {
                    execSamples++;
                } else {
                    allocWeight += weight;
                }
                count(stack.getFrames(), weight, exec ? execByOwner : allocByOwner, exec ? execByEntry : allocByEntry,
                        exec ? execInclusive : allocInclusive);
            }
        }
    }

    /** Files one sample under its owner, the call from kiebot's code that led to it, and every kiebot method above it. */
    private static void count(List<RecordedFrame> frames, long weight, Map<String, Long> byOwner,
                              Map<String, Long> byEntry, Map<String, Long> inclusive) {
        int owner = 0;
        while (owner < frames.size() && library(className(frames.get(owner))) == null) {
            owner++;
        }
        String ownerName = owner == frames.size() ? "(the JDK alone)" : library(className(frames.get(owner)));
        String leaf = library(className(frames.get(0)));
        byOwner.merge(ownerName + (ownerName.equals(OURS) ? " (" + (leaf == null ? "in the JDK, Micrometer or logging"
                : "its own code") + ")" : ""), weight, Long::sum);
        // the innermost frame of kiebot's, and what it called
        int ours = 0;
        while (ours < frames.size() && !className(frames.get(ours)).startsWith("dev.kiebot")) {
            ours++;
        }
        String entry;
        if (ours == frames.size()) {
            entry = "(no frame of kiebot's) " + ownerName;
        } else if (ownerName.equals(OURS)) {
            entry = "kiebot: " + name(frames.get(ours)) + (ours == 0 ? "" : " -> " + name(frames.get(ours - 1)));
        } else {
            entry = ownerName + ": " + name(frames.get(ours)) + " -> " + name(frames.get(ours - 1));
        }
        byEntry.merge(entry, weight, Long::sum);
        Set<String> seen = new HashSet<>();
        for (RecordedFrame f : frames) {
            if (className(f).startsWith("dev.kiebot") && seen.add(name(f))) {
                inclusive.merge(name(f), weight, Long::sum);
            }
        }
    }

    /** The library a class belongs to for this count, or null for the JDK and the thin layers that go to the caller. */
    private static String library(String c) {
        if (c.startsWith("dev.kiebot.")) {
            return OURS;
        }
        if (c.startsWith("com.pengrad.")) {
            return "pengrad";
        }
        if (c.startsWith("okhttp3.") || c.startsWith("okio.") || c.startsWith("kotlin.")) {
            return "okhttp";
        }
        if (c.startsWith("com.google.gson.")) {
            return "gson";
        }
        if (c.startsWith("org.jdbi.")) {
            return "jdbi";
        }
        if (c.startsWith("org.postgresql.")) {
            return "pgjdbc";
        }
        if (c.startsWith("com.zaxxer.")) {
            return "hikari";
        }
        if (c.startsWith("com.fasterxml.jackson.")) {
            return "jackson";
        }
        return null; // java.*, jdk.*, sun.*, io.micrometer, org.slf4j, ch.qos.logback, io.github.resilience4j, ...
    }

    private void print(Instant from, Instant to, String threads) {
        long bytes = 0;
        long firstMillis = Long.MAX_VALUE;
        long lastMillis = 0;
        for (List<long[]> stats : allocatedByThread.values()) {
            long[] atFrom = null;
            long[] atTo = null;
            for (long[] s : stats) {
                if (s[0] <= from.toEpochMilli()) {
                    atFrom = s;
                }
                if (s[0] <= to.toEpochMilli()) {
                    atTo = s;
                }
            }
            if (atTo != null) {
                bytes += atTo[1] - (atFrom == null ? 0 : atFrom[1]);
                firstMillis = Math.min(firstMillis, atFrom == null ? stats.get(0)[0] : atFrom[0]);
                lastMillis = Math.max(lastMillis, atTo[0]);
            }
        }
        System.out.printf("threads %s (%d): %.1f MB allocated, exactly, from %s to %s%n", threads,
                allocatedByThread.size(), bytes / 1e6, Instant.ofEpochMilli(firstMillis), Instant.ofEpochMilli(lastMillis));
        top("execution samples by owner", execByOwner, execSamples);
        top("execution samples by the call from kiebot's code that led to them", execByEntry, execSamples);
        top("execution samples with the method of kiebot's on the stack (inclusive)", execInclusive, execSamples);
        top("allocation samples by owner (estimated bytes)", allocByOwner, allocWeight);
        top("allocation samples by the call from kiebot's code that led to them", allocByEntry, allocWeight);
        top("allocation samples with the method of kiebot's on the stack (inclusive)", allocInclusive, allocWeight);
    }

    private static void top(String title, Map<String, Long> counts, long total) {
        System.out.printf("%n== %s (total %d)%n", title, total);
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(TOP)
                .forEach(c -> System.out.printf("%12d %5.1f%%  %s%n", c.getValue(),
                        100.0 * c.getValue() / Math.max(1, total), c.getKey()));
    }

    /** A pool's threads under one name: {@code replies-vm-3} and {@code replies-vm-7} are {@code replies-vm}. */
    private static String group(RecordedThread thread) {
        String name = thread == null || thread.getJavaName() == null ? "?" : thread.getJavaName();
        return name.replaceAll("[-#]?\\d+$", "");
    }

    private static String className(RecordedFrame frame) {
        return frame.getMethod().getType().getName();
    }

    private static String name(RecordedFrame frame) {
        String c = className(frame);
        return c.substring(c.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
    }
}
