package dev.kiebot.webhook.chaos;

import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.postgres.Database;
import dev.kiebot.postgres.PgStores;
import dev.kiebot.postgres.testing.LedgerInvariants;
import dev.kiebot.runtime.testing.E2eWorld;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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

    private CrashChecks() {
    }

    record Check(String name, List<String> rows) {
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
    static List<Check> settled(Database db, MixedTraffic traffic, E2eWorld world, List<Instant> kills) {
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
            out.add(sql(h, "a job refunded with a RECONCILE line (Kie called back every task)",
                    "SELECT correlation_id || ' at ' || at || ': ' || detail FROM audit_events "
                            + "WHERE action = 'gen.reconcile' ORDER BY at"));
        });
        out.add(new Check("a pre-checkout taken never answered", unanswered(traffic, world, "pre_checkout",
                "answerPreCheckoutQuery", "pre_checkout_query_id", "pcq-", kills, Duration.ZERO)));
        out.add(new Check("a button press taken never answered, away from a kill", unanswered(traffic, world,
                "callback", "answerCallbackQuery", "callback_query_id", "cbq-", kills, CALLBACK_WINDOW)));
        return out;
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
            long results = world.telegram.callsTo("sendPhoto").stream().filter(c -> c.chatId() == user && c.ok())
                    .count();
            List<Sent> texts = textsTo(world, user);
            // a refund's notice names the amount only, which two jobs of one price share: counted as sent
            long refunds = texts.stream().filter(t -> t.text().contains("returned to your balance")).count();
            long toppedUp = notices(texts.stream().filter(t -> t.text().contains("Balance topped up")).toList(),
                    kills);
            if (results != delivered) {
                out.add("chat " + u + ": " + results + " results sent for " + delivered + " delivered jobs");
            }
            if (refunds != failed) {
                out.add("chat " + u + ": " + refunds + " refund notices for " + failed + " failed jobs");
            }
            if (toppedUp != paid + approved) {
                out.add("chat " + u + ": " + toppedUp + " top-up notices for " + paid + " Stars payments and "
                        + approved + " approved card top-ups");
            }
        }
        return out;
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
