package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.testing.ForwardingProvider;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.ScriptedProvider;
import java.util.Optional;
import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The provider's balance as last read, which {@code /admin} shows without waiting for the provider. */
class ProviderCreditsTest {
    private final MutableClock clock = MutableClock.at("2026-11-21T10:00:00Z");
    private final AtomicInteger asked = new AtomicInteger();

    private final ProviderCredits credits = new ProviderCredits(new ForwardingProvider(new ScriptedProvider()) {
        @Override
        public Optional<BigDecimal> credits() throws ProviderException {
            if (asked.incrementAndGet() == 2) {
                throw new ProviderException(ErrorKind.TIMEOUT, "read timed out", true);
            }
            return Optional.of(BigDecimal.valueOf(asked.get()));
        }
    }, clock);

    @Test
    void aReadingIsKeptWithItsTimeAndAFailedReadKeepsTheLastOne() throws Exception {
        assertThat(credits.last()).isEmpty();
        credits.refresh().get();
        assertThat(credits.last()).hasValue(new ProviderCredits.Reading(Optional.of(BigDecimal.ONE), clock.instant()));

        clock.advance(java.time.Duration.ofMinutes(3));
        credits.refresh().get();
        assertThat(credits.last()).as("the last good one").hasValue(
                new ProviderCredits.Reading(Optional.of(BigDecimal.ONE), clock.instant().minusSeconds(180)));
        assertThat(credits.failure()).hasValue("TIMEOUT");

        assertThat(credits.read()).hasValue(BigDecimal.valueOf(3));
        assertThat(credits.last())
                .hasValue(new ProviderCredits.Reading(Optional.of(BigDecimal.valueOf(3)), clock.instant()));
        assertThat(credits.failure()).isEmpty();
        assertThatThrownBy(() -> new ProviderCredits(new ForwardingProvider(new ScriptedProvider()) {
            @Override
            public Optional<BigDecimal> credits() throws ProviderException {
                throw new ProviderException(ErrorKind.AUTH, "401", false);
            }
        }, clock).read()).isInstanceOf(ProviderException.class);
    }
}
