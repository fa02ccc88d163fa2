package dev.kiebot.core.testing;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.ChatKind;
import dev.kiebot.core.conversation.ChatSession;
import dev.kiebot.core.conversation.ChatSessions;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.pacing.ChatPacing;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.core.testing.memory.InMemoryStores;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A whole core shop in memory with scripted adapters; user 1 is an admin; card / SBP top-ups are offered. A test
 * drives it one update at a time ({@link #send} and the helpers built on it): each call handles the update, lets the
 * outbox deliver, and returns what it delivered. Make a new harness for each test: it keeps its stores.
 */
public final class ShopHarness {
    /** The user who is the admin of the settings the harness makes ({@link #admin} speaks as him). */
    public static final long ADMIN = 1;
    /** The bot's username the shop is told (links to its private chat). */
    public static final String BOT_USERNAME = "kie_test_bot";
    /** The harness's card / SBP settings: 100–100,000 ₽, expiring after 48 h. */
    public static final ManualPayments MANUAL = new ManualPayments(Optional.of("2200 0000 0000 0042"),
            Optional.of("+7 900 000-00-42"), Optional.of("Test Bank"), Optional.of("I. Ivanov"),
            ManualPayments.DEFAULT_MIN, ManualPayments.DEFAULT_MAX, ManualPayments.DEFAULT_EXPIRY);
    /**
     * The shop's clock, at 2026-11-21T10:00:00Z when the harness is made; the stores are made for it. Move it to make
     * deadlines, holds and leases fall due (then {@link #work} to let the job worker see them).
     */
    public final MutableClock clock = MutableClock.at("2026-11-21T10:00:00Z");
    /** Telegram: keeps every reply the outbox sends ({@link #send} returns them); script its faults here. */
    public final RecordingMessenger messenger = new RecordingMessenger();
    /** Kie: script each task's status, a failing submit or a held one here; it keeps every submit. */
    public final ScriptedProvider provider = new ScriptedProvider();
    /** Telegram's Stars refunds: each charge refunded once unless answers are scripted; every call kept. */
    public final ScriptedStarsRefunds starsRefunds = new ScriptedStarsRefunds();
    /** Telegram's list of the bot's Stars transactions: empty until a test adds some; every page asked kept. */
    public final ScriptedStarTransactions starTransactions = new ScriptedStarTransactions();
    /** Draws the admin's charts: keeps every chart asked for. */
    public final RecordingCharts charts = new RecordingCharts();
    /** What the shop runs on (in memory, or the constructor's {@code storesFor}'s): read what a flow wrote there. */
    public final Stores stores;
    /** The shop under test: its storefront handles the updates, its sender delivers, its worker moves the jobs. */
    public final Shop shop;
    private final Catalog catalog;
    private final ShopSettings settings;
    private final ManualPayments manual;
    private final AtomicLong updates = new AtomicLong(1000);
    private volatile String language = "en";

    /**
     * {@link TestCatalog}'s catalog, the default settings with {@link #ADMIN} as admin, card / SBP top-ups
     * ({@link #MANUAL}), in-memory stores; without the inbound limit: conversation tests send many events at one
     * instant (see {@link #withLimits}).
     */
    public ShopHarness() {
        this(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ADMIN))
                .withAdmission(AdmissionPolicy.off()));
    }

    /**
     * As {@link #ShopHarness()}, but with the production inbound limit and repeated-press window.
     *
     * @return the harness, in memory
     */
    public static ShopHarness withLimits() {
        return new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ADMIN)));
    }

    /**
     * With card top-ups when the settings name an admin to confirm them (a shop without one is refused them), over
     * in-memory stores.
     *
     * @param catalog  the models on sale ({@link TestCatalog#catalog()}, or a catalog of your own)
     * @param settings the shop's settings ({@code ShopSettings.defaults()} and what the test changes)
     */
    public ShopHarness(Catalog catalog, ShopSettings settings) {
        this(catalog, settings, settings.adminIds().isEmpty() ? ManualPayments.off() : MANUAL);
    }

    /**
     * Over in-memory stores.
     *
     * @param catalog  the models on sale ({@link TestCatalog#catalog()}, or a catalog of your own)
     * @param settings the shop's settings
     * @param manual   the card / SBP top-ups: {@link #MANUAL}, or {@code ManualPayments.off()} for none (their
     *                 confirmation needs an admin in {@code settings})
     */
    public ShopHarness(Catalog catalog, ShopSettings settings, ManualPayments manual) {
        this(catalog, settings, manual, UnaryOperator.identity());
    }

    /**
     * With {@code configure} applied last to the shop's builder (a setting of the builder's own, say), over
     * in-memory stores.
     *
     * @param catalog   the models on sale
     * @param settings  the shop's settings
     * @param manual    the card / SBP top-ups, or {@code ManualPayments.off()}
     * @param configure given the builder as the harness set it, returns it with the test's changes (e.g.
     *                  {@code b -> b.freeDailyTotal(1)}); {@code b -> b} for none
     */
    public ShopHarness(Catalog catalog, ShopSettings settings, ManualPayments manual,
                       UnaryOperator<Shop.Builder> configure) {
        this(catalog, settings, manual, configure, InMemoryStores::create);
    }

    /**
     * Over stores of your own, made for the harness's clock ({@code clock -> myStores(clock)}: your database, say),
     * instead of the in-memory ones: every flow of the harness then runs the shop on your stores, end to end (their
     * contract tests check each store alone). Give them empty, as each test starts a new harness.
     *
     * @param catalog   the models on sale
     * @param settings  the shop's settings
     * @param manual    the card / SBP top-ups, or {@code ManualPayments.off()}
     * @param configure given the builder as the harness set it, returns it with the test's changes; {@code b -> b}
     *                  for none
     * @param storesFor given the harness's {@link #clock}, returns empty stores whose ledger reads it; never null
     * @throws NullPointerException when {@code storesFor} gives null
     */
    public ShopHarness(Catalog catalog, ShopSettings settings, ManualPayments manual,
                       UnaryOperator<Shop.Builder> configure, Function<MutableClock, Stores> storesFor) {
        this.catalog = catalog;
        this.settings = settings;
        this.manual = manual;
        this.stores = java.util.Objects.requireNonNull(storesFor.apply(clock),
                "ShopHarness: storesFor gave null; give the stores the shop runs on");
        shop = build(stores, configure);
    }

    private Shop build(Stores over, UnaryOperator<Shop.Builder> configure) {
        // no per-chat pacing: the clock stands still in these tests (pacing has its own tests); the runners' free tier;
        // the calls after a commit (button answers, Stars refunds) on the serving thread, so that a test reads them
        // when serve returns (a shop's default runs them on threads of its own); a test's shop, so it may run on the
        // in-memory stores (inMemoryForTests: the builder refuses them otherwise)
        return configure.apply(Shop.builder().inMemoryForTests().catalog(catalog).answers(Runnable::run)
                .pricing(dev.kiebot.core.catalog.Pricing.defaults()).settings(settings).stores(over).messenger(messenger)
                .freeDailyLimit(dev.kiebot.core.catalog.FreeTier.DEFAULT_DAILY_LIMIT)
                .provider(provider).files(new FakeFiles()).starsRefunds(starsRefunds)
                .starTransactions(starTransactions).charts(charts)
                .manualPayments(manual).botUsername(Optional.of(BOT_USERNAME)).clock(clock)
                .chatPacing(new ChatPacing(java.time.Duration.ZERO, 1))
                .botPacing(dev.kiebot.core.pacing.BotPacing.unlimited())).build();
    }

    /**
     * A second instance of the bot over the same stores, as {@code change} hands them to it (a store wrapped to do
     * something at a chosen moment), with the same adapters: two instances handling updates at once. What it queues
     * goes out with {@link #deliver}, like the first one's.
     *
     * @param change given the harness's stores, returns the second instance's ({@code s -> s} for the same,
     *               {@code s -> s.withJobs(...)} for one wrapped)
     * @return the second instance, built as the first
     */
    public Shop anotherInstance(UnaryOperator<Stores> change) {
        return build(change.apply(stores), UnaryOperator.identity());
    }

    /**
     * A second instance over the same stores, built with {@code configure} applied last (its threads, say).
     *
     * @param change    given the harness's stores, returns the second instance's
     * @param configure given its builder as the harness set it, returns it with the test's changes
     * @return the second instance
     */
    public Shop anotherInstance(UnaryOperator<Stores> change, UnaryOperator<Shop.Builder> configure) {
        return build(change.apply(stores), configure);
    }

    /**
     * {@link #ADMIN} and then each of {@code userIds} have sent /start: the usual beginning of a shop test.
     *
     * @param userIds the users, in the order they start
     * @return this harness
     */
    public ShopHarness startedByAdminAnd(long... userIds) {
        command(ADMIN, "start");
        for (long userId : userIds) {
            command(userId, "start");
        }
        return this;
    }

    /**
     * A user writing from their private chat, with a client set to {@code language}.
     *
     * @param userId   the user, also his chat
     * @param language his Telegram's language code ({@code "ru"}, {@code "en"})
     * @return the actor, named {@code User<id>}, without a username
     */
    public static Actor actor(long userId, String language) {
        return new Actor(userId, userId, "User" + userId, Optional.empty(), Optional.of(language));
    }

    /**
     * Users write from a Telegram set to {@code language} from now on ("en" until this is called).
     *
     * @param language the language code their updates carry
     * @return this harness
     */
    public ShopHarness speaking(String language) {
        this.language = language;
        return this;
    }

    /**
     * Handles one event from the user and returns the replies it produced, once the outbox delivered them.
     *
     * @param userId the user, writing from his private chat
     * @param event  what he did
     * @return the replies delivered during this call, to any chat (his, an admin's told), in order; replies
     *         delivered before and not read are dropped
     */
    public List<Reply> send(long userId, Event event) {
        return sendAs(actor(userId, language), event);
    }

    /**
     * As {@link #send}, from the actor given (a name or username of the test's choosing).
     *
     * @param actor who writes, and from which chat
     * @param event what he did
     * @return the replies delivered during this call, in order
     */
    public List<Reply> sendAs(Actor actor, Event event) {
        messenger.drain();
        shop.storefront().serve(new Incoming(updates.incrementAndGet(), actor, event));
        deliver();
        return messenger.drain();
    }

    /**
     * Handles one event from the user written in a chat of {@code kind} ({@code chatId}: the group's, negative) and
     * returns the replies it produced, once the outbox delivered them.
     *
     * @param kind   the chat's kind
     * @param chatId the chat
     * @param userId the member who wrote
     * @param event  what he did
     * @return the replies delivered during this call, in order
     */
    public List<Reply> sendIn(ChatKind kind, long chatId, long userId, Event event) {
        return serveInChat(inChat(chatId, userId, event).in(kind));
    }

    /**
     * As {@link #sendIn}, written in a forum topic ({@code topic}: its thread id) of the supergroup {@code chatId}.
     *
     * @param chatId the supergroup, negative
     * @param topic  the topic's thread id
     * @param userId the member who wrote
     * @param event  what he did
     * @return the replies delivered during this call, in order
     */
    public List<Reply> sendInTopic(long chatId, long topic, long userId, Event event) {
        return serveInChat(inChat(chatId, userId, event).in(ChatKind.SUPERGROUP).inTopic(topic));
    }

    private Incoming inChat(long chatId, long userId, Event event) {
        Actor a = actor(userId, language);
        return new Incoming(updates.incrementAndGet(),
                new Actor(userId, chatId, a.firstName(), a.username(), a.languageCode()), event);
    }

    private List<Reply> serveInChat(Incoming in) {
        messenger.drain();
        shop.storefront().serve(in);
        deliver();
        return messenger.drain();
    }

    /**
     * Lets the outbox deliver everything due now (the sender's threads do this in a running bot).
     *
     * @return how many replies the outbox sent
     */
    public int deliver() {
        return shop.sender().drain(10_000);
    }

    /**
     * One pass of the job worker over up to {@code limit} due jobs, and the outbox's deliveries. What they send stays
     * in {@link #messenger}: read it with {@code messenger.drain()} before the next {@link #send}, which drops it.
     *
     * @param limit the most jobs to take in this pass
     * @return how many jobs the worker looked at
     */
    public int work(int limit) {
        int n = shop.worker().runOnce(limit);
        deliver();
        return n;
    }

    /**
     * Handles one event and delivers its replies without draining what was sent before (updates racing): read them
     * from {@link #messenger}.
     *
     * @param userId the user, writing from his private chat
     * @param event  what he did
     */
    public void handle(long userId, Event event) {
        shop.storefront().serve(new Incoming(updates.incrementAndGet(), actor(userId, language), event));
        deliver();
    }

    /**
     * {@link #send} of a text message.
     *
     * @param userId the user
     * @param text   what he typed
     * @return the replies delivered during this call, in order
     */
    public List<Reply> text(long userId, String text) {
        return send(userId, new Event.Text(text));
    }

    /**
     * {@link #send} of {@code /name} without arguments.
     *
     * @param userId the user
     * @param name   the command without the slash ({@code "start"})
     * @return the replies delivered during this call, in order
     */
    public List<Reply> command(long userId, String name) {
        return send(userId, new Event.Command(name, ""));
    }

    /**
     * Presses a button by its callback data, as under a message of the bot's.
     *
     * @param userId the user
     * @param data   the button's data ({@link #button} finds it by its text)
     * @return the replies delivered during this call, in order
     */
    public List<Reply> press(long userId, String data) {
        return send(userId, new Event.Callback("q" + updates.get(), data, Optional.of(1L)));
    }

    /**
     * Credits the user's wallet, as a Stars top-up would, without a word to him.
     *
     * @param userId the user
     * @param amount in minor units (kopecks)
     */
    public void topUp(long userId, long amount) {
        stores.ledger().transfer("test-topup-" + updates.incrementAndGet(), AccountId.STARS_CLEARING,
                AccountId.wallet(userId), amount, TransferKind.TOP_UP_STARS);
    }

    /**
     * The user asks for a 50 ⭐ invoice as a user does: {@code /topup}, accepts the terms, picks 50 ⭐ (the
     * settings must offer that package).
     *
     * @param userId the user
     * @return the payload of the invoice the bot sent
     */
    public String invoiceFor50Stars(long userId) {
        command(userId, "topup");
        press(userId, "*|y");
        return press(userId, "*|t|50").stream().filter(Reply.SendInvoice.class::isInstance)
                .map(i -> ((Reply.SendInvoice) i).payload()).findFirst().orElseThrow();
    }

    /**
     * {@link #invoiceFor50Stars} and then Telegram's report that the user paid it.
     *
     * @param userId   the user
     * @param chargeId Telegram's id of the charge (what a refund names)
     * @return the payload of the paid invoice
     */
    public String paid50Stars(long userId, String chargeId) {
        String payload = invoiceFor50Stars(userId);
        send(userId, new Event.SuccessfulPayment(chargeId, payload, "XTR", 50));
        return payload;
    }

    /**
     * The user orders an image from {@link TestCatalog}'s {@code img/m9}: opens the model, writes the prompt "fox",
     * picks the aspect 1:1 and presses Generate (the wallet must hold its price).
     *
     * @param userId the user
     * @return the replies to Generate
     */
    public List<Reply> orderAFoxImage(long userId) {
        return press(userId, button(foxImageToConfirm(userId), "Generate"));
    }

    /**
     * A fox image ordered up to its confirmation (prompt «fox», 1:1), not confirmed.
     *
     * @param userId the user
     * @return the confirmation
     */
    public List<Reply> foxImageToConfirm(long userId) {
        press(userId, "*|g|img/m9");
        return press(userId, button(text(userId, "fox"), "1:1"));
    }

    /**
     * {@link #runningFoxImage}, then the provider answers {@code done} and, 5 s later, the job worker's pass delivers
     * it.
     *
     * @param userId the user
     * @param done   the provider's answer: the task's result
     * @return the job as stored then
     */
    public Job finishedFoxImage(long userId, TaskStatus.Succeeded done) {
        Job job = runningFoxImage(userId);
        provider.set(job.taskId().orElseThrow(), done);
        clock.advance(java.time.Duration.ofSeconds(5));
        work(10);
        return stores.jobs().find(job.id()).orElseThrow();
    }

    /**
     * {@link #orderAFoxImage}, then the job worker's pass: the job submitted to the provider, its result not in yet.
     *
     * @param userId the user
     * @return the job as stored then, with its task id
     */
    public Job runningFoxImage(long userId) {
        orderAFoxImage(userId);
        Job job = lastJob(userId);
        work(10);
        return stores.jobs().find(job.id()).orElseThrow();
    }

    /**
     * The job as stored now.
     *
     * @param job a job the store holds
     * @return its current row
     */
    public Job stored(Job job) {
        return stores.jobs().find(job.id()).orElseThrow();
    }

    /**
     * The user's newest job (the one an order just made).
     *
     * @param userId the user
     * @return the job as stored now
     * @throws IndexOutOfBoundsException when the user has none
     */
    public Job lastJob(long userId) {
        return stores.jobs().recent(userId, 1).get(0);
    }

    /**
     * Audit lines as a writer recorded them, maybe an older version: each {@code {action, detail}}, by {@code actor}
     * ({@code "system"}, {@code "admin:***1"}, {@code "***42"}), under {@code correlation}, now.
     *
     * @param actor       who did it, as the audit writes him
     * @param correlation the occasion's id ({@code "gen_12"}, say)
     * @param lines       each line's action and detail
     */
    public void recordAudit(String actor, String correlation, List<String[]> lines) {
        for (String[] line : lines) {
            stores.audit().record(new dev.kiebot.core.audit.AuditEvent(clock.instant(), actor, line[0], line[1],
                    Optional.of(correlation)));
        }
    }

    /**
     * The user's available balance (held money not counted).
     *
     * @param userId the user
     * @return in minor units
     */
    public long balance(long userId) {
        return stores.ledger().balance(AccountId.wallet(userId)).available();
    }

    /**
     * The chat's saved session.
     *
     * @param chatId the chat (a user's private chat has his id)
     * @return where the conversation stands
     * @throws java.util.NoSuchElementException when the chat never had one
     */
    public ChatSession session(long chatId) {
        return sessions().load(chatId).orElseThrow();
    }

    /**
     * The chats' sessions as core keeps them in the stores: a test sets one up, or reads one that may be missing.
     *
     * @return the sessions in {@link #stores}
     */
    public ChatSessions sessions() {
        return new ChatSessions(stores.chatStates());
    }

    /**
     * Callback data of the first button whose text contains {@code label}, across the replies.
     *
     * @param replies what a call returned
     * @param label   part of the button's text
     * @return the data to {@link #press}
     * @throws AssertionError when no button has it
     */
    public static String button(List<Reply> replies, String label) {
        return buttons(replies).filter(b -> b.text().contains(label) && b.data().isPresent())
                .map(b -> b.data().get()).findFirst()
                .orElseThrow(() -> new AssertionError("no button '" + label + "' in " + replies));
    }

    /**
     * Callback data of the first button whose data contains {@code part} (a payment's reference, say, where the
     * labels are alike), across the replies.
     *
     * @param replies what a call returned
     * @param part    part of the button's data
     * @return the data to {@link #press}
     * @throws AssertionError when no button has it
     */
    public static String buttonWithData(List<Reply> replies, String part) {
        return buttons(replies).flatMap(b -> b.data().stream()).filter(d -> d.contains(part)).findFirst()
                .orElseThrow(() -> new AssertionError("no button with '" + part + "' in " + replies));
    }

    /**
     * The texts of the buttons under the replies (sent, edited, or under a media), in order.
     *
     * @param replies what a call returned
     * @return each button's text, link buttons' too
     */
    public static List<String> buttonTexts(List<Reply> replies) {
        return buttons(replies).map(dev.kiebot.core.reply.Button::text).toList();
    }

    private static java.util.stream.Stream<dev.kiebot.core.reply.Button> buttons(List<Reply> replies) {
        return replies.stream().map(r -> r instanceof Reply.SendText t ? t.keyboard()
                        : r instanceof Reply.EditText e ? e.keyboard()
                        : r instanceof Reply.SendMedia m ? m.keyboard() : dev.kiebot.core.reply.Keyboard.NONE)
                .flatMap(kb -> kb.buttons().stream());
    }

    /**
     * {@link #lastText} of the replies to one chat (an admin's answer, say, beside what the user was told).
     *
     * @param replies what a call returned
     * @param chatId  the chat
     * @return the text of its last message sent or edited
     * @throws AssertionError when it got none
     */
    public static String lastTextTo(List<Reply> replies, long chatId) {
        return lastText(replies.stream().filter(r -> r.chatId() == chatId).toList());
    }

    /**
     * An admin's command ({@link #ADMIN}'s), with its arguments as typed after it.
     *
     * @param command the command without the slash ({@code "refund"})
     * @param args    what follows it, {@code ""} for none
     * @return the replies delivered during this call, in order
     */
    public List<Reply> admin(String command, String args) {
        return send(ADMIN, new Event.Command(command, args));
    }

    /**
     * An admin's {@code /topup_user} or {@code /debit_user} ({@link #ADMIN}'s), confirmed: the command, which moves
     * nothing and shows whom and how much, then its «Начислить» / «Списать» («Credit» / «Take off») pressed.
     *
     * @param command {@code "topup_user"} or {@code "debit_user"}
     * @param args    the user's id and the amount, as typed after the command
     * @return the replies to the press (the admin's «Done», the user's notice); the command's own when it showed
     *         nothing to confirm (the usage, an unknown user, an amount refused)
     */
    public List<Reply> adminConfirmed(String command, String args) {
        List<Reply> asked = admin(command, args);
        Optional<String> move = moneyButton(asked);
        return move.isPresent() ? press(ADMIN, move.get()) : asked;
    }

    /**
     * A button pressed by {@link #ADMIN} whose answer is a confirmation (a Stars payment list's «💸 Вернуть»), then
     * that confirmation's own button pressed.
     *
     * @param data the button's data
     * @return the replies to the confirmation's press; the first press's own when it showed nothing to confirm
     */
    public List<Reply> adminPressConfirmed(String data) {
        List<Reply> asked = press(ADMIN, data);
        Optional<String> move = moneyButton(asked);
        return move.isPresent() ? press(ADMIN, move.get()) : asked;
    }

    /**
     * The data of the button that confirms an admin's money command ({@link #movesMoney}) under the replies.
     *
     * @param replies the command's replies
     * @return the button's data; empty when the command showed nothing to confirm
     */
    public static Optional<String> moneyButton(List<Reply> replies) {
        return buttons(replies).map(dev.kiebot.core.reply.Button::data).flatMap(Optional::stream)
                .filter(ShopHarness::movesMoney).findFirst();
    }

    /**
     * Whether a button's data confirms an admin's credit or debit ({@link #adminConfirmed}).
     *
     * @param data the button's callback data
     * @return true for «Начислить» / «Списать» under an admin's {@code /topup_user} or {@code /debit_user}, «Вернуть»
     *         under a {@code /refund} or {@code /refund_stars}
     */
    public static boolean movesMoney(String data) {
        return dev.kiebot.core.reply.CallbackData.parse(data)
                .flatMap(dev.kiebot.core.reply.CallbackData::named)
                .filter(a -> a == dev.kiebot.core.reply.CallbackAction.MOVE_MONEY).isPresent();
    }

    /**
     * The text of the last message sent or edited among {@code replies}.
     *
     * @param replies what a call returned
     * @return its text
     * @throws AssertionError when none is a text
     */
    public static String lastText(List<Reply> replies) {
        for (int i = replies.size() - 1; i >= 0; i--) {
            Reply r = replies.get(i);
            if (r instanceof Reply.SendText t) {
                return t.text();
            }
            if (r instanceof Reply.EditText e) {
                return e.text();
            }
        }
        throw new AssertionError("no text in " + replies);
    }
}
