package dev.kiebot.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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

    /** Its meters are made once a kind and kept: each update still counts under its own kind, none under another's. */
    @Test
    void everyUpdateCountsUnderItsKindWhenTheMetersAreKept() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MeteredHandling handling = new MeteredHandling(incoming -> { }, registry);
        Actor ann = new Actor(4200, 4200, "Ann", Optional.empty(), Optional.of("en"));
        for (int i = 0; i < 3; i++) {
            handling.accept(new Incoming(i, ann, new Event.Command("start", "")));
        }
        handling.accept(new Incoming(9, ann, new Event.Text("a cat")));

        assertThat(registry.get("kiebot.updates.handled").tag("kind", "command").counter().count()).isEqualTo(3);
        assertThat(registry.get("kiebot.updates.handled").tag("kind", "text").counter().count()).isEqualTo(1);
        assertThat(registry.get("kiebot.update.handling").tag("kind", "command").timer().count()).isEqualTo(3);
        assertThat(registry.get("kiebot.update.handling").tag("kind", "text").timer().count()).isEqualTo(1);
    }

    /** A registry cleared (a test's, a partner's through Kiebot.metrics()) gets the meters again at the next update. */
    @Test
    void aClearedRegistryGetsItsMetersAgain() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MeteredHandling handling = new MeteredHandling(incoming -> { }, registry);
        Actor ann = new Actor(4200, 4200, "Ann", Optional.empty(), Optional.of("en"));
        handling.accept(new Incoming(1, ann, new Event.Command("start", "")));
        registry.clear();
        handling.accept(new Incoming(2, ann, new Event.Command("start", "")));

        assertThat(registry.get("kiebot.updates.handled").tag("kind", "command").counter().count()).isEqualTo(1);
        assertThat(registry.get("kiebot.update.handling").tag("kind", "command").timer().count()).isEqualTo(1);
    }
}
