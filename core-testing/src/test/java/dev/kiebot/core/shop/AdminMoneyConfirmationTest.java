package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.ADMIN;
import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.buttonTexts;
import static dev.kiebot.core.testing.ShopHarness.lastTextTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.conversation.ChatSession;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.MoneyConfirmation;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An admin's /topup_user and /debit_user move nothing until their confirmation is pressed: the admin reads whom, how
 * much and the balance first (a typo, 50000 for 500, was credited at once), and the press moves the money once however
 * often, wherever and whenever it comes; a cancelled, expired, replaced, foreign or forged confirmation moves nothing.
 */
class AdminMoneyConfirmationTest {
    private static final long U = 42;
    private static final long SECOND_ADMIN = 2;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ADMIN, SECOND_ADMIN))
                .withAdmission(AdmissionPolicy.off())).startedByAdminAnd(SECOND_ADMIN, U);
        h.topUp(U, 10_000);
    }

    /** Whatever a test did with money, the ledger keeps its invariants. */
    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /** The admins' credits and debits of the user's wallet. */
    private long manualMoves() {
        return h.stores.ledger().transfers(AccountId.wallet(U)).stream()
                .filter(t -> t.kind() == TransferKind.TOP_UP_MANUAL || t.kind() == TransferKind.DEBIT_MANUAL).count();
    }

    /** The audit lines of money an admin moved. */
    private List<AuditEvent> moneyAudit() {
        return h.stores.audit().recent(100).stream()
                .filter(e -> e.action().equals("topup.manual") || e.action().equals("debit.manual")).toList();
    }

    /** A press as Telegram delivers it, on {@code shop}, under an update id of the test's choosing. */
    private List<Reply> pressOn(Shop shop, long updateId, long admin, String data) {
        h.messenger.drain();
        shop.storefront().serve(new Incoming(updateId, ShopHarness.actor(admin, "en"),
                new Event.Callback("q" + updateId, data, Optional.of(1L))));
        h.deliver();
        return h.messenger.drain();
    }

    @Test
    void theAdminSeesWhomAndHowMuchBeforeAnythingMovesAndCancelsATypo() {
        h.stores.users().setLanguage(ADMIN, "ru");
        List<Reply> asked = h.admin("topup_user", U + " 50000"); // 500 meant

        assertThat(lastTextTo(asked, ADMIN)).isEqualTo("➕ Начислить 50\u00A0000\u00A0₽?\nКому: User42 (ID 42)\n"
                + "Баланс сейчас 100\u00A0₽, после начисления 50\u00A0100\u00A0₽.\n"
                + "Пока вы не нажмёте «Начислить», ничего не будет зачислено. Кнопка действует 10\u00A0минут.");
        assertThat(buttonTexts(asked)).containsExactly("➕ Начислить 50\u00A0000\u00A0₽", "✖ Отмена");
        assertThat(asked).as("the user hears nothing of it").noneMatch(r -> r.chatId() == U);
        assertThat(h.balance(U)).isEqualTo(10_000);
        assertThat(moneyAudit()).isEmpty();

        List<Reply> cancelled = h.press(ADMIN, button(asked, "Отмена"));
        assertThat(cancelled).filteredOn(Reply.EditText.class::isInstance).singleElement()
                .satisfies(r -> assertThat(((Reply.EditText) r).text())
                        .isEqualTo("✖ Отменено: баланс пользователя User42 (ID 42) не изменился."));
        assertThat(buttonTexts(cancelled)).isEmpty();
        assertThat(cancelled).noneMatch(r -> r.chatId() == U);

        List<Reply> late = h.press(ADMIN, button(asked, "Начислить"));
        assertThat(lastTextTo(late, ADMIN)).isEqualTo("Это подтверждение уже не действует: его отменили, его заменила "
                + "новая команда или оно показано в другом чате. Ничего не изменилось; чтобы начислить или списать, "
                + "отправьте команду снова.");
        assertThat(h.balance(U)).isEqualTo(10_000);
        assertThat(manualMoves()).isZero();
        assertThat(moneyAudit()).isEmpty();

        assertThat(lastTextTo(h.adminConfirmed("topup_user", U + " 500"), ADMIN))
                .isEqualTo("Готово: пользователю User42 (ID 42) зачислено 500\u00A0₽, баланс 600\u00A0₽.");
    }

    /**
     * A fat finger's «9999999999» was asked as «Начислить 9 999 999 999 ₽?», the ledger's bound the only one; and
     * «500р» / «500 ₽», which a user may type for a card top-up, was no amount to an admin.
     */
    @Test
    void anAmountAboveTheAdminLimitIsRefusedAndTheCurrencyMayFollowIt() {
        List<Reply> huge = h.admin("topup_user", U + " 9999999999");
        assertThat(buttonTexts(huge)).isEmpty();
        assertThat(lastTextTo(huge, ADMIN)).contains("is more than one command credits or takes off (1,000,000\u00A0₽)");
        assertThat(buttonTexts(h.admin("debit_user", U + " 1000001"))).isEmpty();
        assertThat(buttonTexts(h.admin("topup_user", U + " 1000000"))).anySatisfy(t -> assertThat(t)
                .contains("1,000,000"));
        for (String typed : List.of("500р", "500 ₽", "500 руб.")) {
            assertThat(buttonTexts(h.admin("topup_user", U + " " + typed))).as(typed)
                    .anySatisfy(t -> assertThat(t).contains("Credit 500\u00A0₽"));
        }
        assertThat(buttonTexts(h.admin("topup_user", U + " 500 $"))).isEmpty();
        assertThat(h.balance(U)).isEqualTo(10_000);
    }

    /**
     * The press credits once: a double tap, the same update handled again, the press on another instance or after a
     * restart (the confirmation is in the database, not in a process), each finds it done and says so.
     */
    @Test
    void theConfirmationCreditsOnceHoweverOftenItIsPressed() {
        List<Reply> asked = h.admin("topup_user", U + " 25");
        String credit = button(asked, "Credit");
        assertThat(h.balance(U)).isEqualTo(10_000);

        Shop restarted = h.anotherInstance(s -> s);
        List<Reply> done = pressOn(restarted, 90_001, ADMIN, credit);
        assertThat(done).filteredOn(r -> r.chatId() == ADMIN).filteredOn(Reply.EditText.class::isInstance)
                .singleElement().satisfies(r -> assertThat(((Reply.EditText) r).text())
                        .isEqualTo("Done: 25\u00A0₽ credited to User42 (id 42), balance 125\u00A0₽."));
        assertThat(done).filteredOn(r -> r.chatId() == U).singleElement()
                .satisfies(r -> assertThat(((Reply.SendText) r).text()).contains("Balance topped up"));
        assertThat(h.balance(U)).isEqualTo(12_500);

        String already = "ℹ️ This command was carried out before: 25\u00A0₽ was credited to User42 (id 42) then. Nothing was "
                + "credited again; balance 125\u00A0₽.";
        List<Reply> doubleTap = h.press(ADMIN, credit);
        assertThat(lastTextTo(doubleTap, ADMIN)).isEqualTo(already);
        assertThat(doubleTap).noneMatch(r -> r.chatId() == U);
        for (int i = 0; i < 2; i++) { // the first press's update handled again, here and on the other instance
            assertThat(lastTextTo(pressOn(i == 0 ? h.shop : restarted, 90_001, ADMIN, credit), ADMIN))
                    .isEqualTo(already);
        }
        assertThat(lastTextTo(h.press(ADMIN, button(asked, "Cancel")), ADMIN)).as("cancelled after it was done")
                .isEqualTo(already);

        assertThat(h.balance(U)).isEqualTo(12_500);
        assertThat(manualMoves()).isEqualTo(1);
        assertThat(moneyAudit()).singleElement().satisfies(e -> assertThat(e.detail()).isEqualTo("42 +2500 Created"));
    }

    /**
     * A debit is confirmed too, and shows what is available; a generation started before the press leaves less, and
     * the press then takes nothing (as the command refused more than is available) and says how much is free.
     */
    @Test
    void aDebitIsConfirmedTooAndTakesNoMoreThanIsAvailableAtThePress() {
        List<Reply> asked = h.admin("debit_user", U + " 40");
        assertThat(lastTextTo(asked, ADMIN)).isEqualTo("➖ Take 40\u00A0₽ off?\nThe balance of: User42 (id 42)\n"
                + "Available now 100\u00A0₽, after it 60\u00A0₽.\n"
                + "Nothing is taken off until you press “Take off”. The button is valid for 10\u00A0minutes.");
        assertThat(buttonTexts(asked)).containsExactly("➖ Take off 40\u00A0₽", "✖ Cancel");
        assertThat(h.balance(U)).isEqualTo(10_000);
        assertThat(asked).noneMatch(r -> r.chatId() == U);

        List<Reply> done = h.press(ADMIN, button(asked, "Take off"));
        assertThat(lastTextTo(done, ADMIN)).isEqualTo("Done: 40\u00A0₽ taken off the balance of User42 (id 42), balance 60\u00A0₽.");
        assertThat(lastTextTo(done, U)).startsWith("➖ An admin took 40\u00A0₽ off your balance.");
        assertThat(lastTextTo(h.press(ADMIN, button(asked, "Take off")), ADMIN)).isEqualTo("ℹ️ This command was "
                + "carried out before: 40\u00A0₽ was taken off the balance of User42 (id 42) then. Nothing was taken off again; "
                + "balance 60\u00A0₽.");
        assertThat(h.balance(U)).isEqualTo(6_000);

        List<Reply> all = h.admin("debit_user", U + " 60");
        long price = h.runningFoxImage(U).price();
        List<Reply> tooLate = h.press(ADMIN, button(all, "Take off"));
        assertThat(lastTextTo(tooLate, ADMIN)).isEqualTo("Failed: User42 (id 42) has only "
                + h.shop.pricing().format(6_000 - price, "en") + " available: no more can be taken off (money held "
                + "by running generations is not taken).");
        assertThat(tooLate).noneMatch(r -> r.chatId() == U);
        assertThat(h.balance(U)).isEqualTo(6_000 - price);
        assertThat(manualMoves()).isEqualTo(1);
    }

    /**
     * A user is named by id and name, and by @username only when he has one: a user without showed «42 · User42 · -»
     * here and in /users, a dash read as a username or a missing field. The confirmation and the lists say it alike.
     */
    @Test
    void aUserWithoutAUsernameIsNamedWithoutADash() {
        long ann = 43;
        h.sendAs(new dev.kiebot.core.conversation.Actor(ann, ann, "Ann", Optional.of("ann"), Optional.of("ru")),
                new Event.Command("start", ""));
        h.stores.users().setLanguage(ADMIN, "ru");
        assertThat(lastTextTo(h.admin("topup_user", U + " 5"), ADMIN)).contains("\nКому: User42 (ID 42)\n");
        assertThat(lastTextTo(h.admin("topup_user", ann + " 5"), ADMIN)).contains("\nКому: Ann · @ann (ID 43)\n");
        String users = lastTextTo(h.admin("users", ""), ADMIN);
        assertThat(users).contains("\n42 · User42 · 100\u00A0₽\n", "\n43 · Ann · @ann · ");
        assertThat(lastTextTo(h.admin("find", Long.toString(U)), ADMIN)).startsWith("42 · User42 · 100\u00A0₽\n");
        assertThat(users.lines()).noneMatch(l -> l.contains(" · - ") || l.endsWith(" · -"));
    }

    /** A confirmation not pressed in time moves nothing; one pressed in time does. */
    @Test
    void aConfirmationExpiresAfterTenMinutes() {
        List<Reply> asked = h.admin("topup_user", U + " 25");
        h.clock.advance(MoneyConfirmation.VALID);
        List<Reply> expired = h.press(ADMIN, button(asked, "Credit"));
        assertThat(lastTextTo(expired, ADMIN)).isEqualTo("⌛ This button has expired: over 10\u00A0minutes passed, nothing "
                + "changed. To credit or take off, send the command again.");
        assertThat(expired).noneMatch(r -> r.chatId() == U);
        assertThat(lastTextTo(h.press(ADMIN, button(asked, "Credit")), ADMIN)).startsWith("This confirmation is no "
                + "longer valid");
        assertThat(h.balance(U)).isEqualTo(10_000);
        assertThat(moneyAudit()).isEmpty();

        List<Reply> again = h.admin("topup_user", U + " 25");
        h.clock.advance(MoneyConfirmation.VALID.minus(Duration.ofSeconds(1)));
        assertThat(lastTextTo(h.press(ADMIN, button(again, "Credit")), ADMIN)).startsWith("Done:");
        assertThat(h.balance(U)).isEqualTo(12_500);
    }

    /**
     * /cancel drops a confirmation waiting for its press, and says which: it outlived /cancel (only its own «Отмена»
     * and the ten minutes ended it), so «Начислить» still credited after the admin thought he had cancelled it. Its
     * buttons are then answered as a replaced one's are.
     */
    @Test
    void cancelDropsTheConfirmationAndSaysSo() {
        h.stores.users().setLanguage(ADMIN, "ru");
        List<Reply> asked = h.admin("topup_user", U + " 25");
        List<Reply> cancelled = h.command(ADMIN, "cancel");
        // said once: «Отменено.\nНачисление … отменено» said it twice
        assertThat(lastTextTo(cancelled, ADMIN)).isEqualTo("Начисление 25\u00A0₽ пользователю User42 (ID 42) отменено: ничего не "
                + "зачислено.");
        assertThat(h.session(ADMIN).money()).isEmpty();
        assertThat(lastTextTo(h.press(ADMIN, button(asked, "Начислить")), ADMIN)).startsWith("Это подтверждение уже не "
                + "действует: его отменили");
        assertThat(lastTextTo(h.press(ADMIN, button(asked, "Отмена")), ADMIN)).startsWith("Это подтверждение уже не "
                + "действует");
        assertThat(h.balance(U)).isEqualTo(10_000);
        assertThat(manualMoves()).isZero();
        assertThat(lastTextTo(h.command(ADMIN, "cancel"), ADMIN)).as("none waits: /cancel as before")
                .doesNotContain("Начисление", "Списание");

        // with a generation of his running, /cancel says it cancels no generation, and still drops the debit
        h.topUp(ADMIN, 10_000);
        h.stores.users().setLanguage(ADMIN, "en"); // the harness orders in English
        h.runningFoxImage(ADMIN);
        h.stores.users().setLanguage(ADMIN, "ru");
        List<Reply> debit = h.admin("debit_user", U + " 40");
        String said = lastTextTo(h.command(ADMIN, "cancel"), ADMIN);
        assertThat(said).contains("уже нельзя отменить: нейросеть начала работу.")
                .endsWith("\n\nСписание 40\u00A0₽ у пользователя User42 (ID 42) отменено: ничего не списано.");
        assertThat(lastTextTo(h.press(ADMIN, button(debit, "Списать")), ADMIN)).startsWith("Это подтверждение уже не "
                + "действует");
        assertThat(h.balance(U)).isEqualTo(10_000);
        assertThat(manualMoves()).isZero();
    }

    /** Only the newest confirmation of a chat moves money: the older one's button is refused. */
    @Test
    void aNewerCommandReplacesTheConfirmationBeforeIt() {
        List<Reply> first = h.admin("topup_user", U + " 500");
        List<Reply> second = h.admin("topup_user", U + " 5");
        assertThat(lastTextTo(h.press(ADMIN, button(first, "Credit")), ADMIN)).startsWith("This confirmation is no "
                + "longer valid");
        assertThat(h.balance(U)).isEqualTo(10_000);
        assertThat(lastTextTo(h.press(ADMIN, button(second, "Credit")), ADMIN)).startsWith("Done: 5\u00A0₽ credited");
        assertThat(h.balance(U)).isEqualTo(10_500);
    }

    /**
     * Another admin pressing a copy of the confirmation (in his chat, where it was not shown) moves nothing: before it
     * was pressed he is refused, after it he is told it was done. Forged nonces move nothing either.
     */
    @Test
    void anotherAdminsConfirmationOrAForgedOneMovesNothing() {
        List<Reply> asked = h.admin("topup_user", U + " 25");
        String credit = button(asked, "Credit");
        assertThat(lastTextTo(h.press(SECOND_ADMIN, credit), SECOND_ADMIN)).startsWith("This confirmation is no longer "
                + "valid");
        assertThat(h.balance(U)).isEqualTo(10_000);
        String nonce = credit.substring(credit.lastIndexOf('|') + 1);
        for (String forged : List.of("*|%|c:1:" + ADMIN, "*|%|d" + nonce.substring(1), "*|%|c:" + nonce.split(":")[1]
                + ":" + SECOND_ADMIN)) {
            assertThat(lastTextTo(h.press(ADMIN, forged), ADMIN)).as(forged).startsWith("This confirmation is no "
                    + "longer valid");
        }
        assertThat(lastTextTo(h.press(ADMIN, "*|%|c:garbage"), ADMIN)).as("not a nonce at all: a stale button")
                .contains("This button is outdated. Here is the main menu");
        assertThat(h.balance(U)).isEqualTo(10_000);
        assertThat(h.session(ADMIN).money()).as("the real one still waits").isPresent();

        assertThat(lastTextTo(h.press(ADMIN, credit), ADMIN)).startsWith("Done:");
        assertThat(lastTextTo(h.press(SECOND_ADMIN, credit), SECOND_ADMIN)).startsWith("ℹ️ This command was carried "
                + "out before");
        assertThat(h.balance(U)).isEqualTo(12_500);
        assertThat(manualMoves()).isEqualTo(1);
    }

    /**
     * Only an admin's press counts, by the admins of now: a user pressing the button's data, or the admin himself once
     * removed from ADMIN_IDS, is told it is for admins and nothing moves.
     */
    @Test
    void aPressOfAnyoneButAnAdminOfNowMovesNothing() {
        List<Reply> asked = h.admin("topup_user", U + " 25");
        String credit = button(asked, "Credit");
        String adminsOnly = "⛔ This button is for admins only: nothing changed.";
        assertThat(lastTextTo(h.press(U, credit), U)).isEqualTo(adminsOnly);

        Shop withoutHim = h.anotherInstance(s -> s, b -> b.settings(ShopSettings.defaults()
                .withAdmins(Set.of(SECOND_ADMIN)).withAdmission(AdmissionPolicy.off())));
        assertThat(lastTextTo(pressOn(withoutHim, 90_010, ADMIN, credit), ADMIN)).isEqualTo(adminsOnly);
        assertThat(h.balance(U)).isEqualTo(10_000);
        assertThat(manualMoves()).isZero();
        assertThat(moneyAudit()).isEmpty();
    }

    /** The confirmation waits in the chat's session whatever the admin does meanwhile (checking the user, say). */
    @Test
    void theConfirmationOutlivesOtherScreensOfTheAdminsChat() {
        List<Reply> asked = h.admin("topup_user", U + " 25");
        h.admin("find", Long.toString(U));
        h.command(ADMIN, "menu");
        ChatSession session = h.session(ADMIN);
        assertThat(session.money()).hasValueSatisfying(m -> {
            assertThat(m.credit()).isTrue();
            assertThat(m.userId()).isEqualTo(U);
            assertThat(m.amount()).isEqualTo(2_500);
            assertThat(m.adminId()).isEqualTo(ADMIN);
        });
        assertThat(lastTextTo(h.press(ADMIN, button(asked, "Credit")), ADMIN)).startsWith("Done:");
        assertThat(h.session(ADMIN).money()).isEmpty();
        assertThat(h.balance(U)).isEqualTo(12_500);
    }
}
