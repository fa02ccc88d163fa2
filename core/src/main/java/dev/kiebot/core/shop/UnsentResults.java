package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Results a user never got because he had blocked the bot, told when he comes back. A result is charged when it is
 * queued ({@link ResultDelivery}); a send refused as blocked drops the chat's queue, the result with it, and nothing
 * keeps a Telegram file id of a file never sent: without a word at his return, he had paid for a result he never saw,
 * and could learn of it only from /history, by which time the provider may have dropped the file.
 *
 * <p>Kept in the audit trail (stored data, shared by every instance, no process memory): when a send finds the user
 * blocked, each of his jobs delivered within {@link ReplySender#DEFERRED_MAX} (how long a reply may wait in its queue)
 * whose result has no file id kept is noted under {@code unsent:<user id>}; his return (his first update after the
 * block, the unblock event or, that one lost, his next message: {@link Storefront}) lists those noted since the
 * last return, and notes that they were told. A result that went as its link (too large for Telegram, or refused)
 * keeps its URL in their place ({@link ReplySender}), so it counts as delivered too.
 */
final class UnsentResults {
    /** The audit action of a result dropped with its blocked user's queue. */
    static final String DROPPED = "gen.result_unsent";
    /** The audit action of a return at which the user was told of them. */
    static final String TOLD = "gen.unsent_told";
    /** The most listed with a button each; the rest are in /history. */
    static final int LISTED_MAX = 5;
    /** The user's newest jobs looked at when a send finds him blocked. */
    private static final int SCANNED = 20;

    private final Stores stores;
    private final Texts texts;
    private final Clock clock;
    private final Generations generations;
    private final Outbox outbox;

    UnsentResults(Stores stores, Texts texts, Clock clock, Generations generations, Outbox outbox) {
        this.stores = stores;
        this.outbox = outbox;
        this.texts = texts;
        this.clock = clock;
        this.generations = generations;
    }

    private static String occasion(long userId) {
        return "unsent:" + userId;
    }

    /**
     * A send found the user blocked: his results not sent yet (their replies are dropped now) are noted, each once
     * until he is told. In the settle's transaction, with the block and the drop.
     */
    void blocked(long chatId) {
        if (chatId <= 0) {
            return; // a group's: nobody comes back to be told
        }
        Instant now = clock.instant();
        Instant since = now.minus(ReplySender.DEFERRED_MAX);
        Set<String> noted = notedSinceTold(chatId);
        // two reads in the settle that holds the chat, however many results he had that day: the trail and the jobs
        for (Job j : stores.jobs().deliveredWithoutFileIds(chatId, since, SCANNED)) {
            if (!noted.contains(j.id().display())) {
                stores.audit().record(new AuditEvent(now, Actor.mask(chatId), DROPPED, j.id().display(),
                        Optional.of(occasion(chatId))));
            }
        }
    }

    /**
     * The user came back: a message listing the results noted while he was away (oldest first, at most
     * {@link #LISTED_MAX} with a «📤 Прислать» each, the rest pointed to /history), or nothing. Refunded ones are left
     * out. The telling is noted, so a second return lists only what was dropped after it.
     */
    List<Reply> back(long userId, long chatId, String lang) {
        Set<String> noted = notedSinceTold(userId);
        if (noted.isEmpty()) {
            return List.of();
        }
        List<Job> ready = new ArrayList<>();
        for (String id : noted) {
            JobId.parse(id).flatMap(stores.jobs()::find)
                    .filter(j -> j.state() == JobState.DELIVERED && j.userId() == userId).ifPresent(ready::add);
        }
        stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(userId), TOLD, noted.size() + " noted",
                Optional.of(occasion(userId))));
        if (ready.isEmpty()) {
            return List.of();
        }
        List<Job> listed = ready.size() > LISTED_MAX ? ready.subList(ready.size() - LISTED_MAX, ready.size()) : ready;
        String text;
        if (listed.size() == 1) {
            Job j = listed.get(0);
            text = texts.get(lang, Msg.UNSENT_ONE, j.id().display(), generations.title(j));
        } else {
            StringBuilder lines = new StringBuilder();
            for (Job j : listed) {
                lines.append(lines.length() == 0 ? "" : "\n").append("• ")
                        .append(texts.get(lang, Msg.JOB_RESULT_CAPTION, j.id().display(), generations.title(j)));
            }
            text = texts.get(lang, Msg.UNSENT_MANY, lines.toString());
        }
        if (ready.size() > listed.size()) {
            text += "\n" + texts.get(lang, Msg.UNSENT_MORE);
        }
        List<List<Button>> rows = new ArrayList<>();
        for (Job j : listed) {
            rows.add(List.of(Button.callback(texts.get(lang, Msg.BUTTON_RESEND, j.id().display()),
                    CallbackData.evergreen(CallbackAction.RESEND, j.id().display()))));
        }
        rows.add(List.of(HomeButton.of(texts, lang)));
        return List.of(new Reply.SendText(chatId, text, new Keyboard(rows)));
    }

    /**
     * «📤 Прислать» (or /history's re-send) of a result noted dropped that has kept nothing of a delivery since: it
     * never reached the chat, so it goes as the result it is ({@link ResultDelivery#sendResults}), not as a copy of
     * one he has: its file ids kept once sent, its link when Telegram refuses it, and, when its file is gone at the
     * provider by now (kept a day at worst), the job refunded by the transfer an admin's {@code /refund} makes
     * ({@link Generations#resultGone}: keyed by the hold, so a second press, another instance or a {@code /refund}
     * after it moves nothing more). He paid and got nothing: sent as a re-send, a gone file was only told gone.
     *
     * @param job a delivered job of the user's, with nothing kept of its delivery
     * @return whether it was such a result and is on its way; false: send it again as any other
     */
    boolean resend(Job job) {
        if (job.state() != JobState.DELIVERED || job.result().isEmpty() || !dropped(job)) {
            return false;
        }
        ResultDelivery.sendResults(job, generations, outbox, texts);
        return true;
    }

    /** Whether the job's result was noted dropped with its blocked user's queue, told or not. */
    boolean dropped(Job job) {
        String id = job.id().display();
        return stores.audit().byCorrelation(occasion(job.userId())).stream()
                .anyMatch(e -> e.action().equals(DROPPED) && e.detail().equals(id));
    }

    /** Job ids noted since the user was last told, oldest first. */
    private Set<String> notedSinceTold(long userId) {
        Set<String> noted = new LinkedHashSet<>();
        for (AuditEvent e : stores.audit().byCorrelation(occasion(userId))) {
            if (e.action().equals(TOLD)) {
                noted.clear();
            } else if (e.action().equals(DROPPED)) {
                noted.add(e.detail());
            }
        }
        return noted;
    }
}
