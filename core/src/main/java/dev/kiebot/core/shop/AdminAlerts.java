package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import java.time.Instant;
import java.util.function.Function;

/** A text to every admin of the shop, each in his language, through the outbox: paced, and kept until it is sent. */
final class AdminAlerts {
    /** Audit actions of the alerts told once per occasion ({@link #sendFirst}). */
    static final String FREE_TOTAL = "alert.free_total";
    static final String WELCOME_TOTAL = "alert.welcome_total";
    static final String OVERCHARGED = "alert.overcharged";
    static final String RESULT_GONE = "alert.result_gone";
    static final String PROVIDER_REFUSED = "alert.provider_refused";
    /** The all-clear of {@link #PROVIDER_REFUSED}: an order went through again. */
    static final String PROVIDER_BACK = "alert.provider_back";
    static final String MODEL_FAILING = "alert.model_failing";
    /** A model whose createTask the provider refused as one it no longer runs ({@link WithdrawnModels}). */
    static final String MODEL_WITHDRAWN = "alert.model_withdrawn";
    /** The provider failing every model's calls ({@link ProviderDown}), and then answering again. */
    static final String KIE_DOWN = "alert.kie_down";
    static final String KIE_BACK = "alert.kie_back";
    /** The provider's balance below the shop's threshold ({@link LowCredits}); /find alert:credits lists them. */
    static final String CREDITS_LOW = "alert.credits_low";
    /** Replies waiting in the outbox too long, and then gone out ({@link Backlogs}). */
    static final String UPDATES_STUCK = "alert.updates_stuck";
    static final String UPDATES_FLOWING = "alert.updates_flowing";
    static final String REPLIES_STUCK = "alert.replies_stuck";
    static final String REPLIES_FLOWING = "alert.replies_flowing";
    /** Generations' checks late, and then on time again ({@link Backlogs}). */
    static final String JOBS_LATE = "alert.jobs_late";
    static final String JOBS_ON_TIME = "alert.jobs_on_time";

    private AdminAlerts() {
    }

    /**
     * As {@link #send}, unless the occasion {@code telling} names (its action and correlation id) was told since
     * {@code since}, by this instance or another on the same stores: the telling is recorded in the audit trail in
     * the caller's transaction, so a rolled-back alert leaves its occasion open. A process's own memory of what it
     * told is not enough with two instances on one database (a web service scaled to 2, a rolling deploy): each told.
     *
     * @return whether the admins were told
     */
    static boolean sendFirst(Stores stores, ShopSettings settings, Outbox outbox, AuditEvent telling, Instant since,
                             Function<String, String> textIn) {
        if (!stores.audit().recordFirst(telling, since)) {
            return false;
        }
        send(stores, settings, outbox, textIn);
        return true;
    }

    /** @param textIn the alert in a language ({@code "ru"}, {@code "en"}) */
    static void send(Stores stores, ShopSettings settings, Outbox outbox, Function<String, String> textIn) {
        for (long admin : settings.adminIds()) {
            outbox.send(new Reply.SendText(admin, textIn.apply(stores.users().languageOf(admin)), Keyboard.NONE));
        }
    }
}
