package dev.kiebot.core.conversation;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.FreeTier;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.text.Msg;

/**
 * Where a chat goes when the user asks for a place — by command or by button — and what it sees there:
 * each method chooses the next state, then shows the screen {@link Screens} renders for it.
 */
final class Navigation {
    private static final int HISTORY_SIZE = 10;

    private final Catalog catalog;
    private final FreeTier freeTier;
    private final Screens screens;

    Navigation(Catalog catalog, FreeTier freeTier, Screens screens) {
        this.catalog = catalog;
        this.freeTier = freeTier;
        this.screens = screens;
    }

    String t(Turn turn, Msg msg, Object... args) {
        return screens.t(turn.language, msg, args);
    }

    int freeLeft(Context ctx) {
        return freeTier.left(ctx.freeUsedToday());
    }

    String balanceText(Turn turn, Context ctx) {
        return screens.money(turn.language, ctx.balance());
    }

    String supportContact() {
        return screens.supportContact();
    }

    String menuTitle(Turn turn, Context ctx) {
        return screens.menuTitle(turn.language, ctx.balance());
    }

    void menu(Turn turn, String text) {
        turn.moveTo(new ChatState.Menu());
        turn.show(screens.menu(turn.language, text));
    }

    void menu(Turn turn, Context ctx) {
        menu(turn, menuTitle(turn, ctx));
    }

    /** A screen with just text and the way home; the chat is at the menu. */
    void info(Turn turn, String text) {
        turn.moveTo(new ChatState.Menu());
        turn.show(screens.info(turn.language, text));
    }

    void browse(Turn turn, Category category, int page) {
        int pages = Math.max(1, (catalog.models(category).size() + ShopSettings.PAGE_SIZE - 1) / ShopSettings.PAGE_SIZE);
        int p = Math.max(0, Math.min(page, pages - 1));
        turn.moveTo(new ChatState.Browsing(category, p));
        turn.show(screens.browse(turn.language, category, p, pages));
    }

    void free(Turn turn, Context ctx) {
        turn.moveTo(new ChatState.Menu());
        turn.show(screens.free(turn.language, freeLeft(ctx)));
    }

    void card(Turn turn, Context ctx, Model m) {
        turn.moveTo(new ChatState.Viewing(m.id()));
        turn.show(screens.card(turn.language, m, freeLeft(ctx)));
    }

    void balance(Turn turn, Context ctx) {
        turn.moveTo(new ChatState.Menu());
        turn.show(screens.balance(turn.language, ctx.balance(), freeLeft(ctx)));
    }

    /** @param termsAccepted passed in because accepting the terms and opening top-up are one step */
    void topUp(Turn turn, Context ctx, boolean termsAccepted) {
        if (!termsAccepted) {
            terms(turn, ctx, t(turn, Msg.TOPUP_TERMS_FIRST, t(turn, Msg.TERMS)));
            return;
        }
        turn.moveTo(new ChatState.TopUp());
        turn.show(screens.topUp(turn.language));
    }

    void terms(Turn turn, Context ctx, String text) {
        turn.moveTo(new ChatState.Menu());
        turn.show(screens.terms(turn.language, text, ctx.user().termsAccepted()));
    }

    void history(Turn turn, Context ctx) {
        turn.moveTo(new ChatState.Menu());
        turn.show(screens.history(turn.language, ctx.recentJobs(HISTORY_SIZE)));
    }

    /** The status of one job, as a new message. */
    void jobStatus(Turn turn, Job j) {
        turn.moveTo(new ChatState.Menu());
        turn.send(screens.jobStatus(turn.language, j));
    }

    void language(Turn turn) {
        turn.moveTo(new ChatState.Menu());
        turn.show(screens.language(turn.language));
    }

    /** A short answer without buttons; the state stays. */
    void say(Turn turn, Msg msg, Object... args) {
        turn.send(t(turn, msg, args), Keyboard.NONE);
    }
}
