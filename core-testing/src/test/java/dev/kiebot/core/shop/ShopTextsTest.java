package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.TextOverrides;
import dev.kiebot.core.text.Texts;
import java.time.Duration;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** A shop's own terms and privacy policy (Shop.builder().texts): what /terms and /privacy show its users. */
class ShopTextsTest {
    private static final String TERMS_RU = "📄 Условия использования\nПродавец: ИП Иванов Иван Иванович, ИНН 123456789012.";

    private static ShopHarness shop(UnaryOperator<Shop.Builder> configure) {
        return new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN))
                .withAdmission(AdmissionPolicy.off()), ManualPayments.off(), configure);
    }

    @Test
    void termsShowTheShopsOwnTextInItsLanguageAndKiebotsInTheOther() {
        ShopHarness h = shop(b -> b.texts(TextOverrides.builder().text("ru", Msg.TERMS, TERMS_RU)
                .text("en", "privacy", "Privacy policy of Ivan Ivanov, sole trader: write to /paysupport.").build()));
        h.speaking("ru").command(1, "start");
        assertThat(ShopHarness.lastText(h.command(1, "terms"))).isEqualTo(TERMS_RU);
        assertThat(ShopHarness.lastText(h.command(1, "privacy"))).isEqualTo(new Texts().get("ru", Msg.PRIVACY));
        h.speaking("en").command(2, "start");
        assertThat(ShopHarness.lastText(h.command(2, "terms"))).isEqualTo(new Texts().get("en", Msg.TERMS));
        assertThat(ShopHarness.lastText(h.command(2, "privacy")))
                .isEqualTo("Privacy policy of Ivan Ivanov, sole trader: write to /paysupport.");
        // a message of the partner's own reads as the shop's do
        assertThat(h.shop.texts().get("ru", Msg.TERMS)).isEqualTo(TERMS_RU);
        assertThat(h.shop.texts().get("en", Msg.TERMS)).isEqualTo(new Texts().get("en", Msg.TERMS));
    }

    /**
     * Beyond the screens' texts, the reason a job failed (a key {@code ErrorKind} carries as data, stored with the job)
     * is the shop's own where it gave one: the user reads it after "Generation failed:".
     */
    @Test
    void theReasonAJobFailedIsTheShopsOwnText() {
        String own = "the image service turned the request down: describe it without famous people's names";
        ShopHarness h = shop(b -> b.texts(TextOverrides.builder()
                .text("en", ErrorKind.INVALID_INPUT.messageKey(), own).build()));
        h.speaking("en").command(42, "start");
        h.topUp(42, 10_000);
        Job job = h.runningFoxImage(42);
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Failed(ErrorKind.INVALID_INPUT, "prohibited"));
        h.clock.advance(Duration.ofSeconds(5));
        h.messenger.drain();
        h.work(10);
        assertThat(String.join("\n", h.messenger.texts())).contains("Generation failed: " + own + ".");
    }

    @Test
    void aTextThatCannotStandForKiebotsStopsTheBuildNamingIt() {
        assertThatThrownBy(() -> shop(b -> b.texts(TextOverrides.builder()
                .text("ru", Msg.WELCOME_BACK, "С возвращением, {0}!").build())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Shop.builder().texts: ")
                .hasMessageContaining("ru.welcome.back: leaves out {1}");
        assertThatThrownBy(() -> shop(b -> b.texts(null))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("texts (given null");
    }
}
