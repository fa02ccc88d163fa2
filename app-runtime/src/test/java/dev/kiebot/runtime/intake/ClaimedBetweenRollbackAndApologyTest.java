package dev.kiebot.runtime.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.Transactions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Found by a review: a failed handling is rolled back, which frees its chat, and only then is the update answered
 * with an apology in a second transaction. In between, another handler (a thread of this instance or of another
 * one) could claim the same update: a passing failure was then handled by the other AND apologised for by the
 * first (the user got a result and "something went wrong"), and a poison update was apologised for twice. Here
 * the other handler takes the update exactly in that gap, on the real PostgreSQL; the user gets one answer.
 */
class ClaimedBetweenRollbackAndApologyTest {
    /** Each task on a thread of its own: the common pool has one worker on two cores, and these tasks block. */
    private static final Executor ELSEWHERE = task -> new Thread(task, "elsewhere").start();

    private static final long ALICE = 5_550_001;

    private final HandlingTestBed bed = new HandlingTestBed();
    private final Shop shop = bed.shop();
    private final AtomicInteger handlings = new AtomicInteger();
    private final AtomicInteger doneMarks = new AtomicInteger();

    @BeforeEach
    void aliceSaysStart() {
        bed.record(bed.updates.command(ALICE, "start", ""));
    }

    /** The real inbox, counting the done marks (each in a transaction that commits, in these tests). */
    private ProcessedUpdates countingDone() {
        return new InboxFailingAtDone(bed.stores.processedUpdates()) {
            @Override
            public void done(long updateId, Instant now) {
                doneMarks.incrementAndGet();
                real.done(updateId, now);
            }
        };
    }

    private UpdateDispatcher dispatcher(Transactions transactions, Consumer<Incoming> handle) {
        return bed.dispatcher(countingDone(), transactions, in -> {
            handlings.incrementAndGet();
            handle.accept(in);
        }, shop.storefront()::apologize);
    }

    /**
     * The real transactions, but {@code between} runs before the second one opens: for a handler whose handling
     * fails, after that handling's rollback and before its apology's transaction.
     */
    private Transactions runningBeforeTheSecond(Runnable between) {
        Transactions real = bed.stores.transactions();
        AtomicInteger opened = new AtomicInteger();
        return new Transactions() {
            @Override
            public <T> T inOne(Supplier<T> work) {
                if (opened.incrementAndGet() == 2) {
                    between.run();
                }
                return real.inOne(work);
            }

            @Override
            public void afterCommit(Runnable action) {
                real.afterCommit(action);
            }

            @Override
            public boolean active() {
                return real.active();
            }

            @Override
            public boolean durable() {
                return real.durable();
            }
        };
    }

    /** Handler A fails; in the gap before its apology, handler B, on another thread, takes the update. */
    private void handlerBTakesItInHandlerAsGap(Consumer<Incoming> handle) {
        UpdateDispatcher b = dispatcher(bed.stores.transactions(), handle);
        AtomicBoolean bTookIt = new AtomicBoolean();
        UpdateDispatcher a = dispatcher(runningBeforeTheSecond(() -> bTookIt.set(
                CompletableFuture.supplyAsync(b::handleOne, ELSEWHERE).orTimeout(30, TimeUnit.SECONDS).join())), in -> {
                    throw new IllegalStateException("handler A's handling failed");
                });

        assertThat(a.handleOne()).isTrue();

        assertThat(bTookIt).as("B claimed the update A had rolled back").isTrue();
        assertThat(handlings).as("A's handling and B's").hasValue(2);
        assertThat(dispatcher(bed.stores.transactions(), shop.storefront()::handle).drain()).as("nothing left").isZero();
    }

    private List<String> textsTo(long chat) {
        shop.sender().drain(100);
        return bed.textsTo(chat);
    }

    @Test
    void anUpdateAnotherHandlerHandledAfterTheRollbackGetsItsResultAndNoApology() {
        handlerBTakesItInHandlerAsGap(shop.storefront()::handle);

        assertThat(textsTo(ALICE)).as("B's answer, and no apology from A").singleElement()
                .satisfies(t -> assertThat(t).contains("Hi, User" + ALICE).doesNotContain("the code upd_"));
        assertThat(doneMarks).as("marked done once, by B").hasValue(1);
    }

    @Test
    void anUpdateWhoseHandlingFailsForBothHandlersIsApologisedForOnce() {
        handlerBTakesItInHandlerAsGap(in -> {
            throw new IllegalStateException("handler B's handling failed too");
        });

        assertThat(textsTo(ALICE)).as("one apology: B's").singleElement()
                .satisfies(t -> assertThat(t).contains("the code upd_"));
        assertThat(doneMarks).as("marked done once, by B's apology").hasValue(1);
    }
}
