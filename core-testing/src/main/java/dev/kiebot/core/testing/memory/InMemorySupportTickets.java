package dev.kiebot.core.testing.memory;

import dev.kiebot.core.support.SupportTicket;
import dev.kiebot.core.support.SupportTickets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public final class InMemorySupportTickets implements SupportTickets {
    private final List<SupportTicket> tickets = new ArrayList<>();
    private final Map<String, SupportTicket> byKey = new HashMap<>();

    @Override
    public synchronized SupportTicket open(String key, long userId, String text, Instant at) {
        return byKey.computeIfAbsent(key, k -> {
            SupportTicket t = new SupportTicket(tickets.size() + 1L, userId, text, at);
            tickets.add(t);
            return t;
        });
    }

    @Override
    public synchronized List<SupportTicket> recent(long userId, int limit) {
        List<SupportTicket> mine = new ArrayList<>(tickets.stream().filter(t -> t.userId() == userId).toList());
        java.util.Collections.reverse(mine);
        return mine.subList(0, Math.min(Math.max(0, limit), mine.size()));
    }

    @Override
    public synchronized List<SupportTicket> latest(int limit) {
        List<SupportTicket> all = new ArrayList<>(tickets);
        java.util.Collections.reverse(all);
        return List.copyOf(all.subList(0, Math.min(Math.max(0, limit), all.size())));
    }

    @Override
    public synchronized Optional<SupportTicket> find(long id) {
        return tickets.stream().filter(t -> t.id() == id).findFirst();
    }
}
