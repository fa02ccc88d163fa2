package dev.kiebot.runtime.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.RecordingMessenger;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.runtime.loops.SafetyPoll;
import dev.kiebot.telegram.UpdateTranslator;
import dev.kiebot.telegram.fake.FakeUpdates;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An update whose handling is cut off by a lost database connection (the server restarted, the session was ended)
 * was rolled back with it: it is handled again once the database answers, and its user never gets an apology for
 * it. Only a failure of the handling itself is answered with the apology, so one bad update cannot block its chat.
 */
class ConnectionLostMidHandlingTest {
    private static final long ALICE = 5_550_001;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
    private final FakeUpdates updates = new FakeUpdates();
    private final UpdateTranslator translator = new UpdateTranslator("kiebot_test_bot", 1234567);
    private RecordingMessenger messenger;
    private Stores stores;
    private Shop shop;

    @BeforeEach
    void emptyDatabase() {
        stores = TestDatabase.emptyStores(clock);
        messenger = new RecordingMessenger();
        shop = ScriptedShop.on(stores, messenger, clock);
    }

    private UpdateDispatcher dispatcher(ProcessedUpdates inbox) {
        return new UpdateDispatcher(inbox, stores.transactions(), translator::parse, shop.storefront()::handle,
                shop.storefront()::apologize, clock, "t", 1, SafetyPoll.DEFAULT);
    }

    /** An inbox whose first marking of an update done fails with {@code failure}, inside the transaction. */
    private ProcessedUpdates failingOnceAtDone(Supplier<? extends Throwable> failure) {
        AtomicBoolean failed = new AtomicBoolean();
        return new InboxFailingAtDone(stores.processedUpdates()) {
            @Override
            public void done(long updateId, Instant now) {
                if (!failed.getAndSet(true)) {
                    Throwable t = failure.get();
                    if (t instanceof Error e) {
                        throw e;
                    }
                    throw (RuntimeException) t;
                }
                real.done(updateId, now);
            }
        };
    }

    private List<String> textsTo(long chat) {
        shop.sender().drain(100);
        return messenger.all().stream().filter(r -> r.chatId() == chat && r instanceof Reply.SendText)
                .map(r -> ((Reply.SendText) r).text()).toList();
    }

    @Test
    void anUpdateCutOffByALostConnectionIsHandledOnceTheDatabaseAnswersAndNeverApologisedFor() {
        new UpdateInbox(stores.processedUpdates(), clock, new SimpleMeterRegistry())
                .record(updates.command(ALICE, "start", ""));
        UpdateDispatcher cutOff = dispatcher(failingOnceAtDone(() -> new UnableToExecuteStatementException(
                new SQLException("terminating connection due to administrator command", "57P01"), null)));

        assertThatThrownBy(cutOff::handleOne).isInstanceOf(UnableToExecuteStatementException.class);
        assertThat(textsTo(ALICE)).as("nothing queued: no reply, no apology").isEmpty();

        assertThat(dispatcher(stores.processedUpdates()).drain()).isEqualTo(1);
        assertThat(textsTo(ALICE)).singleElement().satisfies(t -> assertThat(t).contains("Hi, User")
                .doesNotContain("(upd_"));
    }

    @Test
    void anUpdateWhoseHandlingFailsOnItsOwnIsAnsweredWithAnApologyAndNotRetried() {
        new UpdateInbox(stores.processedUpdates(), clock, new SimpleMeterRegistry())
                .record(updates.command(ALICE, "start", ""));
        UpdateDispatcher failing = dispatcher(failingOnceAtDone(() -> new UnableToExecuteStatementException(
                new SQLException("value too long for type character varying(64)", "22001"), null)));

        assertThat(failing.handleOne()).isTrue();

        assertThat(textsTo(ALICE)).singleElement()
                .satisfies(t -> assertThat(t).as("the apology names its update").contains("(upd_"));
        assertThat(dispatcher(stores.processedUpdates()).drain()).isZero();
    }

    @Test
    void anUpdateTooDeepToHandleIsAnsweredWithAnApologyAndDoesNotStopItsChat() {
        UpdateInbox inbox = new UpdateInbox(stores.processedUpdates(), clock, new SimpleMeterRegistry());
        inbox.record(updates.command(ALICE, "start", ""));
        inbox.record(updates.command(ALICE, "help", ""));
        UpdateDispatcher failing = dispatcher(failingOnceAtDone(() -> new StackOverflowError()));

        assertThat(failing.handleOne()).as("given up, not thrown to the loop").isTrue();
        assertThat(dispatcher(stores.processedUpdates()).drain()).as("the chat's next update").isEqualTo(1);
        assertThat(textsTo(ALICE)).hasSize(2).first()
                .satisfies(t -> assertThat(t).as("the apology names its update").contains("(upd_"));
    }
}
