package dev.kiebot.core.shop;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.reply.Activity;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A finished task's results on their way to the chat: the job charged once and marked DELIVERED, its files queued in
 * the outbox, its status message saying so. Apart from {@link JobWorker} because three paths end here (a status read
 * in the job's turn, a callback's, the last look at the deadline) and a job that two of them hold at once must reach
 * its user once: the one rule for that is in {@link #deliver(Job)}.
 */
final class ResultDelivery {
    private static final System.Logger LOG = System.getLogger(JobWorker.class.getName());
    /**
     * The most results of one task delivered: above any batch a model makes (the catalog's largest, Grok Imagine's, is
     * six images; a partner's may make more than ten, each file a message of its own, which fa8c8f39 let through
     * whole), and far below what an odd answer can hold: 500 URLs for an image of one made 500 messages in the user's
     * chat and kept the outbox busy with them. The rest are dropped with a WARN naming the count.
     */
    static final int RESULTS_MAX = 20;
    private final Stores stores;
    private final Generations generations;
    private final Outbox outbox;
    private final Texts texts;

    ResultDelivery(Stores stores, Generations generations, Outbox outbox, Texts texts) {
        this.stores = stores;
        this.generations = generations;
        this.outbox = outbox;
        this.texts = texts;
    }

    /**
     * Marks the job DELIVERED and hands its results to the outbox (which keeps their file ids and falls back to a
     * link only when a result surely did not arrive), then says so in its status — all in one transaction, the mark
     * first. Two paths may hold the same SUCCEEDED job (the callback's thread that completed it, and the worker
     * that leased it meanwhile): only the one whose mark succeeds queues anything, so the user gets the results
     * once; a crash before the commit leaves the job SUCCEEDED with nothing queued, and the next pass delivers it.
     */
    void deliver(Job job) {
        deliver(job, 0, Optional.empty());
    }

    /**
     * {@link #deliver(Job)}, and when the task made fewer results than it was to ({@code missing} above 0), a line
     * after them saying the rest did not come out, queued with them. Only the delivery that follows the completion
     * knows the number; a crash between the two delivers the results at the next pass without that line.
     */
    private void deliver(Job job, int missing, Optional<LesserResult> lesser) {
        stores.transactions().inOne(() -> {
            stores.jobs().transition(job.id(), j -> j.state() == JobState.SUCCEEDED, Job::delivered)
                    .ifPresent(delivered -> {
                        handOver(delivered);
                        if (missing > 0) {
                            outbox.send(new Reply.SendText(delivered.chatId(), texts.get(delivered.language(),
                                    Msg.JOB_RESULT_SHORT, delivered.id().display(), generations.title(delivered)),
                                    Keyboard.NONE));
                        }
                        lesser.ifPresent(l -> outbox.send(new Reply.SendText(delivered.chatId(),
                                generations.lesserNote(delivered, l), Keyboard.NONE)));
                    });
            return null;
        });
    }

    /** Completes the job with the task's results (the hold posted once) and delivers them. */
    void complete(Job job, TaskStatus.Succeeded s) {
        complete(job, s, Map.of());
    }

    /**
     * {@link #complete(Job, TaskStatus.Succeeded)} of results made with {@code madeWith} instead of the job's own
     * choices (the deadline's last look at a {@link TaskStatus.PartlyDone}): charged that choice's price, the rest of
     * the hold given back, and the user told after the results ({@link LesserResult}).
     */
    void complete(Job job, TaskStatus.Succeeded s, Map<String, String> madeWith) {
        JobResult result = s.result();
        if (result.urls().size() > RESULTS_MAX) {
            LOG.log(System.Logger.Level.WARNING, "{0}: Kie task {1} gave {2} results, more than the {3} any model "
                    + "makes; the first {3} are delivered", job.id().display(), job.taskId().orElse("?"),
                    result.urls().size(), RESULTS_MAX);
            result = new JobResult(result.urls().subList(0, RESULTS_MAX), result.kind());
        }
        Optional<LesserResult> lesser = generations.lesser(job, madeWith);
        long chargeMax = lesser.map(LesserResult::charge).orElse(Long.MAX_VALUE);
        generations.complete(job.id(), result, s.chargedUsd(), chargeMax)
                .ifPresent(done -> deliver(done, s.missing(), lesser));
    }

    /**
     * A result Kie made after its job was failed and refunded ({@link TaskPolls#doneAfterRefund}): Kie charged the
     * shop for it, and the user, his money back, gets it as a gift, told so first; no money moves (a free job's use
     * stays given back). Kept on the FAILED job, which marks it given, all in one transaction: a callback again, or
     * one to another instance at the same time, finds it kept and sends nothing. Its files go as any result's (the
     * outbox, the file downloaded), {@code gen.delivered_late} in the trail; a file gone at Kie by then gives nothing
     * back ({@link Generations#deliveredUnpaid}: delivered without its price).
     */
    void deliverLate(Job job, JobResult made) {
        JobResult result = made.urls().size() > RESULTS_MAX
                ? new JobResult(made.urls().subList(0, RESULTS_MAX), made.kind()) : made;
        stores.transactions().inOne(() -> {
            stores.jobs().transition(job.id(), j -> j.state() == JobState.FAILED && j.result().isEmpty(),
                    j -> withResult(j, result)).ifPresent(given -> {
                        outbox.send(new Reply.SendText(given.chatId(), texts.get(given.language(),
                                given.free() ? Msg.JOB_RESULT_LATE_GIFT_FREE : Msg.JOB_RESULT_LATE_GIFT,
                                given.id().display(), generations.title(given)),
                                Keyboard.NONE));
                        sendResults(given, generations, outbox, texts);
                        generations.audit(given, DELIVERED_LATE, "");
                    });
            return null;
        });
    }

    /** The audit action of a result given after its job's refund ({@link #deliverLate}). */
    static final String DELIVERED_LATE = "gen.delivered_late";

    /** The FAILED job, as it is, with the result its task made after the failure. */
    private static Job withResult(Job j, JobResult result) {
        return new Job(j.id(), j.userId(), j.chatId(), j.language(), j.modelId(), j.skuId(), j.values(), j.files(),
                j.price(), j.free(), j.state(), j.taskId(), Optional.of(result), j.failure(), j.failureKind(),
                j.statusMessageId(),
                j.createdAt(), j.deadline(), j.nextCheckAt(), j.succeededAt(), j.submittedAt(), j.polls(),
                j.resultMissingReads(), j.version());
    }

    private void handOver(Job job) {
        JobResult result = job.result().orElseThrow();
        sendResults(job, generations, outbox, texts);
        generations.audit(job, "gen.delivered", AuditNote.GEN_DELIVERED.with(result.urls().size()));
        generations.status(job, generations.doneStatus(job), Keyboard.NONE);
    }

    /**
     * The job's results queued as results: each file's ids kept once sent, its link sent when it surely did not
     * arrive, the job refunded when its file is gone at the provider ({@link ReplySender}). Also for a result sent
     * again that never reached its chat ({@link UnsentResults#resend}).
     */
    static void sendResults(Job job, Generations generations, Outbox outbox, Texts texts) {
        sendResults(job, java.util.stream.IntStream.rangeClosed(1, job.result().orElseThrow().urls().size()).boxed()
                .toList(), generations, outbox, texts);
    }

    /**
     * {@link #sendResults(Job, Generations, Outbox, Texts)} of some of the job's results, in order: those at
     * {@code positions} (from 1) of its URLs, each captioned with its own position («вариант 2 из 2»), which two equal
     * URLs of one result do not tell apart.
     */
    static void sendResults(Job job, List<Integer> positions, Generations generations, Outbox outbox, Texts texts) {
        JobResult result = job.result().orElseThrow();
        String lang = job.language();
        String title = generations.title(job);
        Keyboard again = generations.underResult(job);
        outbox.send(new Reply.ChatAction(job.chatId(), Activity.uploading(result.kind())));
        // every file, each a message of its own (no album, so no cap of ten), in the provider's order
        for (int position : positions) {
            String url = result.urls().get(position - 1);
            outbox.result(job, new Reply.SendMedia(job.chatId(), result.kind(), url, generations.caption(job,
                    position, result.urls().size()), again, generations.tooLarge(lang)),
                    new Reply.SendText(job.chatId(), texts.get(lang, Msg.JOB_RESULT_LINK, job.id().display(), title,
                            url), again));
        }
    }
}
