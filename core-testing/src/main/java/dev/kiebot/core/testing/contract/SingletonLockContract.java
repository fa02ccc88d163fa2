package dev.kiebot.core.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.intake.SingletonLock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SingletonLock}: one instance at a time long-polls Telegram, and a standby takes over once the holder lets go.
 * Two instances polling at once would each take the other's updates from Telegram out of order, and Telegram answers
 * the second {@code getUpdates} with a conflict. A lock of your own (on your database, a lease in your cloud's
 * store) extends this contract and returns, from {@link #contender()}, a new contender for one and the same lock each
 * time, as a second instance of the bot would make. What a lock does when its holder's process dies (PostgreSQL: the
 * session ends and the advisory lock with it) only the real store can show; {@code PgSingletonLockTest} does.
 */
public abstract class SingletonLockContract {
    private final List<SingletonLock> made = new ArrayList<>();

    /**
     * A new contender for the lock, holding nothing yet: every call since the last {@link #reset()} contends for the
     * same lock, each call as another instance of the bot.
     *
     * @return a contender that has not tried the lock
     */
    protected abstract SingletonLock contender();

    /** Called before each test: a lock nobody holds (a new name, or every holder of the last test gone). */
    protected abstract void reset();

    /** For your test class that extends it. */
    protected SingletonLockContract() {
    }

    @BeforeEach
    void resetLock() {
        reset();
    }

    @AfterEach
    void closeContenders() {
        made.forEach(SingletonLock::close);
        made.clear();
    }

    private SingletonLock another() {
        SingletonLock lock = contender();
        made.add(lock);
        return lock;
    }

    @Test
    void oneContenderHoldsTheLockAndTheOthersAreRefusedWithoutWaiting() {
        SingletonLock first = another();
        SingletonLock second = another();

        assertThat(first.isHeld()).as("nothing held before trying").isFalse();
        assertThat(first.tryAcquire()).as("a free lock is taken").isTrue();
        assertThat(first.tryAcquire()).as("its holder trying again keeps it").isTrue();
        assertThat(second.tryAcquire()).as("a held lock refuses another contender").isFalse();

        assertThat(first.isHeld()).isTrue();
        assertThat(second.isHeld()).isFalse();
    }

    @Test
    void closingTheHolderHandsTheLockToTheNextContender() {
        SingletonLock first = another();
        SingletonLock second = another();
        assertThat(first.tryAcquire()).isTrue();
        assertThat(second.tryAcquire()).isFalse();

        first.close();

        assertThat(first.isHeld()).as("a closed holder holds nothing").isFalse();
        assertThat(second.tryAcquire()).as("the standby takes the lock at its next try").isTrue();
        assertThat(another().tryAcquire()).as("and holds it against a third").isFalse();
    }

    @Test
    void closingAContenderThatHoldsNothingLeavesTheHolderAlone() {
        SingletonLock holder = another();
        SingletonLock standby = another();
        assertThat(holder.tryAcquire()).isTrue();
        assertThat(standby.tryAcquire()).isFalse();

        standby.close();
        standby.close();

        assertThat(holder.isHeld()).as("a standby's stop does not release another's lock").isTrue();
        assertThat(another().tryAcquire()).isFalse();
    }

    @Test
    void closingTwiceIsHarmless() {
        SingletonLock first = another();
        assertThat(first.tryAcquire()).isTrue();

        first.close();
        first.close();

        assertThat(first.isHeld()).isFalse();
        SingletonLock next = another();
        assertThat(next.tryAcquire()).as("the lock is free once, not twice over").isTrue();
        assertThat(another().tryAcquire()).isFalse();
    }
}
