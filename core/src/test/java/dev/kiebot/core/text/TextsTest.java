package dev.kiebot.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.jobs.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TextsTest {
    private final Texts texts = new Texts();

    private Set<String> keys(String lang) {
        return new HashSet<>(Collections.list(texts.bundle(lang).getKeys()));
    }

    /**
     * A shop on another AI service names it wherever the texts name Kie (admins' alerts, /find, the dashboard), and
     * nothing else changes: values are left as given.
     */
    @Test
    void anotherProvidersNameReplacesKieEverywhere() {
        Texts replicate = new Texts("Replicate");
        for (String lang : Texts.LANGUAGES) {
            for (Msg m : Msg.values()) {
                assertThat(replicate.get(lang, m)).as(lang + " " + m).doesNotContain("Kie");
                if (texts.get(lang, m).contains("Kie")) {
                    assertThat(replicate.get(lang, m)).contains("Replicate");
                }
            }
        }
        assertThat(replicate.get("ru", Msg.DASHBOARD_CREDITS, "12")).isEqualTo("🤖 Кредиты Replicate: 12");
        assertThat(replicate.get("ru", Msg.FIND_JOB_DETAIL, "a", "b", "Kie-task-1", "c")).contains("Kie-task-1");
        assertThat(new Texts().get("ru", Msg.DASHBOARD_CREDITS, "12")).isEqualTo("🤖 Кредиты Kie: 12");
        for (String bad : new String[] {"", "  ", "Two\nlines", "x".repeat(41), "A{0}"}) {
            assertThatThrownBy(() -> new Texts(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * An emoji is written one way in every text of both languages: «↩️ Refund» with the variation selector (U+FE0F)
     * and «↩ Back to my generation» without it drew the same sign as a colour picture in one button and a black glyph
     * in the next on some phones, and a button pressed by its text (a test, a partner's script) matched one form only.
     * A sign written with the selector anywhere is written with it everywhere.
     */
    @Test
    void anEmojiIsWrittenOneWayInEveryText() {
        Map<String, String> all = new LinkedHashMap<>();
        for (String lang : Texts.LANGUAGES) {
            for (String key : keys(lang)) {
                all.put(lang + " " + key, texts.bundle(lang).getString(key));
            }
        }
        Set<Integer> selected = new TreeSet<>();
        for (String text : all.values()) {
            int[] cps = text.codePoints().toArray();
            for (int i = 0; i + 1 < cps.length; i++) {
                if (cps[i + 1] == 0xFE0F) {
                    selected.add(cps[i]);
                }
            }
        }
        List<String> bare = new ArrayList<>();
        all.forEach((where, text) -> {
            int[] cps = text.codePoints().toArray();
            for (int i = 0; i < cps.length; i++) {
                if (selected.contains(cps[i]) && (i + 1 == cps.length || cps[i + 1] != 0xFE0F)) {
                    bare.add(where + ": " + Character.toString(cps[i]) + " without U+FE0F");
                }
            }
        });
        assertThat(bare).isEmpty();
    }

    @Test
    void bothLanguagesHaveTheSameKeys() {
        assertThat(keys("ru")).isEqualTo(keys("en"));
    }

    @Test
    void everyMsgAndEveryErrorKeyExistsAndNothingIsUnused() {
        Set<String> used = Arrays.stream(Msg.values()).map(Msg::key).collect(Collectors.toSet());
        Arrays.stream(ErrorKind.values()).map(ErrorKind::messageKey).forEach(used::add);
        assertThat(keys("en")).containsAll(used);
        assertThat(used).containsAll(keys("en"));
    }

    /** Keys that travel as strings in main code ("input.too_long", "job.cancelled", ...) must exist. */
    @Test
    void everyQuotedKeyInMainCodeExists() throws IOException {
        Pattern quoted = Pattern.compile("\"((?:error|input|job|free|insufficient)\\.[a-z_]+)\"");
        Set<String> found = new HashSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = quoted.matcher(Files.readString(p));
                while (m.find()) {
                    found.add(m.group(1));
                }
            }
        }
        assertThat(found).isNotEmpty();
        assertThat(keys("en")).containsAll(found);
        assertThat(keys("ru")).containsAll(found);
    }

    /**
     * What Russian admins and users read has no developer words: Latin only in commands, generation numbers (gen_12)
     * and the names of Telegram and Kie; no transliterated jargon either («смоук-тест», «тикет», «холд»).
     */
    @Test
    void theRussianTextsSpeakRussian() {
        // names (BotFather: Telegram's bot that issues tokens), and the file formats a user picks when saving a recording («MP3» is read as «MP») or a picture
        // (an id is «ID» everywhere an admin reads one, never «id»)
        Set<String> names = Set.of("Telegram", "BotFather", "Kie", "ID", "MP", "WAV", "OGG", "JPEG", "PNG", "WEBP");
        // and no calques of English phrases («on our side»)
        Pattern jargon = Pattern.compile("(?iu)смоук|тикет|юзер|апдейт|дашборд|инвойс|леджер|холд|чардж|фейл"
                + "|на нашей стороне");
        for (String key : keys("ru")) {
            String text = texts.bundle("ru").getString(key);
            assertThat(text).as(key).doesNotContainPattern(jargon);
            Matcher latin = Pattern.compile("[A-Za-z][A-Za-z_]*").matcher(
                    text.replaceAll("/[a-z_]+", "").replaceAll("gen_(\\d+|…)", ""));
            while (latin.find()) {
                assertThat(latin.group()).as(key).isIn(names);
            }
        }
    }

    /**
     * A number and its unit parted by a breaking space: «1000 символов», «5 с», «150 ₽»; after a placeholder only a
     * unit no value ends with («{0} мин.»), as «{0} пользователю» is a payment's number before a word. «с» is a unit
     * (seconds) only where no word follows it («5 с.», «5 с», «5 с · …»): before a word or a placeholder it is the
     * preposition («{0} с фото», «42 с балансом»), which may break the line.
     */
    private static final Pattern LOOSE_UNIT;

    static {
        String seconds = "с(?![ \\u00A0]+[\\p{L}{])";
        String word = "(?:символ\\p{L}*|секунд\\p{L}*|минут\\p{L}*|час(?:а|ов)?|дн(?:я|ей)|день|генерац\\p{L}*"
                + "|пользовател\\p{L}*|файл\\p{L}*|фото|видео|байт\\p{L}*|раза?|звёзд\\p{L}*|мин|сек|" + seconds
                + "|ч|МБ|КБ|₽|⭐|%|\\$)";
        String unit = "(?:мин|сек|" + seconds + "|ч|МБ|КБ|байт\\p{L}*|₽|⭐|%|\\$)";
        LOOSE_UNIT = Pattern.compile("\\d " + word + "(?!\\p{L})|\\{\\d{1,2}} " + unit + "(?!\\p{L})");
    }

    @Test
    void theLooseUnitRuleTellsSecondsFromThePreposition() {
        assertThat(List.of("ждите 5 с.", "ждите 5 с", "5 с · 1 000 символов", "через {0} с, затем", "{0} с\nдальше",
                "150 ₽", "{0} мин."))
                .as("a unit parted from its number").allMatch(t -> LOOSE_UNIT.matcher(t).find());
        assertThat(List.of("{0} с фото", "42 с балансом", "{0} с {1}", "5\u00A0с.", "{0} пользователю"))
                .as("the preposition, a no-break space, a word after a placeholder")
                .noneMatch(t -> LOOSE_UNIT.matcher(t).find());
    }

    /**
     * Russian typography, as a Russian copy editor reads every screen: quotes are «ёлочки», a dash is « — » (never a
     * hyphen between spaces), «…» is one character, a number and its unit stay on one line (a no-break space, or a
     * counted placeholder: «4096 символов» and «{0} мин.» broke before their word), «вы» is lower-case and the bot never
     * says «ты» (but for the line a user forwards to his friend), and words a Russian product writes with «ё» are never
     * written with «е».
     */
    @Test
    void theRussianTextsFollowRussianTypography() {
        Map<String, Pattern> rules = new LinkedHashMap<>();
        rules.put("a straight quote: «ёлочки»", Pattern.compile("[\"„“”]"));
        rules.put("a hyphen or two for a dash: « — »", Pattern.compile(" -{1,2} |--"));
        rules.put("three dots: «…»", Pattern.compile("\\.\\.\\."));
        rules.put("a number parted from its unit by a breaking space", LOOSE_UNIT);
        rules.put("«Вы» capitalised mid-sentence", Pattern.compile("(?<=[\\p{Ll},;:] )(?:Вы|Вас|Вам|Ваш\\p{L}*)\\b"));
        rules.put("«ты»: the bot says «вы»", Pattern.compile("(?iu)(?<!\\p{L})(?:ты|тебя|тебе|тобой|тво[йеяиёю]\\p{L}*)"
                + "(?!\\p{L})"));
        // only forms that are never written with «е» («счетами», «звезды» of one star are)
        rules.put("«е» for «ё»", Pattern.compile("(?iu)(?<!\\p{L})(?:еще|ее|счет|учет\\p{L}*|пришел|нашел|отчет\\p{L}*"
                + "|звезд(?:ами|ам|ах)?|четк\\p{L}*)(?!\\p{L})"));
        // the one line in the friend's «ты»: a user's own words to his friend, forwarded as they are
        Set<String> toAFriend = Set.of(Msg.INVITE_SHARE_TEXT.key());
        List<String> wrong = new ArrayList<>();
        for (String key : new TreeSet<>(keys("ru"))) {
            String text = texts.bundle("ru").getString(key);
            rules.forEach((rule, pattern) -> {
                if (rule.startsWith("«ты»") && toAFriend.contains(key)) {
                    return;
                }
                Matcher m = pattern.matcher(text);
                if (m.find()) {
                    wrong.add(key + ": " + rule + " («" + m.group() + "»)");
                }
            });
        }
        assertThat(wrong).isEmpty();
    }

    /**
     * A sentence says its unit once: «1200 символов, а можно не больше 1000 символов» said «символов» twice where a
     * Russian writer says «…а можно не больше 1000». Two counted placeholders of one word in a sentence are refused;
     * the second number stands plain (grouped as a count is all the same).
     */
    @Test
    void aSentenceSaysItsUnitOnce() {
        Pattern counted = Pattern.compile("\\{\\d{1,2}\\|(?:[^{}|]*\\|)*([^{}|]*)}");
        List<String> twice = new ArrayList<>();
        for (String key : new TreeSet<>(keys("ru"))) {
            for (String sentence : texts.bundle("ru").getString(key).split("(?<=[.!?…])\\s+|\n")) {
                Set<String> units = new HashSet<>();
                Matcher m = counted.matcher(sentence);
                while (m.find()) {
                    String word = m.group(1).strip().split("\\s+")[0]; // the many form's word: «символов»
                    String stem = word.substring(0, Math.min(5, word.length()));
                    if (word.codePoints().anyMatch(Character::isLetter) && !units.add(stem)) {
                        twice.add(key + ": «" + word + "» twice in «" + sentence + "»");
                    }
                }
            }
        }
        assertThat(twice).isEmpty();
    }

    /** A name or a text a person typed is shown as typed, even when it looks like a placeholder. */
    @Test
    void aValueThatLooksLikeAPlaceholderIsNotReplacedAgain() {
        assertThat(texts.get("ru", Msg.WELCOME_BACK, "{1}", "5,00 ₽")).isEqualTo("С возвращением, {1}! Баланс: 5,00 ₽.");
        assertThat(texts.get("en", Msg.MANUAL_ADMIN, "#7", "{4} {6}", 42, "10.00 ₽", "K7Q", "—", "paid"))
                .contains("User: {4} {6} (id 42)", "Reference: K7Q");
    }

    /**
     * A verb after a counted subject agrees with the count, so the verb is in the counted forms: «1 символ не вошёл»,
     * «21 новый пользователь получил», never «1 символ не вошли».
     */
    @Test
    void aVerbAfterACountAgreesWithIt() {
        assertThat(texts.get("ru", Msg.LONG_TICKET_CUT, 1, 3000)).contains("Ещё 1\u00A0символ в него не вошёл.");
        assertThat(texts.get("ru", Msg.LONG_TICKET_CUT, 2, 3000)).contains("Ещё 2\u00A0символа в него не вошли.");
        assertThat(texts.get("ru", Msg.ADMIN_ALERT_MODEL_UNANSWERED, "Клинг", 21, "gen_7", "kling"))
                .contains("21\u00A0генерация подряд не удалась у Kie или осталась без ответа;")
                .doesNotContain("нейросети");
        // «завершились ошибкой нейросети» was a log's words: the failures are Kie's, and said as one says them
        assertThat(texts.get("ru", Msg.ADMIN_ALERT_MODEL_FAILING, "Клинг", 5, "gen_7", "kling"))
                .startsWith("⚠️ «Клинг»: 5\u00A0генераций подряд не удались у Kie, последняя — gen_7.")
                .doesNotContain("ошибкой");
        assertThat(texts.get("ru", Msg.ADMIN_ALERT_WELCOME_TOTAL, 21, "1\u00A0050 ₽"))
                .contains("закончились: 21\u00A0новый пользователь получил бонус на 1\u00A0050 ₽ — это дневной лимит.");
        assertThat(texts.get("ru", Msg.ADMIN_ALERT_WELCOME_TOTAL, 3, "150 ₽"))
                .contains("закончились: 3\u00A0новых пользователя получили бонусы на 150 ₽");
        // a count a text cannot agree with (a broadcast's tallies, a chart's total) stands after a colon, as a label's
        assertThat(texts.get("ru", Msg.ADMIN_BROADCAST_CONFIRM, "№\u00A01", 4, "1", "Новости"))
                .startsWith("Рассылка №\u00A01 уйдёт 4\u00A0пользователям; пропущено (заблокировали бота или им "
                        + "закрыт доступ): 1.");
        assertThat(texts.get("ru", Msg.ADMIN_BROADCAST_DONE, "№\u00A01", "3", "4", "1", "1", "1", ""))
                .isEqualTo("✅ Рассылка №\u00A01 завершена: отправлено 3 из 4; заблокировали бота: 1; ошибок: 1; "
                        + "пропущено (ещё до рассылки заблокировали бота или им закрыт доступ): 1.");
        assertThat(texts.get("ru", Msg.ADMIN_BROADCAST_DONE, "№\u00A01", "3", "18", "1", "0", "1",
                texts.get("ru", Msg.ADMIN_BROADCAST_ABANDONED, "14")))
                .isEqualTo("✅ Рассылка №\u00A01 завершена: отправлено 3 из 18; заблокировали бота: 1; ошибок: 0; "
                        + "прервано перезапуском бота: 14; пропущено (ещё до рассылки заблокировали бота или им "
                        + "закрыт доступ): 1.");
        // «Ещё не закончились: 1 генерация, их тексты…» agreed with nothing: the count after a colon
        assertThat(texts.get("ru", Msg.ADMIN_FORGOTTEN_UNDER_WAY, "1", "42")).isEqualTo("⏳ Ещё идут генерации: 1; "
                + "их тексты и файлы пока сохранены. Когда закончатся, повторите /forget 42.");
        assertThat(texts.get("ru", Msg.CHART_CAPTION, 30, "2,97 ₽", "1"))
                .isEqualTo("📈 За 30\u00A0дней: списано за генерации 2,97 ₽, всего генераций: 1.");
    }

    /**
     * A job's state, said of «генерация» on the user's screens, agrees with it as the admins' words do: «создано» and
     * «не запущено» did not (a review's finding). «готово» stands as the word on its own.
     */
    @Test
    void aGenerationsStateAgreesWithTheWordGeneration() {
        assertThat(texts.get("ru", Msg.STATE_CREATED)).isEqualTo("создана");
        assertThat(texts.get("ru", Msg.STATE_NOT_STARTED)).startsWith("не запущена — ");
        assertThat(texts.get("ru", Msg.ADMIN_JOB_STATE_CREATED)).startsWith("создана");
    }

    /**
     * A number in a plain placeholder is written as a counted one's is: «в ответе 20 001 символ, а можно не больше
     * 20000» mixed the two on one line. An id the reader types back ({@code /unban 1234567}) is given as text, and
     * stays as typed.
     */
    @Test
    void aNumberInAPlainPlaceholderIsGroupedAsACountIs() {
        assertThat(texts.get("ru", Msg.MODEL_FREE_LEFT, 20_000)).isEqualTo("Сегодня осталось: 20\u00A0000.");
        assertThat(texts.get("ru", Msg.TICKET_ANSWER_TOO_LONG, 20_001, 20_000L))
                .isEqualTo("в ответе 20\u00A0001\u00A0символ, а можно не больше 20\u00A0000");
        assertThat(texts.get("ru", Msg.BROWSE_PAGE, 2, 1200)).as("four digits stay whole, as a count's do")
                .isEqualTo("Страница 2 из 1200.");
        assertThat(texts.get("en", Msg.MODEL_FREE_LEFT, 20_000)).isEqualTo("Left today: 20,000.");
        assertThat(texts.get("ru", Msg.ADMIN_BAN_ALREADY, "1234567", "21.11.26 13:00"))
                .isEqualTo("ℹ️ Пользователю с ID 1234567 доступ закрыт с 21.11.26 13:00. Ничего не изменено; чтобы "
                        + "сменить причину, сначала /unban 1234567.");
    }

    @Test
    void placeholdersAreReplacedLiterallyAndApostrophesSurvive() {
        assertThat(texts.get("en", Msg.INPUT_TOO_LONG, 5000, 1000)).isEqualTo(
                "The text is too long: 5000\u00A0characters, and the limit is 1000\u00A0characters. Please shorten it and send it again.");
        assertThat(texts.get("ru", Msg.BALANCE, "1.00 ₽")).isEqualTo("💰 Баланс: 1.00 ₽");
        assertThat(texts.get("en", "no.such.key")).isEqualTo("no.such.key");
    }
    /**
     * When the free allowance's new day starts: Russian on Moscow's clock, which every Russian reader knows (a shop in
     * another zone by the hour its midnight strikes in Moscow, minutes kept); English by the zone's offset that day.
     */
    @Test
    void theNewDayIsSaidOnMoscowsClockInRussianAndByTheZonesOffsetInEnglish() {
        Instant winter = Instant.parse("2026-01-15T12:00:00Z");
        Instant summer = Instant.parse("2026-07-15T12:00:00Z");
        assertThat(texts.newDay("ru", ZoneId.of("Europe/Moscow"), winter)).isEqualTo("в полночь по московскому времени");
        assertThat(texts.newDay("en", ZoneId.of("Europe/Moscow"), winter)).isEqualTo("at midnight Moscow time");
        assertThat(texts.newDay("ru", ZoneId.of("Asia/Yekaterinburg"), winter)).isEqualTo("в 22:00 по московскому времени");
        assertThat(texts.newDay("ru", ZoneId.of("Asia/Kolkata"), summer)).isEqualTo("в 21:30 по московскому времени");
        assertThat(texts.newDay("ru", ZoneId.of("UTC"), winter)).isEqualTo("в 03:00 по московскому времени");
        assertThat(texts.newDay("ru", ZoneId.of("Europe/Minsk"), winter)).isEqualTo("в полночь по московскому времени");
        assertThat(texts.newDay("ru", ZoneId.of("America/St_Johns"), winter)).isEqualTo("в 06:30 по московскому времени");
        // a zone with summer time: its midnight moves on Moscow's clock with the season
        assertThat(texts.newDay("ru", ZoneId.of("Europe/Berlin"), winter)).isEqualTo("в 02:00 по московскому времени");
        assertThat(texts.newDay("ru", ZoneId.of("Europe/Berlin"), summer)).isEqualTo("в 01:00 по московскому времени");
        assertThat(texts.newDay("en", ZoneId.of("Asia/Yekaterinburg"), winter)).isEqualTo("at midnight UTC+5");
        assertThat(texts.newDay("en", ZoneId.of("UTC"), winter)).isEqualTo("at midnight UTC");
        assertThat(texts.newDay("en", ZoneId.of("America/St_Johns"), winter)).isEqualTo("at midnight UTC\u22123:30");
        assertThat(texts.newDay("en", ZoneId.of("America/St_Johns"), summer)).isEqualTo("at midnight UTC\u22122:30");
    }

    /**
     * A failed generation's reason follows «Не получилось:» («Generation failed:»), and an admin reads it up to its
     * first sentence's end (/admin's failing models): a colon of its own read «Не получилось: файл слишком большой: эта
     * модель принимает…» and «Не получилось: нейросеть не приняла запрос: файл, описание…».
     */
    @Test
    void aFailureReasonHasNoColonOfItsOwn() {
        for (String lang : Texts.LANGUAGES) {
            for (String key : new TreeSet<>(keys(lang))) {
                if (key.startsWith("error.") && !key.equals(Msg.ERROR_INTERNAL.key())) {
                    assertThat(texts.get(lang, key)).as(lang + " " + key).doesNotContain(":");
                }
            }
        }
    }
}
