package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.ChatState;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.MediaType;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.support.SupportTicket;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /paysupport tickets, /balance with what is reserved, and /payments: the wallet's last movements. */
class PaySupportAndStatementTest {
    private static final long U = 42;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness().startedByAdminAnd(U);
    }

    /** Whatever a test did with money, the ledger keeps its invariants. */
    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    private static List<Reply> to(List<Reply> replies, long chat) {
        return replies.stream().filter(r -> r.chatId() == chat).toList();
    }

    @Test
    void aTicketReachesTheAdminsWithPaymentsGenerationsAndRefundButtons() {
        h.paid50Stars(U, "charge-t1");
        List<Reply> prompt = h.command(U, "paysupport");
        assertThat(lastText(prompt)).contains("Describe your question in one message", "about a payment or anything else; the admins will get it", "Waiting for your message")
                .doesNotContain("@support");
        assertThat(h.session(U).state()).isEqualTo(new ChatState.WritingTicket());
        assertThat(lastText(h.text(U, "  "))).contains("The text is empty");
        // characters that show nothing are empty too, as a description of them is: no ticket of «ㅤ» for the admins
        assertThat(lastText(h.text(U, "\u3164\u200B"))).contains("The text is empty");
        assertThat(lastText(h.text(U, "x".repeat(SupportTicket.TEXT_MAX + 1)))).contains("The text is too long");
        List<Reply> sent = h.text(U, "Paid 50 stars, balance did not change; gen_7");
        SupportTicket ticket = h.stores.supportTickets().recent(U, 1).get(0);
        assertThat(ticket.text()).isEqualTo("Paid 50 stars, balance did not change; gen_7");
        assertThat(lastText(to(sent, U))).isEqualTo("✅ Your request\u00A0" + ticket.display()
                + " has reached support. The answer will come here, in this chat.");
        assertThat(h.session(U).state()).isEqualTo(new ChatState.Menu());
        List<Reply> admin = to(sent, ShopHarness.ADMIN);
        assertThat(lastText(admin)).contains("Support request " + ticket.display(), "User" + U,
                "Paid 50 stars, balance did not change", "charge-t1", "75\u00A0₽", "Generations:");
        List<Reply> refunded = h.adminPressConfirmed(button(admin, "Refund 50\u00A0⭐"));
        assertThat(lastText(to(refunded, ShopHarness.ADMIN))).contains("Refunded 50\u00A0⭐");
        assertThat(h.balance(U)).isZero();
    }

    /**
     * «🏠 Menu» under «✅ Your request #N has reached support» brings the menu as a new message below it: the
     * confirmation, with the number the answer will name, stays in the chat (the press edited it into the menu, and
     * the user was left wondering whether it went); so does the support's answer under it.
     */
    @Test
    void theMenuUnderASentTicketComesBelowItAndLeavesItInTheChat() {
        h.command(U, "paysupport");
        List<Reply> sent = to(h.text(U, "Paid 50 stars, balance did not change"), U);
        List<Reply> menu = to(h.press(U, button(sent, "Menu")), U);
        assertThat(menu).noneMatch(Reply.EditText.class::isInstance);
        assertThat(menu).filteredOn(Reply.SendText.class::isInstance).singleElement()
                .satisfies(r -> assertThat(((Reply.SendText) r).text()).contains("Main menu"));
        assertThat(h.session(U).state()).isEqualTo(new ChatState.Menu());

        // the support's answer, the words the user waited for, stays too
        SupportTicket ticket = h.stores.supportTickets().recent(U, 1).get(0);
        List<Reply> answer = to(h.admin("reply", ticket.id() + " It is on its way"), U);
        assertThat(to(h.press(U, button(answer, "Menu")), U)).noneMatch(Reply.EditText.class::isInstance)
                .anyMatch(Reply.SendText.class::isInstance);
    }

    /**
     * A screenshot of the payment sent with the problem as its caption goes to the admins with the ticket: the user
     * was told his request had reached support and believed the picture had too, while the admins saw the caption
     * only. A sticker's or a voice message's caption is a ticket of its own (Telegram resends neither as a file here).
     */
    @Test
    void aScreenshotSentWithTheProblemReachesTheAdminsWithTheTicket() {
        h.command(U, "paysupport");
        List<Reply> sent = h.send(U, new dev.kiebot.core.conversation.Event.Media(
                dev.kiebot.core.conversation.MediaType.PHOTO, "screenshot-file", 80_000, Optional.empty(),
                Optional.empty()).withCaption("Paid, balance did not change"));
        SupportTicket ticket = h.stores.supportTickets().recent(U, 1).get(0);
        assertThat(ticket.text()).isEqualTo("Paid, balance did not change");
        assertThat(lastText(to(sent, U))).contains("has reached support");
        List<Reply> admin = to(sent, ShopHarness.ADMIN);
        assertThat(admin).last().isEqualTo(new Reply.SendMedia(ShopHarness.ADMIN, dev.kiebot.core.jobs.MediaKind.PHOTO,
                "screenshot-file", "📎 Attached to support request " + ticket.display(),
                dev.kiebot.core.reply.Keyboard.NONE));

        h.command(U, "paysupport");
        List<Reply> voice = h.send(U, new dev.kiebot.core.conversation.Event.Media(
                dev.kiebot.core.conversation.MediaType.VOICE, "voice-file", 8_000, Optional.empty(), Optional.empty())
                .withCaption("And this"));
        assertThat(to(voice, ShopHarness.ADMIN)).noneMatch(r -> r instanceof Reply.SendMedia);
        assertThat(lastText(to(voice, ShopHarness.ADMIN))).contains("And this");
    }

    /**
     * An update's id names no user (Telegram numbers a bot's updates afresh after a week without any, and so does
     * another bot token on the same database): a ticket written in an update whose id an earlier ticket of somebody
     * else had is this user's own. The admins got the other user's words under this user's name, above this user's
     * payments and their Refund buttons, and this user's problem was lost.
     */
    @Test
    void aTicketWrittenInAnUpdateWhoseIdAnotherUsersTicketHadIsTheUsersOwn() {
        long updateId = 9_000;
        h.command(U, "paysupport");
        h.shop.storefront().serve(new Incoming(updateId, ShopHarness.actor(U, "en"), new Event.Text("first problem")));

        long other = 77;
        h.command(other, "start");
        h.command(other, "paysupport");
        h.messenger.drain();
        h.shop.storefront().serve(new Incoming(updateId, ShopHarness.actor(other, "en"),
                new Event.Text("my stars are gone")));
        h.deliver();
        List<Reply> sent = h.messenger.drain();

        assertThat(h.stores.supportTickets().recent(other, 5)).as("a ticket of his own").singleElement()
                .satisfies(t -> assertThat(t.text()).isEqualTo("my stars are gone"));
        assertThat(lastText(to(sent, ShopHarness.ADMIN))).contains("my stars are gone", "User" + other)
                .doesNotContain("first problem");
        assertThat(h.stores.supportTickets().recent(U, 5)).singleElement()
                .satisfies(t -> assertThat(t.text()).isEqualTo("first problem"));
    }

    /**
     * Every ticket is a long message to every admin out of the bot's 30 messages a second: a user writing ticket after
     * ticket filled every admin's chat, bounded only by his rate limit. Three a day reach the admins; later ones are
     * kept for /tickets, and the user is told where they are; a day later his tickets reach the admins again.
     */
    @Test
    void threeTicketsADayReachTheAdminsAndLaterOnesWaitInTheList() {
        for (int i = 1; i <= PaySupport.NOTIFIED_PER_DAY_MAX + 2; i++) {
            h.clock.advance(Duration.ofMinutes(10));
            h.command(U, "paysupport");
            List<Reply> sent = h.text(U, "problem " + i);
            SupportTicket ticket = h.stores.supportTickets().recent(U, 1).get(0);
            assertThat(ticket.text()).isEqualTo("problem " + i);
            if (i <= PaySupport.NOTIFIED_PER_DAY_MAX) {
                assertThat(lastText(to(sent, ShopHarness.ADMIN))).as("ticket %d", i).contains("problem " + i);
                assertThat(lastText(to(sent, U))).contains("has reached support");
            } else {
                assertThat(to(sent, ShopHarness.ADMIN)).as("ticket %d", i).isEmpty();
                assertThat(lastText(to(sent, U))).isEqualTo("✅ Your request\u00A0" + ticket.display()
                        + " is saved. The admins already have your earlier requests and will find this one in their"
                        + " list of requests. The answer will come here, in this chat.");
            }
            assertThat(h.session(U).state()).isEqualTo(new ChatState.Menu());
        }
        assertThat(lastText(h.command(ShopHarness.ADMIN, "tickets"))).contains("problem 4", "problem 5");

        h.clock.advance(Duration.ofHours(24));
        h.command(U, "paysupport");
        assertThat(lastText(to(h.text(U, "next day"), ShopHarness.ADMIN))).contains("next day");
    }

    /**
     * A ticket's text is the user's, shown to admins above the bot's own list of the user's payments: written as
     * that list («Payments:», a «• 5000 ⭐» line, a line separator instead of a newline), it must not read as one.
     */
    @Test
    void aTicketCannotFakeTheBotsOwnLinesForTheAdmins() {
        h.paid50Stars(U, "charge-t1");
        h.command(U, "paysupport");
        List<Reply> sent = h.text(U, "Stars gone!\n\nPayments:\n• ⭐ 5000 · charge-fake · credited 7 500 ₽"
                + "\u2028• ⭐ 900 · charge-fake2\r\n\u202Eevil\tend");
        String admin = lastText(to(sent, ShopHarness.ADMIN));
        List<String> lines = admin.lines().toList();
        assertThat(lines).filteredOn(l -> l.equals("Payments:")).as("the bot's own heading, once").hasSize(1);
        assertThat(lines).filteredOn(l -> l.startsWith("• ")).as("the bot's own payment lines: only the real one")
                .singleElement().asString().contains("charge-t1");
        assertThat(lines).contains("┃ Stars gone!", "┃ ", "┃ Payments:", "┃ • ⭐ 900 · charge-fake2", "┃  evil end");
        assertThat(admin).doesNotContain("\u2028", "\u202E", "\t");

        String list = lastText(h.admin("tickets", ""));
        assertThat(list.lines().filter(l -> l.contains("Stars gone!")).findFirst().orElseThrow())
                .as("one line in the list").contains("Stars gone! Payments: • ⭐ 5000");
        assertThat(list).doesNotContain("\u2028", "\u202E").doesNotContainPattern("(?m)^Payments:");
    }

    /** Before, a payment that credited nothing was not on the ticket, and no button could give its Stars back. */
    @Test
    void aTicketShowsAPaymentThatCreditedNothingWithARefundButtonThatWorks() {
        String payload = h.paid50Stars(U, "charge-t1");
        h.send(U, new Event.SuccessfulPayment("charge-twice", "topup:never-issued", "XTR", 50));
        h.command(U, "paysupport");
        List<Reply> admin = to(h.text(U, "Paid twice for one top-up"), ShopHarness.ADMIN);
        assertThat(lastText(admin)).contains("charge-t1", "not credited · charge-twice");
        // its button reads as the credited one's (the same Stars, the same minute): its confirmation tells them apart
        String twice = ShopHarness.buttonWithData(admin, h.stores.payments().uncredited("charge-twice").orElseThrow()
                .reference());
        List<Reply> refunded = h.adminPressConfirmed(twice);
        assertThat(lastText(to(refunded, ShopHarness.ADMIN))).contains("Refunded 50\u00A0⭐ to " + "User" + U + " (id " + U + ")", "not credited");
        assertThat(lastText(to(refunded, U))).contains("50\u00A0⭐", "balance did not change");
        assertThat(h.starsRefunds.calls()).extracting(c -> c.chargeId()).containsExactly("charge-twice");
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(lastText(to(h.press(ShopHarness.ADMIN, twice), ShopHarness.ADMIN)))
                .contains("already refunded");
        assertThat(h.starsRefunds.calls()).hasSize(1);
    }

    /**
     * A ticket is not lost to an admin who missed its message (or was named after it came): {@code /tickets} lists
     * the newest, one line each, and shows one again as it arrived, with its Refund buttons, which still work; the
     * user's card in {@code /find} names their tickets.
     */
    @Test
    void anAdminListsTheNewestTicketsAndOpensOneAgainWithItsRefundButtons() {
        long other = 43;
        h.command(other, "start");
        h.paid50Stars(U, "charge-t1");
        h.command(U, "paysupport");
        String problem = "Paid 50 stars at 10:15,\nthe balance did not change and the bot said nothing at all; please check";
        h.text(U, problem);
        h.command(other, "paysupport");
        h.text(other, "Where is my 🎨 picture?");
        SupportTicket mine = h.stores.supportTickets().recent(U, 1).get(0);
        SupportTicket theirs = h.stores.supportTickets().recent(other, 1).get(0);

        String list = lastText(h.admin("tickets", ""));
        assertThat(list).contains("newest first (2)", "/tickets <number>");
        assertThat(list.indexOf(theirs.display() + " · ")).as("newest first").isLessThan(list.indexOf(mine.display() + " · "));
        assertThat(list).contains("id " + U + "): Paid 50 stars at 10:15, the balance did not change")
                .contains("id " + other + "): Where is my 🎨 picture?")
                .doesNotContain("please check");
        assertThat(list.lines().filter(l -> l.startsWith(mine.display())).findFirst().orElseThrow())
                .endsWith("…").hasSizeLessThan(200);

        List<Reply> again = to(h.admin("tickets", mine.display()), ShopHarness.ADMIN);
        assertThat(lastText(again)).contains("Support request " + mine.display(), "please check", "charge-t1");
        List<Reply> refunded = h.adminPressConfirmed(button(again, "Refund 50\u00A0⭐"));
        assertThat(lastText(to(refunded, ShopHarness.ADMIN))).contains("Refunded 50\u00A0⭐");
        assertThat(h.balance(U)).isZero();

        assertThat(lastText(h.admin("tickets", Long.toString(theirs.id()))))
                .contains("Support request " + theirs.display(), "Where is my 🎨 picture?");
        assertThat(lastText(h.admin("tickets", "#9999")))
                .isEqualTo("Request\u00A0#9999 not found.");
        assertThat(lastText(h.admin("tickets", "latest")))
                .contains("/tickets [request number]");
        assertThat(lastText(h.admin("find", Long.toString(U))))
                .contains("Support requests:\n  " + mine.display() + " · ");
        assertThat(lastText(h.send(U, new Event.Command("tickets", "")))).as("admins only")
                .doesNotContain(mine.display());
    }

    /**
     * /reply: the admin's words reach the ticket's user in his chat with the bot, between a heading and the way to
     * write again in his language (braces in them are the admin's, not placeholders); the other admin sees the answer,
     * so nobody answers twice; the list and the ticket show it answered. A user who blocked the bot is not written to.
     */
    @Test
    void anAdminAnswersATicketInTheUsersChatAndTheOtherAdminSeesTheAnswer() {
        long admin2 = 2;
        h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
                .withAdmins(java.util.Set.of(ShopHarness.ADMIN, admin2))
                .withAdmission(dev.kiebot.core.intake.AdmissionPolicy.off())).startedByAdminAnd(admin2, U);
        h.command(U, "paysupport");
        h.text(U, "Where is my picture?");
        SupportTicket ticket = h.stores.supportTickets().recent(U, 1).get(0);
        String number = Long.toString(ticket.id());
        assertThat(lastText(h.admin("tickets", number))).endsWith("✍️ Answer the user: /reply " + number + " <your answer>");

        List<Reply> answered = h.admin("reply", number + "  It is on its way {1}:\nsee /history ");
        assertThat(to(answered, U)).singleElement().isInstanceOfSatisfying(Reply.SendText.class, t -> {
            assertThat(t.text()).isEqualTo("💬 Support's answer to your request\u00A0" + ticket.display() + ":\n\n"
                    + "It is on its way {1}:\nsee /history\n\nIf something is still unclear, press /paysupport and write again.");
            assertThat(t.keyboard().toString()).contains("Menu");
        });
        assertThat(lastText(to(answered, ShopHarness.ADMIN))).isEqualTo("✅ The answer to request\u00A0"
                + ticket.display() + " is sent: User" + U + " gets it in the chat with the bot.");
        assertThat(lastText(to(answered, admin2))).startsWith("✉️ Request\u00A0" + ticket.display()
                + ": an answer was sent to the user. Written by ").endsWith("\n\nIt is on its way {1}:\nsee /history");
        assertThat(h.stores.audit().byCorrelation("ticket" + ticket.display()))
                .extracting(dev.kiebot.core.audit.AuditEvent::action).containsExactly("support.ticket", "support.answered");
        assertThat(lastText(h.admin("tickets", ""))).contains("\n✉️ " + ticket.display() + " · ");
        assertThat(lastText(h.admin("tickets", number))).as("who answered what, kept with the ticket")
                .contains("✉️ Answered 21.11.26 13:00 by User" + ShopHarness.ADMIN + " (id " + ShopHarness.ADMIN
                        + "):\n┃ It is on its way {1}:\n┃ see /history");
        assertThat(h.stores.supportTickets().answers(ticket.id())).singleElement()
                .satisfies(a -> assertThat(a.text()).isEqualTo("It is on its way {1}:\nsee /history"));

        assertThat(lastText(h.admin("reply", number))).contains("/reply <request number> <answer text>");
        assertThat(lastText(h.admin("reply", number + " \u00A0\u00A0"))).as("no-break spaces alone")
                .contains("/reply <request number> <answer text>");
        assertThat(to(h.admin("reply", ticket.display() + " Also: /history shows it."), U)).as("#12 as shown")
                .singleElement().satisfies(r -> assertThat(lastText(List.of(r))).contains("Also: /history shows it."));
        assertThat(lastText(h.admin("reply", "9999 hello"))).isEqualTo("Request\u00A0#9999 not found.");
        assertThat(lastText(h.admin("reply", number + " " + "x".repeat(dev.kiebot.core.support.TicketAnswer.TEXT_MAX + 1))))
                .isEqualTo("Failed: the answer has 3501\u00A0characters, at most 3500 are allowed.");
        List<Reply> notAdmin = h.send(U, new Event.Command("reply", number + " all is fine"));
        assertThat(notAdmin).singleElement().satisfies(r -> assertThat(r.chatId()).isEqualTo(U));
        assertThat(lastText(notAdmin)).doesNotContain("all is fine");

        h.stores.users().setBlocked(U, true);
        List<Reply> blocked = h.admin("reply", number + " Hello?");
        assertThat(to(blocked, U)).isEmpty();
        assertThat(lastText(blocked)).contains("was not sent", "has blocked the bot");
        assertThat(h.stores.audit().byCorrelation("ticket" + ticket.display())).hasSize(3);
    }

    /** A Russian admin reads «Обращение № 12» and may type the number so: «№ 12», «№12», «#12» and «12» alike. */
    @Test
    void aRussianAdminReadsAndTypesNumbersWithTheNumberSign() {
        h.command(U, "paysupport");
        h.text(U, "Где картинка?");
        long id = h.stores.supportTickets().recent(U, 1).get(0).id();
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        assertThat(lastText(h.admin("tickets", "№ " + id))).startsWith("🆘 Обращение\u00A0№\u00A0" + id + " от ");
        assertThat(lastText(h.admin("tickets", ""))).contains("\n№\u00A0" + id + " · ");
        List<Reply> answered = h.admin("reply", "№" + id + " Нашли, отправили ещё раз.");
        assertThat(ShopHarness.lastTextTo(answered, ShopHarness.ADMIN)).startsWith("✅ Ответ на обращение\u00A0№\u00A0" + id);
        assertThat(lastText(to(answered, U))).contains("Нашли, отправили ещё раз.");
    }

    @Test
    void withNoTicketsTheListSaysSo() {
        assertThat(lastText(h.admin("tickets", "")))
                .isEqualTo("No support requests yet.");
    }

    /**
     * A screenshot without a caption sent first, where the ticket's text is asked, was dropped with «describe the
     * problem in words» and never asked for again (a review's finding): the user learns to send it again after the
     * text, and so sent it reaches the admins under the ticket's number. A sticker is asked for the text alone.
     */
    @Test
    void aScreenshotSentBeforeTheTextIsAskedForAgainAndThenGoesWithTheTicket() {
        h.command(U, "paysupport");
        List<Reply> asked = h.send(U, new Event.Media(MediaType.PHOTO, "shot", 100, Optional.empty(),
                Optional.empty()));
        assertThat(lastText(asked)).startsWith("A text is needed: first describe the problem in words, then send this "
                + "screenshot or file again — I will attach it to your request.");
        assertThat(lastText(h.send(U, new Event.Media(MediaType.STICKER, "st", 100, Optional.empty(),
                Optional.empty())))).startsWith("A text is needed: describe the problem in words.\n");
        h.text(U, "The money was taken and the balance is zero");
        long ticket = h.stores.supportTickets().recent(U, 1).get(0).id();

        List<Reply> again = h.send(U, new Event.Media(MediaType.PHOTO, "shot", 100, Optional.empty(),
                Optional.empty()));

        assertThat(lastText(to(again, U))).contains("attached to support request #" + ticket);
        assertThat(to(again, ShopHarness.ADMIN)).filteredOn(Reply.SendMedia.class::isInstance).singleElement()
                .satisfies(m -> assertThat(((Reply.SendMedia) m).caption())
                        .isEqualTo("📎 Attached to support request #" + ticket));
    }

    /** An album of screenshots sent before the text is asked for again once, not once per file. */
    @Test
    void anAlbumOfScreenshotsBeforeTheTextIsAskedForAgainOnce() {
        h.command(U, "paysupport");
        List<Reply> first = h.send(U, new Event.Media(MediaType.PHOTO, "s1", 100, Optional.empty(), Optional.empty())
                .inAlbum("shots"));
        assertThat(lastText(first)).startsWith("A text is needed: first describe the problem in words");
        for (String shot : List.of("s2", "s3")) {
            assertThat(h.send(U, new Event.Media(MediaType.PHOTO, shot, 100, Optional.empty(), Optional.empty())
                    .inAlbum("shots"))).as("the album's other files").isEmpty();
        }
        h.text(U, "The money was taken and the balance is zero");
        assertThat(h.stores.supportTickets().recent(U, 1)).as("the question stood").hasSize(1);
    }

    @Test
    void aCaptionedScreenshotIsATicketAndCancelLeaves() {
        h.command(U, "paysupport");
        assertThat(lastText(h.send(U, new Event.Media(MediaType.PHOTO, "shot", 100, Optional.empty(),
                Optional.empty())))).startsWith("A text is needed: first describe the problem in words");
        h.send(U, new Event.Media(MediaType.PHOTO, "shot", 100, Optional.empty(), Optional.empty())
                .withCaption("the payment screen"));
        assertThat(h.stores.supportTickets().recent(U, 1)).extracting(SupportTicket::text)
                .containsExactly("the payment screen");
        List<Reply> prompt = h.command(U, "paysupport");
        assertThat(lastText(h.press(U, button(prompt, "Cancel")))).contains("Cancelled");
        assertThat(h.stores.supportTickets().recent(U, 5)).hasSize(1);
    }

    /**
     * With no admins the ticket reaches nobody yet (admins named later list it with /tickets): the user is not told it
     * was passed on to the admins but that they will see it later and the answer may take a while, and where to write
     * when the shop has a contact; the operator reads a warning naming the ticket, never the user's text or id.
     */
    @Test
    void withNoAdminsTheUserIsToldTheAnswerMayTakeAWhileAndTheOperatorIsWarned() {
        long user = 424_242_424L;
        List<String> warnings = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                warnings.add(r.getLevel() + " " + MessageFormat.format(r.getMessage(), r.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger(PaySupport.class.getName());
        log.addHandler(capture);
        try {
            h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()).speaking("ru");
            h.command(user, "start");
            h.command(user, "paysupport");
            List<Reply> sent = h.text(user, "Оплатил 50 звёзд, баланс не изменился");
            SupportTicket ticket = h.stores.supportTickets().recent(user, 1).get(0);
            assertThat(ticket.text()).isEqualTo("Оплатил 50 звёзд, баланс не изменился");
            assertThat(sent).allMatch(r -> r.chatId() == user);
            assertThat(lastText(sent)).isEqualTo("⚠️ Обращение\u00A0№\u00A0" + ticket.id() + " сохранено. "
                    + "Администраторы увидят его позже, поэтому ответ может задержаться.");
            assertThat(warnings).singleElement().asString().startsWith("WARNING support ticket " + ticket.display()
                    + " reached nobody: no admin ids in ShopSettings").doesNotContain("Оплатил", "4242");

            h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withSupport("@shop_help",
                    Optional.empty()));
            h.command(user, "start");
            h.command(user, "paysupport");
            sent = h.text(user, "Paid twice");
            ticket = h.stores.supportTickets().recent(user, 1).get(0);
            assertThat(lastText(sent)).isEqualTo("⚠️ Your request\u00A0" + ticket.display()
                    + " is saved. The admins will see it later, so the answer may take a while. Please write to "
                    + "@shop_help and mention the request number.");
            h.speaking("ru").command(user, "paysupport");
            sent = h.text(user, "Снова списали");
            ticket = h.stores.supportTickets().recent(user, 1).get(0);
            assertThat(lastText(sent)).isEqualTo("⚠️ Обращение\u00A0№\u00A0" + ticket.id() + " сохранено. "
                    + "Администраторы увидят его позже, поэтому ответ может задержаться. Пожалуйста, напишите "
                    + "@shop_help и укажите номер обращения.");
            assertThat(warnings).hasSize(3);
        } finally {
            log.removeHandler(capture);
        }
    }

    @Test
    void theBalanceShowsWhatIsReservedAndThePaymentsTheMovements() {
        h.paid50Stars(U, "charge-s1");
        h.stores.ledger().hold("gen_900", AccountId.wallet(U), AccountId.REVENUE, 312, TransferKind.GENERATION,
                h.clock.instant().plusSeconds(600));
        h.stores.ledger().hold("gen_901", AccountId.wallet(U), AccountId.REVENUE, 500, TransferKind.GENERATION,
                h.clock.instant().plusSeconds(600));
        h.stores.ledger().post("post:gen_901", "gen_901", 500);
        h.stores.ledger().hold("gen_902", AccountId.wallet(U), AccountId.REVENUE, 200, TransferKind.GENERATION,
                h.clock.instant().plusSeconds(600));
        h.stores.ledger().voidHold("void:gen_902", "gen_902");
        h.stores.ledger().transfer("refund:gen_901", AccountId.REVENUE, AccountId.wallet(U), 500, TransferKind.REFUND);
        List<Reply> balance = h.command(U, "balance");
        assertThat(lastText(balance)).contains("Balance: 71.88\u00A0₽",
                "Reserved for running generations: 3.12\u00A0₽");
        List<Reply> payments = h.press(U, button(balance, "Money movements"));
        String text = lastText(payments);
        assertThat(text).contains("+75\u00A0₽ · Stars top-up · charge-s1",
                "−3.12\u00A0₽ · generation (reserved) · gen_900", "−5\u00A0₽ · generation · gen_901",
                "+5\u00A0₽ · refund · gen_901").doesNotContain("gen_902");
        assertThat(text.indexOf("refund · gen_901")).isLessThan(text.indexOf("Stars top-up"));
        assertThat(lastText(h.command(U, "payments"))).isEqualTo(text);
    }

    /** /payments shows the last 10 movements, what a phone's screen holds: 20 took more (review R5). */
    @Test
    void theStatementShowsTheLastTenMovements() {
        for (int i = 1; i <= 12; i++) {
            h.topUp(U, 100 * i);
            h.clock.advance(Duration.ofMinutes(1));
        }
        String text = lastText(h.command(U, "payments"));
        assertThat(text).contains("+12 ₽", "+3 ₽").doesNotContain("+2 ₽", "+1 ₽");
    }

    /**
     * A user's statement dates its lines as a Russian product does, the month in words and the year only when it is
     * not this one («20 янв., 13:00» beside «21 нояб. 2026, 13:00»), where «21.11.26 13:00» read as a form's; English
     * the same way ("20 Jan, 13:00"). The admins' screens keep the compact form.
     */
    @Test
    void theStatementDatesItsLinesInWordsWithTheYearOnlyWhenItIsAnotherOne() {
        h.paid50Stars(U, "charge-s1");
        h.clock.advance(Duration.ofDays(60));
        h.topUp(U, 100);
        assertThat(lastText(h.speaking("ru").command(U, "payments"))).contains("\n20\u00a0янв., 13:00 · +1\u00a0₽",
                "\n21\u00a0нояб.\u00a02026, 13:00 · +75\u00a0₽");
        assertThat(lastText(h.speaking("en").command(U, "payments"))).contains("\n20\u00a0Jan, 13:00 · +1\u00a0₽",
                "\n21\u00a0Nov\u00a02026, 13:00 · +75\u00a0₽");
        assertThat(lastText(h.admin("find", Long.toString(U)))).contains("21.11.26 13:00");
    }

    /**
     * The lines' times are the shop's zone's, and the title says which: a Russian reader in Vladivostok took «13:00» for
     * his own. Russian names another zone by its hours from Moscow, as Russia names its zones; English by UTC's.
     */
    @Test
    void theStatementsTitleSaysInWhichZoneItsTimesAre() {
        h.paid50Stars(U, "charge-s1");
        assertThat(lastText(h.speaking("ru").command(U, "payments")))
                .startsWith("📒 Последние пополнения и списания (время московское):\n");
        assertThat(lastText(h.speaking("en").command(U, "payments")))
                .startsWith("📒 Your last 1 money movements, Moscow time:\n");

        ShopHarness yekaterinburg = new ShopHarness(TestCatalog.catalog(),
                ShopSettings.defaults().withZone(java.time.ZoneId.of("Asia/Yekaterinburg"))).startedByAdminAnd(U);
        yekaterinburg.paid50Stars(U, "charge-s1");
        assertThat(lastText(yekaterinburg.speaking("ru").command(U, "payments")))
                .startsWith("📒 Последние пополнения и списания (время МСК+2):\n");
        assertThat(lastText(yekaterinburg.speaking("en").command(U, "payments")))
                .startsWith("📒 Your last 1 money movements, UTC+5 time:\n");
    }

    @Test
    void aNewUsersStatementIsEmptyAndHasAWayToTopUp() {
        List<Reply> payments = h.command(77, "payments");
        assertThat(lastText(payments)).contains("No money movements yet");
        assertThat(button(payments, "Top up")).isNotEmpty();
    }
}
