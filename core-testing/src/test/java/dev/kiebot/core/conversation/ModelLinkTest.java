package dev.kiebot.core.conversation;

import static dev.kiebot.core.testing.ShopHarness.buttonTexts;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An ad for one model links to its card: {@code https://t.me/<bot>?start=m_…} opens it, with a new user's greeting
 * and bonus above it in the same message; an admin gets the links with {@code /link}.
 */
class ModelLinkTest {
    private static final long U = 42;

    @Test
    void everyModelHasItsOwnParameterTelegramTakes() {
        Catalog catalog = TestCatalog.catalog();
        Set<String> seen = new HashSet<>();
        for (Model m : catalog.models()) {
            String p = ModelLink.parameter(m);
            assertThat(p).matches("[A-Za-z0-9_-]{1,64}");
            assertThat(seen.add(p)).as(m.id()).isTrue();
            assertThat(ModelLink.find(catalog, p)).contains(m);
        }
        assertThat(ModelLink.find(catalog, "m_nothing123")).isEmpty();
        assertThat(ModelLink.find(catalog, "ref42")).isEmpty();
    }

    @Test
    void aLinkOpensTheModelsCardWithTheGreetingInOneMessage() {
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), dev.kiebot.core.conversation.ShopSettings.defaults()
                .withAdmins(Set.of(ShopHarness.ADMIN)).withWelcomeBonus(5_000)
                .withAdmission(dev.kiebot.core.intake.AdmissionPolicy.off()));
        Model m9 = TestCatalog.catalog().model("img/m9").orElseThrow();
        List<Reply> start = h.send(U, new Event.Command("start", ModelLink.parameter(m9)));
        assertThat(start.stream().filter(r -> r instanceof Reply.SendText || r instanceof Reply.EditText)).hasSize(1);
        assertThat(lastText(start)).startsWith("Hi, User42! Balance: 50\u00A0₽.").contains("Welcome bonus", "Image img/m9");
        assertThat(buttonTexts(start)).anyMatch(b -> b.contains("▶️ Start"));
        // a returning user: the card alone; a parameter of no model: the menu
        assertThat(lastText(h.send(U, new Event.Command("start", ModelLink.parameter(m9))))).startsWith("Image img/m9");
        assertThat(lastText(h.send(U, new Event.Command("start", "m_unknown000")))).contains("Pick a category")
                .doesNotContain("Image img/m9");
    }

    /**
     * A link to a model gone from the catalog (an old advert's) was answered with the plain welcome, the user left
     * looking for the model he came for (a review's finding): he is told it is no longer available, above the welcome
     * a new user's bonus is in. Any other parameter is no model's link and gets the welcome alone.
     */
    @Test
    void aLinkToAModelGoneSaysSoAboveTheWelcome() {
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), dev.kiebot.core.conversation.ShopSettings.defaults()
                .withAdmins(Set.of(ShopHarness.ADMIN)).withWelcomeBonus(5_000)
                .withAdmission(dev.kiebot.core.intake.AdmissionPolicy.off())).speaking("ru");
        List<Reply> start = h.send(U, new Event.Command("start", "m_0000000000"));
        assertThat(lastText(start)).startsWith("Эта модель больше недоступна. Вот главное меню.\nПривет, User42!")
                .contains("Выберите раздел ниже");
        assertThat(buttonTexts(start)).contains("🖼 Картинки");
        assertThat(lastText(h.send(U, new Event.Command("start", "xyz")))).startsWith("Привет, User42!");
    }

    @Test
    void anAdminGetsTheLinksOfTheModelsHeNames() {
        ShopHarness h = new ShopHarness();
        h.command(ShopHarness.ADMIN, "start");
        Model m9 = TestCatalog.catalog().model("img/m9").orElseThrow();
        assertThat(lastText(h.admin("link", "m9"))).contains("Image img/m9 — https://t.me/kie_test_bot?start=" + ModelLink.parameter(m9));
        assertThat(lastText(h.admin("link", "no such model"))).contains("No model has");
        assertThat(lastText(h.admin("link", ""))).contains("/link <");
        assertThat(lastText(h.command(U, "link"))).doesNotContain("m_");
    }
}
