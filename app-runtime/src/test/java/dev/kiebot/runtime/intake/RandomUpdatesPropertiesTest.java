package dev.kiebot.runtime.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.kiebot.core.conversation.ChatSession;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.LongText;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.telegram.UpdateTranslator;
import dev.kiebot.telegram.fake.FakeUpdates;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random and mutated Telegram updates (fields removed, retyped, replaced by huge or odd values, NULs) through
 * the inbox's cleaning, the translator and the whole storefront: translation never throws, handling never
 * fails inside, every message a user sent is answered, and no money moves.
 */
class RandomUpdatesPropertiesTest {
    private static final UpdateTranslator TRANSLATOR = new UpdateTranslator("kiebot_test_bot", 1234567);

    /** A sample that once failed: a mutated text of thousands of characters, then the user's next text. */
    @Example
    void aLongTextThenTheNextTextOfItsUser() {
        mutatedUpdatesAreTranslatedAndHandledSafely(-762, 18);
    }

    @Example
    void aLongTextThenAPartOfItBeginningWithASlash() {
        mutatedUpdatesAreTranslatedAndHandledSafely(130, 30);
    }

    @Property(tries = 200)
    void mutatedUpdatesAreTranslatedAndHandledSafely(@ForAll long seed, @ForAll @IntRange(min = 1, max = 30) int n) {
        Random random = new Random(seed);
        FakeUpdates updates = new FakeUpdates();
        ShopHarness shop = new ShopHarness();
        for (int i = 0; i < n; i++) {
            String raw = mutate(random, JsonParser.parseString(original(random, updates)), 0).toString();
            Optional<Incoming> in = TRANSLATOR.parse(dev.kiebot.core.intake.ArrivedUpdate.withoutNul(raw));
            if (in.isEmpty()) {
                continue;
            }
            Incoming incoming = in.get();
            assertThat(incoming.actor().firstName()).doesNotContain("\u0000");
            boolean partAfterAHint = nextPartOfATextAnsweredWithAHint(shop, incoming);
            List<Reply> replies = shop.send(incoming.actor().userId(), incoming.event());
            assertThat(replies).noneSatisfy(r -> assertThat(r).isInstanceOfSatisfying(Reply.SendText.class,
                    t -> assertThat(t.text()).contains("went wrong")));
            if (partAfterAHint) {
                continue; // the hint sent for its first part answers the whole text (LongText.Use.NOT_ASKED)
            }
            if (incoming.event() instanceof Event.Text || incoming.event() instanceof Event.Command
                    || incoming.event() instanceof Event.Callback || incoming.event() instanceof Event.Media) {
                assertThat(replies).as("answer to %s", raw).isNotEmpty();
            }
        }
        assertThat(Reconciliation.check(shop.stores.ledger())).isEmpty();
        assertThat(shop.stores.ledger().accounts().stream().flatMap(a -> shop.stores.ledger().transfers(a).stream()))
                .isEmpty();
    }

    /**
     * Whether the text is the next part of a long one (a mutated text can be thousands of characters, and the next
     * text of the same user follows it by message id and date) that its screen answered with a hint: the one message
     * the conversation answers with no reply, as Telegram's split of one pasted text. A part beginning with «/» is
     * such a part too, though it reads as a command ({@code Event.Command#asText}).
     */
    private static boolean nextPartOfATextAnsweredWithAHint(ShopHarness shop, Incoming incoming) {
        Optional<Long> messageId = incoming.event() instanceof Event.Text t ? t.messageId()
                : incoming.event() instanceof Event.Command c ? c.messageId() : Optional.empty();
        Optional<Instant> sentAt = incoming.event() instanceof Event.Text t ? t.sentAt()
                : incoming.event() instanceof Event.Command c ? c.sentAt() : Optional.empty();
        if (messageId.isEmpty() || sentAt.isEmpty()) {
            return false;
        }
        return shop.sessions().load(incoming.actor().userId()).flatMap(ChatSession::longText)
                .filter(l -> l.use() == LongText.Use.NOT_ASKED)
                .filter(l -> l.continuedBy(messageId.get(), sentAt.get()))
                .isPresent();
    }

    private static String original(Random r, FakeUpdates u) {
        long user = 100 + r.nextInt(5);
        return switch (r.nextInt(10)) {
            case 0 -> u.command(user, List.of("start", "topup", "broadcast", "help").get(r.nextInt(4)), "x");
            case 1 -> u.photo(user, "file-" + r.nextInt(), r.nextInt(30_000_000), "a caption");
            case 2 -> u.callback(user, r.nextInt(100), List.of("*|m", "*|t|50", "1|k", "*|S|1").get(r.nextInt(4)));
            case 3 -> u.successfulPayment(user, "topup:" + r.nextInt(), r.nextInt(1000), "ch-" + r.nextInt());
            case 4 -> u.preCheckout(user, "topup:" + r.nextInt(), r.nextInt(1000));
            case 5 -> u.voice(user, "v-" + r.nextInt(), r.nextInt(1000));
            case 6 -> u.groupText(-100 - r.nextInt(3), user, "/start@kiebot_test_bot");
            case 7 -> u.refundedPayment(user, "topup:x", r.nextInt(100), "ch-" + r.nextInt());
            case 8 -> u.blocked(user);
            default -> u.text(user, "hello " + r.nextInt());
        };
    }

    /** A copy of {@code e} with a few random changes, recursively. */
    private static JsonElement mutate(Random r, JsonElement e, int depth) {
        if (e.isJsonObject()) {
            JsonObject out = new JsonObject();
            for (Map.Entry<String, JsonElement> f : e.getAsJsonObject().entrySet()) {
                int roll = r.nextInt(40);
                if (roll == 0 && depth > 0) {
                    continue; // a field removed
                }
                out.add(f.getKey(), roll == 1 ? odd(r) : mutate(r, f.getValue(), depth + 1));
            }
            if (r.nextInt(10) == 0) {
                out.add("unexpected_" + r.nextInt(5), odd(r));
            }
            return out;
        }
        if (e.isJsonArray()) {
            JsonArray out = new JsonArray();
            e.getAsJsonArray().forEach(x -> out.add(mutate(r, x, depth + 1)));
            return out;
        }
        return r.nextInt(15) == 0 ? odd(r) : e;
    }

    private static JsonElement odd(Random r) {
        List<JsonElement> values = new ArrayList<>(List.of(JsonNull.INSTANCE, new JsonPrimitive(""),
                new JsonPrimitive("x\u0000y"), new JsonPrimitive("z".repeat(5_000 + r.nextInt(10_000))),
                new JsonPrimitive(Long.MAX_VALUE), new JsonPrimitive(-1), new JsonPrimitive(1.5),
                new JsonPrimitive(true), new JsonArray(), new JsonObject(), new JsonPrimitive("🎬\uD83D"),
                new JsonPrimitive("<b>bold</b> *md* _x_ [l](http://e.x)")));
        return values.get(r.nextInt(values.size()));
    }
}
