package dev.kiebot.core.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An admin's confirmation kept in the chat's session: stored whole, and never read as another one. */
class MoneyConfirmationTest {
    private static final Instant AT = Instant.parse("2026-11-21T10:10:00.123Z");

    @Test
    void itIsStoredWithTheSessionAndKeptByItsOtherChanges() {
        MoneyConfirmation debit = new MoneyConfirmation(false, 42, 4_000, 77_002, 1, AT);
        ChatSession session = new ChatSession(7, new ChatState.Viewing("img/m9"),
                Optional.of(new ChatState.Confirming("img/m9", java.util.Map.of("prompt", "fox"), java.util.Map.of())))
                .withMoney(Optional.of(debit));
        assertThat(ChatStateCodec.decode(ChatStateCodec.encode(session))).hasValue(session);
        assertThat(session.next(new ChatState.Menu()).withWaitingOrder(Optional.empty())
                .withLongText(Optional.empty()).money()).as("another screen keeps it").hasValue(debit);
        assertThat(ChatStateCodec.decode("7;menu;").orElseThrow().money()).as("stored before").isEmpty();
    }

    /**
     * A mark the state keeps with no new buttons (an album's refused files, {@code Turn.stay}) keeps an admin's
     * confirmation waiting: it made a session without it, and the admin's «Начислить» then answered "gone".
     */
    @Test
    void aStateKeptWithNoNewButtonsKeepsTheConfirmation() {
        MoneyConfirmation credit = new MoneyConfirmation(true, 42, 2_500, 77_003, 1, AT);
        ChatSession session = new ChatSession(3, new ChatState.Menu()).withMoney(Optional.of(credit));
        Turn turn = new Turn(1, "ru", session, Optional.empty());
        turn.stay(new ChatState.Viewing("img/m9"));
        ChatSession after = turn.step().session();
        assertThat(after.money()).hasValue(credit);
        assertThat(after.version()).isEqualTo(3);
        assertThat(after.state()).isEqualTo(new ChatState.Viewing("img/m9"));
    }

    /** A credit is never read back as a debit, nor a broken one as any: its buttons are then refused. */
    @Test
    void oneUnreadableIsNoneAndTheStateIsKept() {
        String stored = ChatStateCodec.encode(ChatSession.initial()
                .withMoney(Optional.of(new MoneyConfirmation(true, 42, 2_500, 77_001, 1, AT))));
        String stars = ChatStateCodec.encode(ChatSession.initial().withMoney(Optional.of(new MoneyConfirmation(false, 42,
                7_500, 77_002, 1, AT, java.util.OptionalLong.empty(), Optional.empty(), Optional.of("ch-1")))));
        for (String broken : new String[] {stars.replace("&money.charge=ch-1", ""),
                stars.replace("credit=stars", "credit=refund"), stored.replace("credit=true", "credit=stars"),
                stored.replace("credit=true", "credit=yes"),
                stored.replace("amount=2500", "amount=x"), stored.replace("&money.expires=" + AT.toEpochMilli(), "")}) {
            ChatSession read = ChatStateCodec.decode(broken).orElseThrow();
            assertThat(read.money()).as(broken).isEmpty();
            assertThat(read.state()).isInstanceOf(ChatState.Menu.class);
        }
    }

    /** The nonce fits a button with room to spare, for the longest ids. */
    @Test
    void theNonceFitsInAButton() {
        MoneyConfirmation widest = new MoneyConfirmation(true, Long.MAX_VALUE, 1, 999_999_999_999_999_999L,
                999_999_999_999_999_999L, AT);
        assertThat(MoneyConfirmation.Nonce.read(widest.nonce())).as("read back as written")
                .hasValue(new MoneyConfirmation.Nonce(true, 999_999_999_999_999_999L, 999_999_999_999_999_999L));
        assertThat(MoneyConfirmation.Nonce.read("c:1:" + "9".repeat(19))).isEmpty();
        MoneyConfirmation stars = new MoneyConfirmation(false, Long.MAX_VALUE, 1, 999_999_999_999_999_999L,
                999_999_999_999_999_999L, AT, java.util.OptionalLong.empty(), Optional.empty(), Optional.of("ch"));
        assertThat(stars.nonce()).startsWith("s:").hasSize(widest.nonce().length());
        assertThat(MoneyConfirmation.Nonce.read(stars.nonce())).as("a Stars refund's, not a debit's")
                .hasValue(new MoneyConfirmation.Nonce(false, 999_999_999_999_999_999L, 999_999_999_999_999_999L, false,
                        true));
        String data = CallbackData.evergreen(CallbackAction.MOVE_MONEY, widest.nonce());
        assertThat(CallbackData.parse(data).flatMap(CallbackData::named)).hasValue(CallbackAction.MOVE_MONEY);
        assertThat(CallbackData.parse(data).orElseThrow().arg()).isEqualTo(widest.nonce());
    }
}
