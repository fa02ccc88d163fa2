package dev.kiebot.webhook;

import static dev.kiebot.runtime.testing.E2eWorld.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.shop.Upkeep;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.kie.fake.FakeKieServer;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.runtime.testing.CleanLogs;
import dev.kiebot.runtime.testing.E2eWorld;
import dev.kiebot.telegram.UpdateTranslator;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import dev.kiebot.telegram.fake.FakeUpdates;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A captured webhook body posted again, with the secret, after the hourly cleanup forgot its update id
 * ({@link Upkeep#UPDATE_RETENTION}): until then the inbox knows the id and drops it as a re-delivery; after it, the id
 * is new again. Telegram itself never delivers an update older than a day, so an update dated before the purge
 * horizon (core's {@code ReplayHorizon}) is refused at the door, not recorded. A button press and a
 * pre-checkout carry no date of their own: what makes them single-use is the chat's screen version (a press of an
 * earlier screen is stale), the confirmations' nonce and time, and the invoice's paid mark and hour.
 */
@ExtendWith(CleanLogs.class)
class WebhookReplayEndToEndTest {
    private static final long ALICE = 5_550_001;
    private static final long ADMIN = 900;

    private final List<WebhookRunner> running = new ArrayList<>();
    private final MutableClock clock = new MutableClock(Instant.now());
    private E2eWorld world;
    private FakeUpdates updates;

    @BeforeEach
    void world() {
        world = new E2eWorld();
        updates = world.telegram.updates();
    }

    @AfterEach
    void stop() {
        running.forEach(WebhookRunner::close);
        world.close();
    }

    private WebhookRunner start() {
        WebhookRunner r = WebhookRunner.start(world.env(Map.of("CALLBACK_DEDUP_MS", "0")), clock, world.telegram);
        running.add(r);
        return r;
    }

    private void press(WebhookRunner r, long user, String label) {
        r.deliver(pressOf(user, label));
    }

    private String pressOf(long user, String label) {
        E2eWorld.Pressable b = world.button(user, label);
        return updates.callback(user, b.messageId(), b.data());
    }

    private static long balance(WebhookRunner r, long user) {
        return r.bot().shop().stores().ledger().balance(AccountId.wallet(user)).available();
    }

    private static boolean recorded(String update) {
        long id = UpdateTranslator.updateIdOf(update).orElseThrow();
        return TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM processed_updates "
                + "WHERE update_id = :id").bind("id", id).mapTo(Long.class).one()) > 0;
    }

    /** A week and an hour on, the hourly cleanup run: the updates' ids are forgotten. */
    private void purged(WebhookRunner r, String... updatesHandled) {
        E2eWorld.awaitSettled("the updates before the purge", TestDatabase.jdbi());
        clock.advance(Upkeep.UPDATE_RETENTION.plusHours(1));
        r.bot().shop().upkeep().cleanup();
        for (String u : updatesHandled) {
            assertThat(recorded(u)).as("forgotten by the cleanup").isFalse();
        }
    }

    /** /topup, the terms, 50 ⭐: @return the invoice's payload. */
    private String invoiceFor50Stars(WebhookRunner r) {
        r.deliver(updates.command(ALICE, "topup", ""));
        press(r, ALICE, "I accept");
        int before = world.telegram.callsTo("sendInvoice").size();
        press(r, ALICE, "for 50\u00A0⭐");
        await("invoice", () -> world.telegram.callsTo("sendInvoice").size() > before);
        List<FakeTelegramServer.Call> invoices = world.telegram.callsTo("sendInvoice");
        return invoices.get(invoices.size() - 1).param("payload");
    }

    private void orderNanoBanana(WebhookRunner r, String prompt) {
        r.deliver(updates.command(ALICE, "menu", ""));
        press(r, ALICE, "Images");
        press(r, ALICE, "Nano Banana ·");
        press(r, ALICE, "▶️ Start");
        world.awaitText(ALICE, "Send the text");
        r.deliver(prompt);
        press(r, ALICE, "✓ 1:1");
        world.awaitText(ALICE, "Check and confirm: Nano Banana");
    }

    /** The admin's messages carrying a «Credit» button. */
    private long confirmations(long admin) {
        return world.telegram.messages(admin).stream().filter(m -> m.buttons().stream().flatMap(List::stream)
                .anyMatch(b -> b.text().startsWith("Credit") && b.callbackData().isPresent())).count();
    }

    private long count(long chat, String fragment) {
        return world.telegram.textsTo(chat).stream().filter(t -> t.contains(fragment)).count();
    }

    /**
     * The payment's own update: the charge id is the ledger's key ({@code stars:<charge>}), so even handled again it
     * credits nothing and says nothing; its date now keeps it out of the inbox. The pre-checkout has no date: it is
     * answered no, the invoice being paid and past its hour.
     */
    @Test
    void aStarsPaymentAndItsPreCheckoutReplayedAfterThePurgeCreditNothing() {
        WebhookRunner r = start();
        r.deliver(updates.command(ALICE, "start", ""));
        world.awaitText(ALICE, "Balance: 1\u00A0₽");
        String payload = invoiceFor50Stars(r);
        String preCheckout = updates.preCheckout(ALICE, payload, 50);
        r.deliver(preCheckout);
        world.telegram.awaitCall("answerPreCheckoutQuery", c -> "true".equals(c.param("ok")), E2eWorld.WAIT);
        String paid = updates.successfulPayment(ALICE, payload, 50, "charge-replayed");
        r.deliver(paid);
        world.awaitText(ALICE, "Balance topped up");
        long credited = balance(r, ALICE);
        purged(r, preCheckout, paid);

        r.deliver(preCheckout);
        await("the replayed pre-checkout answered", () -> world.telegram.callsTo("answerPreCheckoutQuery").size() == 2);
        assertThat(world.telegram.callsTo("answerPreCheckoutQuery").get(1).param("ok")).isEqualTo("false");
        r.deliver(paid);
        E2eWorld.awaitSettled("the replays", TestDatabase.jdbi());
        assertThat(balance(r, ALICE)).isEqualTo(credited);
        assertThat(count(ALICE, "Balance topped up")).isEqualTo(1);
        assertThat(recorded(paid)).as("refused at the door by its date").isFalse();
        assertThat(r.bot().shop().stores().ledger().transfers(AccountId.STARS_CLEARING)).hasSize(1);
    }

    /** «Generate» pressed again a week later, the user at a confirmation of the same price: stale by its version. */
    @Test
    void aGeneratePressReplayedAfterThePurgeStartsNoJob() {
        world.kie.autoSucceedAfter(1);
        WebhookRunner r = start();
        r.deliver(updates.command(ALICE, "start", ""));
        world.awaitText(ALICE, "Balance: 1\u00A0₽");
        String payload = invoiceFor50Stars(r);
        r.deliver(updates.successfulPayment(ALICE, payload, 50, "charge-generate"));
        world.awaitText(ALICE, "Balance topped up");
        orderNanoBanana(r, updates.text(ALICE, "a red fox in the snow"));
        String generate = pressOf(ALICE, "Generate for");
        r.deliver(generate);
        // the shop's clock stands still but for the test: moved on while waiting, the job's polls come due
        await("the job ended", () -> {
            clock.advance(Duration.ofSeconds(1));
            return r.bot().shop().stores().jobs().recent(ALICE, 1).stream()
                    .anyMatch(j -> j.state() == JobState.DELIVERED || j.state() == JobState.FAILED);
        });
        purged(r, generate);

        orderNanoBanana(r, updates.text(ALICE, "a red fox in the snow"));
        long before = balance(r, ALICE);
        r.deliver(generate);
        E2eWorld.awaitSettled("the replayed press", TestDatabase.jdbi());
        assertThat(r.bot().shop().stores().jobs().recent(ALICE, 10)).hasSize(1);
        assertThat(world.kie.count(FakeKieServer.Endpoint.CREATE_TASK)).isEqualTo(1);
        assertThat(balance(r, ALICE)).isEqualTo(before);
        assertThat(recorded(generate)).as("no date of its own: recorded, handled, and stale").isTrue();
    }

    /** The description typed after a model's choice, replayed while the user is asked for a new one: refused. */
    @Test
    void aPromptReplayedAfterThePurgeIsNotTakenAsTheAnswerOfTheQuestionAskedNow() {
        WebhookRunner r = start();
        r.deliver(updates.command(ALICE, "start", ""));
        world.awaitText(ALICE, "Balance: 1\u00A0₽");
        String prompt = updates.text(ALICE, "a fox replayed from last week");
        orderNanoBanana(r, prompt);
        r.deliver(updates.command(ALICE, "cancel", ""));
        purged(r, prompt);

        r.deliver(updates.command(ALICE, "menu", ""));
        press(r, ALICE, "Images");
        press(r, ALICE, "Nano Banana ·");
        press(r, ALICE, "▶️ Start");
        await("asked again", () -> count(ALICE, "Send the text") == 2);
        r.deliver(prompt);
        E2eWorld.awaitSettled("the replayed prompt", TestDatabase.jdbi());
        String state = URLDecoder.decode(r.bot().shop().stores().chatStates().load(ALICE).orElseThrow(),
                StandardCharsets.UTF_8);
        assertThat(state).doesNotContain("fox replayed");
        assertThat(recorded(prompt)).isFalse();
    }

    /**
     * An admin's {@code /topup_user} and its «Credit» replayed: handled again, the command was answered that it was
     * carried out already (its ledger id names the update); now it is refused. The press is stale, its nonce taken.
     */
    @Test
    void anAdminsTopUpAndItsConfirmationReplayedAfterThePurgeMoveNothing() {
        WebhookRunner r = start();
        r.deliver(updates.command(ADMIN, "start", ""));
        r.deliver(updates.command(ALICE, "start", ""));
        world.awaitText(ALICE, "Balance: 1\u00A0₽");
        long before = balance(r, ALICE);
        String command = updates.command(ADMIN, "topup_user", ALICE + " 10");
        r.deliver(command);
        world.awaitText(ADMIN, "Credit 10");
        String credit = pressOf(ADMIN, "Credit");
        r.deliver(credit);
        await("credited", () -> balance(r, ALICE) == before + 1_000);
        E2eWorld.awaitSettled("the credit", TestDatabase.jdbi());
        long asked = confirmations(ADMIN);
        purged(r, command, credit);

        r.deliver(command);
        r.deliver(credit);
        E2eWorld.awaitSettled("the replays", TestDatabase.jdbi());
        assertThat(balance(r, ALICE)).isEqualTo(before + 1_000);
        assertThat(confirmations(ADMIN)).as("not asked again").isEqualTo(asked);
        assertThat(recorded(command)).isFalse();
    }

    /** «The user blocked the bot» replayed after he came back: he would be taken for blocked, and sent nothing. */
    @Test
    void aBlockReplayedAfterThePurgeLeavesTheUserServed() {
        WebhookRunner r = start();
        r.deliver(updates.command(ALICE, "start", ""));
        world.awaitText(ALICE, "Balance: 1\u00A0₽");
        String blocked = updates.blocked(ALICE);
        r.deliver(blocked);
        await("blocked", () -> r.bot().shop().stores().users().find(ALICE).orElseThrow().blocked());
        r.deliver(updates.unblocked(ALICE));
        await("back", () -> !r.bot().shop().stores().users().find(ALICE).orElseThrow().blocked());
        purged(r, blocked);

        r.deliver(blocked);
        E2eWorld.awaitSettled("the replayed block", TestDatabase.jdbi());
        assertThat(r.bot().shop().stores().users().find(ALICE).orElseThrow().blocked()).isFalse();
    }
}
