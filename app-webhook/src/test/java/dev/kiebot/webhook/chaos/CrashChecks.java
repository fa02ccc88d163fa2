package dev.kiebot.webhook.chaos;

import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import dev.kiebot.postgres.Database;
import dev.kiebot.postgres.PgStores;
import dev.kiebot.postgres.testing.LedgerInvariants;
import dev.kiebot.runtime.testing.E2eWorld;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * What a kill must not break, each a named check whose rows say what went wrong. {@link #anyTime} holds at every
 * moment, also with traffic running; {@link #settled} once all is quiet (the traffic stopped and the restarted
 * runner done with what it had): everything taken was answered, once.
 */
final class CrashChecks {
    /** Telegram's window for a button's answer: one lost in it at a kill is documented (README: "not kept"). */
    private static final Duration CALLBACK_WINDOW = Duration.ofSeconds(15);
    /**
     * How long before a kill Telegram may have taken a reply whose settle the kill then lost: the sender's call
     * answered, the settle not yet committed (milliseconds on a quiet machine, seconds at a load of 30).
     */
    static final Duration ON_THE_WIRE = Duration.ofSeconds(15);

    /**
     * The RECONCILE line's words for a job a restart found still SUBMITTING with no task (core's
     * {@code JobNote.SUBMITTING_AT_RESTART}, not public): its createTask cut off by the kill.
     */
    static final String CUT_OFF_MID_SEND = "found in SUBMITTING after a restart";
    /** The users' texts ({@code en}), to tell the chat's word on a pre-checkout its restart found too late by. */
    private static final Texts TEXTS = new Texts();

    private CrashChecks() {
    }

    record Check(String name, List<String> rows) {
    }

    /** A kill, and when the runner started after it was ready (its {@code /readyz} answered 200). */
    record Restart(Instant killed, Instant ready) {
    }

    private static Check sql(Handle h, String name, String query) {
        return new Check(name, h.createQuery(query).mapTo(String.class).list());
    }

    /** The money: true in any committed state, so also mid-traffic right after a restart. */
    static List<Check> anyTime(Database db) {
        List<Check> out = new ArrayList<>();
        out.add(new Check("ledger invariants (LedgerInvariants, ledger.md §4.5)",
                LedgerInvariants.violations(db.jdbi())));
        db.jdbi().useHandle(h -> {
            out.add(sql(h, "a wallet's Stars credits differ from its recorded charges",
                    "SELECT t.credit_account || ': ' || count(*) || ' credits, ' || (SELECT count(*) FROM stars_charges s"
                            + " WHERE 'wallet:' || s.user_id = t.credit_account) || ' charges' FROM ledger_transfers t"
                            + " WHERE t.kind = 'TOP_UP_STARS' GROUP BY t.credit_account HAVING count(*) <> (SELECT "
                            + "count(*) FROM stars_charges s WHERE 'wallet:' || s.user_id = t.credit_account)"));
            out.add(sql(h, "a Stars charge left uncredited",
                    "SELECT charge_id || ' ' || reason FROM uncredited_charges"));
            out.add(sql(h, "a card top-up credited other than once per approved request",
                    "SELECT 'user ' || m.user_id || ': ' || count(*) FILTER (WHERE m.state = 'APPROVED') || ' approved, '"
                            + " || (SELECT count(*) FROM ledger_transfers t WHERE t.kind = 'TOP_UP_MANUAL' AND "
                            + "t.credit_account = 'wallet:' || m.user_id) || ' credits' FROM manual_topups m "
                            + "GROUP BY m.user_id HAVING count(*) FILTER (WHERE m.state = 'APPROVED') <> (SELECT "
                            + "count(*) FROM ledger_transfers t WHERE t.kind = 'TOP_UP_MANUAL' AND "
                            + "t.credit_account = 'wallet:' || m.user_id)"));
            out.add(sql(h, "a welcome bonus given twice",
                    "SELECT credit_account || ' x' || count(*) FROM ledger_transfers WHERE kind = 'WELCOME_BONUS' "
                            + "GROUP BY credit_account HAVING count(*) > 1"));
            out.add(sql(h, "a hold left open on an ended job",
                    "SELECT 'job ' || j.id || ' ' || j.state FROM jobs j JOIN ledger_open_holds o "
                            + "ON o.hold_id = 'gen_' || j.id WHERE j.state IN ('DELIVERED', 'FAILED')"));
            out.add(sql(h, "a paid job charged though failed, or delivered uncharged",
                    "SELECT 'job ' || j.id || ' ' || j.state || ', hold ' || coalesce(r.phase::text, 'open') "
                            + "FROM jobs j LEFT JOIN ledger_transfers r ON r.pending_id = 'gen_' || j.id "
                            + "WHERE NOT j.free AND ((j.state = 'DELIVERED' AND r.phase IS DISTINCT FROM "
                            + "'POST_PENDING') OR (j.state = 'FAILED' AND r.phase IS NOT DISTINCT FROM "
                            + "'POST_PENDING'))"));
        });
        return out;
    }

    /**
     * Everything taken was answered once: reads the store's balances and entries in separate statements
     * ({@link Reconciliation#check}), and counts what Telegram and Kie saw, so only when quiet.
     */
    static List<Check> settled(Database db, MixedTraffic traffic, E2eWorld world, List<Restart> restarts) {
        List<Instant> kills = restarts.stream().map(Restart::killed).toList();
        List<Check> out = new ArrayList<>(anyTime(db));
        out.add(new Check("reconciliation of balances against entries (Reconciliation.check)",
                Reconciliation.check(PgStores.create(db, Clock.systemUTC()).asCoreStores().ledger()).stream()
                        .map(Object::toString).toList()));
        out.add(new Check("an update never taken by the webhook", List.copyOf(traffic.undeliverable)));
        db.jdbi().useHandle(h -> {
            out.add(sql(h, "replies left in the outbox", "SELECT 'outbox ' || count(*) FROM outbox HAVING count(*) > 0"));
            out.add(sql(h, "an update recorded but never done",
                    "SELECT update_id || ' chat ' || chat_id FROM processed_updates WHERE done_at IS NULL"));
            out.add(sql(h, "a job not ended",
                    "SELECT 'job ' || id || ' ' || state || ', task ' || coalesce(task_id, '-') || ', created ' || "
                            + "created_at || ', updated ' || updated_at FROM jobs WHERE state NOT IN ('DELIVERED', "
                            + "'FAILED')"));
            out.add(sql(h, "a card top-up claimed paid and never decided",
                    "SELECT 'request ' || id || ' of user ' || user_id FROM manual_topups WHERE state = 'CLAIMED_PAID'"));
            Set<Long> recorded = new HashSet<>(h.createQuery("SELECT update_id FROM processed_updates")
                    .mapTo(Long.class).list());
            Map<String, Integer> lost = new TreeMap<>();
            traffic.acknowledged.forEach((id, kind) -> {
                if (!recorded.contains(id)) {
                    lost.merge(kind, 1, Integer::sum);
                }
            });
            out.add(new Check("an update taken with 200 but not recorded (by kind)",
                    lost.isEmpty() ? List.of() : List.of(lost.toString())));
            List<String> charges = new ArrayList<>();
            traffic.charges.forEach((charge, user) -> {
                long n = h.createQuery("SELECT count(*) FROM stars_charges WHERE charge_id = :c").bind("c", charge)
                        .mapTo(Long.class).one();
                if (n != 1) {
                    charges.add(charge + " recorded " + n + " times");
                }
            });
            out.add(new Check("a Stars payment taken not recorded exactly once", charges));
            out.add(new Check("a chat's messages differ from its jobs and payments", perChat(h, traffic, world, kills)));
            out.add(new Check("a task Kie made that no job holds (Kie charged for it)", tasksNoJobHolds(h, world)));
            out.add(new Check("a job Kie made more than one task for (sent twice)", tasksByJob(world).entrySet()
                    .stream().filter(e -> e.getValue().size() > 1).map(e -> e.getKey() + ": " + e.getValue()).toList()));
            out.add(new Check("a job refunded with a RECONCILE line (Kie called back every task), but one a kill cut "
                    + "off mid-send before Kie took it", reconciled(h, world, kills).unexplained()));
            out.add(new Check("a pre-checkout taken never answered, but one Telegram's window had passed for at a "
                    + "restart, unpaid", preCheckoutsUnanswered(h, traffic, world, restarts)
                    .unexplained()));
        });
        out.add(new Check("a button press taken never answered, away from a kill", unanswered(traffic, world,
                "callback", "answerCallbackQuery", "callback_query_id", "cbq-", kills, CALLBACK_WINDOW)));
        return out;
    }

    /**
     * What a check let pass as a kill's documented effect, and what it did not; {@code notes}: of those it let pass,
     * what is worth reading (a figure, not a failure).
     */
    record Explained(List<String> unexplained, int explained, List<String> notes) {
    }

    /** Kie's tasks by the job their callBackUrl names ({@code gen_12}). */
    private static Map<String, List<String>> tasksByJob(E2eWorld world) {
        Map<String, List<String>> out = new TreeMap<>();
        for (String task : world.kie.taskIds()) {
            String url = world.kie.task(task).request.path("callBackUrl").asText("");
            out.computeIfAbsent(url.replaceAll(".*[?&]job=([^&]*).*", "$1"), k -> new ArrayList<>()).add(task);
        }
        return out;
    }

    /**
     * The jobs refunded with a RECONCILE line, and which of them a kill cut off mid-send before Kie took the task:
     * written SUBMITTING, then killed before its createTask reached Kie (connecting, or the request not yet read:
     * milliseconds on a quiet machine, more under load). Nothing can tell the bot that Kie never took it (no
     * idempotency key, no list of tasks; README "Jobs"), so the restart waits for Kie's callback until the job's
     * deadline and refunds it then with the RECONCILE line: the money held once and given back once, the user told
     * once, nothing sent twice. Let pass only with those words, a kill between the job's making and its wait for the
     * callback, and no task at Kie naming the job: one Kie made and the shop refunded is a loss, a finding.
     */
    static Explained reconciled(Handle h, E2eWorld world, List<Instant> kills) {
        Map<String, List<String>> tasks = tasksByJob(world);
        List<String> unexplained = new ArrayList<>();
        int explained = 0;
        for (Map<String, Object> r : h.createQuery("SELECT a.correlation_id AS job, a.at, a.detail, j.created_at, "
                + "j.state, (SELECT min(w.at) FROM audit_events w WHERE w.correlation_id = a.correlation_id "
                + "AND w.action = 'gen.awaiting_callback') AS waited FROM audit_events a LEFT JOIN jobs j "
                + "ON 'gen_' || j.id = a.correlation_id WHERE a.action = 'gen.reconcile' ORDER BY a.at")
                .mapToMap().list()) {
            String job = String.valueOf(r.get("job"));
            Optional<Instant> made = instant(r.get("created_at"));
            Optional<Instant> waited = instant(r.get("waited"));
            boolean killedBetween = made.isPresent() && waited.isPresent() && kills.stream()
                    .anyMatch(k -> k.isAfter(made.get()) && k.isBefore(waited.get()));
            List<String> atKie = tasks.getOrDefault(job, List.of());
            if (CUT_OFF_MID_SEND.equals(r.get("detail")) && killedBetween && atKie.isEmpty()) {
                explained++;
            } else {
                unexplained.add(job + " " + r.get("state") + " at " + r.get("at") + ": " + r.get("detail") + "; made "
                        + made.map(Instant::toString).orElse("-") + ", waited for Kie's callback from "
                        + waited.map(Instant::toString).orElse("-") + (killedBetween ? " (a kill between)" : "")
                        + "; Kie's tasks for it " + atKie);
            }
        }
        return new Explained(unexplained, explained, List.of());
    }

    private static Optional<Instant> instant(Object column) {
        if (column instanceof java.sql.Timestamp t) {
            return Optional.of(t.toInstant());
        }
        if (column instanceof java.time.OffsetDateTime t) {
            return Optional.of(t.toInstant());
        }
        return Optional.empty();
    }

    /**
     * Whether a pre-checkout first posted at {@code posted} and never answered met a restart that made it too late:
     * a kill inside its 10 s window, and either the runner started after that kill was ready only after the window
     * (a yes its predecessor committed and kept, or the update it took, was past the window at the start) or it
     * handled the update ({@code handled}, its done mark) after the window. The bot then rightly sends no answer,
     * which Telegram would refuse as "query is too old" (it has cancelled the payment), and tells the chat instead.
     * A restart ready and handling it inside the window that still left it unanswered does not pass.
     */
    static boolean pastItsWindowAtARestart(Instant posted, Optional<Instant> handled, List<Restart> restarts) {
        Instant windowEnd = posted.plus(MixedTraffic.PRE_CHECKOUT_WINDOW);
        return restarts.stream().anyMatch(r -> !r.killed().isBefore(posted) && !r.killed().isAfter(windowEnd)
                && (r.ready().isAfter(windowEnd)
                        || handled.filter(d -> d.isAfter(r.killed()) && d.isAfter(windowEnd)).isPresent()));
    }

    /**
     * The pre-checkouts taken with 200 that no answer was sent for, and which of them a restart made too late
     * ({@link #pastItsWindowAtARestart}) with no Stars charge for their invoice (Telegram cancelled the payment,
     * {@link MixedTraffic} sent none). Whether their chat was told it did not go through, or may not have ({@code
     * precheckout.too_late}, {@code precheckout.unconfirmed}), each by a message of its own after it, is noted, not
     * checked: a kept yes dropped past its window is not told to a user with a Stars charge since (Outbox's
     * paidSince), and he then had Telegram's cancellation alone, nothing charged.
     */
    static Explained preCheckoutsUnanswered(Handle h, MixedTraffic traffic, E2eWorld world, List<Restart> restarts) {
        Set<String> answered = new HashSet<>();
        world.telegram.callsTo("answerPreCheckoutQuery").forEach(c -> answered.add(c.param("pre_checkout_query_id")));
        Set<String> words = Set.of(TEXTS.get("en", Msg.PRECHECKOUT_TOO_LATE),
                TEXTS.get("en", Msg.PRECHECKOUT_UNCONFIRMED));
        Map<Long, List<Sent>> told = new HashMap<>();
        List<String> unexplained = new ArrayList<>();
        List<String> notTold = new ArrayList<>();
        int explained = 0;
        List<Long> ids = traffic.acknowledged.entrySet().stream()
                .filter(e -> e.getValue().equals("pre_checkout") && !answered.contains("pcq-" + e.getKey()))
                .map(Map.Entry::getKey).sorted(Comparator.comparing(traffic.firstPosted::get)).toList();
        List<Instant> kills = restarts.stream().map(Restart::killed).toList();
        for (long id : ids) {
            Instant posted = traffic.firstPosted.get(id);
            MixedTraffic.Asked asked = traffic.preCheckouts.get(id);
            Optional<Instant> handled = h.createQuery("SELECT done_at FROM processed_updates WHERE update_id = :id")
                    .bind("id", id).mapTo(Instant.class).findOne();
            long charges = h.createQuery("SELECT count(*) FROM stars_charges WHERE payload = :p")
                    .bind("p", asked.payload()).mapTo(Long.class).one();
            List<Sent> chat = told.computeIfAbsent(asked.user(), u -> new ArrayList<>(textsTo(world, u).stream()
                    .filter(t -> words.contains(t.text())).toList()));
            Optional<Sent> word = chat.stream().filter(t -> t.at().isAfter(posted)).findFirst();
            boolean late = pastItsWindowAtARestart(posted, handled, restarts);
            word.ifPresent(chat::remove);
            String row = "pcq-" + id + " first posted " + posted + ", " + nearestKill(kills, posted)
                        + ", handled " + handled.map(Instant::toString).orElse("never") + ", ready after the kills "
                        + restarts.stream().filter(r -> !r.killed().isBefore(posted)).findFirst()
                                .map(r -> r.ready().toString()).orElse("-")
                        + (late ? " (past its window at a restart)" : "") + "; Stars charges for its invoice "
                        + charges + "; its chat " + (word.isPresent() ? "told" : "not told") + " it did not go through";
            if (late && charges == 0) {
                explained++;
                if (word.isEmpty()) {
                    notTold.add(row);
                }
            } else {
                unexplained.add(row);
            }
        }
        return new Explained(unexplained, explained, notTold);
    }

    /**
     * The pre-checkouts answered later than Telegram's 10 s from their first post, which Telegram refuses as too old
     * (the fake takes them): those the webhook took late (posted while the runner was down: the bot counts the window
     * from when it took the update, Telegram's updates carrying no time) and those it took in time: a figure.
     */
    static String preCheckoutsAnsweredLate(MixedTraffic traffic, E2eWorld world) {
        Map<String, Instant> first = new HashMap<>();
        world.telegram.callsTo("answerPreCheckoutQuery").forEach(c -> first.merge(c.param("pre_checkout_query_id"),
                c.at(), (a, b) -> a.isBefore(b) ? a : b));
        int takenLate = 0;
        int takenInTime = 0;
        for (Map.Entry<Long, Instant> e : traffic.firstPosted.entrySet()) {
            Instant answered = first.get("pcq-" + e.getKey());
            Instant windowEnd = e.getValue().plus(MixedTraffic.PRE_CHECKOUT_WINDOW);
            if (answered != null && answered.isAfter(windowEnd)) {
                if (traffic.taken.getOrDefault(e.getKey(), e.getValue()).isAfter(e.getValue().plusSeconds(1))) {
                    takenLate++;
                } else {
                    takenInTime++;
                }
            }
        }
        return takenLate + " taken over a second after their first post, " + takenInTime + " taken at once";
    }

    /** Kie's tasks whose id no job stored, with the job their callBackUrl names and what it went through. */
    private static List<String> tasksNoJobHolds(Handle h, E2eWorld world) {
        Set<String> held = new HashSet<>(h.createQuery("SELECT task_id FROM jobs WHERE task_id IS NOT NULL")
                .mapTo(String.class).list());
        List<String> out = new ArrayList<>();
        for (String task : world.kie.taskIds()) {
            if (held.contains(task)) {
                continue;
            }
            String url = world.kie.task(task).request.path("callBackUrl").asText("");
            String job = url.replaceAll(".*[?&]job=([^&]*).*", "$1");
            String state = h.createQuery("SELECT state || ' ' || coalesce(failure, '-') FROM jobs "
                    + "WHERE 'gen_' || id = :job").bind("job", job).mapTo(String.class).findOne().orElse("no such job");
            String audit = String.join(", ", h.createQuery("SELECT at || ' ' || action || ' ' || detail "
                    + "FROM audit_events WHERE correlation_id = :job ORDER BY at").bind("job", job)
                    .mapTo(String.class).list());
            out.add("task " + task + " (" + world.kie.task(task).state() + ") of " + job + ": " + state + "; "
                    + audit);
        }
        return out;
    }

    /** Per chat: results sent = delivered jobs, refund notices = failed jobs, top-up notices = payments credited. */
    private static List<String> perChat(Handle h, MixedTraffic traffic, E2eWorld world, List<Instant> kills) {
        List<String> out = new ArrayList<>();
        for (long u = MixedTraffic.FIRST_USER; u < MixedTraffic.FIRST_USER + traffic.users; u++) {
            long user = u;
            long delivered = count(h, "SELECT count(*) FROM jobs WHERE user_id = :u AND state = 'DELIVERED'", u);
            long failed = count(h, "SELECT count(*) FROM jobs WHERE user_id = :u AND state = 'FAILED'", u);
            long approved = count(h, "SELECT count(*) FROM manual_topups WHERE user_id = :u AND state = 'APPROVED'", u);
            long paid = traffic.charges.values().stream().filter(v -> v == user).count();
            // a result names its file (Kie's URL, one per task) and its caption: a copy sent again at a kill is alike
            List<Sent> results = world.telegram.callsTo("sendPhoto").stream().filter(c -> c.chatId() == user && c.ok())
                    .map(c -> new Sent(c.at(), c.param("photo") + " " + c.param("caption")))
                    .sorted(java.util.Comparator.comparing(Sent::at)).toList();
            List<Sent> texts = textsTo(world, user);
            List<Sent> refunds = texts.stream().filter(t -> t.text().contains("returned to your balance")).toList();
            long toppedUp = notices(texts.stream().filter(t -> t.text().contains("Balance topped up")).toList(),
                    kills);
            if (!sentAtLeastOnce(results, delivered, kills)) {
                out.add("chat " + u + ": " + results.size() + " results sent (" + notices(results, kills) + " with "
                        + "each copy a kill may explain counted once) for " + delivered + " delivered jobs: "
                        + results);
            }
            if (!sentAtLeastOnce(refunds, failed, kills)) {
                out.add("chat " + u + ": " + refunds.size() + " refund notices (" + notices(refunds, kills)
                        + " with each copy a kill may explain counted once) for " + failed + " failed jobs");
            }
            if (toppedUp != paid + approved) {
                out.add("chat " + u + ": " + toppedUp + " top-up notices for " + paid + " Stars payments and "
                        + approved + " approved card top-ups");
            }
        }
        return out;
    }

    /**
     * Whether a chat's messages of one kind (oldest first: refund notices, results) are one per job they answer
     * ({@code expected}), a copy a kill may have sent again counted once ({@link #notices}): the outbox delivers at
     * least once (README). A refund's notice names the amount only («💸 3.00 ₽ returned to your balance.»), which
     * two jobs of one price share, and a result its file and caption: two alike across a kill are one sent again or two
     * jobs' own, so either count passes (from the copies counted once to every copy), and a copy with no kill between,
     * or one short, does not.
     */
    static boolean sentAtLeastOnce(List<Sent> sent, long expected, List<Instant> kills) {
        return notices(sent, kills) <= expected && expected <= sent.size();
    }

    /**
     * The refund notices and results past one per failed or delivered job, over every chat (each a copy sent again
     * at a kill, or the check fails): a figure.
     */
    static String sentAgain(Database db, MixedTraffic traffic, E2eWorld world) {
        long refunds = 0;
        long results = 0;
        for (long u = MixedTraffic.FIRST_USER; u < MixedTraffic.FIRST_USER + traffic.users; u++) {
            long user = u;
            long failed = db.jdbi().withHandle(h -> count(h, "SELECT count(*) FROM jobs WHERE user_id = :u AND "
                    + "state = 'FAILED'", user));
            long delivered = db.jdbi().withHandle(h -> count(h, "SELECT count(*) FROM jobs WHERE user_id = :u AND "
                    + "state = 'DELIVERED'", user));
            refunds += Math.max(0, textsTo(world, u).stream().filter(t -> t.text().contains("returned to your balance"))
                    .count() - failed);
            results += Math.max(0, world.telegram.callsTo("sendPhoto").stream()
                    .filter(c -> c.chatId() == user && c.ok()).count() - delivered);
        }
        return "refund notices " + refunds + ", results " + results;
    }

    /** The top-up notices {@link #notices} counted once as sent again after a kill, over every chat: a figure. */
    static long topUpNoticesSentAgain(MixedTraffic traffic, E2eWorld world, List<Instant> kills) {
        long again = 0;
        for (long u = MixedTraffic.FIRST_USER; u < MixedTraffic.FIRST_USER + traffic.users; u++) {
            List<Sent> notices = textsTo(world, u).stream().filter(t -> t.text().contains("Balance topped up"))
                    .toList();
            again += notices.size() - notices(notices, kills);
        }
        return again;
    }

    /** A text Telegram took for a chat, and when. */
    record Sent(Instant at, String text) {
    }

    /** What {@code FakeTelegramServer.textsTo} counts (sendMessage and editMessageText that succeeded), with when. */
    private static List<Sent> textsTo(E2eWorld world, long chat) {
        List<Sent> out = new ArrayList<>();
        for (String method : List.of("sendMessage", "editMessageText")) {
            world.telegram.callsTo(method).stream().filter(c -> c.ok() && c.chatId() == chat && c.text() != null)
                    .forEach(c -> out.add(new Sent(c.at(), c.text())));
        }
        out.sort(java.util.Comparator.comparing(Sent::at));
        return out;
    }

    /**
     * How many notices {@code sent} (one chat's, oldest first) holds, a reply sent again after a kill counted once:
     * the outbox delivers at least once (README), and a reply Telegram took within {@link #ON_THE_WIRE} before a kill
     * whose settle the kill lost is sent again by the next start ("N chat(s) had a reply on the wire when the bot last
     * stopped: sending again"). Such a copy has the earlier one's text word for word (a top-up's notice names the
     * balance after it) and comes after that kill; a payment handled twice would say another balance, and two
     * copies with no kill between them are both counted.
     */
    static long notices(List<Sent> sent, List<Instant> kills) {
        List<Sent> originals = new ArrayList<>();
        long again = 0;
        for (Sent s : sent) {
            java.util.Optional<Sent> first = originals.stream().filter(o -> o.text().equals(s.text())
                    && kills.stream().anyMatch(k -> !k.isBefore(o.at()) && s.at().isAfter(k)
                    && Duration.between(o.at(), k).compareTo(ON_THE_WIRE) <= 0)).findFirst();
            if (first.isPresent()) {
                originals.remove(first.get()); // each copy before a kill explains one copy after it
                again++;
            } else {
                originals.add(s);
            }
        }
        return sent.size() - again;
    }

    private static long count(Handle h, String query, long user) {
        return h.createQuery(query).bind("u", user).mapTo(Long.class).one();
    }

    /**
     * The queries of {@code kind} taken with 200 that Telegram never saw answered, but those first posted within
     * {@code lossAllowed} before a kill (an answer not kept, lost with the process).
     */
    private static List<String> unanswered(MixedTraffic traffic, E2eWorld world, String kind, String method,
            String param, String prefix, List<Instant> kills, Duration lossAllowed) {
        Set<String> answered = new HashSet<>();
        world.telegram.callsTo(method).forEach(c -> answered.add(c.param(param)));
        List<String> out = new ArrayList<>();
        traffic.acknowledged.forEach((id, k) -> {
            if (k.equals(kind) && !answered.contains(prefix + id)) {
                Instant posted = traffic.firstPosted.get(id);
                boolean atAKill = kills.stream().anyMatch(kill -> !kill.isBefore(posted)
                        && Duration.between(posted, kill).compareTo(lossAllowed) <= 0);
                if (!atAKill) {
                    out.add(prefix + id + " first posted " + posted + ", " + nearestKill(kills, posted));
                }
            }
        });
        return out;
    }

    /** The button presses lost at a kill, which {@link #settled} lets pass: a figure for the report. */
    static long callbacksLostAtAKill(MixedTraffic traffic, E2eWorld world) {
        Set<String> answered = new HashSet<>();
        world.telegram.callsTo("answerCallbackQuery").forEach(c -> answered.add(c.param("callback_query_id")));
        return traffic.acknowledged.entrySet().stream()
                .filter(e -> e.getValue().equals("callback") && !answered.contains("cbq-" + e.getKey())).count();
    }

    private static String nearestKill(List<Instant> kills, Instant t) {
        return kills.stream().min((a, b) -> Long.compare(Math.abs(Duration.between(a, t).toMillis()),
                Math.abs(Duration.between(b, t).toMillis())))
                .map(k -> "kill " + (kills.indexOf(k) + 1) + " " + Duration.between(t, k).toMillis() + " ms after it")
                .orElse("no kill");
    }
}
