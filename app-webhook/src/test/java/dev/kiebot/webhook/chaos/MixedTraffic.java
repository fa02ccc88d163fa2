package dev.kiebot.webhook.chaos;

import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import dev.kiebot.kie.fake.FakeKieServer;
import dev.kiebot.runtime.testing.E2eWorld;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import dev.kiebot.telegram.fake.FakeUpdates;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The traffic a killed runner is under: users' flows as Telegram carries them (each update posted again until the
 * webhook answers 200, as Telegram does), Kie finishing tasks (one in five failed; each called back, some after
 * polling found it) and an admin approving card top-ups. It keeps what it was told was done, for the checks.
 *
 * <p>A flow ends done, given up (silence: no answer within {@link #PATIENCE}), refused (the per-user limit's
 * «Слишком много сообщений подряд…» after {@link #RETRIES} tries, each after the wait it named) or told of open
 * requests (a card request while two are open); only silence counts as given up, and a flow the traffic's end cut
 * off counts apart.
 */
final class MixedTraffic {
    static final long FIRST_USER = 7_100_001;
    static final long ADMIN = 900;
    /** Kie signs its callbacks with it (the runner's KIE_WEBHOOK_HMAC_KEY). */
    static final String KIE_HMAC = "kie-hmac-key-0123456789abcdef";
    /** How long a user waits for an answer before giving the flow up (a kill makes some wait). */
    private static final Duration PATIENCE = Duration.ofSeconds(25);
    /** "The Bot API must receive an answer within 10 seconds after the pre-checkout query was sent." */
    static final Duration PRE_CHECKOUT_WINDOW = Duration.ofSeconds(10);
    /** How long Telegram keeps posting an update the webhook does not take. */
    private static final Duration REDELIVERY = Duration.ofMinutes(5);
    /** When Kie calls back a task polling finds: after the poll, most often. */
    private static final Duration LATE_CALLBACK = Duration.ofSeconds(20);
    /** How often a user sends a step again after the limiter named a wait, before ending the flow as refused. */
    private static final int RETRIES = 3;
    /** The users' texts ({@code en}: FakeUpdates' default language), to tell the bot's refusals by. */
    private static final Texts TEXTS = new Texts();
    /** {@code rate.limited}, as text or as a button's toast: its number is the wait in seconds. */
    private static final Pattern LIMITED = Pattern.compile(Pattern.quote(commonStart(
            TEXTS.get("en", Msg.RATE_LIMITED, 1), TEXTS.get("en", Msg.RATE_LIMITED, 2))) + "(\\d+)");
    /** {@code manual.too_many_open}: a card request refused while two are open. */
    private static final String OPEN_REQUESTS = TEXTS.get("en", Msg.MANUAL_TOO_MANY_OPEN, "", "").split(":")[0];

    private final E2eWorld world;
    private final FakeUpdates updates;
    private final Supplier<String> runnerBase;
    final int users;
    /** The users stop starting flows; Kie and the admin go on until {@link #end}. */
    final AtomicBoolean usersStop = new AtomicBoolean();
    private final AtomicBoolean end = new AtomicBoolean();

    /** update id → kind, of every update the webhook took with 200. */
    final Map<Long, String> acknowledged = new ConcurrentHashMap<>();
    final Map<Long, Instant> firstPosted = new ConcurrentHashMap<>();
    /** update id → when the webhook took it with 200 (later than its first post while the runner was down). */
    final Map<Long, Instant> taken = new ConcurrentHashMap<>();
    /** A pre-checkout's user and the payload of the invoice it asks about. */
    record Asked(long user, String payload) {
    }

    /** Pre-checkout update id → who asked, about which invoice. */
    final Map<Long, Asked> preCheckouts = new ConcurrentHashMap<>();
    /** Pre-checkouts Telegram cancelled, no yes of the bot's come within its window: no payment followed. */
    final AtomicInteger preCheckoutsCancelled = new AtomicInteger();
    /** Stars charge id → user, of every successful_payment the webhook took. */
    final Map<String, Long> charges = new ConcurrentHashMap<>();
    final AtomicInteger flowsDone = new AtomicInteger();
    final Map<String, AtomicInteger> flowsGivenUp = new ConcurrentHashMap<>();
    /** Flows the limiter still refused after {@link #RETRIES} tries, by the step. */
    final Map<String, AtomicInteger> flowsRefused = new ConcurrentHashMap<>();
    /** Card flows answered «У вас уже есть открытые заявки…». */
    final AtomicInteger flowsOpenRequests = new AtomicInteger();
    /** Flows still waiting when the traffic {@link #end}ed: neither done nor given up. */
    final AtomicInteger flowsCutByTheEnd = new AtomicInteger();
    /** The limiter's answers the users were given (each retried or ending its flow). */
    final AtomicInteger refusals = new AtomicInteger();
    /** chat → the step its user sent last, to send again after a refusal. */
    private final Map<Long, Sent> lastSent = new ConcurrentHashMap<>();
    final AtomicInteger cardClaims = new AtomicInteger();
    final AtomicInteger approvals = new AtomicInteger();
    final AtomicInteger kieCallbacks = new AtomicInteger();
    final AtomicInteger kieFailed = new AtomicInteger();
    /** Problems of the traffic itself that are findings (an update the webhook never took). */
    final Set<String> undeliverable = ConcurrentHashMap.newKeySet();

    MixedTraffic(E2eWorld world, int users, Supplier<String> runnerBase) {
        this.world = world;
        this.updates = world.telegram.updates();
        this.users = users;
        this.runnerBase = runnerBase;
    }

    void end() {
        usersStop.set(true);
        end.set(true);
    }

    /** A user gave a flow up: the bot did not answer within {@link #PATIENCE} (killed meanwhile), not a finding. */
    private static final class GivenUp extends RuntimeException {
        GivenUp(String why) {
            super(why, null, false, false);
        }
    }

    /** The limiter refused a step {@link #RETRIES} times: not a finding, and not silence. */
    private static final class Refused extends RuntimeException {
        Refused(String why) {
            super(why, null, false, false);
        }
    }

    /** A card request answered that two are open already: the bot's answer, not silence. */
    private static final class OpenRequests extends RuntimeException {
        OpenRequests() {
            super("open requests", null, false, false);
        }
    }

    /**
     * A step a user sent: how to build it anew (a new update, as a user who sends it again makes), the last message of
     * the chat before it (a refusal by text comes after) and, for a press, its query id (a refusal comes as its toast).
     */
    private record Sent(Supplier<String> update, String kind, int after, Optional<String> queryId) {
    }

    private static String commonStart(String a, String b) {
        int i = 0;
        while (i < Math.min(a.length(), b.length()) && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return a.substring(0, i);
    }

    // ---- Telegram's side ----------------------------------------------------------------------------------------

    private static long updateId(String json) {
        return com.google.gson.JsonParser.parseString(json).getAsJsonObject().get("update_id").getAsLong();
    }

    private void deliver(String json, String kind) {
        long id = updateId(json);
        firstPosted.putIfAbsent(id, Instant.now());
        long deadline = System.nanoTime() + REDELIVERY.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (world.telegram.deliverToWebhook(json) == 200) {
                    taken.putIfAbsent(id, Instant.now());
                    acknowledged.put(id, kind);
                    return;
                }
            } catch (RuntimeException e) {
                // down, or killed mid-request: Telegram posts it again
            }
            E2eWorld.sleep(250);
        }
        undeliverable.add("update " + id + " (" + kind + ") not taken with 200 within " + REDELIVERY);
        throw new GivenUp("undeliverable");
    }

    private int lastMessageId(long chat) {
        return world.telegram.messages(chat).stream().mapToInt(FakeTelegramServer.FakeMessage::messageId).max()
                .orElse(0);
    }

    /** A user's step: delivered, and kept to send again if the limiter refuses it. */
    private void send(long chat, Supplier<String> update, String kind) {
        int after = lastMessageId(chat);
        String json = update.get();
        com.google.gson.JsonObject u = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
        Optional<String> queryId = u.has("callback_query")
                ? Optional.of(u.getAsJsonObject("callback_query").get("id").getAsString()) : Optional.empty();
        lastSent.put(chat, new Sent(update, kind, after, queryId));
        deliver(json, kind);
    }

    /**
     * The answer {@code answer} finds, awaited up to {@link #PATIENCE} after the last step sent; a refusal of that
     * step by the limiter sends it again after the wait it names (up to {@link #RETRIES} times, then {@link Refused}),
     * an answer that two card requests are open ends the flow ({@link OpenRequests}), silence gives it up.
     */
    private <T> T waitFor(long chat, String what, Supplier<Optional<T>> answer) {
        int retries = 0;
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (int poll = 0; System.nanoTime() < deadline && !end.get(); poll++) {
            Optional<T> found = answer.get();
            if (found.isPresent()) {
                return found.get();
            }
            if (openRequestsAnswered(chat)) {
                throw new OpenRequests();
            }
            // a press's refusal is read from all the toasts: every half second is soon enough
            Optional<Duration> wait = poll % 5 == 4 ? refusal(chat) : Optional.empty();
            if (wait.isPresent()) {
                refusals.incrementAndGet();
                if (++retries > RETRIES) {
                    throw new Refused(what);
                }
                E2eWorld.sleep(wait.get().toMillis() + 200);
                Sent last = lastSent.get(chat);
                send(chat, last.update(), last.kind());
                deadline = System.nanoTime() + PATIENCE.toNanos();
                continue;
            }
            E2eWorld.sleep(100);
        }
        throw new GivenUp(what);
    }

    /** The wait the limiter named when it refused the last step sent to {@code chat}, if it did. */
    private Optional<Duration> refusal(long chat) {
        Sent last = lastSent.get(chat);
        if (last == null) {
            return Optional.empty();
        }
        List<String> said = last.queryId().isPresent()
                ? world.telegram.callsTo("answerCallbackQuery").stream()
                        .filter(c -> last.queryId().get().equals(c.param("callback_query_id")))
                        .map(c -> c.param("text")).toList()
                : world.telegram.messages(chat).stream().filter(m -> m.messageId() > last.after())
                        .map(FakeTelegramServer.FakeMessage::text).toList();
        return said.stream().filter(t -> t != null).map(LIMITED::matcher).filter(Matcher::find)
                .map(m -> Duration.ofSeconds(Long.parseLong(m.group(1)))).findFirst();
    }

    private boolean openRequestsAnswered(long chat) {
        Sent last = lastSent.get(chat);
        return last != null && world.telegram.messages(chat).stream().anyMatch(m -> m.messageId() > last.after()
                && m.text() != null && m.text().startsWith(OPEN_REQUESTS));
    }

    private void awaitNew(long chat, int after, Predicate<String> text, String what) {
        waitFor(chat, what, () -> world.telegram.messages(chat).stream()
                .filter(m -> m.messageId() > after && m.text() != null && text.test(m.text())).findFirst());
    }

    private Optional<E2eWorld.Pressable> button(long chat, int after, String label) {
        List<FakeTelegramServer.FakeMessage> ms = world.telegram.messages(chat);
        for (int i = ms.size() - 1; i >= 0; i--) {
            FakeTelegramServer.FakeMessage m = ms.get(i);
            if (m.messageId() <= after) {
                continue;
            }
            Optional<String> data = m.buttons().stream().flatMap(List::stream)
                    .filter(b -> b.text().contains(label) && b.callbackData().isPresent())
                    .map(b -> b.callbackData().get()).findFirst();
            if (data.isPresent()) {
                return Optional.of(new E2eWorld.Pressable(m.messageId(), data.get()));
            }
        }
        return Optional.empty();
    }

    private void press(long chat, int after, String label) {
        E2eWorld.Pressable b = waitFor(chat, "button " + label, () -> button(chat, after, label));
        send(chat, () -> updates.callback(chat, b.messageId(), b.data()), "callback");
    }

    // ---- the users ----------------------------------------------------------------------------------------------

    void adminStarts() {
        commandAnswered(ADMIN, "start", "Balance:", "admin's start");
    }

    private void start(long user) {
        commandAnswered(user, "start", "Balance:", "start answer");
    }

    private void balance(long user) {
        commandAnswered(user, "balance", "Balance", "balance answer");
    }

    /** {@code /command} sent, then a new message of the bot's containing {@code expected} awaited. */
    private void commandAnswered(long user, String command, String expected, String what) {
        int base = lastMessageId(user);
        send(user, () -> updates.command(user, command, ""), command);
        awaitNew(user, base, t -> t.contains(expected), what);
    }

    /** Nano Banana, a prompt, 1:1, confirmed: the price held and a task sent to Kie. */
    private void orderNanoBanana(long user) {
        int base = lastMessageId(user);
        send(user, () -> updates.command(user, "menu", ""), "menu");
        press(user, base, "Images");
        press(user, base, "Nano Banana ·");
        press(user, base, "▶️ Start");
        awaitNew(user, base, t -> t.contains("Send the text"), "prompt asked");
        send(user, () -> updates.text(user, "a red fox in the snow"), "prompt");
        press(user, base, "✓ 1:1");
        awaitNew(user, base, t -> t.contains("Check and confirm: Nano Banana"), "confirm");
        press(user, base, "Generate for");
        awaitNew(user, base, t -> t.contains("gen_"), "job started");
    }

    /** /topup (the terms accepted on the first), then the first package: a pre-checkout and its payment. */
    private int topUpMenu(long user) {
        int base = lastMessageId(user);
        send(user, () -> updates.command(user, "topup", ""), "topup");
        boolean terms = waitFor(user, "topup menu", () -> button(user, base, "I accept").map(b -> true)
                .or(() -> button(user, base, "for 50").map(b -> false)));
        if (terms) {
            press(user, base, "I accept");
        }
        return base;
    }

    private void topUpStars(long user, Random rnd) {
        int base = topUpMenu(user);
        long invoices = invoicesTo(user);
        press(user, base, "for 50\u00A0⭐");
        waitFor(user, "invoice", () -> invoicesTo(user) > invoices ? Optional.of(true) : Optional.empty());
        List<FakeTelegramServer.Call> sent = world.telegram.callsTo("sendInvoice").stream()
                .filter(c -> c.chatId() == user).toList();
        String payload = sent.get(sent.size() - 1).param("payload");
        String query = updates.preCheckout(user, payload, 50);
        long id = updateId(query);
        preCheckouts.put(id, new Asked(user, payload));
        deliver(query, "pre_checkout");
        String charge = "charge-" + user + "-" + Long.toHexString(rnd.nextLong()); // drawn either way: seeded flows
        if (!yesInTime(id)) {
            preCheckoutsCancelled.incrementAndGet();
            return;
        }
        charges.put(charge, user);
        deliver(updates.successfulPayment(user, payload, 50, charge), "successful_payment");
    }

    /**
     * Whether the bot said yes to pre-checkout {@code id} within Telegram's 10 s from its first post, as Telegram
     * requires before it takes the Stars and sends the payment: a query unanswered by then (the bot killed, its
     * restart slower than the window) or refused is cancelled, the user charged nothing and no payment sent.
     */
    private boolean yesInTime(long id) {
        Instant until = firstPosted.get(id).plus(PRE_CHECKOUT_WINDOW);
        while (true) {
            boolean yes = world.telegram.callsTo("answerPreCheckoutQuery").stream()
                    .filter(c -> ("pcq-" + id).equals(c.param("pre_checkout_query_id")))
                    .anyMatch(c -> !c.at().isAfter(until) && !"false".equalsIgnoreCase(c.param("ok")));
            if (yes || Instant.now().isAfter(until)) {
                return yes;
            }
            E2eWorld.sleep(100);
        }
    }

    /** /topup → Card / SBP → 500 ₽ → I paid: a request the admin is asked to confirm. */
    private void topUpByCard(long user) {
        int base = topUpMenu(user);
        press(user, base, "Card / SBP");
        awaitNew(user, base, t -> t.contains("Choose the amount"), "amount asked");
        press(user, base, "500\u00A0₽");
        awaitNew(user, base, t -> t.contains("transfer 500\u00A0₽"), "card instructions");
        press(user, base, "I paid");
        awaitNew(user, base, t -> t.contains("is with our admins"), "claim taken");
        cardClaims.incrementAndGet();
    }

    private long invoicesTo(long user) {
        return world.telegram.callsTo("sendInvoice").stream().filter(c -> c.chatId() == user).count();
    }

    /** One user until {@link #usersStop}: /start, a Stars top-up, then orders, top-ups and balance at random. */
    void user(long user, long seed) {
        Random rnd = new Random(seed);
        int done = 0;
        while (!usersStop.get()) {
            try {
                if (done == 0) {
                    start(user);
                } else if (done == 1) {
                    topUpStars(user, rnd);
                } else {
                    int r = rnd.nextInt(20);
                    if (r < 10) {
                        orderNanoBanana(user);
                    } else if (r < 13) {
                        topUpStars(user, rnd);
                    } else if (r < 15) {
                        topUpByCard(user);
                    } else {
                        balance(user);
                    }
                }
                done++;
                flowsDone.incrementAndGet();
            } catch (GivenUp e) {
                if (end.get()) { // a user sleeping out a refusal's wait, say, when the settling found all quiet
                    flowsCutByTheEnd.incrementAndGet();
                } else {
                    flowsGivenUp.computeIfAbsent(e.getMessage(), k -> new AtomicInteger()).incrementAndGet();
                }
            } catch (Refused e) {
                flowsRefused.computeIfAbsent(e.getMessage(), k -> new AtomicInteger()).incrementAndGet();
            } catch (OpenRequests e) {
                flowsOpenRequests.incrementAndGet();
            }
            E2eWorld.sleep(200 + rnd.nextInt(1500));
        }
    }

    // ---- the admin and Kie --------------------------------------------------------------------------------------

    /** The admin approves every card top-up request he is shown, once each, until {@link #end}. */
    void admin() {
        Set<Integer> pressed = ConcurrentHashMap.newKeySet();
        while (!end.get()) {
            for (FakeTelegramServer.FakeMessage m : world.telegram.messages(ADMIN)) {
                Optional<String> approve = m.buttons().stream().flatMap(List::stream)
                        .filter(b -> b.text().contains("Approve") && b.callbackData().isPresent())
                        .map(b -> b.callbackData().get()).findFirst();
                if (approve.isPresent() && pressed.add(m.messageId())) {
                    try {
                        deliver(updates.callback(ADMIN, m.messageId(), approve.get()), "callback");
                        approvals.incrementAndGet();
                    } catch (GivenUp e) {
                        pressed.remove(m.messageId());
                    }
                }
            }
            E2eWorld.sleep(300);
        }
    }

    /**
     * Kie until {@link #end}: one task in five fails, the rest succeed, and Kie calls back every task, as it does
     * for a create request with a callBackUrl (posted again until the runner takes it, as Kie retries). Three in five
     * are decided and called back at once; the other two succeed after two status reads, so polling finds them, and
     * their callback comes {@link #LATE_CALLBACK} later, most often for a job already delivered. A task whose
     * createTask answer a kill cut off is found only by its callback.
     */
    void kie(Random rnd) {
        Set<String> decided = ConcurrentHashMap.newKeySet();
        Map<String, Instant> toCallBack = new ConcurrentHashMap<>();
        while (!end.get()) {
            for (String t : world.kie.taskIds()) {
                if (!decided.add(t)) {
                    continue;
                }
                int r = rnd.nextInt(5);
                if (r == 0) {
                    world.kie.fail(t, "500", "internal error");
                    kieFailed.incrementAndGet();
                    toCallBack.put(t, Instant.now());
                } else if (r <= 2) {
                    world.kie.succeed(t);
                    toCallBack.put(t, Instant.now());
                } else {
                    toCallBack.put(t, Instant.now().plus(LATE_CALLBACK));
                }
            }
            Instant now = Instant.now();
            toCallBack.forEach((t, due) -> {
                if (due.isAfter(now)) {
                    return;
                }
                if (world.kie.task(t).state() != FakeKieServer.State.SUCCESS
                        && world.kie.task(t).state() != FakeKieServer.State.FAIL) {
                    world.kie.succeed(t); // not polled (yet): Kie finishes it all the same
                }
                try {
                    if (world.kie.callBack(t, Optional.of(KIE_HMAC), runnerBase.get()) == 200) {
                        toCallBack.remove(t);
                        kieCallbacks.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    // the runner is down: Kie tries again
                }
            });
            E2eWorld.sleep(300);
        }
    }

    String figures() {
        return "flows done " + flowsDone + ", given up " + flowsGivenUp + ", refused " + flowsRefused
                + " (the limiter's answers " + refusals + "), told of open requests " + flowsOpenRequests
                + ", cut by the end " + flowsCutByTheEnd + "; updates taken " + acknowledged.size()
                + "; Stars payments " + charges.size() + " (pre-checkouts cancelled, no yes in Telegram's 10 s "
                + preCheckoutsCancelled + "); card claims " + cardClaims + ", approvals " + approvals
                + "; Kie tasks " + world.kie.taskIds().size() + " (failed " + kieFailed + ", callbacks taken "
                + kieCallbacks + ")";
    }
}
