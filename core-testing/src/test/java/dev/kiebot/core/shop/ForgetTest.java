package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.buttonTexts;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static dev.kiebot.core.testing.ShopHarness.lastTextTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.Family;
import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Sku;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /forget <id>}: an admin erases one user's personal data on his request. The command shows whom and what goes
 * and what stays and erases nothing; «Стереть данные» erases, audited with the admin; the money stays.
 */
class ForgetTest {
    private static final long U = 42;
    private static final long OTHER = 43;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness().startedByAdminAnd(U, OTHER);
        h.topUp(U, 10_000);
    }

    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    private Job delivered() {
        return h.finishedFoxImage(U, new TaskStatus.Succeeded(new JobResult(List.of("https://files/out.png"),
                MediaKind.PHOTO)));
    }

    @Test
    void theCommandShowsWhatGoesAndErasesNothingThePressErasesAndKeepsTheMoney() {
        Job job = delivered();
        long balance = h.balance(U);

        List<Reply> asked = h.speaking("ru").admin("forget", " " + U + " ");
        String confirmation = lastTextTo(asked, ShopHarness.ADMIN);
        assertThat(confirmation).startsWith("🗑 Стереть личные данные пользователя User42 (ID 42)?")
                .contains("Сотрутся: имя и ник", "Останутся: ID, язык, баланс, все платежи", "Вернуть стёртое нельзя");
        assertThat(h.stores.users().find(U).orElseThrow().firstName()).as("nothing erased yet").isEqualTo("User42");
        assertThat(h.stored(job).values()).isNotEmpty();

        List<Reply> pressed = h.press(ShopHarness.ADMIN, button(asked, "🗑 Стереть данные"));

        assertThat(lastText(pressed)).isEqualTo("Готово: личные данные пользователя с ID 42 стёрты, деньги и платежи "
                + "сохранены.");
        assertThat(pressed).as("the user is not written to").allSatisfy(r -> assertThat(r.chatId()).isNotEqualTo(U));
        assertThat(h.stores.users().find(U).orElseThrow().firstName()).isEmpty();
        assertThat(h.stored(job).values()).isEmpty();
        assertThat(h.stored(job).price()).isEqualTo(job.price());
        assertThat(h.balance(U)).isEqualTo(balance);
        assertThat(h.stores.users().find(OTHER).orElseThrow().firstName()).isEqualTo("User43");
        assertThat(h.stores.audit().byCorrelation("forget:" + U)).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("user.forgotten");
            assertThat(e.actor()).isEqualTo("admin:***1");
        });
        assertThat(lastText(h.admin("find", Long.toString(U)))).contains("42");
    }

    /**
     * A forgotten generation's buttons answer what is true: «Again» asks for the description erased (before, its
     * confirmation priced an order with no prompt and «Generate» started a paid job of it), «Send again» and «As a
     * file» say the files were erased (before: the press's toast alone, and «you already got everything back»).
     */
    @Test
    void theButtonsOfAForgottenGenerationStillAnswer() {
        Job job = delivered();
        h.press(ShopHarness.ADMIN, button(h.admin("forget", "42"), "Erase the data"));

        String id = job.id().display();
        List<Reply> again = h.press(U, CallbackData.evergreen(CallbackAction.AGAIN, id));
        List<Reply> resent = h.press(U, CallbackData.evergreen(CallbackAction.RESEND, id));
        List<Reply> original = h.press(U, CallbackData.evergreen(CallbackAction.ORIGINAL, id));

        assertThat(lastText(again)).startsWith("✍️ Description").contains("Send the text");
        assertThat(ShopHarness.buttonTexts(again)).noneMatch(b -> b.contains("Generate"));
        assertThat(lastText(resent)).isEqualTo("The files of generation " + id
                + " were erased at your request, with the rest of your data.");
        assertThat(lastText(original)).isEqualTo(lastText(resent));
        assertThat(lastText(h.command(U, "history"))).contains(id);
    }

    /**
     * «Again» of a forgotten generation of a model whose required choice is priced and has no default (a partner's
     * catalog may have one; the shipped one has none) asks the description erased, like any other: before, its
     * confirmation priced the order first, found no price without the choice and answered «This model's options have
     * changed», dropping every answer.
     */
    @Test
    void againOfAForgottenGenerationOfARequiredPricedChoiceWithoutADefaultAsksTheDescription() {
        InputField resolution = TestCatalog.labelled(new InputField("resolution", FieldType.ENUM, true,
                List.of("1K", "4K"), Optional.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty(),
                OptionalInt.empty(), true));
        Model m = new Model("img/res", "img/res", Family.JOBS, Category.IMAGE,
                Map.of("ru", "Картинка", "en", "Image"), Map.of("ru", "рисует", "en", "draws"),
                List.of(TestCatalog.labelled(InputField.prompt(1000)), resolution),
                List.of(new Sku(Map.of("resolution", "1K"), new BigDecimal("0.02"), TestCatalog.SRC),
                        new Sku(Map.of("resolution", "4K"), new BigDecimal("0.05"), TestCatalog.SRC)), 1);
        ShopHarness h = new ShopHarness(Catalog.of(List.of(m)), ShopSettings.defaults()
                .withAdmins(Set.of(ShopHarness.ADMIN)).withAdmission(AdmissionPolicy.off())).startedByAdminAnd(U);
        h.topUp(U, 10_000);
        h.press(U, "*|g|img/res");
        List<Reply> confirmation = h.press(U, button(h.text(U, "fox"), "4K"));
        h.press(U, button(confirmation, "Generate"));
        Job job = h.lastJob(U);
        h.work(10);
        h.provider.set(h.stored(job).taskId().orElseThrow(), new TaskStatus.Succeeded(
                new JobResult(List.of("https://files/out.png"), MediaKind.PHOTO)));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(h.stored(job).values()).containsEntry("resolution", "4K");
        h.press(ShopHarness.ADMIN, button(h.admin("forget", "42"), "Erase the data"));

        List<Reply> again = h.press(U, CallbackData.evergreen(CallbackAction.AGAIN, job.id().display()));

        assertThat(lastText(again)).startsWith("✍️ Description").contains("Send the text")
                .doesNotContain("options have changed");
        assertThat(ShopHarness.buttonTexts(again)).noneMatch(b -> b.contains("Generate"));
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    @Test
    void aGenerationUnderWayKeepsItsInputsAndTheAdminIsToldToForgetAgainAfter() {
        Job running = h.runningFoxImage(U);

        List<Reply> pressed = h.speaking("ru").press(ShopHarness.ADMIN, button(h.admin("forget", "42"),
                "🗑 Стереть данные"));

        assertThat(lastText(pressed)).endsWith("\n⏳ Ещё идут генерации: 1; их тексты и файлы пока "
                + "сохранены. Когда закончатся, повторите /forget 42.");
        assertThat(h.stored(running).values()).isEqualTo(running.values());
        assertThat(h.stores.audit().byCorrelation("forget:" + U)).extracting(AuditEvent::detail)
                .containsExactly("42, 1 under way kept");
    }

    /**
     * A card request reported paid while Telegram held the bot's messages: the admin's screen about it, his name in
     * it, still queued at the erasure. It went out after it, naming him: an open request kept its screens. It goes
     * with his data now, and the admin, who still decides the request, gets it anew with the name blank.
     */
    @Test
    void theAdminsScreenAboutAnOpenCardRequestQueuedAtTheErasureGoesOutWithoutHisName() {
        h.command(U, "topup");
        h.press(U, "*|y");
        List<Reply> amounts = h.press(U, "*|$");
        String paid = button(h.press(U, button(amounts, "500\u00A0₽")), "I paid");
        String erase = button(h.admin("forget", Long.toString(U)), "Erase the data");
        h.messenger.holding(Optional.of(Duration.ofMinutes(1)));
        h.press(U, paid);
        h.press(ShopHarness.ADMIN, erase);
        h.messenger.holding(Optional.empty());
        h.clock.advance(Duration.ofMinutes(2));
        h.deliver();

        List<String> toAdmin = h.messenger.all().stream().filter(r -> r.chatId() == ShopHarness.ADMIN)
                .filter(Reply.SendText.class::isInstance).map(r -> ((Reply.SendText) r).text()).toList();
        assertThat(toAdmin).as("the request shown to the admin").anySatisfy(t -> assertThat(t)
                .startsWith("💳 Top-up request").contains("(id 42)"));
        assertThat(toAdmin).noneSatisfy(t -> assertThat(t).contains("User42"));
    }

    /** «Отмена» under a {@code /forget} of the wrong user erases nothing, and says so. */
    @Test
    void cancelErasesNothing() {
        List<Reply> asked = h.admin("forget", "42");
        assertThat(buttonTexts(asked)).containsExactly("🗑 Erase the data", "✖ Cancel");
        assertThat(lastText(h.press(ShopHarness.ADMIN, button(asked, "Cancel"))))
                .isEqualTo("Cancelled: the data of User42 (id 42) is untouched.");
        assertThat(h.stores.users().find(U).orElseThrow().firstName()).isEqualTo("User42");
        assertThat(h.stores.audit().byCorrelation("forget:" + U)).isEmpty();
    }

    /** The erasing button expires as a money confirmation does: one found the next day erases nothing. */
    @Test
    void theButtonPressedLateErasesNothing() {
        List<Reply> asked = h.speaking("ru").admin("forget", "42");
        h.clock.advance(Duration.ofMinutes(11));
        assertThat(lastText(h.speaking("ru").press(ShopHarness.ADMIN, button(asked, "Стереть данные"))))
                .isEqualTo("⌛ Кнопка устарела: прошло больше 10\u00A0минут, ничего не стёрто. Чтобы стереть данные,"
                        + " отправьте /forget 42 снова.");
        assertThat(h.stores.users().find(U).orElseThrow().firstName()).isEqualTo("User42");
        assertThat(h.stores.audit().byCorrelation("forget:" + U)).isEmpty();
    }

    @Test
    void aUserWhoPressesTheButtonErasesNothing() {
        String data = button(h.admin("forget", "42"), "Erase the data");

        h.press(OTHER, data);
        h.press(U, data);

        assertThat(h.stores.users().find(U).orElseThrow().firstName()).isEqualTo("User42");
        assertThat(h.stores.audit().byCorrelation("forget:" + U)).isEmpty();
    }

    @Test
    void withoutAnIdTheUsageAndAnUnknownUserIsSaidSo() {
        assertThat(lastText(h.admin("forget", ""))).isEqualTo("Usage: /forget <user id>");
        assertThat(lastText(h.admin("forget", "42 43"))).isEqualTo("Usage: /forget <user id>");
        assertThat(lastText(h.admin("forget", "777"))).startsWith("Failed: no such user (777)");
        assertThat(lastText(h.command(U, "forget"))).startsWith("This command is for admins only.");
    }
}
