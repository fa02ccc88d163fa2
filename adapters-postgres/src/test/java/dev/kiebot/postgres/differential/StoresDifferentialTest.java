package dev.kiebot.postgres.differential;

import dev.kiebot.core.intake.PendingUpdate;
import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobDraft;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.Jobs;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.pacing.TokenBucket;
import dev.kiebot.core.payments.ManualTopUpCreation;
import dev.kiebot.core.payments.ManualTopUpDraft;
import dev.kiebot.core.payments.ManualTopUpState;
import dev.kiebot.core.payments.ManualTopUps;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Transactions;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.memory.InMemoryFreeUsage;
import dev.kiebot.core.testing.memory.InMemoryJobs;
import dev.kiebot.core.testing.memory.InMemoryManualTopUps;
import dev.kiebot.core.testing.memory.InMemoryPendingReplies;
import dev.kiebot.core.testing.memory.InMemoryProcessedUpdates;
import dev.kiebot.core.testing.memory.InMemoryTransactions;
import dev.kiebot.core.testing.memory.InMemoryUsers;
import dev.kiebot.core.users.Ban;
import dev.kiebot.core.users.FreeUsage;
import dev.kiebot.core.users.Users;
import dev.kiebot.postgres.PgFreeUsage;
import dev.kiebot.postgres.PgJobs;
import dev.kiebot.postgres.PgManualTopUps;
import dev.kiebot.postgres.PgPendingReplies;
import dev.kiebot.postgres.PgProcessedUpdates;
import dev.kiebot.postgres.PgTransactions;
import dev.kiebot.postgres.PgUsers;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The same random sequences of requests on the in-memory stores partners test with (core-testing) and on kiebot's
 * PostgreSQL ones, every answer and the state after each step compared: where they differ, a partner's test passes
 * on memory where production fails, or the reverse. Jobs, free usage, the inbox, manual top-ups, users and the
 * outbox; the ledger is {@link LedgerDifferentialTest}'s. Left out, each store's own by its port's javadoc: what a
 * rolled-back transaction wrote (the in-memory stores keep it: {@code InMemoryTransactions}; the only rollback here
 * is of a claim), manual top-up request numbers (opaque: steps and answers name a request by its rank), and which
 * due chat the outbox's claim takes first (a step claims every due chat, and the claims are compared as a set).
 * Seeds and counts: {@link Sequences}.
 */
class StoresDifferentialTest {
    /** Sequences per store by default (the cost: {@link Sequences}). */
    static final int STORES_SEQUENCES = 8;
    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    /** Both sides' stores and the clock they share; {@code memo} keeps a side's own handles (claimed replies). */
    static final class Side {
        final MutableClock clock;
        final Jobs jobs;
        final FreeUsage free;
        final ProcessedUpdates inbox;
        final PendingReplies outbox;
        Transactions tx;
        ManualTopUps manual;
        Users users;
        final Map<Integer, PendingReplies.Queued> claimed = new HashMap<>();
        int claims;
        /** The manual top-up requests' numbers in the order this side created them: steps name the k-th (opaque). */
        final List<Long> manualIds = new ArrayList<>();

        /** This side's k-th request's number; one never given when there is no k-th yet. */
        long manualId(int k) {
            return k < manualIds.size() ? manualIds.get(k) : 999_999L;
        }

        /** {@code text} with each request number this side gave written as its rank, {@code id=#k}. */
        String ranked(Object text) {
            Matcher m = MANUAL_ID.matcher(String.valueOf(text));
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                int k = manualIds.indexOf(Long.parseLong(m.group(1)));
                m.appendReplacement(b, k < 0 ? "id=?" + m.group(1) : "id=#" + k);
            }
            return m.appendTail(b).toString();
        }

        Side(MutableClock clock, Jobs jobs, FreeUsage free, ProcessedUpdates inbox, PendingReplies outbox) {
            this.clock = clock;
            this.jobs = jobs;
            this.free = free;
            this.inbox = inbox;
            this.outbox = outbox;
        }
    }

    /** A request's own number in a {@code ManualTopUp}'s text (not {@code userId=} nor {@code chatId=}). */
    static final Pattern MANUAL_ID = Pattern.compile("(?<![A-Za-z])id=(\\d+)");

    record Step(String what, Function<Side, Object> run) {
    }

    interface Gen {
        List<Step> sequence(Random r, int length);
    }

    static Object safely(Supplier<Object> s) {
        try {
            return String.valueOf(s.get());
        } catch (RuntimeException e) {
            return "threw " + e.getClass().getSimpleName();
        }
    }

    static Side mem(MutableClock c) {
        InMemoryTransactions tx = new InMemoryTransactions();
        Side s = new Side(c, new InMemoryJobs(), new InMemoryFreeUsage(),
                new InMemoryProcessedUpdates(tx), new InMemoryPendingReplies());
        s.tx = tx;
        s.manual = new InMemoryManualTopUps();
        s.users = new InMemoryUsers();
        return s;
    }

    static Side pg(MutableClock c) {
        TestDatabase.truncateAll();
        var jdbi = TestDatabase.jdbi();
        Side s = new Side(c, new PgJobs(jdbi), new PgFreeUsage(jdbi), new PgProcessedUpdates(jdbi),
                new PgPendingReplies(jdbi));
        s.tx = new PgTransactions(jdbi);
        s.manual = new PgManualTopUps(jdbi);
        s.users = new PgUsers(jdbi);
        return s;
    }

    static int firstDisagreement(List<Step> steps, Function<Side, String> state, StringBuilder why) {
        MutableClock clock = new MutableClock(T0);
        Side a = mem(clock);
        Side b = pg(clock);
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            Object x = safely(() -> step.run().apply(a));
            Object y = safely(() -> step.run().apply(b));
            if (step.what().startsWith("advance")) {
                clock.advance(Duration.ofSeconds(30));
            }
            if (!x.equals(y)) {
                why.append("answer: mem=").append(x).append("\n        pg =").append(y);
                return i;
            }
            String sa = String.valueOf(safely(() -> state.apply(a)));
            String sb = String.valueOf(safely(() -> state.apply(b)));
            if (!sa.equals(sb)) {
                why.append(Sequences.firstDifference(sa, sb));
                return i;
            }
        }
        return -1;
    }

    static List<Step> minimise(List<Step> steps, Function<Side, String> state) {
        boolean shrunk = true;
        while (shrunk) {
            shrunk = false;
            for (int i = 0; i < steps.size(); i++) {
                List<Step> fewer = new ArrayList<>(steps);
                fewer.remove(i);
                int at = firstDisagreement(fewer, state, new StringBuilder());
                if (at >= 0) {
                    steps = new ArrayList<>(fewer.subList(0, at + 1));
                    shrunk = true;
                    break;
                }
            }
        }
        return steps;
    }

    /**
     * Runs {@link Sequences#count} sequences from {@link Sequences#baseSeed} on both sides; at the first that
     * disagrees, fails with it shrunk to its shortest form.
     */
    static void run(String name, Gen gen, Function<Side, String> state, int length) {
        long base = Sequences.baseSeed();
        int n = Sequences.count(STORES_SEQUENCES);
        for (int k = 0; k < n; k++) {
            long seed = base + k;
            List<Step> steps = gen.sequence(new Random(seed), length);
            int at = firstDisagreement(steps, state, new StringBuilder());
            if (at >= 0) {
                List<Step> min = minimise(new ArrayList<>(steps.subList(0, at + 1)), state);
                StringBuilder why = new StringBuilder();
                firstDisagreement(min, state, why);
                throw new AssertionError(Sequences.report(name, seed, min.stream().map(Step::what).toList(), why));
            }
        }
    }

    // ---------------------------------------------------------------- Jobs

    static JobDraft draft(long user, String model, Instant now) {
        return new JobDraft(user, user, "ru", model, model + ":sku", Map.of("prompt", "p"), Map.of(), 100, false,
                now, now.plus(Duration.ofMinutes(10)));
    }

    @Test
    void jobs() {
        String[] changes = {"held", "submitting", "submitted", "running", "succeeded", "delivered", "failed",
                "checkAgain", "status", "unsent", "awaitingTask", "partlyDone", "resultMissing"};
        Gen gen = (r, length) -> {
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                long user = 1 + r.nextInt(2);
                String model = r.nextBoolean() ? "m1" : "m2";
                JobId id = new JobId(1 + r.nextInt(4));
                String change = changes[r.nextInt(changes.length)];
                String task = "task" + r.nextInt(3);
                int limit = r.nextInt(3);
                switch (r.nextInt(6)) {
                    case 0 -> steps.add(new Step("create(" + user + "," + model + ")",
                            s -> s.jobs.create(draft(user, model, s.clock.instant()))));
                    case 1, 2 -> steps.add(new Step("transition(" + id.value() + "," + change + "," + task + ")",
                            s -> s.jobs.transition(id, j -> true, j -> apply(j, change, task, s.clock.instant()))));
                    case 3 -> steps.add(new Step("staleUpdate(" + id.value() + "," + change + ")",
                            s -> s.jobs.find(id).flatMap(j -> s.jobs.update(apply(j.withVersion(j.version() - 1),
                                    change, task, s.clock.instant())))));
                    case 4 -> steps.add(new Step("lease(w," + limit + ")",
                            s -> s.jobs.lease("w", s.clock.instant(), Duration.ofMinutes(1), limit)));
                    default -> steps.add(new Step("advance 30s", s -> "clock"));
                }
            }
            return steps;
        };
        Function<Side, String> state = s -> {
            StringBuilder b = new StringBuilder();
            for (int i = 1; i <= 4; i++) {
                b.append(s.jobs.find(new JobId(i))).append('\n');
            }
            for (int t = 0; t < 3; t++) {
                b.append(s.jobs.findByTaskId("task" + t)).append('\n');
            }
            for (long u = 1; u <= 2; u++) {
                b.append(s.jobs.recent(u, 10)).append('\n').append(s.jobs.unfinished(u, 2)).append('\n');
            }
            b.append(s.jobs.runTimes("m1", 5)).append(s.jobs.runTimes("m2", 5))
                    .append(s.jobs.mostDelivered(T0.minusSeconds(60), 5)).append(s.jobs.nextCheckAt());
            return b.toString();
        };
        run("JOBS", gen, state, 20);
    }

    static Job apply(Job j, String change, String task, Instant now) {
        return switch (change) {
            case "held" -> j.held();
            case "submitting" -> j.submitting();
            case "submitted" -> j.submitted(task, now);
            case "running" -> j.running();
            case "succeeded" -> j.succeeded(new JobResult(List.of("https://x/" + task), MediaKind.PHOTO), now);
            case "delivered" -> j.delivered();
            case "failed" -> j.failed("kie.failed");
            case "checkAgain" -> j.checkAgainIn(now, Duration.ofSeconds(45));
            case "status" -> j.withStatusMessage(77);
            case "unsent" -> j.unsent(now.plusSeconds(20));
            case "awaitingTask" -> j.awaitingTask();
            case "partlyDone" -> j.partlyDoneAt(now);
            default -> j.resultMissing(now, Duration.ofSeconds(15));
        };
    }

    // ---------------------------------------------------------------- FreeUsage

    @Test
    void freeUsage() {
        LocalDate d1 = LocalDate.of(2026, 12, 1);
        Gen gen = (r, length) -> {
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                long user = 1 + r.nextInt(3);
                LocalDate day = d1.plusDays(r.nextInt(2));
                int limit = r.nextInt(3);
                OptionalInt total = r.nextBoolean() ? OptionalInt.empty() : OptionalInt.of(r.nextInt(4));
                String key = "k" + r.nextInt(4);
                int max = r.nextInt(3);
                switch (r.nextInt(5)) {
                    case 0, 1 -> steps.add(new Step("tryUse(" + user + "," + day + "," + limit + "," + total + ","
                            + key + ")",
                            s -> s.free.tryUse(user, day, limit, total, key)));
                    case 2 -> steps.add(new Step("release(" + user + "," + day + "," + key + ")", s -> {
                        s.free.release(user, day, key);
                        return "ok";
                    }));
                    case 3 -> steps.add(new Step("tryWelcome(" + day + "," + max + ")",
                            s -> s.free.tryWelcome(day, max)));
                    default -> steps.add(new Step("purge(" + day + ")", s -> s.free.purge(day)));
                }
            }
            return steps;
        };
        Function<Side, String> state = s -> {
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < 2; k++) {
                LocalDate day = d1.plusDays(k);
                b.append(s.free.usedByAll(day)).append(' ').append(s.free.welcomed(day));
                for (long u = 1; u <= 3; u++) {
                    b.append(' ').append(s.free.used(u, day));
                }
                b.append('\n');
            }
            return b.toString();
        };
        run("FREE", gen, state, 20);
    }

    // ---------------------------------------------------------------- ProcessedUpdates (inbox)

    static final class Rollback extends RuntimeException {
        Rollback() {
            super(null, null, false, false);
        }
    }

    @Test
    void inbox() {
        Gen gen = (r, length) -> {
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                long update = 1 + r.nextInt(5);
                long chat = 1 + r.nextInt(2);
                String payload = "{\"u\":" + update + (r.nextInt(4) == 0 ? ",\"x\":1" : "") + "}";
                int back = r.nextInt(3);
                switch (r.nextInt(8)) {
                    case 0, 1 -> steps.add(new Step("record(" + update + "," + chat + "," + payload + ")",
                            s -> s.inbox.record(update, chat, payload, s.clock.instant())));
                    case 2 -> steps.add(new Step("tx{claimNext;done}", s -> s.tx.inOne(() -> {
                        Optional<PendingUpdate> u = s.inbox.claimNext();
                        u.ifPresent(x -> s.inbox.done(x.updateId(), s.clock.instant()));
                        return u;
                    })));
                    case 3 -> steps.add(new Step("tx{claimNext;claimNext}", s -> s.tx.inOne(
                            () -> List.of(s.inbox.claimNext(), s.inbox.claimNext()))));
                    case 4 -> steps.add(new Step("tx{claimNext;rollback}", s -> {
                        List<Object> seen = new ArrayList<>();
                        try {
                            s.tx.inOne(() -> {
                                seen.add(s.inbox.claimNext());
                                throw new Rollback();
                            });
                        } catch (Rollback e) {
                            // as a handler's failure
                        }
                        return seen;
                    }));
                    case 5 -> steps.add(new Step("tx{reclaim(" + update + ");done}", s -> s.tx.inOne(() -> {
                        Optional<PendingUpdate> u = s.inbox.reclaim(update);
                        u.ifPresent(x -> s.inbox.done(x.updateId(), s.clock.instant()));
                        return u;
                    })));
                    case 6 -> steps.add(new Step("purge(now-" + back + "*30s)",
                            s -> s.inbox.purge(s.clock.instant().minusSeconds(30L * back))));
                    default -> steps.add(new Step("advance 30s", s -> "clock"));
                }
            }
            return steps;
        };
        run("INBOX", gen, s -> String.valueOf(s.inbox.oldestPending()), 20);
    }

    // ---------------------------------------------------------------- ManualTopUps

    @Test
    void manualTopUps() {
        Gen gen = (r, length) -> {
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                long user = 1 + r.nextInt(2);
                String key = "k" + r.nextInt(4);
                String ref = "R" + r.nextInt(3);
                long amount = 100 * (1 + r.nextInt(2));
                int openMax = r.nextInt(4);
                int nth = r.nextInt(4);
                String file = "f" + r.nextInt(2);
                Optional<String> unique = r.nextBoolean() ? Optional.empty() : Optional.of("u" + r.nextInt(2));
                var decision = r.nextBoolean() ? ManualTopUpState.APPROVED
                        : ManualTopUpState.DECLINED;
                int limit = r.nextInt(3);
                switch (r.nextInt(8)) {
                    case 0, 1 -> steps.add(new Step("create(" + key + ",u" + user + "," + amount + "," + ref
                            + ",openMax "
                            + openMax + ")", s -> {
                        var c = s.manual.create(new ManualTopUpDraft(key, user, user, amount,
                                ref, s.clock.instant(), s.clock.instant().plusSeconds(90)), openMax);
                        if (c instanceof ManualTopUpCreation.Created made
                                && !s.manualIds.contains(made.request().id())) {
                            s.manualIds.add(made.request().id());
                        }
                        return s.ranked(c);
                    }));
                    case 2 -> steps.add(new Step("claimPaid(#" + nth + ")",
                            s -> s.ranked(s.manual.claimPaid(s.manualId(nth)))));
                    case 3 -> steps.add(new Step("attachReceipt(#" + nth + "," + file + "," + unique + ")",
                            s -> s.ranked(s.manual.attachReceipt(s.manualId(nth), file, unique))));
                    case 4 -> steps.add(new Step("decide(#" + nth + "," + decision + ")",
                            s -> s.ranked(s.manual.decide(s.manualId(nth), decision, 9, s.clock.instant()))));
                    case 5 -> steps.add(new Step("expire(now," + limit + ")",
                            s -> s.ranked(s.manual.expire(s.clock.instant(), limit))));
                    case 6 -> steps.add(new Step("sharingAReceipt(#" + nth + ")",
                            s -> s.ranked(s.manual.sharingAReceipt(s.manualId(nth), 5))));
                    default -> steps.add(new Step("advance 30s", s -> "clock"));
                }
            }
            return steps;
        };
        Function<Side, String> state = s -> {
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < 4; k++) {
                b.append(s.manual.find(s.manualId(k))).append('\n');
            }
            for (int k = 0; k < 3; k++) {
                b.append(s.manual.findByReference("R" + k)).append('\n');
            }
            for (long u = 1; u <= 2; u++) {
                b.append(s.manual.recent(u, 10)).append('\n').append(s.manual.open(u, s.clock.instant())).append('\n');
            }
            return s.ranked(b.append(s.manual.countOpen()));
        };
        run("MANUAL", gen, state, 20);
    }

    // ---------------------------------------------------------------- Users

    @Test
    void users() {
        Gen gen = (r, length) -> {
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                long id = 1 + r.nextInt(3);
                long other = 1 + r.nextInt(3);
                String name = r.nextBoolean() ? "Ann" : "Bob";
                Optional<String> username = r.nextBoolean() ? Optional.empty() : Optional.of(name.toLowerCase());
                Optional<String> lang = r.nextBoolean() ? Optional.empty() : Optional.of(r.nextBoolean() ? "en" : "ru");
                String code = "c" + r.nextInt(2);
                boolean flag = r.nextBoolean();
                switch (r.nextInt(8)) {
                    case 0, 1 -> steps.add(new Step("seen(" + id + "," + name + "," + username + "," + lang + ")",
                            s -> s.users.seen(id, name, username, lang, s.clock.instant())));
                    case 2 -> steps.add(new Step("setLanguage(" + id + ",en)", s -> {
                        s.users.setLanguage(id, "en");
                        return "ok";
                    }));
                    case 3 -> steps.add(new Step("acceptTerms(" + id + ")", s -> {
                        s.users.acceptTerms(id);
                        return "ok";
                    }));
                    case 4 -> steps.add(new Step("setBlocked(" + id + "," + flag + ")", s -> {
                        s.users.setBlocked(id, flag);
                        return "ok";
                    }));
                    case 5 -> steps.add(new Step("setReferrer(" + id + "," + other + ")",
                            s -> s.users.setReferrer(id, other)));
                    case 6 -> steps.add(new Step("setInviteCode(" + id + "," + code + ")",
                            s -> s.users.setInviteCode(id, code)));
                    default -> steps.add(new Step("setBan(" + id + "," + flag + ")", s -> {
                        s.users.setBan(id, flag ? Optional.of(new Ban(s.clock.instant(),
                                Optional.of("spam"))) : Optional.empty());
                        return "ok";
                    }));
                }
            }
            return steps;
        };
        Function<Side, String> state = s -> {
            StringBuilder b = new StringBuilder();
            for (long id = 1; id <= 3; id++) {
                b.append(s.users.find(id)).append(' ').append(s.users.referrerOf(id)).append(' ')
                        .append(s.users.countInvited(id)).append(' ').append(s.users.inviteCode(id)).append('\n');
            }
            b.append(s.users.byInviteCode("c0")).append(s.users.byInviteCode("c1")).append(' ').append(s.users.count())
                    .append(' ').append(s.users.countActive()).append(' ').append(s.users.search("an", 10))
                    .append(' ').append(s.users.activeIds(0, 10));
            return b.toString();
        };
        run("USERS", gen, state, 20);
    }

    // ---------------------------------------------------------------- PendingReplies (outbox)

    @Test
    void outbox() {
        Gen gen = (r, length) -> {
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                long chat = 1 + r.nextInt(2);
                String text = "m" + i;
                int which = r.nextInt(3);
                int delay = r.nextInt(3) * 30;
                String tag = "t" + r.nextInt(2);
                switch (r.nextInt(9)) {
                    case 0, 1 -> steps.add(new Step("append(" + chat + "," + text
                            + (delay > 0 ? ",tagged " + tag : "") + ")",
                            s -> {
                                Reply reply = new Reply.SendText(chat, text, Keyboard.NONE);
                                s.outbox.append(List.of(delay > 0 ? new Outgoing(reply, new Outgoing.Follow.Tagged(tag))
                                        : Outgoing.plain(reply)), s.clock.instant());
                                return "ok";
                            }));
                    // which due chat a claim takes first is each store's own (PendingReplies.claim): the step
                    // claims every due chat, and the claims are compared, and numbered, in their chats' order
                    case 2 -> steps.add(new Step("claimAll(lease 60s)", s -> {
                        List<PendingReplies.Queued> batch = new ArrayList<>();
                        for (Optional<PendingReplies.Queued> q = s.outbox.claim(s.clock.instant(),
                                Duration.ofSeconds(60)); q.isPresent(); q = s.outbox.claim(s.clock.instant(),
                                Duration.ofSeconds(60))) {
                            batch.add(q.get());
                        }
                        batch.sort(Comparator.comparingLong(PendingReplies.Queued::chatId));
                        List<String> seen = new ArrayList<>();
                        for (PendingReplies.Queued x : batch) {
                            s.claimed.put(s.claims++, x);
                            seen.add(x.outgoing() + " until " + x.leasedUntil() + " " + x.deferral());
                        }
                        return seen;
                    }));
                    case 3 -> steps.add(new Step("done(claim#" + which + ")",
                            s -> Optional.ofNullable(s.claimed.get(which))
                                    .map(q -> s.outbox.done(q, TokenBucket.full(1, s.clock.instant()),
                                            s.clock.instant()))));
                    case 4 -> steps.add(new Step("release(claim#" + which + ",+" + delay + "s)",
                            s -> Optional.ofNullable(s.claimed.get(which)).map(q -> {
                                s.outbox.release(q, s.clock.instant().plusSeconds(delay),
                                        new PendingReplies.Deferral(s.clock.instant(), delay == 0));
                                return "ok";
                            })));
                    case 5 -> steps.add(new Step("releaseRest(claim#" + which + ",+" + delay + "s)",
                            s -> Optional.ofNullable(s.claimed.get(which)).map(q -> {
                                s.outbox.releaseRest(q, new Reply.SendText(q.chatId(), "rest", Keyboard.NONE),
                                        s.clock.instant().plusSeconds(delay));
                                return "ok";
                            })));
                    case 6 -> steps.add(new Step(r.nextBoolean() ? "dropQueue(" + chat + ")" : "dropChat(" + chat + ")",
                            s -> "x"));
                    case 7 -> steps.add(new Step("tag(" + chat + "," + tag + ")", s -> {
                        s.outbox.tag(chat, tag, 500 + chat);
                        return "ok";
                    }));
                    default -> steps.add(new Step("advance 30s", s -> "clock"));
                }
            }
            // dropQueue / dropChat need their chat: rebuild those steps with real calls
            List<Step> real = new ArrayList<>();
            for (Step st : steps) {
                if (st.what().startsWith("dropQueue(")) {
                    long chat = Long.parseLong(st.what().replaceAll("\\D", ""));
                    real.add(new Step(st.what(), s -> s.outbox.dropQueue(chat)));
                } else if (st.what().startsWith("dropChat(")) {
                    long chat = Long.parseLong(st.what().replaceAll("\\D", ""));
                    real.add(new Step(st.what(), s -> s.outbox.dropChat(chat)));
                } else {
                    real.add(st);
                }
            }
            return real;
        };
        Function<Side, String> state = s -> s.outbox.nextDueAfter(s.clock.instant()) + " "
                + s.outbox.oldestWaiting() + " " + s.outbox.taggedMessage(1, "t0") + s.outbox.taggedMessage(1, "t1")
                + s.outbox.taggedMessage(2, "t0") + s.outbox.taggedMessage(2, "t1");
        run("OUTBOX", gen, state, 20);
    }
}
