package dev.kiebot.core.conversation;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.FreeTier;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.catalog.Quote;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.text.Msg;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a chat goes when the user asks for a place — by command or by button — and what it sees there:
 * each method chooses the next state, then shows the screen {@link Screens} renders for it.
 */
final class Navigation {
    /**
     * Jobs a page of /history: ten, each with its words, took two screens of a phone; five leave every delivered
     * one its «📤» button under the list, in its order.
     */
    static final int HISTORY_SIZE = 5;
    /** Pages of /history: the last 50 jobs; older ones are in the admins' /find. One digit: the button's argument. */
    static final int HISTORY_PAGES = 10;
    /** Lines of /payments: 20 took more than a phone's screen. */
    static final int STATEMENT_SIZE = 10;
    /** Running jobs shown at most (the status screens' list): nobody waits for more at once. */
    private static final int RUNNING_SHOWN = 20;
    static final int POPULAR_SIZE = 10;
    static final Duration POPULAR_WINDOW = Duration.ofDays(7);

    private final Catalog catalog;
    private final Pricing pricing;
    private final FreeTier freeTier;
    private final Screens screens;
    private final PaymentScreens payments;
    private final JobScreens jobScreens;

    Navigation(Catalog catalog, Pricing pricing, FreeTier freeTier, Screens screens, PaymentScreens payments,
               JobScreens jobScreens) {
        this.catalog = catalog;
        this.pricing = pricing;
        this.freeTier = freeTier;
        this.screens = screens;
        this.payments = payments;
        this.jobScreens = jobScreens;
    }

    String t(Turn turn, Msg msg, Object... args) {
        return screens.t(turn.language, msg, args);
    }

    int freeLeft(Context ctx) {
        return freeTier.left(ctx.freeUsedToday());
    }

    String newDay(Turn turn, Context ctx) {
        return screens.newDay(turn.language, ctx.now());
    }

    String money(Turn turn, long minor) {
        return screens.money(turn.language, minor);
    }

    java.util.OptionalLong typedAmount(String text) {
        return screens.typedAmount(text);
    }

    String balanceText(Turn turn, Context ctx) {
        return screens.money(turn.language, ctx.balance());
    }

    String supportContact(Turn turn) {
        return screens.supportContact(turn.language);
    }

    String menuTitle(Turn turn, Context ctx) {
        return screens.menuTitle(turn.language, ctx.balance());
    }

    /** The menu, an order being made kept ({@link #aside}): /menu or «🏠 Меню» mid-order is a look around, not a «no». */
    void menu(Turn turn, String text) {
        aside(turn, screens.menu(turn.language, text));
    }

    /** The menu with {@code aside}'s line under {@code text} and its buttons over the menu's. */
    void menu(Turn turn, String text, Screen aside) {
        Screen menu = screens.menu(turn.language, text + "\n\n" + aside.text());
        List<List<Button>> rows = new ArrayList<>(aside.keyboard().rows());
        rows.addAll(menu.keyboard().rows());
        aside(turn, new Screen(menu.text(), new Keyboard(rows)));
    }

    /**
     * The welcome: the menu, under a button that asks the first question of a picture from a description, free, while
     * the user has free generations: a newcomer came to the first picture in five taps (the free list, a model, its
     * card, «Начать»), with it in two, /start and this. It takes the place of «🆓 Бесплатные модели»
     * ({@link #menuOpeningWith}).
     */
    void welcome(Turn turn, Context ctx, String text) {
        Optional<Model> picture = freeLeft(ctx) > 0 && !ctx.freeGivenOutToAll() ? freePicture(ctx) : Optional.empty();
        if (picture.isEmpty()) {
            menu(turn, text);
            return;
        }
        menuOpeningWith(turn, text, List.of(Button.callback(t(turn, Msg.MENU_FREE_IMAGE),
                CallbackData.evergreen(CallbackAction.START_INPUTS, picture.get().id()))));
    }

    /**
     * The welcome of a user who has made something before ({@code /start} a week later): his balance, his free
     * generations left and his last result, with «🔁 Ещё раз» and «📤 Получить» of it over the menu. The newcomer's
     * welcome (what the bot makes, a free picture to begin with) told him what he knew, and his last result was four
     * taps away (the history, its button).
     *
     * @param above a line over the welcome (an invitation link he came by), or nothing
     * @param last  his newest delivered job; empty when the results listed after the welcome name it
     *              ({@link Context#unsentListed}): the plain menu then, the list's buttons being what he came for
     */
    void welcomeBack(Turn turn, Context ctx, String above, Optional<Job> last) {
        String free = freeTier.offered() && !ctx.freeGivenOutToAll() && freeLeft(ctx) > 0
                ? "\n" + t(turn, Msg.BALANCE_FREE, freeLeft(ctx), freeTier.dailyLimit()) : "";
        String text = above + t(turn, Msg.WELCOME_BACK, ctx.user().firstName(), screens.money(turn.language,
                ctx.balance())) + free;
        if (last.isEmpty()) {
            menu(turn, text);
            return;
        }
        menuOpeningWith(turn, text + "\n" + jobScreens.last(turn.language, last.get()),
                jobScreens.againAndResend(turn.language, last.get()));
    }

    /**
     * The menu under {@code text} with {@code first} as its first row, in place of «🆓 Бесплатные модели» (of
     * «🔥 Популярное» in a shop with no free tier): the welcome keeps the 11 buttons {@code Messenger} promises partners
     * a user's screen stays within. It was «🔥 Популярное» that made room, and the newcomer's welcome had two 🆓
     * buttons, a free picture and the free list, and no «🔥 Популярное» the menu has (review T2): the free models are
     * 🆓 in every section, and the balance line says how many are left.
     */
    private void menuOpeningWith(Turn turn, String text, List<Button> first) {
        Screen menu = screens.menu(turn.language, text);
        String free = CallbackData.evergreen(CallbackAction.FREE_MODELS);
        String dropped = menu.keyboard().buttons().stream().anyMatch(b -> b.data().filter(free::equals).isPresent())
                ? free : CallbackData.evergreen(CallbackAction.POPULAR);
        List<List<Button>> rows = new ArrayList<>();
        rows.add(first);
        menu.keyboard().rows().stream()
                .map(row -> row.stream().filter(b -> !b.data().filter(dropped::equals).isPresent()).toList())
                .filter(row -> !row.isEmpty()).forEach(rows::add);
        aside(turn, new Screen(menu.text(), new Keyboard(rows)));
    }

    /**
     * The cheapest model making a picture from a description alone that is free for the user now (its usual price is
     * that of its dearest free option), and not paused.
     */
    private Optional<Model> freePicture(Context ctx) {
        List<Model> pictures = freeModels().stream().filter(m -> freeRank(m) == 0 && !ctx.paused(m.id())).toList();
        Set<dev.kiebot.core.catalog.SkuRef> free = freeTier.freeNow(pictures, ctx::freeUsedToday);
        return pictures.stream().filter(m -> free.stream().anyMatch(r -> r.modelId().equals(m.id())))
                .min(java.util.Comparator.comparingLong(m -> screens.usualPrice(m, free)));
    }

    /** The menu after a «no» to the order being made (/cancel, «✖ Отмена»): it goes, and so does any order kept. */
    void cancelled(Turn turn, String text) {
        turn.keepWaitingOrder(Optional.empty());
        turn.moveTo(new ChatState.Menu());
        turn.show(screens.menu(turn.language, text));
    }

    void menu(Turn turn, Context ctx) {
        menu(turn, menuTitle(turn, ctx));
    }

    /** A screen with just text and the way home; the chat is at the menu, an order being made kept. */
    void info(Turn turn, String text) {
        aside(turn, screens.info(turn.language, text));
    }

    /**
     * An information screen (the balance, the help, the history…) or a top-up asked while an order is being made: the
     * order is kept in the session, as a top-up from the confirmation always kept it ({@link KeptOrder}), instead of
     * going with the screen it was on: the description typed and the photos sent were lost to one look at the balance.
     * Call before the chat moves.
     */
    void keepOrder(Turn turn) {
        KeptOrder.of(turn.state()).ifPresent(order -> turn.keepWaitingOrder(Optional.of(order)));
    }

    /** {@code screen} shown aside from an order being made: the order kept, the chat at the menu, the way back on it. */
    private void aside(Turn turn, Screen screen) {
        aside(turn, new ChatState.Menu(), screen);
    }

    /** {@code screen} shown aside from an order being made, the chat moving to {@code state} (a category, a card). */
    private void aside(Turn turn, ChatState state, Screen screen) {
        keepOrder(turn);
        turn.moveTo(state);
        turn.show(resumable(turn, screen));
    }

    /**
     * A new order begins (a model's «▶️ Начать», «🔁 Ещё раз», a photo sent on a card, a text on another model's
     * card): the order being made or kept goes, one order at a time; the user is told in a line, since every screen
     * offered it until now.
     */
    void replaceKeptOrder(Turn turn) {
        Optional<ChatState.Confirming> kept = KeptOrder.of(turn.state()).or(turn::waitingOrder);
        if (kept.isEmpty()) {
            return;
        }
        turn.keepWaitingOrder(Optional.empty());
        catalog.model(kept.get().modelId()).ifPresent(m -> say(turn, Msg.ORDER_REPLACED, m.title(turn.language)));
    }

    /** {@code screen} with «↩️ Вернуться к генерации» over its buttons while an order is kept ({@link #keepOrder}). */
    private Screen resumable(Turn turn, Screen screen) {
        if (turn.waitingOrder().isEmpty()) {
            return screen;
        }
        List<List<Button>> rows = new ArrayList<>();
        rows.add(List.of(Button.callback(t(turn, Msg.BUTTON_RESUME_ORDER),
                CallbackData.evergreen(CallbackAction.RESUME_ORDER))));
        rows.addAll(screen.keyboard().rows());
        return new Screen(screen.text(), new Keyboard(rows));
    }

    /**
     * A page of a section's models; of a section split into shelves ({@link #shelved}), of one shelf, the
     * description's when none is named (the menu's button, and the page buttons of the build before the shelves).
     */
    void browse(Turn turn, Context ctx, Category category, Optional<Shelf> shelf, int page) {
        Optional<Shelf> on = shelved(category) ? shelf.or(() -> Optional.of(Shelf.BY_DESCRIPTION)) : Optional.empty();
        List<Model> models = on.map(s -> shelf(category, s)).orElseGet(() -> catalog.models(category));
        int size = on.isPresent() ? Screens.Shelves.PAGE_SIZE : ShopSettings.PAGE_SIZE;
        int pages = Math.max(1, (models.size() + size - 1) / size);
        int p = Math.max(0, Math.min(page, pages - 1));
        Optional<Screens.Shelves> shelves = on.map(s -> new Screens.Shelves(s,
                shelf(category, Shelf.BY_FILE).stream().anyMatch(Shelf::needsVideo)));
        aside(turn, new ChatState.Browsing(category, p), screens.browse(turn.language, category, models, shelves, p,
                pages, new Screens.ModelList(freeTier.freeNow(models, ctx::freeUsedToday), ctx::paused)));
    }

    /**
     * Whether a section is shown on two shelves, by description and by file: when its models fill more than a page
     * and both kinds are there. A section of one page is read at a glance, and a choice before it would be a tap more.
     */
    boolean shelved(Category category) {
        List<Model> models = catalog.models(category);
        return models.size() > ShopSettings.PAGE_SIZE && models.stream().anyMatch(Shelf::needsFile)
                && !models.stream().allMatch(Shelf::needsFile);
    }

    /** The models of a section on one shelf, in the catalog's order. */
    private List<Model> shelf(Category category, Shelf shelf) {
        return catalog.models(category).stream().filter(m -> Shelf.of(m) == shelf).toList();
    }

    void free(Turn turn, Context ctx) {
        aside(turn, screens.free(turn.language, freeLeft(ctx), ctx.freeGivenOutToAll(), freeModels(),
                new Screens.ModelList(freeTier.freeNow(ctx.freeUsedToday()), ctx::paused), ctx.now()));
    }

    /**
     * The models with a free option, for a newcomer first what he can try with nothing but words: pictures from a
     * description, then pictures from a photo, then the rest (sounds, speech), each in the catalog's order. The list
     * began with «Звуки ElevenLabs» and, of five, only the fourth made a picture from a text.
     */
    List<Model> freeModels() {
        return catalog.models().stream().filter(m -> freeTier.hasFreeSku(m.id()))
                .sorted(java.util.Comparator.comparingInt(Navigation::freeRank)).toList();
    }

    private static int freeRank(Model m) {
        return m.category() != Category.IMAGE ? 2 : Shelf.needsFile(m) ? 1 : 0;
    }

    void card(Turn turn, Context ctx, Model m) {
        card(turn, ctx, m, "");
    }

    /**
     * A model's card, an order being made kept ({@link #aside}). The card of the model of the order kept says so: the
     * way back goes on with it where it was, «▶️ Начать» begins anew.
     *
     * @param above a line over the card (a new user's greeting), or nothing
     */
    void card(Turn turn, Context ctx, Model m, String above) {
        Button back = screens.back(turn.language, m, shelved(m.category()));
        Screen card = ctx.paused(m.id()) ? screens.pausedCard(turn.language, m, back)
                : screens.card(turn.language, m, freeLeft(ctx), ctx.expectedTime(m), back);
        String text = above.isEmpty() ? card.text() : above + "\n\n" + card.text();
        boolean ordering = KeptOrder.of(turn.state()).or(turn::waitingOrder)
                .filter(o -> o.modelId().equals(m.id())).isPresent();
        if (ordering && !ctx.paused(m.id())) {
            text += "\n\n" + t(turn, Msg.MODEL_ORDER_KEPT, t(turn, Msg.BUTTON_RESUME_ORDER), t(turn, Msg.MODEL_GENERATE));
        }
        aside(turn, new ChatState.Viewing(m.id()), new Screen(text, card.keyboard()));
    }

    /**
     * The models with the most delivered jobs this week, topped up from the catalog's own order (most popular
     * first) while the shop is new, {@value #POPULAR_SIZE} in all.
     */
    void popular(Turn turn, Context ctx) {
        Set<Model> popular = new LinkedHashSet<>();
        ctx.mostDelivered(ctx.now().minus(POPULAR_WINDOW), POPULAR_SIZE).forEach(id -> catalog.model(id)
                .ifPresent(popular::add));
        for (Model m : catalog.models()) {
            if (popular.size() >= POPULAR_SIZE) {
                break;
            }
            popular.add(m);
        }
        List<Model> shown = popular.stream().limit(POPULAR_SIZE).toList();
        aside(turn, screens.popular(turn.language, shown,
                new Screens.ModelList(freeTier.freeNow(shown, ctx::freeUsedToday), ctx::paused)));
    }

    /** What the shop makes, in words: only the categories of its catalog ({@link Screens#works}). */
    String works(Turn turn) {
        return works(turn.language);
    }

    String works(String lang) {
        return screens.works(lang);
    }

    void help(Turn turn, Context ctx) {
        String free = freeTier.offered() ? t(turn, Msg.HELP_FREE, freeTier.dailyLimit(), freeTier.skus().size(),
                screens.newDay(turn.language, ctx.now())) : "";
        if (screens.invitationsOffered()) {
            free += (free.isEmpty() ? "" : "\n") + t(turn, Msg.HELP_INVITE, screens.referral().percent(),
                    screens.money(turn.language, screens.referral().maxMinorUnits()));
        }
        if (ctx.admin()) {
            free += (free.isEmpty() ? "" : "\n") + t(turn, Msg.HELP_ADMIN);
        }
        info(turn, t(turn, Msg.HELP, free, screens.supportContact(turn.language), screens.works(turn.language)));
    }

    void balance(Turn turn, Context ctx) {
        aside(turn, screens.balance(turn.language, ctx.balance(), ctx.reserved(), freeLeft(ctx),
                ctx.freeGivenOutToAll(), ctx.now()));
    }

    /** /invite: the link is the user's and its count is the store's, so the storefront writes it. */
    void invite(Turn turn) {
        turn.moveTo(new ChatState.Menu());
        if (screens.invitationsOffered()) {
            turn.effect(new Effect.ShowInvitation());
        } else {
            info(turn, t(turn, Msg.INVITE_OFF));
        }
    }

    /** /payments: the wallet's last money movements. */
    void statement(Turn turn, Context ctx) {
        aside(turn, payments.statement(turn.language, ctx.statement(STATEMENT_SIZE), ctx.now()));
    }

    /** @param termsAccepted passed in because accepting the terms and opening top-up are one step */
    void topUp(Turn turn, Context ctx, boolean termsAccepted) {
        topUp(turn, ctx, termsAccepted, "");
    }

    /**
     * The Stars packages, or the terms first. Asked while an order is made (/topup at a question) they offer the way
     * back to it, as /balance does; from the confirmation that could not be paid they come under it, the order left in
     * sight, where they replaced it.
     *
     * @param above a line over the packages (the terms just accepted), or nothing
     */
    void topUp(Turn turn, Context ctx, boolean termsAccepted, String above) {
        if (turn.state() instanceof ChatState.Confirming) {
            turn.stopEditing();
        }
        if (!termsAccepted) {
            terms(turn, ctx, t(turn, Msg.TOPUP_TERMS_FIRST, t(turn, Msg.TERMS)));
            return;
        }
        // from the order it could not pay, or its question: offered again once the money is in (CreditNotice)
        Screen packages = screens.topUp(turn.language, ctx.user().id());
        String over = shortfall(turn, ctx).map(s -> above.isEmpty() ? s : above + "\n" + s).orElse(above);
        aside(turn, new ChatState.TopUp(), over.isEmpty() ? packages
                : new Screen(over + "\n" + packages.text(), packages.keyboard()));
    }

    /**
     * «Не хватает 124,57 ₽ на генерацию «Клинг».»: what the order kept at its confirmation is short of, said where the
     * amount is chosen. The amounts came under the terms, a tap or two after the confirmation that said it, and the
     * user chose a sum with nothing in sight to cover; empty when no confirmed order waits or the balance covers it.
     */
    private Optional<String> shortfall(Turn turn, Context ctx) {
        Optional<ChatState.Confirming> order = KeptOrder.of(turn.state()).or(turn::waitingOrder)
                .filter(o -> !o.values().containsKey(KeptOrder.ASKED));
        Optional<Model> m = order.flatMap(o -> catalog.model(o.modelId()));
        if (m.isEmpty() || m.get().skuFor(order.get().values()).isEmpty()) {
            return Optional.empty(); // a model gone or its options changed: the order's own screen says so on return
        }
        Quote q = Quote.of(m.get(), order.get().values(), pricing, freeTier, ctx.balance(), ctx.freeUsedToday());
        return q.affordable() ? Optional.empty() : Optional.of(t(turn, Msg.TOPUP_SHORTFALL,
                money(turn, q.price() - ctx.balance()), m.get().title(turn.language)));
    }

    /**
     * A Stars package pressed before the terms were accepted: the terms, under the order when it is the one that could
     * not be paid, their button accepting them and paying that package at once.
     */
    void termsBeforePack(Turn turn, Context ctx, long stars) {
        if (turn.state() instanceof ChatState.Confirming) {
            turn.stopEditing();
        }
        aside(turn, screens.terms(turn.language, t(turn, Msg.TOPUP_TERMS_FIRST, t(turn, Msg.TERMS)), false,
                java.util.OptionalLong.of(stars)));
    }

    /**
     * The Stars packages again, under «choose with the buttons»: what was sent there is no package, and the packages'
     * message may be far up the chat.
     */
    void topUpAgain(Turn turn, Context ctx) {
        Screen packages = screens.topUp(turn.language, ctx.user().id());
        turn.show(new Screen(t(turn, Msg.EXPECTED_BUTTON) + "\n\n" + packages.text(), packages.keyboard()));
    }

    void terms(Turn turn, Context ctx, String text) {
        aside(turn, screens.terms(turn.language, text, ctx.user().termsAccepted()));
    }

    void history(Turn turn, Context ctx) {
        history(turn, ctx, 0);
    }

    /**
     * Page {@code page} (from 0) of the user's jobs, newest first, {@value #HISTORY_SIZE} a page, at most
     * {@value #HISTORY_PAGES} pages: one read of the jobs up to the page's end and one more, which says whether
     * another page follows.
     */
    void history(Turn turn, Context ctx, int page) {
        int from = page * HISTORY_SIZE;
        List<Job> jobs = ctx.recentJobs(from + HISTORY_SIZE + 1);
        List<Job> shown = jobs.subList(Math.min(from, jobs.size()), Math.min(from + HISTORY_SIZE, jobs.size()));
        boolean more = jobs.size() > from + HISTORY_SIZE && page + 1 < HISTORY_PAGES;
        Set<JobId> refunded = shown.stream().filter(ctx::refundedAfterCharge).map(Job::id).collect(Collectors.toSet());
        // a charged job's line says what its charge took (a lesser result's is less than its price)
        Map<JobId, Long> charged = shown.stream()
                .filter(j -> !j.free() && (j.state() == JobState.SUCCEEDED || j.state() == JobState.DELIVERED))
                .collect(Collectors.toMap(Job::id, ctx::charged));
        // a failed paid job's void too: what it owed of a Stars refund reported while it ran went to the Stars
        Map<JobId, Long> inStars = shown.stream().filter(j -> refunded.contains(j.id())
                        || (!j.free() && j.state() == JobState.FAILED))
                .collect(Collectors.toMap(Job::id, ctx::refundedInStars));
        aside(turn, jobScreens.history(turn.language, shown, refunded, charged, inStars, page, more));
    }

    /**
     * The user's jobs still running, newest first, at most {@value #RUNNING_SHOWN}: read from his unfinished jobs
     * alone. His newest 20 jobs were read and filtered, on every plain text at the menu, and one running behind 20
     * finished ones was not shown.
     */
    List<Job> running(Context ctx) {
        return ctx.unfinishedJobs(RUNNING_SHOWN);
    }

    /** How long each of these jobs' models usually takes. */
    private Map<String, Duration> expected(Context ctx, List<Job> jobs) {
        Map<String, Duration> out = new HashMap<>();
        jobs.forEach(j -> catalog.model(j.modelId()).ifPresent(m -> out.computeIfAbsent(m.id(),
                id -> ctx.expectedTime(m))));
        return out;
    }

    /**
     * The status of one job and the user's other running jobs (not an admin's, for another's job), as a new message.
     *
     * @param keepScreen the chat stays where it is, its buttons good (the order waiting for «Сгенерировать», the
     *                   receipt awaited): the status's own buttons are evergreen and need no new state
     */
    void jobStatus(Turn turn, Context ctx, Job j, boolean keepScreen) {
        boolean own = j.userId() == ctx.user().id();
        List<Job> others = own ? running(ctx).stream().filter(o -> !o.id().equals(j.id())).toList() : List.of();
        List<Job> all = new ArrayList<>(others);
        all.add(j);
        if (!keepScreen) {
            turn.moveTo(new ChatState.Menu());
        }
        turn.send(jobScreens.jobStatus(turn.language, j, own, others, ctx.now(), expected(ctx, all)));
    }

    /**
     * /cancel with no order being made while generations run: the order went already, so nothing is cancelled, and
     * «Отменено» would have the user think the job and its charge were; the running list with how a queued one is.
     * @return false when none runs
     */
    boolean cancelAfterSent(Turn turn, Context ctx) {
        List<Job> running = running(ctx);
        if (running.isEmpty()) {
            return false;
        }
        turn.moveTo(new ChatState.Menu());
        Screen list = jobScreens.running(turn.language, running, ctx.now(), expected(ctx, running));
        // which job, and what becomes of its money: «nothing to cancel» under a job visibly running read as a refusal
        List<String> said = new ArrayList<>();
        // «Генерацию gen_1 …» or «Генерации gen_1, gen_2 …»: a sentence began with the bare number
        say(said, turn, running, j -> !queued(j) && !j.free(), Msg.CANCEL_STARTED, Msg.CANCEL_STARTED_MANY);
        say(said, turn, running, j -> !queued(j) && j.free(), Msg.CANCEL_STARTED_FREE, Msg.CANCEL_STARTED_FREE_MANY);
        say(said, turn, running, Navigation::queued, Msg.CANCEL_QUEUED, Msg.CANCEL_QUEUED_MANY,
                t(turn, Msg.BUTTON_CANCEL_JOB));
        turn.show(new Screen(String.join("\n", said) + "\n\n" + list.text(), list.keyboard()));
        return true;
    }

    /** Not sent to the provider yet: its «✖ Отменить генерацию» still cancels it. */
    private static boolean queued(Job j) {
        return j.state() == dev.kiebot.core.jobs.JobState.CREATED || j.state() == dev.kiebot.core.jobs.JobState.HELD;
    }

    /** One sentence naming the jobs that {@code which}, in their number ({@code one} or {@code many}); none: none. */
    private void say(List<String> said, Turn turn, List<Job> jobs, java.util.function.Predicate<Job> which, Msg one,
                     Msg many, Object... more) {
        List<Job> named = jobs.stream().filter(which).toList();
        if (named.isEmpty()) {
            return;
        }
        Object[] args = new Object[more.length + 1];
        args[0] = ids(named);
        System.arraycopy(more, 0, args, 1, more.length);
        said.add(t(turn, named.size() == 1 ? one : many, args));
    }

    /** «gen_5, gen_6»: the numbers of the jobs. */
    private static String ids(List<Job> jobs) {
        return jobs.stream().map(j -> j.id().display()).collect(Collectors.joining(", "));
    }

    /** /status: every job the user is waiting for. */
    void runningJobs(Turn turn, Context ctx) {
        List<Job> running = running(ctx);
        aside(turn, jobScreens.running(turn.language, running, ctx.now(), expected(ctx, running)));
    }

    /** /language: an order being made stays, to be asked on in the language chosen ({@link ButtonPress}). */
    void language(Turn turn) {
        if (!(turn.state() instanceof ChatState.Collecting || turn.state() instanceof ChatState.Confirming)) {
            turn.moveTo(new ChatState.Menu());
        }
        turn.show(screens.language(turn.language));
    }

    /** A short answer without buttons; the state stays. */
    void say(Turn turn, Msg msg, Object... args) {
        turn.send(t(turn, msg, args), Keyboard.NONE);
    }
}
