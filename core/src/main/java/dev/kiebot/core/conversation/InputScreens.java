package dev.kiebot.core.conversation;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.FreeTier;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.OptionLabel;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.catalog.Quote;
import dev.kiebot.core.catalog.SkuRef;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Plural;
import dev.kiebot.core.text.Snippet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Renders the questions of a model's inputs and the confirmation, in words a person understands: a field
 * is shown by its label and hint (never its Kie name), a value by its label where the raw value does not
 * explain itself. Render only, like {@link Screens}.
 */
final class InputScreens {
    static final int DEFAULT_TEXT_LIMIT = 4000;
    /** Options described one a line at most; more, each described, are two a line ({@link #question}). */
    static final int DESCRIBED_ONE_A_LINE_MAX = 4;
    /** The argument of the edit list's way back to the order, unchanged. */
    static final String EDIT_DONE = "-";

    private final Screens screens;
    private final Pricing pricing;
    private final FreeTier freeTier;

    InputScreens(Screens screens, Pricing pricing, FreeTier freeTier) {
        this.screens = screens;
        this.pricing = pricing;
        this.freeTier = freeTier;
    }

    private String t(String lang, Msg msg, Object... args) {
        return screens.t(lang, msg, args);
    }

    /**
     * The longest answer a text field takes: its own limit, also past what one Telegram message holds (Kie takes 20,000
     * characters for some prompts): a longer text arrives as several messages, and they are taken as one
     * ({@link LongText}).
     */
    static int textLimit(InputField f) {
        return f.maxLength().orElse(DEFAULT_TEXT_LIMIT);
    }

    /** How a chosen value reads on a button or in the confirmation. */
    String optionLabel(String lang, InputField f, String value) {
        return OptionWords.of(screens.texts(), lang, f, value);
    }

    /** A typed or default value as it reads: a number with the language's decimal mark ("0,5"), a text as it is. */
    static String shown(String lang, InputField f, String value) {
        return f.type() == FieldType.NUMBER || f.type() == FieldType.INTEGER ? Plural.decimal(lang, value) : value;
    }

    /**
     * The question for the field {@code c} points at, with its buttons; {@code prefix} says what went before.
     *
     * @param freeNow what costs this user nothing now ({@link FreeTier#freeNow}): such an option reads «бесплатно»
     */
    Screen ask(String lang, long version, Model m, ChatState.Collecting c, String prefix, Set<SkuRef> freeNow) {
        InputField f = m.askedFields().get(c.field());
        List<List<Button>> rows = new ArrayList<>();
        Optional<String> ticked = f.type().isChoice() ? ticked(m, c, f, freeNow) : Optional.empty();
        String text = question(lang, f, ticked);
        boolean given = InputCollection.answered(f, c.values(), c.files());
        boolean before = f.name().equals(c.values().get(InputCollection.FRESH)) || (given && !f.type().isMedia());
        if (f.type().isChoice()) {
            rows.addAll(options(lang, version, m, c, f, ticked, freeNow).rows());
        } else if (f.type().isArray() && given && !before) {
            rows.add(List.of(Button.callback(t(lang, Msg.BUTTON_DONE),
                    CallbackData.current(version, CallbackAction.FILES_DONE))));
        }
        if (before) {
            // asked again (a change, «Назад»): what was given stays with one press
            rows.add(List.of(Button.callback(t(lang, Msg.BUTTON_KEEP, given(lang, f, c)),
                    CallbackData.current(version, CallbackAction.KEEP))));
        }
        List<Button> last = new ArrayList<>();
        if (f.defaultValue().isPresent() && !f.type().isChoice()) {
            String value = Snippet.of(shown(lang, f, f.defaultValue().get()), 20);
            // its own row: «✓ По умолчанию: 1024» beside «◀ Назад» and «✖ Отмена» was cut on a phone
            rows.add(List.of(Button.callback(t(lang, Msg.BUTTON_DEFAULT, value),
                    CallbackData.current(version, CallbackAction.DEFAULT))));
        } else if (InputCollection.skippable(m, f)) {
            // a choice with a default has it marked among its options («✓ 1:1»): «Пропустить» beside it did the same
            // and left the user unsure whether 1:1 was used; a ✓ is what going on gives, never beside a skip
            last.add(Button.callback(t(lang, Msg.BUTTON_SKIP), CallbackData.current(version, CallbackAction.DEFAULT)));
        }
        if (c.field() > 0 || c.values().containsKey(InputCollection.EDITING)) {
            last.add(Button.callback(t(lang, Msg.MENU_BACK), CallbackData.current(version, CallbackAction.PREVIOUS_FIELD)));
        }
        last.add(Button.callback(t(lang, Msg.BUTTON_CANCEL), CallbackData.current(version, CallbackAction.CANCEL)));
        rows.add(last);
        return new Screen(prefix.isEmpty() ? text : prefix + "\n\n" + text, new Keyboard(rows));
    }

    /**
     * After a file of several: «Принято: 1 фото (можно до 3)» with the question's buttons («Готово» among them), not
     * the question again: under «Принято: 1 из 3» it read as the instruction twice.
     */
    Screen gotFile(String lang, long version, Model m, ChatState.Collecting c, Set<SkuRef> freeNow) {
        InputField f = m.askedFields().get(c.field());
        int have = c.files().getOrDefault(f.name(), List.of()).size();
        Screen question = ask(lang, version, m, c, "", freeNow);
        return new Screen(t(lang, Msg.INPUT_GOT_FILE, t(lang, filesWord(f.type()), have), f.fileLimit()),
                question.keyboard());
    }

    /** An answer given before, short: «fox in the…», «16:9», «2 фото». */
    private String given(String lang, InputField f, ChatState.Collecting c) {
        List<String> files = c.files().getOrDefault(f.name(), List.of());
        if (!files.isEmpty()) {
            return t(lang, filesWord(f.type()), files.size());
        }
        String value = c.values().get(f.name());
        return Snippet.of(f.type().isChoice() ? optionLabel(lang, f, value) : shown(lang, f, value), 20);
    }

    /**
     * Label (marked optional when it is), hint, what to send, and the hints of values that have one.
     *
     * @param ticked the option a choice marks ✓ ({@link #ticked}), if any
     */
    private String question(String lang, InputField f, Optional<String> ticked) {
        String label = f.labels().label(lang) + (f.required() ? "" : " " + t(lang, Msg.ASK_OPTIONAL));
        String hint = f.labels().hint(lang);
        StringBuilder q = new StringBuilder(switch (f.type()) {
            case TEXT -> t(lang, Msg.ASK_TEXT_LIMIT, label, textLimit(f), hint);
            // the ✓ is said once, where there is one: a choice without a default has none, and a ✓ moved off the
            // default to the option free now is the free one, not «по умолчанию»
            case ENUM, INT_ENUM, BOOLEAN -> t(lang, ticked.isEmpty() ? Msg.ASK_CHOICE
                    : ticked.equals(f.defaultValue()) ? Msg.ASK_CHOICE_DEFAULT : Msg.ASK_CHOICE_FREE, label, hint);
            case NUMBER, INTEGER -> t(lang, Msg.ASK_NUMBER, label, range(lang, f), hint);
            case IMAGE -> t(lang, Msg.ASK_IMAGE, label, hint);
            // one photo at most moves on once it comes, with no «Готово» to press: asked as for a single photo
            // how many: «от 1 до 3 фото» when the field is required, «до 3 фото» when none will do
            case IMAGES -> f.fileLimit() == 1 ? t(lang, Msg.ASK_IMAGE, label, hint)
                    : t(lang, Msg.ASK_IMAGES, label, Screens.severalFiles(screens.texts(), lang, f), hint);
            case AUDIO -> t(lang, Msg.ASK_AUDIO, label, hint);
            case VIDEOS -> f.fileLimit() == 1 ? t(lang, Msg.ASK_VIDEO, label, hint)
                    : t(lang, Msg.ASK_VIDEOS, label, Screens.severalFiles(screens.texts(), lang, f), hint);
            case VIDEO -> t(lang, Msg.ASK_VIDEO, label, hint);
        });
        List<String> values = Catalog.choices(f);
        List<String> described = new ArrayList<>();
        for (String value : values) {
            f.labels().value(value).flatMap(o -> o.hint(lang))
                    .ifPresent(h -> described.add(optionLabel(lang, f, value) + " — " + h));
        }
        // many options, each described (a voice's eight), two a line as their buttons stand two a row: one a line
        // made the voice's question eleven lines to read before a press
        int perLine = described.size() > DESCRIBED_ONE_A_LINE_MAX && described.size() == values.size() ? 2 : 1;
        for (int i = 0; i < described.size(); i += perLine) {
            q.append("\n• ").append(String.join(" · ", described.subList(i, Math.min(i + perLine, described.size()))));
        }
        return q.toString();
    }

    /** A number field's bound as the bot writes numbers in {@code lang} (a question, a refusal). */
    static Optional<String> bound(String lang, Optional<java.math.BigDecimal> value) {
        return value.map(x -> Plural.decimal(lang, x.toPlainString()));
    }

    /**
     * A number field's bounds as its question says them, in words: « от 0 до 1», « не меньше 1», or nothing. «(0–1)»
     * read as a form's field, not as the bot asking.
     */
    private String range(String lang, InputField f) {
        Optional<String> min = bound(lang, f.min());
        Optional<String> max = bound(lang, f.max());
        if (min.isPresent() && max.isPresent()) {
            return " " + t(lang, Msg.ASK_BETWEEN, min.get(), max.get());
        }
        return min.map(x -> " " + t(lang, Msg.ASK_AT_LEAST, x))
                .or(() -> max.map(x -> " " + t(lang, Msg.ASK_AT_MOST, x))).orElse("");
    }

    /**
     * The option a choice marks ✓, the one to take: the one whose button reads «бесплатно» while this user has a free
     * use of it, else the field's default. A model the free list shows as «бесплатно» may be free at one option only
     * (ElevenLabs Sound FX at 5 s, Ideogram V3 Remix at its fastest) with a paid default: a user taking the ✓ met a
     * paid confirmation with no word of the free option.
     */
    private static Optional<String> ticked(Model m, ChatState.Collecting c, InputField f, Set<SkuRef> freeNow) {
        if (m.priceFields().contains(f.name())) {
            for (String value : Catalog.choices(f)) {
                Map<String, String> with = new HashMap<>(c.values());
                with.put(f.name(), value);
                if (m.skuFor(with).filter(s -> freeNow.contains(new SkuRef(m.id(), s.id()))).isPresent()) {
                    return Optional.of(value);
                }
            }
        }
        return f.defaultValue().filter(Catalog.choices(f)::contains);
    }

    /** One button per value: {@code ticked} marked, the price of each choice shown when it changes the price. */
    private Keyboard options(String lang, long version, Model m, ChatState.Collecting c, InputField f,
                             Optional<String> ticked, Set<SkuRef> freeNow) {
        List<Button> options = new ArrayList<>();
        List<String> values = Catalog.choices(f);
        boolean priced = m.priceFields().contains(f.name());
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            String label = optionLabel(lang, f, value);
            if (ticked.filter(value::equals).isPresent()) {
                label = "✓ " + label;
            }
            if (priced) {
                Map<String, String> with = new HashMap<>(c.values());
                with.put(f.name(), value);
                label += m.skuFor(with).map(s -> " · " + (freeNow.contains(new SkuRef(m.id(), s.id()))
                        ? t(lang, Msg.MODEL_PRICE_FREE) : screens.money(lang, pricing.userPrice(s)))).orElse("");
            }
            options.add(Button.callback(label, CallbackData.current(version, CallbackAction.OPTION, Integer.toString(i))));
        }
        boolean wide = priced || values.stream().anyMatch(v -> f.labels().value(v).map(OptionLabel::label).isPresent());
        return Keyboard.grid(options, wide ? 2 : 3);
    }

    /** Whether a field's label is the word its files are counted in («Фото», «Photos»): the count then says both. */
    private boolean isFilesWord(String lang, FieldType type, String label) {
        String lower = label.toLowerCase(java.util.Locale.ROOT);
        return java.util.stream.IntStream.of(1, 2, 5).mapToObj(n -> t(lang, filesWord(type), n).replace('\u00A0', ' '))
                .anyMatch(counted -> counted.endsWith(" " + lower));
    }

    /** What the files sent for a field are called on the confirmation: «1 фото», not «1 файл», for a photo. */
    private static Msg filesWord(FieldType type) {
        return switch (type) {
            case IMAGE, IMAGES -> Msg.CONFIRM_PHOTOS;
            case VIDEO, VIDEOS -> Msg.CONFIRM_VIDEOS;
            default -> Msg.CONFIRM_FILES;
        };
    }

    /**
     * A typed answer's characters the confirmation shows, the «…» included: it recalls the answer, the user wrote it.
     * 200 each made Suno's lyrics, style and title a confirmation longer than a phone's screen, its buttons under it.
     */
    static final int CONFIRM_TEXT_MAX = 80;

    /** The inputs, the quoted price and what pressing "generate" will do. */
    Screen confirm(String lang, long version, Model m, ChatState.Confirming c, Quote q, long balance, int freeLeft,
                   Instant now) {
        StringBuilder text = new StringBuilder(t(lang, Msg.CONFIRM_TITLE, m.title(lang)));
        for (InputField f : m.askedFields()) {
            String value = c.values().get(f.name());
            List<String> files = c.files().getOrDefault(f.name(), List.of());
            String label = f.labels().label(lang);
            if (value != null) {
                String shown = f.type().isChoice() ? OptionWords.inSummary(screens.texts(), lang, f, value)
                        : shown(lang, f, value);
                text.append("\n• ").append(label).append(": ").append(Snippet.of(shown, CONFIRM_TEXT_MAX));
            } else if (!files.isEmpty()) {
                // «1 фото», the count with its word: a bare «Фото: 1» read as a field of the form; a label that is
                // that word is not said twice («Фото: 1 фото» read as a template leaking), another one stays
                // («Первый кадр: 1 фото»)
                String counted = t(lang, filesWord(f.type()), files.size());
                text.append("\n• ").append(isFilesWord(lang, f.type(), label) ? counted : label + ": " + counted);
            }
        }
        // a free generation's price line says so: «Цена: 1,72 ₽» above «free» read as two answers to "what will I pay"
        text.append("\n\n").append(t(lang, q.free() ? Msg.CONFIRM_PRICE_FREE : Msg.CONFIRM_PRICE,
                screens.money(lang, q.price())));
        String confirm = CallbackData.current(version, CallbackAction.CONFIRM, q.terms());
        List<Button> row = new ArrayList<>();
        if (q.free()) {
            text.append("\n").append(t(lang, Msg.CONFIRM_FREE, freeLeft, freeTier.dailyLimit()));
            row.add(Button.callback(t(lang, Msg.BUTTON_CONFIRM, t(lang, Msg.MODEL_PRICE_FREE)), confirm));
        } else {
            if (q.freeSku()) {
                text.append("\n").append(t(lang, Msg.CONFIRM_FREE_SPENT, screens.newDay(lang, now)));
            }
            // affordable: what stays on the balance, the one figure a prepaid user wants before pressing
            String balanceNow = screens.money(lang, balance);
            text.append("\n").append(q.affordable()
                    ? t(lang, Msg.CONFIRM_BALANCE_AFTER, balanceNow, screens.money(lang, balance - q.price()))
                    : t(lang, Msg.CONFIRM_BALANCE, balanceNow));
            if (q.affordable()) {
                row.add(Button.callback(t(lang, Msg.BUTTON_CONFIRM, screens.money(lang, q.price())), confirm));
            } else {
                // the price and the balance are the lines above: only what is missing
                text.append("\n\n").append(t(lang, Msg.CONFIRM_INSUFFICIENT, screens.money(lang, q.price() - balance)));
                screens.packCovering(lang, q.price() - balance).ifPresent(row::add);
                row.add(Button.callback(t(lang, Msg.MENU_TOPUP), CallbackData.evergreen(CallbackAction.TOP_UP)));
            }
        }
        // a second row: «Сгенерировать за 12,34 ₽» is wide enough alone on a phone
        List<Button> change = List.of(Button.callback(t(lang, Msg.BUTTON_EDIT), CallbackData.current(version,
                CallbackAction.EDIT)), Button.callback(t(lang, Msg.BUTTON_CANCEL), CallbackData.current(version,
                CallbackAction.CANCEL)));
        return new Screen(text.toString(), new Keyboard(List.of(row, change)));
    }

    /** Which input of the order to change: one button per asked field, and the way back to the order as it is. */
    Screen editList(String lang, long version, Model m) {
        List<Button> fields = new ArrayList<>();
        List<InputField> asked = m.askedFields();
        for (int i = 0; i < asked.size(); i++) {
            fields.add(Button.callback(asked.get(i).labels().label(lang),
                    CallbackData.current(version, CallbackAction.EDIT, Integer.toString(i))));
        }
        return new Screen(t(lang, Msg.EDIT_TITLE), Keyboard.grid(fields, 2).plus(List.of(Button.callback(
                t(lang, Msg.BUTTON_RESUME_ORDER), CallbackData.current(version, CallbackAction.EDIT, EDIT_DONE)))));
    }
}
