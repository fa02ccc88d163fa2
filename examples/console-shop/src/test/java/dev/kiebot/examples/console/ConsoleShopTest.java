package dev.kiebot.examples.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.intake.PendingUpdate;
import dev.kiebot.postgres.DatabaseSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example as a partner would run it: on the embedded PostgreSQL, its background work (ShopWork) delivering the replies and
 * running the job, stopped and started again on the same data directory.
 */
class ConsoleShopTest {
    /** How long an answer may take to show: the background work delivers it, on a machine busy with other builds. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @Test
    void startToModelToConfirmToResult_andTheMoneyAndHistorySurviveARestart() {
        DatabaseSettings where = DatabaseSettings.embedded(dataDir);
        Chat first = new Chat();
        try (ConsoleShop shop = ConsoleShop.start(where, first.out)) {
            shop.user(new Event.Command("start", ""));
            shop.tap("Images", PATIENCE);
            shop.tap("Painter", PATIENCE);
            shop.tap("▶️ Start", PATIENCE);
            shop.user(new Event.Text("a lighthouse in a storm"));
            shop.tap("Generate for", PATIENCE);
            // the job worker submits it, reads the result and queues it; the reply senders deliver it
            first.awaitText("Done.");
            assertThat(first.text()).contains("Welcome bonus", "Painter", "Price: 3.12\u00A0₽", "gen_1",
                    "bot sends PHOTO: https://example.invalid/task-", "Done.");
            assertThat(shop.balance()).isEqualTo(1_000 - 312);
        }

        Chat second = new Chat();
        try (ConsoleShop shop = ConsoleShop.start(where, second.out)) {
            assertThat(shop.balance()).isEqualTo(1_000 - 312);
            shop.user(new Event.Command("history", ""));
            second.awaitText("Your last generations");
            assertThat(second.text()).contains("gen_1 · Painter").contains("3.12\u00A0₽");
        }
    }

    /**
     * A chat platform delivers an update again when it did not hear that the first delivery arrived (a webhook answer
     * lost, a polling offset not confirmed): the same update id twice is handled once.
     */
    @Test
    void aRedeliveredUpdateIsHandledOnce() {
        Chat chat = new Chat();
        try (ConsoleShop shop = ConsoleShop.start(DatabaseSettings.embedded(dataDir), chat.out)) {
            shop.update(1_001, new Event.Command("start", ""));
            shop.update(1_001, new Event.Command("start", "")); // the platform's re-delivery
            shop.update(1_002, new Event.Command("history", ""));
            // a chat's replies go out in order: once the history is shown, a second answer to /start would be too
            chat.awaitText("You have no generations yet — pick a model in the menu.");
            assertThat(chat.text()).containsOnlyOnce("Hi, Ann!").doesNotContain("Welcome back");
            assertThat(shop.balance()).isEqualTo(1_000);
        }
    }

    /**
     * The example shows how to give the shop the database's clock ({@code storesClock}): its start compared this
     * machine's clock with it, as every process sharing a database must.
     */
    @Test
    void theStartComparedThisMachinesClockWithTheDatabases() {
        try (ConsoleShop shop = ConsoleShop.start(DatabaseSettings.embedded(dataDir), new Chat().out)) {
            assertThat(shop.shop().clockSkew().last()).as("measured at ShopWork.start").isPresent();
        }
    }

    /**
     * A console takes no Stars (its Stars store is {@code Payments.none()}): /topup offers the shop's payment page
     * ({@code topUpLink}) as a link button with the user's own address, not invoices nobody can pay.
     */
    @Test
    void topUpOffersThePaymentPageAndNoStars() {
        Chat chat = new Chat();
        try (ConsoleShop shop = ConsoleShop.start(DatabaseSettings.embedded(dataDir), chat.out)) {
            shop.user(new Event.Command("start", ""));
            shop.user(new Event.Command("topup", ""));
            shop.tap("I accept", PATIENCE); // the terms come before the first purchase
            chat.awaitText("[💳 Pay online → https://pay.example.invalid/topup?user=" + ConsoleShop.USER + "]");
            String topUp = chat.text().substring(chat.text().indexOf("the terms are accepted"));
            assertThat(topUp).contains("You can top up your balance online").doesNotContain("⭐", "Stars")
                    .doesNotContain("cannot be topped up");
        }
    }

    /**
     * A start whose handling of the last run's updates throws an Error (an update's {@code InternalError}) stops what
     * it started, the shop's work and the database, before it throws. It closed them for an exception only: the
     * database stayed open, and the next start on the same data directory found it in use.
     */
    @Test
    void aStartThatFailsOnAnErrorStopsWhatItStartedAndTheNextStartGoesOn() {
        DatabaseSettings where = DatabaseSettings.embedded(dataDir);
        Function<PendingUpdate, Optional<Incoming>> noFonts = u -> {
            throw new InternalError("Fontconfig head is null");
        };
        try (ConsoleShop shop = ConsoleShop.start(where, new Chat().out, noFonts)) {
            assertThatThrownBy(() -> shop.user(new Event.Text("hello"))).isInstanceOf(InternalError.class);
        }
        assertThatThrownBy(() -> ConsoleShop.start(where, new Chat().out, noFonts))
                .as("the update left pending fails the start again").isInstanceOf(InternalError.class);

        try (ConsoleShop shop = ConsoleShop.start(where, new Chat().out)) {
            assertThat(shop.balance()).as("the pending update handled at the start: the welcome bonus").isEqualTo(1_000);
        }
    }

    /** The bot's side of the chat, as printed. */
    private static final class Chat {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        void awaitText(String expected) {
            Instant deadline = Instant.now().plus(PATIENCE);
            while (!text().contains(expected)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("no '" + expected + "' within " + PATIENCE + ":\n" + text());
                }
                pause();
            }
        }

        private static void pause() {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
