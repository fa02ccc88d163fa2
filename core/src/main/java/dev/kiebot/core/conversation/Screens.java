package dev.kiebot.core.conversation;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.FreeTier;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.catalog.Quote;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the screens of the conversation: text and buttons from the facts it is given. It decides
 * nothing and changes nothing; {@link Conversation} chooses the state, then asks for its screen. A
 * versioned button needs the version of the state it belongs to, so those screens take it.
 */
final class Screens {
    static final int DEFAULT_TEXT_LIMIT = 4000;

    private final Catalog catalog;
    private final Pricing pricing;
    private final FreeTier freeTier;
    private final Texts texts;
    private final ShopSettings settings;

    Screens(Catalog catalog, Pricing pricing, FreeTier freeTier, Texts texts, ShopSettings settings) {
        this.catalog = catalog;
        this.pricing = pricing;
        this.freeTier = freeTier;
        this.texts = texts;
        this.settings = settings;
    }

    String t(String lang, Msg msg, Object... args) {
        return texts.get(lang, msg, args);
    }

    String money(String lang, long minor) {
        return pricing.format(minor, lang);
    }

    private Button button(String lang, Msg label, CallbackAction action, String arg) {
        return Button.callback(t(lang, label), CallbackData.evergreen(action, arg));
    }

    Button home(String lang) {
        return button(lang, Msg.MENU_HOME, CallbackAction.MENU, "");
    }

    Keyboard homeOnly(String lang) {
        return Keyboard.of(List.of(home(lang)));
    }

    String menuTitle(String lang, long balance) {
        return t(lang, Msg.MENU_TITLE, money(lang, balance));
    }

    Screen menu(String lang, String text) {
        List<Button> cats = new ArrayList<>();
        for (Category c : catalog.categories()) {
            cats.add(button(lang, categoryTitle(c), CallbackAction.CATEGORY, c.name()));
        }
        Keyboard kb = Keyboard.grid(cats, 2)
                .plus(List.of(button(lang, Msg.MENU_FREE, CallbackAction.FREE_MODELS, "")))
                .plus(List.of(button(lang, Msg.MENU_BALANCE, CallbackAction.BALANCE, ""),
                        button(lang, Msg.MENU_TOPUP, CallbackAction.TOP_UP, "")))
                .plus(List.of(button(lang, Msg.MENU_HISTORY, CallbackAction.HISTORY, ""),
                        button(lang, Msg.MENU_HELP, CallbackAction.HELP, ""),
                        button(lang, Msg.MENU_LANGUAGE, CallbackAction.LANGUAGES, "")));
        return new Screen(text, kb);
    }

    static Msg categoryTitle(Category c) {
        return switch (c) {
            case IMAGE -> Msg.CATEGORY_IMAGE;
            case VIDEO -> Msg.CATEGORY_VIDEO;
            case AUDIO -> Msg.CATEGORY_AUDIO;
            case MUSIC -> Msg.CATEGORY_MUSIC;
        };
    }

    /** Cheapest price of a model, and whether it has more than one. */
    private String priceLabel(String lang, Model m) {
        long min = m.skus().stream().mapToLong(pricing::userPrice).min().orElse(0);
        return m.skus().size() > 1 ? "≥" + money(lang, min) : money(lang, min);
    }

    private Button modelButton(String lang, Model m) {
        String free = freeTier.hasFreeSku(m.id()) ? "🆓 " : "";
        return Button.callback(free + m.title(lang) + " · " + priceLabel(lang, m),
                CallbackData.evergreen(CallbackAction.MODEL_CARD, m.id()));
    }

    /** @param page an existing page (the conversation clamps it) */
    Screen browse(String lang, Category category, int page, int pages) {
        List<List<Button>> rows = new ArrayList<>();
        catalog.models(category).stream().skip((long) page * ShopSettings.PAGE_SIZE).limit(ShopSettings.PAGE_SIZE)
                .forEach(m -> rows.add(List.of(modelButton(lang, m))));
        List<Button> nav = new ArrayList<>();
        if (page > 0) {
            nav.add(button(lang, Msg.MENU_PREV, CallbackAction.PAGE, category.name() + ":" + (page - 1)));
        }
        nav.add(home(lang));
        if (page < pages - 1) {
            nav.add(button(lang, Msg.MENU_NEXT, CallbackAction.PAGE, category.name() + ":" + (page + 1)));
        }
        rows.add(nav);
        String text = t(lang, Msg.BROWSE_TITLE, t(lang, categoryTitle(category)))
                + (pages > 1 ? "\n" + t(lang, Msg.BROWSE_PAGE, page + 1, pages) : "");
        return new Screen(text, new Keyboard(rows));
    }

    Screen free(String lang, int freeLeft) {
        List<List<Button>> rows = new ArrayList<>();
        catalog.models().stream().filter(m -> freeTier.hasFreeSku(m.id()))
                .forEach(m -> rows.add(List.of(modelButton(lang, m))));
        rows.add(List.of(home(lang)));
        String text = rows.size() == 1 ? t(lang, Msg.FREE_NONE) : t(lang, Msg.FREE_TITLE, freeLeft, freeTier.dailyLimit());
        return new Screen(text, new Keyboard(rows));
    }

    Screen card(String lang, Model m, int freeLeft) {
        StringBuilder text = new StringBuilder(t(lang, Msg.MODEL_CARD, m.title(lang), m.description(lang)));
        text.append("\n").append(m.skus().size() > 1 ? t(lang, Msg.MODEL_PRICE_FROM, priceLabel(lang, m).substring(1))
                : t(lang, Msg.MODEL_PRICE, priceLabel(lang, m)));
        if (freeTier.hasFreeSku(m.id())) {
            text.append("\n").append(t(lang, Msg.MODEL_FREE, freeTier.dailyLimit()))
                    .append(" ").append(t(lang, Msg.MODEL_FREE_LEFT, freeLeft));
        }
        Keyboard kb = Keyboard.of(List.of(Button.callback(t(lang, Msg.MODEL_GENERATE),
                        CallbackData.evergreen(CallbackAction.START_INPUTS, m.id()))))
                .plus(List.of(button(lang, Msg.MENU_BACK, CallbackAction.CATEGORY, m.category().name()), home(lang)));
        return new Screen(text.toString(), kb);
    }

    static String fieldName(InputField f) {
        return f.name().replace('_', ' ');
    }

    static String optionLabel(InputField f, String value) {
        if (f.type() == FieldType.BOOLEAN) {
            return fieldName(f) + ": " + ("true".equals(value) ? "✅" : "❌");
        }
        return value;
    }

    /** The question for the field {@code c} points at, with its buttons; {@code prefix} says what went before. */
    Screen ask(String lang, long version, Model m, ChatState.Collecting c, String prefix) {
        InputField f = m.askedFields().get(c.field());
        String optional = f.required() ? "" : " " + t(lang, Msg.ASK_OPTIONAL);
        List<List<Button>> rows = new ArrayList<>();
        String text = question(lang, f) + optional;
        if (f.type().isChoice()) {
            rows.addAll(options(lang, version, m, c, f).rows());
        } else if (f.type() == FieldType.IMAGES && !c.files().getOrDefault(f.name(), List.of()).isEmpty()) {
            rows.add(List.of(Button.callback(t(lang, Msg.BUTTON_DONE),
                    CallbackData.current(version, CallbackAction.FILES_DONE))));
        }
        List<Button> last = new ArrayList<>();
        if (f.defaultValue().isPresent() && !f.type().isChoice()) {
            last.add(Button.callback(t(lang, Msg.BUTTON_DEFAULT, abbreviate(f.defaultValue().get(), 20)),
                    CallbackData.current(version, CallbackAction.DEFAULT)));
        } else if (!f.required()) {
            last.add(Button.callback(t(lang, Msg.BUTTON_SKIP), CallbackData.current(version, CallbackAction.DEFAULT)));
        }
        last.add(Button.callback(t(lang, Msg.BUTTON_CANCEL), CallbackData.current(version, CallbackAction.CANCEL)));
        rows.add(last);
        return new Screen(prefix.isEmpty() ? text : prefix + "\n\n" + text, new Keyboard(rows));
    }

    private String question(String lang, InputField f) {
        String name = fieldName(f);
        return switch (f.type()) {
            case TEXT -> t(lang, Msg.ASK_TEXT_LIMIT, name, f.maxLength().orElse(DEFAULT_TEXT_LIMIT));
            case ENUM, INT_ENUM, BOOLEAN -> t(lang, Msg.ASK_CHOICE, name);
            case NUMBER, INTEGER -> t(lang, Msg.ASK_NUMBER, name, f.min().isPresent() && f.max().isPresent()
                    ? " (" + f.min().get().toPlainString() + "–" + f.max().get().toPlainString() + ")" : "");
            case IMAGE -> t(lang, Msg.ASK_IMAGE, name);
            case IMAGES -> t(lang, Msg.ASK_IMAGES, name, f.fileLimit());
            case AUDIO -> t(lang, Msg.ASK_AUDIO, name);
            case VIDEO, VIDEOS -> t(lang, Msg.ASK_VIDEO, name);
        };
    }

    /** One button per value: the default ticked, the price of each choice shown when it changes the price. */
    private Keyboard options(String lang, long version, Model m, ChatState.Collecting c, InputField f) {
        List<Button> options = new ArrayList<>();
        List<String> values = Catalog.choices(f);
        boolean priced = m.priceFields().contains(f.name());
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            String label = optionLabel(f, value);
            if (f.defaultValue().filter(value::equals).isPresent()) {
                label = "✓ " + label;
            }
            if (priced) {
                Map<String, String> with = new HashMap<>(c.values());
                with.put(f.name(), value);
                label += m.skuFor(with).map(s -> " · " + money(lang, pricing.userPrice(s))).orElse("");
            }
            options.add(Button.callback(label, CallbackData.current(version, CallbackAction.OPTION, Integer.toString(i))));
        }
        return Keyboard.grid(options, priced ? 2 : 3);
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** The inputs, the quoted price and what pressing "generate" will do. */
    Screen confirm(String lang, long version, Model m, ChatState.Confirming c, Quote q, long balance, int freeLeft) {
        StringBuilder text = new StringBuilder(t(lang, Msg.CONFIRM_TITLE, m.title(lang)));
        for (InputField f : m.askedFields()) {
            String value = c.values().get(f.name());
            List<String> files = c.files().getOrDefault(f.name(), List.of());
            if (value != null) {
                text.append("\n• ").append(fieldName(f)).append(": ").append(abbreviate(value, 200));
            } else if (!files.isEmpty()) {
                text.append("\n• ").append(fieldName(f)).append(": ").append(files.size()).append(" 📎");
            }
        }
        text.append("\n\n").append(t(lang, Msg.CONFIRM_PRICE, money(lang, q.price())));
        String confirm = CallbackData.current(version, CallbackAction.CONFIRM);
        List<Button> row = new ArrayList<>();
        if (q.free()) {
            text.append("\n").append(t(lang, Msg.CONFIRM_FREE, freeLeft, freeTier.dailyLimit()));
            row.add(Button.callback(t(lang, Msg.BUTTON_CONFIRM, "🆓"), confirm));
        } else {
            if (q.freeSku()) {
                text.append("\n").append(t(lang, Msg.CONFIRM_FREE_SPENT));
            }
            text.append("\n").append(t(lang, Msg.CONFIRM_BALANCE, money(lang, balance)));
            if (q.affordable()) {
                row.add(Button.callback(t(lang, Msg.BUTTON_CONFIRM, money(lang, q.price())), confirm));
            } else {
                text.append("\n\n").append(t(lang, Msg.CONFIRM_INSUFFICIENT, money(lang, q.price()), money(lang, balance)));
                row.add(button(lang, Msg.MENU_TOPUP, CallbackAction.TOP_UP, ""));
            }
        }
        row.add(Button.callback(t(lang, Msg.BUTTON_CANCEL), CallbackData.current(version, CallbackAction.CANCEL)));
        return new Screen(text.toString(), Keyboard.of(row));
    }

    Screen balance(String lang, long balance, int freeLeft) {
        String text = t(lang, Msg.BALANCE, money(lang, balance)) + "\n" + t(lang, Msg.BALANCE_FREE, freeLeft,
                freeTier.dailyLimit());
        return new Screen(text, Keyboard.of(List.of(button(lang, Msg.MENU_TOPUP, CallbackAction.TOP_UP, ""),
                home(lang))));
    }

    Screen topUp(String lang) {
        List<Button> packages = new ArrayList<>();
        for (long stars : settings.starsPackages()) {
            packages.add(Button.callback(t(lang, Msg.TOPUP_PACKAGE, stars, money(lang, stars * settings.starPrice())),
                    CallbackData.evergreen(CallbackAction.STARS_PACK, Long.toString(stars))));
        }
        return new Screen(t(lang, Msg.TOPUP_TITLE), Keyboard.grid(packages, 2).plus(List.of(home(lang))));
    }

    Screen terms(String lang, String text, boolean termsAccepted) {
        List<Button> row = new ArrayList<>();
        if (!termsAccepted) {
            row.add(button(lang, Msg.BUTTON_ACCEPT, CallbackAction.ACCEPT_TERMS, ""));
        }
        row.add(home(lang));
        return new Screen(text, Keyboard.of(row));
    }

    Screen history(String lang, List<Job> jobs) {
        if (jobs.isEmpty()) {
            return new Screen(t(lang, Msg.HISTORY_EMPTY), homeOnly(lang));
        }
        StringBuilder text = new StringBuilder(t(lang, Msg.HISTORY_TITLE));
        List<Button> resend = new ArrayList<>();
        for (Job j : jobs) {
            text.append("\n").append(t(lang, Msg.HISTORY_LINE, j.id().display(), title(lang, j),
                    stateText(lang, j.state()), j.free() ? "🆓" : money(lang, j.price())));
            if (j.state() == JobState.DELIVERED && resend.size() < 6) {
                resend.add(Button.callback(t(lang, Msg.BUTTON_RESEND, j.id().display()),
                        CallbackData.evergreen(CallbackAction.RESEND, j.id().display())));
            }
        }
        return new Screen(text.toString(), Keyboard.grid(resend, 3).plus(List.of(home(lang))));
    }

    private String title(String lang, Job j) {
        return catalog.model(j.modelId()).map(m -> m.title(lang)).orElse(j.modelId());
    }

    String stateText(String lang, JobState s) {
        return t(lang, Msg.valueOf("STATE_" + s.name()));
    }

    Screen jobStatus(String lang, Job j) {
        List<Button> row = new ArrayList<>();
        String id = j.id().display();
        if (j.state() == JobState.DELIVERED) {
            row.add(Button.callback(t(lang, Msg.BUTTON_RESEND, id), CallbackData.evergreen(CallbackAction.RESEND, id)));
        }
        row.add(Button.callback(t(lang, Msg.BUTTON_AGAIN), CallbackData.evergreen(CallbackAction.AGAIN, id)));
        row.add(home(lang));
        return new Screen(t(lang, Msg.JOB_STATUS, id, title(lang, j), stateText(lang, j.state())), Keyboard.of(row));
    }

    Screen language(String lang) {
        return new Screen(t(lang, Msg.LANGUAGE_TITLE), Keyboard.of(List.of(
                Button.callback("🇷🇺 Русский", CallbackData.evergreen(CallbackAction.SET_LANGUAGE, "ru")),
                Button.callback("🇬🇧 English", CallbackData.evergreen(CallbackAction.SET_LANGUAGE, "en")))));
    }

    Screen info(String lang, String text) {
        return new Screen(text, homeOnly(lang));
    }

    String supportContact() {
        return settings.support() + settings.supportText().map(s -> "\n" + s).orElse("");
    }
}
