package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.ModelLink;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of {@code /start} parameter, for a new user and for one the shop knew before, gets exactly one reply,
 * and the right one: a model's link its card (with a new user's greeting above it), a model gone or an invitation
 * link of nobody's a line above the welcome, an invitation link a new user's inviter tied and the plain welcome, any
 * invitation link a user known before the line that invitations are for new users, and anything else (nothing,
 * garbage, 64 characters, spaces, «@») the plain welcome. The cases the start tests of the links
 * ({@code ModelLinkTest}, {@code InvitationsTest}) did not have, with those they had, in one table. A link is its
 * first word: Telegram's link gives that alone, and a {@code /start r_…} typed with a word after it read as a code
 * nobody has. A shop without invitations says nothing of any invitation link: it has none to be valid or not.
 */
class StartPayloadsTest {
    private static final long INVITER = 42;
    private static final String WELCOME_NEW = "Hi, User{u}! I make";
    private static final String NOT_VALID = "This invitation link is not valid: no invitation bonus is tied to it."
            + "\nHi, User{u}!";
    private static final String NOT_NEW = "You have used the bot before, so this invitation link changes nothing: "
            + "an invitation counts only on a first start.\nHi, User{u}!";
    private static final String MODEL_GONE = "This model is no longer available. Here is the menu.\nHi, User{u}!";
    /** Stands for the inviter's code, known only once the shop made it. */
    private static final String CODE = "{code}";
    private static final String M9 = ModelLink.parameter(TestCatalog.catalog().model("img/m9").orElseThrow());

    /** One case: the parameter, whether the user was known before, how the reply begins, whether he is invited. */
    static Stream<Arguments> payloads() {
        return Stream.of(
                Arguments.of("nothing", "", false, WELCOME_NEW, false),
                Arguments.of("nothing, known", "", true, WELCOME_NEW, false),
                Arguments.of("a model's link", M9, false, "Hi, User{u}! Balance: 50\u00A0₽.", false),
                Arguments.of("a model's link, known", M9, true, "Image img/m9", false),
                Arguments.of("a model's link and a word", M9 + " please", true, "Image img/m9", false),
                Arguments.of("a model gone", "m_0000000000", false, MODEL_GONE, false),
                Arguments.of("a model gone, known", "m_0000000000", true, MODEL_GONE, false),
                Arguments.of("m_ and 62 characters", "m_" + "a".repeat(62), false, MODEL_GONE, false),
                Arguments.of("an invitation", "r_" + CODE, false, WELCOME_NEW, true),
                Arguments.of("an invitation between spaces", "  r_" + CODE + "  ", false, WELCOME_NEW, true),
                Arguments.of("an invitation, known", "r_" + CODE, true, NOT_NEW, false),
                Arguments.of("an invitation of nobody's, known", "r_zzzzzzzz", true, NOT_NEW, false),
                Arguments.of("an invitation of nobody's", "r_zzzzzzzz", false, NOT_VALID, false),
                Arguments.of("r_ alone", "r_", false, NOT_VALID, false),
                Arguments.of("r_ and 62 characters", "r_" + "z".repeat(62), false, NOT_VALID, false),
                Arguments.of("an invitation and a word", "r_" + CODE + " please", false, WELCOME_NEW, true),
                Arguments.of("an invitation and lines", "r_" + CODE + "\nplease\tnow", false, WELCOME_NEW, true),
                Arguments.of("an invitation and a word after a no-break space", "r_" + CODE + "\u00a0please", false,
                        WELCOME_NEW, true),
                Arguments.of("an invitation and a word, known", "r_" + CODE + " please", true, NOT_NEW, false),
                Arguments.of("an invitation of nobody's and a word", "r_zzzzzzzz " + CODE, false, NOT_VALID, false),
                Arguments.of("an invitation with «@»", "r_" + CODE + "@kie_test_bot", false, NOT_VALID, false),
                Arguments.of("garbage", "hello", false, WELCOME_NEW, false),
                Arguments.of("garbage, known", "hello", true, WELCOME_NEW, false),
                Arguments.of("64 characters", "x".repeat(64), false, WELCOME_NEW, false),
                Arguments.of("words with spaces", "  hello there  world ", false, WELCOME_NEW, false),
                // the link a forwarded Stars invoice carries (TelegramMessenger.INVOICE_START): a stranger it was
                // forwarded to sees the welcome
                Arguments.of("a forwarded invoice's link", "invoice", false, WELCOME_NEW, false),
                Arguments.of("«@»", "@kie_test_bot", false, WELCOME_NEW, false),
                Arguments.of("«@» and more", "ref@42 x", false, WELCOME_NEW, false),
                Arguments.of("«/start» again", "/start", false, WELCOME_NEW, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void everyStartParameterGetsOneReplyAndTheRightOne(String name, String parameter, boolean known, String begins,
                                                       boolean invited) {
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
                .withAdmins(Set.of(ShopHarness.ADMIN)).withWelcomeBonus(5_000).withReferralBonus(10, 500)
                .withAdmission(AdmissionPolicy.off()));
        h.command(INVITER, "start");
        String code = codeOf(h, INVITER);
        long user = 77;
        if (known) {
            h.command(user, "start");
        }
        List<Reply> replies = h.send(user, new Event.Command("start", parameter.replace(CODE, code)));
        assertThat(replies).as("one reply").hasSize(1);
        assertThat(replies.get(0).chatId()).isEqualTo(user);
        assertThat(lastText(replies)).startsWith(begins.replace("{u}", String.valueOf(user)));
        if (begins.equals(WELCOME_NEW)) {
            assertThat(lastText(replies)).as("the plain welcome").contains("Pick a category")
                    .doesNotContain("invitation", "no longer available");
        }
        assertThat(lastText(replies).contains("Welcome bonus")).as("a new user's bonus, said once").isEqualTo(!known);
        assertThat(h.stores.users().referrerOf(user).isPresent()).as("invited").isEqualTo(invited);
    }

    /** An invitation link in a shop without invitations: the plain welcome, whoever's the code, and nobody invited. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("invitations")
    void aShopWithoutInvitationsSaysNothingOfAnInvitationLink(String name, String parameter, boolean known) {
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
                .withAdmins(Set.of(ShopHarness.ADMIN)).withWelcomeBonus(5_000).withAdmission(AdmissionPolicy.off()));
        h.command(INVITER, "start");
        // a code kept from when the shop offered invitations
        assertThat(h.stores.users().setInviteCode(INVITER, "abcd1234")).isTrue();
        long user = 77;
        if (known) {
            h.command(user, "start");
        }
        List<Reply> replies = h.send(user, new Event.Command("start", parameter.replace(CODE, "abcd1234")));
        assertThat(replies).as("one reply").hasSize(1);
        assertThat(lastText(replies)).startsWith(WELCOME_NEW.replace("{u}", String.valueOf(user)))
                .contains("Pick a category").doesNotContain("invitation");
        assertThat(h.stores.users().referrerOf(user)).isEmpty();
    }

    static Stream<Arguments> invitations() {
        return Stream.of(
                Arguments.of("an invitation", "r_" + CODE, false),
                Arguments.of("an invitation, known", "r_" + CODE, true),
                Arguments.of("an invitation of nobody's", "r_zzzzzzzz", false),
                Arguments.of("an invitation of nobody's, known", "r_zzzzzzzz", true),
                Arguments.of("r_ alone", "r_", false));
    }

    private static String codeOf(ShopHarness h, long userId) {
        Matcher link = Pattern.compile("start=r_([0-9a-z]{8})").matcher(lastText(h.command(userId, "invite")));
        assertThat(link.find()).isTrue();
        return link.group(1);
    }
}
