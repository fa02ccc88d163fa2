package dev.kiebot.core.conversation;

import dev.kiebot.core.jobs.JobId;
import java.util.List;
import java.util.Map;

/** Work the conversation asks the storefront to do; the engine itself never touches a store. */
public sealed interface Effect {

    /** Hold the price (or use a free generation) and queue the job. */
    record StartJob(String modelId, String skuId, Map<String, String> values, Map<String, List<String>> files,
                    long price, boolean free) implements Effect {
        public StartJob {
            values = Map.copyOf(values);
            files = Map.copyOf(files);
        }
    }

    /** Issue a Stars invoice crediting {@code amount} minor units. */
    record IssueInvoice(long stars, long amount) implements Effect {
    }

    record AcceptTerms() implements Effect {
    }

    record SetLanguage(String language) implements Effect {
    }

    /** Cancel a queued job and return its money. */
    record CancelJob(JobId job) implements Effect {
    }

    /** Send a delivered result again (by Telegram file id when known). */
    record ResendJob(JobId job) implements Effect {
    }

    record AnswerPreCheckout(String queryId, String payload, String currency, long totalAmount) implements Effect {
    }

    record CreditStars(String chargeId, String payload, String currency, long totalAmount) implements Effect {
    }

    record RecordStarsRefund(String chargeId, long totalAmount) implements Effect {
    }

    record SetBlocked(boolean blocked) implements Effect {
    }

    /** An admin command from a verified admin. */
    record Admin(String command, String args) implements Effect {
    }

    /** A verified admin confirmed broadcast draft {@code id}; {@code messageId} shows its progress. */
    record QueueBroadcast(long id, java.util.Optional<Integer> messageId) implements Effect {
    }

    /** A verified admin dropped broadcast draft {@code id}. */
    record CancelBroadcast(long id, java.util.Optional<Integer> messageId) implements Effect {
    }
}
