package dev.kiebot.kie.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.conversation.ChatState;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Walks the questions of every model of the shipped catalog in Russian and in English, answering each one,
 * up to the confirmation, and fails on any Kie field name a person would see: a question, hint, button or
 * confirmation line that is a field name, or holds one written with {@code _} or in camelCase (also spelt with
 * spaces, like «aspect ratio»), or — in Russian — any field name as a word; and on any button a raw value of Kie's
 * ({@code true}, {@code landscape_16_9}, {@code TURBO}, {@code 512P}, {@code 4k}, a voice id).
 */
class QuestionsInWordsTest {
    private static final long USER = 77;
    private static final Pattern CAMEL = Pattern.compile("[a-z][A-Z]");
    /** A value as Kie spells it: a boolean, snake_case, camelCase, an upper-case name, a P or k resolution, an id. */
    private static final Pattern RAW_VALUE = Pattern.compile("true|false|\\w+_\\w+|[a-z]+[A-Z]\\w*|[A-Z]{3,}"
            + "|\\d+P|\\d+k|(?=\\w*\\d)(?=\\w*[A-Za-z])\\w{12,}");
    /** What a choice button adds to the value's label: the default's tick and the price. */
    private static final Pattern TICK_AND_PRICE = Pattern.compile("^✓ | · [^·]+$");
    private final Catalog catalog = KieCatalog.fromClasspath();
    private final Set<String> fieldNames = catalog.models().stream().flatMap(m -> m.fields().stream())
            .map(InputField::name).collect(Collectors.toCollection(TreeSet::new));

    @Test
    void everyQuestionOfEveryModelIsInWordsInRussianAndEnglish() {
        int screens = 0;
        for (String lang : List.of("ru", "en")) {
            for (Model m : catalog.models()) {
                screens += walk(m, lang);
            }
        }
        // every asked field of every model was shown, plus a confirmation per model and language
        long asked = catalog.models().stream().mapToLong(m -> m.askedFields().size()).sum();
        assertThat(screens).isGreaterThanOrEqualTo((int) (2 * (asked + catalog.size())));
    }

    /** @return the screens seen */
    private int walk(Model m, String lang) {
        ShopHarness h = new ShopHarness(catalog, ShopSettings.defaults()).speaking(lang);
        h.command(USER, "start");
        List<Reply> replies = h.press(USER, "*|g|" + m.id());
        int seen = 0;
        for (int step = 0; step < 20; step++) {
            String where = m.id() + " (" + lang + ") step " + step;
            String title = m.title(lang);
            check(where, replies, title, lang);
            seen++;
            if (!(h.session(USER).state() instanceof ChatState.Collecting c)) {
                assertThat(h.session(USER).state()).as(where).isInstanceOf(ChatState.Confirming.class);
                return seen;
            }
            InputField f = m.askedFields().get(c.field());
            assertThat(ShopHarness.lastText(replies)).as(where + " shows the label of " + f.name())
                    .contains(f.labels().label(lang)).contains(f.labels().hint(lang));
            replies = QuestionAnswers.answer(h, USER, f, replies, lang);
        }
        throw new AssertionError(m.id() + " did not reach the confirmation");
    }


    private void check(String where, List<Reply> replies, String title, String lang) {
        List<String> shown = new ArrayList<>();
        for (String line : ShopHarness.lastText(replies).split("\n")) {
            shown.add(line.replace(title, ""));
        }
        for (Button b : QuestionAnswers.keyboard(replies).buttons()) {
            shown.add(b.text());
            String value = TICK_AND_PRICE.matcher(b.text()).replaceAll("");
            assertThat(RAW_VALUE.matcher(value).matches()).as(where + ": the button «" + b.text()
                    + "» shows a raw value").isFalse();
        }
        for (String s : shown) {
            for (String name : fieldNames) {
                assertThat(isRawId(s, name, lang)).as(where + ": «" + s + "» shows the field name " + name).isFalse();
            }
        }
    }

    private static boolean isRawId(String shown, String name, String lang) {
        String text = shown.toLowerCase(Locale.ROOT);
        String lower = name.toLowerCase(Locale.ROOT);
        if (text.strip().equals(lower) || text.strip().replaceFirst("^✓ ", "").equals(lower)) {
            return true;
        }
        boolean compound = name.contains("_") || CAMEL.matcher(name).find();
        if (compound && (text.contains(lower) || text.contains(lower.replace('_', ' '))
                || text.contains(name.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT)))) {
            return true;
        }
        return "ru".equals(lang) && Pattern.compile("(?<![\\p{L}\\d])" + Pattern.quote(lower) + "(?![\\p{L}\\d])")
                .matcher(text).find();
    }
}
