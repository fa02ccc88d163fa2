package dev.kiebot.runtime;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WARN when the heap is still {@link #WARN_AT} full after a collection: the bot runs with
 * {@code -XX:+ExitOnOutOfMemoryError} (status 3), and nothing said the heap was near {@code -Xmx} before the exit (an
 * operator review). The JVM tells a pool's crossing of its collection usage threshold once, and again only after the
 * pool fell below it and crossed it anew: one WARN a spell, from the JVM's notification thread.
 */
public final class HeapWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeapWatch.class);
    /** The share of a heap pool's maximum that, still used after a collection, is warned of. */
    public static final double WARN_AT = 0.85;

    private final Map<MemoryPoolMXBean, Long> earlierThresholds = new LinkedHashMap<>();
    private final NotificationEmitter emitter;
    private final NotificationListener listener = this::notified;

    private HeapWatch(double share, List<MemoryPoolMXBean> pools) {
        this.emitter = (NotificationEmitter) ManagementFactory.getMemoryMXBean();
        emitter.addNotificationListener(listener, null, null);
        for (MemoryPoolMXBean pool : pools) {
            long max = pool.getUsage() == null ? -1 : pool.getUsage().getMax();
            // a pool without a maximum (a young generation sized as it goes) never fills on its own: the old one does.
            // A young pool with a maximum (SerialGC's survivor space) is full after a young collection by design (what
            // does not fit is promoted): warned of, it said "the heap is 100 % full" of a bot with most of -Xmx free
            // (the chaos runs). The JVM offers a usage threshold only on pools that are not emptied by every young
            // collection, the old generations: that is the mark.
            if (pool.getType() == MemoryType.HEAP && pool.isUsageThresholdSupported()
                    && pool.isCollectionUsageThresholdSupported() && max > 0) {
                earlierThresholds.put(pool, pool.getCollectionUsageThreshold());
                pool.setCollectionUsageThreshold(Math.max(1, (long) (max * share)));
            }
        }
    }

    /** Watches this JVM's heap pools at {@link #WARN_AT}. */
    public static HeapWatch start() {
        return start(WARN_AT);
    }

    /** At {@code share} of each heap pool's maximum (tests: a share any collection crosses). */
    static HeapWatch start(double share) {
        return new HeapWatch(share, ManagementFactory.getMemoryPoolMXBeans());
    }

    /** At {@code share} of each of {@code pools} that is watched (tests: pools of a collector this JVM does not run). */
    static HeapWatch start(double share, List<MemoryPoolMXBean> pools) {
        return new HeapWatch(share, pools);
    }

    /** The pools watched (those with a maximum that tell a threshold crossed after a collection). */
    List<String> pools() {
        return earlierThresholds.keySet().stream().map(MemoryPoolMXBean::getName).toList();
    }

    private void notified(Notification notification, Object handback) {
        if (!MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(notification.getType())
                || !(notification.getUserData() instanceof CompositeData data)) {
            return;
        }
        MemoryNotificationInfo info = MemoryNotificationInfo.from(data);
        if (earlierThresholds.keySet().stream().noneMatch(p -> p.getName().equals(info.getPoolName()))) {
            return;
        }
        MemoryUsage usage = info.getUsage();
        LOG.warn("the heap is {} % full after a collection ({}: {} MiB of {} MiB): near -Xmx, the bot exits with "
                + "status 3 when it runs out (-XX:+ExitOnOutOfMemoryError) and is restarted by its supervisor. Give it "
                + "more (-Xmx, JAVA_OPTS) or find what grew; jvm_memory_used_bytes{{area=\"heap\"}} shows it. Told again "
                + "once it fell below {} % and came back", String.format(Locale.ROOT, "%.0f",
                100.0 * usage.getUsed() / usage.getMax()), info.getPoolName(), usage.getUsed() >> 20,
                usage.getMax() >> 20, Math.round(WARN_AT * 100));
    }

    @Override
    public void close() {
        try {
            emitter.removeNotificationListener(listener);
        } catch (ListenerNotFoundException e) {
            // not added: nothing to remove
        }
        earlierThresholds.forEach(MemoryPoolMXBean::setCollectionUsageThreshold);
    }
}
