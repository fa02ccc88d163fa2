package dev.kiebot.core.conversation;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.FreeTier;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.catalog.Sku;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Renders each screen of the conversation: its text and buttons. */
final class Screens {
    static final int DEFAULT_TEXT_LIMIT = 4000;
    private static final int HISTORY_SIZE = 10;

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

    String t(Turn turn, Msg msg, Object... args) {
        return texts.get(turn.language, msg, args);
    }

    String money(long minor) {
        return pricing.format(minor);
    }

    int freeLeft(Context ctx) {
        return Math.max(0, freeTier.dailyLimit() - ctx.freeUsedToday());
    }

    Button home(Turn turn) {
        return Button.callback(t(turn, Msg.MENU_HOME), CallbackData.evergreen("m", ""));
    }

    Keyboard homeOnly(Turn turn) {
        return Keyboard.of(List.of(home(turn)));
    }

    void menu(Turn turn, Context ctx, String text) {
        turn.moveTo(new ChatState.Menu());
        List<Button> cats = new ArrayList<>();
        for (Category c : catalog.categories()) {
            cats.add(Button.callback(t(turn, categoryTitle(c)), CallbackData.evergreen("c", c.name())));
        }
        Keyboard kb = Keyboard.grid(cats, 2)
                .plus(List.of(Button.callback(t(turn, Msg.MENU_FREE), CallbackData.evergreen("f", ""))))
                .plus(List.of(Button.callback(t(turn, Msg.MENU_BALANCE), CallbackData.evergreen("b", "")),
                        Button.callback(t(turn, Msg.MENU_TOPUP), CallbackData.evergreen("T", ""))))
                .plus(List.of(Button.callback(t(turn, Msg.MENU_HISTORY), CallbackData.evergreen("h", "")),
                        Button.callback(t(turn, Msg.MENU_HELP), CallbackData.evergreen("?", "")),
                        Button.callback(t(turn, Msg.MENU_LANGUAGE), CallbackData.evergreen("L", ""))));
        turn.show(text, kb);
    }

    void menu(Turn turn, Context ctx) {
        menu(turn, ctx, t(turn, Msg.MENU_TITLE, money(ctx.balance())));
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
    private String priceLabel(Model m) {
        long min = m.skus().stream().mapToLong(pricing::userPrice).min().orElse(0);
        return m.skus().size() > 1 ? "≥" + money(min) : money(min);
    }

    private Button modelButton(Turn turn, Model m) {
        String free = freeTier.hasFreeSku(m.id()) ? "🆓 " : "";
        return Button.callback(free + m.title(turn.language) + " · " + priceLabel(m),
                CallbackData.evergreen("v", m.id()));
    }

    void browse(Turn turn, Category category, int page) {
        List<Model> models = catalog.models(category);
        int pages = Math.max(1, (models.size() + ShopSettings.PAGE_SIZE - 1) / ShopSettings.PAGE_SIZE);
        int p = Math.max(0, Math.min(page, pages - 1));
        turn.moveTo(new ChatState.Browsing(category, p));
        List<List<Button>> rows = new ArrayList<>();
        models.stream().skip((long) p * ShopSettings.PAGE_SIZE).limit(ShopSettings.PAGE_SIZE)
                .forEach(m -> rows.add(List.of(modelButton(turn, m))));
        List<Button> nav = new ArrayList<>();
        if (p > 0) {
            nav.add(Button.callback(t(turn, Msg.MENU_PREV), CallbackData.evergreen("p", category.name() + ":" + (p - 1))));
        }
        nav.add(home(turn));
        if (p < pages - 1) {
            nav.add(Button.callback(t(turn, Msg.MENU_NEXT), CallbackData.evergreen("p", category.name() + ":" + (p + 1))));
        }
        rows.add(nav);
        String text = t(turn, Msg.BROWSE_TITLE, t(turn, categoryTitle(category)))
                + (pages > 1 ? "\n" + t(turn, Msg.BROWSE_PAGE, p + 1, pages) : "");
        turn.show(text, new Keyboard(rows));
    }

    void free(Turn turn, Context ctx) {
        turn.moveTo(new ChatState.Menu());
        List<List<Button>> rows = new ArrayList<>();
        catalog.models().stream().filter(m -> freeTier.hasFreeSku(m.id()))
                .forEach(m -> rows.add(List.of(modelButton(turn, m))));
        rows.add(List.of(home(turn)));
        String text = rows.size() == 1 ? t(turn, Msg.FREE_NONE)
                : t(turn, Msg.FREE_TITLE, freeLeft(ctx), freeTier.dailyLimit());
        turn.show(text, new Keyboard(rows));
    }

    void card(Turn turn, Context ctx, Model m) {
        long v = turn.moveTo(new ChatState.Viewing(m.id()));
        StringBuilder text = new StringBuilder(t(turn, Msg.MODEL_CARD, m.title(turn.language), m.description(turn.language)));
        text.append("\n").append(m.skus().size() > 1 ? t(turn, Msg.MODEL_PRICE_FROM, priceLabel(m).substring(1))
                : t(turn, Msg.MODEL_PRICE, priceLabel(m)));
        if (freeTier.hasFreeSku(m.id())) {
            text.append("\n").append(t(turn, Msg.MODEL_FREE, freeTier.dailyLimit()))
                    .append(" ").append(t(turn, Msg.MODEL_FREE_LEFT, freeLeft(ctx)));
        }
        Keyboard kb = Keyboard.of(List.of(Button.callback(t(turn, Msg.MODEL_GENERATE), CallbackData.evergreen("g", m.id()))))
                .plus(List.of(Button.callback(t(turn, Msg.MENU_BACK), CallbackData.evergreen("c", m.category().name())),
                        home(turn)));
        turn.show(text.toString(), kb);
        assert v > 0;
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

    /** Asks for the field the Collecting state points at; always a new message. */
    void ask(Turn turn, Model m, ChatState.Collecting c, String prefix) {
        long v = turn.moveTo(c);
        InputField f = m.askedFields().get(c.field());
        String name = fieldName(f);
        String optional = f.required() ? "" : " " + t(turn, Msg.ASK_OPTIONAL);
        List<List<Button>> rows = new ArrayList<>();
        String text;
        switch (f.type()) {
            case TEXT -> {
                int limit = f.maxLength().orElse(DEFAULT_TEXT_LIMIT);
                text = t(turn, Msg.ASK_TEXT_LIMIT, name, limit) + optional;
            }
            case ENUM, INT_ENUM, BOOLEAN -> {
                text = t(turn, Msg.ASK_CHOICE, name) + optional;
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
                        label += m.skuFor(with).map(s -> " · " + money(pricing.userPrice(s))).orElse("");
                    }
                    options.add(Button.callback(label, CallbackData.current(v, "o", Integer.toString(i))));
                }
                rows.addAll(Keyboard.grid(options, priced ? 2 : 3).rows());
            }
            case NUMBER, INTEGER -> {
                String range = f.min().isPresent() && f.max().isPresent()
                        ? " (" + f.min().get().toPlainString() + "–" + f.max().get().toPlainString() + ")" : "";
                text = t(turn, Msg.ASK_NUMBER, name, range) + optional;
            }
            case IMAGE -> text = t(turn, Msg.ASK_IMAGE, name) + optional;
            case IMAGES -> {
                text = t(turn, Msg.ASK_IMAGES, name, f.fileLimit()) + optional;
                if (!c.files().getOrDefault(f.name(), List.of()).isEmpty()) {
                    rows.add(List.of(Button.callback(t(turn, Msg.BUTTON_DONE), CallbackData.current(v, "n"))));
                }
            }
            case AUDIO -> text = t(turn, Msg.ASK_AUDIO, name) + optional;
            case VIDEO, VIDEOS -> text = t(turn, Msg.ASK_VIDEO, name) + optional;
            default -> throw new IllegalStateException(f.type().name());
        }
        List<Button> last = new ArrayList<>();
        if (f.defaultValue().isPresent() && !f.type().isChoice()) {
            last.add(Button.callback(t(turn, Msg.BUTTON_DEFAULT, abbreviate(f.defaultValue().get(), 20)),
                    CallbackData.current(v, "d")));
        } else if (!f.required()) {
            last.add(Button.callback(t(turn, Msg.BUTTON_SKIP), CallbackData.current(v, "d")));
        }
        last.add(Button.callback(t(turn, Msg.BUTTON_CANCEL), CallbackData.current(v, "x")));
        rows.add(last);
        turn.send(prefix.isEmpty() ? text : prefix + "\n\n" + text, new Keyboard(rows));
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** The price the user will pay for these inputs, and whether it is free today. */
    record Quote(Sku sku, long price, boolean free) {
    }

    Quote quote(Model m, Map<String, String> values, Context ctx) {
        Sku sku = m.skuFor(values).orElseGet(m::defaultSku);
        boolean free = freeTier.isFree(m.id(), sku.id()) && ctx.freeUsedToday() < freeTier.dailyLimit();
        return new Quote(sku, pricing.userPrice(sku), free);
    }

    void confirm(Turn turn, Context ctx, Model m, ChatState.Confirming c) {
        long v = turn.moveTo(c);
        Quote q = quote(m, c.values(), ctx);
        StringBuilder text = new StringBuilder(t(turn, Msg.CONFIRM_TITLE, m.title(turn.language)));
        for (InputField f : m.askedFields()) {
            String value = c.values().get(f.name());
            List<String> files = c.files().getOrDefault(f.name(), List.of());
            if (value != null) {
                text.append("\n• ").append(fieldName(f)).append(": ").append(abbreviate(value, 200));
            } else if (!files.isEmpty()) {
                text.append("\n• ").append(fieldName(f)).append(": ").append(files.size()).append(" 📎");
            }
        }
        text.append("\n\n").append(t(turn, Msg.CONFIRM_PRICE, money(q.price())));
        List<Button> row = new ArrayList<>();
        if (q.free()) {
            text.append("\n").append(t(turn, Msg.CONFIRM_FREE, freeLeft(ctx), freeTier.dailyLimit()));
            row.add(Button.callback(t(turn, Msg.BUTTON_CONFIRM, "🆓"), CallbackData.current(v, "k")));
        } else {
            if (freeTier.isFree(m.id(), q.sku().id())) {
                text.append("\n").append(t(turn, Msg.CONFIRM_FREE_SPENT));
            }
            text.append("\n").append(t(turn, Msg.CONFIRM_BALANCE, money(ctx.balance())));
            if (ctx.balance() >= q.price()) {
                row.add(Button.callback(t(turn, Msg.BUTTON_CONFIRM, money(q.price())), CallbackData.current(v, "k")));
            } else {
                text.append("\n\n").append(t(turn, Msg.CONFIRM_INSUFFICIENT, money(q.price()), money(ctx.balance())));
                row.add(Button.callback(t(turn, Msg.MENU_TOPUP), CallbackData.evergreen("T", "")));
            }
        }
        row.add(Button.callback(t(turn, Msg.BUTTON_CANCEL), CallbackData.current(v, "x")));
        turn.send(text.toString(), Keyboard.of(row));
    }

    void balance(Turn turn, Context ctx) {
        turn.moveTo(new ChatState.Menu());
        String text = t(turn, Msg.BALANCE, money(ctx.balance())) + "\n"
                + t(turn, Msg.BALANCE_FREE, freeLeft(ctx), freeTier.dailyLimit());
        turn.show(text, Keyboard.of(List.of(Button.callback(t(turn, Msg.MENU_TOPUP), CallbackData.evergreen("T", "")),
                home(turn))));
    }

    /** @param termsAccepted passed in because accepting the terms and opening top-up are one step */
    void topUp(Turn turn, Context ctx, boolean termsAccepted) {
        if (!termsAccepted) {
            terms(turn, ctx, t(turn, Msg.TOPUP_TERMS_FIRST, t(turn, Msg.TERMS)));
            return;
        }
        turn.moveTo(new ChatState.TopUp());
        List<Button> packages = new ArrayList<>();
        for (long stars : settings.starsPackages()) {
            packages.add(Button.callback(t(turn, Msg.TOPUP_PACKAGE, stars, money(stars * settings.starPrice())),
                    CallbackData.evergreen("t", Long.toString(stars))));
        }
        turn.show(t(turn, Msg.TOPUP_TITLE), Keyboard.grid(packages, 2).plus(List.of(home(turn))));
    }

    void terms(Turn turn, Context ctx, String text) {
        turn.moveTo(new ChatState.Menu());
        List<Button> row = new ArrayList<>();
        if (!ctx.user().termsAccepted()) {
            row.add(Button.callback(t(turn, Msg.BUTTON_ACCEPT), CallbackData.evergreen("y", "")));
        }
        row.add(home(turn));
        turn.show(text, Keyboard.of(row));
    }

    void history(Turn turn, Context ctx) {
        turn.moveTo(new ChatState.Menu());
        List<Job> jobs = ctx.recentJobs(HISTORY_SIZE);
        if (jobs.isEmpty()) {
            turn.show(t(turn, Msg.HISTORY_EMPTY), homeOnly(turn));
            return;
        }
        StringBuilder text = new StringBuilder(t(turn, Msg.HISTORY_TITLE));
        List<Button> resend = new ArrayList<>();
        for (Job j : jobs) {
            String title = catalog.model(j.modelId()).map(m -> m.title(turn.language)).orElse(j.modelId());
            text.append("\n").append(t(turn, Msg.HISTORY_LINE, j.id().display(), title, stateText(turn, j.state()),
                    j.free() ? "🆓" : money(j.price())));
            if (j.state() == JobState.DELIVERED && resend.size() < 6) {
                resend.add(Button.callback(t(turn, Msg.BUTTON_RESEND, j.id().display()),
                        CallbackData.evergreen("r", j.id().display())));
            }
        }
        turn.show(text.toString(), Keyboard.grid(resend, 3).plus(List.of(home(turn))));
    }

    String stateText(Turn turn, JobState s) {
        return t(turn, Msg.valueOf("STATE_" + s.name()));
    }

    void jobStatus(Turn turn, Job j) {
        turn.moveTo(new ChatState.Menu());
        String title = catalog.model(j.modelId()).map(m -> m.title(turn.language)).orElse(j.modelId());
        List<Button> row = new ArrayList<>();
        if (j.state() == JobState.DELIVERED) {
            row.add(Button.callback(t(turn, Msg.BUTTON_RESEND, j.id().display()), CallbackData.evergreen("r", j.id().display())));
        }
        row.add(Button.callback(t(turn, Msg.BUTTON_AGAIN), CallbackData.evergreen("a", j.id().display())));
        row.add(home(turn));
        turn.send(t(turn, Msg.JOB_STATUS, j.id().display(), title, stateText(turn, j.state())), Keyboard.of(row));
    }

    void language(Turn turn) {
        turn.moveTo(new ChatState.Menu());
        turn.show(t(turn, Msg.LANGUAGE_TITLE), Keyboard.of(List.of(
                Button.callback("🇷🇺 Русский", CallbackData.evergreen("l", "ru")),
                Button.callback("🇬🇧 English", CallbackData.evergreen("l", "en")))));
    }

    void info(Turn turn, String text) {
        turn.moveTo(new ChatState.Menu());
        turn.show(text, homeOnly(turn));
    }

    String supportContact() {
        return settings.support() + settings.supportText().map(s -> "\n" + s).orElse("");
    }
}
