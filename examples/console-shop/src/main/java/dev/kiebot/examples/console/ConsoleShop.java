package dev.kiebot.examples.console;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.Family;
import dev.kiebot.core.catalog.FieldLabels;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Sku;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.PollPolicy;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.pacing.ChatPacing;
import dev.kiebot.core.payments.StarsRefundResult;
import dev.kiebot.core.reply.FileSource;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.testing.memory.InMemoryStores;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * core embedded in a "bot" whose chat is the console: {@code /start} → Images → a model → its prompt →
 * generate → the result. Run it with {@code mvn -q -pl examples/console-shop -am compile exec:java} or
 * from your IDE; {@link ConsoleShopTest} runs it in the build.
 */
public final class ConsoleShop {
    static final long USER = 42;

    private final PrintStream out;
    private final ConsoleMessenger messenger;
    private final Shop shop;
    private long updateId;

    public ConsoleShop(PrintStream out) {
        this.out = out;
        this.messenger = new ConsoleMessenger(out);
        ShopSettings settings = ShopSettings.defaults().withAdmins(Set.of());
        // a welcome bonus of 10 ₽ pays for the generation below; no free uses, so the ledger is exercised
        settings = new ShopSettings(settings.adminIds(), settings.support(), settings.supportText(), 1_000,
                settings.starsPackages(), settings.starPrice(), settings.zone(), settings.deadlines(),
                settings.admission());
        this.shop = Shop.builder()
                .catalog(catalog())
                .stores(InMemoryStores.create(Clock.systemUTC())) // yours: stores that survive a restart
                .messenger(messenger)
                .provider(new InstantProvider())
                .files(ConsoleShop::noFiles)
                // this shop sells no Stars and has no admins to look at charts
                .starsRefunds((user, charge) -> new StarsRefundResult.Failed("the console takes no Stars"))
                .charts(chart -> {
                    throw new UnsupportedOperationException("the console draws no charts");
                })
                .clock(Clock.systemUTC())
                .settings(settings)
                .freeDailyLimit(0)
                .pollPolicy(PollPolicy.every(Duration.ZERO)) // the instant provider is done at once
                .chatPacing(new ChatPacing(Duration.ZERO, 1)) // a console needs no pacing; Telegram does
                .build();
    }

    /** One model: a text-to-image at $0.02 (3.12 ₽ with the default rate and markup). */
    static Catalog catalog() {
        Model model = new Model("example/painter", "example/painter", Family.JOBS, Category.IMAGE,
                Map.of("ru", "Художник", "en", "Painter"), Map.of("ru", "рисует по описанию", "en", "paints a prompt"),
                // every field carries the words a person reads instead of its Kie name
                List.of(InputField.prompt(500).withLabels(FieldLabels.of("Описание", "Description",
                        "что нарисовать", "what to paint"))),
                List.of(new Sku(Map.of(), new BigDecimal("0.02"), "example price")), 1);
        return Catalog.of(List.of(model));
    }

    private static FileSource.DownloadedFile noFiles(String fileId) throws IOException {
        throw new IOException("this example takes no files");
    }

    /** What your adapter does with every update from the chat platform. */
    void user(Event event) {
        out.println("user: " + event);
        Actor actor = new Actor(USER, USER, "Ann", Optional.empty(), Optional.of("en"));
        shop.storefront().serve(new Incoming(++updateId, actor, event));
        shop.sender().drain(100); // your runtime runs the sender on its own threads
    }

    void tap(String label) {
        user(new Event.Callback("tap-" + updateId, messenger.tap(label), Optional.of(1)));
    }

    /** The conversation, then one pass of the job worker (your runtime calls it on a schedule). */
    public long run() {
        user(new Event.Command("start", ""));
        tap("Images");
        tap("Painter");
        tap("Generate");
        user(new Event.Text("a lighthouse in a storm"));
        tap("Generate for");
        shop.worker().runOnce(10); // submits
        shop.worker().runOnce(10); // reads the result and hands it to the outbox
        shop.sender().drain(100);
        long balance = shop.stores().ledger().balance(AccountId.wallet(USER)).available();
        out.println("balance now: " + shop.pricing().format(balance, "en"));
        return balance;
    }

    public static void main(String[] args) {
        new ConsoleShop(System.out).run();
    }
}
