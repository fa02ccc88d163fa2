package dev.kiebot.core.conversation;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A chat's persisted conversation state. {@code version} grows every time new buttons are
 * shown; callback data carries it, so a press on an older message is recognised as stale.
 *
 * @param version      grows by one with every screen of new buttons
 * @param state        where the chat is in the conversation
 * @param waitingOrder an order being made that the user left for a top-up, an information screen (the balance, the
 *                     help, the history…), the menu or a model's card: kept whatever the chat does meanwhile, so the
 *                     message that says the money arrived, or the screen, can offer it again (its price asked anew, or
 *                     the question it was at) instead of the prompt, the photos and every option being given once
 *                     more; dropped when an order is placed, resumed or begun anew, and by /cancel. An order still at
 *                     a question is kept as its answers so far with the question's index under a key no field has
 *                     ({@link ChatStateCodec} writes it with the rest)
 * @param longText     the chat's last text when it may be the first part of a longer one that Telegram sent as several
 *                     messages ({@link LongText}): the next part is taken with it. Kept for the next event only
 * @param money        an admin's credit or debit shown for confirmation and not pressed yet ({@link MoneyConfirmation}):
 *                     written by the shop's admin desk when shown, and kept whatever the chat does meanwhile (an
 *                     admin checks the user with {@code /find} before pressing) until the conversation takes it off
 *                     at its press ({@link Effect.SettleMoney#kept()}) or /cancel drops it
 * @param receiptAlbum the album whose first file was answered as a card / SBP receipt ({@link ReceiptAlbum}): its next
 *                     file is taken without a word. Kept for the next event only
 * @param welcomedBack when the user came back (unblocked the bot) and was welcomed back with the menu, when that was the
 *                     chat's last event: «Перезапустить бота» sends the return and a {@code /start}, which the welcome
 *                     answered already. Kept for the next event only
 * @param ticket       a {@code /paysupport} ticket written in this chat a moment ago ({@link TicketJustOpened}): a
 *                     photo or a file sent soon after it is the ticket's, not a receipt. Kept until it is too old,
 *                     or the user reports a card / SBP request paid or makes one
 */
public record ChatSession(long version, ChatState state, Optional<ChatState.Confirming> waitingOrder,
                          Optional<LongText> longText, Optional<MoneyConfirmation> money,
                          Optional<ReceiptAlbum> receiptAlbum, Optional<Instant> welcomedBack,
                          Optional<TicketJustOpened> ticket) {
    /**
     * Checks that nothing is null.
     *
     * @param version      the screen count
     * @param state        never null
     * @param waitingOrder {@code Optional.empty()} for none
     * @param longText     {@code Optional.empty()} for none
     * @param money        {@code Optional.empty()} for none
     * @param receiptAlbum {@code Optional.empty()} for none
     * @param welcomedBack {@code Optional.empty()} for none
     * @param ticket       {@code Optional.empty()} for none
     * @throws NullPointerException naming the part left null
     */
    public ChatSession {
        Objects.requireNonNull(state, "state: e.g. new ChatState.Menu()");
        Objects.requireNonNull(waitingOrder, "waitingOrder: Optional.empty() for none");
        Objects.requireNonNull(longText, "longText: Optional.empty() for none");
        Objects.requireNonNull(money, "money: Optional.empty() for none");
        Objects.requireNonNull(receiptAlbum, "receiptAlbum: Optional.empty() for none");
        Objects.requireNonNull(welcomedBack, "welcomedBack: Optional.empty() for none");
        Objects.requireNonNull(ticket, "ticket: Optional.empty() for none");
    }

    /**
     * A session with no ticket just written (the form before a file after a ticket went to it).
     *
     * @param version      the screen count
     * @param state        where the chat is
     * @param waitingOrder an order waiting for a top-up, or empty
     * @param longText     a long text that may go on, or empty
     * @param money        an admin's confirmation waiting, or empty
     * @param receiptAlbum the receipt album answered, or empty
     * @param welcomedBack the return just welcomed back, or empty
     */
    public ChatSession(long version, ChatState state, Optional<ChatState.Confirming> waitingOrder,
                       Optional<LongText> longText, Optional<MoneyConfirmation> money,
                       Optional<ReceiptAlbum> receiptAlbum, Optional<Instant> welcomedBack) {
        this(version, state, waitingOrder, longText, money, receiptAlbum, welcomedBack, Optional.empty());
    }

    /**
     * A session whose last event was no return welcomed back (the form before «Перезапустить бота» was answered once).
     *
     * @param version      the screen count
     * @param state        where the chat is
     * @param waitingOrder an order waiting for a top-up, or empty
     * @param longText     a long text that may go on, or empty
     * @param money        an admin's confirmation waiting, or empty
     * @param receiptAlbum the receipt album answered, or empty
     */
    public ChatSession(long version, ChatState state, Optional<ChatState.Confirming> waitingOrder,
                       Optional<LongText> longText, Optional<MoneyConfirmation> money,
                       Optional<ReceiptAlbum> receiptAlbum) {
        this(version, state, waitingOrder, longText, money, receiptAlbum, Optional.empty());
    }

    /**
     * A session with no receipt album answered (the form before an album of receipts got one answer).
     *
     * @param version      the screen count
     * @param state        where the chat is
     * @param waitingOrder an order waiting for a top-up, or empty
     * @param longText     a long text that may go on, or empty
     * @param money        an admin's confirmation waiting, or empty
     */
    public ChatSession(long version, ChatState state, Optional<ChatState.Confirming> waitingOrder,
                       Optional<LongText> longText, Optional<MoneyConfirmation> money) {
        this(version, state, waitingOrder, longText, money, Optional.empty());
    }

    /**
     * A session with no admin's confirmation waiting (the form before admins confirmed credits and debits).
     *
     * @param version      the screen count
     * @param state        where the chat is
     * @param waitingOrder an order waiting for a top-up, or empty
     * @param longText     a long text that may go on, or empty
     */
    public ChatSession(long version, ChatState state, Optional<ChatState.Confirming> waitingOrder,
                       Optional<LongText> longText) {
        this(version, state, waitingOrder, longText, Optional.empty());
    }

    /**
     * A session with no long text that may go on (the form before split texts were joined).
     *
     * @param version      the screen count
     * @param state        where the chat is
     * @param waitingOrder an order waiting for a top-up, or empty
     */
    public ChatSession(long version, ChatState state, Optional<ChatState.Confirming> waitingOrder) {
        this(version, state, waitingOrder, Optional.empty());
    }

    /**
     * A session with no order waiting for a top-up.
     *
     * @param version the screen count
     * @param state   where the chat is
     */
    public ChatSession(long version, ChatState state) {
        this(version, state, Optional.empty());
    }

    /**
     * A new chat's session.
     *
     * @return version 1, at the menu
     */
    public static ChatSession initial() {
        return new ChatSession(1, new ChatState.Menu());
    }

    /**
     * The session after a screen of new buttons: older buttons go stale.
     *
     * @param s the chat's new state
     * @return a session one version on
     */
    public ChatSession next(ChatState s) {
        return new ChatSession(version + 1, s, waitingOrder, longText, money, receiptAlbum, welcomedBack, ticket);
    }

    /**
     * The same session in {@code s}, everything else kept: a mark the state keeps, no new buttons.
     *
     * @param s the chat's state
     * @return a new session, same version
     */
    public ChatSession withState(ChatState s) {
        return new ChatSession(version, s, waitingOrder, longText, money, receiptAlbum, welcomedBack, ticket);
    }

    /**
     * The same session with {@code order} waiting for a top-up (or none).
     *
     * @param order the order, or empty to drop it
     * @return a new session, same version
     */
    public ChatSession withWaitingOrder(Optional<ChatState.Confirming> order) {
        return new ChatSession(version, state, order, longText, money, receiptAlbum, welcomedBack, ticket);
    }

    /**
     * The same session with {@code text} as the long text that may go on (or none).
     *
     * @param text the last text, or empty
     * @return a new session, same version
     */
    public ChatSession withLongText(Optional<LongText> text) {
        return new ChatSession(version, state, waitingOrder, text, money, receiptAlbum, welcomedBack, ticket);
    }

    /**
     * The same session with {@code confirmation} waiting for the admin's press (or none).
     *
     * @param confirmation the confirmation shown, or empty once pressed, cancelled or expired
     * @return a new session, same version: the confirmation's buttons carry their own nonce, not the version
     */
    public ChatSession withMoney(Optional<MoneyConfirmation> confirmation) {
        return new ChatSession(version, state, waitingOrder, longText, confirmation, receiptAlbum, welcomedBack, ticket);
    }

    /**
     * The same session with {@code album} as the receipt album answered (or none).
     *
     * @param album the album whose first file was answered as a receipt, or empty
     * @return a new session, same version
     */
    public ChatSession withReceiptAlbum(Optional<ReceiptAlbum> album) {
        return new ChatSession(version, state, waitingOrder, longText, money, album, welcomedBack, ticket);
    }

    /**
     * The same session with {@code at} as the return just welcomed back (or none).
     *
     * @param at when the user came back, or empty
     * @return a new session, same version
     */
    public ChatSession withWelcomedBack(Optional<Instant> at) {
        return new ChatSession(version, state, waitingOrder, longText, money, receiptAlbum, at, ticket);
    }

    /**
     * The same session with {@code written} as the ticket just written (or none).
     *
     * @param written the ticket written a moment ago, or empty
     * @return a new session, same version
     */
    public ChatSession withTicket(Optional<TicketJustOpened> written) {
        return new ChatSession(version, state, waitingOrder, longText, money, receiptAlbum, welcomedBack, written);
    }
}
