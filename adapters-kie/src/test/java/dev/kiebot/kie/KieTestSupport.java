package dev.kiebot.kie;

import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.jobs.SubmitRequest;
import dev.kiebot.kie.fake.FakeKieServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Shared wiring for tests against {@link FakeKieServer}. */
final class KieTestSupport {
    static final String KEY = "kie-test-key-0123456789abcdef";

    private KieTestSupport() {
    }

    static KieConfig.Builder config(FakeKieServer kie) {
        return KieConfig.builder(KEY)
                .baseUrl(kie.baseUrl())
                .uploadUrl(kie.uploadUrl())
                .connectTimeout(Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(5))
                .uploadTimeout(Duration.ofSeconds(5))
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
                .limiterWait(Duration.ZERO);
    }

    /** A provider with private, generous limiters (tests must not share the process-wide ones). */
    static KieProvider provider(KieConfig config) {
        return new KieProvider(new KieClient(config),
                KieRateLimits.limiter("test-status", 10_000, Duration.ofSeconds(1), Duration.ofSeconds(5)),
                KieRateLimits.limiter("test-submit", 10_000, Duration.ofSeconds(1), Duration.ofSeconds(5)));
    }

    /** A provider for a test's own HTTP server at {@code url}: 3 submit and 2 read attempts, short backoffs. */
    static KieProvider provider(String url, Duration answerTimeout) {
        return provider(KieConfig.builder(KEY).baseUrl(url).uploadUrl(url)
                .connectTimeout(Duration.ofSeconds(2)).requestTimeout(answerTimeout).uploadTimeout(answerTimeout)
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).limiterWait(Duration.ZERO)
                .submitAttempts(3).readAttempts(2).build());
    }

    static KieProvider provider(FakeKieServer kie) {
        return provider(config(kie).build());
    }

    static SubmitRequest request(Model model, Map<String, String> values) {
        return new SubmitRequest(model, values, Map.of(), Optional.empty(), "gen_1");
    }

    static SubmitRequest request(Model model, Map<String, String> values, Map<String, List<String>> files) {
        return new SubmitRequest(model, values, files, Optional.empty(), "gen_1");
    }
}
