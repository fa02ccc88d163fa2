package dev.kiebot.core.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.pacing.ChatPacing;
import dev.kiebot.core.payments.AdminNotice;
import dev.kiebot.core.payments.ManualTopUp;
import dev.kiebot.core.payments.ManualTopUpCreation;
import dev.kiebot.core.payments.ManualTopUpDraft;
import dev.kiebot.core.payments.ManualTopUpState;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.core.support.SupportTicket;
import dev.kiebot.core.support.TicketAnswer;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.users.User;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One user's personal data forgotten ({@link dev.kiebot.core.users.PersonalData}): his name, what he wrote and sent,
 * his results, his receipts and his conversation go; his money, his payments and his generations' prices and states
 * stay, and the shop goes on reading them ({@code /balance}, {@code /history}, {@code /find}). Another user's data is
 * left alone. Extend it and return your whole stores, fresh and empty, over one database: a shop runs on them.
 */
public abstract class PersonalDataContract {
    private static final long U = 42;
    private static final long OTHER = 43;

    /** For your test class that extends it. */
    protected PersonalDataContract() {
    }

    /**
     * Fresh, empty stores, called before each test: a shop runs on them ({@code ShopHarness}).
     *
     * @param clock the shop's clock, which the ledger must read for each transfer's time
     * @return every store, empty, over one database
     */
    protected abstract Stores create(MutableClock clock);

    /**
     * What your inbox's store keeps of one update's body, as {@link #payloadOf} reads it from the store itself. A
     * sealed answer rather than an empty one: the update is stored (its id stays, so a re-delivery is known), so a
     * hook that cannot see it, or cannot see handled updates, answers {@link NotStored} and fails the test instead of
     * passing it unchecked.
     */
    public sealed interface StoredPayload {
        /**
         * The update is stored with this body (blank or not): the update waits, or your store keeps the bodies of
         * handled updates ({@code forget} must then blank his).
         *
         * @param payload its body as stored
         */
        record Kept(String payload) implements StoredPayload {
        }

        /** The update is stored, its body gone: your store keeps no body once an update is handled. */
        record Dropped() implements StoredPayload {
        }

        /** No such update stored: never the answer for an update recorded and not purged. */
        record NotStored() implements StoredPayload {
        }
    }

    /**
     * What your inbox's store keeps of an update's raw payload, read from the store itself (the port hands a payload
     * back only while the update waits): {@link #theBodiesOfHisHandledUpdatesGoAndAnotherChatsStay} checks with it that
     * {@code forget} leaves nothing of the user's Telegram JSON (his name, username, texts) in the updates of his chat
     * already handled. Read the update's row of the database the stores of the last {@link #create} are over; kiebot's
     * PostgreSQL test reads {@code processed_updates.payload} and {@code done_at}.
     *
     * @param updateId the update
     * @return its body as stored; {@link StoredPayload.Dropped} when the update is stored but your store dropped its
     *         body once handled; {@link StoredPayload.NotStored} when the update is not stored at all
     */
    protected abstract StoredPayload payloadOf(long updateId);

    /**
     * For a store that drops an update's body once handled ({@link #payloadOf} answers
     * {@link StoredPayload.Dropped}) but may still hold bodies an earlier version of it kept after handling: write
     * this handled update's body back as that version left it, so the test checks that {@code forget} blanks such
     * bodies too (kiebot's PostgreSQL store, whose builds before the handled-body blanking kept them, writes
     * {@code processed_updates.payload} back). The default does nothing: the test then checks the body stays dropped.
     *
     * @param updateId a handled update of the user's chat
     * @param payload  its body as it arrived
     */
    protected void keptByAnEarlierVersion(long updateId, String payload) {
    }

    private ShopHarness h;

    @BeforeEach
    void aShopOnTheStores() {
        h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN))
                .withAdmission(AdmissionPolicy.off()), ShopHarness.MANUAL, UnaryOperator.identity(), this::create)
                .startedByAdminAnd(U, OTHER);
        h.messenger.drain();
    }

    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    private Job delivered(long user) {
        return h.finishedFoxImage(user, new TaskStatus.Succeeded(new JobResult(List.of("https://files/out-" + user
                + ".png"), MediaKind.PHOTO)));
    }

    private SupportTicket ticketWithAnAnswer(long user) {
        SupportTicket t = h.stores.supportTickets().open("upd:t" + user, user, "call me at +7 916 123-45-67",
                h.clock.instant());
        h.stores.supportTickets().answered(new TicketAnswer(t.id(), ShopHarness.ADMIN, "Ivan, the money is back",
                h.clock.instant()));
        return t;
    }

    private ManualTopUp requestWithAReceipt(long user, String reference) {
        Instant now = h.clock.instant();
        ManualTopUp r = ((ManualTopUpCreation.Created) h.stores.manualTopUps().create(new ManualTopUpDraft(
                "upd:m" + user, user, user, 50_000, reference, now, now.plus(Duration.ofHours(24))), 3)).request();
        h.stores.manualTopUps().claimPaid(r.id());
        return h.stores.manualTopUps().attachReceipt(r.id(), "receipt-file-" + user, Optional.of("same-receipt"))
                .orElseThrow();
    }

    @Test
    void hisNamesWritingsResultsAndReceiptsGoAndHisMoneyStays() {
        h.paid50Stars(U, "charge-42");
        h.paid50Stars(OTHER, "charge-43");
        Job finished = delivered(U);
        Job othersJob = delivered(OTHER);
        SupportTicket ticket = ticketWithAnAnswer(U);
        SupportTicket othersTicket = ticketWithAnAnswer(OTHER);
        ManualTopUp request = requestWithAReceipt(U, "K-4242");
        ManualTopUp othersRequest = requestWithAReceipt(OTHER, "K-4343");
        h.foxImageToConfirm(U); // an order begun: the chat's state holds its prompt
        assertThat(h.stores.chatStates().load(U).orElseThrow()).contains("fox");
        long balance = h.balance(U);
        List<Transfer> money = h.stores.ledger().transfers(AccountId.wallet(U));
        User before = h.stores.users().find(U).orElseThrow();

        int underWay = h.stores.transactions().inOne(() -> h.stores.personalData().forget(U));

        assertThat(underWay).isZero();
        User after = h.stores.users().find(U).orElseThrow();
        assertThat(after.firstName()).isEmpty();
        assertThat(after.username()).isEmpty();
        assertThat(after).isEqualTo(new User(U, "", Optional.empty(), before.languageCode(),
                before.languageOverride(), before.termsAccepted(), before.blocked(), before.ban(), before.createdAt()));
        assertThat(h.stores.users().search("User42", 10)).isEmpty();
        Job forgotten = h.stored(finished);
        assertThat(forgotten.values()).isEmpty();
        assertThat(forgotten.files()).isEmpty();
        assertThat(forgotten.result().orElseThrow().urls()).isEmpty();
        assertThat(h.stores.jobs().deliveredFileIds(finished.id())).isEmpty();
        assertThat(forgotten.price()).isEqualTo(finished.price());
        assertThat(forgotten.state()).isEqualTo(finished.state());
        assertThat(h.stores.supportTickets().find(ticket.id()).orElseThrow().text()).isEqualTo("\u2014");
        assertThat(h.stores.supportTickets().answers(ticket.id())).extracting(TicketAnswer::text)
                .containsExactly("\u2014");
        ManualTopUp kept = h.stores.manualTopUps().find(request.id()).orElseThrow();
        assertThat(kept.receipt()).isEmpty();
        assertThat(kept.amount()).isEqualTo(50_000);
        assertThat(kept.reference()).isEqualTo("K-4242");
        assertThat(kept.state()).isEqualTo(request.state());
        assertThat(h.stores.manualTopUps().sharingAReceipt(othersRequest.id(), 10)).as("his receipt is no more")
                .isEmpty();
        assertThat(h.stores.chatStates().load(U)).isEmpty();
        assertThat(h.balance(U)).isEqualTo(balance);
        assertThat(h.stores.ledger().transfers(AccountId.wallet(U))).isEqualTo(money);
        assertThat(h.stores.payments().charges(U, 10)).as("his Stars payment, for its refund").hasSize(1);

        // the other user's data is his own
        assertThat(h.stores.users().find(OTHER).orElseThrow().firstName()).isEqualTo("User43");
        assertThat(h.stored(othersJob).values()).isEqualTo(othersJob.values());
        assertThat(h.stored(othersJob).result()).isEqualTo(othersJob.result());
        assertThat(h.stores.supportTickets().find(othersTicket.id()).orElseThrow().text())
                .isEqualTo(othersTicket.text());
        assertThat(h.stores.manualTopUps().find(othersRequest.id()).orElseThrow().receipt())
                .isEqualTo(othersRequest.receipt());

        // the shop reads what stays: his balance, his history, the admin's look-up
        assertThat(ShopHarness.lastText(h.command(U, "balance"))).contains("Balance");
        assertThat(ShopHarness.lastText(h.command(U, "history"))).contains(finished.id().display());
        assertThat(ShopHarness.lastText(h.admin("find", Long.toString(U)))).contains(Long.toString(U));
        assertThat(ShopHarness.lastText(h.admin("find", finished.id().display()))).contains(finished.id().display());
    }

    /**
     * A ban's reason, which may name the user or quote him, goes from the audit trail too (the ban's line keeps its
     * action, time, admin and the user's id); before, only the user's row lost it. Another user's ban line stays.
     */
    @Test
    void theBansReasonGoesFromTheAuditTrail() {
        h.admin("ban", U + " Ivan Petrov +7 916 123-45-67 spams");
        h.admin("ban", OTHER + " floods the support");

        h.stores.transactions().inOne(() -> h.stores.personalData().forget(U));

        assertThat(h.stores.audit().byCorrelation("ban:" + U)).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("user.banned");
            assertThat(e.detail()).isEqualTo(Long.toString(U));
        });
        assertThat(h.stores.audit().byCorrelation("ban:" + OTHER)).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo(OTHER + " floods the support"));
    }

    private ManualTopUp toldToTheAdmin(long user, String key, String reference, long messageId) {
        Instant now = h.clock.instant();
        ManualTopUp r = ((ManualTopUpCreation.Created) h.stores.manualTopUps().create(new ManualTopUpDraft(key, user,
                user, 50_000, reference, now, now.plus(Duration.ofHours(24))), 3)).request();
        h.stores.manualTopUps().addNotice(r.id(), new AdminNotice(ShopHarness.ADMIN));
        h.stores.pendingReplies().tag(ShopHarness.ADMIN, "manual:" + r.id(), messageId);
        return r;
    }

    /**
     * The admins' notices of his closed card / SBP requests go, and with each the tag of the admin's message that
     * showed his name; an open request keeps both (an admin still decides it, and the decision edits that message),
     * and another user's closed request keeps them until the upkeep's purge.
     */
    @Test
    void theNoticesOfHisClosedRequestsGoWithTheirTagsAndAnOpenOneKeepsThem() {
        ManualTopUp closed = toldToTheAdmin(U, "upd:n1", "K-1001", 501);
        h.stores.manualTopUps().decide(closed.id(), ManualTopUpState.DECLINED, ShopHarness.ADMIN, h.clock.instant());
        ManualTopUp open = toldToTheAdmin(U, "upd:n2", "K-1002", 502);
        ManualTopUp othersClosed = toldToTheAdmin(OTHER, "upd:n3", "K-1003", 503);
        h.stores.manualTopUps().decide(othersClosed.id(), ManualTopUpState.DECLINED, ShopHarness.ADMIN,
                h.clock.instant());

        h.stores.transactions().inOne(() -> h.stores.personalData().forget(U));

        PendingReplies outbox = h.stores.pendingReplies();
        assertThat(h.stores.manualTopUps().notices(closed.id())).isEmpty();
        assertThat(outbox.taggedMessage(ShopHarness.ADMIN, "manual:" + closed.id())).isEmpty();
        assertThat(h.stores.manualTopUps().find(closed.id()).orElseThrow().state()).isEqualTo(ManualTopUpState.DECLINED);
        assertThat(h.stores.manualTopUps().notices(open.id())).containsExactly(new AdminNotice(ShopHarness.ADMIN));
        assertThat(outbox.taggedMessage(ShopHarness.ADMIN, "manual:" + open.id())).contains(502L);
        assertThat(h.stores.manualTopUps().notices(othersClosed.id())).containsExactly(
                new AdminNotice(ShopHarness.ADMIN));
        assertThat(outbox.taggedMessage(ShopHarness.ADMIN, "manual:" + othersClosed.id())).contains(503L);
    }

    /** An admin's screen about a request, as ManualTopUpDesk queues it: edits the message tagged with it. */
    private static Outgoing adminScreen(ManualTopUp r, String text) {
        return new Outgoing(new Reply.SendText(ShopHarness.ADMIN, text, Keyboard.NONE),
                new Outgoing.Follow.Tagged("manual:" + r.id()));
    }

    /**
     * The screens about his closed card / SBP requests still queued to the admins told of them (his name and username
     * in each) go with the requests' notices and tags: sent with the tag gone, each would be a new message in the
     * admin's chat naming him. An open request's screen goes too, its notice and tag kept (an admin still decides it:
     * the shop queues its screen anew, his name blank); a text to the admin sent as a new message stays, and so does
     * the screen of another user's closed request.
     */
    @Test
    void theScreensAboutHisRequestsQueuedToTheAdminsGo() {
        ManualTopUp closed = toldToTheAdmin(U, "upd:s1", "K-2001", 601);
        h.stores.manualTopUps().decide(closed.id(), ManualTopUpState.DECLINED, ShopHarness.ADMIN, h.clock.instant());
        ManualTopUp open = toldToTheAdmin(U, "upd:s2", "K-2002", 602);
        ManualTopUp othersClosed = toldToTheAdmin(OTHER, "upd:s3", "K-2003", 603);
        h.stores.manualTopUps().decide(othersClosed.id(), ManualTopUpState.DECLINED, ShopHarness.ADMIN,
                h.clock.instant());
        PendingReplies outbox = h.stores.pendingReplies();
        outbox.dropQueue(ShopHarness.ADMIN);
        Outgoing closedScreen = adminScreen(closed, "Request K-2001: Ivan @ivan_petrov, declined");
        Outgoing plain = Outgoing.plain(new Reply.SendText(ShopHarness.ADMIN, "Ivan asked for help", Keyboard.NONE));
        Outgoing openScreen = adminScreen(open, "Request K-2002: Ivan @ivan_petrov, paid");
        Outgoing othersScreen = adminScreen(othersClosed, "Request K-2003: Petr @petr, declined");
        outbox.append(List.of(closedScreen, plain, openScreen, othersScreen), h.clock.instant());

        h.stores.transactions().inOne(() -> h.stores.personalData().forget(U));

        assertThat(outbox.dropQueue(ShopHarness.ADMIN)).containsExactly(plain, othersScreen);
        assertThat(h.stores.manualTopUps().notices(open.id())).containsExactly(new AdminNotice(ShopHarness.ADMIN));
        assertThat(outbox.taggedMessage(ShopHarness.ADMIN, "manual:" + open.id())).contains(602L);
    }

    /**
     * The screens still queued to his chat (an edit, a tagged text: they may quote his prompt or greet him by name)
     * go; what must still reach him stays, in order: the reply a sender holds (on the wire), a text sent as a new
     * message, a generation's result he paid for, its status, the answer to his press. Another chat's queue is left
     * alone.
     */
    @Test
    void theScreensQueuedToHisChatGoAndWhatMustStillReachHimStays() {
        PendingReplies outbox = h.stores.pendingReplies();
        Instant now = h.clock.instant();
        Outgoing onTheWire = Outgoing.plain(new Reply.SendText(U, "Ivan, your order", Keyboard.NONE));
        outbox.append(List.of(onTheWire), now);
        // at the latest turn its pacing may have set after the replies the harness sent him
        assertThat(outbox.claim(now.plus(ChatPacing.INTERVAL_MAX), Duration.ofMinutes(1))).hasValueSatisfying(
                q -> assertThat(q.outgoing()).isEqualTo(onTheWire));
        Reply.SendText link = new Reply.SendText(U, "https://files/out.png", Keyboard.NONE);
        Outgoing result = new Outgoing(new Reply.SendMedia(U, MediaKind.PHOTO, "https://files/out.png", "",
                Keyboard.NONE), new Outgoing.Follow.JobResult(new JobId(7), link));
        Outgoing status = new Outgoing(new Reply.SendText(U, "gen_7 is done", Keyboard.NONE),
                new Outgoing.Follow.JobStatus(new JobId(7)));
        Outgoing answer = Outgoing.plain(new Reply.AnswerCallback(U, "q-1", Optional.empty(), false));
        Outgoing others = Outgoing.plain(new Reply.SendText(OTHER, "Petr, a fox in the snow", Keyboard.NONE));
        Outgoing sent = Outgoing.plain(new Reply.SendText(U, "Your prompt: a fox in the snow", Keyboard.NONE));
        outbox.append(List.of(
                sent,
                result,
                Outgoing.plain(new Reply.EditText(U, 77, "Ivan, confirm: a fox in the snow", Keyboard.NONE)),
                status,
                new Outgoing(new Reply.SendText(U, "a screen", Keyboard.NONE), new Outgoing.Follow.Tagged("screen")),
                answer,
                others), now);

        h.stores.transactions().inOne(() -> h.stores.personalData().forget(U));

        assertThat(outbox.dropQueue(U)).containsExactly(onTheWire, sent, result, status, answer);
        assertThat(outbox.dropQueue(OTHER)).containsExactly(others);
    }

    /**
     * The notices that money moved, queued to his chat as the shop queues them ({@code outbox().send}: a text with
     * nothing to follow), still reach him after {@code /forget}: a top-up credited, a card / SBP request declined or
     * expired, a refund by support. The money moved; dropped, he would never be told.
     */
    @Test
    void theNoticesThatMoneyMovedStillReachHim() {
        PendingReplies outbox = h.stores.pendingReplies();
        List<Outgoing> notices = List.of(
                Outgoing.plain(new Reply.SendText(U, "\u2705 Баланс пополнен: +500,00 \u20bd. Теперь на балансе "
                        + "500,00 \u20bd.", Keyboard.NONE)),
                Outgoing.plain(new Reply.SendText(U, "Заявка №3 на 500,00 \u20bd отклонена.", Keyboard.NONE)),
                Outgoing.plain(new Reply.SendText(U, "Заявка №4 на 500,00 \u20bd истекла.", Keyboard.NONE)),
                Outgoing.plain(new Reply.SendText(U, "Поддержка вернула 50,00 \u20bd за ген 7.", Keyboard.NONE)));
        outbox.append(notices, h.clock.instant());

        h.stores.transactions().inOne(() -> h.stores.personalData().forget(U));

        assertThat(outbox.dropQueue(U)).containsExactlyElementsOf(notices);
    }

    /**
     * The retention of personal texts ({@code PersonalData.forgetOlder}, kiebot's {@code PERSONAL_DATA_DAYS}): what
     * {@code /forget} blanks is blanked for everyone's finished generations, support requests and closed top-up
     * requests older than the cutoff, at most the limit at a time and each once (so the passes end); a generation
     * under way, an open request and what is newer stay, and so does every money row.
     */
    @Test
    void personalTextsOlderThanTheCutoffAreBlankedALimitAtATimeAndTheMoneyStays() {
        h.topUp(U, 100_000);
        h.topUp(OTHER, 100_000);
        Job old = delivered(U);
        SupportTicket oldTicket = ticketWithAnAnswer(U);
        ManualTopUp closed = requestWithAReceipt(U, "K-4242");
        h.stores.manualTopUps().decide(closed.id(), ManualTopUpState.DECLINED, ShopHarness.ADMIN, h.clock.instant());
        ManualTopUp open = requestWithAReceipt(OTHER, "K-4343");
        h.clock.advance(Duration.ofDays(10));
        Instant cutoff = h.clock.instant().minus(Duration.ofDays(5));
        Job recent = delivered(OTHER);
        SupportTicket recentTicket = ticketWithAnAnswer(OTHER);
        Job running = h.runningFoxImage(U);
        long balance = h.balance(U);
        List<Transfer> money = h.stores.ledger().transfers(AccountId.wallet(U));

        int first = h.stores.transactions().inOne(() -> h.stores.personalData().forgetOlder(cutoff, 1));
        int rest = h.stores.transactions().inOne(() -> h.stores.personalData().forgetOlder(cutoff, 100));
        int again = h.stores.transactions().inOne(() -> h.stores.personalData().forgetOlder(cutoff, 100));

        assertThat(first).as("the limit holds").isEqualTo(1);
        assertThat(rest).as("the ticket and the closed request").isEqualTo(2);
        assertThat(again).as("each once: the passes end").isZero();
        Job blanked = h.stored(old);
        assertThat(blanked.values()).isEmpty();
        assertThat(blanked.files()).isEmpty();
        assertThat(blanked.result().orElseThrow().urls()).isEmpty();
        assertThat(h.stores.jobs().deliveredFileIds(old.id())).isEmpty();
        assertThat(blanked.price()).isEqualTo(old.price());
        assertThat(blanked.state()).isEqualTo(old.state());
        assertThat(h.stores.supportTickets().find(oldTicket.id()).orElseThrow().text()).isEqualTo("\u2014");
        assertThat(h.stores.supportTickets().answers(oldTicket.id())).extracting(TicketAnswer::text)
                .containsExactly("\u2014");
        ManualTopUp kept = h.stores.manualTopUps().find(closed.id()).orElseThrow();
        assertThat(kept.receipt()).isEmpty();
        assertThat(kept.amount()).isEqualTo(50_000);
        assertThat(kept.reference()).isEqualTo("K-4242");
        assertThat(h.stores.manualTopUps().find(open.id()).orElseThrow().receipt()).as("still open")
                .isEqualTo(open.receipt());
        assertThat(h.stored(recent).values()).isEqualTo(recent.values());
        assertThat(h.stored(recent).result()).isEqualTo(recent.result());
        assertThat(h.stores.supportTickets().find(recentTicket.id()).orElseThrow().text())
                .isEqualTo(recentTicket.text());

        Instant everything = h.clock.instant().plusSeconds(1);
        assertThat(h.stores.transactions().inOne(() -> h.stores.personalData().forgetOlder(everything, 100)))
                .as("the newer generation and ticket, never the generation under way").isEqualTo(2);
        assertThat(h.stored(running).values()).as("under way").isEqualTo(running.values()).isNotEmpty();
        assertThat(h.stored(recent).values()).isEmpty();
        assertThat(h.balance(U)).isEqualTo(balance);
        assertThat(h.stores.ledger().transfers(AccountId.wallet(U))).isEqualTo(money);
    }

    /** An update of the chat as Telegram sends it, the user's name, username and words in it. */
    private static String telegramUpdate(long updateId, long chat, String name, String text) {
        return "{\"update_id\":" + updateId + ",\"message\":{\"message_id\":12,\"from\":{\"id\":" + chat
                + ",\"is_bot\":false,\"first_name\":\"" + name + "\",\"last_name\":\"Petrov\",\"username\":\""
                + name.toLowerCase(Locale.ROOT) + "_petrov\",\"language_code\":\"ru\"},\"chat\":{\"id\":"
                + chat + ",\"first_name\":\"" + name + "\",\"type\":\"private\"},\"date\":1764500000,\"text\":\""
                + text + "\"}}";
    }

    /** Records the update and handles it, as core's {@code Inbox} does: claimed and marked done in one transaction. */
    private void handled(long updateId, long chat, String payload) {
        assertThat(h.stores.processedUpdates().record(updateId, chat, payload, h.clock.instant())).isTrue();
        h.stores.transactions().inOne(() -> {
            assertThat(h.stores.processedUpdates().reclaim(updateId)).isPresent();
            h.stores.processedUpdates().done(updateId, h.clock.instant());
            return null;
        });
    }

    /**
     * The bodies of his updates already handled go (the port lets a store drop a payload once handled; one that keeps
     * it keeps his Telegram JSON: his name, username and what he wrote); the update's id stays, so a re-delivery is
     * still known. An update of his not handled yet keeps its body (it is still to be handled), and another chat's
     * handled update is left as it was. {@link #payloadOf} must see his handled update, its body kept or dropped: a
     * hook that sees only waiting updates fails here rather than letting a store that keeps his body pass.
     */
    @Test
    void theBodiesOfHisHandledUpdatesGoAndAnotherChatsStay() {
        long his = 9_001;
        long others = 9_002;
        long waiting = 9_003;
        String hisBody = telegramUpdate(his, U, "Ivan", "a fox in the snow, call me at +7 916 123-45-67");
        handled(his, U, hisBody);
        handled(others, OTHER, telegramUpdate(others, OTHER, "Petr", "a cat on the roof"));
        String waitingBody = telegramUpdate(waiting, U, "Ivan", "and a wolf");
        assertThat(h.stores.processedUpdates().record(waiting, U, waitingBody, h.clock.instant())).isTrue();
        assertThat(payloadOf(waiting)).as("payloadOf reads the store: an update waiting keeps its body")
                .isEqualTo(new StoredPayload.Kept(waitingBody));
        if (payloadOf(his) instanceof StoredPayload.Dropped) {
            keptByAnEarlierVersion(his, hisBody);
        }
        StoredPayload hisBefore = payloadOf(his);
        assertThat(hisBefore).as("payloadOf sees his handled update: its body kept, or dropped once handled")
                .isIn(new StoredPayload.Kept(hisBody), new StoredPayload.Dropped());
        StoredPayload othersBefore = payloadOf(others);

        h.stores.transactions().inOne(() -> h.stores.personalData().forget(U));

        StoredPayload hisAfter = payloadOf(his);
        assertThat(hisAfter).as("his handled update is still stored").isNotEqualTo(new StoredPayload.NotStored());
        if (hisBefore instanceof StoredPayload.Dropped) {
            assertThat(hisAfter).as("a body dropped stays dropped").isEqualTo(new StoredPayload.Dropped());
        }
        if (hisAfter instanceof StoredPayload.Kept kept) {
            assertThat(kept.payload()).as("his handled update's body")
                    .doesNotContain("Ivan", "ivan_petrov", "Petrov", "fox", "916");
        }
        assertThat(payloadOf(waiting)).as("still to be handled").isEqualTo(new StoredPayload.Kept(waitingBody));
        assertThat(payloadOf(others)).as("another chat's").isEqualTo(othersBefore);
        assertThat(h.stores.processedUpdates().record(his, U, hisBody, h.clock.instant()))
                .as("its id stays: a re-delivery is known").isFalse();
    }

    /**
     * A result noted not sent (the note the shop writes when a send finds him blocked: {@code gen.result_unsent}, its
     * detail the job's number first, in his trail {@code unsent:<id>}) keeps its result past the retention's cutoff:
     * sent at his asking it goes by its URL, refunded should its file be gone; blanked, he was told it was erased,
     * paid and never got. His other finished generation is blanked.
     */
    @Test
    void theRetentionKeepsAResultNotedNotSent() {
        h.topUp(U, 100_000);
        Job unsent = delivered(U);
        Job got = delivered(U);
        h.stores.audit().record(new AuditEvent(h.clock.instant(), "user:" + U, "gen.result_unsent",
                unsent.id().display(), Optional.of("unsent:" + U)));
        h.clock.advance(Duration.ofDays(10));

        int blanked = h.stores.transactions().inOne(() -> h.stores.personalData().forgetOlder(
                h.clock.instant().minus(Duration.ofDays(5)), 100));

        assertThat(blanked).isEqualTo(1);
        assertThat(h.stored(unsent).result()).isEqualTo(unsent.result());
        assertThat(h.stored(got).result().orElseThrow().urls()).isEmpty();
    }

    /**
     * A support request nobody answered yet keeps its text past the retention's cutoff, however old: an admin is still
     * to read it and answer. Blanked, he read a dash.
     */
    @Test
    void theRetentionKeepsASupportRequestNobodyAnsweredYet() {
        SupportTicket unanswered = h.stores.supportTickets().open("upd:tq", U, "where is my money for gen_5?",
                h.clock.instant());
        SupportTicket answered = ticketWithAnAnswer(OTHER);
        h.clock.advance(Duration.ofDays(10));

        int blanked = h.stores.transactions().inOne(() -> h.stores.personalData().forgetOlder(
                h.clock.instant().minus(Duration.ofDays(5)), 100));

        assertThat(blanked).as("the answered one alone").isEqualTo(1);
        assertThat(h.stores.supportTickets().find(unanswered.id()).orElseThrow().text())
                .isEqualTo("where is my money for gen_5?");
        assertThat(h.stores.supportTickets().find(answered.id()).orElseThrow().text()).isEqualTo("\u2014");
    }

    /** The worker and the provider still need a running generation's inputs: it keeps them and is counted. */
    @Test
    void aGenerationUnderWayKeepsItsInputsAndIsCounted() {
        h.topUp(U, 100_000);
        Job running = h.runningFoxImage(U);

        int underWay = h.stores.transactions().inOne(() -> h.stores.personalData().forget(U));

        assertThat(underWay).isEqualTo(1);
        assertThat(h.stored(running).values()).isEqualTo(running.values());
        assertThat(h.stores.personalData().forget(OTHER + 1000)).as("a user not stored").isZero();
    }
}
