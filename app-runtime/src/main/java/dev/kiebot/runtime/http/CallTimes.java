package dev.kiebot.runtime.http;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * When this instance last heard a good answer from each counterpart (Telegram's Bot API, Kie's API): shown by
 * {@code /readyz}, so an operator sees at a glance which side went quiet.
 */
public final class CallTimes {
    private final AtomicReference<Instant> telegram = new AtomicReference<>();
    private final AtomicReference<Instant> kie = new AtomicReference<>();

    public void telegramAnswered(Instant at) {
        telegram.accumulateAndGet(at, CallTimes::later);
    }

    public void kieAnswered(Instant at) {
        kie.accumulateAndGet(at, CallTimes::later);
    }

    public Optional<Instant> lastTelegramAnswer() {
        return Optional.ofNullable(telegram.get());
    }

    public Optional<Instant> lastKieAnswer() {
        return Optional.ofNullable(kie.get());
    }

    private static Instant later(Instant current, Instant candidate) {
        return current == null || candidate.isAfter(current) ? candidate : current;
    }
}
