package dev.kiebot.core.testing.memory;

import dev.kiebot.core.payments.AdminNotice;
import dev.kiebot.core.payments.ManualTopUp;
import dev.kiebot.core.payments.ManualTopUpCreation;
import dev.kiebot.core.payments.ManualTopUpDraft;
import dev.kiebot.core.payments.ManualTopUpState;
import dev.kiebot.core.payments.ManualTopUps;
import dev.kiebot.core.payments.ManualTransition;
import dev.kiebot.core.payments.RequestNotice;
import dev.kiebot.core.shop.KeptInMemory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Manual top-up requests in memory: one lock, so every change of state is a compare-and-set. */
public final class InMemoryManualTopUps implements ManualTopUps, KeptInMemory {
    private final Map<Long, ManualTopUp> requests = new LinkedHashMap<>();
    private final Map<String, Long> byKey = new HashMap<>();
    private final Map<Long, List<AdminNotice>> notices = new HashMap<>();
    /** Each request's receipts' content ids (every receipt's, not only the last one's). */
    private final Map<Long, Set<String>> receiptContents = new HashMap<>();
    private long nextId = 1;

    /** An empty store: no request yet. */
    public InMemoryManualTopUps() {
    }

    @Override
    public synchronized ManualTopUpCreation create(ManualTopUpDraft d, int openMax) {
        Long known = byKey.get(d.key());
        if (known != null) {
            return new ManualTopUpCreation.Created(requests.get(known));
        }
        List<ManualTopUp> open = requests.values().stream().filter(r -> r.userId() == d.userId())
                .filter(r -> r.state().open() && r.expiresAt().isAfter(d.createdAt()))
                .sorted(Comparator.comparing(ManualTopUp::id)).toList();
        if (open.size() >= openMax) {
            return new ManualTopUpCreation.TooManyOpen(open);
        }
        if (findByReference(d.reference()).isPresent()) {
            return new ManualTopUpCreation.ReferenceTaken();
        }
        ManualTopUp r = new ManualTopUp(nextId++, d.userId(), d.chatId(), d.amount(),
                d.reference().toUpperCase(Locale.ROOT), ManualTopUpState.REQUESTED, Optional.empty(), d.createdAt(),
                d.expiresAt(), Optional.empty(), Optional.empty());
        requests.put(r.id(), r);
        byKey.put(d.key(), r.id());
        return new ManualTopUpCreation.Created(r);
    }

    @Override
    public synchronized Optional<ManualTopUp> find(long id) {
        return Optional.ofNullable(requests.get(id));
    }

    @Override
    public synchronized Optional<ManualTopUp> findByReference(String reference) {
        return requests.values().stream().filter(r -> r.reference().equalsIgnoreCase(reference.strip())).findFirst();
    }

    @Override
    public synchronized Optional<ManualTransition> claimPaid(long id) {
        ManualTopUp r = requests.get(id);
        if (r == null) {
            return Optional.empty();
        }
        if (r.state() != ManualTopUpState.REQUESTED) {
            return Optional.of(new ManualTransition(r, false));
        }
        ManualTopUp claimed = with(r, ManualTopUpState.CLAIMED_PAID, r.receipt(), r.decidedBy(), r.decidedAt());
        return Optional.of(new ManualTransition(claimed, true));
    }

    @Override
    public synchronized Optional<ManualTopUp> attachReceipt(long id, String fileId, Optional<String> uniqueId) {
        ManualTopUp r = requests.get(id);
        if (r == null || !r.state().open()) {
            return Optional.empty();
        }
        uniqueId.ifPresent(u -> receiptContents.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(u));
        return Optional.of(with(r, r.state(), Optional.of(fileId), r.decidedBy(), r.decidedAt()));
    }

    @Override
    public synchronized List<ManualTopUp> sharingAReceipt(long id, int limit) {
        Set<String> mine = receiptContents.getOrDefault(id, Set.of());
        return receiptContents.entrySet().stream()
                .filter(e -> e.getKey() != id && e.getValue().stream().anyMatch(mine::contains))
                .map(e -> requests.get(e.getKey()))
                .sorted(Comparator.comparing(ManualTopUp::id)).limit(Math.max(0, limit)).toList();
    }

    @Override
    public synchronized Optional<ManualTransition> decide(long id, ManualTopUpState decision, long adminId,
                                                          Instant at) {
        if (decision != ManualTopUpState.APPROVED && decision != ManualTopUpState.DECLINED) {
            throw new IllegalArgumentException("a decision is APPROVED or DECLINED, not " + decision);
        }
        ManualTopUp r = requests.get(id);
        if (r == null) {
            return Optional.empty();
        }
        if (!r.state().open()) {
            return Optional.of(new ManualTransition(r, false));
        }
        return Optional.of(new ManualTransition(with(r, decision, r.receipt(), Optional.of(adminId),
                Optional.of(at)), true));
    }

    @Override
    public synchronized List<ManualTopUp> expire(Instant now, int limit) {
        List<ManualTopUp> due = requests.values().stream().filter(r -> r.state().open())
                .filter(r -> !r.expiresAt().isAfter(now))
                .sorted(Comparator.comparing(ManualTopUp::expiresAt).thenComparing(ManualTopUp::id))
                .limit(Math.max(0, limit)).toList();
        List<ManualTopUp> out = new ArrayList<>();
        for (ManualTopUp r : due) {
            out.add(with(r, ManualTopUpState.EXPIRED, r.receipt(), r.decidedBy(), Optional.of(now)));
        }
        return out;
    }

    private ManualTopUp with(ManualTopUp r, ManualTopUpState state, Optional<String> receipt, Optional<Long> by,
                             Optional<Instant> at) {
        ManualTopUp next = new ManualTopUp(r.id(), r.userId(), r.chatId(), r.amount(), r.reference(), state, receipt,
                r.createdAt(), r.expiresAt(), by, at);
        requests.put(r.id(), next);
        return next;
    }

    @Override
    public synchronized void addNotice(long id, AdminNotice notice) {
        List<AdminNotice> list = notices.computeIfAbsent(id, k -> new ArrayList<>());
        if (!list.contains(notice)) {
            list.add(notice);
        }
    }

    @Override
    public synchronized List<AdminNotice> notices(long id) {
        return List.copyOf(notices.getOrDefault(id, List.of()));
    }

    @Override
    public synchronized List<RequestNotice> forgetNotices(Instant closedBefore, int limit) {
        List<RequestNotice> forgotten = new ArrayList<>();
        for (ManualTopUp r : requests.values()) {
            boolean closedBeforeIt = !r.state().open() && r.decidedAt().filter(at -> at.isBefore(closedBefore))
                    .isPresent();
            List<AdminNotice> told = notices.get(r.id());
            while (closedBeforeIt && told != null && !told.isEmpty() && forgotten.size() < limit) {
                forgotten.add(new RequestNotice(r.id(), told.remove(0).chatId()));
            }
        }
        return forgotten;
    }

    @Override
    public synchronized List<ManualTopUp> recent(long userId, int limit) {
        return requests.values().stream().filter(r -> r.userId() == userId)
                .sorted(Comparator.comparing(ManualTopUp::id).reversed()).limit(Math.max(0, limit)).toList();
    }

    @Override
    public synchronized List<ManualTopUp> open(long userId, Instant at) {
        return requests.values().stream().filter(r -> r.userId() == userId)
                .filter(r -> r.state().open() && r.expiresAt().isAfter(at))
                .sorted(Comparator.comparing(ManualTopUp::id).reversed()).toList();
    }

    @Override
    public synchronized long countOpen() {
        return requests.values().stream().filter(r -> r.state().open()).count();
    }

    /**
     * {@code PersonalData.forgetOlder}'s part here: the receipts of requests closed before {@code before}, at most
     * {@code limit} requests, each one with a receipt still kept.
     *
     * @return how many requests lost their receipt
     */
    synchronized int forgetOlder(Instant before, int limit) {
        List<ManualTopUp> due = requests.values().stream().filter(r -> !r.state().open())
                .filter(r -> r.decidedAt().filter(at -> at.isBefore(before)).isPresent())
                .filter(r -> r.receipt().isPresent() || receiptContents.containsKey(r.id()))
                .sorted(Comparator.comparing(ManualTopUp::id)).limit(Math.max(0, limit)).toList();
        for (ManualTopUp r : due) {
            with(r, r.state(), Optional.empty(), r.decidedBy(), r.decidedAt());
            receiptContents.remove(r.id());
        }
        return due.size();
    }

    /**
     * {@code PersonalData.forget}'s part here: the receipts of the user's requests (amount, reference, state kept), and
     * the admins' notices of his closed ones, handed back for their messages' tags to go too.
     */
    synchronized List<RequestNotice> forget(long userId) {
        List<RequestNotice> forgotten = new ArrayList<>();
        for (ManualTopUp r : List.copyOf(requests.values())) {
            if (r.userId() == userId) {
                with(r, r.state(), Optional.empty(), r.decidedBy(), r.decidedAt());
                receiptContents.remove(r.id());
                List<AdminNotice> told = r.state().open() ? null : notices.remove(r.id());
                if (told != null) {
                    told.forEach(n -> forgotten.add(new RequestNotice(r.id(), n.chatId())));
                }
            }
        }
        return forgotten;
    }
}
