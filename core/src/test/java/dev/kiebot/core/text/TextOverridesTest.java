package dev.kiebot.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.jobs.ErrorKind;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** A shop's own texts in place of the bundles': each one checked against the text it replaces. */
class TextOverridesTest {
    private final Texts bundled = new Texts();

    @Test
    void anOverrideReplacesItsTextInItsLanguageOnly() {
        Texts own = bundled.with(TextOverrides.builder()
                .text("ru", Msg.TERMS, "📄 Условия. Продавец: ИП Иванов И. И., ИНН 123456789012").build());
        assertThat(own.get("ru", Msg.TERMS)).isEqualTo("📄 Условия. Продавец: ИП Иванов И. И., ИНН 123456789012");
        assertThat(own.get("en", Msg.TERMS)).isEqualTo(bundled.get("en", Msg.TERMS));
        assertThat(own.get("ru", Msg.PRIVACY)).isEqualTo(bundled.get("ru", Msg.PRIVACY));
        // an unknown language reads as Russian, overrides and all
        assertThat(own.get("de", Msg.TERMS)).startsWith("📄 Условия. Продавец");
        // the texts it was made from are left as they were
        assertThat(bundled.get("ru", Msg.TERMS)).doesNotContain("Иванов");
        assertThat(bundled.with(TextOverrides.none()).get("ru", Msg.TERMS)).isEqualTo(bundled.get("ru", Msg.TERMS));
    }

    /**
     * Every key of the bundles is a text a user or an admin reads (TextsTest: each is a Msg's or an ErrorKind's reason,
     * and each is used), so each may be replaced: here all of them at once, in both languages, each by its own bundle's
     * text after a mark, which keeps its placeholders; the reasons a job failed for among them.
     */
    @Test
    void everyKeyOfTheBundlesMayBeReplaced() {
        TextOverrides.Builder all = TextOverrides.builder();
        int keys = 0;
        for (String lang : Texts.LANGUAGES) {
            for (String key : Collections.list(bundled.bundle(lang).getKeys())) {
                all.text(lang, key, "★ " + bundled.bundle(lang).getString(key));
                keys++;
            }
        }
        Texts own = bundled.with(all.build());
        for (String lang : Texts.LANGUAGES) {
            for (String key : Collections.list(bundled.bundle(lang).getKeys())) {
                assertThat(own.get(lang, key)).as(lang + "." + key).isEqualTo("★ " + bundled.get(lang, key));
            }
        }
        assertThat(keys).isEqualTo(2 * Msg.values().length);
        for (ErrorKind kind : ErrorKind.values()) {
            assertThat(own.get("ru", kind.messageKey())).startsWith("★ ");
        }
    }

    @Test
    void anOverrideIsFilledInAndNamesTheShopsProvider() {
        Texts own = new Texts("Replicate").with(TextOverrides.builder()
                .text("en", "welcome.back", "Hello again, {0}! Your Kie balance: {1}.").build());
        assertThat(own.get("en", Msg.WELCOME_BACK, "Ann", "50 ₽")).isEqualTo("Hello again, Ann! Your Replicate balance: 50 ₽.");
    }

    @Test
    void aCountedPlaceholdersFormsMayDifferButNotItsNumber() {
        // help.free: {0|генерация|генерации|генераций} … {1|…} … {2}
        Texts own = bundled.with(TextOverrides.builder()
                .text("ru", Msg.HELP_FREE, "Бесплатно {0|попытка|попытки|попыток} в день, моделей: {1}, новый день {2}.")
                .text("en", Msg.HELP_FREE, "Free: {0|try|tries} a day on {1|model|models}; a new day starts {2}.")
                .build());
        assertThat(own.get("ru", Msg.HELP_FREE, 5, 3, "в полночь"))
                .isEqualTo("Бесплатно 5\u00a0попыток в день, моделей: 3, новый день в полночь.");
        assertThat(own.get("en", Msg.HELP_FREE, 1, 5, "at midnight"))
                .isEqualTo("Free: 1\u00a0try a day on 5\u00a0models; a new day starts at midnight.");
        assertThatThrownBy(() -> bundled.with(TextOverrides.builder()
                .text("ru", Msg.HELP_FREE, "Бесплатно {0|попытка|попытки} в день на {1} моделях, новый день {2}.")
                .build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ru.help.free: {0|попытка|попытки} lists 2 words")
                .hasMessageContaining("3 forms");
    }

    @Test
    void aTextThatLeavesOutAValueIsRefused() {
        // confirm.balance shows the user's balance: a text without it would mislead a paying user
        String bundle = bundled.bundle("en").getString(Msg.CONFIRM_BALANCE.key());
        assertThat(bundle).contains("{0}");
        assertThatThrownBy(() -> bundled.with(TextOverrides.builder()
                .text("en", Msg.CONFIRM_BALANCE, "Your balance is fine.").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("en.confirm.balance: leaves out {0}")
                .hasMessageContaining("write the placeholders of kiebot's text: {0}");
    }

    @Test
    void aTextWithAPlaceholderItIsNeverGivenIsRefused() {
        assertThatThrownBy(() -> bundled.with(TextOverrides.builder()
                .text("ru", Msg.TERMS, "Условия продавца {5}").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ru.terms: has {5}, which this text is never given")
                .hasMessageContaining("write the placeholders of kiebot's text: none");
        assertThatThrownBy(() -> bundled.with(TextOverrides.builder()
                .text("ru", Msg.TERMS, "Условия продавца {100}").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ru.terms: has a brace and a number that is no placeholder");
    }

    @Test
    void anUnknownKeyAnUnknownLanguageAndABlankTextAreRefusedTogether() {
        assertThatThrownBy(() -> bundled.with(TextOverrides.builder()
                .text("ru", "tems", "Условия")
                .text("de", Msg.TERMS, "Bedingungen")
                .text("en", Msg.PRIVACY, "  \n")
                .build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ru.tems: no such text; a key is one of messages_ru.properties")
                .hasMessageContaining("de.terms: no such language; the shop speaks ru, en")
                .hasMessageContaining("en.privacy: the text is blank");
    }

    /**
     * The export's column names are cut at their commas, a name above each column of every row: a text with one name
     * more or less would stand the names above the wrong columns. Names of the shop's own are taken.
     */
    @Test
    void theExportsColumnNamesAreAsManyAsItsColumns() {
        assertThat(bundled.with(TextOverrides.builder().text("ru", Msg.EXPORT_HEADER,
                "Когда,Что,Кто,Сколько,Валюта,Номер записи,Звёзды").build()).get("ru", Msg.EXPORT_HEADER))
                .isEqualTo("Когда,Что,Кто,Сколько,Валюта,Номер записи,Звёзды");
        assertThatThrownBy(() -> bundled.with(TextOverrides.builder()
                .text("ru", Msg.EXPORT_HEADER, "Дата, время,Операция,Пользователь,Сумма,Валюта,Запись,Звёзды")
                .text("en", Msg.EXPORT_HEADER, "When,What,Who,How much,Currency").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ru.export.header: names 8 columns; the export's file has 7, a name for each, "
                        + "separated by commas as kiebot's are: Дата и время,Операция,")
                .hasMessageContaining("en.export.header: names 5 columns; the export's file has 7");
    }

    @Test
    void theLaterTextForAKeyWinsAndToStringShowsKeysOnly() {
        TextOverrides o = TextOverrides.builder().text("ru", Msg.TERMS, "раз").text("ru", "terms", "два").build();
        assertThat(o.text("ru", "terms")).contains("два");
        assertThat(o.text("en", "terms")).isEmpty();
        assertThat(o).hasToString("TextOverrides[ru.terms]")
                .isEqualTo(TextOverrides.builder().text("ru", Msg.TERMS, "два").build());
        assertThat(TextOverrides.builder().build()).isSameAs(TextOverrides.none());
        assertThat(TextOverrides.none().isEmpty()).isTrue();
    }
}
