package dev.kiebot.core.conversation;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.FreeTier;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The conversation as a pure function: {@code (session, event, facts) → (session', replies,
 * effects)}. It never writes anywhere; the {@code Storefront} carries out the effects. Every
 * event gets at least one reply or an effect whose execution replies (payments, admin).
 */
public final class Conversation {
    static final Set<String> ADMIN_COMMANDS = Set.of("admin", "find", "topup_user", "refund", "users", "broadcast");

    private final Catalog catalog;
    private final FreeTier freeTier;
    private final ShopSettings settings;
    private final Screens screens;
    private final InputCollection inputs;

    public Conversation(Catalog catalog, Pricing pricing, FreeTier freeTier, Texts texts, ShopSettings settings) {
        this.catalog = catalog;
        this.freeTier = freeTier;
        this.settings = settings;
        this.screens = new Screens(catalog, pricing, freeTier, texts, settings);
        this.inputs = new InputCollection(screens);
    }

    public Step handle(ChatSession session, Incoming in, Context ctx) {
        Event e = in.event();
        Optional<Integer> editable = e instanceof Event.Callback cb ? cb.messageId() : Optional.empty();
        Turn turn = new Turn(in.actor().chatId(), ctx.user().language(), session, editable);
        if (e instanceof Event.Command c) {
            command(turn, c, ctx);
        } else if (e instanceof Event.Text t) {
            text(turn, t.text(), ctx);
        } else if (e instanceof Event.Media m) {
            media(turn, m, ctx);
        } else if (e instanceof Event.Callback cb) {
            callback(turn, cb, ctx);
        } else if (e instanceof Event.PreCheckout p) {
            turn.effect(new Effect.AnswerPreCheckout(p.queryId(), p.payload(), p.currency(), p.totalAmount()));
        } else if (e instanceof Event.SuccessfulPayment p) {
            turn.effect(new Effect.CreditStars(p.chargeId(), p.payload(), p.currency(), p.totalAmount()));
        } else if (e instanceof Event.RefundedPayment p) {
            turn.effect(new Effect.RecordStarsRefund(p.chargeId(), p.totalAmount()));
        } else if (e instanceof Event.MembershipChanged mc) {
            turn.effect(new Effect.SetBlocked(mc.blocked()));
            if (!mc.blocked()) {
                screens.menu(turn, ctx, screens.t(turn, Msg.WELCOME_BACK, ctx.user().firstName(),
                        screens.money(ctx.balance())));
            }
        } else {
            unsupported(turn, ctx);
        }
        return turn.step();
    }

    // ---- commands -------------------------------------------------------------------------

    private void command(Turn turn, Event.Command c, Context ctx) {
        if (ADMIN_COMMANDS.contains(c.name())) {
            if (ctx.admin()) {
                turn.effect(new Effect.Admin(c.name(), c.args()));
            } else {
                screens.info(turn, screens.t(turn, Msg.ADMIN_ONLY));
            }
            return;
        }
        switch (c.name()) {
            case "start" -> screens.menu(turn, ctx, screens.t(turn, Msg.WELCOME, ctx.user().firstName(),
                    screens.money(ctx.balance()), screens.freeLeft(ctx), freeTier.dailyLimit()));
            case "menu" -> screens.menu(turn, ctx);
            case "help" -> screens.info(turn, screens.t(turn, Msg.HELP));
            case "balance" -> screens.balance(turn, ctx);
            case "topup" -> screens.topUp(turn, ctx, ctx.user().termsAccepted());
            case "history" -> screens.history(turn, ctx);
            case "language" -> screens.language(turn);
            case "cancel" -> screens.menu(turn, ctx, screens.t(turn, Msg.CANCELLED));
            case "terms" -> screens.terms(turn, ctx, screens.t(turn, Msg.TERMS));
            case "privacy" -> screens.info(turn, screens.t(turn, Msg.PRIVACY));
            case "support" -> screens.info(turn, screens.t(turn, Msg.SUPPORT, screens.supportContact()));
            case "paysupport" -> screens.info(turn, screens.t(turn, Msg.PAYSUPPORT, screens.supportContact()));
            default -> screens.menu(turn, ctx, screens.t(turn, Msg.UNKNOWN_COMMAND) + "\n"
                    + screens.t(turn, Msg.MENU_TITLE, screens.money(ctx.balance())));
        }
    }

    // ---- free text and files ----------------------------------------------------------------

    private void text(Turn turn, String text, Context ctx) {
        ChatState s = turn.session.state();
        if (s instanceof ChatState.Collecting c) {
            Optional<Model> m = catalog.model(c.modelId());
            if (m.isPresent()) {
                inputs.text(turn, ctx, m.get(), c, text);
                return;
            }
        }
        Optional<JobId> id = JobId.parse(text);
        if (id.isPresent()) {
            Optional<Job> job = ctx.job(id.get()).filter(j -> j.userId() == ctx.user().id() || ctx.admin());
            if (job.isPresent()) {
                screens.jobStatus(turn, job.get());
            } else {
                screens.info(turn, screens.t(turn, Msg.JOB_NOT_FOUND, id.get().display()));
            }
            return;
        }
        if (s instanceof ChatState.Confirming) {
            turn.send(screens.t(turn, Msg.EXPECTED_BUTTON), Keyboard.NONE);
            return;
        }
        screens.menu(turn, ctx, screens.t(turn, Msg.HINT_USE_MENU));
    }

    private void media(Turn turn, Event.Media media, Context ctx) {
        ChatState s = turn.session.state();
        Optional<Model> model = s instanceof ChatState.Collecting c ? catalog.model(c.modelId()) : Optional.empty();
        if (model.isEmpty()) {
            unsupported(turn, ctx);
            return;
        }
        inputs.file(turn, ctx, model.get(), (ChatState.Collecting) s, media);
    }

    private void unsupported(Turn turn, Context ctx) {
        ChatState s = turn.session.state();
        if (s instanceof ChatState.Collecting c && catalog.model(c.modelId()).isPresent()) {
            screens.ask(turn, catalog.model(c.modelId()).get(), c, screens.t(turn, Msg.UNSUPPORTED_MESSAGE));
            return;
        }
        screens.menu(turn, ctx, screens.t(turn, Msg.UNSUPPORTED_MESSAGE) + "\n" + screens.t(turn, Msg.HINT_USE_MENU));
    }

    // ---- buttons ------------------------------------------------------------------------------

    private void callback(Turn turn, Event.Callback cb, Context ctx) {
        Optional<CallbackData> parsed = CallbackData.parse(cb.data());
        if (parsed.isEmpty() || parsed.get().version().filter(v -> v != turn.session.version()).isPresent()) {
            stale(turn, cb, ctx);
            return;
        }
        CallbackData d = parsed.get();
        turn.replies.add(new Reply.AnswerCallback(turn.chatId, cb.queryId(), Optional.empty(), false));
        boolean handled = d.isEvergreen() ? evergreen(turn, ctx, d) : current(turn, ctx, d);
        if (!handled) {
            turn.replies.remove(turn.replies.size() - 1);
            stale(turn, cb, ctx);
        }
    }

    private void stale(Turn turn, Event.Callback cb, Context ctx) {
        turn.replies.add(new Reply.AnswerCallback(turn.chatId, cb.queryId(),
                Optional.of(screens.t(turn, Msg.STALE_MENU)), false));
        Turn fresh = new Turn(turn.chatId, turn.language, turn.session, Optional.empty());
        screens.menu(fresh, ctx, screens.t(fresh, Msg.STALE_MENU) + "\n"
                + screens.t(fresh, Msg.MENU_TITLE, screens.money(ctx.balance())));
        turn.session = fresh.session;
        turn.replies.addAll(fresh.replies);
    }

    /** Buttons that work on any message, however old. @return false if the data is not valid */
    private boolean evergreen(Turn turn, Context ctx, CallbackData d) {
        switch (d.action()) {
            case "m" -> screens.menu(turn, ctx);
            case "c" -> {
                Optional<Category> c = category(d.arg());
                if (c.isEmpty()) {
                    return false;
                }
                screens.browse(turn, c.get(), 0);
            }
            case "p" -> {
                String[] parts = d.arg().split(":", 2);
                Optional<Category> c = category(parts[0]);
                if (c.isEmpty() || parts.length < 2 || !parts[1].matches("\\d{1,4}")) {
                    return false;
                }
                screens.browse(turn, c.get(), Integer.parseInt(parts[1]));
            }
            case "f" -> screens.free(turn, ctx);
            case "v", "g" -> {
                Optional<Model> m = catalog.model(d.arg());
                if (m.isEmpty()) {
                    screens.menu(turn, ctx, screens.t(turn, Msg.MODEL_UNKNOWN));
                } else if (d.action().equals("v")) {
                    screens.card(turn, ctx, m.get());
                } else {
                    screens.ask(turn, m.get(), new ChatState.Collecting(m.get().id(), 0, Map.of(), Map.of()), "");
                }
            }
            case "b" -> screens.balance(turn, ctx);
            case "T" -> screens.topUp(turn, ctx, ctx.user().termsAccepted());
            case "h" -> screens.history(turn, ctx);
            case "?" -> screens.info(turn, screens.t(turn, Msg.HELP));
            case "L" -> screens.language(turn);
            case "l" -> {
                if (!Texts.LANGUAGES.contains(d.arg())) {
                    return false;
                }
                turn.effect(new Effect.SetLanguage(d.arg()));
                Turn inNewLanguage = new Turn(turn.chatId, d.arg(), turn.session, turn.editable);
                screens.menu(inNewLanguage, ctx, screens.t(inNewLanguage, Msg.LANGUAGE_SET));
                turn.session = inNewLanguage.session;
                turn.replies.addAll(inNewLanguage.replies);
            }
            case "y" -> {
                turn.effect(new Effect.AcceptTerms());
                turn.send(screens.t(turn, Msg.TERMS_ACCEPTED), Keyboard.NONE);
                Turn topUp = new Turn(turn.chatId, turn.language, turn.session, Optional.empty());
                screens.topUp(topUp, ctx, true);
                turn.session = topUp.session;
                turn.replies.addAll(topUp.replies);
            }
            case "t" -> {
                if (!d.arg().matches("\\d{1,9}") || !settings.starsPackages().contains(Long.parseLong(d.arg()))) {
                    return false;
                }
                if (!ctx.user().termsAccepted()) {
                    screens.topUp(turn, ctx, false);
                } else {
                    long stars = Long.parseLong(d.arg());
                    turn.effect(new Effect.IssueInvoice(stars, stars * settings.starPrice()));
                }
            }
            case "S", "X" -> {
                if (!ctx.admin() || !d.arg().matches("\\d{1,18}")) {
                    return false;
                }
                long id = Long.parseLong(d.arg());
                turn.effect(d.action().equals("S") ? new Effect.QueueBroadcast(id, turn.editable)
                        : new Effect.CancelBroadcast(id, turn.editable));
            }
            case "a", "r", "q" -> {
                Optional<Job> job = JobId.parse(d.arg()).flatMap(ctx::job)
                        .filter(j -> j.userId() == ctx.user().id());
                if (job.isEmpty()) {
                    return false;
                }
                if (d.action().equals("r")) {
                    turn.effect(new Effect.ResendJob(job.get().id()));
                } else if (d.action().equals("q")) {
                    turn.effect(new Effect.CancelJob(job.get().id()));
                } else {
                    again(turn, ctx, job.get());
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private void again(Turn turn, Context ctx, Job job) {
        Optional<Model> m = catalog.model(job.modelId());
        if (m.isEmpty()) {
            screens.menu(turn, ctx, screens.t(turn, Msg.MODEL_UNKNOWN));
            return;
        }
        screens.confirm(turn, ctx, m.get(), new ChatState.Confirming(job.modelId(), job.values(), job.files()));
    }

    /** Buttons of the newest message only (versioned). @return false if they do not fit the state */
    private boolean current(Turn turn, Context ctx, CallbackData d) {
        ChatState s = turn.session.state();
        if (d.action().equals("x")) {
            screens.menu(turn, ctx, screens.t(turn, Msg.CANCELLED));
            return true;
        }
        if (s instanceof ChatState.Collecting c) {
            return catalog.model(c.modelId()).map(m -> inputs.button(turn, ctx, m, c, d)).orElse(false);
        }
        if (s instanceof ChatState.Confirming c && d.action().equals("k")) {
            Optional<Model> model = catalog.model(c.modelId());
            if (model.isEmpty()) {
                return false;
            }
            Screens.Quote q = screens.quote(model.get(), c.values(), ctx);
            if (!q.free() && ctx.balance() < q.price()) {
                screens.confirm(turn, ctx, model.get(), c);
                return true;
            }
            // the new version makes a second press of the same button stale: one press, one job
            turn.moveTo(new ChatState.Menu());
            turn.replies.set(turn.replies.size() - 1, new Reply.AnswerCallback(turn.chatId,
                    ((Reply.AnswerCallback) turn.replies.get(turn.replies.size() - 1)).queryId(),
                    Optional.of(screens.t(turn, Msg.JOB_STARTING)), false));
            turn.effect(new Effect.StartJob(c.modelId(), q.sku().id(), c.values(), c.files(), q.free() ? 0 : q.price(),
                    q.free()));
            return true;
        }
        return false;
    }

    private static Optional<Category> category(String name) {
        for (Category c : Category.values()) {
            if (c.name().equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
