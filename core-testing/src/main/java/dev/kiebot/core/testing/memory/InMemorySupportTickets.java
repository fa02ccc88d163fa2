package dev.kiebot.core.testing.memory;

import dev.kiebot.core.shop.KeptInMemory;
import dev.kiebot.core.support.SupportTicket;
import dev.kiebot.core.support.SupportTickets;
import dev.kiebot.core.support.TicketAnswer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code SupportTickets} in memory, for tests only: nothing survives the process. */
public final class InMemorySupportTickets implements SupportTickets, KeptInMemory {
    private final List<SupportTicket> tickets = new ArrayList<>();
    private final Map<String, SupportTicket> byKey = new HashMap<>();
    private final List<TicketAnswer> answers = new ArrayList<>();

    /** An empty store: no ticket yet. */
    public InMemorySupportTickets() {
    }

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
        return newestFirst(tickets.stream().filter(t -> t.userId() == userId).toList(), limit);
    }

    @Override
    public synchronized List<SupportTicket> latest(int limit) {
        return newestFirst(tickets, limit);
    }

    /** Tickets are kept in the order they were opened. */
    private static List<SupportTicket> newestFirst(List<SupportTicket> oldestFirst, int limit) {
        List<SupportTicket> newest = new ArrayList<>(oldestFirst);
        Collections.reverse(newest);
        return List.copyOf(newest.subList(0, Math.min(Math.max(0, limit), newest.size())));
    }

    @Override
    public synchronized Optional<SupportTicket> find(long id) {
        return tickets.stream().filter(t -> t.id() == id).findFirst();
    }

    @Override
    public synchronized void answered(TicketAnswer answer) {
        answers.add(answer);
    }

    @Override
    public synchronized List<TicketAnswer> answers(long ticketId) {
        return answers.stream().filter(a -> a.ticketId() == ticketId).toList();
    }

    /** {@code PersonalData.forget}'s part here: the texts of the user's tickets and of their answers, a dash each. */
    synchronized void forget(long userId) {
        blank(t -> t.userId() == userId, Integer.MAX_VALUE);
    }

    /**
     * {@code PersonalData.forgetOlder}'s part here: tickets asked and last answered before {@code before} (answered
     * at least once) and not blanked yet, at most {@code limit}, with their answers.
     *
     * @return how many tickets were blanked
     */
    synchronized int forgetOlder(java.time.Instant before, int limit) {
        // one nobody answered yet keeps its text: an admin is still to read it
        return blank(t -> !t.text().equals("\u2014") && t.createdAt().isBefore(before)
                && answers.stream().anyMatch(a -> a.ticketId() == t.id())
                && answers.stream().noneMatch(a -> a.ticketId() == t.id() && !a.at().isBefore(before)), limit);
    }

    private int blank(java.util.function.Predicate<SupportTicket> which, int limit) {
        java.util.Set<Long> his = new java.util.HashSet<>();
        for (int i = 0; i < tickets.size() && his.size() < limit; i++) {
            SupportTicket t = tickets.get(i);
            if (which.test(t)) {
                his.add(t.id());
                SupportTicket blank = new SupportTicket(t.id(), t.userId(), "\u2014", t.createdAt());
                tickets.set(i, blank);
                byKey.replaceAll((k, v) -> v.id() == t.id() ? blank : v);
            }
        }
        answers.replaceAll(a -> his.contains(a.ticketId()) ? new TicketAnswer(a.ticketId(), a.adminId(), "\u2014",
                a.at()) : a);
        return his.size();
    }
}
