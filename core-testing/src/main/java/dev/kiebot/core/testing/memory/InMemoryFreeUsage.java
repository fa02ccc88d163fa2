package dev.kiebot.core.testing.memory;

import dev.kiebot.core.shop.KeptInMemory;
import dev.kiebot.core.users.FreeUsage;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/** {@code FreeUsage} in memory, for tests only: the days' counts are lost with the process. */
public final class InMemoryFreeUsage implements FreeUsage, KeptInMemory {
    private record Day(long userId, LocalDate day) {
    }

    private final Map<Day, Set<String>> used = new HashMap<>();
    private final Map<LocalDate, Integer> welcomed = new HashMap<>();

    /** An empty store: nothing used on any day. */
    public InMemoryFreeUsage() {
    }

    @Override
    public synchronized boolean tryUse(long userId, LocalDate day, int limit, OptionalInt totalMax, String key) {
        Set<String> keys = used.computeIfAbsent(new Day(userId, day), d -> new LinkedHashSet<>());
        if (keys.contains(key)) {
            return true;
        }
        if (keys.size() >= limit || (totalMax.isPresent() && usedByAll(day) >= totalMax.getAsInt())) {
            return false;
        }
        keys.add(key);
        return true;
    }

    @Override
    public synchronized int usedByAll(LocalDate day) {
        return used.entrySet().stream().filter(e -> e.getKey().day().equals(day)).mapToInt(e -> e.getValue().size())
                .sum();
    }

    @Override
    public synchronized void release(long userId, LocalDate day, String key) {
        Set<String> keys = used.get(new Day(userId, day));
        if (keys != null) {
            keys.remove(key);
        }
    }

    @Override
    public synchronized boolean tryWelcome(LocalDate day, int max) {
        if (welcomed(day) >= max) {
            return false;
        }
        welcomed.merge(day, 1, Integer::sum);
        return true;
    }

    @Override
    public synchronized int welcomed(LocalDate day) {
        return welcomed.getOrDefault(day, 0);
    }

    @Override
    public synchronized int used(long userId, LocalDate day) {
        return used.getOrDefault(new Day(userId, day), Set.of()).size();
    }

    @Override
    public synchronized int purge(LocalDate day) {
        int forgotten = 0;
        for (var it = used.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().day().isBefore(day)) {
                forgotten += e.getValue().size();
                it.remove();
            }
        }
        welcomed.keySet().removeIf(d -> d.isBefore(day));
        return forgotten;
    }
}
