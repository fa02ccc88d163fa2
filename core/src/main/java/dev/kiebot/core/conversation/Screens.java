package dev.kiebot.core.conversation;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.FreeTier;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.catalog.SkuRef;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.payments.TopUpLink;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Renders the screens of the conversation: text and buttons from the facts it is given. It decides
 * nothing and changes nothing; {@link Conversation} chooses the state, then asks for its screen. A
 * versioned button needs the version of the state it belongs to, so those screens take it.
 */
final class Screens {
    private final Catalog catalog;
    private final Pricing pricing;
    private final FreeTier freeTier;
    private final Texts texts;
    private final ShopSettings settings;
    private final ManualPayments manual;
    private final java.util.Optional<TopUpLink> payPage;

    Screens(Catalog catalog, Pricing pricing, FreeTier freeTier, Texts texts, ShopSettings settings,
            ManualPayments manual, java.util.Optional<TopUpLink> payPage) {
        this.catalog = catalog;
        this.pricing = pricing;
        this.freeTier = freeTier;
        this.texts = texts;
        this.settings = settings;
        this.manual = manual;
        this.payPage = payPage;
    }

    Texts texts() {
        return texts;
    }

    String t(String lang, Msg msg, Object... args) {
        return texts.get(lang, msg, args);
    }

    /** When the free allowance's new day starts, as a sentence ends: «в полночь по московскому времени». */
    String newDay(String lang, Instant now) {
        return texts.newDay(lang, settings.zone(), now);
    }

    /** «0 of 5» left: when the next ones come, on a line of its own; nothing while some are left. */
    private String noneLeftUntil(String lang, int freeLeft, Instant now) {
        return freeLeft > 0 ? "" : "\n" + t(lang, Msg.FREE_NEW_DAY, newDay(lang, now));
    }

    String money(String lang, long minor) {
        return pricing.format(minor, lang);
    }

    /** An amount the user typed in the shop's currency ({@link Pricing#parseInCurrency}). */
    java.util.OptionalLong typedAmount(String text) {
        return pricing.parseInCurrency(text);
    }

    Button button(String lang, Msg label, CallbackAction action, String arg) {
        return Button.callback(t(lang, label), CallbackData.evergreen(action, arg));
    }

    /**
     * «⬅ Стр. 2» / «Стр. 4 ➡»: a page of a list, counted from 1, named apart from «◀ Назад» (a step back in an order)
     * and «▶️ Начать»; a bare «◀» and «▶» were those signs too.
     *
     * @param label {@link Msg#MENU_PREV} or {@link Msg#MENU_NEXT}
     * @param shown the page it opens, counted from 1
     */
    Button pageButton(String lang, Msg label, CallbackAction action, String arg, int shown) {
        return Button.callback(t(lang, label, shown), CallbackData.evergreen(action, arg));
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
        List<Button> popularAndFree = new ArrayList<>(List.of(button(lang, Msg.MENU_POPULAR, CallbackAction.POPULAR, "")));
        if (freeTier.offered()) {
            popularAndFree.add(button(lang, Msg.MENU_FREE, CallbackAction.FREE_MODELS, ""));
        }
        Keyboard kb = Keyboard.grid(cats, 2)
                .plus(popularAndFree)
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

    /** What the model's options free now ({@code free}) usually cost: the dearest of them. */
    long usualPrice(Model m, Set<SkuRef> free) {
        return m.skus().stream().filter(s -> free.contains(new SkuRef(m.id(), s.id()))).mapToLong(pricing::userPrice)
                .max().orElse(Long.MAX_VALUE);
    }

    /**
     * A model's price on its button: its one price after « · »; or «от» its cheapest, the «от» its separator. Both
     * exact to the kopeck: a «от 42 ₽» rounded down for width named a price nothing costs (the cheapest is 42,90), and
     * the shorter titles make the room instead.
     */
    private String priceLabel(String lang, Model m) {
        long min = m.skus().stream().mapToLong(pricing::userPrice).min().orElse(0);
        return m.skus().size() == 1 ? " · " + money(lang, min) : " " + t(lang, Msg.MODEL_PRICE_MIN, money(lang, min));
    }

    /**
     * A model's name and what it costs this user now: «🆓» while the user's free generations last, the price once they
     * are spent; «⏸» while an admin has it paused (its card says so, and takes no order).
     *
     * @param list what costs this user nothing now and what is paused
     */
    private Button modelButton(String lang, Model m, ModelList list) {
        boolean free = list.freeNow().stream().anyMatch(r -> r.modelId().equals(m.id()));
        // the sign says it alone: «· приостановлена» and «· бесплатно» cut 44 of 90 titles on a phone's one-button row
        String label = list.paused().test(m.id()) ? "⏸ " + m.title(lang) : free ? "🆓 " + m.title(lang)
                : m.title(lang) + priceLabel(lang, m);
        return Button.callback(label, CallbackData.evergreen(CallbackAction.MODEL_CARD, m.id()));
    }

    /**
     * What a list of models marks on each: what costs this user nothing now ({@link FreeTier#freeNow}), and whether
     * a model is paused.
     */
    record ModelList(Set<SkuRef> freeNow, Predicate<String> paused) {
    }

    /**
     * The shelf a page of a split section is of ({@link Shelf}), and whether the file shelf has a model needing a video
     * (it is then «по фото и видео»).
     */
    record Shelves(Shelf on, boolean videos) {
        /** The models a page of a shelf holds: one less than a section's, for the button to the other shelf. */
        static final int PAGE_SIZE = ShopSettings.PAGE_SIZE - 1;
    }

    /**
     * A page of a section's models, or of one of its shelves: then titled with it («🎬 Видео по описанию»), under a
     * button to the other shelf. A page of a shelf holds a model less, so that it has the rows and buttons of any
     * other page (9 rows, 11 buttons: the most {@code Messenger} tells partners a user's screen has).
     *
     * @param models  the section's models, or its shelf's
     * @param shelves the shelf shown, for a section on two
     * @param page    an existing page (the conversation clamps it)
     */
    Screen browse(String lang, Category category, List<Model> models, Optional<Shelves> shelves, int page, int pages,
                  ModelList list) {
        List<List<Button>> rows = new ArrayList<>();
        shelves.ifPresent(s -> {
            Shelf other = s.on() == Shelf.BY_FILE ? Shelf.BY_DESCRIPTION : Shelf.BY_FILE;
            rows.add(List.of(Button.callback(t(lang, other == Shelf.BY_DESCRIPTION ? Msg.BROWSE_TO_DESCRIPTION
                    : s.videos() ? Msg.BROWSE_TO_FILE : Msg.BROWSE_TO_PHOTO), CallbackData.evergreen(CallbackAction.PAGE,
                    category.name() + ":0:" + other.code()))));
        });
        int size = shelves.isPresent() ? Shelves.PAGE_SIZE : ShopSettings.PAGE_SIZE;
        models.stream().skip((long) page * size).limit(size).forEach(m -> rows.add(List.of(modelButton(lang, m, list))));
        // the shelf after the page: the build before, meeting such a button during a deploy, finds no page number
        // there and answers it as a stale button, with the menu
        String shelf = shelves.map(s -> ":" + s.on().code()).orElse("");
        List<Button> nav = new ArrayList<>();
        if (page > 0) {
            nav.add(pageButton(lang, Msg.MENU_PREV, CallbackAction.PAGE, category.name() + ":" + (page - 1) + shelf, page));
        }
        nav.add(home(lang));
        if (page < pages - 1) {
            nav.add(pageButton(lang, Msg.MENU_NEXT, CallbackAction.PAGE, category.name() + ":" + (page + 1) + shelf, page + 2));
        }
        rows.add(nav);
        String section = t(lang, categoryTitle(category)) + shelves.map(s -> " " + t(lang, s.on() == Shelf.BY_DESCRIPTION
                ? Msg.BROWSE_BY_DESCRIPTION : s.videos() ? Msg.BROWSE_BY_FILE : Msg.BROWSE_BY_PHOTO)).orElse("");
        String text = t(lang, Msg.BROWSE_TITLE, section)
                + (pages > 1 ? "\n" + t(lang, Msg.BROWSE_PAGE, page + 1, pages) : "");
        return new Screen(text, new Keyboard(rows));
    }

    /**
     * @param models       the models with a free option, in the order to offer them
     * @param givenOutToAll the shop's day's total is given out: the title says so rather than «0 of 5»
     */
    Screen free(String lang, int freeLeft, boolean givenOutToAll, List<Model> models, ModelList list, Instant now) {
        List<List<Button>> rows = new ArrayList<>();
        models.forEach(m -> rows.add(List.of(modelButton(lang, m, list))));
        rows.add(List.of(home(lang)));
        String text = rows.size() == 1 ? t(lang, Msg.FREE_NONE)
                : givenOutToAll ? t(lang, Msg.FREE_GIVEN_OUT, newDay(lang, now))
                : t(lang, Msg.FREE_TITLE, freeLeft, freeTier.dailyLimit()) + noneLeftUntil(lang, freeLeft, now);
        return new Screen(text, new Keyboard(rows));
    }

    /** @param models the models to offer, most used first */
    Screen popular(String lang, List<Model> models, ModelList list) {
        List<List<Button>> rows = new ArrayList<>();
        models.forEach(m -> rows.add(List.of(modelButton(lang, m, list))));
        rows.add(List.of(home(lang)));
        return new Screen(t(lang, Msg.POPULAR_TITLE), new Keyboard(rows));
    }

    /**
     * What the model is, what it needs from the user, how long it usually takes and what it costs.
     *
     * @param expected how long a job of this model usually takes
     * @param back     where «◀ Назад» goes: the model's section, or its shelf of a section on two
     */
    Screen card(String lang, Model m, int freeLeft, Duration expected, Button back) {
        StringBuilder text = new StringBuilder(t(lang, Msg.MODEL_CARD, m.title(lang), m.description(lang)));
        text.append("\n").append(needs(lang, m));
        text.append("\n").append(t(lang, Msg.MODEL_TIME, ProgressLine.about(texts, lang, expected)));
        long min = m.skus().stream().mapToLong(pricing::userPrice).min().orElse(0);
        long max = m.skus().stream().mapToLong(pricing::userPrice).max().orElse(0);
        // a model free today whatever is picked says so in its price line: «Цена: 1,72 ₽» above «бесплатно» read as
        // two answers to "what will I pay" (the confirmation does the same)
        boolean freeNow = freeLeft > 0 && m.skus().stream().allMatch(s -> freeTier.isFree(m.id(), s.id()));
        text.append("\n").append(freeNow ? t(lang, Msg.CONFIRM_PRICE_FREE, money(lang, min))
                : min == max ? t(lang, Msg.MODEL_PRICE, money(lang, min))
                : t(lang, Msg.MODEL_PRICE_FROM, money(lang, min), money(lang, max)));
        if (freeTier.hasFreeSku(m.id())) {
            text.append("\n").append(t(lang, Msg.MODEL_FREE, freeTier.dailyLimit()))
                    .append(" ").append(t(lang, Msg.MODEL_FREE_LEFT, freeLeft));
        }
        Keyboard kb = Keyboard.of(List.of(Button.callback(t(lang, Msg.MODEL_GENERATE),
                        CallbackData.evergreen(CallbackAction.START_INPUTS, m.id()))))
                .plus(List.of(back, home(lang)));
        return new Screen(text.toString(), kb);
    }

    /** The card of a model an admin paused: what it is, that it is paused, and the way back; no order button. */
    Screen pausedCard(String lang, Model m, Button back) {
        String text = t(lang, Msg.MODEL_CARD, m.title(lang), m.description(lang)) + "\n" + t(lang, Msg.MODEL_PAUSED);
        return new Screen(text, Keyboard.of(List.of(back, home(lang))));
    }

    /** «◀ Назад» of a model's card: to its section, or to its shelf's first page when the section is on two. */
    Button back(String lang, Model m, boolean shelved) {
        return shelved ? button(lang, Msg.MENU_BACK, CallbackAction.PAGE,
                m.category().name() + ":0:" + Shelf.of(m).code())
                : button(lang, Msg.MENU_BACK, CallbackAction.CATEGORY, m.category().name());
    }

    /**
     * «Нужно: текст и 2 фото (можно добавить до 14 фото)»: the texts and files the model asks for. Fields of one file
     * each are counted by kind («текст, одно фото и одно фото» read as a stutter); a field of several is said as it
     * is («до 3 фото»). With files that may be added, a text alone is «текст»: «только текст (можно добавить …)»
     * contradicted itself.
     */
    private String needs(String lang, Model m) {
        // a kind of single file (IMAGE, VIDEO, AUDIO) → how many required fields ask for one; a field of several → 0
        Map<Object, Integer> required = new LinkedHashMap<>();
        List<String> optional = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (InputField f : m.askedFields()) {
            if (f.type() == FieldType.TEXT) {
                if (f.required()) {
                    texts.add(lowerFirst(f.labels().label(lang)));
                }
            } else if (f.type().isMedia() && !f.required()) {
                optional.add(files(lang, f));
            } else if (f.type().isMedia()) {
                required.merge(f.fileLimit() == 1 ? single(f.type()) : f, f.fileLimit() == 1 ? 1 : 0, Integer::sum);
            }
        }
        boolean text = !texts.isEmpty();
        // a song on one's own words asks three texts: «только текст» had the user ready with one
        String severalTexts = texts.size() > 1 ? t(lang, Msg.NEEDS_TEXTS, texts.size(), String.join(", ", texts)) : "";
        List<String> parts = new ArrayList<>();
        if (text) {
            parts.add(texts.size() > 1 ? severalTexts : t(lang, Msg.NEEDS_TEXT));
        }
        required.forEach((what, ones) -> parts.add(what instanceof InputField f ? files(lang, f)
                : ones == 1 ? t(lang, oneFile((FieldType) what)) : t(lang, filesCount((FieldType) what), ones)));
        // joined as a list is said, «текст и от 1 до 3 фото»: «текст + от 1 до 3 фото» read as a formula
        String needed = parts.size() > 1
                ? t(lang, Msg.WORKS_LAST, String.join(", ", parts.subList(0, parts.size() - 1)), parts.get(parts.size() - 1))
                : !parts.isEmpty() && !text ? parts.get(0)
                : texts.size() > 1 ? severalTexts
                : t(lang, optional.isEmpty() ? Msg.NEEDS_TEXT_ONLY : Msg.NEEDS_TEXT);
        return t(lang, Msg.MODEL_NEEDS, needed)
                // the space is put here: a properties file drops the one a value starts with, and the cards read
                // «текст(можно добавить …)»
                + (optional.isEmpty() ? "" : " " + t(lang, Msg.MODEL_NEEDS_OPTIONAL, String.join(", ", optional)));
    }

    /** A field's label inside a sentence: «Слова песни» → «слова песни»; «FPS» stays as it is. */
    private static String lowerFirst(String label) {
        return label.length() > 1 && Character.isUpperCase(label.charAt(0)) && Character.isLowerCase(label.charAt(1))
                ? Character.toLowerCase(label.charAt(0)) + label.substring(1) : label;
    }

    /** The files of one field: «одно фото», «от 1 до 3 фото», «аудиозапись». */
    private String files(String lang, InputField f) {
        return f.fileLimit() == 1 ? t(lang, oneFile(single(f.type()))) : severalFiles(texts, lang, f);
    }

    /**
     * How many files a field of several takes: «от 1 до 3 фото» when it is required («до 3» includes none, and the
     * bot waits for the first), «до 3 фото» when it is not.
     */
    static String severalFiles(Texts texts, String lang, InputField f) {
        boolean videos = f.type() == FieldType.VIDEOS;
        Msg words = f.required() ? videos ? Msg.NEEDS_VIDEOS_REQUIRED : Msg.NEEDS_PHOTOS_REQUIRED
                : videos ? Msg.NEEDS_VIDEOS : Msg.NEEDS_PHOTOS;
        return texts.get(lang, words, f.fileLimit());
    }

    /** The kind of file a field takes: a photo for a list of photos, a video for a list of videos. */
    private static FieldType single(FieldType type) {
        return switch (type) {
            case IMAGES -> FieldType.IMAGE;
            case VIDEOS -> FieldType.VIDEO;
            default -> type;
        };
    }

    private static Msg oneFile(FieldType kind) {
        return switch (kind) {
            case IMAGE -> Msg.NEEDS_PHOTO;
            case VIDEO -> Msg.NEEDS_VIDEO;
            default -> Msg.NEEDS_AUDIO;
        };
    }

    private static Msg filesCount(FieldType kind) {
        return switch (kind) {
            case IMAGE -> Msg.NEEDS_PHOTO_COUNT;
            case VIDEO -> Msg.NEEDS_VIDEO_COUNT;
            default -> Msg.NEEDS_AUDIO_COUNT;
        };
    }

    /**
     * @param reserved      held for running generations: shown when there is some
     * @param givenOutToAll the shop's day's total of free generations is given out: said rather than «0 of 5»
     */
    Screen balance(String lang, long balance, long reserved, int freeLeft, boolean givenOutToAll, Instant now) {
        String free = givenOutToAll ? t(lang, Msg.FREE_GIVEN_OUT, newDay(lang, now))
                : t(lang, Msg.BALANCE_FREE, freeLeft, freeTier.dailyLimit()) + noneLeftUntil(lang, freeLeft, now);
        String text = t(lang, Msg.BALANCE, money(lang, balance))
                + (reserved > 0 ? "\n" + t(lang, Msg.BALANCE_RESERVED, money(lang, reserved)) : "")
                + (freeTier.offered() ? "\n" + free : "");
        Button topUp = button(lang, Msg.MENU_TOPUP, CallbackAction.TOP_UP, "");
        Button payments = button(lang, Msg.MENU_PAYMENTS, CallbackAction.PAYMENTS, "");
        // «Меню» stays the last button either way
        return new Screen(text, invitationsOffered()
                ? Keyboard.of(List.of(topUp, payments)).plus(List.of(button(lang, Msg.MENU_INVITE, CallbackAction.INVITE,
                        ""), home(lang)))
                : Keyboard.of(List.of(topUp, payments, home(lang))));
    }

    /** Whether users are offered an invitation link ({@link ReferralBonus}). */
    boolean invitationsOffered() {
        return settings.referral().offered();
    }

    ReferralBonus referral() {
        return settings.referral();
    }

    /** @param userId whose payment page the link button opens, when the shop has one ({@link TopUpLink}) */
    Screen topUp(String lang, long userId) {
        List<Button> packages = new ArrayList<>();
        for (long stars : settings.starsPackages()) {
            packages.add(Button.callback(t(lang, Msg.TOPUP_PACKAGE, stars, money(lang, stars * settings.starPrice())),
                    CallbackData.evergreen(CallbackAction.STARS_PACK, Long.toString(stars))));
        }
        Keyboard kb = Keyboard.grid(packages, 2);
        if (manual.enabled()) {
            kb = kb.plus(List.of(button(lang, Msg.BUTTON_MANUAL_TOPUP, CallbackAction.MANUAL_TOPUP, "")));
        }
        if (payPage.isPresent()) {
            kb = kb.plus(List.of(Button.link(t(lang, Msg.BUTTON_TOPUP_LINK), payPage(payPage.get(), userId))));
        }
        return new Screen(topUpTitle(lang), kb.plus(List.of(home(lang))));
    }

    /**
     * The partner's page for this user, refused (the update fails, naming it) unless a web address Telegram takes
     * for a link button: http(s) with a host ({@code https:pay.example.com} and {@code https:///x} have none, and
     * Telegram would refuse the whole screen at send), and no user-info part ({@code name:password@}: the address is
     * shown to the user, and may hold no secret).
     */
    private static String payPage(TopUpLink link, long userId) {
        java.net.URI page = link.forUser(userId);
        Optional<String> wrong = page == null ? Optional.of("null") : notAWebAddress(page);
        if (wrong.isPresent()) {
            // the address itself is left out: it names the user as the partner chose
            throw new IllegalStateException("Shop.Builder.topUpLink gave " + wrong.get()
                    + " for a user's /topup: give https://… of your payment page");
        }
        return page.toString();
    }

    /** Why {@code page} is no address for a link button, said without the address; empty when it is one. */
    private static Optional<String> notAWebAddress(java.net.URI page) {
        if (!page.isAbsolute() || !("https".equalsIgnoreCase(page.getScheme())
                || "http".equalsIgnoreCase(page.getScheme()))) {
            return Optional.of("an address that is not an absolute http(s) one (scheme: " + page.getScheme() + ")");
        }
        if (page.isOpaque() || page.getHost() == null || page.getHost().isEmpty()) {
            return Optional.of("an http(s) address with no host (Telegram refuses it as a link button)");
        }
        if (page.getRawUserInfo() != null) {
            return Optional.of("an address with a user-info part (name:password@): it is shown to the user, so it "
                    + "may hold no secret");
        }
        return Optional.empty();
    }

    /**
     * The Stars packs' line (and the card's when offered; another way's with the payment page); without Stars, the
     * ways there are, or where to ask.
     */
    private String topUpTitle(String lang) {
        if (settings.starsOffered()) {
            if (payPage.isPresent()) {
                return t(lang, Msg.TOPUP_TITLE_LINK);
            }
            // «Оплата — звёздами» above a «Картой / СБП» button read as a contradiction
            return t(lang, manual.enabled() ? Msg.TOPUP_TITLE_CARD : Msg.TOPUP_TITLE);
        }
        if (payPage.isPresent()) {
            return t(lang, manual.enabled() ? Msg.TOPUP_LINK_OR_MANUAL : Msg.TOPUP_LINK_ONLY);
        }
        return manual.enabled() ? t(lang, Msg.TOPUP_MANUAL_ONLY) : t(lang, Msg.TOPUP_UNAVAILABLE, supportContact(lang));
    }

    Screen terms(String lang, String text, boolean termsAccepted) {
        return terms(lang, text, termsAccepted, OptionalLong.empty());
    }

    /**
     * @param pack the Stars package pressed before the terms were accepted: the accepting button pays it too (one step,
     *             where accepting showed the packages again to press the same one)
     */
    Screen terms(String lang, String text, boolean termsAccepted, OptionalLong pack) {
        List<Button> row = new ArrayList<>();
        if (!termsAccepted && pack.isPresent()) {
            // its own row: «✅ Принимаю и оплачиваю 1 500 ₽» beside «🏠 Меню» was cut on a phone
            return new Screen(text, new Keyboard(List.of(List.of(Button.callback(t(lang, Msg.BUTTON_ACCEPT_PAY,
                    money(lang, pack.getAsLong() * settings.starPrice())), CallbackData.evergreen(
                    CallbackAction.ACCEPT_TERMS, Long.toString(pack.getAsLong())))), List.of(home(lang)))));
        } else if (!termsAccepted) {
            row.add(button(lang, Msg.BUTTON_ACCEPT, CallbackAction.ACCEPT_TERMS, ""));
        }
        row.add(home(lang));
        return new Screen(text, Keyboard.of(row));
    }

    /**
     * «➕ 75 ₽ за 50 ⭐»: the smallest Stars package that covers {@code shortfall}, for the confirmation that cannot be
     * paid (the whole list of packages, read after a tap, was one more step for every first payer); none when Stars are
     * not offered or no package covers it.
     */
    Optional<Button> packCovering(String lang, long shortfall) {
        return settings.starsPackages().stream().sorted()
                .filter(stars -> stars * settings.starPrice() >= shortfall)
                .findFirst()
                .map(stars -> Button.callback(t(lang, Msg.BUTTON_TOPUP_PACK, t(lang, Msg.TOPUP_PACKAGE, stars,
                        money(lang, stars * settings.starPrice()))),
                        CallbackData.evergreen(CallbackAction.STARS_PACK, Long.toString(stars))));
    }

    Screen language(String lang) {
        return new Screen(t(lang, Msg.LANGUAGE_TITLE), Keyboard.of(List.of(
                Button.callback("🇷🇺 Русский", CallbackData.evergreen(CallbackAction.SET_LANGUAGE, "ru")),
                Button.callback("🇬🇧 English", CallbackData.evergreen(CallbackAction.SET_LANGUAGE, "en")))));
    }

    Screen info(String lang, String text) {
        return new Screen(text, homeOnly(lang));
    }

    /**
     * What the shop makes, as the welcome and the help say it («картинки, видео и музыку»): only the categories its
     * catalog has. A partner's shop of image models alone promised videos, speech and music too.
     */
    String works(String lang) {
        List<String> words = catalog.categories().stream().map(c -> t(lang, switch (c) {
            case IMAGE -> Msg.WORKS_IMAGE;
            case VIDEO -> Msg.WORKS_VIDEO;
            case AUDIO -> Msg.WORKS_AUDIO;
            case MUSIC -> Msg.WORKS_MUSIC;
        })).toList();
        if (words.size() < 2) {
            return String.join("", words); // a catalog has a model, so one category at least
        }
        return t(lang, Msg.WORKS_LAST, String.join(", ", words.subList(0, words.size() - 1)),
                words.get(words.size() - 1));
    }

    /**
     * Where users get help, after «Поддержка:»: the contact, or without one /paysupport, whose messages reach the admins
     * (and with no admins either, that there is none yet: never an account that is nobody's); then the extra line.
     */
    String supportContact(String lang) {
        String where = settings.support().orElseGet(() -> t(lang,
                settings.adminIds().isEmpty() ? Msg.SUPPORT_NONE : Msg.SUPPORT_VIA_BOT));
        return where + supportText();
    }

    /** After a text that already says where to write: « Можно также написать @helpdesk.», or nothing. */
    String alsoWrite(String lang) {
        return settings.support().map(c -> " " + t(lang, Msg.SUPPORT_ALSO, c)).orElse("");
    }

    String supportText() {
        return settings.supportText().map(s -> "\n" + s).orElse("");
    }
}
