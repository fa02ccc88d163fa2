package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.ChatKind;
import dev.kiebot.core.conversation.ChatSession;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.MediaType;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.payments.ManualTopUp;
import dev.kiebot.core.payments.ManualTopUpState;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shop serves private chats only: in a group, supergroup or channel nothing is stored, no money moves and no job
 * starts; a command or a message said to the bot gets one answer with a link to the private chat, a button press an
 * alert, an edit silence.
 */
class PrivateChatsOnlyTest {
    private static final long GROUP = -1001234567890L;
    private static final long A = 42;
    private static final long B = 43;
    private static final long WELCOME_BONUS = 5_000;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        // a welcome bonus, so that a user merely being recorded would show in the ledger
        h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN))
                .withWelcomeBonus(WELCOME_BONUS).withAdmission(AdmissionPolicy.off()));
    }

    private List<Transfer> allTransfers() {
        return h.stores.ledger().accounts().stream().flatMap(a -> h.stores.ledger().transfers(a).stream()).toList();
    }

    private void assertNothingStored(long... users) {
        assertThat(h.sessions().load(GROUP)).isEmpty();
        for (long u : users) {
            assertThat(h.stores.users().find(u)).as("user %d recorded", u).isEmpty();
            assertThat(h.sessions().load(u)).isEmpty();
            assertThat(h.stores.jobs().recent(u, 10)).isEmpty();
        }
        assertThat(allTransfers()).isEmpty();
    }

    @Test
    void aCommandInAGroupGetsOneAnswerWithTheLinkToThePrivateChatAndNothingElse() {
        List<Reply> r = h.sendIn(ChatKind.SUPERGROUP, GROUP, A, new Event.Command("start", ""));

        assertThat(r).hasSize(1);
        Reply.SendText answer = (Reply.SendText) r.get(0);
        assertThat(answer.chatId()).isEqualTo(GROUP);
        assertThat(answer.text()).contains("private messages");
        assertThat(answer.keyboard().buttons()).containsExactly(
                Button.link("Open a private chat", "https://t.me/" + ShopHarness.BOT_USERNAME));
        // any command, also an admin's top-up: the same answer, and no money moves
        assertThat(h.sendIn(ChatKind.GROUP, GROUP, ShopHarness.ADMIN, new Event.Command("topup_user", A + " 100")))
                .singleElement().isInstanceOfSatisfying(Reply.SendText.class,
                        t -> assertThat(t.text()).contains("private messages"));
        assertNothingStored(A, ShopHarness.ADMIN);
    }

    @Test
    void aCommandInAForumTopicIsAnsweredInThatTopic() {
        assertThat(h.sendInTopic(GROUP, 37, A, new Event.Command("start", ""))).singleElement()
                .isInstanceOfSatisfying(Reply.SendText.class, t -> {
                    assertThat(t.chatId()).isEqualTo(GROUP);
                    assertThat(t.topic()).contains(37L);
                    assertThat(t.text()).contains("private messages");
                });
        assertThat(h.sendIn(ChatKind.SUPERGROUP, GROUP - 1, A, new Event.Command("start", ""))).singleElement()
                .isInstanceOfSatisfying(Reply.SendText.class, t -> assertThat(t.topic()).isEmpty());
        assertNothingStored(A);
    }

    /**
     * A Discord guild channel's id is a positive snowflake: the group is told its kind, not its id's sign, and is
     * limited as a Telegram group is (five /start got five answers).
     */
    @Test
    void aGroupWithAPositiveIdIsLimitedAsOneWithANegativeId() {
        long guildChannel = 1_100_000_000_000_000_777L;
        long answered = 0;
        for (int i = 0; i < 5; i++) {
            answered += h.sendIn(ChatKind.GROUP, guildChannel, A, new Event.Command("start", "")).size();
        }
        assertThat(answered).as("three at once").isEqualTo(3);
        h.clock.advance(Duration.ofMinutes(1));
        assertThat(h.sendIn(ChatKind.GROUP, guildChannel, B, new Event.Command("help", ""))).hasSize(1);
        assertThat(h.sendIn(ChatKind.GROUP, guildChannel, B, new Event.Command("help", ""))).isEmpty();
        assertThat(h.sendIn(ChatKind.PRIVATE, A, A, new Event.Command("start", "")))
                .as("a member's private chat is not the group's").isNotEmpty();
        assertThat(h.stores.users().find(B)).isEmpty();
        assertThat(h.sessions().load(guildChannel)).isEmpty();
    }

    /** Telegram lets a bot post 20 messages a minute to a group: a group flooding it with commands gets few. */
    @Test
    void aGroupFloodingTheBotWithCommandsIsAnsweredThreeTimesThenOnceAMinute() {
        long answered = 0;
        for (int i = 0; i < 20; i++) {
            answered += h.sendIn(ChatKind.GROUP, GROUP, A + i % 2, new Event.Command("start", "")).size();
        }
        assertThat(answered).as("three at once").isEqualTo(3);

        h.clock.advance(Duration.ofMinutes(1));
        assertThat(h.sendIn(ChatKind.GROUP, GROUP, B, new Event.Command("help", ""))).hasSize(1);
        assertThat(h.sendIn(ChatKind.GROUP, GROUP, B, new Event.Command("help", ""))).isEmpty();
        assertThat(h.sendIn(ChatKind.GROUP, GROUP - 1, B, new Event.Command("start", "")))
                .as("another group has its own answers").hasSize(1);
        assertThat(h.sendIn(ChatKind.PRIVATE, A, A, new Event.Command("start", "")))
                .as("a member's private chat is not the group's").isNotEmpty();
    }

    /**
     * An album said to the bot in a group is answered once: each of its files took one of the group's answers, and
     * four photos left a member's command right after them unanswered (a review's finding).
     */
    @Test
    void anAlbumSaidToTheBotInAGroupIsAnsweredOnceAndCostsOneAnswer() {
        long answered = 0;
        for (String photo : List.of("p1", "p2", "p3", "p4")) {
            answered += h.sendIn(ChatKind.SUPERGROUP, GROUP, A, new Event.Media(MediaType.PHOTO, photo, 1000,
                    Optional.of("image/jpeg"), Optional.empty()).inAlbum("album-1")).size();
        }
        assertThat(answered).as("one answer for the album").isEqualTo(1);
        assertThat(h.sendIn(ChatKind.SUPERGROUP, GROUP, B, new Event.Command("start", "")))
                .as("the group's next command is answered").hasSize(1);
    }

    /**
     * Two albums sent at once arrive with their parts interleaved: each is answered once, its later parts costing
     * nothing. The group's answers remembered its last album alone, so each part after the other album's took an answer
     * again, and the third answer of the group's burst went to a repeat, the member's command after them unanswered.
     */
    @Test
    void twoAlbumsSentAtOnceAreAnsweredOnceEach() {
        List<Integer> answers = new java.util.ArrayList<>();
        for (String part : List.of("a1", "b1", "a2", "b2", "a3", "b3", "a4")) {
            answers.add(h.sendIn(ChatKind.SUPERGROUP, GROUP, part.startsWith("a") ? A : B, new Event.Media(
                    MediaType.PHOTO, part, 1000, Optional.of("image/jpeg"), Optional.empty())
                    .inAlbum("album-" + part.charAt(0))).size());
        }
        assertThat(answers).as("the first part of each album answered, no later one").containsExactly(1, 1, 0, 0, 0,
                0, 0);
        assertThat(h.sendIn(ChatKind.SUPERGROUP, GROUP, B, new Event.Command("start", "")))
                .as("the third of the group's burst is left for its next command").hasSize(1);
    }

    @Test
    void aRussianSpeakerHearsItInRussian() {
        List<Reply> r = h.speaking("ru").sendIn(ChatKind.GROUP, GROUP, B, new Event.Command("menu", ""));

        assertThat(lastText(r)).contains("только в личных сообщениях");
        assertThat(((Reply.SendText) r.get(0)).keyboard().buttons()).extracting(Button::text)
                .containsExactly("Открыть личный чат");
        assertNothingStored(B);
    }

    /**
     * A group's text or file reaches the core only when said to the bot (the Telegram adapter passes a reply to the
     * bot's message, no other): the member asked the bot something and got nothing at all (a review's finding).
     */
    @Test
    void aTextOrAFileSaidToTheBotInAGroupGetsTheAnswerWithTheLinkWithinTheGroupsLimit() {
        for (Event said : List.<Event>of(new Event.Text("a red fox in the snow"), new Event.Media(MediaType.PHOTO,
                "f", 1000, Optional.of("image/jpeg"), Optional.empty()), new Event.Unknown("sticker"))) {
            assertThat(h.sendIn(ChatKind.SUPERGROUP, GROUP, A, said)).as("%s", said).singleElement()
                    .isInstanceOfSatisfying(Reply.SendText.class, t -> {
                        assertThat(t.chatId()).isEqualTo(GROUP);
                        assertThat(t.text()).contains("private messages");
                        assertThat(t.keyboard().buttons()).containsExactly(
                                Button.link("Open a private chat", "https://t.me/" + ShopHarness.BOT_USERNAME));
                    });
        }
        assertThat(h.sendIn(ChatKind.SUPERGROUP, GROUP, B, new Event.Text("and me?")))
                .as("a busy group: three answers, then one a minute").isEmpty();
        h.clock.advance(Duration.ofMinutes(1));
        assertThat(h.sendIn(ChatKind.SUPERGROUP, GROUP, B, new Event.EditedText(5, "a red fox, edited")))
                .as("an edit asks nothing new").isEmpty();
        assertThat(h.sendIn(ChatKind.SUPERGROUP, GROUP, B, new Event.Unknown("edited_text"))).isEmpty();
        assertThat(h.sendIn(ChatKind.SUPERGROUP, GROUP, B, new Event.Text("and me?"))).hasSize(1);
        assertNothingStored(A, B);
    }

    @Test
    void aPressInAGroupIsAnsweredWithAnAlertAndChargesNobody() {
        // A's order waits at its confirm screen; a group that used the bot before it served private chats only
        // has such a state under the group's chat id
        h.command(A, "start");
        h.topUp(A, 10_000);
        h.press(A, "*|g|img/m9");
        List<Reply> confirm = h.press(A, button(h.text(A, "a red fox in the snow"), "1:1"));
        String generate = button(confirm, "Generate for");
        ChatSession confirming = h.session(A);
        h.sessions().save(GROUP, confirming);
        h.command(B, "start");
        h.topUp(B, 10_000);
        long transfers = allTransfers().size();

        List<Reply> r = h.sendIn(ChatKind.SUPERGROUP, GROUP, B, new Event.Callback("q-b", generate, Optional.of(7L)));

        assertThat(r).containsExactly(new Reply.AnswerCallback(GROUP, "q-b",
                Optional.of("I work in private messages only. Open a private chat with me."), true));
        assertThat(h.balance(B)).isEqualTo(WELCOME_BONUS + 10_000);
        assertThat(h.balance(A)).isEqualTo(WELCOME_BONUS + 10_000);
        assertThat(h.stores.jobs().recent(A, 10)).isEmpty();
        assertThat(h.stores.jobs().recent(B, 10)).isEmpty();
        assertThat(allTransfers()).hasSize((int) transfers);
        assertThat(h.sessions().load(GROUP)).contains(confirming);
    }

    /**
     * An admin's buttons act in his private chat only: «Approve» of a request and «Credit» of a money confirmation,
     * pressed from a group (the admin himself, or anybody with the data), get the group's alert and move nothing; the
     * request still waits, the confirmation too.
     */
    @Test
    void anAdminsOwnButtonsPressedFromAGroupMoveNothing() {
        h.command(ShopHarness.ADMIN, "start");
        h.command(A, "start");
        ManualTopUp request = CardRequests.claimed500(h, A);
        String credit = button(h.admin("topup_user", A + " 1000"), "Credit");
        long balance = h.balance(A);
        long transfers = allTransfers().size();
        h.deliver();
        h.messenger.drain();

        for (String data : List.of(CardRequests.approve(request), credit)) {
            List<Reply> r = h.sendIn(ChatKind.SUPERGROUP, GROUP, ShopHarness.ADMIN,
                    new Event.Callback("q", data, Optional.of(5L)));
            assertThat(r).as(data).singleElement().isInstanceOf(Reply.AnswerCallback.class);
        }
        h.work(10);

        assertThat(h.balance(A)).isEqualTo(balance);
        assertThat(allTransfers()).hasSize((int) transfers);
        assertThat(h.stores.manualTopUps().find(request.id()).orElseThrow().state())
                .isEqualTo(ManualTopUpState.CLAIMED_PAID);
        assertThat(h.session(ShopHarness.ADMIN).money()).as("the confirmation still waits").isPresent();
        assertThat(h.sessions().load(GROUP)).isEmpty();
    }

    @Test
    void theBotAddedToAGroupSaysItOnceAndRemovedSaysNothing() {
        assertThat(h.sendIn(ChatKind.GROUP, GROUP, A, new Event.MembershipChanged(false))).singleElement()
                .isInstanceOfSatisfying(Reply.SendText.class, t -> assertThat(t.text()).contains("private messages"));
        assertThat(h.sendIn(ChatKind.GROUP, GROUP, A, new Event.MembershipChanged(true))).isEmpty();
        assertNothingStored(A);
    }

    @Test
    void aChannelHearsNothing() {
        assertThat(h.sendIn(ChatKind.CHANNEL, GROUP, A, new Event.Command("start", ""))).isEmpty();
        assertThat(h.sendIn(ChatKind.CHANNEL, GROUP, A, new Event.Callback("q", "*|m", Optional.of(1L)))).isEmpty();
        assertNothingStored(A);
    }

    @Test
    void aPaymentReportedFromAGroupIsCreditedAndAnsweredInThePayersPrivateChat() {
        String payload = h.invoiceFor50Stars(A);
        long before = h.balance(A);

        List<Reply> r = h.sendIn(ChatKind.SUPERGROUP, GROUP, A, new Event.SuccessfulPayment("ch-1", payload, "XTR", 50));

        assertThat(h.balance(A)).isEqualTo(before + 7_500);
        assertThat(r).isNotEmpty().allSatisfy(x -> assertThat(x.chatId()).isEqualTo(A));
        assertThat(lastText(r)).contains("Balance topped up");
        assertThat(h.sessions().load(GROUP)).isEmpty();
    }

    /**
     * A payment from a group is served as its payer's (Telegram says who paid): another user's invoice reported paid
     * there by B credits neither B nor its owner, as in B's private chat.
     */
    @Test
    void anotherUsersInvoiceReportedPaidFromAGroupCreditsNobody() {
        String payload = h.invoiceFor50Stars(A);
        h.command(B, "start");
        long a = h.balance(A);
        long b = h.balance(B);

        List<Reply> r = h.sendIn(ChatKind.GROUP, GROUP, B, new Event.SuccessfulPayment("ch-b", payload, "XTR", 50));

        assertThat(lastText(r)).doesNotContain("Balance topped up");
        assertThat(h.balance(A)).isEqualTo(a);
        assertThat(h.balance(B)).isEqualTo(b);
        assertThat(h.stores.payments().invoice(payload).orElseThrow().paidChargeId()).isEmpty();
        assertThat(h.sessions().load(GROUP)).isEmpty();
    }

    @Test
    void anUpdateWhoseAdapterDidNotSayTheChatKindIsServedAsPrivateOnlyInTheUsersOwnChat() {
        // ShopHarness.send builds Incoming without a chat kind, as partners' adapters and old fixtures may
        assertThat(lastText(h.command(A, "start"))).contains("User42");
        assertThat(h.stores.users().find(A)).isPresent();

        // another chat than the user's own, kind unsaid: a group, not a conversation its members share
        h.messenger.drain();
        h.shop.storefront().serve(new Incoming(9_001, new Actor(B, GROUP, "B", Optional.empty(), Optional.of("en")),
                new Event.Command("start", "")));
        assertThat(h.stores.users().find(B)).isEmpty();
        assertThat(h.sessions().load(GROUP)).isEmpty();
    }

    /**
     * A private chat's id is its user's id (Telegram's rule): an update said to come from a private chat with another
     * id is served as a group's, whatever the adapter says, so a chat shared by several people never becomes one
     * conversation on whoever presses (found by a review; no way in through Telegram was found, it is a guard).
     */
    @Test
    void aPrivateChatWhoseIdIsNotItsUsersIsServedAsAGroup() {
        List<Reply> r = h.sendIn(ChatKind.PRIVATE, A, B, new Event.Command("start", ""));

        assertThat(r).singleElement().isInstanceOfSatisfying(Reply.SendText.class,
                t -> assertThat(t.text()).contains("private messages"));
        assertNothingStored(A, B);
    }
}
