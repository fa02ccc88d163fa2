package dev.kiebot.core.conversation;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.FreeTier;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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

    public Conversation(Catalog catalog, Pricing pricing, FreeTier freeTier, Texts texts, ShopSettings settings) {
        this.catalog = catalog;
        this.freeTier = freeTier;
        this.settings = settings;
        this.screens = new Screens(catalog, pricing, freeTier, texts, settings);
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
            turn.send(screens.t(turn, Msg.TOPUP_REFUNDED, p.totalAmount()), screens.homeOnly(turn));
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
            case "topup" -> screens.topUp(turn, ctx);
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
                textInput(turn, ctx, m.get(), c, text);
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

    private void textInput(Turn turn, Context ctx, Model m, ChatState.Collecting c, String raw) {
        InputField f = m.askedFields().get(c.field());
        String text = raw.strip();
        if (f.type().isMedia()) {
            screens.ask(turn, m, c, screens.t(turn, Msg.EXPECTED_FILE));
            return;
        }
        if (f.type() == FieldType.TEXT) {
            int limit = f.maxLength().orElse(Screens.DEFAULT_TEXT_LIMIT);
            int length = text.codePointCount(0, text.length());
            if (text.isEmpty()) {
                screens.ask(turn, m, c, screens.t(turn, Msg.INPUT_EMPTY));
            } else if (length > limit) {
                screens.ask(turn, m, c, screens.t(turn, Msg.INPUT_TOO_LONG, length, limit));
            } else {
                advance(turn, ctx, m, c, f, text);
            }
            return;
        }
        if (f.type().isChoice()) {
            Optional<String> match = Catalog.choices(f).stream().filter(v -> v.equalsIgnoreCase(text)).findFirst();
            if (match.isPresent()) {
                advance(turn, ctx, m, c, f, match.get());
            } else {
                screens.ask(turn, m, c, screens.t(turn, Msg.INPUT_NOT_ALLOWED, Screens.abbreviate(text, 40)));
            }
            return;
        }
        // NUMBER or INTEGER
        try {
            BigDecimal v = new BigDecimal(text.replace(',', '.'));
            if (f.type() == FieldType.INTEGER && v.stripTrailingZeros().scale() > 0) {
                throw new NumberFormatException("not an integer");
            }
            boolean low = f.min().map(min -> v.compareTo(min) < 0).orElse(false);
            boolean high = f.max().map(max -> v.compareTo(max) > 0).orElse(false);
            if (low || high) {
                screens.ask(turn, m, c, screens.t(turn, Msg.INPUT_OUT_OF_RANGE,
                        f.min().map(BigDecimal::toPlainString).orElse("−∞"),
                        f.max().map(BigDecimal::toPlainString).orElse("∞")));
            } else {
                advance(turn, ctx, m, c, f, v.toPlainString());
            }
        } catch (NumberFormatException ex) {
            screens.ask(turn, m, c, screens.t(turn, Msg.INPUT_NOT_A_NUMBER));
        }
    }

    private static boolean accepts(FieldType type, Event.Media media) {
        String mime = media.mimeType().orElse("");
        return switch (type) {
            case IMAGE, IMAGES -> media.type() == MediaType.PHOTO
                    || (media.type() == MediaType.DOCUMENT && mime.startsWith("image/"));
            case AUDIO -> media.type() == MediaType.AUDIO || media.type() == MediaType.VOICE
                    || (media.type() == MediaType.DOCUMENT && mime.startsWith("audio/"));
            case VIDEO, VIDEOS -> media.type() == MediaType.VIDEO || media.type() == MediaType.VIDEO_NOTE
                    || media.type() == MediaType.ANIMATION
                    || (media.type() == MediaType.DOCUMENT && mime.startsWith("video/"));
            default -> false;
        };
    }

    private void media(Turn turn, Event.Media media, Context ctx) {
        ChatState s = turn.session.state();
        Optional<Model> model = s instanceof ChatState.Collecting c ? catalog.model(c.modelId()) : Optional.empty();
        if (model.isEmpty()) {
            unsupported(turn, ctx);
            return;
        }
        ChatState.Collecting c = (ChatState.Collecting) s;
        Model m = model.get();
        InputField f = m.askedFields().get(c.field());
        if (!f.type().isMedia()) {
            screens.ask(turn, m, c, screens.t(turn, Msg.EXPECTED_TEXT));
            return;
        }
        if (!accepts(f.type(), media)) {
            screens.ask(turn, m, c, screens.t(turn, Msg.UNSUPPORTED_MESSAGE));
            return;
        }
        if (media.size() > FileSource.MAX_BYTES) {
            screens.ask(turn, m, c, screens.t(turn, Msg.INPUT_FILE_TOO_LARGE));
            return;
        }
        boolean clip = f.type() == FieldType.AUDIO || f.type() == FieldType.VIDEO || f.type() == FieldType.VIDEOS;
        if (clip && f.maxLength().isPresent()) {
            int max = f.maxLength().getAsInt();
            if (media.seconds() <= 0) {
                screens.ask(turn, m, c, screens.t(turn, Msg.INPUT_CLIP_UNKNOWN, max));
                return;
            }
            if (media.seconds() > max) {
                screens.ask(turn, m, c, screens.t(turn, Msg.INPUT_CLIP_TOO_LONG, media.seconds(), max));
                return;
            }
        }
        List<String> have = new ArrayList<>(c.files().getOrDefault(f.name(), List.of()));
        if (have.size() >= f.fileLimit()) {
            screens.ask(turn, m, c, screens.t(turn, Msg.INPUT_TOO_MANY_FILES, f.fileLimit()));
            return;
        }
        have.add(media.fileId());
        Map<String, List<String>> files = new HashMap<>(c.files());
        files.put(f.name(), have);
        ChatState.Collecting withFile = new ChatState.Collecting(c.modelId(), c.field(), c.values(), files);
        if (f.type().isArray() && have.size() < f.fileLimit()) {
            screens.ask(turn, m, withFile, screens.t(turn, Msg.INPUT_GOT_FILE, have.size(), f.fileLimit()));
        } else {
            next(turn, ctx, m, withFile);
        }
    }

    /** Stores a value for the current field and moves on. */
    private void advance(Turn turn, Context ctx, Model m, ChatState.Collecting c, InputField f, String value) {
        Map<String, String> values = new HashMap<>(c.values());
        values.put(f.name(), value);
        next(turn, ctx, m, new ChatState.Collecting(c.modelId(), c.field(), values, c.files()));
    }

    private void next(Turn turn, Context ctx, Model m, ChatState.Collecting c) {
        int next = c.field() + 1;
        if (next < m.askedFields().size()) {
            screens.ask(turn, m, new ChatState.Collecting(c.modelId(), next, c.values(), c.files()), "");
        } else {
            screens.confirm(turn, ctx, m, new ChatState.Confirming(c.modelId(), c.values(), c.files()));
        }
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
            case "T" -> screens.topUp(turn, ctx);
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
                Context accepted = acceptedTerms(ctx);
                Turn topUp = new Turn(turn.chatId, turn.language, turn.session, Optional.empty());
                screens.topUp(topUp, accepted);
                turn.session = topUp.session;
                turn.replies.addAll(topUp.replies);
            }
            case "t" -> {
                if (!d.arg().matches("\\d{1,9}") || !settings.starsPackages().contains(Long.parseLong(d.arg()))) {
                    return false;
                }
                if (!ctx.user().termsAccepted()) {
                    screens.topUp(turn, ctx);
                } else {
                    long stars = Long.parseLong(d.arg());
                    turn.effect(new Effect.IssueInvoice(stars, stars * settings.starPrice()));
                }
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
            Optional<Model> model = catalog.model(c.modelId());
            if (model.isEmpty()) {
                return false;
            }
            Model m = model.get();
            InputField f = m.askedFields().get(c.field());
            switch (d.action()) {
                case "o" -> {
                    List<String> values = Catalog.choices(f);
                    if (!f.type().isChoice() || !d.arg().matches("\\d{1,3}")
                            || Integer.parseInt(d.arg()) >= values.size()) {
                        return false;
                    }
                    advance(turn, ctx, m, c, f, values.get(Integer.parseInt(d.arg())));
                }
                case "d" -> {
                    if (f.defaultValue().isPresent()) {
                        advance(turn, ctx, m, c, f, f.defaultValue().get());
                    } else if (!f.required()) {
                        next(turn, ctx, m, c);
                    } else {
                        return false;
                    }
                }
                case "n" -> {
                    if (!f.type().isMedia() || c.files().getOrDefault(f.name(), List.of()).isEmpty()) {
                        return false;
                    }
                    next(turn, ctx, m, c);
                }
                default -> {
                    return false;
                }
            }
            return true;
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

    private static Context acceptedTerms(Context ctx) {
        dev.kiebot.core.users.User u = ctx.user();
        dev.kiebot.core.users.User accepted = new dev.kiebot.core.users.User(u.id(), u.firstName(), u.username(),
                u.languageCode(), u.languageOverride(), true, u.blocked(), u.createdAt());
        return new Context() {
            @Override
            public dev.kiebot.core.users.User user() {
                return accepted;
            }

            @Override
            public long balance() {
                return ctx.balance();
            }

            @Override
            public int freeUsedToday() {
                return ctx.freeUsedToday();
            }

            @Override
            public boolean admin() {
                return ctx.admin();
            }

            @Override
            public Optional<Job> job(JobId id) {
                return ctx.job(id);
            }

            @Override
            public List<Job> recentJobs(int limit) {
                return ctx.recentJobs(limit);
            }
        };
    }
}
