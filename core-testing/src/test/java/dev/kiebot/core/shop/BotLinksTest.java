package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.buttonTexts;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.conversation.ChatKind;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.ModelLink;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.reply.BotLinks;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The links into the bot that users get are the shop's {@link BotLinks}: a partner on another platform than Telegram
 * gives his own ({@code Shop.Builder.botLinks}), and his users' invitations, his admins' links to a model and a
 * group's button to the private chat are his, with no Telegram link among them; without them, Telegram's.
 */
class BotLinksTest {
    private static final long USER = 42;
    private static final long GROUP = -1001234567890L;
    private static final ShopSettings INVITING = ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN))
            .withAdmission(AdmissionPolicy.off()).withReferralBonus(10, 500);

    /** A messenger of a partner's own: its deep links say {@code begin}, its share page takes the words as they are. */
    private static final class PartnerLinks implements BotLinks {
        private final boolean shares;

        PartnerLinks(boolean shares) {
            this.shares = shares;
        }

        @Override
        public Optional<String> chat() {
            return Optional.of("https://chat.example/kiebot");
        }

        @Override
        public Optional<String> start(String parameter) {
            return Optional.of("https://chat.example/kiebot?begin=" + parameter);
        }

        @Override
        public Optional<String> share(String url, String text) {
            return shares ? Optional.of("https://chat.example/share?link=" + url + "&words=" + text) : Optional.empty();
        }
    }

    private static Optional<String> linkButton(List<Reply> replies, String label) {
        return replies.stream().filter(r -> r instanceof Reply.SendText).map(r -> (Reply.SendText) r)
                .flatMap(t -> t.keyboard().buttons().stream()).filter(b -> b.text().contains(label))
                .flatMap(b -> b.url().stream()).findFirst();
    }

    private static String invitationParameter(String text) {
        Matcher m = Pattern.compile("(r_[0-9a-z]{8})").matcher(text);
        assertThat(m.find()).as("an invitation in " + text).isTrue();
        return m.group(1);
    }

    @Test
    void aPartnersOwnLinksAreTheOnesHisUsersAndAdminsGet() {
        // the harness gives the shop a Telegram username too: the partner's links take the place of Telegram's
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), INVITING, ShopHarness.MANUAL,
                b -> b.botLinks(new PartnerLinks(true)));
        h.command(ShopHarness.ADMIN, "start");
        h.command(USER, "start");

        List<Reply> invite = h.command(USER, "invite");
        String parameter = invitationParameter(lastText(invite));
        String link = "https://chat.example/kiebot?begin=" + parameter;
        assertThat(lastText(invite)).contains(link).doesNotContain("t.me");
        // with the words the user passes on (the texts' own, in his language)
        assertThat(linkButton(invite, "Send to a friend")).hasValueSatisfying(share -> assertThat(share)
                .startsWith("https://chat.example/share?link=" + link + "&words=").endsWith("give it a try!"));

        Model m9 = TestCatalog.catalog().model("img/m9").orElseThrow();
        assertThat(lastText(h.admin("link", "m9")))
                .contains("Image img/m9 — https://chat.example/kiebot?begin=" + ModelLink.parameter(m9))
                .doesNotContain("t.me");

        List<Reply> inGroup = h.sendIn(ChatKind.SUPERGROUP, GROUP, USER, new Event.Command("start", ""));
        assertThat(inGroup).singleElement().isInstanceOfSatisfying(Reply.SendText.class, t -> assertThat(
                t.keyboard().buttons()).containsExactly(Button.link("Open a private chat",
                "https://chat.example/kiebot")));
    }

    @Test
    void onAPlatformWithoutASharePageTheInvitationHasItsLinkAndNoShareButton() {
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), INVITING, ShopHarness.MANUAL,
                b -> b.botLinks(new PartnerLinks(false)));
        h.command(USER, "start");

        List<Reply> invite = h.command(USER, "invite");
        assertThat(lastText(invite)).contains("https://chat.example/kiebot?begin=" + invitationParameter(
                lastText(invite)));
        assertThat(buttonTexts(invite)).containsExactly("🏠 Menu");
    }

    /** Without links of the partner's: Telegram's, the share button Telegram's share page with the link encoded. */
    @Test
    void telegramsLinksAreTheDefault() {
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), INVITING);
        h.command(USER, "start");

        List<Reply> invite = h.command(USER, "invite");
        String link = "https://t.me/" + ShopHarness.BOT_USERNAME + "?start=" + invitationParameter(lastText(invite));
        assertThat(lastText(invite)).contains(link);
        assertThat(linkButton(invite, "Send to a friend")).hasValueSatisfying(share -> assertThat(share)
                .startsWith("https://t.me/share/url?url=" + URLEncoder.encode(link, StandardCharsets.UTF_8) + "&text=")
                .endsWith(URLEncoder.encode("give it a try!", StandardCharsets.UTF_8)));
    }
}
