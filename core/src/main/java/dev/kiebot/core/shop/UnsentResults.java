package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Results a user never got because he had blocked the bot, told when he comes back. A result is charged when it is
 * queued ({@link ResultDelivery}); a send refused as blocked drops the chat's queue, the result with it, and nothing
 * keeps a Telegram file id of a file never sent: without a word at his return, he had paid for a result he never saw,
 * and could learn of it only from /history, by which time the provider may have dropped the file.
 *
 * <p>Kept in the audit trail (stored data, shared by every instance, no process memory), under
 * {@code unsent:<user id>}: when a send finds the user blocked, each of his jobs delivered within
 * {@link ReplySender#DEFERRED_MAX} (how long a reply may wait in its queue) that has a result not sent is noted
 * ({@link #DROPPED}); his return (his first update after the block, the unblock event or, that one lost, his next
 * message: {@link Storefront}) lists those noted since the last return, and notes that they were told. A result that
 * went as its link (too large for Telegram, or refused) keeps its URL in their place ({@link ReplySender}), so it
 * counts as delivered too.
 *
 * <p>A note names the job alone when none of its results reached the chat, or the job and the numbers of the results
 * that did not (a job of several results, some sent before the block), a number marked {@code ?} for a result whose
 * send may or may not have arrived ({@link dev.kiebot.core.reply.Delivery.Uncertain}, noted as {@link #UNCERTAIN} at its send). Only a job
 * named alone is refunded when its file is gone by the time he asks for it: the ledger gives a job's price back once,
 * whole (the transfer an admin's {@code /refund} makes), so a job that got some of its files, or may have, is told
 * gone and pointed to support, never refunded for what he has.
 */
final class UnsentResults {
    /** The audit action of a result dropped with its blocked user's queue. */
    static final String DROPPED = "gen.result_unsent";
    /** The audit action of a result whose send may or may not have reached the chat (its detail: job and number). */
    static final String UNCERTAIN = "gen.result_uncertain";
    /**
     * The audit action of a job's missing results sent again, when some of it had reached him or may have: its files
     * are on its way till noted {@link #ARRIVED} or missed ({@link Marks}).
     */
    static final String RESENT = "gen.unsent_resending";
    /**
     * The audit action of a job sent again whole at his asking (none of it had reached him): what came of that send
     * is what counts from then on ({@link #ARRIVED}, {@link #MISSED}). Apart from {@link #RESENT}: the job's note stays
     * its latest.
     */
    static final String RESENT_WHOLE = "gen.unsent_resending_whole";
    /**
     * {@link #RESENT} as written before arrivals were noted ({@link #ARRIVED}): nothing says whether its files came,
     * so they count as reached at once, as they did then. Read as {@link #RESENT} was, "on its way" apart: under the
     * same name, a file that came was "on its way" to «📎» for as long as the trail was kept.
     */
    static final String RESENT_BEFORE_ARRIVALS = "gen.unsent_resent";
    /** {@link #RESENT_WHOLE} as written before arrivals were noted: as {@link #RESENT_BEFORE_ARRIVALS}. */
    static final String RESENT_WHOLE_BEFORE_ARRIVALS = "gen.unsent_resent_whole";
    /**
     * The audit action of a result that surely did not reach the chat at a send, its file gone at the provider or
     * neither it nor its link taken (its detail: job and number), whether or not the user had blocked the bot.
     */
    static final String MISSED = "gen.result_missed";
    /**
     * The audit action of a result sent again at his asking ({@link #RESENT}, {@link #RESENT_WHOLE}) that reached the
     * chat (its detail: job and number): till then, or till its send is noted missed, it is on its way, not his.
     */
    static final String ARRIVED = "gen.unsent_arrived";
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
     * What a note says of a job's results: those surely not sent and those that may not have arrived, numbered from
     * 1 in the provider's order; both empty: none of them was sent ({@code whole}).
     */
    private record Missing(boolean whole, List<Integer> notSent, List<Integer> maybe) {
        static Missing parse(String detail) {
            String[] words = detail.trim().split(" ");
            List<Integer> notSent = new ArrayList<>();
            List<Integer> maybe = new ArrayList<>();
            for (String w : Arrays.asList(words).subList(1, words.length)) {
                try {
                    if (w.startsWith("?")) {
                        maybe.add(Integer.parseInt(w.substring(1)));
                    } else {
                        notSent.add(Integer.parseInt(w));
                    }
                } catch (NumberFormatException notANumber) {
                    // a word of a later format: left out
                }
            }
            return new Missing(notSent.isEmpty() && maybe.isEmpty(), notSent, maybe);
        }

        static String jobOf(String detail) {
            String d = detail.trim();
            int space = d.indexOf(' ');
            return space < 0 ? d : d.substring(0, space);
        }

        /** The results to send again (numbers from 1), of a job of {@code count}. */
        List<Integer> toSend(int count) {
            if (whole) {
                List<Integer> all = new ArrayList<>();
                for (int i = 1; i <= count; i++) {
                    all.add(i);
                }
                return all;
            }
            List<Integer> all = new ArrayList<>(maybe);
            all.addAll(notSent);
            all.removeIf(i -> i < 1 || i > count);
            return all.stream().distinct().sorted().toList();
        }
    }

    /**
     * A result's send may or may not have reached the chat ({@link dev.kiebot.core.reply.Delivery.Uncertain}): noted, so that it is never
     * taken for one surely not sent (listed as unsent and refunded when its file is gone) nor for one he has. In the
     * settle's transaction.
     */
    void uncertain(Job job, String source) {
        if (job.chatId() <= 0) {
            // never a job of today's: a group starts none (PrivateChatsOnly), every result goes to its user's private
            // chat; one from before that rule is left as it was
            return;
        }
        int number = job.result().map(r -> r.urls().indexOf(source) + 1).orElse(0);
        stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(job.userId()), UNCERTAIN,
                job.id().display() + " " + Math.max(number, 1), Optional.of(occasion(job.userId()))));
    }

    /**
     * A result of the job ({@code source}, one of its URLs) surely did not reach the chat at this send: its file gone
     * at the provider, or neither it nor its link taken. Noted, so that its original is not sent as a file for a job
     * given back ({@link #originals}). In the settle's transaction.
     */
    void missed(Job job, String source) {
        int number = job.result().map(r -> r.urls().indexOf(source) + 1).orElse(0);
        if (number > 0) {
            stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(job.userId()), MISSED,
                    job.id().display() + " " + number, Optional.of(occasion(job.userId()))));
        }
    }

    /**
     * The job's present send, as the user's trail told it when read: when it began, its last re-send at his asking
     * ({@link #RESENT}, {@link #RESENT_WHOLE}, as written now or before), empty at its first delivery; and the files it
     * has noted {@link #MISSED} since (numbers from 1). What its files were told before counts for an earlier send: a
     * notice days old is not "the message above". Read with the rest of a file of it that failed ({@link #failure}).
     */
    record PresentSend(Optional<Instant> began, Set<Integer> missed) {
        PresentSend {
            missed = Set.copyOf(missed);
        }

        /**
         * How many files it has missed counting file {@code number} (from 1; 0: none), noted missed now
         * ({@link UnsentResults#missed(Job, String)}), whether that came before the read or after it.
         */
        int missedWith(int number) {
            Set<Integer> all = new LinkedHashSet<>(missed);
            if (number > 0) {
                all.add(number);
            }
            return all.size();
        }
    }

    /**
     * What the user's trail tells of a file of the job that failed at a send ({@code source}, one of its URLs: gone at
     * the provider, neither it nor its link taken, or maybe not arrived), as it was before the failure is noted: whether
     * the job's price goes back ({@link #gone}), the job's present send, and whether any of it was noted dropped at a
     * block, told or not.
     */
    record Failure(Gone gone, PresentSend send, boolean dropped) {
    }

    /**
     * The job's {@link Failure} at its file {@code source}: one read of the user's trail. Each of the three, asked
     * apart, read the whole trail: two or three times a failed file.
     */
    Failure failure(Job job, String source) {
        List<AuditEvent> trail = stores.audit().byCorrelation(occasion(job.userId()));
        return new Failure(gone(job, source, trail), presentSend(job, trail), dropped(job, trail));
    }

    /** The job's {@link PresentSend}, from the user's trail already read. */
    private static PresentSend presentSend(Job job, List<AuditEvent> trail) {
        String id = job.id().display();
        Optional<Instant> began = trail.stream().filter(e -> resent(e, id) || resentWhole(e, id))
                .map(AuditEvent::at).reduce((a, b) -> b);
        Set<Integer> missed = new LinkedHashSet<>();
        trail.stream().filter(e -> e.action().equals(MISSED) && Missing.jobOf(e.detail()).equals(id))
                .filter(e -> began.filter(e.at()::isBefore).isEmpty())
                .forEach(e -> missed.addAll(Missing.parse(e.detail()).notSent()));
        return new PresentSend(began, missed);
    }

    /**
     * A send found the user blocked: his results not sent yet (their replies are dropped now) are noted, each job
     * once until he is told. {@code refused} is the reply Telegram refused, {@code dropped} what left his queue with
     * it: a job's result among them was not sent, nor were that job's others after it, whatever went before them.
     * Read from the dropped queue too, a job's files sent again at his asking («📤 Получить» of one he got in part)
     * queued behind another's refused file are noted: they were lost, his next press sending what he had. In the
     * settle's transaction, with the block and the drop.
     */
    void blocked(long chatId, Outgoing refused, List<Outgoing> dropped) {
        if (chatId <= 0) {
            return; // a group's: nobody comes back to be told
        }
        Instant now = clock.instant();
        Instant since = now.minus(ReplySender.DEFERRED_MAX);
        List<AuditEvent> trail = stores.audit().byCorrelation(occasion(chatId));
        Set<String> noted = notedSinceTold(trail).keySet();
        Map<String, Set<Integer>> uncertain = uncertain(trail);
        Set<String> done = new LinkedHashSet<>(noted);
        // each job's first result not sent: the refused one first, then the queue's (the refused one again among them)
        Map<JobId, String> firstNotSent = new LinkedHashMap<>();
        List<Outgoing> notSent = new ArrayList<>();
        notSent.add(refused);
        notSent.addAll(dropped);
        for (Outgoing o : notSent) {
            if (o.follow() instanceof Outgoing.Follow.JobResult r && o.reply() instanceof Reply.SendMedia m) {
                firstNotSent.putIfAbsent(r.job(), m.source());
            }
        }
        firstNotSent.forEach((jobId, source) -> {
            if (noted.contains(jobId.display())) {
                return;
            }
            stores.jobs().find(jobId).filter(j -> given(j) && j.userId() == chatId)
                    .flatMap(j -> j.result().map(res -> {
                        int from = Math.max(res.urls().indexOf(source) + 1, 1);
                        int count = res.urls().size();
                        Optional<SentAgain> again = SentAgain.of(trail, j.id().display(), count);
                        if (again.isPresent()) {
                            noteSentAgain(j, from, again.get(), now);
                        } else {
                            note(j, from, count, !stores.jobs().deliveredFileIds(j.id()).isEmpty(), uncertain, now);
                        }
                        return j;
                    })).ifPresent(j -> done.add(j.id().display()));
        });
        // in the settle that holds the chat, whatever he had that day: the trail, the dropped results' jobs, the day's
        for (Job j : stores.jobs().deliveredWithoutFileIds(chatId, since, SCANNED)) {
            if (!done.contains(j.id().display())) {
                note(j, 1, j.result().map(res -> res.urls().size()).orElse(1), false, uncertain, now);
            }
        }
    }

    /**
     * Notes the job's results {@code from} to {@code count} not sent, and those that may not have arrived; named
     * alone when it is all of them and the job has {@code kept} nothing of a delivery.
     */
    private void note(Job j, int from, int count, boolean kept, Map<String, Set<Integer>> uncertain, Instant now) {
        String id = j.id().display();
        Set<Integer> maybe = uncertain.getOrDefault(id, Set.of());
        StringBuilder detail = new StringBuilder(id);
        // the results before the refused one, nothing kept, did not reach him either (one sent keeps its file ids or
        // URL, one that may have is noted uncertain): named alone, it goes whole again, refunded should all be gone
        if (kept || !maybe.isEmpty()) {
            for (int i = 1; i <= count; i++) {
                if (maybe.contains(i)) {
                    detail.append(" ?").append(i);
                } else if (i >= from) {
                    detail.append(' ').append(i);
                }
            }
        }
        stores.audit().record(new AuditEvent(now, Actor.mask(j.userId()), DROPPED, detail.toString(),
                Optional.of(occasion(j.userId()))));
    }

    /**
     * The job's missing results were sent again ({@link #RESENT}) and Telegram refused the one numbered {@code from}:
     * noted are the results of that send from the refused one on, and those before it whose send may not have
     * arrived this time. None of its others: they had come before or came now. {@link #note} took every result from
     * the refused one on as not sent and every one ever uncertain as maybe, so a file he had got before that send, or
     * at it, went to him again at his next «📤 Получить». A result of that send whose try threw before the refusal
     * (noted uncertain since: {@link ReplySender}) may be in his chat, the refused one among them: noted as maybe, so
     * that his return says it may not have arrived, not that it surely did not. Never named alone: some of the job
     * came or may have (its last note said so), so nothing is refunded by itself.
     */
    private void noteSentAgain(Job j, int from, SentAgain again, Instant now) {
        StringBuilder detail = new StringBuilder(j.id().display());
        for (int i : again.sent()) {
            // from the refused one on, what the last note said of it stands, unless a try of it this time may have
            // arrived (it threw, then the retry found him blocked)
            if (again.maybeSince().contains(i) || (i >= from && again.before().maybe().contains(i))) {
                detail.append(" ?").append(i);
            } else if (i >= from) {
                detail.append(' ').append(i);
            }
        }
        if (detail.length() == j.id().display().length()) {
            detail.append(' ').append(from); // the refused one, whatever that send was
        }
        stores.audit().record(new AuditEvent(now, Actor.mask(j.userId()), DROPPED, detail.toString(),
                Optional.of(occasion(j.userId()))));
    }

    /**
     * A job's missing results sent again: the note they were sent by ({@code before}), their numbers in the order
     * sent, and those whose send may not have arrived since.
     */
    private record SentAgain(Missing before, List<Integer> sent, Set<Integer> maybeSince) {
        /** The job's re-send, when its last note is followed by one ({@link #RESENT}). */
        static Optional<SentAgain> of(List<AuditEvent> trail, String id, int count) {
            Optional<Missing> note = Optional.empty();
            boolean sentAgain = false;
            Set<Integer> maybeSince = new LinkedHashSet<>();
            for (AuditEvent e : trail) {
                if (e.action().equals(DROPPED) && Missing.jobOf(e.detail()).equals(id)) {
                    note = Optional.of(Missing.parse(e.detail()));
                    sentAgain = false;
                } else if (resent(e, id)) {
                    sentAgain = true;
                    maybeSince.clear();
                } else if (e.action().equals(UNCERTAIN) && Missing.jobOf(e.detail()).equals(id)) {
                    maybeSince.addAll(Missing.parse(e.detail()).notSent());
                }
            }
            if (!sentAgain) {
                return Optional.empty();
            }
            return note.map(n -> new SentAgain(n, n.toSend(count), Set.copyOf(maybeSince)));
        }
    }

    /**
     * The user came back: a message listing the results noted while he was away (oldest first, at most
     * {@link #LISTED_MAX} with a «📤 Получить» each, the rest pointed to /history), or nothing; a job that got some
     * of its files says how many did not come, one whose send may have arrived says so. Refunded ones are left out.
     * The telling is noted, so a second return lists only what was dropped after it.
     */
    List<Reply> back(long userId, long chatId, String lang) {
        Map<String, Missing> noted = notedSinceTold(stores.audit().byCorrelation(occasion(userId)));
        if (noted.isEmpty()) {
            return List.of();
        }
        List<Job> ready = ready(userId, noted);
        stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(userId), TOLD, noted.size() + " noted",
                Optional.of(occasion(userId))));
        if (ready.isEmpty()) {
            return List.of();
        }
        List<Job> listed = listed(ready);
        boolean allWhole = listed.stream().allMatch(j -> noted.get(j.id().display()).whole());
        String text;
        if (listed.size() == 1 && allWhole) {
            Job j = listed.get(0);
            text = texts.get(lang, Msg.UNSENT_ONE, j.id().display(), generations.title(j));
        } else {
            StringBuilder lines = new StringBuilder();
            for (Job j : listed) {
                lines.append(lines.length() == 0 ? "" : "\n").append("• ").append(line(j,
                        noted.get(j.id().display()), lang));
            }
            text = texts.get(lang, allWhole ? Msg.UNSENT_MANY : Msg.UNSENT_SOME, lines.toString());
        }
        if (ready.size() > listed.size()) {
            text += "\n" + texts.get(lang, Msg.UNSENT_MORE);
        }
        List<List<Button>> rows = new ArrayList<>();
        for (Job j : listed) {
            rows.add(List.of(Button.callback(texts.get(lang, Msg.BUTTON_RESEND, j.id().display()),
                    CallbackData.evergreen(CallbackAction.RESEND, j.id().display()))));
        }
        rows.add(List.of(HomeButton.belowOf(texts, lang)));
        return List.of(new Reply.SendText(chatId, text, new Keyboard(rows)));
    }

    /**
     * The jobs {@link #back} would list with a button each were the user to come back now, read only (nothing noted
     * told): his welcome back, answered before that list, leaves them to it rather than naming one twice.
     */
    Set<JobId> listed(long userId) {
        Map<String, Missing> noted = notedSinceTold(stores.audit().byCorrelation(occasion(userId)));
        return noted.isEmpty() ? Set.of() : listed(ready(userId, noted)).stream().map(Job::id)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** The noted jobs still his to ask for, in the order noted. */
    private List<Job> ready(long userId, Map<String, Missing> noted) {
        List<Job> ready = new ArrayList<>();
        for (String id : noted.keySet()) {
            // one given back is not his to ask for: noted at a block as never sent (nothing kept), it was listed
            // with a button that answered «everything was given back»
            JobId.parse(id).flatMap(stores.jobs()::find)
                    .filter(j -> given(j) && j.userId() == userId && !refunded(j))
                    .ifPresent(ready::add);
        }
        return ready;
    }

    /** The newest {@link #LISTED_MAX} of {@code ready}: the rest are pointed to /history. */
    private static List<Job> listed(List<Job> ready) {
        return ready.size() > LISTED_MAX ? ready.subList(ready.size() - LISTED_MAX, ready.size()) : ready;
    }

    /** A listed job's line: its files that did not come, or that may not have, when not all of them. */
    private String line(Job j, Missing missing, String lang) {
        String id = j.id().display();
        String title = generations.title(j);
        int count = j.result().map(r -> r.urls().size()).orElse(1);
        if (missing.whole() || missing.notSent().size() >= count) {
            return texts.get(lang, Msg.JOB_RESULT_CAPTION, id, title);
        }
        if (missing.notSent().isEmpty()) {
            return texts.get(lang, Msg.UNSENT_MAYBE, id, title);
        }
        return texts.get(lang, Msg.UNSENT_PART, id, title, missing.notSent().size(), count);
    }

    /**
     * «📤 Получить» (or /history's re-send) of a result noted dropped: it goes as the result it is
     * ({@link ResultDelivery#sendResults}), not as a copy of one he has: its file ids kept once sent, its link when
     * Telegram refuses it. A job none of whose results was sent goes whole while it keeps nothing of a delivery, and,
     * when its file is gone at the provider by now (kept a day at worst), is refunded by the transfer an admin's
     * {@code /refund} makes ({@link Generations#resultGone}: keyed by the hold, so a second press, another instance or
     * a {@code /refund} after it moves nothing more). A job that got some of its files, or may have, gets only the
     * others, once (a press after that sends what it has kept, as for any result), and is never refunded by it. One
     * given back ({@code /refund}, or its file gone) sends only what he has, by its kept file ids, and with nothing
     * kept is not sent at all, he is told why: a fetch that worked a moment after a 404 gave him the result and the
     * money. A job none of whose results was sent and whose links were blanked here before he asked (the retention of
     * personal texts, {@code /forget}) is refunded the same, its file as surely gone.
     *
     * @param job a delivered job of the user's
     * @return whether it was such a result and is on its way; false: send it again as any other
     */
    boolean resend(Job job) {
        if (!given(job) || job.result().isEmpty()) {
            return false;
        }
        // read before whether it was given back: a give-up takes the result off the queue and refunds the job in one
        // transaction, so this read sees its send still waiting or, that send ended so, the refund after it
        boolean waiting = resultWaiting(job);
        Optional<Missing> missing = latest(job);
        if (refunded(job)) {
            if (!stores.jobs().deliveredFileIds(job.id()).isEmpty()) {
                // what he has goes again by its kept file ids, nothing he never got: an admin's goodwill /refund of
                // a result sent again (its note stays the latest: a whole re-send marks nothing) refused it
                return false;
            }
            // given back for what never reached him: sent now (a 404 that passed), he would have both
            outbox.send(new Reply.SendText(job.chatId(), texts.get(job.language(), givenBack(job),
                    job.id().display(), generations.title(job)), generations.againOrHome(job)));
            return true;
        }
        if (firstSendOnItsWay(job, waiting)) {
            // a copy queued behind a first send the platform keeps deferring: that one given up a day later gives the
            // job back, and the copy, going once the chat is taken again, gave him the result and the money
            outbox.send(new Reply.SendText(job.chatId(), texts.get(job.language(), Msg.UNSENT_SENDING,
                    job.id().display(), generations.title(job)), Keyboard.NONE));
            return true;
        }
        if (missing.isEmpty()) {
            return false;
        }
        // its links blanked here before he asked (PERSONAL_DATA_DAYS of a build that blanked it, /forget): its file
        // is gone as surely as at the provider
        boolean erased = job.result().get().urls().isEmpty();
        if (missing.get().whole()) {
            if (!stores.jobs().deliveredFileIds(job.id()).isEmpty()) {
                return false;
            }
            if (erased && !waiting) {
                if (sentWholeSinceNoted(job)) {
                    // sent whole at his asking since: it came, its file id erased with the rest (what came of it
                    // otherwise was settled then: given back, or noted dropped anew). Refunded, he had both
                    return false;
                }
                // none of it reached him: refunded as a file gone would be, not answered as erased and kept paid for
                generations.resultGone(job.id(), "its links erased here", "");
                return true;
            }
            if (waiting || sendingWhole(job)) {
                // a second whole send behind the first: the first finding the file gone (or given up, deferred past
                // a day from its first deferral: later than a day from the press) gives the job back, the second
                // getting it through keeps its file id, and he has both
                outbox.send(new Reply.SendText(job.chatId(), texts.get(job.language(), Msg.UNSENT_SENDING,
                        job.id().display(), generations.title(job)), Keyboard.NONE));
                return true;
            }
            stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(job.userId()), RESENT_WHOLE,
                    job.id().display(), Optional.of(occasion(job.userId()))));
            ResultDelivery.sendResults(job, generations, outbox, texts);
            return true;
        }
        if (erased) {
            return false; // some of it reached him, or may have: answered as erased, as any such job
        }
        List<Integer> toSend = missing.get().toSend(job.result().get().urls().size());
        stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(job.userId()), RESENT, job.id().display(),
                Optional.of(occasion(job.userId()))));
        ResultDelivery.sendResults(job, toSend, generations, outbox, texts);
        return true;
    }

    /**
     * «📎 Файлом, без сжатия» of a delivered image: a result that never reached him goes as the result it is
     * ({@link #resend}), its file ids kept, not as documents sent by their URLs, which keep nothing: the job then
     * still looked never sent, and a «📤 Получить» after its file was gone refunded a result he had as a file. One
     * given back and never sent is not sent at all, nor one whose first send has not ended. False: send the originals.
     */
    boolean original(Job job) {
        if (!stores.jobs().deliveredFileIds(job.id()).isEmpty()) {
            return false;
        }
        // its first send not ended: resend says it is on its way (its end gives him the file or the money, not both);
        // the queue read first, as resend reads it
        boolean waiting = resultWaiting(job);
        return (refunded(job) || refundable(job) || firstSendOnItsWay(job, waiting)) && resend(job);
    }

    /**
     * The results whose originals «📎 Файлом» sends, when {@link #original} did not send the job as its result: those
     * that reached him, as «📤 Получить» and a history re-send send only what he has (its kept file ids). Of one given
     * back (an admin's {@code /refund} after he got some of it), sent the others now, he would have them and the money
     * paid back for them; of one he paid for, a file he never got sent as a document keeps nothing, so /find still
     * showed it never sent and a goodwill {@code /refund} at his /paysupport gave him the money too (the others go by
     * «📤 Получить», as the result they are, or are support's: {@link #originalsLeftOut}). Empty: none to send.
     */
    List<String> originals(Job job) {
        List<String> urls = job.result().map(r -> r.urls()).orElse(List.of());
        Marks marks = marks(job, urls.size());
        List<String> reached = new ArrayList<>();
        for (int i = 1; i <= urls.size(); i++) {
            if (!marks.missed().contains(i) && !marks.onItsWay().contains(i)) {
                reached.add(urls.get(i - 1));
            }
        }
        return reached;
    }

    /**
     * What «📎 Файлом» says of the files of a job he paid for that it leaves out ({@link #originals}: {@code sent} of
     * them go), when it leaves out any: those noted missing at a block come by «📤 Получить», its button under the
     * words, named when some of the others are not among them; the others (gone, not taken, or that may have arrived) are support's. With none sent he is told none of it
     * surely came, not «0 of 2». Empty: none left out, or the job given back (he is told that, or gets what he has, as
     * before).
     */
    Optional<Reply> originalsLeftOut(Job job, long chatId, String lang, int sent) {
        int count = job.result().map(r -> r.urls().size()).orElse(0);
        if (sent >= count || refunded(job)) {
            return Optional.empty();
        }
        String id = job.id().display();
        Marks marks = marks(job, count);
        if (!marks.onItsWay().isEmpty()) {
            // sent again at his asking and not known to have come: its original now, and should that send fail, he
            // had it as a document while /find showed it missed (a goodwill /refund on top)
            if (sent == 0) {
                // none of it has reached him yet, not «0 of 2 have reached you»: all of it on its way, or the rest
                // missed or maybe come, support's
                return Optional.of(new Reply.SendText(chatId, texts.get(lang, marks.missed().isEmpty()
                        ? Msg.UNSENT_SENDING : Msg.UNSENT_ORIGINALS_NONE_YET, id, generations.title(job)),
                        Keyboard.NONE));
            }
            return Optional.of(new Reply.SendText(chatId, texts.get(lang, Msg.UNSENT_ORIGINALS_ON_ITS_WAY, id,
                    generations.title(job), sent, count), Keyboard.NONE));
        }
        Optional<Missing> note = latest(job).filter(m -> !m.whole());
        if (note.isPresent()) {
            Keyboard resend = new Keyboard(List.of(List.of(Button.callback(texts.get(lang, Msg.BUTTON_RESEND, id),
                    CallbackData.evergreen(CallbackAction.RESEND, id)))));
            // «📤» sends what the note names: a file missed before the block (not taken, or gone) is not among them,
            // and «the missing ones» promised it too
            List<Integer> coming = note.get().toSend(count);
            List<Integer> notComing = marks.missed().stream().filter(i -> !coming.contains(i)).sorted().toList();
            if (!notComing.isEmpty()) {
                return Optional.of(new Reply.SendText(chatId, texts.get(lang, sent == 0
                        ? Msg.UNSENT_ORIGINALS_RESEND_NONE_BUT : Msg.UNSENT_ORIGINALS_RESEND_BUT, id,
                        generations.title(job), sent, count, fileNumbers(lang, coming), fileNumbers(lang, notComing)),
                        resend));
            }
            // none of it surely came and none on its way: not «0 of 2 have reached you», the same next step
            return Optional.of(new Reply.SendText(chatId, texts.get(lang, sent == 0
                    ? Msg.UNSENT_ORIGINALS_RESEND_NONE : Msg.UNSENT_ORIGINALS_RESEND, id, generations.title(job), sent,
                    count), resend));
        }
        return Optional.of(new Reply.SendText(chatId, texts.get(lang, sent == 0
                ? Msg.UNSENT_ORIGINALS_SUPPORT_NONE : Msg.UNSENT_ORIGINALS_SUPPORT, id, generations.title(job), sent,
                count), Keyboard.NONE));
    }

    /** A job's files by their numbers ({@code numbers} from 1, one at least), as words: «файл 3», «файлы 1, 2 и 4». */
    private String fileNumbers(String lang, List<Integer> numbers) {
        if (numbers.size() == 1) {
            return texts.get(lang, Msg.UNSENT_FILE_NUMBER, numbers.get(0));
        }
        List<String> all = numbers.stream().map(String::valueOf).toList();
        return texts.get(lang, Msg.UNSENT_FILE_NUMBERS, String.join(", ", all.subList(0, all.size() - 1)),
                all.get(all.size() - 1));
    }

    /**
     * Whether the job's first delivery has not ended: a result of it still waits in its chat's queue
     * ({@code waiting}, {@link #resultWaiting}), none of its files kept as sent (nor as its link), none sent again at
     * his asking, not all of them noted missed (dropped with his queue, uncertain, gone or not taken: what its sends
     * settle as, {@link ReplySender}). Its end decides whether he gets it or the money, as a whole re-send's does
     * ({@link Marks#sendingWhole}). By the queue, not by the time: the platform deferring it, the send is given up at
     * its first try a day after its first deferral, which came up to a {@code retry_after} after the result, and a
     * restart counts that day again; a bound of {@link ReplySender#DEFERRED_MAX} from the result let a copy queue
     * behind it meanwhile, and the give-up's refund and the copy gave him both.
     */
    private boolean firstSendOnItsWay(Job job, boolean waiting) {
        int count = job.result().map(r -> r.urls().size()).orElse(0);
        if (!waiting || count == 0 || !stores.jobs().deliveredFileIds(job.id()).isEmpty()) {
            return false;
        }
        String id = job.id().display();
        List<AuditEvent> trail = stores.audit().byCorrelation(occasion(job.userId()));
        if (trail.stream().anyMatch(e -> resent(e, id) || resentWhole(e, id))) {
            return false;
        }
        return marksOf(job, count, trail, clock.instant()).missed().size() < count;
    }

    /**
     * Whether a result of the job waits in its chat's queue
     * ({@link dev.kiebot.core.reply.PendingReplies#resultWaiting}: its first send or a send again at his asking,
     * deferred or not sent yet, the one being sent included): that send has not ended, and its end gives him the file
     * or, given up or gone, maybe the money. Asked only when he asks for the job again («📤», «📎»), never on an
     * ordinary update.
     */
    private boolean resultWaiting(Job job) {
        return stores.pendingReplies().resultWaiting(job.chatId(), job.id());
    }

    /**
     * Whether the job was sent again whole at his asking ({@link #RESENT_WHOLE}, as written now or before) after its
     * latest note: a whole re-send takes nothing off the note ({@link #latest}), so once its file ids are erased
     * ({@code /forget}) the note alone still says none of it reached him. Read from the trail, not from
     * {@link #sendingWhole}: that counts its files by its links, and erased it has none.
     */
    private boolean sentWholeSinceNoted(Job job) {
        String id = job.id().display();
        boolean since = false;
        for (AuditEvent e : stores.audit().byCorrelation(occasion(job.userId()))) {
            if (e.action().equals(DROPPED) && Missing.jobOf(e.detail()).equals(id)) {
                since = false;
            } else if (resentWhole(e, id)) {
                since = true;
            }
        }
        return since;
    }

    /**
     * Whether the job is being sent again whole at his asking ({@link #RESENT_WHOLE}) and that send has not ended: its
     * last file still on its way ({@link Marks#sendingWhole}), by the rule «📎» reads the same trail with. Within
     * {@link ReplySender#DEFERRED_MAX} of the press only: past it, its result still in the queue tells
     * ({@link #resultWaiting}).
     */
    private boolean sendingWhole(Job job) {
        int count = job.result().map(r -> r.urls().size()).orElse(0);
        return marks(job, count).sendingWhole();
    }

    private Marks marks(Job job, int count) {
        return marksOf(job, count, stores.audit().byCorrelation(occasion(job.userId())), clock.instant());
    }

    /**
     * What the user's trail tells of the job's results, by number: those that did not reach him or may not have
     * ({@code missed}: each send that missed, noted dropped at a block, uncertain, gone or not taken), and those sent
     * again at his asking whose send has not ended ({@code onItsWay}: neither noted {@link #ARRIVED} nor missed since,
     * nor dropped with his queue, nor sent longer ago than a queued reply may wait, {@link ReplySender#DEFERRED_MAX}).
     * A re-send takes its files off {@code missed} at once, onto {@code onItsWay}: what came of it counts once it is
     * known, or once it is that old. One written before arrivals were noted ({@link #RESENT_BEFORE_ARRIVALS}) puts
     * nothing on its way: no line would ever say its files came. Any doubt counts as missed. {@code sendingWhole}: the
     * last file of a whole re-send is on its way (as far as the time tells, of one written before arrivals were noted
     * too), the one rule of when a send has ended for «📎» and a second «📤».
     */
    private record Marks(Set<Integer> missed, Set<Integer> onItsWay, boolean sendingWhole) {
    }

    private static Marks marksOf(Job job, int count, List<AuditEvent> trail, Instant now) {
        String id = job.id().display();
        Set<Integer> missed = new LinkedHashSet<>();
        Map<Integer, Instant> onItsWay = new LinkedHashMap<>();
        Optional<Instant> whole = Optional.empty();
        Optional<Missing> note = Optional.empty();
        Set<Integer> unknown = new LinkedHashSet<>();
        for (AuditEvent e : trail) {
            String action = e.action();
            if (resent(e, id) || resentWhole(e, id)) {
                List<Integer> sent = resentWhole(e, id) ? new Missing(true, List.of(), List.of()).toSend(count)
                        : note.map(n -> n.toSend(count)).orElse(List.of());
                if (resentWhole(e, id)) {
                    missed.clear();
                    whole = Optional.of(e.at());
                }
                missed.removeAll(sent);
                sent.forEach(n -> onItsWay.put(n, e.at()));
                if (action.equals(RESENT) || action.equals(RESENT_WHOLE)) {
                    unknown.removeAll(sent);
                } else {
                    unknown.addAll(sent);
                }
                continue;
            }
            if (!Missing.jobOf(e.detail()).equals(id)) {
                continue;
            }
            Missing m = Missing.parse(e.detail());
            if (action.equals(DROPPED)) {
                // his queue dropped: nothing of the job is on its way any more, what did not come is in the note
                note = Optional.of(m);
                onItsWay.clear();
                missed.addAll(m.toSend(count));
            } else if (action.equals(UNCERTAIN) || action.equals(MISSED)) {
                m.notSent().forEach(onItsWay::remove);
                missed.addAll(m.notSent());
            } else if (action.equals(ARRIVED)) {
                m.notSent().forEach(onItsWay::remove);
            }
        }
        onItsWay.values().removeIf(at -> !at.plus(ReplySender.DEFERRED_MAX).isAfter(now));
        Optional<Instant> lastSent = Optional.ofNullable(onItsWay.get(count));
        boolean sendingWhole = whole.isPresent() && lastSent.equals(whole);
        onItsWay.keySet().removeAll(unknown);
        return new Marks(missed, onItsWay.keySet(), sendingWhole);
    }

    /** Whether {@code e} notes the job's missing results sent again ({@link #RESENT}, as written now or before). */
    private static boolean resent(AuditEvent e, String id) {
        return (e.action().equals(RESENT) || e.action().equals(RESENT_BEFORE_ARRIVALS)) && e.detail().equals(id);
    }

    /** Whether {@code e} notes the job sent again whole ({@link #RESENT_WHOLE}, as written now or before). */
    private static boolean resentWhole(AuditEvent e, String id) {
        return (e.action().equals(RESENT_WHOLE) || e.action().equals(RESENT_WHOLE_BEFORE_ARRIVALS))
                && e.detail().equals(id);
    }

    /**
     * A result of the job ({@code source}) reached the chat ({@code chatId}, its user's private chat): when it went
     * as a re-send at his asking that has not ended ({@link Marks#onItsWay}), what notes it {@link #ARRIVED}, to run
     * in the settle's transaction; else nothing. Read outside a transaction, before the settle: the newest line of
     * the user's trail ({@link dev.kiebot.core.audit.Audit#lastByCorrelation}, one indexed row), the whole trail only
     * when that line is recent enough for a re-send to be on its way, and the job only when a re-send of it is there.
     * It read the whole trail at every result sent, first deliveries of users who never blocked the bot too.
     */
    Optional<Runnable> arrived(long chatId, JobId jobId, String source) {
        if (chatId <= 0) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        // a re-send on its way is younger than DEFERRED_MAX (Marks), so is the trail's newest line after it
        if (stores.audit().lastByCorrelation(occasion(chatId))
                .filter(e -> e.at().plus(ReplySender.DEFERRED_MAX).isAfter(now)).isEmpty()) {
            return Optional.empty();
        }
        String id = jobId.display();
        List<AuditEvent> trail = stores.audit().byCorrelation(occasion(chatId));
        boolean sentAgain = trail.stream().anyMatch(e -> (e.action().equals(RESENT)
                || e.action().equals(RESENT_WHOLE)) && e.detail().equals(id));
        if (!sentAgain) {
            return Optional.empty();
        }
        return stores.jobs().find(jobId).filter(j -> j.userId() == chatId).flatMap(j -> {
            List<String> urls = j.result().map(r -> r.urls()).orElse(List.of());
            int number = urls.indexOf(source) + 1;
            if (number < 1 || !marksOf(j, urls.size(), trail, now).onItsWay().contains(number)) {
                return Optional.empty();
            }
            return Optional.of(() -> stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(chatId),
                    ARRIVED, id + " " + number, Optional.of(occasion(chatId)))));
        });
    }

    /**
     * A result of the job gone at the provider at its send ({@code source}, one of its URLs), at its first delivery or
     * sent again: whether the job's price goes back. The ledger gives a job back once and whole, so only when none of
     * its results reached him nor may have, and this is the last of them (the rest, sent after it, may still come).
     */
    private Gone gone(Job job, String source, List<AuditEvent> trail) {
        String id = job.id().display();
        boolean partNoted = trail.stream().anyMatch(e -> e.action().equals(DROPPED)
                && Missing.jobOf(e.detail()).equals(id)) && latest(job, trail).filter(Missing::whole).isEmpty();
        if (partNoted || uncertain(trail).containsKey(id) || !stores.jobs().deliveredFileIds(job.id()).isEmpty()) {
            return Gone.SOME_CAME;
        }
        List<String> urls = job.result().map(r -> r.urls()).orElse(List.of());
        int number = urls.indexOf(source) + 1;
        return number > 0 && number < urls.size() ? Gone.OTHERS_FOLLOW : Gone.REFUND;
    }

    /** What a result gone at the provider gives back ({@link #gone}). */
    enum Gone {
        /** None of the job reached him: its price (or free use) goes back. */
        REFUND,
        /** Some of the job reached him, or may have: nothing moves by itself, support can. */
        SOME_CAME,
        /** None yet, but results after this one are still to be sent: decided at the last of them. */
        OTHERS_FOLLOW
    }

    /**
     * Whether the job's result was given to its user: delivered, or given as a gift after its refund
     * ({@link ResultDelivery#deliverLate}, a FAILED job with a result). A gift dropped with a blocked user's queue
     * was never noted nor offered at his return, FAILED being no delivered job's state: it goes again as any result.
     */
    private static boolean given(Job job) {
        return job.state() == JobState.DELIVERED || Generations.givenAfterRefund(job);
    }

    /**
     * Whether the job was given back after its charge: a paid job's refund (an admin's {@code /refund} or a gone
     * result's, the same transfer), a free job's use released for a gone result.
     */
    private boolean refunded(Job job) {
        if (!job.free()) {
            // a refund wholly against a Stars refund's loss has no refund:<hold>, only refund:<hold>:<loss>: read by
            // the first alone, «📤» and the list at his return sent a result whose price he had back in Stars
            return stores.ledger().find(Ledger.refundId(job.holdId())).isPresent()
                    || !JobRefundParts.againstLoss(stores.ledger(), job.holdId()).isEmpty();
        }
        String freed = AuditNote.RESULT_GONE_FREE.with(job.id().display());
        String freedNotSent = AuditNote.RESULT_NOT_SENT_FREE.with(job.id().display());
        return stores.audit().byCorrelation(job.id().display()).stream()
                .anyMatch(e -> (e.action().equals("gen.result_gone") && e.detail().equals(freed))
                        || (e.action().equals(Generations.RESULT_NOT_SENT) && e.detail().equals(freedNotSent)));
    }

    /**
     * What a job given back ({@link #refunded}) says when asked for again: a free one had its free use given back,
     * no money, and «💸 … вам уже всё вернули» spoke of a refund of money he never paid.
     */
    static Msg givenBack(Job job) {
        return job.free() ? Msg.UNSENT_REFUNDED_FREE : Msg.UNSENT_REFUNDED;
    }

    /** Whether the job's result was noted dropped with its blocked user's queue, told or not. */
    private static boolean dropped(Job job, List<AuditEvent> trail) {
        String id = job.id().display();
        return trail.stream().anyMatch(e -> e.action().equals(DROPPED) && Missing.jobOf(e.detail()).equals(id));
    }

    /**
     * Whether a result of the job gone at the provider when sent again gives its price back: only when none of its
     * results reached the chat, nor may have (its last note names it alone) and it has kept none since. The ledger
     * refunds a job once and whole; a job that got some of its files is not refunded for the ones he has.
     */
    private boolean refundable(Job job) {
        return latest(job).filter(Missing::whole).isPresent() && stores.jobs().deliveredFileIds(job.id()).isEmpty();
    }

    /**
     * Whether any of the job's results did not reach the chat or may not have ({@link Marks#missed}: dropped at his
     * block, uncertain, gone or not taken, and not sent again since): a stale «✖ Отменить» then says so, not that it
     * was sent.
     */
    boolean mayNotHaveReached(Job job) {
        return !marks(job, job.result().map(r -> r.urls().size()).orElse(0)).missed().isEmpty();
    }

    /** The job's last note, unless its missing results were sent again after it. */
    private Optional<Missing> latest(Job job) {
        return latest(job, stores.audit().byCorrelation(occasion(job.userId())));
    }

    /** {@link #latest(Job)} from the user's trail already read. */
    private static Optional<Missing> latest(Job job, List<AuditEvent> trail) {
        String id = job.id().display();
        Optional<Missing> last = Optional.empty();
        for (AuditEvent e : trail) {
            if (e.action().equals(DROPPED) && Missing.jobOf(e.detail()).equals(id)) {
                last = Optional.of(Missing.parse(e.detail()));
            } else if (resent(e, id)) {
                last = Optional.empty();
            }
        }
        return last;
    }

    /** The results noted since the user was last told, by job id, oldest first. */
    private static Map<String, Missing> notedSinceTold(List<AuditEvent> trail) {
        Map<String, Missing> noted = new LinkedHashMap<>();
        for (AuditEvent e : trail) {
            if (e.action().equals(TOLD)) {
                noted.clear();
            } else if (e.action().equals(DROPPED)) {
                noted.putIfAbsent(Missing.jobOf(e.detail()), Missing.parse(e.detail()));
            }
        }
        return noted;
    }

    /** The results whose send may have arrived, by job id (numbers from 1). */
    private static Map<String, Set<Integer>> uncertain(List<AuditEvent> trail) {
        Map<String, Set<Integer>> maybe = new LinkedHashMap<>();
        for (AuditEvent e : trail) {
            if (e.action().equals(UNCERTAIN)) {
                Missing m = Missing.parse(e.detail());
                maybe.computeIfAbsent(Missing.jobOf(e.detail()), k -> new LinkedHashSet<>()).addAll(m.notSent());
            }
        }
        return maybe;
    }
}
