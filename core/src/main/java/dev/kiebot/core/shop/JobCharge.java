package dev.kiebot.core.shop;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.Transfer;
import java.util.List;
import java.util.Optional;

/**
 * What a paid job's charge took from its user: the posts of its hold and of the hold that charged it again
 * ({@link Generations#chargedAgainId}), read from the ledger. Not always its price: a lesser result (Veo's 720p when
 * the 1080p paid for never came) is posted at the lesser choice's price, the rest given back with the post, and its
 * status message and /history showed the order's price as charged.
 */
final class JobCharge {
    private JobCharge() {
    }

    /** @return the amount posted for the job; its price when nothing is posted (not charged yet, or free) */
    static long of(Ledger ledger, Job job) {
        if (job.free()) {
            return job.price();
        }
        List<Transfer> posts = List.of(job.holdId(), Generations.chargedAgainId(job.holdId())).stream()
                .map(h -> ledger.find(Ledger.postId(h))).flatMap(Optional::stream).toList();
        return posts.isEmpty() ? job.price() : posts.stream().mapToLong(Transfer::amount).sum();
    }
}
