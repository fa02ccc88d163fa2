package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static dev.kiebot.core.testing.ShopHarness.lastTextTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /ban and /unban: what a banned user still may do (what concerns money he paid), and what he is told otherwise. */
class BansTest {
    private static final long U = 42;
    private static final String NOTICE = "⛔ Администратор закрыл вам доступ к боту.\nПричина: спам в обращениях\n"
            + "Вопрос о деньгах на балансе можно задать через /paysupport.";
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness().startedByAdminAnd(U);
        h.topUp(U, 10_000);
    }

    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    @Test
    void aBannedUserIsToldSoAndSoldNothingButKeepsWhatHePaidFor() {
        String invoice = h.invoiceFor50Stars(U); // issued before the ban, paid after it
        Job running = h.runningFoxImage(U);
        h.speaking("ru").command(U, "balance");
        long balance = h.balance(U);

        List<Reply> banned = h.admin("ban", U + "   спам в обращениях ");
        assertThat(lastTextTo(banned, ShopHarness.ADMIN))
                .isEqualTo("Готово: пользователю User42 (ID 42) закрыт доступ к боту, ему отправлено уведомление.");
        assertThat(lastTextTo(banned, U)).isEqualTo(NOTICE);
        assertThat(h.stores.audit().byCorrelation("ban:" + U)).extracting(AuditEvent::action)
                .containsExactly("user.banned");

        List<Reply> menu = h.command(U, "menu");
        assertThat(menu).hasSize(1);
        assertThat(lastText(menu)).isEqualTo(NOTICE);
        assertThat(lastText(h.text(U, "рыжая лиса"))).isEqualTo(NOTICE);
        List<Reply> press = h.press(U, "*|g|img/m9");
        assertThat(press).singleElement().isInstanceOfSatisfying(Reply.AnswerCallback.class, a -> {
            assertThat(a.text()).contains("⛔ Администратор закрыл вам доступ к боту.");
            assertThat(a.alert()).isTrue();
        });
        List<Reply> preCheckout = h.send(U, new Event.PreCheckout("pc-1", invoice, "XTR", 50));
        assertThat(preCheckout).singleElement().isEqualTo(new Reply.AnswerPreCheckout(U, "pc-1", false,
                java.util.Optional.of("⛔ Администратор закрыл вам доступ к боту.")));
        assertThat(h.stores.jobs().recent(U, 10)).containsExactly(h.stores.jobs().find(running.id()).orElseThrow());
        assertThat(h.balance(U)).isEqualTo(balance);

        // money he paid is his: a payment Telegram reports is credited, the generation he paid for delivered
        h.send(U, new Event.SuccessfulPayment("charge-1", invoice, "XTR", 50));
        assertThat(h.balance(U)).isGreaterThan(balance);
        h.provider.succeed(running.taskId().orElseThrow(), "https://files/out.png");
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.deliver();
        assertThat(h.stores.jobs().find(running.id()).orElseThrow().state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.messenger.drain()).anyMatch(r -> r instanceof Reply.SendMedia && r.chatId() == U);

        // and /paysupport still reaches the admins about it
        assertThat(lastText(h.command(U, "paysupport"))).contains("Его получат администраторы");
        List<Reply> ticket = h.text(U, "Верните, пожалуйста, остаток баланса");
        assertThat(lastTextTo(ticket, U)).startsWith("✅ Обращение");
        assertThat(lastTextTo(ticket, ShopHarness.ADMIN)).contains("Верните, пожалуйста, остаток баланса");
        assertThat(lastText(h.text(U, "и ещё одно"))).as("only the ticket itself passes").isEqualTo(NOTICE);

        assertThat(lastText(h.admin("find", Long.toString(U))))
                .contains("⛔ доступ закрыт с 21.11.26 13:00, причина: спам в обращениях");
        assertThat(lastText(h.admin("ban", U + " другое"))).isEqualTo("ℹ️ Пользователю с ID 42 доступ закрыт с 21.11.26 "
                + "13:00. Ничего не изменено; чтобы сменить причину, сначала /unban 42.");

        List<Reply> unbanned = h.admin("unban", Long.toString(U));
        assertThat(lastTextTo(unbanned, ShopHarness.ADMIN))
                .isEqualTo("Готово: пользователю User42 (ID 42) снова открыт доступ к боту, ему отправлено уведомление.");
        assertThat(lastTextTo(unbanned, U)).isEqualTo("✅ Доступ к боту снова открыт. Главное меню: /menu");
        assertThat(lastText(h.command(U, "menu"))).startsWith("Главное меню");
        assertThat(lastText(h.admin("unban", Long.toString(U))))
                .isEqualTo("ℹ️ Пользователю с ID 42 доступ не закрывали: открывать нечего.");
        assertThat(h.stores.audit().byCorrelation("ban:" + U)).extracting(AuditEvent::action)
                .containsExactly("user.banned", "user.unbanned");
    }

    /**
     * A long text Telegram sent as several messages gets the notice once, under its first part; the parts after it,
     * the rest of one paste, get none (each got the notice). What the next part needs is kept in the chat's stored
     * session, as for a screen's hint in the conversation. A text of his own after it gets the notice. The end of a
     * long ticket text that /paysupport opened with its first part is told it did not go in, as anyone's is, not
     * answered with the notice.
     */
    @Test
    void aLongTextOfABannedUserGetsTheNoticeOnce() {
        h.speaking("ru").command(U, "balance");
        h.admin("ban", U + " спам в обращениях");
        Instant at = h.clock.instant();
        assertThat(lastText(h.send(U, part("а".repeat(4096), 100, at)))).isEqualTo(NOTICE);
        assertThat(h.send(U, part("б".repeat(4096), 101, at))).isEmpty();
        assertThat(h.session(U).longText()).as("kept in the stored session").isPresent();
        assertThat(h.send(U, part("в".repeat(808), 102, at.plusSeconds(1)))).isEmpty();
        assertThat(h.session(U).longText()).as("a short part is the last").isEmpty();
        assertThat(lastText(h.send(U, part("и ещё", 103, at.plusSeconds(1))))).isEqualTo(NOTICE);

        h.command(U, "paysupport");
        assertThat(lastText(h.send(U, part("г".repeat(2900), 104, at.plusSeconds(30))))).startsWith("✅ Обращение");
        assertThat(lastText(h.send(U, part("д".repeat(1500), 105, at.plusSeconds(30)))))
                .startsWith("🧩 Это окончание вашего длинного сообщения");
        assertThat(lastText(h.send(U, part("и ещё", 106, at.plusSeconds(60))))).isEqualTo(NOTICE);
    }

    private static Event.Text part(String text, long messageId, Instant sentAt) {
        return new Event.Text(text, Optional.of(messageId), Optional.of(sentAt));
    }

    /** A user who is no admin trying /ban or /unban on someone: refused, and nobody's access changes. */
    @Test
    void aUserWhoIsNoAdminCanBanNobodyNorLiftABan() {
        long other = 43;
        h.command(other, "start");
        assertThat(lastText(h.send(other, new Event.Command("ban", U + " спам")))).contains("admins only");
        assertThat(h.stores.users().find(U).orElseThrow().ban()).isEmpty();
        h.admin("ban", Long.toString(other));
        assertThat(lastText(h.send(U, new Event.Command("unban", Long.toString(other))))).contains("admins only");
        assertThat(h.stores.users().find(other).orElseThrow().ban()).isPresent();
        assertThat(h.stores.audit().byCorrelation("ban:" + U)).isEmpty();
    }

    @Test
    void aBanWithoutAReasonSaysNoneAndAnAdminCannotBeBanned() {
        h.speaking("ru").command(U, "menu");
        assertThat(lastText(h.admin("ban", U + " " + "я".repeat(201))))
                .isEqualTo("Не удалось: в причине 201\u00A0символ, а можно не больше 200.");
        assertThat(lastTextTo(h.admin("ban", Long.toString(U)), U)).isEqualTo("⛔ Администратор закрыл вам доступ к боту.\n"
                + "Вопрос о деньгах на балансе можно задать через /paysupport.");
        assertThat(h.send(U, new Event.MembershipChanged(true))).isEmpty();
        assertThat(h.stores.users().find(U).orElseThrow().blocked()).isTrue();
        assertThat(lastText(h.send(U, new Event.MembershipChanged(false)))).as("back: the notice, not the menu")
                .startsWith("⛔ Администратор закрыл вам доступ к боту.");
        assertThat(h.stores.users().find(U).orElseThrow().blocked()).isFalse();
        assertThat(lastText(h.admin("ban", Long.toString(ShopHarness.ADMIN))))
                .isEqualTo("Не удалось: 1 — администратор бота, ему доступ не закрыть.");
        assertThat(lastText(h.command(ShopHarness.ADMIN, "menu"))).startsWith("Главное меню");
        assertThat(lastText(h.admin("ban", ""))).isEqualTo("Формат: /ban <ID пользователя> [причина — её увидит пользователь]");
        assertThat(lastText(h.admin("unban", "кто-то"))).isEqualTo("Формат: /unban <ID пользователя>");
        assertThat(lastText(h.admin("ban", "999 спам"))).startsWith("Не удалось: нет пользователя с ID 999");
    }

    /**
     * A user's ID is shown as the admin types it back: a number given to a text is grouped («20 000»), and
     * «/unban 1 234 567» copied from the screen is no command.
     */
    @Test
    void aUsersIdIsShownAsTheAdminTypesIt() {
        long big = 1_234_567;
        h.speaking("ru").command(big, "start");
        assertThat(lastTextTo(h.admin("ban", big + " спам"), ShopHarness.ADMIN))
                .isEqualTo("Готово: пользователю User1234567 (ID 1234567) закрыт доступ к боту, ему отправлено "
                        + "уведомление.");
        assertThat(lastText(h.admin("ban", big + " другое"))).contains("Пользователю с ID 1234567 доступ закрыт",
                "сначала /unban 1234567.");
        assertThat(lastText(h.admin("find", Long.toString(big)))).startsWith("1234567 · User1234567 · ");
        assertThat(lastText(h.admin("users", ""))).contains("1234567 · User1234567");
        assertThat(lastTextTo(h.admin("unban", Long.toString(big)), ShopHarness.ADMIN))
                .isEqualTo("Готово: пользователю User1234567 (ID 1234567) снова открыт доступ к боту, ему отправлено "
                        + "уведомление.");
        assertThat(lastText(h.admin("forget", Long.toString(big)))).contains("Стереть личные данные пользователя "
                + "User1234567 (ID 1234567)?");
    }
}
