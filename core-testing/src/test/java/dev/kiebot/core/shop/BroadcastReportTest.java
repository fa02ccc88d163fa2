package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.broadcast.Tally;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin's counts of a broadcast show the users it left out because they had blocked the bot or were banned, and the
 * recipients a restart cut off apart from those Telegram refused.
 */
class BroadcastReportTest {
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(ShopHarness.ADMIN, "start");
        for (long u = 100; u < 105; u++) {
            h.command(u, "start");
        }
        h.send(101, new Event.MembershipChanged(true));
        h.send(103, new Event.MembershipChanged(true));
    }

    /** The admin's broadcast «News» confirmed, and what that answered read: its recipients wait for a round. */
    private void newsQueued() {
        List<Reply> draft = h.admin("broadcast", "News");
        h.press(ShopHarness.ADMIN, button(draft, "Send"));
        h.messenger.drain();
    }

    /** The broadcaster's next round, delivered: the last of what the admin was told (the report, when it ended). */
    private String toldTheAdminAfterARound() {
        h.shop.broadcaster().runOnce(100);
        h.deliver();
        return lastText(h.messenger.drain().stream().filter(r -> r.chatId() == ShopHarness.ADMIN).toList());
    }

    /** The report of a round with nothing sent before it in the way. */
    private String finalReport() {
        h.messenger.drain();
        return toldTheAdminAfterARound();
    }

    @Test
    void theSkippedAreCountedFromTheConfirmationToTheFinalReport() {
        List<Reply> draft = h.admin("broadcast", "News {5}");
        assertThat(lastText(draft)).isEqualTo("Broadcast #1 goes to 4\u00A0users; skipped 2: these users have blocked "
                + "the bot or are banned.\n\nNews {5}\n\nSend it?");
        List<Reply> queued = h.press(ShopHarness.ADMIN, button(draft, "Send"));
        assertThat(lastText(queued)).isEqualTo("📣 Broadcast #1: sent 0 of 4, blocked the bot 0, failed 0, "
                + "skipped 2: these users had blocked the bot or were banned before the broadcast.");
        // the admin is a user too and comes first; user 100 turns out to have blocked the bot since
        h.messenger.thenAnswer(new Delivery.Sent(Optional.empty(), List.of()), new Delivery.Blocked());
        try (LoggedLines lines = LoggedLines.recording(BroadcastWorker.class, java.util.logging.Level.INFO)) {
            assertThat(finalReport()).isEqualTo("✅ Broadcast #1 finished: sent 3 of 4, blocked the bot 1, "
                    + "failed 0, skipped 2: these users had blocked the bot or were banned before the broadcast.");
            // the log's one line for it counts those who blocked the bot: the messenger wrote an INFO for each
            assertThat(lines.lines()).containsExactly("INFO broadcast 1 finished: sent 3 of 4, 1 blocked the bot "
                    + "(marked so), 0 failed, 0 abandoned by a restart; 2 skipped (blocked or banned before it)");
        }
    }

    /**
     * A user an admin banned is left out as one who blocked the bot is, and the owner reads that he may be among the
     * skipped: «пропущено (заблокировали бота)» counted the user he had just banned as having blocked the bot.
     */
    @Test
    void theBannedAreSaidAmongTheSkipped() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        h.admin("ban", "102");
        List<Reply> draft = h.admin("broadcast", "Новости");
        assertThat(lastText(draft)).startsWith("Рассылка №\u00A01 уйдёт 3\u00A0пользователям; пропущено "
                + "(заблокировали бота или им закрыт доступ): 3.");
        h.press(ShopHarness.ADMIN, button(draft, "Отправить"));
        assertThat(finalReport()).isEqualTo("✅ Рассылка №\u00A01 завершена: отправлено 3 из 3; заблокировали "
                + "бота: 0; ошибок: 0; пропущено (ещё до рассылки заблокировали бота или им закрыт доступ): 3.");
    }

    @Test
    void inRussianToo() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        List<Reply> draft = h.admin("broadcast", "Новости");
        assertThat(lastText(draft)).startsWith("Рассылка №\u00A01 уйдёт 4\u00A0пользователям; пропущено "
                + "(заблокировали бота или им закрыт доступ): 2.");
        h.press(ShopHarness.ADMIN, button(draft, "Отправить"));
        assertThat(finalReport()).isEqualTo("✅ Рассылка №\u00A01 завершена: отправлено 4 из 4; заблокировали "
                + "бота: 0; ошибок: 0; пропущено (ещё до рассылки заблокировали бота или им закрыт доступ): 2.");
    }

    @Test
    void aMessageTelegramCouldNotTakeYetGoesAgainWithTheRestWhenItMay() {
        newsQueued();
        // the admin's copy goes; Telegram is unreachable at user 100's, past the messenger's retries
        h.messenger.thenAnswer(new Delivery.Sent(Optional.empty(), List.of()),
                new Delivery.Deferred(java.time.Duration.ofSeconds(30), "unreachable"));
        assertThat(h.shop.broadcaster().runOnce(100)).isEqualTo(1);
        h.clock.advance(java.time.Duration.ofSeconds(29));
        assertThat(h.shop.broadcaster().runOnce(100)).as("nothing claimed while Telegram asked to wait").isZero();

        h.clock.advance(java.time.Duration.ofSeconds(1));
        h.shop.broadcaster().runOnce(100);
        assertThat(h.messenger.all().stream().filter(r -> r.chatId() == 100).count())
                .as("user 100 got it once").isEqualTo(1);
        assertThat(toldTheAdminAfterARound()).isEqualTo("✅ Broadcast #1 finished: sent 4 of 4, blocked the bot 0, "
                + "failed 0, skipped 2: these users had blocked the bot or were banned before the broadcast.");
    }

    /**
     * Telegram itself down (the messenger holds): the broadcast claims nobody, and goes on to everyone once Telegram
     * is back. Before, it took one recipient after another into the outage, each call to a Telegram that hangs ending
     * in doubt and the recipient counted as failed.
     */
    @Test
    void whileTelegramIsDownTheBroadcastClaimsNobodyAndGoesOnWhenItIsBack() {
        newsQueued();
        h.messenger.holding(Optional.of(java.time.Duration.ofSeconds(5)));
        assertThat(h.shop.broadcaster().runOnce(100)).isZero();
        assertThat(h.messenger.all()).isEmpty();

        h.messenger.holding(Optional.empty());
        h.clock.advance(java.time.Duration.ofSeconds(5));
        assertThat(finalReport()).isEqualTo("✅ Broadcast #1 finished: sent 4 of 4, blocked the bot 0, "
                + "failed 0, skipped 2: these users had blocked the bot or were banned before the broadcast.");
    }

    /**
     * A recipient Telegram keeps refusing (its 5xx, past the messenger's retries) is tried less and less often and
     * counted as failed an hour after the first try, and the broadcast goes on to the rest. Before, he was tried
     * every 30 s with everyone after him waiting, for as long as Telegram refused.
     */
    @Test
    void aRecipientTelegramKeepsRefusingIsCountedAsFailedAfterAnHourAndTheRestGo() {
        newsQueued();
        h.messenger.thenAnswer(new Delivery.Sent(Optional.empty(), List.of()));
        java.time.Instant start = h.clock.instant();
        List<Long> tries = new java.util.ArrayList<>();
        while (h.stores.broadcasts().tally(1).failed() == 0
                && java.time.Duration.between(start, h.clock.instant()).toMinutes() < 120) {
            if (!h.shop.broadcaster().waiting()) {
                tries.add(java.time.Duration.between(start, h.clock.instant()).toSeconds());
                h.messenger.thenAnswer(new Delivery.Deferred(java.time.Duration.ofSeconds(30), "telegram answered 502"));
                h.shop.broadcaster().runOnce(100);
            }
            h.clock.advance(java.time.Duration.ofSeconds(5));
        }
        assertThat(tries).startsWith(0L, 30L, 90L, 210L, 330L).last().isEqualTo(3690L);
        assertThat(toldTheAdminAfterARound()).isEqualTo("✅ Broadcast #1 finished: sent 3 of 4, blocked the bot 0, "
                + "failed 1, skipped 2: these users had blocked the bot or were banned before the broadcast.");
    }

    /**
     * A build that claimed its recipients in batches, killed mid-broadcast (an upgrade's kill -9), left the rest of its
     * batch claimed and never tried; 5 minutes on they are abandoned. The report counted them as errors («ошибок: 3»),
     * so the admin could not tell a restart from Telegram refusing them: they are said apart now.
     */
    @Test
    void recipientsARestartCutOffAreToldApartFromErrors() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        List<Reply> draft = h.admin("broadcast", "Новости");
        h.press(ShopHarness.ADMIN, button(draft, "Отправить"));
        // the older build's batch of 3, claimed at once, the process killed before it sent any of them
        assertThat(h.stores.broadcasts().claim(3, h.clock.instant())).hasSize(3);
        h.clock.advance(BroadcastWorker.ABANDON_AFTER);
        assertThat(finalReport()).isEqualTo("✅ Рассылка №\u00A01 завершена: отправлено 1 из 4; заблокировали "
                + "бота: 0; ошибок: 0; прервано перезапуском бота: 3; пропущено (ещё до рассылки заблокировали бота "
                + "или им закрыт доступ): 2.");
    }

    /**
     * This build claims one recipient at a time, right before his message: killed while sending to one, it leaves him
     * alone abandoned (he may have it), and the next instance sends to everyone after him, each once.
     */
    @Test
    void aKillMidSendLeavesOnlyTheRecipientOnTheWireAbandoned() {
        newsQueued();
        java.util.concurrent.atomic.AtomicInteger sends = new java.util.concurrent.atomic.AtomicInteger();
        Shop killed = h.anotherInstance(s -> s, b -> b.messenger(reply -> {
            if (sends.incrementAndGet() == 2) {
                throw new IllegalStateException("killed mid-send"); // the process ends here: nothing after it runs
            }
            return h.messenger.send(reply);
        }));
        assertThatThrownBy(() -> killed.broadcaster().runOnce(100)).hasMessage("killed mid-send");
        h.clock.advance(BroadcastWorker.ABANDON_AFTER);

        h.shop.broadcaster().runOnce(100);
        assertThat(h.messenger.all().stream().filter(r -> r.chatId() != ShopHarness.ADMIN).map(Reply::chatId))
                .as("everyone after the one on the wire got it once").containsExactly(102L, 104L);
        assertThat(h.stores.broadcasts().tally(1)).isEqualTo(new Tally(4, 0, 0, 3, 0, 0, 2, 1));
        h.deliver();
        List<Reply> report = h.messenger.drain().stream().filter(r -> r.chatId() == ShopHarness.ADMIN).toList();
        assertThat(lastText(report)).isEqualTo("✅ Broadcast #1 finished: sent 3 of 4, blocked the bot 0, failed 0, "
                + "cut off by a restart of the bot 1, skipped 2: these users had blocked the bot or were banned before "
                + "the broadcast.");
    }
}
