package dev.kiebot.core.shop;

import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Sku;
import dev.kiebot.core.jobs.Job;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The inputs a held job goes out with: its answers and the options of the variant it was paid for ({@link Job#skuId}).
 * A priced option the user is never asked (a clip's length where only one is offered) was left to the catalog's
 * default, and a deploy that changed that default between the hold and the send asked Kie for another variant than
 * the one held (10 s paid for as 6 s, or the reverse). The options come from the variant paid for, so a job held before
 * its options were recorded with it goes out as paid too.
 *
 * <p>A job whose variant the model no longer has (an option dropped, a price field added: its pricing changed under
 * it) is not sent at all: whatever went out would be a variant nobody priced for this user. A variant kept with
 * another provider price goes out at the price held: the user agreed to that price for that variant, and the shop's
 * markup, not the user, carries a repricing between the hold and the send.
 */
final class PaidVariant {
    private PaidVariant() {
    }

    /**
     * @return the values to send; empty when the model no longer has the variant paid for
     */
    static Optional<Map<String, String>> values(Model model, Job job) {
        Optional<Sku> paid = model.sku(job.skuId());
        if (paid.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> values = new HashMap<>(job.values());
        values.putAll(paid.get().options());
        return Optional.of(values);
    }
}
