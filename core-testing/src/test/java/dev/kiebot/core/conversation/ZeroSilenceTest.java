package dev.kiebot.core.conversation;

import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Reply;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every state × every event kind gets at least one reply and never an internal error. The
 * cross product is generated: new states or event kinds are covered without editing a list.
 */
class ZeroSilenceTest {
    private static final long U = 42;
    private final Catalog catalog = TestCatalog.catalog();

    /** Representative states: every shape, every asked field of every model. */
    private List<ChatState> states() {
        List<ChatState> out = new ArrayList<>();
        out.add(new ChatState.Menu());
        out.add(new ChatState.TopUp());
        out.add(new ChatState.ManualAmount());
        out.add(new ChatState.ManualReceipt(1));
        out.add(new ChatState.ManualReceipt(999));
        out.add(new ChatState.WritingTicket());
        for (Category c : Category.values()) {
            out.add(new ChatState.Browsing(c, 0));
            out.add(new ChatState.Browsing(c, 99));
        }
        out.add(new ChatState.Viewing("no/such/model"));
        out.add(new ChatState.Collecting("no/such/model", 3, Map.of(), Map.of()));
        out.add(new ChatState.Confirming("no/such/model", Map.of(), Map.of()));
        for (Model m : catalog.models()) {
            out.add(new ChatState.Viewing(m.id()));
            List<InputField> asked = m.askedFields();
            for (int i = 0; i < asked.size(); i++) {
                Map<String, String> values = new HashMap<>();
                Map<String, List<String>> files = new HashMap<>();
                for (int k = 0; k < i; k++) {
                    InputField f = asked.get(k);
                    if (f.type().isMedia()) {
                        files.put(f.name(), List.of("f-" + k));
                    } else {
                        values.put(f.name(), f.defaultValue().orElse("x"));
                    }
                }
                out.add(new ChatState.Collecting(m.id(), i, values, files));
            }
            out.add(new ChatState.Confirming(m.id(), Map.of("prompt", "p"), Map.of("image_urls", List.of("f"))));
        }
        Set<Class<?>> covered = new HashSet<>();
        out.forEach(s -> covered.add(s.getClass()));
        assertThat(covered).containsAll(Arrays.asList(ChatState.class.getPermittedSubclasses()));
        return out;
    }

    /** Sample events of every kind, with current, stale and forged button data. */
    private List<Event> events(long version) {
        List<Event> out = new ArrayList<>();
        for (String c : List.of("start", "menu", "help", "balance", "topup", "history", "language", "cancel", "terms",
                "privacy", "support", "paysupport", "payments", "status", "popular", "admin", "find", "refund",
                "refund_stars", "chart", "nope")) {
            out.add(new Event.Command(c, ""));
        }
        for (String t : List.of("hello", "", "gen_1", "gen_999", "16:9", "0.5", "500", "z".repeat(5000))) {
            out.add(new Event.Text(t));
        }
        for (MediaType mt : MediaType.values()) {
            out.add(new Event.Media(mt, "file-" + mt, 1000, Optional.of("image/jpeg"), Optional.of("a.jpg")));
        }
        out.add(new Event.Media(MediaType.PHOTO, "huge", 50L * 1024 * 1024, Optional.empty(), Optional.empty()));
        for (String action : List.of("m", "c", "p", "f", "v", "g", "b", "T", "h", "?", "L", "l", "y", "t", "a", "r",
                "q", "o", "d", "n", "k", "x", "$", "!", "+", "-", "&", "=", "#", "^", "~", "%", ";", "zz")) {
            for (String arg : List.of("", "0", "1", "IMAGE", "IMAGE:1", "img/m1", "ru", "50", "10000", "gen_1",
                    "42:abcdefghijklmnop", "c:7:1")) {
                out.add(new Event.Callback("q", CallbackData.evergreen(action, arg), Optional.of(5L)));
                out.add(new Event.Callback("q", version + "|" + action + (arg.isEmpty() ? "" : "|" + arg),
                        Optional.empty()));
            }
            out.add(new Event.Callback("q", (version + 7) + "|" + action, Optional.of(5L)));
        }
        out.add(new Event.Callback("q", "forged-data", Optional.empty()));
        out.add(new Event.Callback("q", "", Optional.empty()));
        out.add(new Event.PreCheckout("pc", "topup:unknown", "XTR", 50));
        out.add(new Event.SuccessfulPayment("ch", "topup:unknown", "XTR", 50));
        out.add(new Event.RefundedPayment("ch", "topup:unknown", "XTR", 50));
        out.add(new Event.MembershipChanged(false));
        out.add(new Event.Unknown("location"));
        out.add(new Event.EditedText(5, "hello"));
        out.add(new Event.EditedMedia(5, new Event.Media(MediaType.PHOTO, "p", 100, Optional.of("image/jpeg"),
                Optional.empty()).withCaption("hello").withUniqueId("u")));
        Set<Class<?>> covered = new HashSet<>();
        out.forEach(e -> covered.add(e.getClass()));
        assertThat(covered).containsAll(Arrays.asList(Event.class.getPermittedSubclasses()));
        return out;
    }

    @Test
    void everyStateTimesEveryEventIsAnswered() {
        ShopHarness h = new ShopHarness();
        h.command(U, "start");
        h.topUp(U, 1_000_000);
        h.orderAFoxImage(U);
        String internal = new Texts().get("en", Msg.ERROR_INTERNAL, "").substring(0, 20);
        int pairs = 0;
        for (ChatState state : states()) {
            ChatSession session = new ChatSession(7, state);
            for (Event event : events(session.version())) {
                h.sessions().save(U, session);
                if (event instanceof Event.MembershipChanged) {
                    // a return of a user not marked blocked is the second of «Перезапустить бота»'s pair: its
                    // /start, come first, was answered
                    h.stores.users().setBlocked(U, true);
                }
                List<Reply> replies = h.send(U, event);
                String where = state + " × " + event.toString().substring(0, Math.min(120, event.toString().length()));
                assertThat(replies).as(where).isNotEmpty();
                assertThat(replies).as(where).noneMatch(r -> r instanceof Reply.SendText t
                        && t.text().startsWith(internal));
                pairs++;
            }
        }
        assertThat(pairs).isGreaterThan(5_000);
    }

    @Test
    void anApologyToSomeoneNeverStoredSpeaksTheLanguageOfHisTelegram() {
        ShopHarness h = new ShopHarness();
        h.shop.storefront().apologize(new Incoming(77, ShopHarness.actor(U, "en"), new Event.Command("start", "")));
        h.deliver();

        assertThat(h.stores.users().find(U)).as("his first update was rolled back with the user it made").isEmpty();
        assertThat(h.messenger.drain()).singleElement().isInstanceOfSatisfying(Reply.SendText.class,
                t -> assertThat(t.text()).isEqualTo(new Texts().get("en", Msg.ERROR_INTERNAL, "upd_77")));
    }

    @Test
    void aBlockedBotSaysNothingButRecordsIt() {
        ShopHarness h = new ShopHarness();
        h.command(U, "start");
        assertThat(h.send(U, new Event.MembershipChanged(true))).isEmpty();
        assertThat(h.stores.users().find(U).orElseThrow().blocked()).isTrue();
        h.command(U, "menu");
        assertThat(h.stores.users().find(U).orElseThrow().blocked()).isFalse();
    }

    /**
     * Telegram's notice that a payment went back is no sign of the user: it comes in his chat from the bot's side,
     * whether he still blocks the bot or not. It takes the credit back and leaves him blocked (marked unblocked, he
     * would be sent broadcasts again only to refuse each).
     */
    @Test
    void aRefundTelegramReportsLeavesABlockedUserBlocked() {
        ShopHarness h = new ShopHarness();
        h.command(U, "start");
        long before = h.balance(U);
        String payload = h.invoiceFor50Stars(U);
        h.send(U, new Event.SuccessfulPayment("charge-1", payload, "XTR", 50));
        h.send(U, new Event.MembershipChanged(true));
        h.send(U, new Event.RefundedPayment("charge-1", payload, "XTR", 50));
        assertThat(h.balance(U)).as("the credit went back with the Stars").isEqualTo(before);
        assertThat(h.stores.users().find(U).orElseThrow().blocked()).isTrue();
    }
}
