package dev.kiebot.core.reply;

import java.util.Optional;

/**
 * Every kind of inline button the bot makes, with its one-character wire code (callback data is at most
 * 64 bytes, and buttons already in users' chats keep working only while their codes stay the same).
 * Evergreen actions work on any message, however old; the others carry the chat session's version and
 * are stale once a newer screen was shown.
 */
public enum CallbackAction {
    /** The main menu. */
    MENU("m", true),
    /** A category's models; arg: the category's name. */
    CATEGORY("c", true),
    /** Another page of a category's models; arg: {@code <category>:<page>}. */
    PAGE("p", true),
    /** The models free today. */
    FREE_MODELS("f", true),
    /** A model's card: its description and price; arg: the model id. */
    MODEL_CARD("v", true),
    /** Start filling a model's inputs; arg: the model id. */
    START_INPUTS("g", true),
    /** The user's balance. */
    BALANCE("b", true),
    /** The ways to top up ({@code /topup}). */
    TOP_UP("T", true),
    /** The user's generations; arg: the page, none for the first. */
    HISTORY("h", true),
    /** The help screen. */
    HELP("?", true),
    /** The languages to choose from. */
    LANGUAGES("L", true),
    /** Choose a language; arg: {@code ru} or {@code en}. */
    SET_LANGUAGE("l", true),
    /** The user accepts the terms. */
    ACCEPT_TERMS("y", true),
    /** Buy a Stars pack; arg: the Stars. */
    STARS_PACK("t", true),
    /** The same order again: its confirmation with the job's inputs, at today's price; arg: the job. */
    AGAIN("a", true),
    /** A delivered result sent again; arg: the job. */
    RESEND("r", true),
    /** Cancel a queued job, its money returned; arg: the job. */
    CANCEL_JOB("q", true),
    /** A delivered image again as a file, as the model made it (a photo is recompressed by Telegram); arg: the job. */
    ORIGINAL("O", true),
    /** An admin sends the broadcast drafted; arg: its id. */
    SEND_BROADCAST("S", true),
    /** An admin drops the broadcast drafted; arg: its id. */
    DROP_BROADCAST("X", true),
    /** The models people used most this week. */
    POPULAR("^", true),
    /** The user's running jobs, with their progress. */
    RUNNING_JOBS("~", true),
    /** Leave the inputs or the confirmation for the menu. */
    CANCEL("x", false),
    /** One of the asked field's values, by index. */
    OPTION("o", false),
    /** The asked field's default, or skipping an optional field. */
    DEFAULT("d", false),
    /** Enough files for a multi-file field. */
    FILES_DONE("n", false),
    /** Generate, on the terms the confirmation showed; arg: {@code Quote.terms()}. */
    CONFIRM("k", false),
    /** Change one input of the order on its confirmation: the list of its fields (no arg), or field {@code arg}. */
    EDIT("e", false),
    /** The previous field of the inputs, asked again. */
    PREVIOUS_FIELD("<", false),
    /** The answer a field asked again already has, kept. */
    KEEP("K", false),
    // issue 10: punctuation codes, so no letter another change may want is taken
    /** Top up by card or SBP: the amounts. */
    MANUAL_TOPUP("$", true),
    /** "I paid" under a manual request's instructions; arg: the request id. */
    MANUAL_PAID("!", true),
    /** An admin approves a manual request; arg: its id. */
    MANUAL_APPROVE("+", true),
    /** An admin declines a manual request; arg: its id. */
    MANUAL_DECLINE("-", true),
    /** An admin refunds a Stars payment; arg: {@code <user id>:<the charge's reference>}. */
    REFUND_STARS("&", true),
    /** The wallet's statement (/payments). */
    PAYMENTS("=", true),
    /** Back to the order the user went to top up for, its price asked anew ({@code ChatSession.waitingOrder}). */
    RESUME_ORDER("@", true),
    /** The user's invitation link and what it earns (/invite). */
    INVITE("i", true),
    /** One of the offered amounts of a card / SBP top-up; arg: minor units. */
    MANUAL_AMOUNT("#", false),
    /**
     * An admin moves the money his {@code /topup_user} or {@code /debit_user} showed for confirmation; arg: the
     * confirmation's nonce ({@code MoneyConfirmation.nonce()}), checked against the one his chat keeps.
     */
    MOVE_MONEY("%", true),
    /** An admin cancels that confirmation; arg: its nonce. */
    DROP_MONEY(";", true),
    /** An admin erases a user's personal data his {@code /forget} showed; arg: the user's id. */
    FORGET_USER("}", true);

    private final String code;
    private final boolean evergreen;

    CallbackAction(String code, boolean evergreen) {
        this.code = code;
        this.evergreen = evergreen;
    }

    /**
     * The wire code, the second part of the callback data.
     *
     * @return one character, never changed once buttons carry it
     */
    public String code() {
        return code;
    }

    /**
     * Whether the action works on any message, however old.
     *
     * @return true for an evergreen action; false for one carrying the chat session's version
     */
    public boolean evergreen() {
        return evergreen;
    }

    /**
     * The action of a wire code.
     *
     * @param code the code as the callback data carried it
     * @return the action; empty for a code the bot never made
     */
    public static Optional<CallbackAction> ofCode(String code) {
        for (CallbackAction a : values()) {
            if (a.code.equals(code)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
