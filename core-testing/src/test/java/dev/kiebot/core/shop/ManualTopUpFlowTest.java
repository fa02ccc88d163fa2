package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.buttonTexts;
import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.ChatState;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.MediaType;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.payments.ManualTopUp;
import dev.kiebot.core.payments.ManualTopUpState;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Card / SBP top-ups: request, "I paid", receipt, an admin's decision, expiry; one credit whatever happens. */
class ManualTopUpFlowTest {
    private static final long U = 42;
    private static final long ADMIN_2 = 2;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN, ADMIN_2))
                .withSupport("@shop_help", Optional.empty()).withAdmission(AdmissionPolicy.off()));
        h.command(ShopHarness.ADMIN, "start");
        h.command(ADMIN_2, "start");
        h.command(U, "start");
    }

    /** Whatever a test did with money, the ledger keeps its invariants. */
    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /** /topup → accept → Card / SBP → 500 ₽. @return the instructions */
    private List<Reply> request500() {
        h.command(U, "topup");
        h.press(U, "*|y");
        List<Reply> amounts = h.press(U, "*|$");
        assertThat(lastText(amounts)).contains("100\u00A0₽", "100,000\u00A0₽");
        return h.press(U, button(amounts, "500\u00A0₽"));
    }

    private ManualTopUp stored() {
        return h.stores.manualTopUps().recent(U, 1).get(0);
    }

    /** The request's audit trail, what /find tells of it. */
    private List<String> auditActions() {
        return h.stores.audit().byCorrelation("manual" + stored().display()).stream().map(e -> e.action()).toList();
    }

    private long credits() {
        return h.stores.ledger().transfers(AccountId.wallet(U)).stream()
                .filter(t -> t.kind() == TransferKind.TOP_UP_MANUAL).count();
    }

    private static List<Reply> to(List<Reply> replies, long chat) {
        return replies.stream().filter(r -> r.chatId() == chat).toList();
    }

    /**
     * A ban shuts the shop, not the money already on its way: «I paid» and the receipt photo of his own open request
     * pass, nothing else does (a made-up or a closed request's press opens no way for the next message).
     */
    @Test
    void aRequestMadeBeforeABanIsStillReportedPaidWithItsReceiptAndCredited() {
        List<Reply> instructions = request500();
        ManualTopUp r = stored();
        h.admin("ban", Long.toString(U));
        assertThat(lastText(h.command(U, "topup"))).as("no new request").startsWith("⛔");
        assertThat(h.press(U, "*|!|99")).as("a made-up request").singleElement().isInstanceOfSatisfying(
                Reply.AnswerCallback.class, a -> assertThat(a.text().orElseThrow()).startsWith("⛔"));
        assertThat(lastText(h.send(U, photo("not-a-receipt")))).startsWith("⛔");
        assertThat(h.press(U, h.session(U).version() + "|!|" + r.id())).as("his own request's «I paid» made versioned")
                .singleElement().isInstanceOfSatisfying(Reply.AnswerCallback.class,
                        a -> assertThat(a.text().orElseThrow()).startsWith("⛔"));

        List<Reply> claimed = h.press(U, button(instructions, "I paid"));
        assertThat(lastText(to(claimed, U))).contains("is with our admins");
        assertThat(lastText(to(claimed, ShopHarness.ADMIN))).contains("Top-up request #" + r.id(), "paid, waiting",
                "⛔ This user is banned from the bot; the request was made before the ban, the decision is yours.");
        assertThat(lastText(h.text(U, "500"))).as("a text is not the receipt").startsWith("⛔");
        List<Reply> receipt = h.send(U, photo("receipt-file"));
        assertThat(lastText(to(receipt, U))).contains("Receipt for request #" + r.id() + " received");
        assertThat(lastText(h.send(U, photo("another")))).as("only the receipt itself passes").startsWith("⛔");

        h.press(ADMIN_2, button(claimed, "Approve"));
        assertThat(h.balance(U)).isEqualTo(50_000);
        assertThat(credits()).isEqualTo(1);
        assertThat(h.press(U, button(instructions, "I paid"))).as("the request is closed").singleElement()
                .isInstanceOfSatisfying(Reply.AnswerCallback.class,
                        a -> assertThat(a.text().orElseThrow()).startsWith("⛔"));
    }

    /**
     * A number typed after «I paid» (the amount, the card's last digits, the transfer's number) is no job's number:
     * the receipt is asked for again and still taken after it. It was «generation gen_500 not found», and the chat
     * went to the menu, where the photo sent next was no receipt. The number of one of his jobs shows it, and the
     * receipt is still taken.
     */
    @Test
    void aNumberTypedForTheReceiptIsAnsweredWithTheReceiptAskedNotAsAJobsNumber() {
        h.topUp(U, 10_000);
        Job own = h.runningFoxImage(U);
        h.press(U, button(request500(), "I paid"));
        String hint = new Texts().get("en", Msg.MANUAL_RECEIPT_HINT);
        assertThat(lastText(h.text(U, "500"))).isEqualTo(hint);
        assertThat(lastText(h.text(U, "4242"))).isEqualTo(hint);
        assertThat(lastText(h.text(U, Long.toString(own.id().value())))).contains(own.id().display());
        assertThat(h.session(U).state()).isInstanceOf(ChatState.ManualReceipt.class);
        h.send(U, photo("receipt-file"));
        assertThat(stored().receipt()).contains("receipt-file");
    }

    /**
     * A location or a contact sent while the receipt is awaited after «I paid»: the receipt is asked for again (a photo
     * or a file from the bank) and still taken after it. The chat went to the menu, the request untouched, and the
     * screen that takes the receipt was lost.
     */
    @Test
    void aLocationOrAContactWhileTheReceiptIsAwaitedAsksForTheReceiptAgain() {
        h.press(U, button(request500(), "I paid"));
        String hint = new Texts().get("en", Msg.MANUAL_RECEIPT_HINT);
        for (String kind : List.of("location", "contact")) {
            assertThat(lastText(h.send(U, new Event.Unknown(kind)))).as(kind).isEqualTo(hint);
            assertThat(h.session(U).state()).as(kind).isInstanceOf(ChatState.ManualReceipt.class);
        }
        assertThat(stored().state()).isEqualTo(ManualTopUpState.CLAIMED_PAID);
        h.send(U, photo("receipt-file"));
        assertThat(stored().receipt()).contains("receipt-file");
    }

    /**
     * /cancel after «I paid» cancels nothing: the request stays with the admins, who credit it after their check. It
     * was answered «Cancelled.», and the user took the request for cancelled (a review's finding). He is told so, at
     * the menu, and a receipt sent later still reaches the request.
     */
    @Test
    void cancelAfterIPaidSaysTheRequestStaysWithTheAdminsAndItsReceiptIsStillTaken() {
        h.press(U, button(request500(), "I paid"));
        ManualTopUp r = stored();

        List<Reply> answer = h.command(U, "cancel");

        assertThat(lastText(answer)).isEqualTo(new Texts().get("en", Msg.MANUAL_CANCEL_CLAIMED,
                Texts.numbered("en", r.id()))).contains("#" + r.id());
        assertThat(buttonTexts(answer)).as("the menu").contains(new Texts().get("en", Msg.MENU_TOPUP));
        assertThat(h.session(U).state()).isInstanceOf(ChatState.Menu.class);
        assertThat(stored().state()).isEqualTo(ManualTopUpState.CLAIMED_PAID);
        assertThat(lastText(h.send(U, photo("later-receipt")))).contains("request #" + r.id() + " received");
        assertThat(stored().receipt()).contains("later-receipt");
        assertThat(lastText(h.command(U, "cancel"))).as("nothing awaited any more")
                .isEqualTo("There is nothing to cancel — here is the menu.");
    }

    private static Event.Media photo(String fileId) {
        return new Event.Media(MediaType.PHOTO, fileId, 50_000, Optional.empty(), Optional.empty());
    }

    @Test
    void aPaidRequestIsApprovedOnceAndEveryAdminSeesTheOutcome() {
        List<Reply> instructions = request500();
        ManualTopUp r = stored();
        assertThat(r.state()).isEqualTo(ManualTopUpState.REQUESTED);
        assertThat(r.amount()).isEqualTo(50_000);
        assertThat(lastText(instructions)).contains("#" + r.id(), "500\u00A0₽", r.reference(), "2200 0000 0000 0042",
                "Test Bank", "I. Ivanov", "+7 900 000-00-42", "valid for 48\u00A0hours");

        List<Reply> claimed = h.press(U, button(instructions, "I paid"));
        assertThat(lastText(to(claimed, U))).contains("is with our admins");
        for (long admin : List.of(ShopHarness.ADMIN, ADMIN_2)) {
            assertThat(lastText(to(claimed, admin))).contains("Top-up request #" + r.id(), "500\u00A0₽",
                    r.reference(), "paid, waiting for a check");
        }
        assertThat(h.stores.manualTopUps().notices(r.id())).hasSize(2);

        List<Reply> receipt = h.send(U, new Event.Media(MediaType.PHOTO, "receipt-file", 50_000, Optional.empty(),
                Optional.empty()));
        assertThat(lastText(to(receipt, U))).contains("Receipt for request #" + r.id() + " received");
        assertThat(to(receipt, ShopHarness.ADMIN)).anySatisfy(x -> assertThat(x)
                .isInstanceOfSatisfying(Reply.SendMedia.class, m -> assertThat(m.source()).isEqualTo("receipt-file")));
        assertThat(to(receipt, ShopHarness.ADMIN)).anySatisfy(x -> assertThat(x)
                .isInstanceOfSatisfying(Reply.EditText.class, e -> assertThat(e.text()).contains("Receipt: 🧾")));

        List<Reply> approved = h.press(ADMIN_2, button(claimed, "Approve"));
        assertThat(lastText(to(approved, U))).contains("Balance topped up: +500\u00A0₽");
        assertThat(approved).filteredOn(Reply.EditText.class::isInstance).hasSize(2)
                .allSatisfy(e -> assertThat(((Reply.EditText) e).text()).contains("approved · User" + ADMIN_2)
                        .doesNotContain("waiting"))
                .allSatisfy(e -> assertThat(((Reply.EditText) e).keyboard().isEmpty()).isTrue());
        assertThat(h.balance(U)).isEqualTo(50_000);
        assertThat(stored().state()).isEqualTo(ManualTopUpState.APPROVED);
        assertThat(stored().decidedBy()).contains(ADMIN_2);

        // a double tap, and the other admin's late press: nothing more
        assertThat(lastText(to(h.press(ADMIN_2, button(claimed, "Approve")), ADMIN_2))).contains("already approved");
        assertThat(lastText(to(h.press(ShopHarness.ADMIN, button(claimed, "Decline")), ShopHarness.ADMIN)))
                .contains("already approved");
        assertThat(h.balance(U)).isEqualTo(50_000);
        assertThat(credits()).isEqualTo(1);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * Banks' apps share a receipt as a PDF, and an image sent as a file keeps a document's id, which Telegram refuses
     * to send on as a photo («type of file mismatch»): the admins got no receipt while their message said there was one.
     */
    @Test
    void aReceiptSentAsAFileReachesTheAdminsAsAFile() {
        List<Reply> instructions = request500();
        h.press(U, button(instructions, "I paid"));
        List<Reply> other = h.send(U, new Event.Media(MediaType.DOCUMENT, "archive", 5_000,
                Optional.of("application/zip"), Optional.of("receipt.zip")));
        assertThat(lastText(to(other, U))).contains("the bank's file");
        assertThat(stored().receipt()).isEmpty();

        List<Reply> pdf = h.send(U, new Event.Media(MediaType.DOCUMENT, "receipt-pdf", 60_000,
                Optional.of("application/pdf"), Optional.of("Чек.pdf")));
        assertThat(lastText(to(pdf, U))).contains("Receipt for request #" + stored().id() + " received");
        for (long admin : List.of(ShopHarness.ADMIN, ADMIN_2)) {
            assertThat(to(pdf, admin)).anySatisfy(x -> assertThat(x).isInstanceOfSatisfying(Reply.SendMedia.class,
                    m -> assertThat(m).extracting(Reply.SendMedia::kind, Reply.SendMedia::source)
                            .containsExactly(MediaKind.DOCUMENT, "receipt-pdf")));
        }

        h.press(U, button(instructions, "I paid"));
        List<Reply> image = h.send(U, new Event.Media(MediaType.DOCUMENT, "receipt-png", 60_000,
                Optional.of("image/png"), Optional.of("screen.png")));
        assertThat(to(image, ShopHarness.ADMIN)).anySatisfy(x -> assertThat(x).isInstanceOfSatisfying(
                Reply.SendMedia.class, m -> assertThat(m.kind()).isEqualTo(MediaKind.DOCUMENT)));
    }

    /** A user cannot fill every admin's chat with receipts: three per request reach them, then the user is told. */
    @Test
    void threeReceiptsOfARequestReachTheAdminsAndNoMore() {
        List<Reply> instructions = request500();
        List<Reply> last = List.of();
        int forwarded = 0;
        for (int i = 1; i <= ManualTopUpDesk.RECEIPTS_MAX + 2; i++) {
            h.press(U, button(instructions, "I paid"));
            last = h.send(U, new Event.Media(MediaType.PHOTO, "receipt-" + i, 50_000, Optional.empty(),
                    Optional.empty()));
            forwarded += (int) to(last, ShopHarness.ADMIN).stream().filter(Reply.SendMedia.class::isInstance).count();
        }
        assertThat(forwarded).isEqualTo(ManualTopUpDesk.RECEIPTS_MAX);
        assertThat(lastText(to(last, U))).contains("The admins already have receipts for request #" + stored().id());
        assertThat(stored().receipt()).contains("receipt-" + ManualTopUpDesk.RECEIPTS_MAX);
        assertThat(stored().state()).isEqualTo(ManualTopUpState.CLAIMED_PAID);
    }

    /** What each admin's message about a request reads after {@code replies} (the outbox's edits and new messages). */
    private static List<String> adminMessages(List<Reply> replies, long admin, long requestNumber) {
        return to(replies, admin).stream().map(r -> r instanceof Reply.EditText e ? e.text()
                        : r instanceof Reply.SendText t ? t.text() : "")
                .filter(t -> t.startsWith("💳 Top-up request #" + requestNumber + "\n")).toList();
    }

    /**
     * One transfer's receipt sent for two requests (two 500 ₽ requests, one payment, «I paid» on both and the same
     * screenshot to each: Telegram gives each send a file id of its own, the same {@code file_unique_id}): the receipt
     * is taken, but every admin's message about either request names the other, so two approvals no longer credit
     * 1000 ₽ for one transfer unseen. The user is not told (no hint to a cheater), and the warning stays on the
     * message through the decision.
     */
    @Test
    void oneReceiptSentForTwoRequestsIsPointedOutInEveryAdminsMessagesNotToTheUser() {
        List<Reply> first = request500();
        ManualTopUp r1 = stored();
        h.press(U, button(first, "I paid"));
        List<Reply> firstReceipt = h.send(U, photo("receipt-sent-once").withUniqueId("AQADsame"));
        assertThat(firstReceipt.toString()).doesNotContain("⚠️");
        List<Reply> second = request500();
        ManualTopUp r2 = stored();
        h.press(U, button(second, "I paid"));

        List<Reply> again = h.send(U, photo("receipt-sent-twice").withUniqueId("AQADsame"));

        assertThat(h.stores.manualTopUps().find(r2.id()).orElseThrow().receipt()).contains("receipt-sent-twice");
        assertThat(lastText(to(again, U))).contains("Receipt for request #" + r2.id() + " received")
                .doesNotContain("⚠️", "#" + r1.id());
        for (long admin : List.of(ShopHarness.ADMIN, ADMIN_2)) {
            assertThat(adminMessages(again, admin, r2.id())).as("request #2's message").last().asString()
                    .contains("\n⚠️ The same receipt was also sent for request #" + r1.id() + " (user User" + U
                            + ", ID " + U + "), which is paid, waiting for a check.");
            assertThat(adminMessages(again, admin, r1.id())).as("request #1's message, shown before, now says it too")
                    .last().asString().contains("⚠️ The same receipt was also sent for request #" + r2.id());
        }
        List<Reply> approved = h.press(ADMIN_2, CardRequests.approve(r1));
        assertThat(adminMessages(approved, ShopHarness.ADMIN, r1.id())).last().asString()
                .contains("approved", "also sent for request #" + r2.id());
        List<Reply> declined = h.press(ShopHarness.ADMIN, CardRequests.decline(r2));
        assertThat(adminMessages(declined, ADMIN_2, r2.id())).last().asString()
                .contains("declined", "also sent for request #" + r1.id() + " (user User" + U + ", ID " + U
                        + "), which is approved.");
        assertThat(h.balance(U)).isEqualTo(50_000);
    }

    /** The same receipt sent twice for the same request (a user unsure it arrived) is no warning. */
    @Test
    void theSameReceiptSentAgainForTheSameRequestIsNoWarning() {
        h.press(U, button(request500(), "I paid"));
        List<Reply> once = h.send(U, photo("receipt-1").withUniqueId("AQADsame"));
        List<Reply> twice = h.send(U, photo("receipt-2").withUniqueId("AQADsame"));
        assertThat(lastText(to(twice, U))).contains("Receipt added to request #" + stored().id());
        assertThat(adminMessages(twice, ShopHarness.ADMIN, stored().id())).isNotEmpty()
                .allSatisfy(t -> assertThat(t).contains("Receipt: 🧾").doesNotContain("⚠️"));
        assertThat(once.toString() + twice).doesNotContain("⚠️");
    }

    private long forwarded(List<Reply> replies) {
        return to(replies, ShopHarness.ADMIN).stream().filter(Reply.SendMedia.class::isInstance).count();
    }

    private static Event.Media pdf(String fileId) {
        return new Event.Media(MediaType.DOCUMENT, fileId, 60_000, Optional.of("application/pdf"),
                Optional.of("Receipt.pdf"));
    }

    private static Event.Media inAlbum(String fileId, String album) {
        return photo(fileId).inAlbum(album);
    }

    /**
     * After the first receipt the chat is back at the menu, and a second screenshot got «I cannot use this kind of
     * message here» though a request takes three: the user took it for lost. The request is found in the store, and
     * each receipt up to three reaches the admins, then the user learns that this one did not.
     */
    @Test
    void receiptsAfterTheFirstAreAddedToTheOpenRequestUpToThree() {
        List<Reply> instructions = request500();
        h.press(U, button(instructions, "I paid"));
        assertThat(lastText(to(h.send(U, photo("receipt-1")), U))).contains("Receipt for request #" + stored().id()
                + " received");
        assertThat(h.session(U).state()).isInstanceOf(ChatState.Menu.class);

        List<Reply> second = h.send(U, photo("receipt-2"));
        assertThat(lastText(to(second, U))).isEqualTo("🧾 Receipt added to request #" + stored().id()
                + " and sent to the admins, thank you.");
        assertThat(to(second, ADMIN_2)).anySatisfy(x -> assertThat(x).isInstanceOfSatisfying(Reply.SendMedia.class,
                m -> assertThat(m.source()).isEqualTo("receipt-2")));
        List<Reply> third = h.send(U, new Event.Media(MediaType.DOCUMENT, "receipt-3", 60_000,
                Optional.of("application/pdf"), Optional.of("Чек.pdf")));
        assertThat(lastText(to(third, U))).contains("Receipt added to request #" + stored().id());
        assertThat(to(third, ShopHarness.ADMIN)).anySatisfy(x -> assertThat(x).isInstanceOfSatisfying(
                Reply.SendMedia.class, m -> assertThat(m.kind()).isEqualTo(MediaKind.DOCUMENT)));

        List<Reply> fourth = h.send(U, photo("receipt-4"));
        assertThat(lastText(to(fourth, U))).contains("The admins already have receipts for request #" + stored().id(),
                "up to 3\u00A0receipts per request, so this one was not passed on");
        assertThat(forwarded(fourth)).isZero();
        assertThat(stored().receipt()).contains("receipt-3");
        assertThat(auditActions()).containsExactly("manual.requested", "manual.claimed_paid", "manual.receipt",
                "manual.receipt", "manual.receipt");

        h.press(ShopHarness.ADMIN, CardRequests.approve(stored()));
        assertThat(lastText(h.send(U, photo("after")))).as("no open request: no receipt").contains(
                "I take photos and files only for a model that needs them");
    }

    /**
     * A receipt sent before «I paid» was refused as any photo at the menu; then it reported the request paid, so any
     * photo at the menu (a screenshot of a problem after /paysupport) marked an unpaid request paid and told every
     * admin. Now it is answered with the request's «I paid»: nothing reported, nothing forwarded; after the button the
     * receipt sent again reaches the admins.
     */
    @Test
    void aReceiptSentBeforeIPaidIsAnsweredWithTheRequestsIPaidAndReportsNothing() {
        request500();
        ManualTopUp r = stored();
        h.messenger.drain();
        List<Reply> receipt = h.send(U, photo("receipt-file"));
        assertThat(to(receipt, U)).singleElement().satisfies(x -> assertThat(lastText(List.of(x))).isEqualTo(
                "🧾 Request #" + r.id() + " for 500\u00A0₽ is not marked paid yet. If this is its receipt, press"
                        + " “✅ I paid” and send it again."));
        assertThat(to(receipt, ShopHarness.ADMIN)).isEmpty();
        assertThat(stored().state()).isEqualTo(ManualTopUpState.REQUESTED);
        assertThat(stored().receipt()).isEmpty();
        assertThat(auditActions()).containsExactly("manual.requested");

        List<Reply> paid = h.press(U, button(receipt, "I paid: request #" + r.id()));
        assertThat(lastText(to(paid, U))).contains("is with our admins");
        List<Reply> again = h.send(U, photo("receipt-file"));
        assertThat(lastText(to(again, U))).contains("Receipt for request #" + r.id() + " received");
        List<Reply> decisions = new ArrayList<>(paid);
        decisions.addAll(again);
        for (long admin : List.of(ShopHarness.ADMIN, ADMIN_2)) {
            assertThat(to(decisions, admin)).anySatisfy(x -> assertThat(x).isInstanceOfSatisfying(
                    Reply.SendMedia.class, m -> assertThat(m.source()).isEqualTo("receipt-file")));
        }
        assertThat(auditActions()).containsExactly("manual.requested", "manual.claimed_paid", "manual.receipt");
    }

    /**
     * A request waits unpaid up to its expiry (48 hours), and any photo at the menu got «Request … is not marked paid
     * yet» meanwhile, one meant for a model or for nothing included. Soon after the request a photo is still asked
     * about as its receipt; later it gets the menu's answer (with the request's «I paid» under a line: it may be the
     * receipt still), nothing reported. A request reported paid takes its receipt whenever it comes.
     */
    @Test
    void aPhotoAtTheMenuLongAfterAnUnpaidRequestIsNoReceipt() {
        request500();
        ManualTopUp r = stored();
        h.clock.advance(Duration.ofMinutes(50));
        assertThat(lastText(to(h.send(U, photo("soon")), U))).contains("not marked paid yet");
        h.clock.advance(Duration.ofMinutes(20));
        List<Reply> later = h.send(U, photo("a-picture"));
        assertThat(lastText(to(later, U))).contains("I take photos and files only for a model that needs them")
                .doesNotContain("not marked paid");
        assertThat(forwarded(later)).isZero();
        assertThat(stored().state()).isEqualTo(ManualTopUpState.REQUESTED);

        h.press(U, button(later, "I paid: request #" + r.id()));
        h.send(U, photo("receipt-1"));
        h.clock.advance(Duration.ofHours(5));
        assertThat(lastText(to(h.send(U, photo("receipt-2")), U))).contains("Receipt added to request #" + r.id());
    }

    /**
     * A request is valid for 48 hours: one paid a day after it, the receipt sent before «I paid», got only «I cannot
     * use this kind of message here», the request's message far up the chat. The menu's answer names the request and
     * brings its «I paid» (each request's, with two open; once for an album); nothing reaches the admins, nothing is
     * reported paid.
     */
    @Test
    void aReceiptSentADayAfterItsRequestBeforeIPaidGetsTheRequestsButtonWithTheMenu() {
        request500();
        ManualTopUp first = stored();
        h.clock.advance(Duration.ofHours(20));
        List<Reply> pdf = to(h.send(U, new Event.Media(MediaType.DOCUMENT, "receipt-pdf", 60_000,
                Optional.of("application/pdf"), Optional.of("Receipt.pdf"))), U);
        assertThat(lastText(pdf)).startsWith("I take photos and files only for a model that needs them").endsWith(
                "\n\n🧾 If this is the receipt for request #" + first.id()
                        + ", press “✅ I paid” (under the request or here) and send it again.");
        assertThat(buttonTexts(pdf)).startsWith("✅ I paid: request #" + first.id()).contains("🔥 Popular");

        request500();
        ManualTopUp second = stored();
        h.clock.advance(Duration.ofHours(2));
        List<Reply> album = new ArrayList<>();
        album.addAll(h.send(U, inAlbum("receipt-1", "album-1")));
        album.addAll(h.send(U, inAlbum("receipt-2", "album-1")));
        assertThat(to(album, U)).singleElement().satisfies(x -> assertThat(lastText(List.of(x))).endsWith(
                "🧾 If this is the receipt for one of your requests, press “✅ I paid” for it (under it or here) and send"
                        + " it again."));
        assertThat(buttonTexts(album)).startsWith("✅ I paid: request #" + second.id(),
                "✅ I paid: request #" + first.id());
        assertThat(forwarded(album) + forwarded(pdf)).isZero();
        assertThat(h.stores.manualTopUps().recent(U, 10)).allSatisfy(r -> assertThat(r.state())
                .isEqualTo(ManualTopUpState.REQUESTED));

        h.press(U, button(album, "I paid: request #" + first.id()));
        assertThat(lastText(to(h.send(U, photo("receipt-1")), U))).contains("request #" + first.id());
        assertThat(h.stores.manualTopUps().find(first.id()).orElseThrow().receipt()).contains("receipt-1");
    }

    /**
     * On a model's card a bank's PDF sent past the request's hour began an order and was refused there as no photo,
     * with no word of the request; a photo on the card of a model that takes none the same. The refusal brings the
     * line and the request's «I paid», as the menu's answer does. A photo on the card of a model taking photos is the
     * order's input, with no line under it.
     */
    @Test
    void aReceiptOnAModelsCardThatTakesNoSuchFileGetsTheRequestsButtonLongAfterItsRequest() {
        request500();
        ManualTopUp r = stored();
        String late = "\n\n🧾 If this is the receipt for request #" + r.id()
                + ", press “✅ I paid” (under the request or here) and send it again.";
        h.clock.advance(Duration.ofHours(3));
        h.press(U, "*|v|edit/pro");
        List<Reply> pdf = to(h.send(U, pdf("receipt-pdf")), U);
        assertThat(lastText(pdf)).startsWith(new Texts().get("en", Msg.NEED_PHOTO)).endsWith(late);
        assertThat(buttonTexts(pdf)).startsWith("✅ I paid: request #" + r.id());

        h.command(U, "cancel");
        h.press(U, "*|v|img/m1");
        List<Reply> shot = to(h.send(U, photo("bank-screenshot")), U);
        assertThat(lastText(shot)).as("a text model's card").endsWith(late);
        assertThat(buttonTexts(shot)).startsWith("✅ I paid: request #" + r.id());

        h.command(U, "cancel");
        h.press(U, "*|v|edit/pro");
        List<Reply> cat = to(h.send(U, photo("cat-photo")), U);
        assertThat(lastText(cat)).doesNotContain("🧾");
        assertThat(buttonTexts(cat)).noneMatch(b -> b.contains("I paid"));
        assertThat(h.session(U).state()).isInstanceOfSatisfying(ChatState.Collecting.class,
                c -> assertThat(c.files().values()).containsExactly(List.of("cat-photo")));
        assertThat(forwarded(pdf) + forwarded(shot) + forwarded(cat)).isZero();
        assertThat(stored().state()).isEqualTo(ManualTopUpState.REQUESTED);

        h.press(U, button(pdf, "I paid: request #" + r.id()));
        assertThat(lastText(to(h.send(U, pdf("receipt-pdf")), U))).contains("Receipt for request #" + r.id());
        assertThat(stored().receipt()).contains("receipt-pdf");
    }

    /**
     * A user who went to top up again and sent his receipt at the amount question, or at the Stars packages, long
     * after his request got «Amount needed» or «Choose with the buttons» alone. The answer brings the line and the
     * request's «I paid» over the screen's own buttons; the screen stays.
     */
    @Test
    void aReceiptAtTheAmountQuestionOrTheStarsPackagesGetsTheRequestsButtonLongAfterItsRequest() {
        request500();
        ManualTopUp r = stored();
        String late = "\n\n🧾 If this is the receipt for request #" + r.id()
                + ", press “✅ I paid” (under the request or here) and send it again.";
        h.clock.advance(Duration.ofHours(3));
        h.command(U, "topup");
        assertThat(h.session(U).state()).isInstanceOf(ChatState.TopUp.class);
        List<Reply> stars = to(h.send(U, photo("receipt-1")), U);
        assertThat(lastText(stars)).startsWith(new Texts().get("en", Msg.EXPECTED_BUTTON)).contains("Telegram Stars")
                .endsWith(late);
        assertThat(buttonTexts(stars)).startsWith("✅ I paid: request #" + r.id()).anyMatch(b -> b.contains("⭐"));
        assertThat(h.session(U).state()).isInstanceOf(ChatState.TopUp.class);

        h.press(U, "*|$");
        List<Reply> amount = to(h.send(U, pdf("receipt-pdf")), U);
        assertThat(lastText(amount)).startsWith(new Texts().get("en", Msg.NEED_AMOUNT)).endsWith(late);
        assertThat(buttonTexts(amount)).startsWith("✅ I paid: request #" + r.id()).contains("500\u00A0₽");
        assertThat(h.session(U).state()).isInstanceOf(ChatState.ManualAmount.class);
        assertThat(forwarded(stars) + forwarded(amount)).isZero();
        assertThat(stored().state()).isEqualTo(ManualTopUpState.REQUESTED);

        h.press(U, button(amount, "I paid: request #" + r.id()));
        assertThat(lastText(to(h.send(U, photo("receipt-1")), U))).contains("Receipt for request #" + r.id());
    }

    /** A video order up to its sound question: the description and the length given. @return that question */
    private List<Reply> videoOrderAtItsSoundQuestion() {
        h.press(U, "*|g|kling/video");
        List<Reply> sound = h.press(U, button(h.text(U, "a fox runs"), "10"));
        assertThat(lastText(sound)).contains("Sound effects");
        return sound;
    }

    /** The video order asked on from its sound question: its confirmation. @return that screen */
    private List<Reply> videoOrderConfirmedFrom(List<Reply> soundQuestion) {
        assertThat(lastText(soundQuestion)).contains("Sound effects");
        return h.press(U, button(h.press(U, button(soundQuestion, "Yes")), "Default"));
    }

    /**
     * «✅ I paid» pressed in the middle of an order (under the request up the chat, or its line under a model's
     * question) is a detour like a top-up: the order waits for «↩️ Back to my generation» with its answers. The chat
     * went to the receipt and the order with it: the description and every option were to be given again. The
     * request's money goes as it would: reported paid, the receipt with it, credited once on approval.
     */
    @Test
    void iPaidPressedMidOrderKeepsTheOrderForTheWayBack() {
        List<Reply> instructions = request500();
        ManualTopUp r = stored();
        videoOrderAtItsSoundQuestion();

        List<Reply> claimed = h.press(U, button(instructions, "I paid"));
        assertThat(lastText(to(claimed, U))).contains("is with our admins");
        assertThat(lastText(to(h.send(U, photo("receipt-file")), U)))
                .contains("Receipt for request #" + r.id() + " received");
        assertThat(stored().state()).isEqualTo(ManualTopUpState.CLAIMED_PAID);
        assertThat(stored().receipt()).contains("receipt-file");
        assertThat(h.balance(U)).isZero();

        List<Reply> back = h.press(U, button(h.command(U, "menu"), "Back to my generation"));
        assertThat(lastText(videoOrderConfirmedFrom(back))).contains("a fox runs", "10", "171.60\u00A0₽");

        h.press(ADMIN_2, button(claimed, "Approve"));
        assertThat(h.balance(U)).isEqualTo(50_000);
        assertThat(credits()).isEqualTo(1);
    }

    /**
     * The answers to «✅ I paid» and to the receipt, come in the middle of an order, take the user back to it
     * («↩️ Back to my generation», as the message that the money arrived does): he found the way only at the menu.
     * With no order kept they have «🏠 Menu» alone (they had no button, the persistent menu the only way on), and a
     * banned user, whose request's «I paid» and receipt still pass, gets none: the order is not his to go on with.
     */
    @Test
    void theAnswersToIPaidAndToItsReceiptMidOrderTakeTheUserBackToIt() {
        List<Reply> instructions = request500();
        ManualTopUp r = stored();
        assertThat(buttonTexts(to(h.press(U, button(instructions, "I paid")), U))).as("no order")
                .containsExactly("🏠 Menu");
        h.command(U, "menu");

        videoOrderAtItsSoundQuestion();
        List<Reply> claimed = to(h.press(U, button(instructions, "I paid")), U);
        assertThat(lastText(claimed)).contains("is with our admins");
        assertThat(buttonTexts(claimed)).containsExactly("↩️ Back to my generation", "🏠 Menu");
        List<Reply> receipt = to(h.send(U, photo("receipt-file")), U);
        assertThat(lastText(receipt)).contains("Receipt for request #" + r.id() + " received");
        assertThat(buttonTexts(receipt)).containsExactly("↩️ Back to my generation", "🏠 Menu");
        assertThat(lastText(videoOrderConfirmedFrom(h.press(U, button(receipt, "Back to my generation")))))
                .contains("a fox runs", "171.60\u00A0₽");

        videoOrderAtItsSoundQuestion();
        h.admin("ban", Long.toString(U));
        assertThat(buttonTexts(to(h.press(U, button(instructions, "I paid")), U))).as("banned").isEmpty();
        assertThat(buttonTexts(to(h.send(U, photo("receipt-2")), U))).as("banned").isEmpty();
        assertThat(stored().state()).isEqualTo(ManualTopUpState.CLAIMED_PAID);
    }

    /**
     * «🏠 Menu» under «Thank you! Request #N is with our admins… You may send … the receipt here» brings the menu as a
     * new message below it: the request's number and the word that a receipt may still come stay in the chat (the
     * press edited them into the menu), and a receipt sent after the menu is still the request's.
     */
    @Test
    void theMenuUnderIPaidsAnswerComesBelowItAndTheReceiptIsStillTaken() {
        List<Reply> instructions = request500();
        ManualTopUp r = stored();
        List<Reply> claimed = to(h.press(U, button(instructions, "I paid")), U);
        List<Reply> menu = to(h.press(U, button(claimed, "Menu")), U);
        assertThat(menu).noneMatch(Reply.EditText.class::isInstance);
        assertThat(lastText(menu)).contains("Main menu");
        assertThat(lastText(to(h.send(U, photo("receipt-file")), U)))
                .contains("Receipt for request #" + r.id() + " received");
        assertThat(stored().receipt()).contains("receipt-file");
    }

    /**
     * At a model's question (the video's sound, after its description and length) a bank's PDF, or a photo for a model
     * that takes none, was refused as no answer with no word of the request: the receipt line and the request's «I
     * paid» now come under the question asked again, as on a model's card, and the answers so far stay. A PDF there
     * is asked about as a receipt first, as on a card: within the request's hour, and once the request is reported
     * paid, when it is taken for it with the question's buttons still good.
     */
    @Test
    void aReceiptAtAModelsQuestionGetsTheRequestsButtonAndKeepsTheAnswers() {
        request500();
        ManualTopUp r = stored();
        List<Reply> sound = videoOrderAtItsSoundQuestion();
        assertThat(lastText(to(h.send(U, pdf("receipt-pdf")), U))).as("within the hour")
                .startsWith("🧾 Request #" + r.id() + " for 500\u00A0₽ is not marked paid yet.");

        String late = "\n\n🧾 If this is the receipt for request #" + r.id()
                + ", press “✅ I paid” (under the request or here) and send it again.";
        h.clock.advance(Duration.ofHours(3));
        for (Event.Media file : List.of(pdf("receipt-pdf"), photo("bank-screenshot"))) {
            List<Reply> refused = to(h.send(U, file), U);
            assertThat(lastText(refused)).as(file.fileId()).startsWith(new Texts().get("en", Msg.EXPECTED_BUTTON))
                    .contains("Sound effects").endsWith(late);
            assertThat(buttonTexts(refused)).as(file.fileId()).startsWith("✅ I paid: request #" + r.id())
                    .anyMatch(b -> b.contains("Yes"));
            assertThat(h.session(U).state()).as(file.fileId()).isInstanceOfSatisfying(ChatState.Collecting.class,
                    c -> assertThat(c.values()).containsEntry("prompt", "a fox runs").containsEntry("duration", "10"));
            assertThat(forwarded(refused)).isZero();
            sound = refused;
        }
        assertThat(stored().state()).isEqualTo(ManualTopUpState.REQUESTED);

        h.press(U, button(sound, "I paid: request #" + r.id()));
        List<Reply> received = to(h.send(U, pdf("receipt-pdf")), U);
        assertThat(lastText(received)).contains("Receipt for request #" + r.id() + " received");
        List<Reply> back = h.press(U, button(received, "Back to my generation"));
        List<Reply> added = to(h.send(U, pdf("receipt-pdf-2")), U);
        assertThat(lastText(added)).as("reported paid").contains("Receipt added to request #" + r.id());
        assertThat(stored().receipt()).contains("receipt-pdf-2");
        assertThat(lastText(videoOrderConfirmedFrom(back))).contains("a fox runs", "171.60\u00A0₽");
    }

    /**
     * At an order's confirmation («Check and confirm») a bank's PDF, or a photo for a model that takes none, was
     * «Please choose with the buttons.» alone, with no word of the request, where on the model's card and at its
     * questions the receipt line and the request's «I paid» come: now at the confirmation too, under that answer, and
     * the PDF is asked about as a receipt first. The confirmation stays, its buttons good.
     */
    @Test
    void aReceiptAtAnOrdersConfirmationGetsTheRequestsButtonAndKeepsTheConfirmation() {
        request500();
        ManualTopUp r = stored();
        List<Reply> confirmation = videoOrderConfirmedFrom(videoOrderAtItsSoundQuestion());
        assertThat(lastText(to(h.send(U, pdf("receipt-pdf")), U))).as("within the hour")
                .startsWith("🧾 Request #" + r.id() + " for 500\u00A0₽ is not marked paid yet.");

        String late = "\n\n🧾 If this is the receipt for request #" + r.id()
                + ", press “✅ I paid” (under the request or here) and send it again.";
        h.clock.advance(Duration.ofHours(3));
        List<Reply> refused = List.of();
        for (Event.Media file : List.of(pdf("receipt-pdf"), photo("bank-screenshot"))) {
            refused = to(h.send(U, file), U);
            assertThat(lastText(refused)).as(file.fileId()).isEqualTo(new Texts().get("en", Msg.CONFIRM_TYPED,
                    new Texts().get("en", Msg.BUTTON_EDIT)) + late);
            assertThat(buttonTexts(refused)).as(file.fileId()).containsExactly("✅ I paid: request #" + r.id());
            assertThat(h.session(U).state()).as(file.fileId()).isInstanceOfSatisfying(ChatState.Confirming.class,
                    c -> assertThat(c.values()).containsEntry("prompt", "a fox runs").containsEntry("duration", "10"));
            assertThat(forwarded(refused)).isZero();
        }
        assertThat(stored().state()).isEqualTo(ManualTopUpState.REQUESTED);
        assertThat(lastText(h.press(U, button(confirmation, "Change")))).as("the confirmation's buttons still good")
                .contains("What would you like to change?");

        h.press(U, button(refused, "I paid: request #" + r.id()));
        List<Reply> received = to(h.send(U, pdf("receipt-pdf")), U);
        assertThat(lastText(received)).contains("Receipt for request #" + r.id() + " received");
        assertThat(lastText(h.press(U, button(received, "Back to my generation"))))
                .contains("Check and confirm", "a fox runs", "171.60\u00A0₽");
    }

    /**
     * A screenshot of a problem sent after a /paysupport ticket, with a request open and not paid, is no receipt that
     * marks it paid («Заявка отмечена оплаченной» and every admin told of an unpaid request), nor one asked about
     * («not marked paid yet»): it is the ticket's.
     */
    @Test
    void aScreenshotAfterATicketDoesNotReportAnUnpaidRequestPaid() {
        request500();
        h.command(U, "paysupport");
        h.text(U, "The payment did not go through, the bank says error 51");
        h.messenger.drain();
        List<Reply> shot = h.send(U, photo("bank-error-screenshot"));
        assertThat(lastText(to(shot, U))).contains("attached to support request").doesNotContain("not marked paid");
        assertThat(to(shot, ADMIN_2)).singleElement().isInstanceOfSatisfying(Reply.SendMedia.class,
                m -> assertThat(m.caption()).startsWith("📎 Attached to support request"));
        assertThat(stored().state()).isEqualTo(ManualTopUpState.REQUESTED);
        assertThat(auditActions()).containsExactly("manual.requested");
    }

    /**
     * A user whose request is reported paid writes to /paysupport and sends a screenshot: he means the ticket. It was
     * taken for the request's receipt and reached the admins as one, away from the ticket it explains. Now it reaches
     * every admin under the ticket's number, an album of them with one answer, at most three; a file long after the
     * ticket, or after «I paid» pressed again, is the request's receipt again.
     */
    @Test
    void aScreenshotRightAfterATicketGoesToTheTicketNotToThePaidRequest() {
        h.press(U, button(request500(), "I paid"));
        h.send(U, photo("receipt-1"));
        ManualTopUp r = stored();
        h.command(U, "paysupport");
        List<Reply> written = h.text(U, "I paid an hour ago and the balance is still zero");
        long ticket = h.stores.supportTickets().recent(U, 1).get(0).id();
        assertThat(lastText(to(written, U))).contains("#" + ticket);
        h.text(U, "here is the screenshot");
        h.clock.advance(Duration.ofMinutes(5));

        List<Reply> shots = new ArrayList<>();
        shots.addAll(h.send(U, inAlbum("shot-1", "album-1")));
        shots.addAll(h.send(U, inAlbum("shot-2", "album-1")));
        assertThat(to(shots, U)).singleElement().satisfies(x -> assertThat(lastText(List.of(x)))
                .isEqualTo("📎 File attached to support request #" + ticket + " and sent to support."));
        for (long admin : List.of(ShopHarness.ADMIN, ADMIN_2)) {
            assertThat(to(shots, admin)).filteredOn(Reply.SendMedia.class::isInstance).hasSize(2)
                    .allSatisfy(x -> assertThat(((Reply.SendMedia) x).caption())
                            .isEqualTo("📎 Attached to support request #" + ticket));
        }
        assertThat(stored().receipt()).contains("receipt-1");
        assertThat(auditActions()).containsExactly("manual.requested", "manual.claimed_paid", "manual.receipt");

        h.send(U, photo("shot-3"));
        List<Reply> fourth = h.send(U, photo("shot-4"));
        assertThat(lastText(to(fourth, U))).contains("already has 3\u00A0files attached");
        assertThat(to(fourth, ADMIN_2)).isEmpty();

        h.clock.advance(Duration.ofMinutes(11));
        assertThat(lastText(to(h.send(U, photo("receipt-2")), U))).as("long after the ticket")
                .contains("Receipt added to request #" + r.id());
        h.command(U, "paysupport");
        h.text(U, "Another question");
        h.press(U, "*|!|" + r.id());
        assertThat(lastText(to(h.send(U, photo("receipt-3")), U))).as("«I paid» pressed after the ticket")
                .contains("Receipt added to request #" + r.id());
    }

    /**
     * A ticket written as a screenshot's caption reaches every admin with the screenshot: that is one of the ticket's
     * three files, so two more follow it and the next is refused. It was left out of the count, and three more
     * followed it.
     */
    @Test
    void aTicketWrittenUnderAScreenshotCountsItAmongItsThreeFiles() {
        h.command(U, "paysupport");
        List<Reply> all = new ArrayList<>(h.send(U, photo("shot-1").withCaption("The payment did not go through")));
        long ticket = h.stores.supportTickets().recent(U, 1).get(0).id();
        assertThat(lastText(to(all, U))).contains("#" + ticket);
        all.addAll(h.send(U, photo("shot-2")));
        all.addAll(h.send(U, photo("shot-3")));
        List<Reply> fourth = h.send(U, photo("shot-4"));
        assertThat(lastText(to(fourth, U))).isEqualTo("📎 Support request #" + ticket
                + " already has 3\u00A0files attached, so this one was not sent. Support will answer you here.");
        all.addAll(fourth);
        for (long admin : List.of(ShopHarness.ADMIN, ADMIN_2)) {
            assertThat(to(all, admin)).filteredOn(Reply.SendMedia.class::isInstance)
                    .extracting(x -> ((Reply.SendMedia) x).source()).containsExactly("shot-1", "shot-2", "shot-3");
        }
    }

    /**
     * An album sent at /paysupport, the problem as its first photo's caption, is one ticket with one answer: the
     * album's other photos follow the ticket to every admin without a word each («File attached to support request»
     * under the ticket's answer, once per photo, before).
     */
    @Test
    void anAlbumWrittenAsATicketGetsOneAnswer() {
        h.command(U, "paysupport");
        List<Reply> all = new ArrayList<>();
        all.addAll(h.send(U, inAlbum("shot-1", "album-1").withCaption("The bank took the money twice")));
        all.addAll(h.send(U, inAlbum("shot-2", "album-1")));
        all.addAll(h.send(U, inAlbum("shot-3", "album-1")));
        long ticket = h.stores.supportTickets().recent(U, 1).get(0).id();
        assertThat(to(all, U)).singleElement().satisfies(x -> assertThat(lastText(List.of(x)))
                .contains("#" + ticket));
        for (long admin : List.of(ShopHarness.ADMIN, ADMIN_2)) {
            assertThat(to(all, admin)).filteredOn(Reply.SendMedia.class::isInstance)
                    .extracting(x -> ((Reply.SendMedia) x).source()).containsExactly("shot-1", "shot-2", "shot-3");
        }
    }

    /**
     * On a model's card a photo begins the order, and a bank's PDF did too: refused there as no image, the receipt
     * was lost. A PDF goes to the open request; a photo stays the order's.
     */
    @Test
    void aPdfOnAModelsCardIsTheReceiptAndAPhotoThereIsTheOrders() {
        h.press(U, button(request500(), "I paid"));
        h.send(U, photo("receipt-1"));
        h.press(U, "*|v|edit/pro");
        List<Reply> pdf = h.send(U, new Event.Media(MediaType.DOCUMENT, "receipt-pdf", 60_000,
                Optional.of("application/pdf"), Optional.of("Чек.pdf")));
        assertThat(lastText(to(pdf, U))).contains("Receipt added to request #" + stored().id());
        assertThat(forwarded(pdf)).isEqualTo(1);
        assertThat(stored().receipt()).contains("receipt-pdf");

        List<Reply> cat = h.send(U, photo("cat-photo"));
        assertThat(forwarded(cat)).isZero();
        assertThat(h.session(U).state()).isInstanceOf(ChatState.Collecting.class);
    }

    /**
     * Telegram sends each file of an album as a message of its own: an album of three receipts got three answers.
     * The album's first file is answered, the others reach the admins without a word, past three none of them does;
     * before «I paid» the first is answered with the request's «I paid», the others let go.
     */
    @Test
    void anAlbumOfReceiptsGetsOneAnswer() {
        h.press(U, button(request500(), "I paid"));
        ManualTopUp request = stored();
        long id = request.id();
        List<Reply> all = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            all.addAll(h.send(U, inAlbum("receipt-" + i, "album-1")));
        }
        assertThat(to(all, U)).singleElement().satisfies(x -> assertThat(lastText(List.of(x)))
                .contains("Receipt for request #" + id + " received"));
        assertThat(forwarded(all)).isEqualTo(ManualTopUpDesk.RECEIPTS_MAX);

        h.press(ShopHarness.ADMIN, CardRequests.approve(request));
        request500();
        ManualTopUp unpaid = stored();
        h.messenger.drain();
        List<Reply> before = new ArrayList<>();
        before.addAll(h.send(U, inAlbum("second-1", "album-2")));
        before.addAll(h.send(U, inAlbum("second-2", "album-2")));
        assertThat(to(before, U)).singleElement().satisfies(x -> assertThat(lastText(List.of(x)))
                .contains("Request #" + unpaid.id() + " for 500\u00A0₽ is not marked paid yet"));
        assertThat(forwarded(before)).isZero();
        assertThat(stored().state()).isEqualTo(ManualTopUpState.REQUESTED);
    }

    /**
     * With two requests open a receipt's request is not guessed (the wrong one would be reported paid): the user is
     * asked which, once for an album, by buttons that are the requests' «I paid»; then he sends it again.
     */
    @Test
    void withTwoOpenRequestsAReceiptAsksWhichOneItIsFor() {
        request500();
        ManualTopUp first = stored();
        request500();
        ManualTopUp second = stored();
        h.messenger.drain();
        List<Reply> asked = new ArrayList<>();
        asked.addAll(h.send(U, inAlbum("receipt-1", "album-1")));
        asked.addAll(h.send(U, inAlbum("receipt-2", "album-1")));
        assertThat(asked).singleElement().satisfies(x -> assertThat(lastText(List.of(x))).isEqualTo(
                "🧾 Which request is this receipt for? Your open requests:\n• #" + second.id()
                        + " for 500\u00A0₽: waiting for the payment\n• #" + first.id()
                        + " for 500\u00A0₽: waiting for the payment\n\nPress “✅ I paid” under the request and send the receipt again."));
        assertThat(h.stores.manualTopUps().recent(U, 10)).allSatisfy(r -> assertThat(r.state())
                .isEqualTo(ManualTopUpState.REQUESTED));

        List<Reply> chosen = h.press(U, button(asked, "I paid: request #" + first.id()));
        assertThat(lastText(to(chosen, U))).contains("is with our admins");
        List<Reply> receipt = h.send(U, photo("receipt-1"));
        assertThat(lastText(to(receipt, U))).contains("Receipt for request #" + first.id() + " received");
        assertThat(h.stores.manualTopUps().find(first.id()).orElseThrow().receipt()).contains("receipt-1");
        assertThat(h.stores.manualTopUps().find(second.id()).orElseThrow().state())
                .isEqualTo(ManualTopUpState.REQUESTED);
    }

    /** A banned user's album of receipts after «I paid» reaches the admins whole, not its first file alone. */
    @Test
    void aBannedUsersAlbumOfReceiptsAfterIPaidPasses() {
        List<Reply> instructions = request500();
        h.admin("ban", Long.toString(U));
        h.press(U, button(instructions, "I paid"));
        List<Reply> all = new ArrayList<>();
        all.addAll(h.send(U, inAlbum("receipt-1", "album-1")));
        all.addAll(h.send(U, inAlbum("receipt-2", "album-1")));
        assertThat(forwarded(all)).isEqualTo(2);
        assertThat(to(all, U)).singleElement().satisfies(x -> assertThat(lastText(List.of(x)))
                .contains("Receipt for request #" + stored().id() + " received"));
    }

    /**
     * An admin taken out of ADMIN_IDS keeps the request's buttons in his chat, «Approve» and the «Yes, decline» he was
     * asked: pressed on the bot started without him, neither decides or credits anything, and the admins who remain
     * still can. The shop reads who is an admin from its settings at each press, not from the buttons.
     */
    @Test
    void anAdminRemovedFromTheAdminsPressingTheButtonsHeKeptDecidesNothingAndMovesNoMoney() {
        List<Reply> claimed = h.press(U, button(request500(), "I paid"));
        String approve = button(to(claimed, ADMIN_2), "Approve");
        String yesDecline = button(h.press(ADMIN_2, button(to(claimed, ADMIN_2), "Decline")), "Yes, decline");
        h.messenger.drain();
        int auditBefore = h.stores.audit().recent(1_000).size();
        // the bot started again with ADMIN_IDS without him, over the same stores
        Shop withoutHim = h.anotherInstance(s -> s, b -> b.settings(ShopSettings.defaults()
                .withAdmins(Set.of(ShopHarness.ADMIN)).withSupport("@shop_help", Optional.empty())
                .withAdmission(AdmissionPolicy.off())));

        long update = 90_000;
        for (String data : List.of(approve, yesDecline)) {
            withoutHim.storefront().serve(new Incoming(++update, ShopHarness.actor(ADMIN_2, "en"),
                    new Event.Callback("q-" + data, data, Optional.of(1L))));
            h.deliver();
            List<Reply> told = h.messenger.drain();
            assertThat(told).as(data).noneMatch(x -> x.chatId() == U);
            assertThat(lastText(to(told, ADMIN_2))).as("a stale press, as any user's: " + data)
                    .startsWith("This button is outdated");
        }
        assertThat(h.balance(U)).isZero();
        assertThat(credits()).isZero();
        assertThat(stored().state()).isEqualTo(ManualTopUpState.CLAIMED_PAID);
        assertThat(stored().decidedBy()).isEmpty();
        assertThat(h.stores.audit().recent(1_000)).as("no decision recorded").hasSize(auditBefore);

        withoutHim.storefront().serve(new Incoming(++update, ShopHarness.actor(ShopHarness.ADMIN, "en"),
                new Event.Callback("q-admin", button(to(claimed, ShopHarness.ADMIN), "Approve"), Optional.of(1L))));
        h.deliver();
        assertThat(h.balance(U)).as("an admin who remains decides it").isEqualTo(50_000);
        assertThat(credits()).isEqualTo(1);
        assertThat(stored().decidedBy()).contains(ShopHarness.ADMIN);
    }

    @Test
    void twoAdminsPressingAtOnceCreditOnce() throws Exception {
        List<Reply> claimed = h.press(U, button(request500(), "I paid"));
        String approve = button(to(claimed, ShopHarness.ADMIN), "Approve");
        String decline = button(h.press(ADMIN_2, button(to(claimed, ADMIN_2), "Decline")), "Yes, decline");
        for (int round = 0; round < 20; round++) {
            ExecutorService pool = Executors.newFixedThreadPool(3);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> presses = new ArrayList<>();
            for (long admin : List.of(ShopHarness.ADMIN, ADMIN_2, ShopHarness.ADMIN)) {
                presses.add(pool.submit(() -> {
                    go.await();
                    h.handle(admin, new Event.Callback("q", admin == ADMIN_2 ? decline : approve, Optional.of(1L)));
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : presses) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }
        ManualTopUp r = stored();
        assertThat(r.state()).isIn(ManualTopUpState.APPROVED, ManualTopUpState.DECLINED);
        assertThat(credits()).isEqualTo(r.state() == ManualTopUpState.APPROVED ? 1 : 0);
        assertThat(h.balance(U)).isEqualTo(r.state() == ManualTopUpState.APPROVED ? 50_000 : 0);
        long told = h.messenger.all().stream().filter(x -> x.chatId() == U && x instanceof Reply.SendText t
                && (t.text().contains("Balance topped up") || t.text().contains("was declined"))).count();
        assertThat(told).as("the user is told once").isEqualTo(1);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    @Test
    void anApprovalLeftHalfDoneIsCreditedByTheNextPressOnce() {
        List<Reply> claimed = h.press(U, button(request500(), "I paid"));
        ManualTopUp r = stored();
        // the bot stopped after the decision was stored and before the ledger credited it
        h.stores.manualTopUps().decide(r.id(), ManualTopUpState.APPROVED, ShopHarness.ADMIN, h.clock.instant());
        assertThat(h.balance(U)).isZero();
        List<Reply> again = h.press(ADMIN_2, button(claimed, "Approve"));
        assertThat(lastText(to(again, U))).contains("Balance topped up: +500\u00A0₽");
        assertThat(lastText(to(again, ADMIN_2))).contains("already approved");
        h.press(ShopHarness.ADMIN, button(claimed, "Approve"));
        assertThat(h.balance(U)).isEqualTo(50_000);
        assertThat(credits()).isEqualTo(1);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * The ledger refusing an approved request's credit (its id taken by another amount: the requests and the ledger
     * restored from backups of different days) is an error the press does not pass over: nobody is told of money that
     * did not move (the user «topped up», the admins' messages «approved»), and the balance holds only what the
     * ledger had.
     */
    @Test
    void anApprovalWhoseCreditTheLedgerRefusesTellsNobodyItWasCredited() {
        List<Reply> claimed = h.press(U, button(request500(), "I paid"));
        h.stores.ledger().transfer(stored().creditId(), AccountId.MANUAL_CLEARING, AccountId.wallet(U), 100,
                TransferKind.TOP_UP_MANUAL);
        List<Reply> pressed = h.press(ShopHarness.ADMIN, button(claimed, "Approve"));
        // the admin gets the error and its code for support; no admin's message about the request is edited to
        // «approved», its buttons gone, as if the money had moved
        assertThat(lastText(pressed)).contains("something went wrong");
        assertThat(pressed).noneMatch(x -> x instanceof Reply.EditText);
        assertThat(h.messenger.all()).noneMatch(x -> x instanceof Reply.SendText t
                && t.text().contains("Balance topped up"));
        assertThat(h.balance(U)).isEqualTo(100);
        assertThat(auditActions()).doesNotContain("manual.approved");
    }

    /**
     * The most a card request takes (here 100,000 ₽) is a request like any other, made and credited whole; a kopeck
     * more is asked again ({@link #typedAmountsAreCheckedAndAskedAgain}).
     */
    @Test
    void aRequestOfExactlyTheMostIsMadeAndCreditedWhole() {
        h.command(U, "topup");
        h.press(U, "*|y");
        h.press(U, "*|$");
        List<Reply> instructions = h.text(U, "100000");
        assertThat(lastText(instructions)).contains("100,000\u00A0₽").doesNotContain("between");
        assertThat(stored().amount()).isEqualTo(10_000_000);
        List<Reply> claimed = h.press(U, button(instructions, "I paid"));
        h.press(ShopHarness.ADMIN, button(claimed, "Approve"));
        assertThat(h.balance(U)).isEqualTo(10_000_000);
        assertThat(credits()).isEqualTo(1);
    }

    /**
     * A Russian admin read «заявка создана — 500 ₽ KB…» and «заявка подтверждена — KB… +50000» (kopecks) in
     * /find's history. The amounts read in the admin's format; the reference, the request's own, is on its first line.
     */
    @Test
    void findSaysARequestsHistoryInTheAdminsLanguage() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        List<Reply> claimed = h.press(U, button(request500(), "I paid"));
        h.send(U, photo("receipt-file"));
        h.press(ShopHarness.ADMIN, button(claimed, "Approve"));
        String found = lastText(h.admin("find", "#" + stored().id()));
        List<String> history = found.substring(found.indexOf("История:")).lines().skip(1).toList();
        assertThat(String.join("\n", history)).contains(" · заявка создана — на сумму 500\u00A0₽",
                " · заявка подтверждена — зачислено 500\u00A0₽").doesNotContain(stored().reference(), "50000");
        assertThat(history).hasSize(4).allSatisfy(l -> assertThat(l.replaceAll("User\\d+", "")).doesNotContainPattern("[a-z]{3,}"));
    }

    /**
     * /find of a request not yet decided read «решение: —, —», as if a decision had been lost: it says there is none
     * yet; once decided, which admin and when; once expired, when it closed, no admin.
     */
    @Test
    void findSaysWhoDecidedARequestAndWhenOrThatNobodyHasYet() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        List<Reply> claimed = h.press(U, button(request500(), "I paid"));
        ManualTopUp approved = stored();
        assertThat(detail(approved)).endsWith(" · решения ещё нет").doesNotContain("—, —");
        h.press(ShopHarness.ADMIN, button(claimed, "Approve"));
        // named as the page's other lines name a user: his bare id asked the reader whose it was
        assertThat(detail(approved)).endsWith(" · решил администратор "
                + AdminSearch.named(new Texts(), h.stores, "ru", ShopHarness.ADMIN) + ", "
                + TransferWords.when(h.clock.instant(), ShopSettings.defaults().zone()))
                .contains("(ID " + ShopHarness.ADMIN + ")");

        request500();
        ManualTopUp expired = stored();
        h.clock.advance(Duration.ofHours(49));
        assertThat(h.shop.manualTopUps().expire(10)).isEqualTo(1);
        assertThat(detail(expired)).endsWith(" · закрыта без решения администратора, "
                + TransferWords.when(h.clock.instant(), ShopSettings.defaults().zone()));
    }

    /** The line of /find's page on a request under its first: who asked, when, the receipt, the decision. */
    private String detail(ManualTopUp r) {
        return lastText(h.admin("find", "#" + r.id())).lines().skip(1).findFirst().orElseThrow();
    }

    @Test
    void aDeclineTellsTheUserAndCreditsNothing() {
        List<Reply> claimed = h.press(U, button(request500(), "I paid"));
        List<Reply> asked = h.press(ShopHarness.ADMIN, button(claimed, "Decline"));
        assertThat(lastText(asked)).isEqualTo("Decline request #1 of 500\u00A0₽ from User" + U + " (ID " + U + ")? The user"
                + " is told at once, and the request cannot be reopened. Tapped by mistake? Do nothing: the request stays"
                + " open, and «✅ Approve» under it still works.");
        assertThat(to(asked, U)).as("the user is told nothing yet").isEmpty();
        assertThat(stored().state()).isEqualTo(ManualTopUpState.CLAIMED_PAID);
        List<Reply> declined = h.press(ShopHarness.ADMIN, button(asked, "Yes, decline"));
        assertThat(lastText(to(declined, U))).isEqualTo("❌ Your top-up request #1 of 500\u00A0₽ was declined. If you have already paid,"
                + " write to support: /paysupport. You can also write to @shop_help.");
        assertThat(declined).filteredOn(Reply.EditText.class::isInstance).hasSize(2);
        assertThat(lastText(to(h.press(ADMIN_2, button(claimed, "Approve")), ADMIN_2))).contains("already declined");
        assertThat(h.balance(U)).isZero();
        assertThat(credits()).isZero();
        assertThat(auditActions()).containsExactly("manual.requested", "manual.claimed_paid", "manual.declined");
    }

    /** A mis-tapped «Отклонить» only asks: the request stays open, and «Подтвердить» under it still credits it. */
    @Test
    void aMisTappedDeclineIsAskedAboutAndTheRequestCanStillBeApproved() {
        List<Reply> claimed = h.press(U, button(request500(), "I paid"));
        List<Reply> asked = h.press(ShopHarness.ADMIN, button(claimed, "Decline"));
        assertThat(to(asked, U)).isEmpty();
        List<Reply> approved = h.press(ShopHarness.ADMIN, button(claimed, "Approve"));
        assertThat(lastText(to(approved, U))).contains("Balance topped up: +500\u00A0₽");
        assertThat(h.balance(U)).isEqualTo(50_000);
        List<Reply> late = h.press(ShopHarness.ADMIN, button(asked, "Yes, decline"));
        assertThat(lastText(late)).contains("already approved");
        assertThat(to(late, U)).isEmpty();
        assertThat(stored().state()).isEqualTo(ManualTopUpState.APPROVED);
        assertThat(auditActions()).doesNotContain("manual.declined");
    }

    /**
     * The user's /payments numbers his card request as its messages do, «№ 1» in Russian: it wrote the ledger's «#1»
     * where every other screen writes «№ 1».
     */
    @Test
    void paymentsNumbersACardRequestAsItsMessagesDo() {
        List<Reply> claimed = h.press(U, button(request500(), "I paid"));
        h.press(ShopHarness.ADMIN, button(claimed, "Approve"));
        assertThat(lastText(h.command(U, "payments"))).contains(" · #1").doesNotContain("№");
        h.stores.users().setLanguage(U, "ru");
        assertThat(lastText(h.command(U, "payments"))).contains(" · №\u00A01").doesNotContain("#1");
    }

    @Test
    void aDeclineIsAskedAboutInRussianToo() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        List<Reply> claimed = h.press(U, button(request500(), "I paid"));
        List<Reply> asked = h.press(ShopHarness.ADMIN, button(to(claimed, ShopHarness.ADMIN), "Отклонить"));
        assertThat(lastText(asked)).isEqualTo("Отклонить заявку №\u00A01 на 500\u00A0₽ от User" + U + " (ID " + U
                + ")? Пользователю сразу придёт отказ, вернуть заявку будет нельзя. Нажали по ошибке — ничего не делайте:"
                + " заявка остаётся открытой, «✅ Подтвердить» под ней работает.");
        assertThat(buttonTexts(asked)).containsExactly("❌ Да, отклонить");
    }

    /**
     * «I paid» on a closed request tells the user what to do if the money did not arrive (it said «nothing more to
     * do» of a declined one); on an unknown one, to start a new request. An admin deciding an unknown request is not
     * sent to /topup.
     */
    @Test
    void aClosedOrUnknownRequestTellsTheUserWhatToDoNext() {
        List<Reply> instructions = request500();
        List<Reply> claimed = h.press(U, button(instructions, "I paid"));
        h.press(ShopHarness.ADMIN, button(h.press(ShopHarness.ADMIN, button(claimed, "Decline")), "Yes, decline"));
        assertThat(lastText(h.press(U, button(instructions, "I paid")))).isEqualTo("Request #1 is already closed:"
                + " declined. If you paid and your balance was not topped up, write to support: /paysupport.");
        assertThat(lastText(h.press(U, "*|!|99"))).isEqualTo("I do not know the request #99. Start a new one: /topup");
        assertThat(lastText(h.press(ShopHarness.ADMIN, "*|+|99"))).isEqualTo("I do not know the request #99.");
    }

    @Test
    void anUnconfirmedRequestExpiresAndTheUserIsTold() {
        List<Reply> claimed = h.press(U, button(request500(), "I paid"));
        h.clock.advance(Duration.ofHours(47));
        assertThat(h.shop.manualTopUps().expire(10)).isZero();
        h.messenger.drain();
        h.clock.advance(Duration.ofHours(1));
        assertThat(h.shop.manualTopUps().expire(10)).isEqualTo(1);
        h.deliver();
        List<Reply> told = h.messenger.drain();
        assertThat(lastText(to(told, U))).contains("has expired, and the payment was never confirmed");
        assertThat(told).filteredOn(Reply.EditText.class::isInstance).hasSize(2)
                .allSatisfy(e -> assertThat(((Reply.EditText) e).text()).contains("State: expired"));
        assertThat(h.shop.manualTopUps().expire(10)).isZero();
        assertThat(lastText(to(h.press(ShopHarness.ADMIN, button(claimed, "Approve")), ShopHarness.ADMIN)))
                .contains("already expired");
        assertThat(h.balance(U)).isZero();
        assertThat(auditActions()).containsExactly("manual.requested", "manual.claimed_paid", "manual.expired");
    }

    @Test
    void typedAmountsAreCheckedAndAskedAgain() {
        h.command(U, "topup");
        h.press(U, "*|y");
        h.press(U, "*|$");
        assertThat(lastText(h.text(U, "abc"))).contains("not a number", "Choose the amount");
        assertThat(lastText(h.text(U, "50"))).contains("between 100\u00A0₽ and 100,000\u00A0₽");
        assertThat(lastText(h.text(U, "100000.01"))).contains("between");
        // too large is out of range, not "not a number"; digits grouped otherwise than by three are no guess
        assertThat(lastText(h.text(U, "10000000000"))).contains("between");
        assertThat(lastText(h.text(U, "10 50"))).contains("not a number");
        assertThat(lastText(h.text(U, "150,505"))).contains("not a number");
        assertThat(h.stores.manualTopUps().recent(U, 5)).isEmpty();
        assertThat(lastText(h.text(U, "750,50"))).contains("750.50\u00A0₽");
        assertThat(stored().amount()).isEqualTo(75_050);
    }

    /**
     * The amount buttons carry minor units, and a bad client may send any: one the shop does not offer is stale and
     * makes no request (here far over {@code PAYMENT_MAX_RUB}).
     */
    @Test
    void aForgedAmountButtonMakesNoRequest() {
        h.command(U, "topup");
        h.press(U, "*|y");
        h.press(U, "*|$");
        long version = h.session(U).version();
        assertThat(lastText(h.press(U, version + "|#|99999999999"))).contains("outdated");
        assertThat(h.stores.manualTopUps().recent(U, 5)).isEmpty();
    }

    /** The bot groups amounts with no-break spaces; one copied back from its text is read as typed with spaces. */
    @Test
    void anAmountTypedWithNoBreakSpacesIsRead() {
        h.command(U, "topup");
        h.press(U, "*|y");
        h.press(U, "*|$");
        assertThat(lastText(h.text(U, "1\u00A0234,50"))).contains("1,234.50\u00A0₽");
        assertThat(stored().amount()).isEqualTo(123_450);
    }

    /**
     * People write the sum to pay with its currency («500 ₽», «500р», «1 000 руб.»): it was refused as no number. It
     * is read in the shop's currency only: «500 $» in a ruble shop stays no amount.
     */
    @Test
    void anAmountTypedWithTheRubleSignOrWordIsRead() {
        h.command(U, "topup");
        h.press(U, "*|y");
        h.press(U, "*|$");
        assertThat(lastText(h.text(U, "500 $"))).contains("not a number");
        assertThat(h.stores.manualTopUps().recent(U, 5)).isEmpty();
        assertThat(lastText(h.text(U, "1 000 руб."))).contains("1,000\u00A0₽");
        assertThat(stored().amount()).isEqualTo(100_000);
    }

    @Test
    void nobodyElseCanClaimOrDecide() {
        List<Reply> instructions = request500();
        String paid = button(instructions, "I paid");
        long mallory = 66;
        h.command(mallory, "start");
        assertThat(lastText(h.press(mallory, paid))).contains("do not know the request");
        List<Reply> claimed = h.press(U, paid);
        List<Reply> forged = h.press(mallory, button(to(claimed, ShopHarness.ADMIN), "Approve"));
        assertThat(lastText(forged)).contains("outdated");
        List<Reply> declined = h.press(mallory, button(to(claimed, ShopHarness.ADMIN), "Decline"));
        assertThat(lastText(declined)).contains("outdated");
        assertThat(to(declined, U)).as("the user is told of no decision").isEmpty();
        assertThat(h.balance(U)).isZero();
        assertThat(stored().state()).isEqualTo(ManualTopUpState.CLAIMED_PAID);
        // a second "I paid" does not bother the admins again
        assertThat(to(h.press(U, paid), ShopHarness.ADMIN)).isEmpty();
    }

    /**
     * Requests are numbered, so a stranger knows one that is not his: his forged «I paid» of it is refused, and the
     * photo he sends next is no receipt of it: his chat was not set waiting for one (it was, and the photo was
     * answered «I do not know the request»), so the photo gets the menu's answer. The request stays without one, and
     * no admin is shown it as that request's.
     */
    @Test
    void aStrangersPhotoAfterAForgedIPaidIsNoReceiptOfSomebodyElsesRequest() {
        request500();
        ManualTopUp r = stored();
        long mallory = 66;
        h.command(mallory, "start");
        assertThat(lastText(h.press(mallory, "*|!|" + r.id()))).contains("do not know the request");
        List<Reply> sent = h.send(mallory, photo("not-his-receipt"));
        assertThat(lastText(sent)).startsWith("I take photos and files only for a model that needs them");
        assertThat(sent).as("nothing reaches the admins").allSatisfy(reply ->
                assertThat(reply.chatId()).isEqualTo(mallory));
        assertThat(stored().receipt()).isEmpty();
        assertThat(stored().state()).isEqualTo(ManualTopUpState.REQUESTED);
    }

    /**
     * An update's id names no user: Telegram numbers a bot's updates afresh after a week without any (from a random
     * number), and so does another bot token on the same database. A request asked for in an update whose id an
     * earlier request of somebody else had is this user's own: it showed him that request's number, amount and
     * reference, so he would have paid to another user's request, and his «I paid» was refused.
     */
    @Test
    void anAmountSentInAnUpdateWhoseIdAnotherUsersRequestHadMakesTheUsersOwnRequest() {
        long updateId = 9_000;
        h.command(U, "topup");
        h.press(U, "*|y");
        h.press(U, "*|$");
        h.shop.storefront().serve(new Incoming(updateId, ShopHarness.actor(U, "en"), new Event.Text("500")));
        ManualTopUp first = stored();

        long other = 77;
        h.command(other, "start");
        h.command(other, "topup");
        h.press(other, "*|y");
        h.press(other, "*|$");
        h.messenger.drain();
        h.shop.storefront().serve(new Incoming(updateId, ShopHarness.actor(other, "en"), new Event.Text("300")));
        h.deliver();
        List<Reply> instructions = h.messenger.drain();

        List<ManualTopUp> his = h.stores.manualTopUps().recent(other, 5);
        assertThat(his).as("a request of his own").singleElement()
                .satisfies(r -> assertThat(r.amount()).isEqualTo(30_000))
                .satisfies(r -> assertThat(r.reference()).isNotEqualTo(first.reference()));
        assertThat(lastText(instructions)).contains("300\u00A0₽", his.get(0).reference())
                .doesNotContain(first.reference(), "500\u00A0₽");
        assertThat(lastText(h.press(other, button(instructions, "I paid")))).contains("is with our admins");
        assertThat(stored()).as("the first user's request is untouched").isEqualTo(first);
    }

    @Test
    void withoutACardOrPhoneCardTopUpsAreNotOffered() {
        ShopHarness off = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
                .withAdmins(Set.of(ShopHarness.ADMIN)).withAdmission(AdmissionPolicy.off()), ManualPayments.off());
        off.command(U, "start");
        off.command(U, "topup");
        List<Reply> topUp = off.press(U, "*|y");
        assertThat(topUp.stream().flatMap(r -> r instanceof Reply.SendText t ? t.keyboard().buttons().stream()
                : r instanceof Reply.EditText e ? e.keyboard().buttons().stream() : java.util.stream.Stream.empty()))
                .noneMatch(b -> b.text().contains("Card"));
        assertThat(lastText(off.press(U, "*|$"))).contains("outdated");
    }

    /**
     * Two requests of one user waiting at once: each has its own message in each admin's chat. Before a request's
     * message was its own, the second's replaced the first's, whose Approve the admins then lost.
     */
    @Test
    void twoPaidRequestsKeepAMessageEachWithEveryAdmin() {
        List<Reply> first = request500();
        ManualTopUp r1 = stored();
        List<Reply> second = request500();
        ManualTopUp r2 = stored();
        assertThat(r2.id()).isNotEqualTo(r1.id());

        List<Reply> claimed1 = h.press(U, button(first, "I paid"));
        List<Reply> claimed2 = h.press(U, button(second, "I paid"));
        for (long admin : List.of(ShopHarness.ADMIN, ADMIN_2)) {
            assertThat(to(claimed2, admin)).singleElement().isInstanceOfSatisfying(Reply.SendText.class,
                    t -> assertThat(t.text()).contains("Top-up request #" + r2.id()));
        }

        List<Reply> approved = h.press(ShopHarness.ADMIN, button(to(claimed1, ShopHarness.ADMIN), "Approve"));
        assertThat(approved).filteredOn(Reply.EditText.class::isInstance).hasSize(2)
                .allSatisfy(e -> assertThat(((Reply.EditText) e).text()).contains("#" + r1.id(), "approved"));
        assertThat(h.balance(U)).isEqualTo(50_000);
        h.press(ADMIN_2, button(to(claimed2, ADMIN_2), "Approve"));
        assertThat(h.balance(U)).isEqualTo(100_000);
        assertThat(credits()).isEqualTo(2);
    }

    /**
     * A third request while two wait is refused, naming the two: one account made a request per update and, with «I
     * paid» and three receipts each, sent every admin a dozen messages a minute, burying real payments. The one still
     * unpaid is told with what paying it takes (its code, the card and the phone): a user who lost its message had
     * only its «I paid» and could not pay.
     */
    @Test
    void aThirdOpenRequestIsRefusedNamingTheOpenOnesAndTheAdminsHearNothing() {
        List<Reply> first = request500();
        ManualTopUp r1 = stored();
        h.press(U, button(first, "I paid"));
        request500();
        ManualTopUp r2 = stored();
        h.messenger.drain();

        List<Reply> third = request500();
        assertThat(lastText(third)).isEqualTo("💳 You already have open requests:\n• #" + r1.id()
                + " for 500\u00A0₽: paid, waiting for a check\n• #" + r2.id() + " for 500\u00A0₽: waiting for the payment,"
                + " code " + r2.reference()
                + "\n\nYou can make a new one once one of them is decided or expires."
                + "\n\nWhere to transfer:\nCard: 2200 0000 0000 0042 (Test Bank), I. Ivanov\nSBP by phone: +7 900 000-00-42"
                + " (Test Bank)\nPut the request's code in the transfer's comment. If you have already transferred"
                + " the money, press “I paid” with the request's number below.");
        assertThat(h.stores.manualTopUps().recent(U, 10)).hasSize(2);
        assertThat(third).noneMatch(r -> r.chatId() != U);
        // the one still unpaid can be reported paid from here: its own message may be gone
        assertThat(buttonTexts(third)).containsExactly("✅ I paid: request #" + r2.id(), "🏠 Menu");
        List<Reply> paid = h.press(U, button(third, "I paid: request #" + r2.id()));
        assertThat(h.stores.manualTopUps().find(r2.id()).orElseThrow().state())
                .isEqualTo(dev.kiebot.core.payments.ManualTopUpState.CLAIMED_PAID);
        assertThat(to(paid, ShopHarness.ADMIN)).singleElement().isInstanceOfSatisfying(Reply.SendText.class,
                t -> assertThat(t.text()).contains("Top-up request #" + r2.id()));
        List<Reply> fourth = request500();
        assertThat(lastText(fourth)).as("both paid: nothing to press, nothing said of it")
                .endsWith("once one of them is decided or expires.");
        assertThat(buttonTexts(fourth)).containsExactly("🏠 Menu");

        h.press(ShopHarness.ADMIN, CardRequests.decline(r1));
        assertThat(lastText(request500())).contains(stored().reference());
        assertThat(h.stores.manualTopUps().recent(U, 10)).hasSize(3);
    }

    /**
     * A ban does not turn a stock of requests into a flood: «I paid» still passes for requests made before it, so
     * each one he could open was one more message per admin after the ban; he can hold no more than two.
     */
    @Test
    void aBannedUserHasNoMoreThanTwoRequestsToReportPaid() {
        for (int i = 0; i < 5; i++) {
            request500();
        }
        h.admin("ban", Long.toString(U));
        h.messenger.drain();
        int toAdmins = 0;
        for (long id = 1; id <= 5; id++) {
            toAdmins += to(h.press(U, "*|!|" + id), ShopHarness.ADMIN).size();
        }
        h.deliver();
        toAdmins += to(h.messenger.drain(), ShopHarness.ADMIN).size();
        assertThat(toAdmins).isEqualTo(2);
        assertThat(h.stores.manualTopUps().countOpen()).isEqualTo(2);
    }

    /** /find says who did what with a request: the user asked and paid, an admin approved. */
    @Test
    void findSaysTheUserAskedAndAnAdminApproved() {
        List<Reply> claimed = h.press(U, button(request500(), "I paid"));
        h.press(ShopHarness.ADMIN, button(claimed, "Approve"));
        List<String> history = h.stores.audit().byCorrelation("manual" + stored().display()).stream()
                .map(e -> e.action() + " " + e.actor()).toList();
        assertThat(history).containsExactly("manual.requested " + Actor.mask(U), "manual.claimed_paid " + Actor.mask(U),
                "manual.approved admin:" + Actor.mask(ShopHarness.ADMIN));
    }

    /** The code the user writes in the transfer's comment: six characters none of which reads like another. */
    @Test
    void aReferenceIsSixCharactersThatDoNotReadAlike() {
        request500();
        assertThat(stored().reference()).matches("[A-HJ-NP-Z2-9]{6}");
    }
}
