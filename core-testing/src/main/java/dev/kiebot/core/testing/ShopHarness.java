package dev.kiebot.core.testing;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.ChatSession;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.core.testing.memory.InMemoryStores;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** A whole core shop in memory with scripted adapters; user 1 is an admin. */
public final class ShopHarness {
    public static final long ADMIN = 1;
    public final MutableClock clock = MutableClock.at("2026-11-21T10:00:00Z");
    public final RecordingMessenger messenger = new RecordingMessenger();
    public final ScriptedProvider provider = new ScriptedProvider();
    public final Stores stores = InMemoryStores.create(clock);
    public final Shop shop;
    private final AtomicLong updates = new AtomicLong(1000);
    private volatile String language = "en";

    /** Without the inbound limit: conversation tests send many events at one instant (see withLimits). */
    public ShopHarness() {
        this(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ADMIN))
                .withAdmission(AdmissionPolicy.off()));
    }

    /** With the production inbound limit and repeated-press window. */
    public static ShopHarness withLimits() {
        return new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ADMIN)));
    }

    public ShopHarness(Catalog catalog, ShopSettings settings) {
        shop = Shop.builder().catalog(catalog).settings(settings).stores(stores).messenger(messenger)
                .provider(provider).files(new FakeFiles()).clock(clock).build();
    }

    public static Actor actor(long userId, String language) {
        return new Actor(userId, userId, "User" + userId, Optional.empty(), Optional.of(language));
    }

    /** Users write from a Telegram set to {@code language} from now on ("en" until this is called). */
    public ShopHarness speaking(String language) {
        this.language = language;
        return this;
    }

    /** Handles one event from the user and returns the replies it produced. */
    public List<Reply> send(long userId, Event event) {
        messenger.drain();
        shop.storefront().handle(new Incoming(updates.incrementAndGet(), actor(userId, language), event));
        return messenger.drain();
    }

    public List<Reply> text(long userId, String text) {
        return send(userId, new Event.Text(text));
    }

    public List<Reply> command(long userId, String name) {
        return send(userId, new Event.Command(name, ""));
    }

    /** Presses a button of the given reply by its callback data. */
    public List<Reply> press(long userId, String data) {
        return send(userId, new Event.Callback("q" + updates.get(), data, Optional.of(1)));
    }

    public void topUp(long userId, long amount) {
        stores.ledger().transfer("test-topup-" + updates.incrementAndGet(), AccountId.STARS_CLEARING,
                AccountId.wallet(userId), amount, TransferKind.TOP_UP_STARS);
    }

    public long balance(long userId) {
        return stores.ledger().balance(AccountId.wallet(userId)).available();
    }

    public ChatSession session(long chatId) {
        return stores.chatStates().load(chatId).orElseThrow();
    }

    /** Callback data of the first button whose text contains {@code label}, across the replies. */
    public static String button(List<Reply> replies, String label) {
        for (Reply r : replies) {
            dev.kiebot.core.reply.Keyboard kb = r instanceof Reply.SendText t ? t.keyboard()
                    : r instanceof Reply.EditText e ? e.keyboard() : dev.kiebot.core.reply.Keyboard.NONE;
            for (dev.kiebot.core.reply.Button b : kb.buttons()) {
                if (b.text().contains(label) && b.data().isPresent()) {
                    return b.data().get();
                }
            }
        }
        throw new AssertionError("no button '" + label + "' in " + replies);
    }

    public static String lastText(List<Reply> replies) {
        for (int i = replies.size() - 1; i >= 0; i--) {
            Reply r = replies.get(i);
            if (r instanceof Reply.SendText t) {
                return t.text();
            }
            if (r instanceof Reply.EditText e) {
                return e.text();
            }
        }
        throw new AssertionError("no text in " + replies);
    }
}
