package dev.kiebot.core.conversation;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.text.Texts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where an admin finds the admin commands, and how an operator learns the Telegram id that makes him one: an admin's
 * /help names /admin (a user's says nothing of it), his own command menu lists them ({@link PublicCommands#forAdmins}),
 * and an admin command from anybody else answers with his own id.
 */
class AdminCommandsFoundTest {
    private static final long U = 123456789;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(U, "start");
        h.command(ShopHarness.ADMIN, "start");
    }

    @Test
    void anAdminsHelpNamesTheAdminCommandsAndAUsersDoesNot() {
        assertThat(lastText(h.command(ShopHarness.ADMIN, "help"))).contains("🛠 You are an admin: /admin shows the "
                + "dashboard and every admin command");
        assertThat(lastText(h.command(U, "help"))).doesNotContain("/admin", "🛠");
        h.speaking("ru");
        assertThat(lastText(h.command(ShopHarness.ADMIN, "help"))).contains("🛠 Вы администратор: /admin — сводка и "
                + "все команды администратора");
    }

    /** The operator setting himself up has no other way to learn his id than asking the bot. */
    @Test
    void anAdminCommandFromAUserTellsHimHisTelegramId() {
        assertThat(lastText(h.command(U, "admin"))).isEqualTo("This command is for admins only. Your Telegram ID: "
                + "123456789.");
        h.speaking("ru");
        assertThat(lastText(h.command(U, "find"))).isEqualTo("Эта команда только для администраторов. Ваш ID в "
                + "Telegram: 123456789.");
    }

    /** Each command of an admin's menu is an admin command of the conversation, described in both languages. */
    @Test
    void everyCommandOfAnAdminsMenuIsAnAdminCommandAndDescribed() {
        assertThat(Conversation.ADMIN_COMMANDS).containsAll(PublicCommands.ADMIN_NAMES);
        for (String name : PublicCommands.ADMIN_NAMES) {
            assertThat(lastText(h.command(U, name))).as(name).startsWith("This command is for admins only.");
        }
        for (String lang : Texts.LANGUAGES) {
            assertThat(PublicCommands.forAdmins(new Texts(), lang, false)).extracting(PublicCommands.Command::name)
                    .startsWith(PublicCommands.NAMES.toArray(String[]::new)).endsWith(PublicCommands.ADMIN_NAMES
                            .toArray(String[]::new));
            assertThat(PublicCommands.forAdmins(new Texts(), lang, true)).extracting(PublicCommands.Command::description)
                    .allSatisfy(d -> assertThat(d).isNotBlank().doesNotStartWith("command.").hasSizeLessThan(256));
        }
    }
}
