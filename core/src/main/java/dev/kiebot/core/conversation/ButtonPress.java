package dev.kiebot.core.conversation;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Quote;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an inline button press does. Every press is answered first (the client's spinner stops); a press
 * that does not fit — forged data, an outdated version, an argument that names nothing — is stale: it gets a
 * fresh menu instead, which says so, or, with an order being made, a pop-up and the order's current step
 * ({@link #stale}).
 */
final class ButtonPress {
    private final Catalog catalog;
    private final ShopSettings settings;
    private final Navigation go;
    private final InputCollection inputs;
    private final CardPayment card;

    ButtonPress(Catalog catalog, ShopSettings settings, Navigation go, InputCollection inputs, CardPayment card) {
        this.catalog = catalog;
        this.settings = settings;
        this.go = go;
        this.inputs = inputs;
        this.card = card;
    }

    void press(Turn turn, Event.Callback cb, Context ctx) {
        Optional<CallbackData> parsed = CallbackData.parse(cb.data());
        Optional<CallbackAction> action = parsed.flatMap(CallbackData::named);
        boolean generate = action.filter(a -> a == CallbackAction.CONFIRM).isPresent();
        if (action.isEmpty() || parsed.get().version().filter(v -> v != turn.version()).isPresent()) {
            stale(turn, cb, ctx, generate ? Optional.of(parsed.get().arg()) : Optional.empty());
            return;
        }
        turn.answer(cb.queryId(), Optional.empty());
        String arg = parsed.get().arg();
        boolean handled = action.get().evergreen() ? evergreen(turn, ctx, action.get(), arg)
                : current(turn, ctx, action.get(), arg);
        if (!handled) {
            turn.withdrawAnswer();
            stale(turn, cb, ctx, generate ? Optional.of(arg) : Optional.empty());
        }
    }

    /**
     * A press that does not fit. With an order being made (a question asked, the confirmation waiting) the order stays:
     * a pop-up says the button is outdated and the question or the confirmation comes again below, as a new message (a
     * tap under an older question, or the same option tapped again on a slow network, used to put the menu in its place
     * and the description and photos with it). «Сгенерировать» pressed again after its order went gets a pop-up and
     * nothing else: the job it started is named when it still runs ({@link #started}; of several running at its price,
     * none), and the menu it used to get buried the job's own message. Anything else gets the fresh menu, which says
     * the button is outdated; there the answer only stops the spinner: a pop-up with the same sentence showed it twice,
     * and the message stays in the chat.
     * Neither way starts a job or holds money: only {@link #confirm} does, on the newest confirmation's button.
     *
     * @param generate the terms a pressed «Сгенерировать» carried ({@link Quote#terms}); empty for any other button
     */
    private void stale(Turn turn, Event.Callback cb, Context ctx, Optional<String> generate) {
        List<Job> started = generate.map(terms -> started(ctx, terms)).orElse(List.of());
        Optional<String> said = started.isEmpty() ? Optional.empty()
                : Optional.of(started.size() == 1 ? go.t(turn, Msg.STALE_GENERATING, started.get(0).id().display())
                : go.t(turn, Msg.STALE_GENERATING_ONE_OF));
        turn.stopEditing();
        if (turn.state() instanceof ChatState.Collecting c && catalog.model(c.modelId()).isPresent()) {
            turn.answer(cb.queryId(), said.or(() -> Optional.of(go.t(turn, Msg.STALE_ORDER_KEPT))));
            inputs.ask(turn, ctx, catalog.model(c.modelId()).get(), c, "");
        } else if (turn.state() instanceof ChatState.Confirming c && catalog.model(c.modelId()).isPresent()) {
            turn.answer(cb.queryId(), said.or(() -> Optional.of(go.t(turn, Msg.STALE_ORDER_KEPT))));
            inputs.confirm(turn, ctx, catalog.model(c.modelId()).get(), c);
        } else if (generate.isPresent()) {
            turn.answer(cb.queryId(), said.or(() -> Optional.of(go.t(turn, Msg.STALE_ORDER_GONE))));
        } else {
            turn.answer(cb.queryId(), Optional.empty());
            go.menu(turn, go.t(turn, Msg.STALE_MENU) + "\n" + go.menuTitle(turn, ctx));
        }
    }

    /**
     * The jobs a «Сгенерировать» pressed again may have started: the user's running jobs on the terms the button
     * carried. The button names no job (it is pressed before there is one) and the chat is at the menu once the order
     * went, so one of them is named only when it is the one: of two at one price, the pop-up named either.
     */
    private List<Job> started(Context ctx, String terms) {
        return go.running(ctx).stream()
                .filter(j -> (j.free() ? "free" : Long.toString(j.price())).equals(terms))
                .toList();
    }

    /** Buttons that work on any message, however old. @return false if the argument is not valid */
    private boolean evergreen(Turn turn, Context ctx, CallbackAction action, String arg) {
        switch (action) {
            case MENU -> {
                if (arg.equals(CallbackData.MENU_BELOW)) {
                    turn.stopEditing(); // the message it was under stays: a ticket's number, a payment reported
                }
                go.menu(turn, ctx);
            }
            case CATEGORY -> {
                return category(arg).map(c -> browse(turn, ctx, c, Optional.empty(), 0)).orElse(false);
            }
            case PAGE -> {
                // <category>:<page>[:<shelf>]; without a shelf, a button of the build before the shelves
                String[] parts = arg.split(":", 3);
                Optional<Category> c = category(parts[0]);
                Optional<Shelf> shelf = parts.length == 3 ? Shelf.ofCode(parts[2]) : Optional.empty();
                return c.isPresent() && parts.length >= 2 && parts[1].matches("\\d{1,4}")
                        && (parts.length == 2 || shelf.isPresent())
                        && browse(turn, ctx, c.get(), shelf, Integer.parseInt(parts[1]));
            }
            case FREE_MODELS -> go.free(turn, ctx);
            case MODEL_CARD, START_INPUTS -> model(turn, ctx, action, arg);
            case BALANCE -> go.balance(turn, ctx);
            case INVITE -> go.invite(turn);
            case TOP_UP -> go.topUp(turn, ctx, ctx.user().termsAccepted());
            case HISTORY -> {
                // no page: the menu's button and those of before the pages
                if (!arg.isEmpty() && !arg.matches("[0-9]")) {
                    return false;
                }
                int page = arg.isEmpty() ? 0 : Integer.parseInt(arg);
                if (page >= Navigation.HISTORY_PAGES) {
                    return false;
                }
                go.history(turn, ctx, page);
            }
            case HELP -> go.help(turn, ctx);
            case POPULAR -> go.popular(turn, ctx);
            case RUNNING_JOBS -> go.runningJobs(turn, ctx);
            case LANGUAGES -> go.language(turn);
            case SET_LANGUAGE -> {
                return setLanguage(turn, ctx, arg);
            }
            case ACCEPT_TERMS -> {
                return acceptTerms(turn, ctx, arg);
            }
            case STARS_PACK -> {
                return starsPack(turn, ctx, arg);
            }
            case AGAIN, RESEND, CANCEL_JOB, ORIGINAL -> {
                return job(turn, ctx, action, arg);
            }
            case SEND_BROADCAST, DROP_BROADCAST -> {
                return broadcast(turn, ctx, action, arg);
            }
            case PAYMENTS -> go.statement(turn, ctx);
            case RESUME_ORDER -> {
                return resumeOrder(turn, ctx);
            }
            case MANUAL_TOPUP -> {
                return card.open(turn, ctx);
            }
            case MANUAL_PAID -> {
                return card.paid(turn, ctx, arg);
            }
            case MANUAL_APPROVE, MANUAL_DECLINE, REFUND_STARS -> {
                return adminMoney(turn, ctx, action, arg);
            }
            case MOVE_MONEY, DROP_MONEY -> {
                return moneyConfirmation(turn, ctx, action, arg);
            }
            case FORGET_USER -> {
                return forgetUser(turn, ctx, arg);
            }
            case CANCEL, OPTION, DEFAULT, FILES_DONE, CONFIRM, EDIT, PREVIOUS_FIELD, KEEP, MANUAL_AMOUNT -> {
                return false;
            }
        }
        return true;
    }

    /** An admin's decision on a manual request, or a Stars refund; anyone else's press is stale. */
    private boolean adminMoney(Turn turn, Context ctx, CallbackAction action, String arg) {
        if (!ctx.admin()) {
            return false;
        }
        if (action == CallbackAction.REFUND_STARS) {
            String[] parts = arg.split(":", 2);
            Optional<Long> userId = parts.length == 2 ? TypedUserId.read(parts[0]) : Optional.empty();
            if (userId.isEmpty() || !parts[1].matches("[A-Za-z0-9_-]{16}")) {
                return false;
            }
            turn.effect(new Effect.RefundStars(userId.get(), parts[1]));
            return true;
        }
        // «<id>:<created, epoch ms>»; a bare «<id>» is a button of a build before, which proves nothing (the desk says
        // so); «:y» after them is the «Да, отклонить» of a decline asked about
        if (!arg.matches("\\d{1,18}(:\\d{1,18}(:y)?)?")) {
            return false;
        }
        String[] parts = arg.split(":", 3);
        Optional<Instant> made = parts.length >= 2 ? Optional.of(Instant.ofEpochMilli(Long.parseLong(parts[1])))
                : Optional.empty();
        turn.effect(new Effect.DecideManualTopUp(Long.parseLong(parts[0]), made,
                action == CallbackAction.MANUAL_APPROVE, parts.length == 3));
        return true;
    }

    /**
     * «Начислить» / «Списать» or «Отмена» under an admin's {@code /topup_user} or {@code /debit_user}: the confirmation
     * this chat keeps under the nonce leaves the session (written once, with the rest of this press) and goes to the
     * admin desk, which moves its money. Anyone but an admin (one removed from the admins since included) is told so
     * and nothing moves. @return false for data not of the nonce's form (forged: stale)
     */
    private boolean moneyConfirmation(Turn turn, Context ctx, CallbackAction action, String arg) {
        if (MoneyConfirmation.Nonce.read(arg).isEmpty()) {
            return false;
        }
        if (!ctx.admin()) {
            go.say(turn, Msg.ADMIN_MONEY_ADMINS_ONLY);
            return true;
        }
        turn.effect(new Effect.SettleMoney(arg, action == CallbackAction.MOVE_MONEY, turn.editable(),
                turn.takeMoney(arg)));
        return true;
    }

    /** «Стереть данные» under an admin's {@code /forget}; anyone else's press is stale. */
    private boolean forgetUser(Turn turn, Context ctx, String arg) {
        // «<id>:<answered, epoch ms>» erases until it expires, «<id>:x» is «Отмена»; a bare «<id>» is a build before's
        String[] parts = arg.split(":", 2);
        Optional<Long> userId = TypedUserId.read(parts[0]);
        if (!ctx.admin() || userId.isEmpty() || (parts.length == 2 && !parts[1].matches("x|\\d{1,18}"))) {
            return false;
        }
        boolean cancel = parts.length == 2 && parts[1].equals("x");
        Optional<Instant> asked = parts.length == 2 && !cancel
                ? Optional.of(Instant.ofEpochMilli(Long.parseLong(parts[1]))) : Optional.empty();
        turn.effect(new Effect.ForgetUser(userId.get(), turn.editable(), asked, cancel));
        return true;
    }

    private boolean browse(Turn turn, Context ctx, Category c, Optional<Shelf> shelf, int page) {
        go.browse(turn, ctx, c, shelf, page);
        return true;
    }

    private void model(Turn turn, Context ctx, CallbackAction action, String id) {
        Optional<Model> m = catalog.model(id);
        if (m.isEmpty()) {
            go.menu(turn, go.t(turn, Msg.MODEL_UNKNOWN));
        } else if (action == CallbackAction.MODEL_CARD || ctx.paused(id)) {
            go.card(turn, ctx, m.get());
        } else {
            go.replaceKeptOrder(turn);
            inputs.ask(turn, ctx, m.get(), new ChatState.Collecting(m.get().id(), 0, Map.of(), Map.of()), "");
        }
    }

    private boolean setLanguage(Turn turn, Context ctx, String language) {
        if (!Texts.LANGUAGES.contains(language)) {
            return false;
        }
        turn.effect(new Effect.SetLanguage(language));
        turn.language = language;
        // mid-order the order goes on, its question or confirmation said again in the new language
        if (turn.state() instanceof ChatState.Collecting c && catalog.model(c.modelId()).isPresent()) {
            turn.stopEditing();
            inputs.ask(turn, ctx, catalog.model(c.modelId()).get(), c, go.t(turn, Msg.LANGUAGE_SET));
        } else if (turn.state() instanceof ChatState.Confirming c && catalog.model(c.modelId()).isPresent()) {
            go.say(turn, Msg.LANGUAGE_SET);
            inputs.confirm(turn, ctx, catalog.model(c.modelId()).get(), c);
        } else {
            go.menu(turn, go.t(turn, Msg.LANGUAGE_SET));
        }
        return true;
    }

    /**
     * «✅ Принимаю»: the packages under the thanks, one message (the thanks alone was one more); the terms' message
     * stays as it was. With a package ({@code arg}, «Принимаю и оплачиваю»): its invoice at once.
     */
    private boolean acceptTerms(Turn turn, Context ctx, String arg) {
        if (!arg.isEmpty() && !offered(arg)) {
            return false;
        }
        turn.effect(new Effect.AcceptTerms());
        turn.stopEditing();
        if (arg.isEmpty()) {
            go.topUp(turn, ctx, true, go.t(turn, Msg.TERMS_ACCEPTED));
        } else {
            long stars = Long.parseLong(arg);
            turn.effect(new Effect.IssueInvoice(stars, stars * settings.starPrice()));
        }
        return true;
    }

    private boolean offered(String pack) {
        return pack.matches("\\d{1,9}") && settings.starsPackages().contains(Long.parseLong(pack));
    }

    private boolean starsPack(Turn turn, Context ctx, String arg) {
        if (!offered(arg)) {
            return false;
        }
        if (!ctx.user().termsAccepted()) {
            go.termsBeforePack(turn, ctx, Long.parseLong(arg));
        } else {
            // pressed on the confirmation it could not pay: the order waits for the money, shown again once it is in
            go.keepOrder(turn);
            long stars = Long.parseLong(arg);
            turn.effect(new Effect.IssueInvoice(stars, stars * settings.starPrice()));
        }
        return true;
    }

    /** "again", "re-send", "cancel" and "as a file" on a job of this user. */
    private boolean job(Turn turn, Context ctx, CallbackAction action, String arg) {
        Optional<Job> job = JobId.parse(arg).flatMap(ctx::job).filter(j -> j.userId() == ctx.user().id());
        if (job.isEmpty()) {
            return false;
        }
        switch (action) {
            case RESEND -> turn.effect(new Effect.ResendJob(job.get().id()));
            case CANCEL_JOB -> turn.effect(new Effect.CancelJob(job.get().id()));
            case ORIGINAL -> turn.effect(new Effect.SendOriginal(job.get().id()));
            default -> again(turn, ctx, job.get());
        }
        return true;
    }

    /**
     * "Back to my order" under the message that the money arrived, or under an information screen asked mid-order: the
     * question asked then is asked again, or the order confirmed anew (price and balance of now)
     * ({@link KeptOrder}). @return false when no order waits any more (placed, cancelled, or resumed already: stale)
     */
    boolean resumeOrder(Turn turn, Context ctx) {
        if (turn.waitingOrder().isEmpty()) {
            return false;
        }
        // the chat still on the order (the invoice was paid from it): that order as it is now, changed after the
        // package was pressed or not; the one kept at the press would bring back the description it had then
        Optional<ChatState.Confirming> order = KeptOrder.of(turn.state()).or(turn::waitingOrder);
        if (order.isEmpty()) {
            return false;
        }
        turn.keepWaitingOrder(Optional.empty());
        turn.stopEditing(); // the top-up's message stays as it is: the order is a new one below it
        Optional<Model> m = catalog.model(order.get().modelId());
        if (m.isEmpty()) {
            go.menu(turn, go.t(turn, Msg.MODEL_UNKNOWN));
        } else if (ctx.paused(m.get().id())) {
            go.card(turn, ctx, m.get()); // says it is paused: no «Generate» that would only be refused
        } else if (KeptOrder.resumed(order.get(), m.get()) instanceof ChatState.Collecting c) {
            inputs.ask(turn, ctx, m.get(), c, "");
        } else {
            inputs.confirm(turn, ctx, m.get(), order.get());
        }
        return true;
    }

    private void again(Turn turn, Context ctx, Job job) {
        Optional<Model> m = catalog.model(job.modelId());
        if (m.isEmpty()) {
            go.menu(turn, go.t(turn, Msg.MODEL_UNKNOWN));
            return;
        }
        if (ctx.paused(m.get().id())) {
            go.card(turn, ctx, m.get());
            return;
        }
        go.replaceKeptOrder(turn);
        inputs.confirm(turn, ctx, m.get(), new ChatState.Confirming(job.modelId(), answers(m.get(), job), job.files()));
    }

    /**
     * A job's values as a new order of its model would hold them: the answers to the fields the model asks now. A job
     * records its variant's unasked options too (the paid variant, sent as held), and «again» is a new order: kept,
     * an unasked value a deploy dropped left no price (the user asked to choose anew options he is never asked), and
     * one still offered repeated the old variant where a new order takes the current default.
     */
    private static Map<String, String> answers(Model m, Job job) {
        Set<String> asked = m.askedFields().stream().map(InputField::name).collect(Collectors.toSet());
        Map<String, String> values = new HashMap<>(job.values());
        values.keySet().retainAll(asked);
        return values;
    }

    /** Only an admin's press of a broadcast's buttons counts; anyone else's is stale. */
    private boolean broadcast(Turn turn, Context ctx, CallbackAction action, String arg) {
        // «Отправить» says when its draft was made («<id>:<epoch ms>»), as a card request's decision does
        if (!ctx.admin() || !arg.matches("\\d{1,18}(:\\d{1,18})?")) {
            return false;
        }
        String[] parts = arg.split(":", 2);
        long id = Long.parseLong(parts[0]);
        Optional<Instant> made = parts.length == 2 ? Optional.of(Instant.ofEpochMilli(Long.parseLong(parts[1])))
                : Optional.empty();
        turn.effect(action == CallbackAction.SEND_BROADCAST ? new Effect.QueueBroadcast(id, made, turn.editable())
                : new Effect.CancelBroadcast(id, turn.editable()));
        return true;
    }

    /** Buttons of the newest screen only (versioned). @return false if they do not fit the state */
    private boolean current(Turn turn, Context ctx, CallbackAction action, String arg) {
        if (action == CallbackAction.CANCEL) {
            if (KeptOrder.of(turn.state()).isPresent()) {
                go.cancelled(turn, go.t(turn, Msg.CANCELLED));
            } else {
                // not the order kept for a top-up: «Отмена» of the card amount's screen is a step of that very top-up
                go.menu(turn, go.t(turn, Msg.CANCELLED));
            }
            return true;
        }
        if (turn.state() instanceof ChatState.Collecting c) {
            return catalog.model(c.modelId()).map(m -> inputs.button(turn, ctx, m, c, action, arg)).orElse(false);
        }
        if (turn.state() instanceof ChatState.Confirming c && action == CallbackAction.CONFIRM) {
            return catalog.model(c.modelId()).map(m -> confirm(turn, ctx, m, c, arg)).orElse(false);
        }
        if (turn.state() instanceof ChatState.Confirming c && action == CallbackAction.EDIT) {
            return catalog.model(c.modelId()).map(m -> inputs.edit(turn, ctx, m, c, arg)).orElse(false);
        }
        if (turn.state() instanceof ChatState.ManualAmount && action == CallbackAction.MANUAL_AMOUNT) {
            return card.amountPressed(turn, arg);
        }
        return false;
    }

    /**
     * "Generate": starts the job on the quote, or shows the confirmation again when it is not affordable or no
     * longer what the pressed button's screen showed ({@code shown}: {@link Quote#terms}).
     */
    private boolean confirm(Turn turn, Context ctx, Model model, ChatState.Confirming c, String shown) {
        Optional<Quote> quoted = inputs.quote(model, c.values(), ctx);
        if (quoted.isEmpty()) {
            // saved before the catalog dropped one of its options: no price to agree to, the inputs are asked anew
            inputs.confirm(turn, ctx, model, c);
            return true;
        }
        Quote q = quoted.get();
        if (!q.agreedTo(shown)) {
            turn.answerWith(go.t(turn, Msg.CONFIRM_CHANGED));
            inputs.confirm(turn, ctx, model, c);
            return true;
        }
        if (!q.affordable()) {
            inputs.confirm(turn, ctx, model, c);
            return true;
        }
        // the new version makes a second press of the same button stale: one press, one job
        turn.moveTo(new ChatState.Menu());
        turn.keepWaitingOrder(Optional.empty()); // placed: a top-up made for it offers it no more
        turn.answerWith(go.t(turn, Msg.JOB_STARTING));
        turn.effect(Effect.StartJob.quoted(c.modelId(), InputCollection.plain(c.values()), c.files(), q));
        return true;
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
