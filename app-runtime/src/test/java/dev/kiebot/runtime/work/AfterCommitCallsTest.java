package dev.kiebot.runtime.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * A call after the commit runs with the cid of the update that queued it (review L68: the refunds-* threads' lines
 * carried none, and no operator could tie «Stars refund … failed» to the admin's press), and leaves it behind.
 */
class AfterCommitCallsTest {

    @Test
    void aCallRunsWithTheCidOfTheThreadThatQueuedItAndLeavesNoneBehind() throws Exception {
        try (AfterCommitCalls calls = new AfterCommitCalls("t", Duration.ofSeconds(5))) {
            CompletableFuture<String> refund = new CompletableFuture<>();
            CompletableFuture<String> answer = new CompletableFuture<>();
            CompletableFuture<String> after = new CompletableFuture<>();
            MDC.put("cid", "upd_4711");
            try {
                calls.refunds().execute(() -> refund.complete(String.valueOf(MDC.get("cid"))));
                calls.answers().execute(() -> answer.complete(String.valueOf(MDC.get("cid"))));
            } finally {
                MDC.remove("cid");
            }
            assertThat(refund.get(5, TimeUnit.SECONDS)).isEqualTo("upd_4711");
            assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo("upd_4711");
            calls.refunds().execute(() -> after.complete(String.valueOf(MDC.get("cid"))));
            assertThat(after.get(5, TimeUnit.SECONDS)).as("the next call's, queued with none").isEqualTo("null");
        }
    }
}
