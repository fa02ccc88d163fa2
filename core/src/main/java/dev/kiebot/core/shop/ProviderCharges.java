package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Sku;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Plural;
import dev.kiebot.core.text.Texts;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the provider says a task cost against the catalog's price of its SKU. Users' prices are computed from the
 * catalog, which ships with the bot: when the provider raises a price, every sale of that model earns less than the
 * operator set, or loses money, and nothing else would show it (kie-api.md: reconcile with {@code creditsConsumed}).
 * A task charged more than the catalog's price gets an audit line («gen.overcharged», shown by /find), and the admins
 * are told once a day per model.
 */
final class ProviderCharges {
    /**
     * Charged above the catalog's price by more than this share counts: a provider may round a price to its own unit
     * (Kie: a tenth of a credit), which is not what the admins need to hear about.
     */
    static final BigDecimal ROUNDING_SHARE = new BigDecimal("0.01");

    private final Stores stores;
    private final Catalog catalog;
    private final ShopSettings settings;
    private final Texts texts;
    private final Clock clock;
    private final Outbox outbox;
    /** The day each model's overcharge was last told to the admins: at most one entry per model of the catalog. */
    private final Map<String, LocalDate> told = new ConcurrentHashMap<>();

    ProviderCharges(Stores stores, Catalog catalog, ShopSettings settings, Texts texts, Clock clock, Outbox outbox) {
        this.stores = stores;
        this.catalog = catalog;
        this.settings = settings;
        this.texts = texts;
        this.clock = clock;
        this.outbox = outbox;
    }

    /**
     * After {@code job} succeeded, in its transaction: what its provider charged, when it says, against the catalog;
     * the admins are told when it is more and they were not told of this model today.
     *
     * @return the job's audit note ({@code gen.overcharged}) when it was charged more
     */
    Optional<String> check(Job job, Optional<BigDecimal> chargedUsd) {
        Optional<Model> model = catalog.model(job.modelId());
        Optional<BigDecimal> listed = model.flatMap(m -> m.sku(job.skuId())).map(Sku::kieUsd);
        if (chargedUsd.isEmpty() || listed.isEmpty() || !overcharged(chargedUsd.get(), listed.get())) {
            return Optional.empty();
        }
        String charged = usd(chargedUsd.get());
        String catalogPrice = usd(listed.get());
        LocalDate today = LocalDate.ofInstant(clock.instant(), settings.zone());
        // remembered by this process once the alert's transaction commits (marked before, a rolled-back or retried
        // success would leave the admins untold for the day), and recorded in the audit trail in that transaction,
        // where another instance (or this one after a restart) finds the day's telling and tells nothing
        if (!today.equals(told.get(job.modelId()))) {
            AuditEvent telling = new AuditEvent(clock.instant(), "system", AdminAlerts.OVERCHARGED,
                    job.id().display(), Optional.of("alert:overcharged:" + job.modelId()));
            AdminAlerts.sendFirst(stores, settings, outbox, telling, today.atStartOfDay(settings.zone()).toInstant(),
                    lang -> texts.get(lang, Msg.ADMIN_ALERT_OVERCHARGED, model.get().title(lang),
                            Plural.decimal(lang, charged), job.id().display(), Plural.decimal(lang, catalogPrice)));
            stores.transactions().afterCommit(() -> told.put(job.modelId(), today));
        }
        return Optional.of(AuditNote.GEN_OVERCHARGED.with(charged, catalogPrice));
    }

    static boolean overcharged(BigDecimal charged, BigDecimal listed) {
        return charged.compareTo(listed.multiply(BigDecimal.ONE.add(ROUNDING_SHARE))) > 0;
    }

    /** Dollars to the hundredth of a cent (the audit's English form; the alert writes it as its language does). */
    static String usd(BigDecimal usd) {
        return usd.setScale(4, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
