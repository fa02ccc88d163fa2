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
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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

    /**
     * A partner's provider's figure is bounded as adapters-kie bounds Kie's: {@code -1e999999999} kept as it came had
     * {@code /admin} (and the low-credits alert) write out a billion digits on a handler's thread. Out of bounds it is
     * a failed read (the last figure kept, the failure shown); within them kept, a float's noise rounded.
     */
    @Test
    void aFigureOutOfBoundsIsAFailedReadAndOneWithinThemIsKeptRounded() throws Exception {
        AtomicReference<BigDecimal> answer = new AtomicReference<>(new BigDecimal("999999999999.5"));
        ProviderCredits partners = new ProviderCredits(new ForwardingProvider(new ScriptedProvider()) {
            @Override
            public Optional<BigDecimal> credits() {
                return Optional.of(answer.get());
            }
        }, clock);
        assertThat(partners.read()).as("12 whole digits").hasValue(new BigDecimal("999999999999.5"));

        for (String wild : List.of("-1e999999999", "1e20000", "1000000000000", "1e-31", "0.1000000000000000000000000000001")) {
            answer.set(new BigDecimal(wild));
            assertThatThrownBy(partners::read).as(wild).isInstanceOf(ProviderException.class)
                    .extracting(e -> ((ProviderException) e).kind()).isEqualTo(ErrorKind.MALFORMED_RESPONSE);
            assertThat(partners.failure()).hasValue("MALFORMED_RESPONSE");
            assertThat(partners.last().orElseThrow().credits()).as("the last good one")
                    .hasValue(new BigDecimal("999999999999.5"));
        }

        answer.set(new BigDecimal("99.10000000000001"));
        assertThat(partners.read()).as("a float's noise, rounded").hasValue(new BigDecimal("99.100000"));
        assertThat(partners.failure()).isEmpty();
    }
}
