package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.MediaType;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.testing.ShopHarness;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Thousands of random and mutated events through the whole storefront (in-memory stores): nothing fails
 * inside, every message a user sends is answered, and no money moves, because nothing in the input is a
 * payment of an invoice the bot issued and no wallet was ever funded.
 */
class RandomInputPropertiesTest {
    private static final List<Long> USERS = List.of(42L, 43L, 7_000_000_001L);

    record Step(int user, Event event) {
    }

    /** Strings an attacker or a broken client might send: garbage, shapes of our data, huge, odd characters. */
    private static Arbitrary<String> strings() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(80),
                Arbitraries.strings().all().ofMaxLength(300),
                Arbitraries.strings().withChars('a', '\u0000', '|', '*', ':', '_', '/', '\n', 'я', '\uD83C', '\uDFAC').ofMaxLength(64),
                Arbitraries.of("", " ", "gen_1", "gen_999999999999", "gen_-1", "/start", "*|m", "1|k", "*|t|50",
                        "*|t|49", "*|S|1", "*|X|1", "*|a|gen_1", "*|q|gen_1", "*|r|gen_1", "*|v|nope", "*|g|no/such",
                        "*|p|IMAGE:9999", "*|l|de", "99999999999999999999|k", "0|o|999"),
                Arbitraries.integers().between(4_000, 70_000).map("x"::repeat));
    }

    private static Arbitrary<Event> events() {
        Arbitrary<String> s = strings();
        Arbitrary<Long> amounts = Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(-10, 100_000));
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.oneOf(Arbitraries.of("start", "menu", "balance", "topup", "history",
                        "help", "language", "cancel", "terms", "privacy", "support", "paysupport", "admin",
                        "topup_user", "debit_user", "refund", "broadcast", "find", "users", "tickets", "ban", "unban"), s), s)
                        .as(Event.Command::new),
                s.map(Event.Text::new),
                Combinators.combine(Arbitraries.of(MediaType.class), s, Arbitraries.longs(),
                        s.optional(), s.optional(), Arbitraries.integers(), s.optional()).as(Event.Media::new),
                Combinators.combine(s, s, Arbitraries.longs().optional()).as(Event.Callback::new),
                Combinators.combine(s, s, s, amounts).as(Event.PreCheckout::new),
                Combinators.combine(s, s, Arbitraries.of("XTR", "USD", "", "xtr"), amounts).as(Event.SuccessfulPayment::new),
                Combinators.combine(s, s, s, amounts).as(Event.RefundedPayment::new),
                Arbitraries.of(true, false).map(Event.MembershipChanged::new),
                s.map(Event.Unknown::new));
    }

    @Provide
    Arbitrary<List<Step>> sessions() {
        return Combinators.combine(Arbitraries.integers().between(0, USERS.size() - 1), events()).as(Step::new)
                .list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 250)
    void randomInputNeverFailsAlwaysAnswersAndMovesNoMoney(@ForAll("sessions") @Size(max = 40) List<Step> steps) {
        ShopHarness h = new ShopHarness();
        java.util.Set<Long> welcomedBack = new java.util.HashSet<>();
        for (Step step : steps) {
            long user = USERS.get(step.user());
            boolean blocked = h.stores.users().find(user).filter(u -> u.blocked()).isPresent();
            // «Перезапустить бота» sends the return and /start: one menu answers the pair, whichever comes first
            boolean secondOfThePair = step.event() instanceof Event.MembershipChanged m && !m.blocked() && !blocked
                    || step.event() instanceof Event.Command c && c.name().equals("start") && c.args().isBlank()
                    && welcomedBack.contains(user);
            List<Reply> replies = h.send(user, step.event());
            welcomedBack.remove(user);
            if (step.event() instanceof Event.MembershipChanged m && !m.blocked() && blocked) {
                welcomedBack.add(user);
            }
            assertThat(replies).as("no internal error for %s", step.event())
                    .noneSatisfy(r -> assertThat(r).isInstanceOfSatisfying(Reply.SendText.class,
                            t -> assertThat(t.text()).contains("something went wrong on our side")));
            if (expectsAnAnswer(step.event()) && !secondOfThePair) {
                assertThat(replies).as("an answer to %s", step.event()).anySatisfy(r ->
                        assertThat(r.chatId()).isEqualTo(user));
            }
        }
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
        for (long user : USERS) {
            assertThat(h.balance(user)).as("wallet of %s", user).isZero();
        }
        assertThat(h.stores.ledger().accounts().stream().flatMap(a -> h.stores.ledger().transfers(a).stream()))
                .as("no transfer at all").isEmpty();
    }

    /** What a person sent, as opposed to Telegram's service updates. */
    private static boolean expectsAnAnswer(Event e) {
        return e instanceof Event.Command || e instanceof Event.Text || e instanceof Event.Media
                || e instanceof Event.Callback || e instanceof Event.Unknown || e instanceof Event.SuccessfulPayment
                || e instanceof Event.PreCheckout || e instanceof Event.RefundedPayment
                || (e instanceof Event.MembershipChanged m && !m.blocked());
    }

    @Property(tries = 50)
    void anOptionalMessageIdNeverBreaksAButtonPress(@ForAll("sessions") List<Step> steps) {
        ShopHarness h = new ShopHarness();
        for (Step step : steps) {
            if (step.event() instanceof Event.Callback cb) {
                List<Reply> r = h.send(USERS.get(step.user()), new Event.Callback(cb.queryId(), cb.data(),
                        Optional.empty()));
                assertThat(r).anySatisfy(reply -> assertThat(reply).isInstanceOf(Reply.AnswerCallback.class));
            }
        }
    }
}
