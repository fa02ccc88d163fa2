package dev.kiebot.runtime.intake;

import static dev.kiebot.runtime.testing.E2eWorld.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.PublicCommands;
import dev.kiebot.core.text.TextOverrides;
import dev.kiebot.core.text.Texts;
import dev.kiebot.runtime.testing.LogCapture;
import dev.kiebot.telegram.BotCommands;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import dev.kiebot.telegram.fake.FakeTelegramServer.FakeCommand;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The command menu is registered in ru and en (and en for everybody else); failures are only logged. */
class CommandMenuTest {
    private FakeTelegramServer telegram;
    private CommandMenu menu;

    @BeforeEach
    void start() {
        telegram = FakeTelegramServer.start();
        menu = new CommandMenu(new BotCommands(telegram.bot()), new Texts());
    }

    @AfterEach
    void stop() {
        telegram.close();
    }

    @Test
    void everyLanguageGetsItsListAndAgainIsTheSame() {
        assertThat(menu.register()).isEqualTo(3);
        assertThat(telegram.commands("ru")).extracting(FakeCommand::command)
                .containsExactlyElementsOf(PublicCommands.NAMES);
        assertThat(telegram.commands("ru")).contains(new FakeCommand("status", "Что сейчас генерируется"));
        assertThat(telegram.commands("en")).contains(new FakeCommand("popular", "Popular models"));
        // Telegram's rules for payments: every user must find /terms and /paysupport
        assertThat(telegram.commands("ru")).contains(new FakeCommand("paysupport", "Оплата и другие вопросы"),
                new FakeCommand("terms", "Условия"), new FakeCommand("payments", "История пополнений и списаний"));
        assertThat(telegram.commands("en")).contains(new FakeCommand("paysupport", "Payments and other questions"));
        assertThat(telegram.commands("")).isEqualTo(telegram.commands("en"));
        // idempotent: a second start sets the same lists
        assertThat(menu.register()).isEqualTo(3);
        assertThat(telegram.commands("ru")).hasSize(PublicCommands.NAMES.size());
        assertThat(telegram.callsTo("setMyCommands")).hasSize(6);
    }

    /** A shop that offers invitations lists /invite after /topup; one without does not list it (see above). */
    @Test
    void invitationsAreListedWhenOffered() {
        assertThat(new CommandMenu(new BotCommands(telegram.bot()), new Texts(), true, Set.of(),
                AdminMenuChats.inMemory()).register()).isEqualTo(3);
        java.util.List<String> ru = telegram.commands("ru").stream().map(FakeCommand::command).toList();
        assertThat(ru).hasSize(PublicCommands.NAMES.size() + 1);
        assertThat(ru.get(ru.indexOf("topup") + 1)).isEqualTo("invite");
        assertThat(telegram.commands("ru")).contains(new FakeCommand("invite", "Пригласить друга и получить бонус"));
    }

    /**
     * Each admin's private chat gets its own lists (BotCommandScopeChat), everybody's commands and then the admin
     * ones: an admin found them only in /admin's dashboard. Everybody else's lists stay without them.
     */
    @Test
    void eachAdminsChatListsTheAdminCommandsAfterEverybodys() {
        assertThat(new CommandMenu(new BotCommands(telegram.bot()), new Texts(), false, Set.of(1001L, 1002L),
                AdminMenuChats.inMemory())
                .register()).isEqualTo(3 + 2 * 3);
        for (long admin : List.of(1001L, 1002L)) {
            assertThat(telegram.commands(admin, "ru")).extracting(FakeCommand::command)
                    .containsExactlyElementsOf(Stream.concat(PublicCommands.NAMES.stream(),
                            PublicCommands.ADMIN_NAMES.stream()).toList());
            assertThat(telegram.commands(admin, "ru")).contains(new FakeCommand("admin",
                    "Сводка и команды администратора"));
            assertThat(telegram.commands(admin, "en")).contains(new FakeCommand("find",
                    "Find a generation, user or payment"));
            assertThat(telegram.commands(admin, "")).isEqualTo(telegram.commands(admin, "en"));
        }
        assertThat(telegram.commands("ru")).extracting(FakeCommand::command)
                .containsExactlyElementsOf(PublicCommands.NAMES);
        assertThat(telegram.commands("")).extracting(FakeCommand::command).doesNotContain("admin");
    }

    /**
     * Telegram refuses an admin's own lists until he has written to the bot: such an admin got them only at the next
     * restart. He gets them when he first writes in his private chat, once in the process's life; nobody else's
     * update, nor his in a group, asks Telegram anything.
     */
    @Test
    void anAdminRefusedAtStartGetsHisMenuWhenHeFirstWrites() {
        telegram.failWhen("setMyCommands", c -> c.param("scope") != null && c.param("scope").contains("1002"),
                FakeTelegramServer.Failure.apiError(400, "Bad Request: chat not found"));
        CommandMenu menu = new CommandMenu(new BotCommands(telegram.bot()), new Texts(), false, Set.of(1001L, 1002L),
                AdminMenuChats.inMemory());
        assertThat(menu.register()).isEqualTo(3 + 3);
        assertThat(telegram.commands(1002L, "ru")).isEmpty();
        assertThat(menu.heardFrom(1001L, 1001L)).as("set at start").isFalse();
        assertThat(menu.heardFrom(7L, 7L)).as("not an admin").isFalse();
        assertThat(menu.heardFrom(1002L, -100L)).as("in a group: no private chat to set").isFalse();
        telegram.clearFailures();
        telegram.clearCalls();

        assertThat(menu.heardFrom(1002L, 1002L)).isTrue();
        await("his lists set", () -> telegram.commands(1002L, "").size() == PublicCommands.NAMES.size()
                + PublicCommands.ADMIN_NAMES.size() && telegram.callsTo("setMyCommands").size() == 3);
        assertThat(telegram.commands(1002L, "ru")).extracting(FakeCommand::command).contains("admin", "find");
        assertThat(menu.heardFrom(1002L, 1002L)).as("once in the process's life").isFalse();
        assertThat(telegram.callsTo("setMyCommands")).hasSize(3);
    }

    /**
     * The menu set when an admin first writes is set on a thread of its own; its line carries the cid of the update that
     * started it, as every line logged for an update does. It carried none.
     */
    @Test
    void theLineOfAMenuSetWhenAnAdminWritesCarriesHisUpdatesCid() {
        telegram.failWhen("setMyCommands", c -> c.param("scope") != null && c.param("scope").contains("1002"),
                FakeTelegramServer.Failure.apiError(400, "Bad Request: chat not found"));
        CommandMenu menu = new CommandMenu(new BotCommands(telegram.bot()), new Texts(), false, Set.of(1002L),
                AdminMenuChats.inMemory());
        menu.register();
        telegram.clearFailures();
        LogCapture logs = LogCapture.attach();
        MDC.put("cid", "upd_5001");
        try {
            assertThat(menu.heardFrom(1002L, 1002L)).isTrue();
            await("his lists set", () -> logs.lines().stream().anyMatch(l -> l.contains("now that he has written")));
            assertThat(logs.linesWithCids()).filteredOn(l -> l.contains("now that he has written")).singleElement()
                    .asString().startsWith("cid=upd_5001 ");
        } finally {
            MDC.remove("cid");
            logs.detach();
        }
    }

    /**
     * An admin's id is masked as every other line masks a user's ({@code Actor.mask}: {@code ***} and the last 4
     * digits): these lines wrote {@code admin …1002}, which an operator's search for {@code ***1002} across the log (the
     * money lines, the refunds) did not find.
     */
    @Test
    void anAdminsIdReadsAsEveryOtherLineMasksAUsersId() {
        telegram.failWhen("setMyCommands", c -> c.param("scope") != null && c.param("scope").contains("987651002"),
                FakeTelegramServer.Failure.blocked());
        LogCapture logs = LogCapture.attach();
        try {
            new CommandMenu(new BotCommands(telegram.bot()), new Texts(), false, Set.of(987651002L),
                    AdminMenuChats.inMemory()).register();
            assertThat(logs.warnings()).singleElement().asString()
                    .contains("admin " + Actor.mask(987651002L) + " (ADMIN_IDS) blocked the bot")
                    .doesNotContain("987651002", "…");
        } finally {
            logs.detach();
        }
    }

    /**
     * Found by an operator review: an admin in ADMIN_IDS who blocked the bot was three WARNs at every start, one per
     * language, each saying he would get his menu when he first writes, and nothing of what he misses. Now one WARN
     * says he blocked the bot, that the admins' alerts miss him, and the two ways out; his other languages are not
     * asked. An admin who never wrote is one WARN of its own.
     */
    @Test
    void anAdminWhoBlockedTheBotIsOneWarningSayingWhatHeMissesAndWhatToDo() {
        telegram.failWhen("setMyCommands", c -> c.param("scope") != null && c.param("scope").contains("1002"),
                FakeTelegramServer.Failure.blocked());
        telegram.failWhen("setMyCommands", c -> c.param("scope") != null && c.param("scope").contains("1003"),
                FakeTelegramServer.Failure.apiError(400, "Bad Request: chat not found"));
        LogCapture logs = LogCapture.attach();
        try {
            assertThat(new CommandMenu(new BotCommands(telegram.bot()), new Texts(), false, Set.of(1001L, 1002L,
                    1003L), AdminMenuChats.inMemory()).register()).isEqualTo(3 + 3);
            assertThat(logs.warnings()).filteredOn(l -> l.contains("***1002")).singleElement().asString()
                    .startsWith("WARN ").contains("admin ***1002 (ADMIN_IDS) blocked the bot", "alerts",
                            "unblocks it", "take him out of ADMIN_IDS", "403");
            assertThat(logs.warnings()).filteredOn(l -> l.contains("***1003")).singleElement().asString()
                    .contains("admin ***1003 (ADMIN_IDS) has not written to the bot", "/start", "chat not found");
        } finally {
            logs.detach();
        }
        assertThat(telegram.callsTo("setMyCommands")).as("one question each, not one per language")
                .filteredOn(c -> c.param("scope") != null && !c.param("scope").contains("1001")).hasSize(2);
    }

    /**
     * An id taken out of ADMIN_IDS kept the admin commands in his menu: Telegram keeps a chat's lists until they are
     * removed. The chats given one are kept, and a former admin's gets everybody's back at the next start.
     */
    @Test
    void aFormerAdminsChatGetsEverybodysMenuBackAtTheNextStart() {
        AdminMenuChats given = AdminMenuChats.inMemory();
        assertThat(new CommandMenu(new BotCommands(telegram.bot()), new Texts(), false, Set.of(1001L, 1002L), given)
                .register()).isEqualTo(3 + 2 * 3);
        assertThat(given.all()).containsExactlyInAnyOrder(1001L, 1002L);

        // ADMIN_IDS=1001 at the next start
        assertThat(new CommandMenu(new BotCommands(telegram.bot()), new Texts(), false, Set.of(1001L), given)
                .register()).isEqualTo(3 + 3);
        for (String lang : List.of("ru", "en", "")) {
            assertThat(telegram.commands(1002L, lang)).as("everybody's again, for " + lang).isEmpty();
            assertThat(telegram.commands(1001L, lang)).extracting(FakeCommand::command).contains("admin");
        }
        assertThat(given.all()).containsExactly(1001L);
        telegram.clearCalls();
        new CommandMenu(new BotCommands(telegram.bot()), new Texts(), false, Set.of(1001L), given).register();
        assertThat(telegram.callsTo("deleteMyCommands")).as("cleared once, then forgotten").isEmpty();
    }

    /**
     * A former admin who blocked the bot (or never wrote to it): Telegram knows no chat of his ("chat not found"), so
     * there is no list to remove. His id was kept, asked again and warned of at every start for good; now it is
     * forgotten on that answer. Any other refusal is still tried again at the next start.
     */
    @Test
    void aFormerAdminsChatTelegramDoesNotKnowIsForgottenNotAskedAtEveryStart() {
        AdminMenuChats given = AdminMenuChats.inMemory();
        new CommandMenu(new BotCommands(telegram.bot()), new Texts(), false, Set.of(1001L, 1002L), given).register();
        telegram.failWhen("deleteMyCommands", c -> c.param("scope") != null && c.param("scope").contains("1002"),
                FakeTelegramServer.Failure.apiError(400, "Bad Request: nope"));
        new CommandMenu(new BotCommands(telegram.bot()), new Texts(), false, Set.of(1001L), given).register();
        assertThat(given.all()).as("another refusal: tried again").containsExactlyInAnyOrder(1001L, 1002L);
        telegram.clearFailures();
        telegram.failWhen("deleteMyCommands", c -> c.param("scope") != null && c.param("scope").contains("1002"),
                FakeTelegramServer.Failure.apiError(400, "Bad Request: chat not found"));
        LogCapture logs = LogCapture.attach();
        try {
            new CommandMenu(new BotCommands(telegram.bot()), new Texts(), false, Set.of(1001L), given).register();
            assertThat(given.all()).containsExactly(1001L);
            assertThat(logs.lines()).noneMatch(l -> l.contains("was not removed"))
                    .anyMatch(l -> l.contains("***1002") && l.contains("forgotten"));
        } finally {
            logs.detach();
        }
        telegram.clearCalls();
        new CommandMenu(new BotCommands(telegram.bot()), new Texts(), false, Set.of(1001L), given).register();
        assertThat(telegram.callsTo("deleteMyCommands")).as("not asked again").isEmpty();
    }

    /**
     * A former admin who blocked the bot: Telegram answers his chat's deleteMyCommands 403 "bot was blocked by the
     * user", not "chat not found", and that too says the same at every start: his id was kept and warned of at each.
     */
    @Test
    void aFormerAdminWhoBlockedTheBotIsForgottenNotAskedAtEveryStart() {
        AdminMenuChats given = AdminMenuChats.inMemory();
        new CommandMenu(new BotCommands(telegram.bot()), new Texts(), false, Set.of(1001L, 1002L), given).register();
        telegram.failWhen("deleteMyCommands", c -> c.param("scope") != null && c.param("scope").contains("1002"),
                FakeTelegramServer.Failure.blocked());
        LogCapture logs = LogCapture.attach();
        try {
            new CommandMenu(new BotCommands(telegram.bot()), new Texts(), false, Set.of(1001L), given).register();
            assertThat(given.all()).containsExactly(1001L);
            assertThat(logs.lines()).noneMatch(l -> l.contains("was not removed"))
                    .anyMatch(l -> l.contains("***1002") && l.contains("forgotten") && l.contains("403"));
        } finally {
            logs.detach();
        }
        assertThat(telegram.callsTo("deleteMyCommands")).as("one answer for all his languages").hasSize(1);
        telegram.clearCalls();
        new CommandMenu(new BotCommands(telegram.bot()), new Texts(), false, Set.of(1001L), given).register();
        assertThat(telegram.callsTo("deleteMyCommands")).as("not asked again").isEmpty();
    }

    /**
     * A shop's own description (TEXTS_FILE) longer than Telegram takes for one (256 characters) is cut, with «…»:
     * Telegram refused the whole list for it, and the users of that language had no command menu.
     */
    @Test
    void aLongDescriptionOfTheShopsOwnIsCutNotRefused() {
        String own = "Условия использования и данные продавца. ".repeat(10);
        Texts texts = new Texts().with(TextOverrides.builder().text("ru", "command.terms", own).build());
        assertThat(new CommandMenu(new BotCommands(telegram.bot()), texts).register()).isEqualTo(3);
        String terms = telegram.commands("ru").stream().filter(c -> c.command().equals("terms")).findFirst()
                .orElseThrow().description();
        assertThat(terms).hasSize(256).endsWith("…").startsWith(own.substring(0, 255 - 10));
    }

    @Test
    void aRefusedListIsLoggedAndTheOthersAreStillSet() {
        LogCapture logs = LogCapture.attach();
        try {
            telegram.failNext("setMyCommands", 1, FakeTelegramServer.Failure.apiError(400, "Bad Request: nope"));
            assertThat(menu.register()).isEqualTo(2);
            assertThat(logs.lines()).anyMatch(l -> l.contains("command menu for ru was not registered")
                    && l.contains("nope"));
            assertThat(telegram.commands("ru")).isEmpty();
            assertThat(telegram.commands("en")).isNotEmpty();
        } finally {
            logs.detach();
        }
    }
}
