package dev.kiebot.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.SubmitPermit;
import dev.kiebot.core.testing.ForwardingProvider;
import dev.kiebot.core.testing.ScriptedProvider;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The metered provider the runners wrap Kie's in hands the wait for Kie's rate limit to it: with the port's default
 * in its place the shop's permit was {@code UNLIMITED}, and Kie's adapter, which honours only its own, waited for its
 * limit inside createTask again, the job SUBMITTING (a kill then stranded it), as before the wait moved.
 */
class MeteredProviderTest {
    private record Own() implements SubmitPermit {
    }

    @Test
    void theWaitForThePermitIsTheProvidersOwn() {
        SubmitPermit own = new Own();
        MeteredProvider metered = new MeteredProvider(new ForwardingProvider(new ScriptedProvider()) {
            @Override
            public Optional<SubmitPermit> awaitSubmitPermit() {
                return Optional.of(own);
            }
        }, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        assertThat(metered.awaitSubmitPermit()).containsSame(own);
    }
}
