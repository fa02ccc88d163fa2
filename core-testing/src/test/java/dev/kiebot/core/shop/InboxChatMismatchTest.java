package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.intake.Inbox;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * An update recorded under one chat whose translation answers in another is handled in the recorded chat's turn and
 * answered in the other: a partner's door and translation that disagree. Warned of, naming the update and both chats
 * masked; it was said nowhere.
 */
class InboxChatMismatchTest {
    private final ShopHarness h = new ShopHarness().startedByAdminAnd(42, 4_300_043);

    /** The raw update is the id of the user who wrote, from his private chat. */
    private static Optional<Incoming> translate(dev.kiebot.core.intake.PendingUpdate u) {
        return Optional.of(new Incoming(u.updateId(), ShopHarness.actor(Long.parseLong(u.payload()), "en"),
                new Event.Command("help", "")));
    }

    @Test
    void anUpdateAnsweredInAnotherChatThanItWasRecordedUnderIsWarnedOfNamingBothMasked() {
        Inbox inbox = new Inbox(h.shop, InboxChatMismatchTest::translate);
        h.messenger.drain();
        inbox.record(7, 42, "4300043");
        List<String> warned = LoggedLines.of(Inbox.class, Level.WARNING, inbox::handleWaiting);
        h.deliver();

        assertThat(warned).singleElement().asString().contains("upd_7", "recorded under chat ***42",
                "translation's actor is in chat ***0043", "record each update under the chat its translation answers in")
                .doesNotContain("4300043");
        assertThat(h.messenger.drain()).extracting(Reply::chatId).as("still answered: warned, not refused")
                .contains(4_300_043L);

        inbox.record(8, 42, "42");
        assertThat(LoggedLines.of(Inbox.class, Level.WARNING, inbox::handleWaiting)).as("the same chat").isEmpty();
    }

    /**
     * Warned once per pair of chats, for 32 pairs at most, the last line saying so: the translation runs for each try
     * of an update (its claim, its retries, its apology, its give-up), and a door recording every update under another
     * key wrote a WARNING per update, and several for one, without end.
     */
    @Test
    void aMismatchIsWarnedOfOncePerPairOfChatsAndForAFewPairsAtMost() {
        Inbox inbox = new Inbox(h.shop, InboxChatMismatchTest::translate);
        inbox.record(7, 42, "4300043");
        inbox.record(8, 42, "4300043");
        assertThat(LoggedLines.of(Inbox.class, Level.WARNING, inbox::handleWaiting)).as("one pair")
                .singleElement().asString().contains("upd_7");

        for (int i = 0; i < 40; i++) {
            inbox.record(100 + i, 1_000 + i, "4300043");
        }
        List<String> warned = LoggedLines.of(Inbox.class, Level.WARNING, inbox::handleWaiting);
        assertThat(warned).as("31 pairs more, then none").hasSize(31);
        assertThat(warned.get(30)).contains("upd_130", "32 pairs of chats warned of, no more will be");
        assertThat(warned.subList(0, 30)).noneMatch(l -> l.contains("no more"));
    }
}
