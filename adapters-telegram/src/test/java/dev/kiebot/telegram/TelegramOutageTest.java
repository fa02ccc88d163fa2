package dev.kiebot.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bot-wide breaker on its own; through the messenger: TelegramMessengerTest's "the bot-wide breaker". */
class TelegramOutageTest {
    private final FakeTicker ticker = new FakeTicker();

    /**
     * A probe that throws an Error (an OutOfMemoryError on a small box, a class not found) lets the next sender to ask
     * probe again. Before, it left the breaker probing for ever: every sender was told to wait, and no reply went out
     * until a restart.
     */
    @Test
    void aProbeThatThrowsAnErrorDoesNotHoldTheSendersForever() {
        AtomicInteger probes = new AtomicInteger();
        TelegramOutage outage = new TelegramOutage(ticker, Duration.ofSeconds(60), () -> {
            if (probes.incrementAndGet() == 1) {
                throw new OutOfMemoryError("Java heap space");
            }
            return true;
        });
        outage.trouble("read timed out", Duration.ZERO);
        ticker.advance(TelegramOutage.FIRST_PROBE);

        assertThat(catchThrowable(outage::heldFor)).isInstanceOf(OutOfMemoryError.class);

        assertThat(outage.heldFor()).as("Telegram answers getMe again: the senders go on").isEmpty();
        assertThat(probes).hasValue(2);
    }

    /**
     * An incident drill (review R2): a 429 storm of the bot's own burst was told as "Telegram is in trouble", sending
     * the operator to Telegram's status page. A flood wait says it is the bot's own pace and names what to lower; a
     * Telegram that does not answer is still "in trouble".
     */
    @Test
    void aFloodWaitIsToldAsTheBotsOwnPaceNotTelegramInTrouble() {
        try (LogCapture logs = new LogCapture()) {
            TelegramOutage flooded = new TelegramOutage(ticker, Duration.ofSeconds(60), () -> true);
            for (long chat = 1; chat <= TelegramOutage.FLOOD_CHATS; chat++) {
                flooded.rateLimited(chat, Duration.ofSeconds(1));
            }
            assertThat(flooded.isOpen()).isTrue();
            new TelegramOutage(ticker, Duration.ofSeconds(60), () -> true).rateLimited(1, Duration.ofSeconds(120));
            new TelegramOutage(ticker, Duration.ofSeconds(60), () -> true).trouble("read timed out", Duration.ZERO);
            assertThat(logs.lines()).filteredOn(l -> l.startsWith("WARN ")).satisfiesExactly(
                    l -> assertThat(l).contains("Telegram makes the whole bot wait (429 for 5 chats within 1 s)",
                            "not Telegram in trouble", "lower TELEGRAM_GLOBAL_RATE"),
                    l -> assertThat(l).contains("Telegram makes the whole bot wait (a flood wait of 120 s)",
                            "lower TELEGRAM_GLOBAL_RATE"),
                    l -> assertThat(l).contains("Telegram is in trouble (read timed out)")
                            .doesNotContain("TELEGRAM_GLOBAL_RATE"));
        }
    }

    /**
     * Review L68: a burst the bot kept sending too fast met a flood wait every retry_after, and each was a WARN and an
     * INFO saying what the first said (three of each in 14 s of a live run). The ones within
     * {@link TelegramOutage#FLOOD_RETOLD_AFTER} of the last told are DEBUG, their ends too; the next told counts them;
     * Telegram in trouble meanwhile is still told.
     */
    @Test
    void floodWaitsOneAfterAnotherAreOneWarningTillTheyStopAndTheNextCountsThem() {
        try (LogCapture logs = new LogCapture()) {
            TelegramOutage outage = new TelegramOutage(ticker, Duration.ofSeconds(60), () -> true);
            for (int spell = 0; spell < 4; spell++) {
                outage.rateLimited(1, Duration.ofSeconds(90));
                ticker.advance(Duration.ofSeconds(90));
                assertThat(outage.heldFor()).as("spell %d over", spell).isEmpty();
            }
            outage.trouble("read timed out", Duration.ZERO);
            ticker.advance(TelegramOutage.FIRST_PROBE);
            assertThat(outage.heldFor()).isEmpty();
            ticker.advance(TelegramOutage.FLOOD_RETOLD_AFTER);
            outage.rateLimited(1, Duration.ofSeconds(90));

            List<String> told = logs.lines().stream().filter(l -> l.startsWith("WARN ") || l.startsWith("INFO "))
                    .toList();
            assertThat(told).satisfiesExactly(
                    l -> assertThat(l).startsWith("WARN ").contains("a flood wait of 90 s").doesNotContain("more"),
                    l -> assertThat(l).startsWith("INFO ").contains("answers again after 90 s"),
                    l -> assertThat(l).startsWith("WARN ").contains("Telegram is in trouble (read timed out)"),
                    l -> assertThat(l).startsWith("INFO ").contains("answers again after 1 s"),
                    l -> assertThat(l).startsWith("WARN ").contains("a flood wait of 90 s",
                            "3 more flood wait(s) since the last such line"));
        }
    }

    /**
     * The senders that ask while the probe is on its way are told to wait: one getMe however many ask at once. Four
     * senders ask together; the first's getMe is held until all the others have had their answer.
     */
    @Test
    void sendersAskingWhileTheProbeIsOnItsWayAreHeldAndOneGetMeGoes() throws Exception {
        AtomicInteger probes = new AtomicInteger();
        CountDownLatch probeStarted = new CountDownLatch(1);
        CountDownLatch othersAnswered = new CountDownLatch(1);
        TelegramOutage outage = new TelegramOutage(ticker, Duration.ofSeconds(60), () -> {
            if (probes.incrementAndGet() == 1) {
                probeStarted.countDown();
                try {
                    othersAnswered.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return true;
        });
        outage.trouble("read timed out", Duration.ZERO);
        ticker.advance(TelegramOutage.FIRST_PROBE);
        ExecutorService senders = Executors.newFixedThreadPool(1);
        try {
            Future<Optional<Duration>> prober = senders.submit(outage::heldFor);
            assertThat(probeStarted.await(30, TimeUnit.SECONDS)).isTrue();
            List<Optional<Duration>> others = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                others.add(outage.heldFor());
            }
            othersAnswered.countDown();

            assertThat(others).as("held while the probe is on its way").containsOnly(Optional.of(Duration.ofSeconds(1)));
            assertThat(prober.get(30, TimeUnit.SECONDS)).as("the probe answered: the senders go on").isEmpty();
            assertThat(probes).as("one getMe").hasValue(1);
        } finally {
            othersAnswered.countDown();
            senders.shutdownNow();
        }
    }
}
