package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static dev.kiebot.core.testing.ShopHarness.lastTextTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * WELCOME_DAILY_TOTAL: the whole shop gives at most so many welcome bonuses a day, every new user together, so that a
 * farm of fresh Telegram accounts cannot take a bonus each. A new user past the day's cap gets none, not later either,
 * and his welcome says nothing of one; the admins hear once a day; the next day gives again.
 */
class WelcomeDailyTotalTest {
    private static final long A = 42;
    private static final long B = 43;
    private static final long C = 44;
    private static final long D = 45;
    private static final long E = 46;
    private static final long BONUS = 10_000;
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 21);

    private static ShopHarness shop(UnaryOperator<Shop.Builder> configure) {
        return new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN))
                .withAdmission(AdmissionPolicy.off()).withWelcomeBonus(BONUS), ManualPayments.off(), configure);
    }

    private static List<String> toAdmin(List<Reply> replies) {
        return replies.stream().filter(r -> r.chatId() == ShopHarness.ADMIN && r instanceof Reply.SendText)
                .map(r -> ((Reply.SendText) r).text()).toList();
    }

    @Test
    void pastTheDaysCapANewUserGetsNoBonusIsNotToldOfOneAndTheAdminsHearOnce() {
        ShopHarness h = shop(b -> b.welcomeDailyTotal(3));
        assertThat(lastText(h.command(ShopHarness.ADMIN, "start"))).contains("Welcome bonus");
        assertThat(lastText(h.command(A, "start"))).contains("Welcome bonus");
        List<Reply> last = h.command(B, "start");
        assertThat(lastTextTo(last, B)).contains("Welcome bonus");
        assertThat(toAdmin(last)).as("the day's last bonus given: told").singleElement().asString()
                .contains("3\u00A0new users got one, 300\u00A0₽ in all: that is the daily limit.",
                        "raise the daily limit in the bot's settings");

        List<Reply> pastTheCap = h.command(C, "start");
        assertThat(lastTextTo(pastTheCap, C)).doesNotContain("bonus", "Bonus");
        assertThat(h.balance(C)).isZero();
        assertThat(h.stores.ledger().find("welcome:" + C)).isEmpty();
        assertThat(h.stores.freeUsage().welcomed(TODAY)).isEqualTo(3);
        // a first message other than /start mentions no bonus either; the admins are not told again
        List<Reply> firstText = h.send(D, new Event.Text("hello"));
        assertThat(firstText).extracting(r -> r instanceof Reply.SendText t ? t.text() : "")
                .noneMatch(t -> t.contains("bonus"));
        assertThat(toAdmin(firstText)).as("told once a day").isEmpty();
        assertThat(h.balance(D)).isZero();
        assertThat(h.balance(A)).isEqualTo(BONUS);

        h.clock.advance(Duration.ofDays(1));
        assertThat(lastTextTo(h.command(C, "start"), C)).as("not later either").doesNotContain("bonus");
        assertThat(h.balance(C)).isZero();
        List<Reply> nextDay = h.command(E, "start");
        assertThat(lastTextTo(nextDay, E)).contains("Welcome bonus");
        assertThat(h.balance(E)).isEqualTo(BONUS);
        assertThat(toAdmin(nextDay)).isEmpty();
        assertThat(h.stores.freeUsage().welcomed(TODAY.plusDays(1))).isEqualTo(1);
    }

    /** Without the call every new user gets his bonus, as before. */
    @Test
    void withoutACapEveryNewUserGetsTheBonus() {
        ShopHarness h = shop(UnaryOperator.identity());
        for (long u : List.of(A, B, C, D, E)) {
            assertThat(lastText(h.command(u, "start"))).contains("Welcome bonus");
            assertThat(h.balance(u)).isEqualTo(BONUS);
        }
    }

    /**
     * The admin's own screen says how many welcome bonuses went out today and what they came to, against the cap when
     * one is set: he sees a crowd of fresh accounts before the alert, or without a cap at all.
     */
    @Test
    void theAdminsScreenShowsTheDaysWelcomeBonusesAndTheCap() {
        ShopHarness capped = shop(b -> b.welcomeDailyTotal(3));
        for (long u : List.of(ShopHarness.ADMIN, A, B, C)) {
            capped.command(u, "start");
        }
        assertThat(lastText(capped.admin("admin", "").subList(0, 1)))
                .contains("🎁 Welcome bonuses today: 3 of 3 for 300\u00A0₽");
        capped.clock.advance(Duration.ofDays(1));
        assertThat(lastText(capped.admin("admin", "").subList(0, 1))).as("a new day")
                .contains("🎁 Welcome bonuses today: 0 of 3 for 0\u00A0₽");

        ShopHarness uncapped = shop(UnaryOperator.identity());
        for (long u : List.of(ShopHarness.ADMIN, A, B)) {
            uncapped.command(u, "start");
        }
        assertThat(lastText(uncapped.admin("admin", "").subList(0, 1)))
                .contains("🎁 Welcome bonuses today: 3 for 300\u00A0₽").doesNotContain(" of 3");

        ShopHarness none = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
                .withAdmins(Set.of(ShopHarness.ADMIN)).withAdmission(AdmissionPolicy.off()), ManualPayments.off(),
                UnaryOperator.identity());
        assertThat(lastText(none.admin("admin", "").subList(0, 1))).as("no welcome bonus: no line")
                .doesNotContain("Welcome bonuses");
    }

    @Test
    void aCapOfNoneIsRefusedNamingTheCall() {
        assertThatThrownBy(() -> shop(b -> b.welcomeDailyTotal(0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("welcomeDailyTotal").hasMessageContaining("WELCOME_DAILY_TOTAL");
    }
}
