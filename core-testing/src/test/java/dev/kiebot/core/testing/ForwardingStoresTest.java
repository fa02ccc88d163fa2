package dev.kiebot.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.audit.Audit;
import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.core.jobs.ForwardingGenerationProvider;
import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.memory.InMemoryPendingReplies;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The testing artifact's forwarding wrappers, which partners extend to decorate a store, hand every method of their
 * port to the real one. A method a port gained later with a default body (as {@code PendingReplies.append}'s
 * {@code origin} overload, V48) ran the port's default instead, on the wrapper: the origin was dropped, a partner's
 * decorated outbox gave back no correlation id, and nothing said so.
 */
class ForwardingStoresTest {
    /**
     * The methods a wrapper leaves to its port's default on purpose (the default forwards anyway, or reads through
     * the wrapper by design), each with its reason. None so far: {@code ForwardingLedger} left seven reads
     * ({@code withIdPrefix}, both {@code posted}, {@code postedTotal}, {@code postedNet}, {@code postedDebitKinds},
     * {@code recent}) to defaults that read every transfer of an account or of every account, where
     * {@code PgLedger} reads an index or one aggregate: a partner's decorated ledger made {@code /payments},
     * {@code /find}, {@code /export} and the dashboard read the whole history, silently.
     */
    private static final Map<Class<?>, Set<String>> LEFT_TO_THE_DEFAULT = Map.of();

    static List<Arguments> wrappers() {
        return List.of(Arguments.of(dev.kiebot.core.reply.ForwardingPendingReplies.class, PendingReplies.class),
                Arguments.of(ForwardingProcessedUpdates.class, ProcessedUpdates.class),
                Arguments.of(ForwardingAudit.class, Audit.class),
                Arguments.of(ForwardingGenerationProvider.class, GenerationProvider.class),
                Arguments.of(ForwardingLedger.class, Ledger.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrappers")
    void everyMethodOfThePortIsForwarded(Class<?> wrapper, Class<?> port) {
        List<String> notForwarded = Arrays.stream(port.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .filter(m -> !declares(wrapper, m))
                .map(ForwardingStoresTest::signature)
                .filter(m -> !LEFT_TO_THE_DEFAULT.getOrDefault(wrapper, Set.of()).contains(m))
                .toList();
        assertThat(notForwarded).as("%s's methods left to %s's defaults", port.getSimpleName(),
                wrapper.getSimpleName()).isEmpty();
    }

    private static boolean declares(Class<?> wrapper, Method m) {
        try {
            return wrapper.getDeclaredMethod(m.getName(), m.getParameterTypes()) != null; // throws when it does not
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static String signature(Method m) {
        return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).toList();
    }

    /**
     * A decorated ledger (production's {@code MeteredLedger}) gives the operator its store's pointer to a stuck hold,
     * not the port's empty default: the WARNING of a hold the sweep keeps skipping says where to look.
     */
    @Test
    void aDecoratedLedgerGivesItsStoresHintOfAStuckHold() {
        Ledger store = new ForwardingLedger(new dev.kiebot.core.testing.memory.InMemoryLedger(
                MutableClock.at("2026-03-14T12:00:00Z"))) {
            @Override
            public Optional<String> stuckHoldHint() {
                return Optional.of("Look at pg_locks.");
            }
        };
        Ledger decorated = new ForwardingLedger(store) {
        };

        assertThat(decorated.stuckHoldHint()).contains("Look at pg_locks.");
    }

    /** A partner's decorated outbox keeps the origin the runtime appends with: its claim gives it back. */
    @Test
    void aDecoratedOutboxKeepsTheReplysOrigin() {
        PendingReplies decorated = new ForwardingPendingReplies(new InMemoryPendingReplies()) {
        };
        Instant now = Instant.parse("2026-03-14T12:00:00Z");
        decorated.append(List.of(Outgoing.plain(new Reply.SendText(42L, "hi", Keyboard.NONE))), now,
                Optional.of("upd_5001"));

        assertThat(decorated.claim(now, Duration.ofMinutes(1))).hasValueSatisfying(
                queued -> assertThat(queued.origin()).contains("upd_5001"));
    }
}
