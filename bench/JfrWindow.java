import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a window of a bot's JFR recording (a warm burst) went, in shares and counts that hardly depend on the
 * machine's speed (BENCHMARKS.md, section 73): execution samples and allocation samples by thread group, by the last
 * frame of kiebot's own on the stack and the library under it, and by allocation site; and the bytes allocated,
 * exactly, from the heap's used size after each collection and before the next. Not part of the build:
 *
 * <pre>java bench/JfrWindow.java RECORDING.jfr FROM TO [THREAD_GROUP_REGEX]</pre>
 *
 * FROM and TO are UTC instants ({@code 2026-12-07T17:00:40.5Z}); a burst's window is read off the bot's log (its stop
 * line) and the benchmark's burst times. Shares only: JFR on JDK 17 samples a small part of the threads' running time.
 */
public final class JfrWindow {
    private static final int TOP = 25;

    private final Map<String, Long> execByThread = new HashMap<>();
    private final Map<String, Long> execByOurs = new HashMap<>();
    private final Map<String, Long> execByLibrary = new HashMap<>();
    private final Map<String, Long> allocByThread = new HashMap<>();
    private final Map<String, Long> allocByOurs = new HashMap<>();
    private final Map<String, Long> allocBySite = new HashMap<>();
    private final List<RecordedEvent> heapSummaries = new ArrayList<>();
    private long execSamples;
    private long allocBytes;

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: java bench/JfrWindow.java RECORDING.jfr FROM TO [THREAD_GROUP_REGEX]");
            System.exit(2);
        }
        JfrWindow w = new JfrWindow();
        w.read(Path.of(args[0]), Instant.parse(args[1]), Instant.parse(args[2]), args.length > 3 ? args[3] : ".*");
        w.print(Instant.parse(args[1]), Instant.parse(args[2]));
    }

    private void read(Path recording, Instant from, Instant to, String threads) throws Exception {
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                String type = e.getEventType().getName();
                if (type.equals("jdk.GCHeapSummary")) {
                    heapSummaries.add(e);
                    continue;
                }
                boolean exec = type.equals("jdk.ExecutionSample");
                if (!exec && !type.equals("jdk.ObjectAllocationSample")
                        || e.getStartTime().isBefore(from) || e.getStartTime().isAfter(to)) {
                    continue;
                }
                RecordedThread thread = e.getThread(exec ? "sampledThread" : "eventThread");
                String group = group(thread);
                RecordedStackTrace stack = e.getStackTrace();
                if (!group.matches(threads) || stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                List<RecordedFrame> frames = stack.getFrames();
                int ours = 0;
                while (ours < frames.size() && !frames.get(ours).getMethod().getType().getName().startsWith("dev.kiebot")) {
                    ours++;
                }
                String our = ours == frames.size() ? "(no frame of kiebot's)"
                        : name(frames.get(ours)) + ":" + frames.get(ours).getLineNumber();
                String under = ours == 0 ? "(kiebot's own)" : ours == frames.size() ? "-"
                        : packageOf(frames.get(ours - 1).getMethod().getType().getName());
                if (exec) {
                    execSamples++;
                    execByThread.merge(group, 1L, Long::sum);
                    execByOurs.merge(our, 1L, Long::sum);
                    execByLibrary.merge(under, 1L, Long::sum);
                } else {
                    long weight = e.getLong("weight");
                    allocBytes += weight;
                    allocByThread.merge(group, weight, Long::sum);
                    allocByOurs.merge(our + " <- " + under, weight, Long::sum);
                    StringBuilder site = new StringBuilder(e.getClass("objectClass").getName()).append(" @ ");
                    for (int i = 0; i < Math.min(4, frames.size()); i++) {
                        site.append(i == 0 ? "" : " < ").append(name(frames.get(i)));
                    }
                    allocBySite.merge(site.toString(), weight, Long::sum);
                }
            }
        }
    }

    private void print(Instant from, Instant to) {
        top("execution samples by thread group", execByThread, execSamples);
        top("execution samples by the last frame of kiebot's", execByOurs, execSamples);
        top("execution samples by the package under it", execByLibrary, execSamples);
        top("allocation samples by thread group (estimated bytes)", allocByThread, allocBytes);
        top("allocation samples by the last frame of kiebot's <- the package under it", allocByOurs, allocBytes);
        top("allocation samples by site (four frames)", allocBySite, allocBytes);
        heapSummaries.sort(Comparator.comparing(RecordedEvent::getStartTime));
        long lastAfter = -1;
        long allocated = 0;
        int collections = 0;
        Instant first = null;
        Instant last = null;
        for (RecordedEvent e : heapSummaries) {
            boolean before = e.getString("when").startsWith("Before");
            Instant at = e.getStartTime();
            if (before && lastAfter >= 0 && !at.isBefore(from) && !at.isAfter(to)) {
                allocated += e.getLong("heapUsed") - lastAfter;
                collections++;
                first = first == null ? at : first;
                last = at;
            }
            if (!before) {
                lastAfter = e.getLong("heapUsed");
            }
        }
        System.out.printf("%n== collections in the window: %d; bytes allocated from the first to the last: %.1f MB"
                        + " over %.1f s%n", collections, allocated / 1e6,
                first == null ? 0.0 : Duration.between(first, last).toMillis() / 1000.0);
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

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String packageOf(String className) {
        String[] parts = className.split("\\.");
        return parts.length >= 3 ? parts[0] + "." + parts[1] + "." + parts[2] : className;
    }
}
