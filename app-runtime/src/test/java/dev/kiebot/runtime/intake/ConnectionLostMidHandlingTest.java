package dev.kiebot.runtime.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.core.shop.Shop;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;

/**
 * An update whose handling is cut off by a lost database connection (the server restarted, the session was ended)
 * was rolled back with it: it is handled again once the database answers, and its user never gets an apology for
 * it. Only a failure of the handling itself is answered with the apology, so one bad update cannot block its chat.
 */
class ConnectionLostMidHandlingTest {
    private static final long ALICE = 5_550_001;

    private final HandlingTestBed bed = new HandlingTestBed();
    private final Shop shop = bed.shop();

    private UpdateDispatcher dispatcher(ProcessedUpdates inbox) {
        return bed.dispatcher(shop, inbox);
    }

    /** An inbox whose first marking of an update done fails with {@code failure}, inside the transaction. */
    private ProcessedUpdates failingOnceAtDone(Supplier<? extends Throwable> failure) {
        AtomicBoolean failed = new AtomicBoolean();
        return new InboxFailingAtDone(bed.stores.processedUpdates()) {
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
        return bed.textsTo(chat);
    }

    @Test
    void anUpdateCutOffByALostConnectionIsHandledOnceTheDatabaseAnswersAndNeverApologisedFor() {
        bed.record(bed.updates.command(ALICE, "start", ""));
        UpdateDispatcher cutOff = dispatcher(failingOnceAtDone(() -> new UnableToExecuteStatementException(
                new SQLException("terminating connection due to administrator command", "57P01"), null)));

        assertThatThrownBy(cutOff::handleOne).isInstanceOf(UnableToExecuteStatementException.class);
        assertThat(textsTo(ALICE)).as("nothing queued: no reply, no apology").isEmpty();

        assertThat(dispatcher(bed.stores.processedUpdates()).drain()).isEqualTo(1);
        assertThat(textsTo(ALICE)).singleElement().satisfies(t -> assertThat(t).contains("Hi, User")
                .doesNotContain("the code upd_"));
    }

    @Test
    void anUpdateWhoseHandlingFailsOnItsOwnIsAnsweredWithAnApologyAndNotRetried() {
        bed.record(bed.updates.command(ALICE, "start", ""));
        UpdateDispatcher failing = dispatcher(failingOnceAtDone(() -> new UnableToExecuteStatementException(
                new SQLException("value too long for type character varying(64)", "22001"), null)));

        assertThat(failing.handleOne()).isTrue();

        assertThat(textsTo(ALICE)).singleElement()
                .satisfies(t -> assertThat(t).as("the apology names its update").contains("the code upd_"));
        assertThat(dispatcher(bed.stores.processedUpdates()).drain()).isZero();
    }

    @Test
    void anUpdateTooDeepToHandleIsAnsweredWithAnApologyAndDoesNotStopItsChat() {
        bed.record(bed.updates.command(ALICE, "start", ""));
        bed.record(bed.updates.command(ALICE, "help", ""));
        UpdateDispatcher failing = dispatcher(failingOnceAtDone(() -> new StackOverflowError()));

        assertThat(failing.handleOne()).as("given up, not thrown to the loop").isTrue();
        assertThat(dispatcher(bed.stores.processedUpdates()).drain()).as("the chat's next update").isEqualTo(1);
        assertThat(textsTo(ALICE)).hasSize(2).first()
                .satisfies(t -> assertThat(t).as("the apology names its update").contains("the code upd_"));
    }
}
