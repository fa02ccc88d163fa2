package dev.kiebot.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The handling's histogram: a bucket an operator reads, not Micrometer's 69 a kind in every scrape. */
class MeteredHandlingTest {
    /**
     * Review L68: {@code kiebot_update_handling_seconds_bucket} was 207 of a live bot's 470 scraped lines with three
     * kinds of update seen (69 buckets a kind, 620 series with all nine). Its buckets are the dozen named, plus +Inf.
     */
    @Test
    void aKindOfUpdateIsADozenBucketsInTheScrape() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new MeteredHandling(incoming -> { }, registry).accept(new Incoming(1, new Actor(4200, 4200, "Ann",
                Optional.empty(), Optional.of("en")), new Event.Command("start", "")));

        String scrape = registry.scrape();
        assertThat(scrape.lines().filter(l -> l.startsWith("kiebot_update_handling_seconds_bucket{kind=\"command\""))
                .count()).isEqualTo(MeteredHandling.BUCKETS.length + 1L);
        assertThat(scrape).contains("kiebot_update_handling_seconds_bucket{kind=\"command\",le=\"0.25\"} 1",
                "kiebot_update_handling_seconds_bucket{kind=\"command\",le=\"+Inf\"} 1",
                "kiebot_update_handling_seconds_count{kind=\"command\"} 1");
    }
}
