package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Plural;
import dev.kiebot.core.text.Texts;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The operator's balance at the provider running low: when it is spent, every new order is refused at submit, and the
 * users hear that generations are paused. The admins are told while there is still time to top it up, below the
 * shop's threshold ({@code Shop.Builder.lowCredits}), at most every {@link Upkeep#CREDITS_ALERT_EVERY} by all
 * instances together: the telling is in the audit trail ({@link AdminAlerts#sendFirst}), so a second instance, or
 * this one after a restart, tells nothing within that time. Run by {@link Upkeep} every {@link Upkeep#CREDITS_EVERY},
 * and only when the shop was given a threshold: a partner's provider may have no balance to read.
 */
final class LowCredits {
    /** The occasion of the tellings ({@code /find alert:credits} lists them). */
    static final String OCCASION = "alert:credits";
    private static final System.Logger LOG = System.getLogger(LowCredits.class.getName());

    private final Stores stores;
    private final ShopSettings settings;
    private final Texts texts;
    private final Clock clock;
    private final Outbox outbox;
    /** Read through it: the dashboard shows the balance this read last. */
    private final ProviderCredits credits;
    /** More than 0: the balance below which the admins are told. */
    private final BigDecimal threshold;
    /** Where a refused key is told, as an order's refusal is. */
    private final Generations generations;
    /** Whether this process logged that the provider gives no balance to watch: said once, not every ten minutes. */
    private final java.util.concurrent.atomic.AtomicBoolean saidNothingToRead =
            new java.util.concurrent.atomic.AtomicBoolean();

    LowCredits(Stores stores, ShopSettings settings, Texts texts, Clock clock, Outbox outbox,
               ProviderCredits credits, BigDecimal threshold, Generations generations) {
        this.stores = stores;
        this.settings = settings;
        this.texts = texts;
        this.clock = clock;
        this.outbox = outbox;
        this.credits = credits;
        this.threshold = threshold;
        this.generations = generations;
    }

    /** Reads the provider's balance and tells the admins when it is below the threshold and not told lately. */
    void watch() {
        Optional<BigDecimal> read;
        try {
            read = this.credits.read();
        } catch (ProviderException e) {
            LOG.log(System.Logger.Level.WARNING, "credit check failed: {0}", e.getMessage());
            if (e.kind() == ErrorKind.AUTH) {
                // the shop's key refused: told now, as an order's refusal tells it (and new orders paused), not at the
                // first paying user's failure, which on a quiet shop may come hours after a start with a wrong key
                stores.transactions().inOne(() -> {
                    generations.providerRefused(e.kind());
                    return null;
                });
            }
            // unreachable or busy: told by the jobs' own failures; the next look reads again
            return;
        }
        if (read.isEmpty()) {
            // a provider with no balance to read has none to be low: the alarm the operator set would stay silent for
            // good, while the balance he meant it to watch (elsewhere, at the provider) runs out unseen
            if (saidNothingToRead.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "low-credits alarm (Shop.Builder.lowCredits {0}; kiebot''s "
                        + "runner: KIE_LOW_CREDITS) has nothing to read: the provider gives no balance "
                        + "(GenerationProvider.credits() is empty), so no alert will come however low it runs; watch "
                        + "the balance at the provider, or leave lowCredits out", threshold.toPlainString());
            }
            return;
        }
        if (read.get().compareTo(threshold) >= 0) {
            return;
        }
        BigDecimal credits = read.get();
        Instant now = clock.instant();
        AuditEvent telling = new AuditEvent(now, "system", AdminAlerts.CREDITS_LOW, credits.toPlainString(),
                Optional.of(OCCASION));
        // written as the dashboard writes credits («1 234,5»), and saying what to do, as the other alerts
        boolean told = stores.transactions().inOne(() -> AdminAlerts.sendFirst(stores, settings, outbox, telling,
                now.minus(Upkeep.CREDITS_ALERT_EVERY), lang -> texts.get(lang, Msg.ADMIN_ALERT_CREDITS,
                        Plural.amount(lang, credits), Plural.amount(lang, threshold))));
        if (told) {
            LOG.log(System.Logger.Level.WARNING, "provider credits low: {0}", credits.toPlainString());
        }
    }
}
