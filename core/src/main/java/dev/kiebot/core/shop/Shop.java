package dev.kiebot.core.shop;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.FreeTier;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.Conversation;
import dev.kiebot.core.reply.FileSource;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.jobs.PollPolicy;
import dev.kiebot.core.text.Texts;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The assembled core: what a runner (or a partner's bot) needs, and the one entry point of the library.
 * {@link #builder()} requires every port and setting the shop cannot guess — the catalog, the stores, a
 * messenger, a generation provider, a file source, a clock and the shop settings — and {@link Builder#build()}
 * names everything missing at once. Nothing falls back to memory: a shop that takes money must be told
 * where its ledger lives. Pricing, the free tier, the poll policy and the worker name have documented
 * defaults.
 *
 * <pre>{@code
 * Shop shop = Shop.builder().catalog(catalog).stores(stores).messenger(messenger).provider(provider)
 *         .files(files).clock(Clock.systemUTC()).settings(ShopSettings.defaults()).build();
 * shop.storefront().handle(incoming);        // for every update
 * shop.worker().runOnce(20);                 // on a schedule
 * }</pre>
 *
 * <p>The {@code examples/console-shop} module shows a complete embedding.
 */
public record Shop(Storefront storefront, JobWorker worker, BroadcastWorker broadcaster, Generations generations,
                   Outbox outbox, Stores stores, Catalog catalog, FreeTier freeTier, Pricing pricing) {

    public static Builder builder() {
        return new Builder();
    }

    private static void require(List<String> missing, Object value, String what) {
        if (value == null) {
            missing.add(what);
        }
    }

    public static final class Builder {
        private Catalog catalog;
        private Pricing pricing = Pricing.defaults();
        private Optional<java.util.List<String>> freeTierOverride = Optional.empty();
        private int freeDailyLimit = FreeTier.DEFAULT_DAILY_LIMIT;
        private ShopSettings settings;
        private Stores stores;
        private Messenger messenger;
        private GenerationProvider provider;
        private FileSource files;
        private PollPolicy pollPolicy = PollPolicy.every(java.time.Duration.ofSeconds(5));
        private Clock clock;
        private Optional<String> callbackUrl = Optional.empty();
        private String workerName = "worker";

        public Builder catalog(Catalog c) {
            this.catalog = c;
            return this;
        }

        public Builder pricing(Pricing p) {
            this.pricing = p;
            return this;
        }

        /** FREE_TIER_MODEL_IDS: exactly five model ids instead of the five cheapest models. */
        public Builder freeTierOverride(Optional<java.util.List<String>> ids) {
            this.freeTierOverride = ids;
            return this;
        }

        public Builder freeDailyLimit(int limit) {
            this.freeDailyLimit = limit;
            return this;
        }

        public Builder settings(ShopSettings s) {
            this.settings = s;
            return this;
        }

        public Builder stores(Stores s) {
            this.stores = s;
            return this;
        }

        public Builder messenger(Messenger m) {
            this.messenger = m;
            return this;
        }

        public Builder provider(GenerationProvider p) {
            this.provider = p;
            return this;
        }

        public Builder files(FileSource f) {
            this.files = f;
            return this;
        }

        public Builder pollPolicy(PollPolicy p) {
            this.pollPolicy = p;
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        /** Where the provider should report completion; without it jobs are polled only. */
        public Builder callbackUrl(Optional<String> url) {
            this.callbackUrl = url;
            return this;
        }

        /** Names this instance's worker in job leases (e.g. the INSTANCE_NAME). */
        public Builder workerName(String name) {
            this.workerName = name;
            return this;
        }

        /** @throws IllegalStateException naming every missing port or setting */
        public Shop build() {
            List<String> missing = new ArrayList<>();
            require(missing, catalog, "catalog (load it with the runtime's CatalogLoader or Catalog.of)");
            require(missing, stores, "stores (your store implementations, or this project's PgStores)");
            require(missing, messenger, "messenger (a Messenger adapter, e.g. TelegramMessenger)");
            require(missing, provider, "provider (a GenerationProvider, e.g. KieProvider or a stub)");
            require(missing, files, "files (a FileSource, e.g. TelegramFileSource)");
            require(missing, clock, "clock (e.g. Clock.systemUTC())");
            require(missing, settings, "settings (ShopSettings, e.g. ShopSettings.defaults() with your admins)");
            if (!missing.isEmpty()) {
                throw new IllegalStateException("Shop.builder() is missing: " + String.join("; ", missing));
            }
            Stores s = stores;
            Texts texts = new Texts();
            FreeTier freeTier = FreeTier.derive(catalog, pricing, freeTierOverride, freeDailyLimit);
            Outbox outbox = new Outbox(messenger, s.users(), s.jobs());
            Generations generations = new Generations(s, catalog, pricing, freeTier, texts, settings, clock, outbox);
            Conversation conversation = new Conversation(catalog, pricing, freeTier, texts, settings);
            TopUps topUps = new TopUps(s, pricing, texts, settings, clock);
            AdminConsole admin = new AdminConsole(s, pricing, texts, clock, provider, generations, outbox);
            Effects effects = new Effects(s, pricing, texts, outbox, generations, topUps, admin);
            Storefront storefront = new Storefront(s, texts, settings, clock, outbox, conversation, topUps, effects);
            JobWorker worker = new JobWorker(workerName, s, catalog, provider, files, generations, pollPolicy, outbox,
                    texts, clock, callbackUrl);
            BroadcastWorker broadcaster = new BroadcastWorker(s, outbox, texts, clock);
            return new Shop(storefront, worker, broadcaster, generations, outbox, s, catalog, freeTier, pricing);
        }
    }
}
