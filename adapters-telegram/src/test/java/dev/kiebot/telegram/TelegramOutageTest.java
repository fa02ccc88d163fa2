package dev.kiebot.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
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
}
