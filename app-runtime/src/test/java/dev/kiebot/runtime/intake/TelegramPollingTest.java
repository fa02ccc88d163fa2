package dev.kiebot.runtime.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.intake.PendingUpdate;
import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.core.intake.SingletonLock;
import dev.kiebot.runtime.http.Health;
import dev.kiebot.telegram.TelegramBots;
import dev.kiebot.telegram.WebhookRegistration;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.Socket;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One round of long polling against the fake Telegram server; the inbox's store fails when told to. */
class TelegramPollingTest {
    private static final long ALICE = 5_550_001;

    private final FakeTelegramServer telegram = FakeTelegramServer.start();
    private final FlakyStore store = new FlakyStore();
    private final Health health = new Health("polling", "lock", () -> true);
    private final TelegramPolling polling = new TelegramPolling(telegram.bot(), new HeldLock(),
            new WebhookRegistration(telegram.bot()), new UpdateInbox(store, Clock.systemUTC(),
            new SimpleMeterRegistry()), health);

    @AfterEach
    void stop() {
        polling.close();
        telegram.close();
    }

    @Test
    void anUpdateWhoseRecordingFailedIsFetchedAgainAndRecordedOnce() {
        assertThat(polling.takeTurn()).isTrue();
        assertThat(polling.polling()).isTrue();
        long first = telegram.enqueue(telegram.updates().command(ALICE, "start", ""));
        long second = telegram.enqueue(telegram.updates().text(ALICE, "a very private prompt"));
        store.failNext(1);

        TelegramPolling.Round failed = polling.pollOnce(0);
        assertThat(failed).isInstanceOfSatisfying(TelegramPolling.Round.Failed.class, f -> assertThat(f.reason())
                .contains("recording update " + first).doesNotContain("private prompt"));
        assertThat(store.recorded).isEmpty();

        assertThat(polling.pollOnce(0)).isEqualTo(new TelegramPolling.Round.Recorded(2));
        assertThat(store.recorded).containsOnlyKeys(first, second);
        assertThat(telegram.callsTo("getUpdates")).extracting(c -> c.param("offset"))
                .as("the second round asks from the same offset: nothing was confirmed").containsExactly("0", "0");

        assertThat(polling.pollOnce(0)).isEqualTo(new TelegramPolling.Round.Recorded(0));
        assertThat(telegram.pendingUpdates()).as("both confirmed by the third round's offset").isZero();
        assertThat(store.attempts.get()).isEqualTo(3);
    }

    @Test
    void getUpdatesFailingSeveralTimesInARowMakesReadyzSayTelegramIsUnreachableUntilItAnswers() {
        health.migrated();
        assertThat(polling.takeTurn()).isTrue();
        assertThat(health.ready()).isTrue();
        telegram.failNext("getUpdates", TelegramPolling.UNREACHABLE_AFTER_FAILURES,
                FakeTelegramServer.Failure.apiError(502, "Bad Gateway"));
        for (int i = 1; i < TelegramPolling.UNREACHABLE_AFTER_FAILURES; i++) {
            assertThat(polling.pollOnce(0)).isInstanceOf(TelegramPolling.Round.Failed.class);
            assertThat(health.ready()).as("after %d failure(s) it may be a blip", i).isTrue();
        }
        assertThat(polling.pollOnce(0)).isInstanceOf(TelegramPolling.Round.Failed.class);
        assertThat(health.ready()).isFalse();
        assertThat(health.report()).containsEntry("lock", true).extractingByKey("telegram").asString()
                .startsWith("unreachable: " + TelegramPolling.UNREACHABLE_AFTER_FAILURES + " getUpdates calls failed");

        assertThat(polling.pollOnce(0)).isEqualTo(new TelegramPolling.Round.Recorded(0));
        assertThat(health.ready()).isTrue();
        assertThat(health.report()).containsEntry("telegram", "ok");
    }

    @Test
    void aNetworkFailureIsNamedByItsCauseAndNeverByTheUrlThatHoldsTheToken() throws IOException {
        String token = "123456:secret-token-part";
        try (Socket refusing = FakeTelegramServer.refusingPort(); TelegramPolling unreachable = new TelegramPolling(
                TelegramBots.create(token, "http://127.0.0.1:" + refusing.getLocalPort()), new HeldLock(),
                new WebhookRegistration(telegram.bot()), new UpdateInbox(store, Clock.systemUTC(),
                new SimpleMeterRegistry()), health)) {
            assertThat(unreachable.pollOnce(0)).isInstanceOfSatisfying(TelegramPolling.Round.Failed.class,
                    f -> assertThat(f.reason()).as("not a bare RuntimeException: the operator learns what failed")
                            .isEqualTo("getUpdates failed: RuntimeException (ConnectException)")
                            .doesNotContain("secret"));
        }
    }

    @Test
    void aFailureMidBatchConfirmsNothingAndTheBatchComesAgainEachUpdateRecordedOnce() {
        polling.takeTurn();
        long first = telegram.enqueue(telegram.updates().command(ALICE, "start", ""));
        long second = telegram.enqueue(telegram.updates().command(ALICE, "balance", ""));
        store.failAfter(1);

        assertThat(polling.pollOnce(0)).isInstanceOf(TelegramPolling.Round.Failed.class);
        assertThat(store.recorded).as("a store without batches recorded the first before failing")
                .containsOnlyKeys(first);
        assertThat(polling.pollOnce(0)).isEqualTo(new TelegramPolling.Round.Recorded(2));
        assertThat(store.recorded).containsOnlyKeys(first, second);
        assertThat(telegram.callsTo("getUpdates").get(1).param("offset")).as("nothing of the batch confirmed")
                .isEqualTo(telegram.callsTo("getUpdates").get(0).param("offset"));
        assertThat(polling.pollOnce(0)).isEqualTo(new TelegramPolling.Round.Recorded(0));
        assertThat(telegram.pendingUpdates()).isZero();
    }

    @Test
    void aConflictIsReportedAndWithoutTheLockThereIsNoTurn() {
        telegram.failNext("getUpdates", 1, FakeTelegramServer.Failure.apiError(409, "Conflict: terminated"));
        assertThat(polling.takeTurn()).isTrue();
        assertThat(polling.pollOnce(0)).isInstanceOf(TelegramPolling.Round.Conflict.class);

        TelegramPolling standby = new TelegramPolling(telegram.bot(), new TakenLock(),
                new WebhookRegistration(telegram.bot()), new UpdateInbox(store, Clock.systemUTC(),
                new SimpleMeterRegistry()), new Health("polling", "lock", () -> true));
        assertThat(standby.takeTurn()).isFalse();
        assertThat(standby.polling()).isFalse();
    }

    /**
     * The bot token refused is read by the adapter's one rule (TokenRefusal), as every call of the adapter reads it:
     * 401, and 404 for a token not of a token's shape; anything else refused is a failure to wait out.
     */
    @Test
    void aRefusedTokenIsItsOwnRoundByTheAdaptersRule() {
        polling.takeTurn();
        telegram.failNext("getUpdates", 1, FakeTelegramServer.Failure.apiError(401, "Unauthorized"));
        assertThat(polling.pollOnce(0)).isEqualTo(new TelegramPolling.Round.TokenRefused(401));
        telegram.failNext("getUpdates", 1, FakeTelegramServer.Failure.apiError(404, "Not Found"));
        assertThat(polling.pollOnce(0)).isEqualTo(new TelegramPolling.Round.TokenRefused(404));
        telegram.failNext("getUpdates", 1, FakeTelegramServer.Failure.apiError(403, "Forbidden"));
        assertThat(polling.pollOnce(0)).isInstanceOf(TelegramPolling.Round.Failed.class);
    }

    /**
     * Found by an operator review: taking the lock deleted whatever webhook was set, so a local run with the production
     * token silenced the production bot. The lock is taken with the webhook left as it was; looking for it names its
     * host alone (an earlier bot's path may hold a secret), deletes nothing, and says nothing of polling's own.
     */
    @Test
    void aWebhookSetIsLeftAloneWhenTheLockIsTakenAndNamedByItsHost() {
        WebhookRegistration registration = new WebhookRegistration(telegram.bot());
        assertThat(registration.setWebhook("https://prod.example.com/telegram/secret-path", "s3cret", null).ok())
                .isTrue();

        assertThat(polling.takeTurn()).isTrue();
        assertThat(polling.lookForWebhook()).isEqualTo(new TelegramPolling.Webhook.InTheWay("prod.example.com"));
        assertThat(TelegramPolling.webhookInTheWay("prod.example.com")).contains("prod.example.com",
                "POLLING_TAKES_OVER_WEBHOOK=1", "test bot").doesNotContain("secret-path");
        assertThat(telegram.webhookUrl()).isEqualTo("https://prod.example.com/telegram/secret-path");
        assertThat(telegram.callsTo("deleteWebhook")).isEmpty();

        registration.deleteWebhook();
        assertThat(polling.lookForWebhook()).isEqualTo(new TelegramPolling.Webhook.None());
    }

    /** POLLING_TAKES_OVER_WEBHOOK=1: the operator's word that the webhook may go; it is deleted. */
    @Test
    void withTheTakeoverAWebhookFoundIsDeleted() {
        new WebhookRegistration(telegram.bot()).setWebhook("https://old.example.com/telegram", "s3cret", null);
        try (TelegramPolling takingOver = new TelegramPolling(telegram.bot(), new HeldLock(),
                new WebhookRegistration(telegram.bot()), new UpdateInbox(store, Clock.systemUTC(),
                new SimpleMeterRegistry()), health, true)) {
            assertThat(takingOver.lookForWebhook()).isEqualTo(new TelegramPolling.Webhook.TakenOver("old.example.com"));
        }
        assertThat(telegram.webhookUrl()).isEmpty();
    }

    /** Telegram that cannot be asked: nothing known, nothing deleted. */
    @Test
    void aWebhookInfoTelegramDoesNotGiveIsUnknown() {
        new WebhookRegistration(telegram.bot()).setWebhook("https://prod.example.com/telegram", "s3cret", null);
        telegram.failWhen("getWebhookInfo", c -> true, FakeTelegramServer.Failure.serverError());
        assertThat(polling.lookForWebhook()).isEqualTo(new TelegramPolling.Webhook.Unknown());
        assertThat(telegram.webhookUrl()).isNotEmpty();
    }

    /** Records in memory; told to, it throws like a database that is down. */
    private static final class FlakyStore implements ProcessedUpdates {
        final Map<Long, String> recorded = new ConcurrentHashMap<>();
        final AtomicInteger attempts = new AtomicInteger();
        private volatile int okBeforeFailure = Integer.MAX_VALUE;
        private volatile int failures;

        void failNext(int times) {
            failAfter(0);
            failures = times;
        }

        void failAfter(int ok) {
            okBeforeFailure = recorded.size() + ok;
            failures = 1;
        }

        @Override
        public boolean record(long updateId, long chatId, String payload, Instant now) {
            attempts.incrementAndGet();
            if (failures > 0 && recorded.size() >= okBeforeFailure) {
                failures--;
                throw new IllegalStateException("database is down");
            }
            return recorded.putIfAbsent(updateId, payload) == null;
        }

        @Override
        public Optional<PendingUpdate> claimNext() {
            return Optional.empty();
        }

        @Override
        public Optional<PendingUpdate> reclaim(long updateId) {
            return Optional.empty();
        }

        @Override
        public void done(long updateId, Instant now) {
        }

        @Override
        public int purge(Instant cutoff) {
            return 0;
        }

        @Override
        public Optional<Instant> oldestPending() {
            return Optional.empty(); // nothing waits to be handled: claimNext hands out none
        }
    }

    private static final class HeldLock implements SingletonLock {
        @Override
        public boolean tryAcquire() {
            return true;
        }

        @Override
        public boolean isHeld() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private static final class TakenLock implements SingletonLock {
        @Override
        public boolean tryAcquire() {
            return false;
        }

        @Override
        public boolean isHeld() {
            return false;
        }

        @Override
        public void close() {
        }
    }
}
