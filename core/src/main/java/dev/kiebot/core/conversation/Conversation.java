package dev.kiebot.core.conversation;

import dev.kiebot.core.broadcast.Broadcast;
import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.FreeTier;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.payments.ManualTopUpState;
import dev.kiebot.core.payments.TopUpLink;
import dev.kiebot.core.reply.FileSource;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.support.TicketAnswer;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The conversation as a pure function: {@code (session, event, facts) → (session', replies, effects)}. It
 * alone decides the chat's next state; {@link Screens} only renders what it chose. It never writes
 * anywhere: the storefront carries out the effects. Every event gets at least one reply or an effect
 * whose execution replies (payments, admin), but the next parts of a long text Telegram split ({@link LongText})
 * that answered nothing the screen asks (the menu, the confirmation's buttons, a photo, a choice or an amount asked, a
 * receipt) or came with a command that does not take it: the hint or the command's answer sent for its first part
 * answers the whole; the files of an album after its first, when that one was answered as a receipt
 * ({@link ReceiptAlbum}); and the return and the {@code /start} that «Перезапустить бота» sends together get one menu.
 *
 * <p>Not a partner's to make or call: {@code Shop.builder().build()} makes the shop's own and its storefront runs it.
 * It is public only because that builder, in {@code dev.kiebot.core.shop}, constructs it, and Java has no narrower
 * access across packages. One made by hand decides screens and effects that nothing carries out.
 */
public final class Conversation {
    static final Set<String> ADMIN_COMMANDS = Set.of("admin", "find", "topup_user", "debit_user", "refund", "users",
            "broadcast", "refund_stars", "chart", "tickets", "ban", "unban", "link", "pause", "resume",
            "export", "reply", "forget", "reconcile_stars");

    /**
     * How soon after the return the {@code /start} of the same «Перезапустить бота» comes: the client sends the two at
     * once; a /start typed by hand later is answered.
     */
    static final Duration SAME_RETURN = Duration.ofSeconds(10);
    /** The user's newest jobs /start reads for his last result: one read of a page of /history at most. */
    static final int RETURNING_JOBS_READ = 10;

    /**
     * A job's number as a user types it: {@code gen_12} or {@code 12} ({@code JobId.parse}), and what a Russian keyboard
     * gives without switching to Latin: «ген 12», «ген_12», «/ген_12», «№12»; the help says «можно просто 12», and
     * «ген 12» got «use the menu», «/ген_12» «no such command».
     */
    private static final Pattern TYPED_JOB = Pattern.compile("/?(?:(?:gen|ген)[\\s_-]*|[№#]\\s*)?(\\d{1,18})",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    /** A text that begins as a command does, a slash and a letter, yet came as no command: «/старт», «/start-now». */
    private static final Pattern LIKE_A_COMMAND = Pattern.compile("/\\p{L}");

    private final Catalog catalog;
    private final FreeTier freeTier;
    private final Navigation go;
    private final InputCollection inputs;
    private final ButtonPress buttons;
    private final CardPayment card;
    private final PaymentDispute dispute;

    /**
     * Core's own: only {@code Shop.builder().build()} calls it (see the class comment).
     *
     * @param catalog  the models on sale
     * @param pricing  how prices are shown
     * @param freeTier which models are free, and how many a day
     * @param texts    the shop's texts
     * @param settings the operator's settings
     * @param manual   card / SBP top-ups, offered when enabled
     */
    public Conversation(Catalog catalog, Pricing pricing, FreeTier freeTier, Texts texts, ShopSettings settings,
                        ManualPayments manual) {
        this(catalog, pricing, freeTier, texts, settings, manual, Optional.empty());
    }

    /**
     * Core's own: only {@code Shop.builder().build()} calls it (see the class comment).
     *
     * @param catalog  the models on sale
     * @param pricing  how prices are shown
     * @param freeTier which models are free, and how many a day
     * @param texts    the shop's texts
     * @param settings the operator's settings
     * @param manual   card / SBP top-ups, offered when enabled
     * @param payPage  the partner's payment page, a link button of {@code /topup}; empty for none
     */
    public Conversation(Catalog catalog, Pricing pricing, FreeTier freeTier, Texts texts, ShopSettings settings,
                        ManualPayments manual, Optional<TopUpLink> payPage) {
        this(catalog, pricing, freeTier, texts, settings, manual, payPage, FileSource.DOWNLOAD_BYTES_MAX);
    }

    /**
     * Core's own: only {@code Shop.builder().build()} calls it (see the class comment).
     *
     * @param catalog          the models on sale
     * @param pricing          how prices are shown
     * @param freeTier         which models are free, and how many a day
     * @param texts            the shop's texts
     * @param settings         the operator's settings
     * @param manual           card / SBP top-ups, offered when enabled
     * @param payPage          the partner's payment page, a link button of {@code /topup}; empty for none
     * @param downloadBytesMax the largest file a user may send ({@code FileSource.downloadBytesMax()})
     */
    public Conversation(Catalog catalog, Pricing pricing, FreeTier freeTier, Texts texts, ShopSettings settings,
                        ManualPayments manual, Optional<TopUpLink> payPage, long downloadBytesMax) {
        this.catalog = catalog;
        this.freeTier = freeTier;
        Screens screens = new Screens(catalog, pricing, freeTier, texts, settings, manual, payPage);
        PaymentScreens payments = new PaymentScreens(screens, manual, settings.zone());
        this.go = new Navigation(catalog, pricing, freeTier, screens, payments,
                new JobScreens(catalog, texts, screens));
        this.inputs = new InputCollection(screens, pricing, freeTier, downloadBytesMax);
        this.card = new CardPayment(manual, go, payments);
        this.dispute = new PaymentDispute(go, payments);
        this.buttons = new ButtonPress(catalog, settings, go, inputs, card);
    }

    /**
     * What the shop makes, in words of {@code lang} («картинки и видео»): only its catalog's categories, as the welcome
     * and the help say it. The invitation a user shares says it too, and lives in the shop's package.
     *
     * @param lang {@code ru} or {@code en}
     * @return the phrase
     */
    public String works(String lang) {
        return go.works(lang);
    }

    /**
     * The chat's next step: its session, the replies and the effects; the storefront saves and carries them out.
     *
     * @param session the chat's session as stored
     * @param in      the update
     * @param ctx     what the stores say about the user
     * @return the next session, the replies and the effects
     */
    public Step handle(ChatSession session, Incoming in, Context ctx) {
        Event e = in.event();
        Optional<Long> editable = e instanceof Event.Callback cb ? cb.messageId() : Optional.empty();
        Turn turn = new Turn(in.actor().chatId(), ctx.user().language(), session, editable);
        Instant at = in.receivedAt().orElseGet(ctx::now);
        // a ticket written long ago explains no file sent now
        turn.ticket().filter(t -> !t.takesFileAt(at)).ifPresent(old -> turn.ticket(Optional.empty()));
        if (e instanceof Event.Command c && sameReturn(turn, c, at)) {
            // «Перезапустить бота» sends the return and /start: the welcome back just sent is the one answer to both
            return turn.step();
        } else if (e instanceof Event.Command c && continuesLongText(turn, c)) {
            // a part of a long text that merely begins with «/» (a line of the prompt, a cut at «and/or») is its part
            text(turn, c.asText(), ctx, at);
        } else if (e instanceof Event.Command c) {
            command(turn, c, ctx);
        } else if (e instanceof Event.Text t) {
            text(turn, t, ctx, at);
        } else if (e instanceof Event.EditedText ed) {
            edited(turn, ed, ctx);
        } else if (e instanceof Event.EditedMedia ed) {
            editedMedia(turn, ed, ctx);
        } else if (e instanceof Event.Media m) {
            media(turn, m, ctx, at);
        } else if (e instanceof Event.Callback cb) {
            buttons.press(turn, cb, ctx);
        } else if (e instanceof Event.PreCheckout p) {
            turn.effect(new Effect.AnswerPreCheckout(p.queryId(), p.payload(), p.currency(), p.totalAmount()));
        } else if (e instanceof Event.SuccessfulPayment p) {
            turn.effect(new Effect.CreditStars(p.chargeId(), p.payload(), p.currency(), p.totalAmount()));
        } else if (e instanceof Event.RefundedPayment p) {
            turn.effect(new Effect.RecordStarsRefund(p.chargeId(), p.totalAmount()));
        } else if (e instanceof Event.MembershipChanged mc) {
            turn.effect(new Effect.SetBlocked(mc.blocked()));
            // ctx.user() is as read before the storefront cleared the stored flag. The results made while he was away
            // are not this answer's: the storefront lists them after the answer to his first update since the block,
            // whichever of the pair it was
            if (!mc.blocked() && ctx.user().blocked()) {
                go.menu(turn, go.t(turn, Msg.WELCOME_BACK, ctx.user().firstName(), go.balanceText(turn, ctx)));
                turn.welcomedBack(at);
            }
            // back while not blocked: the /start of the same «Перезапустить бота», come first, brought him back and
            // was answered with the menu and that list; a second menu under it was one too many
        } else if (e instanceof Event.Unknown u && u.kind().startsWith("edited_")) {
            // an edit the adapter could not name the message of: no answer to what is asked now, as any other edit
            go.say(turn, Msg.EDIT_IGNORED);
        } else if (e instanceof Event.Unknown u && notTyped(u).isPresent()) {
            // a command not his to run (forwarded, another bot's): what to do instead, the screen left as it was
            go.say(turn, notTyped(u).get());
        } else {
            unsupported(turn, ctx, e);
        }
        // a new user's first answer also says that the welcome bonus arrived: one message, not two (the welcome
        // itself says it beside the balance, before asking to choose)
        if (!isStart(e)) {
            ctx.welcomeBonus().ifPresent(amount -> turn.mention(go.t(turn, Msg.WELCOME_BONUS, go.money(turn, amount))));
        }
        return turn.step();
    }

    /**
     * The order the chat keeps while its user pays ({@link ChatSession#waitingOrder()}), shown again once the money
     * is in: its confirmation with the balance of now, or its question. The storefront calls it after a payment it
     * credited, under the message that says so; it was «↩️ Вернуться к генерации» there, one more press for every user
     * who paid from his order.
     *
     * @param session the chat's session as stored
     * @param chatId  the user's private chat
     * @param ctx     what the stores say about the user, read after the credit
     * @return the next session and the order's screen; no reply when no order waits
     */
    public Step resumeOrder(ChatSession session, long chatId, Context ctx) {
        Turn turn = new Turn(chatId, ctx.user().language(), session, Optional.empty());
        buttons.resumeOrder(turn, ctx);
        return turn.step();
    }

    /**
     * Whether {@code c} is the next part of the chat's long text ({@link LongText#continuedBy}): Telegram cut the text
     * where a part begins with {@code /}, and the part is the text's, as any other part is, never a command run.
     */
    private static boolean continuesLongText(Turn turn, Event.Command c) {
        return turn.longText().filter(t -> t.continuedBy(c.asText())).isPresent();
    }

    /**
     * Whether {@code c}, come in at {@code at}, is the {@code /start} that «Перезапустить бота» sends with the return:
     * a plain one right after the return was welcomed back ({@link #SAME_RETURN}).
     */
    private static boolean sameReturn(Turn turn, Event.Command c, Instant at) {
        return c.name().equals("start") && c.args().isBlank() && turn.welcomedBack()
                .filter(back -> !at.isBefore(back) && !at.isAfter(back.plus(SAME_RETURN))).isPresent();
    }

    private static boolean isStart(Event e) {
        return e instanceof Event.Command c && c.name().equals("start");
    }

    /**
     * {@code /start}: the welcome and the menu, or, from a link to a model ({@link ModelLink}), that model's card with a
     * new user's greeting and bonus above it: one message either way.
     */
    private void start(Turn turn, String parameter, Context ctx) {
        Optional<Model> linked = parameter.isEmpty() ? Optional.empty() : ModelLink.find(catalog, parameter);
        if (linked.isEmpty()) {
            // a link to a model gone from the catalog (an old advert's): said so above the welcome, where the plain
            // welcome left the user looking for the model he came for; an invitation link a new user came by whose
            // code is nobody's (or cut short): said so, where the friend who came by it took his inviter's bonus as
            // tied; any invitation link a user known before came by: one line, whoever's the code (a valid one got the
            // plain welcome and a made-up one «not valid», neither giving him anything). A shop without invitations
            // says neither (ctx.invitation() is NONE there). Anything else after /start is no link of the shop's: the
            // plain welcome
            Optional<Msg> above = parameter.startsWith(ModelLink.PREFIX) ? Optional.of(Msg.MODEL_UNKNOWN)
                    : switch (ctx.invitation()) {
                        case NOT_VALID -> Optional.of(Msg.INVITE_UNKNOWN);
                        case NOT_NEW -> Optional.of(Msg.INVITE_NOT_NEW);
                        case NONE, TAKEN -> Optional.<Msg>empty();
                    };
            String line = above.map(m -> go.t(turn, m) + "\n").orElse("");
            Optional<Job> last = ctx.welcomeBonus().isPresent() ? Optional.empty() : lastDelivered(ctx);
            if (last.isPresent()) {
                // his /start brought him back, and his last result never reached him: the list after this answer
                // names it with its button and says it never came; named here as well, it was told twice
                go.welcomeBack(turn, ctx, line, last.filter(j -> !ctx.unsentListed().contains(j.id())));
            } else {
                go.welcome(turn, ctx, line + welcome(turn, ctx));
            }
            return;
        }
        String greeting = ctx.welcomeBonus().map(amount -> go.t(turn, Msg.WELCOME_LINKED, ctx.user().firstName(),
                go.balanceText(turn, ctx)) + "\n" + go.t(turn, Msg.WELCOME_BONUS, go.money(turn, amount))).orElse("");
        go.card(turn, ctx, linked.get(), greeting);
    }

    /**
     * The newest of the user's last {@value #RETURNING_JOBS_READ} jobs that was delivered: a user who has one is
     * greeted back by it ({@link Navigation#welcomeBack}); one whose jobs all failed gets the newcomer's welcome, as
     * he has nothing of his to come back to.
     */
    private static Optional<Job> lastDelivered(Context ctx) {
        return ctx.recentJobs(RETURNING_JOBS_READ).stream().filter(j -> j.state() == JobState.DELIVERED).findFirst();
    }

    /** The welcome, with a new user's bonus beside the balance it is part of, before the call to choose. */
    private String welcome(Turn turn, Context ctx) {
        String bonus = ctx.welcomeBonus()
                .map(amount -> "\n" + go.t(turn, Msg.WELCOME_BONUS, go.money(turn, amount))).orElse("");
        if (freeTier.offered() && ctx.freeGivenOutToAll()) {
            return go.t(turn, Msg.WELCOME_NO_FREE, ctx.user().firstName(), go.balanceText(turn, ctx),
                    "\n" + go.t(turn, Msg.FREE_GIVEN_OUT, go.newDay(turn, ctx)) + bonus, go.works(turn));
        }
        return freeTier.offered()
                ? go.t(turn, Msg.WELCOME, ctx.user().firstName(), go.balanceText(turn, ctx), go.freeLeft(ctx),
                        freeTier.dailyLimit(), bonus, go.works(turn))
                : go.t(turn, Msg.WELCOME_NO_FREE, ctx.user().firstName(), go.balanceText(turn, ctx), bonus,
                        go.works(turn));
    }

    private void command(Turn turn, Event.Command c, Context ctx) {
        answer(turn, c, ctx);
        rememberLongCommand(turn, c, ctx.admin());
    }

    private void answer(Turn turn, Event.Command c, Context ctx) {
        if (ADMIN_COMMANDS.contains(c.name())) {
            if (ctx.admin()) {
                turn.effect(new Effect.Admin(c.name(), c.args()));
            } else {
                // his own id, which an operator setting himself up as the first admin has no other way to learn
                go.info(turn, go.t(turn, Msg.ADMIN_ONLY, String.valueOf(ctx.user().id())));
            }
            return;
        }
        switch (c.name()) {
            case "start" -> start(turn, c.firstArg(), ctx);
            case "menu" -> go.menu(turn, ctx);
            case "help" -> go.help(turn, ctx);
            case "status" -> go.runningJobs(turn, ctx);
            case "popular" -> go.popular(turn, ctx);
            case "balance" -> go.balance(turn, ctx);
            case "invite" -> go.invite(turn);
            case "topup" -> {
                if (ctx.admin() && !c.args().isBlank()) {
                    // the earlier bots' admin "/topup <id> <amount>": here it is the user's own top-up screen, which
                    // drops the arguments; the admin meant /topup_user
                    go.info(turn, go.t(turn, Msg.ADMIN_USAGE, go.t(turn, Msg.USAGE_TOPUP_USER)));
                } else {
                    go.topUp(turn, ctx, ctx.user().termsAccepted());
                }
            }
            case "history" -> go.history(turn, ctx);
            case "language" -> go.language(turn);
            case "cancel" -> cancel(turn, ctx);
            case "terms" -> go.terms(turn, ctx, go.t(turn, Msg.TERMS));
            case "privacy" -> go.info(turn, go.t(turn, Msg.PRIVACY));
            case "support" -> go.info(turn, go.t(turn, Msg.SUPPORT, go.supportContact(turn)));
            case "paysupport" -> dispute.open(turn, "");
            case "payments" -> go.statement(turn, ctx);
            default -> go.menu(turn, go.t(turn, Msg.UNKNOWN_COMMAND) + "\n" + go.menuTitle(turn, ctx));
        }
    }

    /**
     * A command whose message may be the first part of a longer text: the parts after it are the rest of that one
     * message, not requests of their own. An admin's {@code /reply} or {@code /broadcast} took the text of its own
     * message, and the next part is answered with what became of it ({@link LongText.Use#COMMAND}). Any other command's
     * answer (what it shows, «no such command», «admins only») answers the parts after it too
     * ({@link LongText.Use#NOT_ASKED}): each used to get «use the menu» of its own, one per part of one paste.
     */
    private static void rememberLongCommand(Turn turn, Event.Command c, boolean admin) {
        String message = "/" + c.name() + " " + c.args();
        if (!LongText.mayBeFirstPart(message) || c.messageId().isEmpty() || c.sentAt().isEmpty()) {
            return;
        }
        if (turn.state() instanceof ChatState.WritingTicket) {
            // /paysupport asks for the problem and takes nothing written after it: the parts after it are the rest
            // of a text too long for a ticket, told so with the whole's length (not silence, nor a ticket of the end)
            turn.remember(new LongText(c.messageId().get(), c.sentAt().get(), message.length(),
                    LongText.Use.TICKET_REFUSED, "", TypedLength.of(message).seen()));
            return;
        }
        boolean tookItsText = admin && (c.name().equals("reply") || c.name().equals("broadcast"));
        turn.remember(new LongText(c.messageId().get(), c.sentAt().get(), message.length(),
                tookItsText ? LongText.Use.COMMAND : LongText.Use.NOT_ASKED, tookItsText ? c.name() : "",
                TypedLength.of(message).seen()));
    }

    /**
     * /cancel: the order being made (or kept for a top-up) goes; with none, a job already sent is not cancelled. An
     * admin's credit or debit waiting for his press goes too, and he is told which: it outlived /cancel, and its
     * «Начислить» still moved the money after the admin thought he had cancelled everything.
     */
    private void cancel(Turn turn, Context ctx) {
        Optional<String> money = turn.dropMoney().map(m -> m.refund()
                ? go.t(turn, Msg.ADMIN_MONEY_DROPPED_REFUND, new JobId(m.job().getAsLong()).display(),
                        named(turn, ctx, m.userId()))
                : m.starsRefund() ? go.t(turn, Msg.ADMIN_MONEY_DROPPED_STARS, m.charge().get(),
                        named(turn, ctx, m.userId()))
                : go.t(turn, m.credit() ? Msg.ADMIN_MONEY_DROPPED_CREDIT
                : Msg.ADMIN_MONEY_DROPPED_DEBIT, go.money(turn, m.amount()), named(turn, ctx, m.userId())));
        ChatState s = turn.state();
        boolean noOrder = (s instanceof ChatState.Menu || s instanceof ChatState.Browsing
                || s instanceof ChatState.Viewing) && turn.waitingOrder().isEmpty();
        if (noOrder && go.cancelAfterSent(turn, ctx)) {
            money.ifPresent(turn::mention);
            return;
        }
        Optional<String> claimed = claimedRequest(turn, ctx);
        if (claimed.isPresent()) {
            // «Оплачено» pressed: «Отменено.» read as the request cancelled, which /cancel does not do (the admins
            // still check it, and the balance comes after); an order kept for the way back goes, as /cancel says
            String request = claimed.get() + money.map(m -> "\n" + m).orElse("");
            go.cancelled(turn, turn.waitingOrder().isPresent() ? go.t(turn, Msg.CANCELLED) + "\n" + request : request);
            return;
        }
        // with nothing else to cancel, the money's line alone: «Отменено.» before it said "cancelled" twice; with
        // nothing at all, that there was nothing: «Отменено.» at the menu read as something gone
        go.cancelled(turn, noOrder ? money.orElseGet(() -> go.t(turn, Msg.CANCEL_NOTHING))
                : go.t(turn, Msg.CANCELLED) + money.map(m -> "\n" + m).orElse(""));
    }

    /**
     * The user as the confirmation named him, his name before his id («User42 · @fox (ID 42)», as /topup_user and
     * /unban do): «пользователю 42» asked the admin to remember whose id he had typed; the id alone for one unknown.
     */
    private String named(Turn turn, Context ctx, long userId) {
        return ctx.otherUser(userId).map(u -> go.t(turn, Msg.ADMIN_MONEY_WHO, Texts.id(u.id()), u.firstName(),
                u.username().map(n -> " · @" + n).orElse(""))).orElse(String.valueOf(userId));
    }

    /**
     * While a receipt is awaited after «Оплачено», what /cancel says of its request when the admins have it: reported
     * paid, it is theirs to check and nothing the user can cancel. Empty when the request is not open as reported paid
     * (decided or expired meanwhile, or the report refused): then «Отменено.» as anywhere.
     */
    private Optional<String> claimedRequest(Turn turn, Context ctx) {
        if (!(turn.state() instanceof ChatState.ManualReceipt waiting)) {
            return Optional.empty();
        }
        return ctx.openManualTopUps().stream()
                .filter(r -> r.id() == waiting.requestId() && r.state() == ManualTopUpState.CLAIMED_PAID)
                .findFirst().map(r -> go.t(turn, Msg.MANUAL_CANCEL_CLAIMED, Texts.numbered(turn.language, r.id())));
    }

    private Optional<Model> collectingModel(Turn turn) {
        return turn.state() instanceof ChatState.Collecting c ? catalog.model(c.modelId()) : Optional.empty();
    }

    /**
     * The model whose card is shown, when it takes an order now: a text or a photo sent on it begins one, as if
     * «▶️ Начать» had been pressed and the first question answered. They were answered «use the menu» and lost.
     */
    private Optional<Model> orderable(Turn turn, Context ctx) {
        return turn.state() instanceof ChatState.Viewing v ? catalog.model(v.modelId())
                .filter(m -> !ctx.paused(m.id()) && !m.askedFields().isEmpty()) : Optional.empty();
    }

    private Optional<Model> confirmingModel(Turn turn) {
        return turn.state() instanceof ChatState.Confirming c ? catalog.model(c.modelId()) : Optional.empty();
    }

    /**
     * An edit of a message sent before. The message that gave the order its description, edited while the order is
     * being made or waits for «Сгенерировать», changes the description: that is what the user means by it (a typo
     * fixed in place). Any other edit is no answer to what is asked now (it used to be taken for one: a typo fixed in
     * the description after the next question was asked became that question's answer), and it is not silently let
     * go either: the user who fixed a message expects the fix to count, so one short line without buttons says it
     * does not, and the question, the order and their buttons stay as they were.
     */
    private void edited(Turn turn, Event.EditedText ed, Context ctx) {
        Optional<Model> collecting = collectingModel(turn);
        if (collecting.isPresent()
                && inputs.editedPrompt(turn, ctx, collecting.get(), (ChatState.Collecting) turn.state(), ed)) {
            return;
        }
        Optional<Model> confirming = confirmingModel(turn);
        if (confirming.isPresent()
                && inputs.editedPrompt(turn, ctx, confirming.get(), (ChatState.Confirming) turn.state(), ed)) {
            return;
        }
        go.say(turn, Msg.EDIT_IGNORED);
    }

    /**
     * A message with a file edited. One that gave a file of the order being made or waiting for «Сгенерировать», now
     * with another file, has it replace the old one ({@link InputCollection#replacedFile}). Otherwise its caption is
     * what may have changed, taken as an edit of its text is ({@link #edited}); but where the caption changed nothing
     * the order took (the photo alone swapped in a message the order did not take it from, or in an order kept before
     * the files' messages were), the user at the confirmation learns the order's file stays and how to change it:
     * taken for an edit of the description, it showed the same confirmation again as if the swap had been taken.
     */
    private void editedMedia(Turn turn, Event.EditedMedia ed, Context ctx) {
        Optional<Model> model = collectingModel(turn).or(() -> confirmingModel(turn));
        if (model.isPresent() && inputs.replacedFile(turn, ctx, model.get(), turn.state(), ed)) {
            return;
        }
        if (!InputCollection.captionUnchanged(turn.state(), ed)) {
            edited(turn, ed.asText(), ctx);
            return;
        }
        Optional<Model> confirming = confirmingModel(turn);
        if (confirming.isPresent()) {
            turn.send(inputs.fileEditIgnored(turn, confirming.get(), ed.media()), Keyboard.NONE);
        } else {
            go.say(turn, Msg.EDIT_IGNORED);
        }
    }

    private void text(Turn turn, Event.Text typed, Context ctx, Instant at) {
        String text = typed.text();
        Optional<LongText> before = turn.longText();
        if (before.isPresent() && before.get().continuedBy(typed)) {
            continued(turn, before.get(), typed, ctx);
            return;
        }
        Optional<JobId> named = typedJob(text);
        if (LIKE_A_COMMAND.matcher(text.strip()).lookingAt()) {
            if (named.isPresent() && collectingModel(turn).isEmpty() && !(turn.state() instanceof ChatState.WritingTicket)
                    && !(turn.state() instanceof ChatState.ManualAmount) && jobAsked(turn, ctx, text, named.get())) {
                return; // «/ген_12»: a job's number typed as its command on a Russian keyboard
            }
            // «/старт», «/start-now»: meant as a command, which no adapter makes of it (a command's name is Latin
            // letters, digits and «_»). It became a description (a paid order of the words «/старт»), a ticket, or
            // «use the menu»; it is answered as an unknown /command is, in every state. A description or a ticket
            // that truly begins with «/» is rare, and is sent again without it: where text is asked (a description, a
            // ticket) the question stands, so the user sends it again without the «/» and loses nothing he set.
            if (collectingModel(turn).isPresent() || turn.state() instanceof ChatState.WritingTicket) {
                go.say(turn, Msg.UNKNOWN_COMMAND_OR_TEXT);
            } else {
                go.menu(turn, go.t(turn, Msg.UNKNOWN_COMMAND) + "\n" + go.menuTitle(turn, ctx));
            }
            notAsked(turn, typed);
            return;
        }
        Optional<Model> collecting = collectingModel(turn);
        if (collecting.isPresent()) {
            inputs.typed(turn, ctx, collecting.get(), (ChatState.Collecting) turn.state(), typed);
            return;
        }
        if (turn.state() instanceof ChatState.ManualAmount) {
            if (!card.amountTyped(turn, text)) {
                notAsked(turn, typed);
            }
            return;
        }
        if (turn.state() instanceof ChatState.WritingTicket) {
            dispute.typed(turn, typed, at);
            return;
        }
        if (named.isPresent() && jobAsked(turn, ctx, text, named.get())) {
            return;
        }
        Optional<Model> viewed = orderable(turn, ctx);
        if (viewed.isPresent()) {
            Optional<ChatState.Confirming> kept = keptFor(turn, viewed.get());
            if (kept.isPresent()) {
                Optional<ChatState.Collecting> asked = resumedOnItsCard(turn, ctx, viewed.get(), kept.get());
                if (asked.isPresent()) {
                    inputs.typed(turn, ctx, viewed.get(), asked.get(), typed);
                } else {
                    go.say(turn, Msg.CONFIRM_TYPED, go.t(turn, Msg.BUTTON_EDIT));
                    notAsked(turn, typed);
                }
                return;
            }
            go.replaceKeptOrder(turn);
            inputs.typedOnCard(turn, ctx, viewed.get(), typed);
            return;
        }
        if (turn.state() instanceof ChatState.Confirming) {
            // a text at the confirmation is mostly the description typed again, changed: «choose with the buttons»
            // did not say which button changes it
            go.say(turn, Msg.CONFIRM_TYPED, go.t(turn, Msg.BUTTON_EDIT));
        } else if (turn.state() instanceof ChatState.TopUp) {
            // at the Stars packages a text (a number alone: the amount wanted) is answered by a package's button,
            // shown again under the line: «choose with the buttons» alone named buttons far up the chat, if any
            go.topUpAgain(turn, ctx);
        } else if (turn.state() instanceof ChatState.ManualReceipt) {
            card.receiptText(turn);
        } else {
            go.menu(turn, stillRunning(turn, ctx).orElseGet(() -> go.t(turn, Msg.HINT_USE_MENU)));
        }
        notAsked(turn, typed);
    }

    /**
     * A text at the menu while the user's jobs run is mostly «ну что там?»: the jobs still at work, by number, where
     * the result comes and /status, instead of the menu's «choose a section» alone. Empty when none runs.
     */
    private Optional<String> stillRunning(Turn turn, Context ctx) {
        List<Job> running = go.running(ctx);
        if (running.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(running.size() == 1 ? go.t(turn, Msg.JOB_STILL_RUNNING, running.get(0).id().display())
                : go.t(turn, Msg.JOB_STILL_RUNNING_MANY,
                        String.join(", ", running.stream().sorted(Comparator.comparingLong(j -> j.id().value()))
                                .map(j -> j.id().display()).toList())));
    }

    /**
     * A text or a file on the card of the model whose order is kept: the order goes on, as «↩️ Вернуться к генерации»
     * would, what was sent the answer to its question. It began a new order, the kept one dropped with its description
     * and photos, though the card says only «▶️ Начать» begins anew.
     *
     * @return the question the order is at again, or empty when it was at its confirmation, shown again now
     */
    private Optional<ChatState.Collecting> resumedOnItsCard(Turn turn, Context ctx, Model m,
                                                            ChatState.Confirming kept) {
        turn.keepWaitingOrder(Optional.empty());
        if (KeptOrder.resumed(kept, m) instanceof ChatState.Collecting c) {
            turn.moveTo(c);
            return Optional.of(c);
        }
        inputs.confirm(turn, ctx, m, kept);
        return Optional.empty();
    }

    /** The order kept for the model whose card is shown, if it is that model's. */
    private static Optional<ChatState.Confirming> keptFor(Turn turn, Model viewed) {
        return turn.waitingOrder().filter(o -> o.modelId().equals(viewed.id()));
    }

    /**
     * A text naming a job, {@code gen_12} or its number alone, shows the job from any screen: that is how a user checks
     * one. A screen that waits for something of its own (the confirmation's buttons, a receipt after «Оплачено», the
     * Stars packages, a model's card, where a text begins the order) goes on waiting, and there a number alone is seldom
     * a job's: a paying user types the amount, the card's last digits or the transfer's number on the receipt screen,
     * the Stars he wants instead of pressing a package, a variant instead of pressing its button, or the first answer
     * of an order on a card. «Генерация gen_500 не найдена» answered what he had not
     * asked and went to the menu, the order or the awaited receipt dropped with it. So there a number alone is a job only when it is one to show (his own; any, for an admin), shown below the
     * screen, which stays with its buttons good; any other number gets the screen's own hint. {@code gen_12} written so
     * asks about a job anywhere: «not found» comes below the waiting screen too.
     *
     * @return false when the text is not taken as a job's
     */
    private boolean jobAsked(Turn turn, Context ctx, String text, JobId id) {
        boolean waiting = turn.state() instanceof ChatState.Confirming || turn.state() instanceof ChatState.ManualReceipt
                || turn.state() instanceof ChatState.TopUp || orderable(turn, ctx).isPresent();
        Optional<Job> job = ctx.job(id).filter(j -> j.userId() == ctx.user().id() || ctx.admin());
        if (job.isPresent()) {
            go.jobStatus(turn, ctx, job.get(), waiting);
        } else if (!waiting) {
            go.info(turn, go.t(turn, Msg.JOB_NOT_FOUND, id.display()));
        } else if (text.strip().matches("\\d+")) {
            return false;
        } else {
            go.say(turn, Msg.JOB_NOT_FOUND, id.display());
        }
        return true;
    }

    /** The job {@code text} names as a user types a job's number ({@link #TYPED_JOB}); empty for any other text. */
    static Optional<JobId> typedJob(String text) {
        Matcher m = TYPED_JOB.matcher(text.strip());
        return m.matches() ? JobId.parse(m.group(1)) : Optional.empty();
    }

    /**
     * {@code typed} was answered with the hint of a screen that did not ask for it: when it may be the first part of
     * a longer text, the hint answers the parts after it too ({@link LongText.Use#NOT_ASKED}).
     */
    private static void notAsked(Turn turn, Event.Text typed) {
        LongText.notAsked(typed).ifPresent(turn::remember);
    }

    /**
     * The next part ({@code tail}) of a long text Telegram sent as several messages ({@link LongText}): taken with the
     * part before it where that one went, never as a new answer to what is asked by then (a ticket of its own, the next
     * question's answer, «use the menu»). Where it cannot be taken (the order or the question gone meanwhile, an admin's
     * command that took its own message), the user learns what became of it; where it answered nothing the screen asks
     * ({@link LongText.Use#NOT_ASKED}), the hint sent for the first part answers it.
     */
    private void continued(Turn turn, LongText before, Event.Text tail, Context ctx) {
        boolean taken = switch (before.use()) {
            case FIELD, FIELD_REFUSED -> {
                Optional<Model> m = collectingModel(turn).or(() -> confirmingModel(turn));
                yield m.isPresent() && inputs.continued(turn, ctx, m.get(), turn.state(), before, tail);
            }
            case TICKET, TICKET_REFUSED -> dispute.continued(turn, before, tail);
            case COMMAND -> {
                boolean reply = before.name().equals("reply");
                go.say(turn, reply ? Msg.LONG_ADMIN_REPLY : Msg.LONG_ADMIN_BROADCAST,
                        reply ? TicketAnswer.TEXT_MAX : Broadcast.TEXT_MAX);
                yield true;
            }
            case NOT_ASKED -> {
                // the hint sent for the first part («use the menu», «choose with the buttons», the amount or the
                // photo asked again) answers the whole text: the same again under each part was one hint per part of
                // one paste, and a part is no answer to what is asked. A further part may follow this one.
                before.notAskedThen(tail).ifPresent(turn::remember);
                yield true;
            }
        };
        if (!taken) {
            go.say(turn, Msg.LONG_NOT_USED);
        }
    }

    private void media(Turn turn, Event.Media media, Context ctx, Instant at) {
        Optional<ReceiptAlbum> receipts = turn.receiptAlbum().filter(a -> a.has(media));
        if (receipts.isPresent()) {
            card.albumRest(turn, receipts.get(), media);
            return;
        }
        if (turn.state() instanceof ChatState.ManualReceipt waiting) {
            card.receipt(turn, waiting, media);
            return;
        }
        if (turn.state() instanceof ChatState.WritingTicket) {
            dispute.file(turn, media, at);
            return;
        }
        Optional<Model> viewed = orderable(turn, ctx);
        Optional<Model> collecting = collectingModel(turn);
        Optional<Model> confirming = confirmingModel(turn);
        Optional<Model> ordered = viewed.or(() -> collecting).or(() -> confirming);
        if (ordered.isEmpty()) {
            if (!unasked(turn, ctx, media, at)) {
                unsupported(turn, ctx, media, card.unpaidHint(turn, ctx, media));
                // an album's files after its first are let go, its answer speaking for them: each got the same answer
                // and the menu again, four of them for four photos
                media.album().ifPresent(album -> turn.remember(new ReceiptAlbum(album, OptionalLong.empty())));
            }
            return;
        }
        // a PDF is a bank's receipt, no model's input: on a card it began an order and was refused there as no image,
        // at a model's question (the shape, the length) it was refused as no answer, at the confirmation as no button,
        // the receipt lost each way. A photo there is the order's (the user is at a generation's card, question or
        // confirmation).
        if (CardPayment.pdf(media) && unasked(turn, ctx, media, at)) {
            return;
        }
        if (viewed.isPresent()) {
            onCard(turn, ctx, viewed.get(), media);
        } else if (collecting.isPresent()) {
            inputs.file(turn, ctx, collecting.get(), (ChatState.Collecting) turn.state(), media);
        } else {
            inputs.fileAtConfirmation(turn, confirming.get(), (ChatState.Confirming) turn.state(), media);
        }
        if (!InputCollection.takesKind(ordered.get(), media)) {
            // refused as the order's (a PDF past the request's hour, a photo for a text model), it may be the receipt
            // of a request still unpaid: its «Оплачено» under the refusal, the question and the answers so far kept
            // (at the confirmation its screen and buttons stay up the chat, the refusal a message of its own).
            // A photo where the model takes photos is the order's, and a line under every one would nag
            card.unpaidHint(turn, ctx, media).ifPresent(turn::addAside);
        }
    }

    /** A file on the card of {@code m}: the order begins with it, or the one kept for the model goes on. */
    private void onCard(Turn turn, Context ctx, Model m, Event.Media media) {
        Optional<ChatState.Confirming> kept = keptFor(turn, m);
        if (kept.isPresent()) {
            Optional<ChatState.Collecting> asked = resumedOnItsCard(turn, ctx, m, kept.get());
            if (asked.isPresent()) {
                inputs.file(turn, ctx, m, asked.get(), media);
            } else {
                inputs.fileAtConfirmation(turn, m, kept.get(), media);
            }
            return;
        }
        go.replaceKeptOrder(turn);
        inputs.file(turn, ctx, m, InputCollection.first(m), media);
    }

    /**
     * A file where the screen asks for none: the ticket's when one was written a moment ago ({@link TicketJustOpened}),
     * else maybe a card / SBP receipt ({@link CardPayment#unasked}).
     *
     * @return false when it is neither: it is answered as any file there
     */
    private boolean unasked(Turn turn, Context ctx, Event.Media media, Instant at) {
        Optional<TicketJustOpened> ticket = turn.ticket().filter(t -> t.takesFileAt(at));
        return (ticket.isPresent() && dispute.fileAfter(turn, ticket.get(), media)) || card.unasked(turn, ctx, media);
    }

    /**
     * A command the user did not type: forwarded (someone else's words), written by another bot's inline mode, or
     * {@code /cmd@otherbot}. It was «Такие сообщения я здесь не принимаю», which said nothing of why a command went
     * unanswered. Empty for any other kind.
     */
    private static Optional<Msg> notTyped(Event.Unknown u) {
        return switch (u.kind()) {
            case "forwarded_command", "inline_bot_command" -> Optional.of(Msg.UNSUPPORTED_FORWARDED_COMMAND);
            case "foreign_command" -> Optional.of(Msg.UNSUPPORTED_FOREIGN_COMMAND);
            default -> Optional.empty();
        };
    }

    private void unsupported(Turn turn, Context ctx, Event e) {
        unsupported(turn, ctx, e, Optional.empty());
    }

    /**
     * @param e     what was sent: the menu's answer says why by its kind
     * @param aside what the answer adds (the «Оплачено» of requests unpaid) where it is the menu's, the amount asked
     *              again or the Stars packages' «choose a button»
     */
    private void unsupported(Turn turn, Context ctx, Event e, Optional<Screen> aside) {
        Optional<Model> collecting = collectingModel(turn);
        if (collecting.isPresent()) {
            // a location or a poll for a question: what the question wants, as for a sticker or a voice message
            ChatState.Collecting c = (ChatState.Collecting) turn.state();
            inputs.ask(turn, ctx, collecting.get(), c, inputs.wanted(turn, collecting.get().askedFields().get(c.field())));
            return;
        }
        if (turn.state() instanceof ChatState.ManualAmount) {
            card.reask(turn);
            aside.ifPresent(turn::addAside); // a receipt sent while he tops up again: it was «Нужна сумма» alone
            return;
        }
        if (turn.state() instanceof ChatState.WritingTicket) {
            dispute.open(turn, go.t(turn, Msg.NEED_TICKET_TEXT));
            return;
        }
        if (turn.state() instanceof ChatState.ManualReceipt) {
            // a location or a contact after «Оплачено»: the receipt is still awaited, as after a text; the menu in
            // its place lost the screen that takes it (the request itself was never touched)
            card.receiptText(turn);
            return;
        }
        if (confirmingModel(turn).isPresent() || turn.state() instanceof ChatState.TopUp) {
            // the order (or the Stars packages, as for a text there) waits for its buttons: a location or a sticker
            // sent now must not put the menu in its place. «Выберите вариант кнопкой.» came with no buttons: the
            // confirmation's are named, the packages shown again
            if (confirmingModel(turn).isPresent()) {
                go.say(turn, Msg.CONFIRM_TYPED, go.t(turn, Msg.BUTTON_EDIT));
            } else {
                go.topUpAgain(turn, ctx);
            }
            aside.ifPresent(turn::addAside);
            return;
        }
        String text = refusal(turn, e);
        aside.ifPresentOrElse(a -> go.menu(turn, text, a), () -> go.menu(turn, text));
    }

    /**
     * Why the menu (a list, the chat with a job running) takes what was sent, by its kind: a photo or a file is taken
     * by the model that asks for it, on the way to which the menu is; a voice message is not heard. «Такие сообщения я
     * здесь не принимаю» alone said neither.
     */
    private String refusal(Turn turn, Event e) {
        String useMenu = "\n" + go.t(turn, Msg.HINT_USE_MENU);
        if (!(e instanceof Event.Media m)) {
            return go.t(turn, Msg.UNSUPPORTED_MESSAGE) + useMenu;
        }
        return switch (m.type()) {
            case PHOTO, DOCUMENT, AUDIO, VIDEO, ANIMATION -> go.t(turn, Msg.UNSUPPORTED_FILE);
            case VOICE -> go.t(turn, Msg.UNSUPPORTED_VOICE) + useMenu;
            case VIDEO_NOTE, STICKER -> go.t(turn, Msg.UNSUPPORTED_MESSAGE) + useMenu;
        };
    }
}
