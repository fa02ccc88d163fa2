package dev.kiebot.core.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The tour: what a Russian user sees, from /start to a delivered result, a refund, the commands and the admin's
 * dashboard, rendered to Markdown and compared with the checked-in {@code docs/tour-ru.md}. A changed text fails
 * this test until the document is written again with {@code -Dkiebot.tour.write=true}, so the document is always
 * what the bot says and every change of a screen shows in the review as a change of that file.
 */
class TourTest {
    private static final long U = 42;
    private static final long ADMIN = ShopHarness.ADMIN;
    /** A friend the user invites: his steps are marked so. */
    private static final long FRIEND = 77;
    private static final String FRIEND_WHO = "👥 друг: ";
    private static final String WRITE = "kiebot.tour.write";
    private static final Path DOCUMENT = Path.of("docs", "tour-ru.md");

    private static final String INTRO = """
            # Бот глазами пользователя: экскурсия на русском

            Что видит пользователь, у которого Telegram на русском: каждый шаг — его действие (👤) и всё, что бот \
            в ответ отправил или исправил, с кнопками под сообщениями. Файл не пишут руками: его создаёт тест \
            `core-testing/src/test/java/dev/kiebot/core/conversation/TourTest.java`, проводя бота в памяти \
            (`ShopHarness`) по этим сценариям с остановленными часами (21 ноября 2026, 10:00 UTC) и нейросетью, \
            отвечающей по сценарию, — так что каждый прогон даёт тот же текст. Модели — из тестового каталога \
            (`TestCatalog`), не из `models/catalog.json`. Тест падает, если тексты бота разошлись с этим файлом; \
            после намеренной правки текстов перепишите его: \
            `mvn -B -o -q verify -pl core,core-testing -am -Dtest=TourTest -Dsurefire.failIfNoSpecifiedTests=false \
            -Dkiebot.tour.write=true`.

            Обозначения: «💬 новое сообщение №N» — бот прислал сообщение, «✏️ правка сообщения №N» — бот \
            изменил своё прежнее сообщение, «🔔» — всплывающая подсказка после нажатия кнопки. Кнопки показаны \
            рядами: `[надпись]`.
            """;

    private final ShopHarness h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
            .withAdmins(Set.of(ADMIN)).withAdmission(AdmissionPolicy.off()).withWelcomeBonus(5_000)
            .withReferralBonus(10, 100_00))
            .speaking("ru");
    private final StringBuilder doc = new StringBuilder();
    /** Telegram's message id → its number in the tour (1, 2, ...), in the order the bot sent them. */
    private final Map<Long, Integer> numbers = new HashMap<>();
    /** The messages as they read now (after edits), with their Telegram ids: where buttons are pressed. */
    private final Map<Long, Keyboard> keyboards = new HashMap<>();
    private final List<Long> order = new ArrayList<>();
    /** Every reply the messenger took so far: the next one's Telegram id is 101 + this (RecordingMessenger's). */
    private int replies;
    /** Every keyboard the tour showed, sent or edited in: what {@code Messenger}'s button limits are measured on. */
    private final List<Keyboard> shown = new ArrayList<>();
    private int steps;
    private int messages;
    private int queries;

    @Test
    void theTourReadsAsTheDocumentSays() throws IOException {
        String tour = tour();
        Path file = repositoryRoot().resolve(DOCUMENT);
        if (Boolean.getBoolean(WRITE)) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, tour, StandardCharsets.UTF_8);
            return;
        }
        String written = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        if (!tour.equals(written)) {
            int line = firstDifferentLine(written, tour);
            fail("""
                    %s is not what the bot says now. First difference, line %d:
                      the document: %s
                      the bot now:  %s
                    If the change of the texts is meant, write the document again and commit it with the change:
                      mvn -B -o -q verify -pl core,core-testing -am -Dtest=TourTest \
                    -Dsurefire.failIfNoSpecifiedTests=false -D%s=true"""
                    .formatted(file, line, lineOf(written, line), lineOf(tour, line), WRITE));
        }
    }

    /**
     * {@code Messenger}'s javadoc tells a partner how large a keyboard core makes, for a platform with smaller limits
     * to fit: at most 3 buttons in a row, 9 rows and 11 buttons on a user's screens (the tour's largest: a page of
     * models). A screen past them breaks a promise partners rely on.
     */
    @Test
    void noScreenOfTheTourHasMoreButtonsThanMessengerSays() {
        tour();
        assertThat(shown).as("the keyboards the tour showed").hasSizeGreaterThan(50);
        assertThat(shown).allSatisfy(k -> {
            assertThat(k.rows()).as("rows of %s", k).hasSizeLessThanOrEqualTo(9);
            assertThat(k.rows()).as("buttons in a row of %s", k)
                    .allSatisfy(row -> assertThat(row).hasSizeLessThanOrEqualTo(3));
            assertThat(k.buttons()).as("buttons of %s", k).hasSizeLessThanOrEqualTo(11);
        });
        assertThat(shown).as("a page of models, 8 and the menu").anyMatch(k -> k.rows().size() == 9);
    }

    /**
     * No button of the tour is cut on a phone: a 360-px screen shows about 36 characters of a button alone on its row,
     * 22 in a row of two, 14 in a row of three (review R5: «📤 Прислать gen_12» three a row, «✅ Принимаю и оплачиваю
     * 1 500 ₽» beside «🏠 Меню», «✓ По умолчанию: …» beside «◀ Назад» were cut). {@code PhoneRowsTest} walks the
     * shipped catalog's.
     */
    @Test
    void noButtonOfTheTourIsCutOnAPhone() {
        tour();
        List<String> cut = new ArrayList<>();
        for (Keyboard k : shown) {
            for (List<Button> row : k.rows()) {
                int limit = row.size() == 1 ? 36 : row.size() == 2 ? 22 : 14;
                row.stream().filter(b -> b.text().codePointCount(0, b.text().length()) > limit)
                        .forEach(b -> cut.add("«" + b.text() + "» in a row of " + row.size()));
            }
        }
        assertThat(cut).isEmpty();
    }

    /**
     * The screens a reviewer of the journey asks for are in it: a returning user's /start (greeted by his last
     * result, not the newcomer's welcome) and the top-up's amounts under an order short of its price («Не хватает …
     * на генерацию»). The tour had neither.
     */
    @Test
    void theTourShowsAReturningStartAndTheShortfallWhereTheSumIsChosen() {
        String tour = tour();
        assertThat(tour).contains("С возвращением, ", "Последняя генерация: gen_3", "[📤 Получить gen_3]");
        // the amounts right under it, in the same message
        assertThat(tour).containsPattern("Не хватает [0-9,\\s\u00A0]+₽ на генерацию «Клинг»\\.\n(.*\n){0,3}"
                + "\\[75[\\s\u00A0]₽ за 50[\\s\u00A0]⭐\\]");
    }

    private String tour() {
        doc.append(INTRO);

        section("Знакомство");
        step("/start", h.command(U, "start"));
        step("/menu", h.command(U, "menu"));

        section("Картинка по описанию");
        press("🖼 Картинки");
        press("Стр. 2 ➡");
        press("Картинка img/m9");
        press("▶️ Начать");
        say("рыжая лиса в снегу");
        press("16:9");
        press("✅ Сгенерировать");
        pressAgain("✅ Сгенерировать");
        work("нейросеть приняла задачу");
        h.provider.set("task-1", new TaskStatus.Running());
        h.clock.advance(Duration.ofSeconds(10));
        work("нейросеть работает");
        step("/status", h.command(U, "status"));
        h.provider.succeed("task-1", "https://kie.example/result/fox.png");
        h.clock.advance(Duration.ofSeconds(5));
        work("нейросеть закончила");
        say("gen_1");

        section("Правка фото");
        step("/menu", h.command(U, "menu"));
        press("🖼 Картинки");
        press("📷 Модели по фото");
        press("Редактор");
        press("▶️ Начать");
        step("фото с подписью «сделай небо фиолетовым»", h.send(U,
                new Event.Media(MediaType.PHOTO, "photo-1", 80_000, Optional.empty(), Optional.empty())
                        .withCaption("сделай небо фиолетовым").inMessage(900).withUniqueId("photo-1-content")));
        press("✅ Готово");
        press("2K");
        step("в отправленном сообщении фото заменено другим, подпись та же", h.send(U, new Event.EditedMedia(900,
                new Event.Media(MediaType.PHOTO, "photo-2", 90_000, Optional.empty(), Optional.empty())
                        .withCaption("сделай небо фиолетовым").withUniqueId("photo-2-content"))));
        press("✅ Сгенерировать");

        section("Генерация, которая не удалась у нейросети");
        work("нейросеть приняла задачу");
        h.provider.set("task-2", new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "internal error"));
        h.clock.advance(Duration.ofSeconds(5));
        work("нейросеть сообщила об ошибке");

        section("Видео с настройками");
        step("/menu", h.command(U, "menu"));
        press("🎬 Видео");
        press("Клинг");
        press("▶️ Начать");
        say("кот катается на сёрфе");
        press("10");
        pressAgain("10");
        press("Да");
        say("7");
        press("По умолчанию");
        // short of the price: the amounts say by how much, where the sum is chosen
        press("➕ Пополнить");
        press("✅ Принимаю");
        press("↩️ Вернуться к генерации");
        press("✖ Отмена");

        section("Бесплатная генерация");
        step("/menu", h.command(U, "menu"));
        press("🆓 Бесплатные модели");
        press("Картинка img/m1");
        press("▶️ Начать");
        say("маяк на закате");
        press("1:1");
        press("✅ Сгенерировать");
        work("нейросеть приняла задачу");
        h.provider.succeed("task-3", "https://kie.example/result/lighthouse.png");
        h.clock.advance(Duration.ofSeconds(5));
        work("нейросеть закончила");

        section("Возвращение");
        // a user who has made something is greeted by his last result, its «again» and «send» under it
        step("/start", h.command(U, "start"));

        section("Озвучка и повтор");
        step("/menu", h.command(U, "menu"));
        press("🎙 Озвучка и аудио");
        press("Голос");
        press("▶️ Начать");
        step("/balance", h.command(U, "balance"));
        press("↩️ Вернуться к генерации");
        // no space at the end: the bot trims one before it counts, and the step must say what the bot counts
        String tooLong = "слово ".repeat(200).strip() + ".";
        step("текст: «слово слово …» (" + tooLong.length() + " символов)", h.text(U, tooLong));
        press("✖ Отмена");

        section("Деньги");
        step("/balance", h.command(U, "balance"));
        press("📒 Выписка");
        step("/topup", h.command(U, "topup")); // the terms were accepted at the video's shortfall
        press("за 100\u00A0⭐");
        payInvoice();
        step("/history", h.command(U, "history"));

        section("Приглашение друга");
        h.stores.users().setInviteCode(U, "tour2026"); // the code is random: the tour's is fixed, so it reads the same
        step("/invite", h.command(U, "invite"));
        String link = ReferralLink.parameter("tour2026");
        step("/start " + link + " (открыл бота по ссылке)", h.send(FRIEND, new Event.Command("start", link)), FRIEND_WHO);
        step("/topup", h.command(FRIEND, "topup"), FRIEND_WHO);
        // his buttons pressed as a fresh message's: the tour follows the user's messages, not the friend's
        step("[Кнопка: ✅ Принимаю]", h.send(FRIEND, new Event.Callback("query-f1", "*|y", Optional.empty())),
                FRIEND_WHO);
        step("[Кнопка: 75 ₽ за 50 ⭐]", h.send(FRIEND, new Event.Callback("query-f2", "*|t|50", Optional.empty())),
                FRIEND_WHO);
        step("оплата счёта в Telegram (50 ⭐)", h.send(FRIEND, new Event.SuccessfulPayment("charge-friend",
                lastInvoice.payload(), "XTR", 50)), FRIEND_WHO);

        section("Помощь и настройки");
        step("/help", h.command(U, "help"));
        step("/status", h.command(U, "status"));
        step("/language", h.command(U, "language"));
        press("Русский");
        step("/paysupport", h.command(U, "paysupport"));
        say("Оплатил 100 звёзд, а баланс не пополнился");

        section("Всё остальное");
        pressStale();
        say("привет");
        step("/foo", h.command(U, "foo"));
        step("стикер", h.send(U, new Event.Unknown("sticker")));

        section("Администратор");
        step("/start", h.command(ADMIN, "start"), "👤 администратор: ");
        try {
            h.shop.upkeep().readCredits(); // the upkeep's read, every 10 minutes: /admin shows the last one
        } catch (dev.kiebot.core.jobs.ProviderException e) {
            throw new AssertionError(e);
        }
        step("/admin", h.command(ADMIN, "admin"), "👤 администратор: ");
        step("/find gen_2", h.send(ADMIN, new Event.Command("find", "gen_2")), "👤 администратор: ");
        // a typo seen before anything moves, then the amount meant
        step("/topup_user " + U + " 50000", h.send(ADMIN, new Event.Command("topup_user", U + " 50000")),
                "👤 администратор: ");
        press(ADMIN, "Отмена", "👤 администратор: ");
        step("/topup_user " + U + " 500", h.send(ADMIN, new Event.Command("topup_user", U + " 500")),
                "👤 администратор: ");
        press(ADMIN, "Начислить", "👤 администратор: ");
        String ticket = Long.toString(h.stores.supportTickets().recent(U, 1).get(0).id());
        String answer = ticket + " Проверили: платёж дошёл, деньги уже на балансе. Спасибо, что написали!";
        step("/reply " + answer, h.send(ADMIN, new Event.Command("reply", answer)), "👤 администратор: ");
        step("/ban " + U + " реклама в обращениях", h.send(ADMIN, new Event.Command("ban", U + " реклама в обращениях")),
                "👤 администратор: ");
        step("/menu", h.command(U, "menu"));
        step("/unban " + U, h.send(ADMIN, new Event.Command("unban", Long.toString(U))), "👤 администратор: ");
        step("/pause img/m9", h.send(ADMIN, new Event.Command("pause", "img/m9")), "👤 администратор: ");
        step("/menu", h.command(U, "menu"));
        press("🖼 Картинки");
        press("Стр. 2 ➡");
        press("Картинка img/m9");
        step("/resume img/m9", h.send(ADMIN, new Event.Command("resume", "img/m9")), "👤 администратор: ");
        return doc.toString();
    }

    // --- the user's actions -------------------------------------------------------------------------------

    private void say(String text) {
        step("текст: " + text, h.text(U, text));
    }

    /** Presses the button labelled {@code label} on the newest message that has one. */
    private void press(String label) {
        press(U, label, "👤 ");
    }

    /** {@code who} (the user, the admin) presses the button labelled {@code label} on the newest message with one. */
    private void press(long who, String label, String prefix) {
        if (!pressed(who, label, prefix)) {
            System.out.println(doc);
            throw new AssertionError("no button '" + label + "' on any message of the tour so far (the tour up to "
                    + "here is printed to the test's output)");
        }
    }

    private boolean pressed(long who, String label, String prefix) {
        for (int i = order.size() - 1; i >= 0; i--) {
            long id = order.get(i);
            for (Button b : keyboards.getOrDefault(id, Keyboard.NONE).buttons()) {
                if (b.text().contains(label) && b.data().isPresent()) {
                    step("[Кнопка: " + b.text() + "]", h.send(who,
                            new Event.Callback("query-" + ++queries, b.data().get(), Optional.of(id))), prefix);
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Presses {@code label} again under the newest message that has it, a few seconds after the first press (past the
     * repeated-press window, on a slow network): that message is an older one by then.
     */
    private void pressAgain(String label) {
        for (int i = order.size() - 1; i >= 0; i--) {
            long id = order.get(i);
            for (Button b : keyboards.getOrDefault(id, Keyboard.NONE).buttons()) {
                if (b.text().contains(label) && b.data().isPresent()) {
                    step("[Кнопка: " + b.text() + "] ещё раз, под сообщением №" + numbers.get(id), h.send(U,
                            new Event.Callback("query-" + ++queries, b.data().get(), Optional.of(id))));
                    return;
                }
            }
        }
        throw new AssertionError("no button '" + label + "' to press again");
    }

    /** Presses the first confirmation's button again, long after its generation started. */
    private void pressStale() {
        long first = order.stream().filter(id -> keyboards.get(id).buttons().stream()
                .anyMatch(b -> b.text().startsWith("✅ Сгенерировать"))).findFirst().orElseThrow();
        Button b = keyboards.get(first).buttons().get(0);
        step("[Кнопка: " + b.text() + "] под старым сообщением №" + numbers.get(first),
                h.send(U, new Event.Callback("query-" + ++queries, b.data().get(), Optional.of(first))));
    }

    /** Telegram asks whether the newest invoice may be paid, then reports it paid. */
    private void payInvoice() {
        Reply.SendInvoice invoice = lastInvoice;
        List<Reply> out = new ArrayList<>(h.send(U, new Event.PreCheckout("pre-1", invoice.payload(), "XTR",
                invoice.stars())));
        out.addAll(h.send(U, new Event.SuccessfulPayment("charge-1", invoice.payload(), "XTR", invoice.stars())));
        step("оплата счёта в Telegram (" + invoice.stars() + " ⭐)", out);
    }

    private Reply.SendInvoice lastInvoice;

    /** One pass of the job worker after {@code what} happened at the provider. */
    private void work(String what) {
        h.messenger.drain();
        h.work(10);
        step("⚙️ " + what, h.messenger.drain(), "");
    }

    // --- rendering ----------------------------------------------------------------------------------------

    private void section(String title) {
        doc.append("\n## ").append(title).append('\n');
    }

    private void step(String action, List<Reply> got) {
        step(action, got, "👤 ");
    }

    private void step(String action, List<Reply> got, String who) {
        doc.append("\n### ").append(++steps).append(". ").append(who).append(action).append("\n\n");
        boolean any = false;
        for (Reply r : got) {
            long telegramId = 101L + replies++;
            any |= render(r, telegramId);
        }
        if (!any) {
            doc.append("(бот ничего не показал)\n");
        }
    }

    private boolean render(Reply r, long telegramId) {
        String to = r.chatId() == U ? "" : " (в чат " + (r.chatId() == ADMIN ? "администратора"
                : r.chatId() == FRIEND ? "друга" : r.chatId()) + ")";
        if (r instanceof Reply.SendText t) {
            block("💬 новое сообщение №" + remember(telegramId, t.keyboard()) + to, t.text(), t.keyboard());
        } else if (r instanceof Reply.EditText e) {
            Integer n = numbers.get(e.messageId());
            if (n == null) {
                throw new AssertionError("an edit of a message the tour never saw: " + e);
            }
            keyboards.put(e.messageId(), e.keyboard());
            // the recording messenger answers an edit with an id of its own, which the shop may keep as the
            // message's (a job's status message): it names the same message
            numbers.put(telegramId, n);
            keyboards.put(telegramId, e.keyboard());
            block("✏️ правка сообщения №" + n + to, e.text(), e.keyboard());
        } else if (r instanceof Reply.AnswerCallback a) {
            if (a.text().isEmpty()) {
                return false;
            }
            doc.append(a.alert() ? "🔔 окно: " : "🔔 ").append(a.text().get()).append("\n\n");
        } else if (r instanceof Reply.SendMedia m) {
            block("💬 новое сообщение №" + remember(telegramId, m.keyboard()) + to + ": "
                    + kind(m.kind()) + " " + m.source(), m.caption(), m.keyboard());
        } else if (r instanceof Reply.UploadMedia u) {
            block("💬 новое сообщение №" + remember(telegramId, u.keyboard()) + to + ": " + kind(u.kind()) + " " + u.fileName(),
                    u.caption(), u.keyboard());
        } else if (r instanceof Reply.SendInvoice i) {
            lastInvoice = i;
            remember(telegramId, Keyboard.NONE);
            doc.append("💬 счёт №").append(numbers.get(telegramId)).append(to).append(": «").append(i.title())
                    .append("» — ").append(i.description()).append(" · [Заплатить ⭐ ").append(i.stars())
                    .append("]\n\n");
        } else if (r instanceof Reply.AnswerPreCheckout p) {
            doc.append(p.ok() ? "✔️ Telegram: счёт можно оплатить\n\n" : "⛔ Telegram: " + p.error().orElse("") + "\n\n");
        } else {
            return false; // ChatAction: «печатает…» for a moment
        }
        return true;
    }

    private static String kind(dev.kiebot.core.jobs.MediaKind kind) {
        return switch (kind) {
            case PHOTO -> "фото";
            case VIDEO -> "видео";
            case AUDIO -> "аудио";
            case DOCUMENT -> "файл";
        };
    }

    private int remember(long telegramId, Keyboard keyboard) {
        numbers.put(telegramId, ++messages);
        keyboards.put(telegramId, keyboard);
        order.add(telegramId);
        return numbers.get(telegramId);
    }

    private void block(String head, String text, Keyboard keyboard) {
        doc.append(head).append(":\n\n```text\n").append(text.strip()).append('\n');
        shown.add(keyboard);
        if (!keyboard.isEmpty()) {
            doc.append('\n');
            for (List<Button> row : keyboard.rows()) {
                doc.append(row.stream().map(b -> "[" + b.text() + (b.url().isPresent() ? " ↗" : "") + "]")
                        .collect(Collectors.joining(" "))).append('\n');
            }
        }
        doc.append("```\n\n");
    }

    // --- the document -------------------------------------------------------------------------------------

    /** The checkout's root: the nearest directory up from the working directory with the reactor's pom. */
    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("core-testing"))
                    && Files.isDirectory(p.resolve("core"))) {
                return p;
            }
        }
        throw new AssertionError("no kiebot checkout above " + Path.of("").toAbsolutePath());
    }

    private static String lineOf(String text, int line) {
        String[] lines = text.split("\n", -1);
        return line <= lines.length ? lines[line - 1] : "(the end)";
    }

    private static int firstDifferentLine(String a, String b) {
        String[] x = a.split("\n", -1);
        String[] y = b.split("\n", -1);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (!x[i].equals(y[i])) {
                return i + 1;
            }
        }
        return Math.min(x.length, y.length) + 1;
    }
}
