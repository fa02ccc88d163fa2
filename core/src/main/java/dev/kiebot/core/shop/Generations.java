package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.FreeTier;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.conversation.JobTitle;
import dev.kiebot.core.conversation.ProgressLine;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobDraft;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Snippet;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The money side of a generation's life: start (hold or free use), success (post), failure (void, user
 * told the money came back). What decides whether a job may start is the ledger hold for money and
 * {@code FreeUsage.tryUse} for a free use — never an earlier reading of the balance. The ledger also decides
 * races: whichever of post and void wins there decides the job's outcome, so a job is paid for or refunded
 * exactly once.
 *
 * <p>Not a partner's to call, so not public: the storefront starts jobs (from a quote the user agreed to) and the job
 * worker ends them (from what the provider's status read says). A provider's callback goes to
 * {@link JobWorker#checkTask}, which reads the task's status again: {@link #complete} or {@link #fail} called on a
 * callback's word would charge or refund on a request anybody can forge. Tests outside this package reach a job's
 * every state the way the shop does: a user's order and Cancel through the storefront, an admin's {@code /refund},
 * the provider's status read by the worker.
 */
final class Generations {
    private static final System.Logger LOG = System.getLogger(Generations.class.getName());

    /** How much of the user's description a result's caption repeats (a caption holds 1,024). */
    static final int CAPTION_PROMPT_CHARS_MAX = 200;

    /**
     * The audit action of a result that surely did not reach the chat, or may not have ({@link #resultNotSent}): the
     * job given back for it, or why not. Apart from {@code gen.result_gone}, which says the provider no longer had
     * the file (claimable from it by the task id); here the provider served it and Telegram did not take it.
     */
    static final String RESULT_NOT_SENT = "gen.result_not_sent";

    /**
     * The audit action of a result charged less than the job's price ({@link LesserResult}: made with a cheaper choice
     * than the one paid for); its detail is the amount posted, minor units.
     */
    static final String CHARGED_LESS = "gen.charged_less";

    /** The least time between two alerts of results gone at the provider. */
    static final java.time.Duration GONE_TOLD_EVERY = java.time.Duration.ofHours(1);

    private final Stores stores;
    private final Catalog catalog;
    private final Pricing pricing;
    private final FreeTier freeTier;
    private final Texts texts;
    private final ShopSettings settings;
    private final Clock clock;
    private final Outbox outbox;
    private final ProviderOutage outage;
    /** The day the admins were last told the shop's free generations were all given out (by this process). */
    private final AtomicReference<LocalDate> totalToldOn = new AtomicReference<>();

    private final ProviderCharges charges;
    private final ModelFailures failures;
    private final ProviderDown down;
    private final WithdrawnModels withdrawn;
    /** When the admins were last told of a result gone at the provider (by this process): once an hour at most. */
    private static final Duration MICROSECOND = Duration.ofNanos(1_000);
    private final AtomicReference<Instant> goneToldAt = new AtomicReference<>();
    private final UnsentResults unsent;
    private final HeldStarsRefunds heldRefunds;
    /** Told of each job with a task that ended ({@link GenerationProvider#taskEnded}): what it keeps of it goes. */
    private final GenerationProvider provider;
    /** What each running job's status message last showed: forgotten here, where every job with a task ends. */
    private final Progress progress;

    Generations(Stores stores, Catalog catalog, Pricing pricing, FreeTier freeTier, Texts texts,
                       ShopSettings settings, Clock clock, Outbox outbox, GenerationProvider provider) {
        this.stores = stores;
        this.provider = provider;
        this.catalog = catalog;
        this.charges = new ProviderCharges(stores, catalog, settings, texts, clock, outbox);
        this.down = new ProviderDown(stores, catalog, settings, texts, outbox, clock);
        this.failures = new ModelFailures(stores, catalog, settings, texts, outbox, clock, down);
        this.withdrawn = new WithdrawnModels(stores, catalog, settings, texts, outbox, clock);
        this.pricing = pricing;
        this.freeTier = freeTier;
        this.texts = texts;
        this.settings = settings;
        this.clock = clock;
        this.outbox = outbox;
        this.outage = new ProviderOutage(clock);
        this.unsent = new UnsentResults(stores, texts, clock, this, outbox);
        this.heldRefunds = new HeldStarsRefunds(stores, clock);
        this.progress = new Progress(catalog, stores.jobs(), texts, clock);
    }

    /** The status messages' progress of the running jobs, which the job worker shows ({@link TaskPolls}). */
    Progress progress() {
        return progress;
    }

    /** Results their user never got because he had blocked the bot: noted at the block, told at his return. */
    UnsentResults unsent() {
        return unsent;
    }

    /**
     * The provider refused an order with {@code kind}: a refusal of the shop's own account pauses new orders
     * ({@link ProviderOutage}), and the admins hear of it once a spell, as it starts: a revoked key is told by nothing
     * else. The pauses after it, one every {@link ProviderOutage#PAUSE} while the credits stay at zero, tell nothing
     * more until an order goes through ({@link #providerAccepted}). Once for every instance: a spell another instance
     * told of since the last all-clear (and within {@link #REFUSAL_TOLD_AGAIN}) is not told again.
     */
    void providerRefused(ErrorKind kind) {
        if (!outage.refused(kind)) {
            return;
        }
        Msg words = switch (kind) {
            case AUTH -> Msg.ADMIN_ALERT_PROVIDER_KEY;
            case KEY_LIMIT -> Msg.ADMIN_ALERT_PROVIDER_KEY_LIMIT;
            default -> Msg.ADMIN_ALERT_PROVIDER_CREDITS;
        };
        Instant now = clock.instant();
        String occasion = refusalOccasion(kind);
        // told since the last all-clear (by any instance): the same spell; a telling never closed (its instance gone
        // before an order went through) keeps it told for REFUSAL_TOLD_AGAIN at most
        Instant floor = now.minus(REFUSAL_TOLD_AGAIN);
        Instant since = stores.audit().lastByCorrelation(occasion)
                .filter(e -> e.action().equals(AdminAlerts.PROVIDER_BACK))
                .map(e -> e.at().plus(MICROSECOND)).filter(floor::isBefore).orElse(floor);
        AuditEvent telling = new AuditEvent(now, "system", AdminAlerts.PROVIDER_REFUSED, kind.name(),
                Optional.of(occasion));
        AdminAlerts.sendFirst(stores, settings, outbox, telling, since,
                lang -> texts.get(lang, words, ProviderOutage.PAUSE.toMinutes()));
    }

    /** A spell of refusals of the shop's account told this long ago is told again (its all-clear never came). */
    static final Duration REFUSAL_TOLD_AGAIN = Duration.ofHours(6);

    private static String refusalOccasion(ErrorKind kind) {
        return "alert:provider-refused:" + kind.name();
    }

    /**
     * The provider took an order: a pause it had caused is over, and a spell of refusals the admins were told of ends
     * with an all-clear, once for every instance (the first to see an order go through tells it).
     */
    void providerAccepted() {
        down.answered();
        outage.accepted().ifPresent(spell -> stores.transactions().inOne(() -> {
            String occasion = refusalOccasion(spell.kind());
            stores.audit().lastByCorrelation(occasion).filter(e -> e.action().equals(AdminAlerts.PROVIDER_REFUSED))
                    .ifPresent(told -> AdminAlerts.sendFirst(stores, settings, outbox, new AuditEvent(clock.instant(),
                                    "system", AdminAlerts.PROVIDER_BACK, spell.kind().name() + ", " + spell.refusals()
                                    + " orders refused", Optional.of(occasion)), told.at().plus(MICROSECOND),
                            lang -> texts.get(lang, Msg.ADMIN_ALERT_PROVIDER_BACK, spell.refusals())));
            return null;
        }));
    }

    /**
     * A call of the provider's for {@code job} failed with {@code kind} (a createTask, a status read), out of any
     * transaction: a spell of them across models and users is the provider down, told once ({@link ProviderDown}).
     */
    void providerFailed(Job job, ErrorKind kind) {
        down.failed(job, kind);
    }

    /** The provider answered a status read: a spell of failed calls is over ({@link ProviderDown}). */
    void providerAnswered() {
        down.answered();
    }

    /** Whether the admins were told the provider fails every model's calls, and it has not answered since. */
    boolean providerDown() {
        return down.told();
    }

    /**
     * The refusal of the shop's account going on, if there is one (the provider refused it and no order went through
     * since): new orders are paused, or the next one tries again. Its kind.
     */
    Optional<ErrorKind> providerRefusing() {
        return outage.spell().map(ProviderOutage.Spell::kind);
    }

    /** What came of a start request. */
    sealed interface Start {
        record Started(Job job) implements Start {
        }

        record Insufficient(long price, long balance) implements Start {
        }

        record FreeLimitReached() implements Start {
        }

        record UnknownModel() implements Start {
        }

        /** The provider refused the shop's own account a moment ago: nothing was made, nothing held. */
        record Paused() implements Start {
        }

        /** An admin took the model off sale ({@code /pause}): nothing was made, nothing held. */
        record ModelPaused() implements Start {
        }
    }

    private LocalDate day(Job job) {
        return job.createdAt().atZone(settings.zone()).toLocalDate();
    }

    /**
     * Secures payment (the hold, or a free use) and queues the job. A job whose payment is refused is
     * recorded as failed with the reason, and nothing is held.
     *
     * <p>The request's terms are taken as they are: its SKU, its price and whether it is free are not checked
     * against the catalog, the pricing or the free tier here, and its values are what the provider is asked for.
     * The conversation makes them with {@link Effect.StartJob#quoted} from a {@code Quote} of this update, which
     * the user agreed to on the confirm screen. A caller outside the conversation must do the same (quote with
     * this shop's pricing and free tier); a request made up by hand holds what it says, or nothing when it says
     * free. Run it inside {@code Transactions.inOne}: the job, the hold and the job's move to HELD commit together.
     */
    Start start(User user, long chatId, Effect.StartJob e) {
        Optional<Model> model = catalog.model(e.modelId());
        if (model.isEmpty()) {
            return new Start.UnknownModel();
        }
        if (!outage.takesOrders()) {
            return new Start.Paused();
        }
        if (stores.pausedModels().paused(e.modelId())) {
            return new Start.ModelPaused();
        }
        Instant now = clock.instant();
        Instant deadline = now.plus(settings.deadline(model.get().category()));
        Job job = stores.jobs().create(new JobDraft(user.id(), chatId, user.language(), e.modelId(), e.skuId(),
                e.values(), e.files(), e.price(), e.free(), now, deadline));
        // the price as money, not minor units: «price 546» passed for roubles where the trail is read as recorded (the
        // audit table); /find says these facts from the job, in the admin's language
        audit(job, "gen.created", (e.free() ? "free" : "price " + pricing.inRecords(e.price())) + " model "
                + e.modelId() + " sku " + e.skuId());
        Optional<Start> refused = e.free() ? useFree(user, job) : hold(user, job, deadline);
        if (refused.isPresent()) {
            return refused.get();
        }
        Job held = stores.jobs().update(job.held()).orElseThrow();
        // once HELD: outside a transaction the worker is woken at once, and a job it found CREATED it would pass by
        outbox.signals().jobCreated(stores.transactions());
        return new Start.Started(held);
    }

    /** The authority on "free use left today". @return the refusal, if there is none left */
    private Optional<Start> useFree(User user, Job job) {
        if (stores.freeUsage().tryUse(user.id(), day(job), freeTier.dailyLimit(), freeTier.dailyTotalMax(),
                job.holdId())) {
            tellWhenTheDaysTotalIsGivenOut(day(job));
            return Optional.empty();
        }
        stores.jobs().update(job.failed("free.limit_reached"));
        return Optional.of(new Start.FreeLimitReached());
    }

    /**
     * The admins hear once a day (by every instance together: the telling is in the audit trail) that this use was
     * the last of the shop's day's total (FREE_DAILY_TOTAL): from now on users see prices. The day is marked told once the
     * alert's transaction commits: marked before, a rolled-back (or retried) one would leave nobody told. Two at once
     * cannot both take the last use (the store holds the total under concurrency); a use given back and taken again
     * comes after the commit that marked the day.
     */
    private void tellWhenTheDaysTotalIsGivenOut(LocalDate day) {
        if (freeTier.dailyTotalMax().isEmpty() || day.equals(totalToldOn.get())) {
            return;
        }
        int max = freeTier.dailyTotalMax().getAsInt();
        if (stores.freeUsage().usedByAll(day) >= max) {
            // the day's telling in the audit trail: another instance (or this one before a restart) told it already
            AuditEvent telling = new AuditEvent(clock.instant(), "system", AdminAlerts.FREE_TOTAL, "total " + max,
                    Optional.of("alert:free-total:" + day));
            AdminAlerts.sendFirst(stores, settings, outbox, telling, day.atStartOfDay(settings.zone()).toInstant(),
                    lang -> texts.get(lang, Msg.ADMIN_ALERT_FREE_TOTAL, max));
            stores.transactions().afterCommit(() -> totalToldOn.set(day));
        }
    }

    /** The authority on "can afford": the ledger refuses a hold that would overdraw. */
    private Optional<Start> hold(User user, Job job, Instant deadline) {
        AccountId wallet = AccountId.wallet(user.id());
        LedgerResult r = stores.ledger().hold(job.holdId(), wallet, AccountId.REVENUE, job.price(),
                TransferKind.GENERATION, deadline.plus(ShopSettings.HOLD_MARGIN));
        if (r.succeeded()) {
            return Optional.empty();
        }
        stores.jobs().update(job.failed("insufficient.funds"));
        audit(job, "gen.hold_rejected", r.toString());
        return Optional.of(new Start.Insufficient(job.price(), stores.ledger().balance(wallet).available()));
    }

    private static boolean awaitingResult(Job j) {
        return j.state().awaitsResult();
    }

    /**
     * Records success: posts the hold (full price) and moves the job to SUCCEEDED, in one transaction. Apart, a
     * post that committed without its SUCCEEDED (the database lost between them) left a paid job open: a pass
     * before the deadline posted again (the same id, a no-op) and went on, but one after it tried to fail the job,
     * the ledger refused to void a posted hold, and the job stayed open for ever with the money taken.
     *
     * @param chargedUsd what the provider says the task cost, checked against the catalog ({@link ProviderCharges})
     * @return the job if this call made the transition; empty if another path got there first
     */
    Optional<Job> complete(JobId id, JobResult result, Optional<BigDecimal> chargedUsd) {
        return complete(id, result, chargedUsd, Long.MAX_VALUE);
    }

    /**
     * {@link #complete(JobId, JobResult, Optional)} charging at most {@code chargeMax}: the hold posted for the lesser
     * of it and the job's price, the rest of the hold given back with the post (a result made with a lesser choice
     * than the one paid for, {@link LesserResult}).
     *
     * @param chargeMax the most the user is charged, minor units
     */
    Optional<Job> complete(JobId id, JobResult result, Optional<BigDecimal> chargedUsd, long chargeMax) {
        Optional<Job> done = stores.transactions().inOne(() -> completeNow(id, result, chargedUsd, chargeMax));
        done.ifPresent(this::taskEnded);
        progress.forget(id); // also when another path ended it first: no progress is shown of a job once done
        return done;
    }

    /** {@link #complete(JobId, JobResult, Optional)} of a result whose cost the provider does not say. */
    Optional<Job> complete(JobId id, JobResult result) {
        return complete(id, result, Optional.empty());
    }

    private Optional<Job> completeNow(JobId id, JobResult result, Optional<BigDecimal> chargedUsd, long chargeMax) {
        Optional<Job> current = stores.jobs().find(id).filter(Generations::awaitingResult);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        Job job = current.get();
        long charge = Math.min(job.price(), Math.max(0, chargeMax));
        boolean expired = false;
        if (!job.free()) {
            LedgerResult r = stores.ledger().post(Ledger.postId(job.holdId()), job.holdId(), charge);
            // a Stars refund reported while it ran: the rest given back goes to the Stars, what was kept is lost
            heldRefunds.settle(job.holdId());
            if (!r.succeeded()) {
                audit(job, "gen.post_rejected", r.toString());
                expired = expired(r);
                if (!expired) {
                    // voided first: the job's failure won the race and told him of his refund (a job still open
                    // here is failed and told now)
                    fail(id, "error.provider_timeout", JobNote.RESULT_AFTER_REFUND.with());
                    return Optional.empty();
                }
            }
        }
        Optional<Job> done = stores.jobs().transition(id, Generations::awaitingResult, j -> j.succeeded(result, clock.instant()));
        if (expired) {
            // charged again only with the job's success: the sweeper failing it meanwhile told him of the refund
            done.ifPresent(j -> chargeAgain(j, charge));
        }
        done.ifPresent(j -> {
            audit(j, "gen.succeeded", AuditNote.GEN_SUCCEEDED.with(result.urls().size()));
            if (!j.free() && charge < j.price()) {
                audit(j, CHARGED_LESS, Long.toString(charge));
            }
            charges.check(j, chargedUsd).ifPresent(note -> audit(j, "gen.overcharged", note));
            failures.succeeded(j);
        });
        return done;
    }

    private static boolean expired(LedgerResult r) {
        return r instanceof LedgerResult.Rejected rej && rej.reason() == LedgerResult.Reason.ALREADY_EXPIRED;
    }

    /**
     * The id of the hold that charges a job again whose first hold expired before its result came
     * ({@link #chargeAgain}): one per job, so a second completion of it holds and posts nothing more. Its {@code ~2}
     * is a second try's ({@link Ledger#tryId}), which {@code /find} and the user's {@code /payments} read as the job's.
     */
    static String chargedAgainId(String holdId) {
        return Ledger.tryId(holdId, 2);
    }

    /**
     * The job's hold expired while its task was at Kie (the bot down past the deadline and its margin, and the sweeper
     * stopped between the expiry and the job's failure, or racing this result), and the result came while the job
     * still awaits it: its user was never told of a refund and waits for what he ordered, which Kie has made and
     * charged the shop for. He gets it, and its price is held and posted again under {@link #chargedAgainId}, in this
     * transaction. When his balance no longer covers it (he spent the money the expiry gave back), it is delivered
     * unpaid and the trail says so ({@code gen.delivered_unpaid}, in /find): withheld, the file paid for at Kie was
     * lost, and the user with it. Failing the job here, as before, told him of a refund he had not been waiting for and
     * threw the result away.
     */
    private void chargeAgain(Job job, long charge) {
        String again = chargedAgainId(job.holdId());
        LedgerResult held = stores.ledger().hold(again, AccountId.wallet(job.userId()), AccountId.REVENUE, charge,
                TransferKind.GENERATION, clock.instant().plus(ShopSettings.HOLD_MARGIN));
        LedgerResult posted = held.succeeded() ? stores.ledger().post(Ledger.postId(again), again, charge) : held;
        // the first hold's expiry settled what it owed of a Stars refund; this one, made and posted here, owes nothing
        // (no report can see it in between), and settling it is one read
        heldRefunds.settle(again);
        if (posted.succeeded()) {
            audit(job, "gen.charged_again", "");
            return;
        }
        audit(job, "gen.delivered_unpaid", posted.toString());
        LOG.log(System.Logger.Level.WARNING, "{0}: delivered unpaid: its hold expired before the result came and "
                + "user {1} no longer had {2}", job.id().display(), Actor.mask(job.userId()),
                pricing.inRecords(job.price()));
    }

    /** The job's result made with {@code madeWith} instead of its own choices: its price and words, when lesser. */
    Optional<LesserResult> lesser(Job job, java.util.Map<String, String> madeWith) {
        return LesserResult.of(job, madeWith, catalog, pricing);
    }

    /** The user's words after a result made with a lesser choice: what was asked, what came, what went back. */
    String lesserNote(Job job, LesserResult lesser) {
        String lang = job.language();
        return lesser.returned() > 0
                ? texts.get(lang, Msg.JOB_RESULT_LESSER, job.id().display(), title(job), lesser.asked(),
                        lesser.made(), pricing.format(lesser.returned(), lang))
                : texts.get(lang, Msg.JOB_RESULT_LESSER_SAME, job.id().display(), title(job), lesser.asked(),
                        lesser.made());
    }

    /** Whether the job was delivered without its price: its hold expired and the charge again was refused. */
    boolean deliveredUnpaid(Job job) {
        return deliveredUnpaid(stores.ledger(), job);
    }

    /**
     * The same, read from {@code ledger}: {@code /find} says so of the job's lines that reads as if it was charged. A
     * result given after its job's refund ({@link ResultDelivery#deliverLate}: a FAILED job with a result) is one too,
     * free or not: a file of it gone gives nothing back, the refund was made.
     */
    static boolean deliveredUnpaid(Ledger ledger, Job job) {
        return givenAfterRefund(job) || (!job.free()
                && ledger.holdState(job.holdId()).filter(s -> s == HoldState.EXPIRED).isPresent()
                && ledger.holdState(chargedAgainId(job.holdId())).filter(s -> s == HoldState.POSTED).isEmpty());
    }

    /** A result given as a gift after its job was failed and refunded ({@link ResultDelivery#deliverLate}). */
    static boolean givenAfterRefund(Job job) {
        return job.state() == JobState.FAILED && job.result().isPresent();
    }

    private static boolean stillOpen(Job j) {
        return !j.state().isTerminal() && j.state() != JobState.SUCCEEDED;
    }

    /**
     * Fails the job and returns the user's money (void the hold, or give the free use back), then
     * tells the user. Does nothing if the job already succeeded, was delivered or failed. One transaction: a job
     * whose notice cannot be queued (the database lost at that moment) stays open for the next pass, which fails it
     * and tells the user, instead of ending FAILED with nobody told.
     *
     * @param reasonKey message key shown to the user
     * @param detail    for the audit trail
     * @return the failed job if this call failed it
     */
    Optional<Job> fail(JobId id, String reasonKey, String detail) {
        return fail(id, FailureReason.shops(reasonKey), detail);
    }

    /**
     * {@link #fail(JobId, String, String)}, keeping with the job the provider's kind of the error it failed with, as
     * its adapter decided it ({@link Job#failureKind()}), when the reason has one.
     */
    Optional<Job> fail(JobId id, FailureReason reason, String detail) {
        Optional<Job> failed = stores.transactions().inOne(() -> failNow(id, reason, detail));
        failed.ifPresent(this::taskEnded);
        progress.forget(id); // also when another path ended it first (a result, another worker, an admin's stop)
        return failed;
    }

    /**
     * The job ended with a task at the provider: the provider lets go of what it keeps of the task (Kie's adapter, the
     * 1080p asks of a Veo task done in 720p), whichever way the job ended. A failure here is the provider's memory, not
     * the job's end, which is written: logged, not thrown.
     */
    private void taskEnded(Job ended) {
        ended.taskId().ifPresent(taskId -> {
            try {
                provider.taskEnded(taskId);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, ended.id().display() + ": the provider's taskEnded(" + taskId
                        + ") threw; the job's end stands", e);
            }
        });
    }

    private Optional<Job> failNow(JobId id, FailureReason reason, String detail) {
        String reasonKey = reason.key();
        Optional<Job> current = stores.jobs().find(id).filter(Generations::stillOpen);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        // a paid job's money comes back first: the ledger decides its race with the result's post (void or post,
        // never both). A free job has no ledger to decide it: the compare-and-set on its state does, so its use comes
        // back only with the failure that won. Given back first, a result completing the job meanwhile left it
        // delivered with its free use returned
        boolean free = current.get().free();
        if (!free && !release(current.get())) {
            return Optional.empty();
        }
        Optional<Job> failed = stores.jobs().transition(id, Generations::stillOpen,
                j -> j.failed(reasonKey, reason.kind()));
        if (free) {
            failed.ifPresent(this::release);
        }
        failed.ifPresent(j -> told(j, reasonKey, detail));
        return failed;
    }

    private void told(Job failed, String reasonKey, String detail) {
        audit(failed, "gen.failed", reasonKey + " " + detail);
        LOG.log(System.Logger.Level.INFO, "{0} failed ({1}{3}); user {2} refunded", failed.id().display(), reasonKey,
                Actor.mask(failed.userId()), providerSaid(reasonKey, detail));
        tellFailed(failed, reasonKey);
        failures.failed(failed, reasonKey);
        if (reasonKey.equals(WithdrawnModels.REASON)) {
            withdrawn.failed(failed, detail);
        }
    }

    /** The most of the provider's words a failure's line keeps. */
    static final int PROVIDER_SAID_MAX = 200;

    /**
     * What the provider said of a failure of its own, for the failure's line: a model Kie removed refuses every order
     * as invalid input, and the line said only {@code error.provider_invalid_input}, with Kie's reason in the audit
     * trail alone (drill R2). On one line, cut to {@link #PROVIDER_SAID_MAX}; Kie's words name no key of ours.
     */
    private static String providerSaid(String reasonKey, String detail) {
        // the provider's reasons alone: a file's failure may name a link with the bot's token in it
        if (detail.isBlank() || (!reasonKey.equals(WithdrawnModels.REASON) && java.util.Arrays.stream(ErrorKind.values())
                .noneMatch(kind -> kind.messageKey().equals(reasonKey)))) {
            return "";
        }
        String line = dev.kiebot.core.text.OneLine.of(detail).strip();
        return ": " + (line.length() > PROVIDER_SAID_MAX ? line.substring(0, PROVIDER_SAID_MAX) + "…" : line);
    }

    /** Gives the money or the free use back. @return false when the ledger says the hold was posted first */
    private boolean release(Job job) {
        if (job.free()) {
            stores.freeUsage().release(job.userId(), day(job), job.holdId());
        } else if (job.state().moneyHeld()) {
            LedgerResult r = stores.ledger().voidHold(Ledger.voidId(job.holdId()), job.holdId());
            // the money back on the wallet: what a Stars refund reported while the job ran is owed goes to the Stars
            heldRefunds.settle(job.holdId());
            return !(r instanceof LedgerResult.Rejected rej && rej.reason() == LedgerResult.Reason.ALREADY_POSTED);
        }
        return true;
    }

    private static boolean notSentYet(Job j) {
        return j.state() == JobState.HELD || j.state() == JobState.CREATED;
    }

    /**
     * Cancels a job that has not been sent to the provider yet, and gives the money back ({@link #failUnsent}).
     *
     * @return false if it is too late: the job went to the provider (a job that failed meanwhile counts as
     *         cancelled: its user was told and refunded by that failure)
     */
    boolean cancel(JobId id) {
        return failUnsent(id, "job.cancelled", "cancelled by user").isPresent()
                || stores.jobs().find(id).map(j -> j.state() == JobState.FAILED).orElse(false);
    }

    /**
     * Fails a job that has not been sent to the provider yet (a Cancel, a photo too large, a model gone before the
     * send) and gives the money back. The job is moved first, by a compare-and-set on "not sent yet", and the hold
     * voided after it: a job another worker moved to SUBMITTING meanwhile stays paid for, because its task may
     * already exist at Kie (checking the state and then failing the job as {@link #fail} does refunded the user
     * while the shop paid Kie for the result). A job not sent yet was never posted, so the void cannot be refused.
     *
     * @return the failed job; empty when the job was no longer unsent (sent, or ended meanwhile)
     */
    Optional<Job> failUnsent(JobId id, String reasonKey, String detail) {
        return failUnsent(id, FailureReason.shops(reasonKey), detail);
    }

    /** {@link #failUnsent(JobId, String, String)}, keeping the provider's kind of the error ({@link #fail}). */
    Optional<Job> failUnsent(JobId id, FailureReason reason, String detail) {
        return failIfStill(id, Generations::notSentYet, reason, detail);
    }

    /** In the transaction that made the job wait after a createTask the provider did not answer ({@link ModelFailures}). */
    void unanswered(Job job) {
        failures.unanswered(job);
    }

    /**
     * Fails a job cut off mid-send (SUBMITTING with no task id stored: the worker found it so after
     * {@link JobWorker#SUBMIT_WINDOW}, or past its deadline) and gives the money back, by a compare-and-set on exactly
     * that, as {@link #failUnsent} does. Kie's callback may have found the job's task meanwhile and stored it
     * ({@link JobWorker#checkTask(String, Optional)}); failing it then as {@link #fail} does (any job not ended)
     * refunded the user while the shop paid Kie for a result nobody would see.
     *
     * @return the failed job; empty when the job has a task by now, or is no longer SUBMITTING
     */
    Optional<Job> failCutOff(JobId id, String reasonKey, String detail) {
        return failCutOff(id, FailureReason.shops(reasonKey), detail);
    }

    /** {@link #failCutOff(JobId, String, String)}, keeping the provider's kind of the error ({@link #fail}). */
    Optional<Job> failCutOff(JobId id, FailureReason reason, String detail) {
        return failIfStill(id, j -> j.state() == JobState.SUBMITTING && j.taskId().isEmpty(), reason, detail);
    }

    /**
     * The job moved to failed first, by a compare-and-set on {@code still}; its hold voided after. The void's turn is
     * taken before the job's row ({@link Ledger#findAwaiting} of its id: the lock the void takes first), as
     * {@link #fail} takes them, its void before its write of the job: in the other order a failure of the same job by
     * {@link #fail} (the sweep of its expired hold, an admin's stop) beside this one (the user's Cancel, the worker at
     * the job's deadline) each held what the other waited for, and PostgreSQL aborted one (PgJobEndsAtOnceTest).
     */
    private Optional<Job> failIfStill(JobId id, Predicate<Job> still, FailureReason reason, String detail) {
        String reasonKey = reason.key();
        Optional<Job> ended = stores.transactions().inOne(() -> {
            takeVoidsTurn(id);
            AtomicReference<Job> before = new AtomicReference<>();
            Optional<Job> failed = stores.jobs().transition(id, still, j -> {
                before.set(j);
                return j.failed(reasonKey, reason.kind());
            });
            if (failed.isEmpty()) {
                return failed;
            }
            if (!release(before.get())) {
                // nothing posts a hold before the job has a task: a posted one is a bug to stop at, not to refund
                throw new IllegalStateException(id.display() + ": the hold of a job with no task was posted");
            }
            told(failed.get(), reasonKey, detail);
            return failed;
        });
        // only when failed here: empty, the job may have its task by now and run on
        ended.ifPresent(j -> progress.forget(j.id()));
        return ended;
    }

    /** The turn of the job's hold's void ({@link #failIfStill}), till the transaction ends; its answer is not read. */
    private void takeVoidsTurn(JobId id) {
        stores.ledger().findAwaiting(Ledger.voidId(id.display())); // the job's hold id (Job#holdId)
    }

    /**
     * A user's own Cancel is answered in the status message he pressed it under. Any other failure (the provider's,
     * the deadline, support stopping it) is a new message: Telegram notifies nobody of an edit, and a user waiting
     * minutes for a video learns of the failure and the refund only from a message that rings, as a result does. The
     * status message is first edited to a short final line pointing to it, so the chat holds no stale «⏳».
     */
    private void tellFailed(Job job, String reasonKey) {
        String lang = job.language();
        if (reasonKey.equals("job.cancelled")) {
            String text = job.free() ? texts.get(lang, Msg.JOB_CANCELLED_FREE, job.id().display())
                    : texts.get(lang, Msg.JOB_CANCELLED, job.id().display(), pricing.format(job.price(), lang));
            status(job, text, againOrHome(job));
            return;
        }
        // the detail (a provider's English words, field names) stays in the audit: the user gets the reason
        String reason = texts.get(lang, reasonKey);
        // what its hold owed of a Stars refund reported while it ran went to the Stars, not to his balance
        JobRefundParts parts = job.free() ? new JobRefundParts(0, 0)
                : JobRefundParts.ofVoid(stores, job.holdId(), job.price());
        String text = texts.get(lang, Msg.JOB_FAILED, job.id().display(), title(job), reason) + "\n"
                + (job.free() ? texts.get(lang, Msg.JOB_FREE_RELEASED) : parts.inStars() > 0
                ? texts.get(lang, Msg.JOB_REFUNDED_IN_STARS, parts.toUser(texts, pricing, lang))
                : texts.get(lang, Msg.JOB_REFUNDED, pricing.format(job.price(), lang)));
        status(job, texts.get(lang, Msg.JOB_FAILED_STATUS, job.id().display(), title(job)), Keyboard.NONE);
        outbox.send(new Reply.SendText(job.chatId(), text, againOrHome(job)));
    }

    /**
     * A delivered result whose file is gone at the provider ({@code Delivery.Gone}: its URL answered 404 or 410 to
     * Telegram and to the adapter): the user got nothing for the job, and its link would lead nowhere. A paid job's
     * price goes back by the transfer an admin's {@code /refund} makes (keyed by the hold: a second gone result of
     * the job, or the admin's refund after it, moves nothing more); a free job's use is given back. The user is told
     * in place of the link, the refund's words only when money moved now. Called in the reply's settle transaction,
     * so the refund, the notice and the settle commit together, or none of them and the result goes again. Also for
     * a result dropped while its user had blocked the bot and sent at his asking after the provider dropped its file
     * ({@link UnsentResults#resend}): refunded the same, without the admins' alert (the provider served it its day).
     * The ledger refunds a job once and whole: a job of several files is refunded only when none of them reached him
     * nor may have, at the last of them ({@code source}, the gone one: {@link UnsentResults.Failure#gone}); otherwise he is
     * told which one is missing and, when some came, pointed to support, or that the others follow: once a job, as
     * for a file not sent ({@link #othersFollowAsTold}), a later one told in short ({@link #alsoMissing}).
     */
    void resultGone(JobId id, String reason, String source) {
        Optional<Job> found = stores.jobs().find(id);
        if (found.isEmpty()) {
            return;
        }
        Job job = found.get();
        String lang = job.language();
        List<String> urls = job.result().map(JobResult::urls).orElse(List.of());
        int number = urls.indexOf(source) + 1;
        String text = urls.size() > 1 && number > 0
                ? texts.get(lang, Msg.UNSENT_GONE_FILE, job.id().display(), title(job), number, urls.size())
                : texts.get(lang, Msg.JOB_RESULT_GONE, job.id().display(), title(job));
        UnsentResults.Failure failure = unsent.failure(job, source);
        UnsentResults.Gone gone = failure.gone();
        Optional<UnsentResults.PresentSend> toldAlready = othersFollowAsTold(job, failure);
        unsent.missed(job, source);
        if (gone != UnsentResults.Gone.REFUND) {
            // some of it in his chat already, or maybe, or the rest still on its way: the ledger refunds a job whole
            boolean someCame = gone == UnsentResults.Gone.SOME_CAME;
            audit(job, "gen.result_gone", (someCame ? AuditNote.RESULT_GONE_PART : AuditNote.RESULT_GONE_REST)
                    .with(job.id().display()));
            if (toldAlready.isPresent()) {
                alsoMissing(job, number, urls.size(), toldAlready.get());
            } else {
                outbox.send(new Reply.SendText(job.chatId(), text + "\n" + texts.get(lang,
                        someCame ? partCame(job) : othersFollow(job), job.id().display()), againOrHome(job)));
            }
            String why = someCame ? "some of the job reached user " + Actor.mask(job.userId()) + ", or may have"
                    : "its other results are still to go";
            if (failure.dropped()) {
                LOG.log(System.Logger.Level.INFO, "{0}: result {1} of {2}, dropped while its user blocked the bot, is "
                        + "gone at the provider by his return ({3}); not refunded: {4}", job.id().display(), number,
                        urls.size(), reason, why);
            } else {
                // the provider charged the shop for a file nobody could fetch: claimable by the task id
                LOG.log(System.Logger.Level.WARNING, "{0}: RECONCILE result {1} of {2} of task {3} is gone at the "
                        + "provider ({4}); not refunded: {5}", job.id().display(), number, urls.size(),
                        job.taskId().orElse("?"), reason, why);
            }
            return;
        }
        text += givenBack(job, "the bot, its result gone at the provider,", reason, true);
        outbox.send(new Reply.SendText(job.chatId(), text, againOrHome(job)));
        if (failure.dropped()) {
            // sent again at his return from a block, after the provider kept it its day: nothing to claim from it
            LOG.log(System.Logger.Level.INFO, "{0}: the result dropped while user {1} blocked the bot is gone at the "
                    + "provider by his return ({2}); refunded", job.id().display(), Actor.mask(job.userId()), reason);
            return;
        }
        // the provider charged the shop for a result nobody could fetch: the operator may claim it back by the task id
        LOG.log(System.Logger.Level.WARNING, "{0}: RECONCILE the result of task {1} is gone at the provider ({2}); "
                + "the user is told", job.id().display(), job.taskId().orElse("?"), reason);
        tellAdminsOfGoneResult(job);
    }

    /**
     * The job given back after its charge, none of it having reached him (a result gone at the provider, or the last
     * of a job none of whose files reached him: {@link #resultNotSent}): a paid job's price by the transfer an admin's
     * {@code /refund} makes (keyed by the hold: once, whoever asks), a free job's use released. Noted as what happened
     * ({@code gone}: {@code gen.result_gone}, else {@link #RESULT_NOT_SENT}; {@link UnsentResults} reads a free one's
     * note as its refund). In the reply's settle transaction.
     *
     * @return the words to add to the user's notice: the refund's, only when something moved now
     */
    private String givenBack(Job job, String who, String reason, boolean gone) {
        String lang = job.language();
        String action = gone ? "gen.result_gone" : RESULT_NOT_SENT;
        if (job.free() && !givenAfterRefund(job)) {
            stores.freeUsage().release(job.userId(), day(job), job.holdId());
            audit(job, action, (gone ? AuditNote.RESULT_GONE_FREE : AuditNote.RESULT_NOT_SENT_FREE)
                    .with(job.id().display()));
            // a use given back for a past day (a result asked for the day after) is none the user can take today:
            // what he can do today instead, where «не получилось прислать» alone left him with no next step
            LocalDate today = LocalDate.now(clock.withZone(settings.zone()));
            return "\n" + (day(job).equals(today) ? texts.get(lang, Msg.JOB_FREE_RELEASED) : freeToday(job, today));
        }
        if (deliveredUnpaid(job)) {
            // nothing was taken for it: nothing comes back, and nothing is left for an operator to settle (a refused
            // refund's RECONCILE line had him look for money that never moved)
            audit(job, action, (gone ? AuditNote.RESULT_GONE_UNPAID : AuditNote.RESULT_NOT_SENT_UNPAID)
                    .with(job.id().display()));
            LOG.log(System.Logger.Level.INFO, "{0}: a result not delivered ({1}) of a job delivered unpaid: nothing "
                    + "to refund", job.id().display(), reason);
            return "\n" + texts.get(lang, Msg.JOB_NOT_CHARGED);
        }
        LedgerResult r = refundAfterCharge(job, who);
        audit(job, action, (gone ? AuditNote.resultGone(r) : AuditNote.resultNotSent(r)).with(job.id().display()));
        if (r instanceof LedgerResult.Rejected rejected) {
            LOG.log(System.Logger.Level.WARNING, "{0}: RECONCILE a result not delivered ({1}) was not refunded: {2}",
                    job.id().display(), reason, rejected.reason());
        }
        // what he has back in Stars said so: all of it there said nothing of the money, as if it had vanished
        JobRefundParts parts = JobRefundParts.of(stores.ledger(), job.holdId(), job.userId());
        if (r instanceof LedgerResult.Created && parts.inStars() > 0) {
            return "\n" + texts.get(lang, Msg.JOB_REFUNDED_IN_STARS, parts.toUser(texts, pricing, lang));
        }
        long back = refundedToWallet(job, r);
        return r instanceof LedgerResult.Created && back > 0
                ? "\n" + texts.get(lang, Msg.JOB_REFUNDED, pricing.format(back, lang)) : "";
    }

    /**
     * His next step after a free job of a past day none of which reached him: try again, with the free generations he
     * has left today, or, none left, when new ones come and that he may pay for it ({@code free.limit_reached}, as a
     * free model's quote says it).
     */
    private String freeToday(Job job, LocalDate today) {
        String lang = job.language();
        int left = freeTier.left(freeTier.usedToday(stores.freeUsage().used(job.userId(), today),
                () -> stores.freeUsage().usedByAll(today)));
        return left > 0 ? texts.get(lang, Msg.UNSENT_FREE_PAST_DAY, left, freeTier.dailyLimit())
                : texts.get(lang, Msg.FREE_LIMIT_REACHED, texts.newDay(lang, settings.zone(), clock.instant()));
    }

    /**
     * What he is told of the job's other files still to go after one gone or not sent: the job comes back should none
     * arrive, or, delivered unpaid, that nothing was charged for it (nothing would come back); a free one, that it
     * does not count toward his free ones should none arrive (no money was taken: «всё, что за неё списано» spoke of
     * money he never paid).
     */
    private Msg othersFollow(Job job) {
        return job.free() ? Msg.UNSENT_GONE_REST_FREE
                : deliveredUnpaid(job) ? Msg.UNSENT_GONE_REST_UNPAID : Msg.UNSENT_GONE_REST;
    }

    /**
     * What he is told after a file gone or not sent when some of the job came or may have: the money does not come
     * back by itself, or, delivered unpaid, that nothing was charged for it («не вернутся» read as taken); a free one,
     * that it counts as used (no money to come back or not).
     */
    private Msg partCame(Job job) {
        return job.free() ? Msg.UNSENT_GONE_PART_FREE
                : deliveredUnpaid(job) ? Msg.UNSENT_GONE_PART_UNPAID : Msg.UNSENT_GONE_PART;
    }

    /**
     * What he is told when a file may have arrived after an earlier one's notice promised the job back should none
     * arrive ({@link #othersFollow}): the money does not come back by itself now, or, free, the use counts after all.
     * Nothing for a job delivered unpaid: its notice promised nothing (it said nothing was charged).
     */
    private Optional<Msg> promiseLapsed(Job job) {
        return job.free() ? Optional.of(Msg.UNSENT_PROMISE_LAPSED_FREE)
                : deliveredUnpaid(job) ? Optional.empty() : Optional.of(Msg.UNSENT_PROMISE_LAPSED);
    }

    /**
     * A result of the job that surely did not reach the chat (its upload and its link refused, or deferred past
     * {@link ReplySender#DEFERRED_MAX}), or may not have ({@code maybe}: {@link dev.kiebot.core.reply.Delivery.Uncertain}),
     * at its first delivery or sent again: he is never left without a word, and the job comes back by the rules of a
     * file gone at the provider ({@link #resultGone}, {@link UnsentResults.Failure#gone}), for a job of one file as for one of
     * several. One that may have arrived is told so and pointed to support, never given back by itself (an admin's
     * {@code /refund} remains). One that surely did not: at the last of the job, none of it having reached him nor
     * may have, the job is given back (once: the transfer an admin's {@code /refund} makes) and he is told; when some
     * of it came or may have, he is told of this file and pointed to support; when others are still to go, he is told
     * they follow and the job comes back should none arrive, unless an earlier file told him so already (this one
     * then told in short, {@link #alsoMissing}). A job of one file ended silent before, with neither a word nor the
     * money back. In the reply's settle transaction.
     */
    void resultNotSent(JobId id, String source, boolean maybe) {
        Optional<Job> found = stores.jobs().find(id).filter(j -> j.state() == JobState.DELIVERED);
        if (found.isEmpty()) {
            return;
        }
        Job job = found.get();
        String display = job.id().display();
        String lang = job.language();
        List<String> urls = job.result().map(JobResult::urls).orElse(List.of());
        int number = urls.indexOf(source) + 1;
        boolean several = urls.size() > 1 && number > 0;
        // one read of his trail says whether the others were promised, what this send missed and what goes back
        UnsentResults.Failure failure = unsent.failure(job, source);
        UnsentResults.PresentSend send = failure.send();
        boolean promised = othersPromised(job, send);
        UnsentResults.Gone gone = failure.gone();
        if (maybe) {
            // never given back by itself: it may be in his chat; a promise that the job comes back no longer holds
            String text = several ? texts.get(lang, Msg.UNSENT_MAYBE_FILE, display, title(job), number, urls.size())
                    : texts.get(lang, Msg.JOB_RESULT_MAYBE, display, title(job));
            // an earlier file's notice promised the job back should none arrive: said to hold no more, not left to
            // lapse in silence
            Optional<Msg> lapsed = promised ? promiseLapsed(job) : Optional.empty();
            outbox.send(new Reply.SendText(job.chatId(), lapsed.map(m -> text + "\n" + texts.get(lang, m))
                    .orElse(text), againOrHome(job)));
            audit(job, RESULT_NOT_SENT, AuditNote.RESULT_NOT_SENT_PART.with(display));
            return;
        }
        unsent.missed(job, source);
        if (gone == UnsentResults.Gone.OTHERS_FOLLOW && promised) { // as othersFollowAsTold, from the read above
            alsoMissing(job, number, urls.size(), send);
            return;
        }
        String text = !several ? texts.get(lang, Msg.JOB_RESULT_NOT_SENT, display, title(job))
                : gone == UnsentResults.Gone.REFUND && promised
                ? texts.get(lang, Msg.UNSENT_FAILED_FILE, display, title(job), number, urls.size())
                : texts.get(lang, Msg.UNSENT_NOT_SENT_FILE, display, title(job), number, urls.size());
        switch (gone) {
            case OTHERS_FOLLOW -> {
                audit(job, RESULT_NOT_SENT, AuditNote.RESULT_NOT_SENT_REST.with(display));
                text += "\n" + texts.get(lang, othersFollow(job), display);
            }
            case SOME_CAME -> {
                audit(job, RESULT_NOT_SENT, AuditNote.RESULT_NOT_SENT_PART.with(display));
                text += "\n" + texts.get(lang, partCame(job), display);
            }
            case REFUND -> {
                String back = givenBack(job, "the bot, none of its results delivered,", "not delivered", false);
                // nothing moved now (refunded before, or the ledger refused: RECONCILE logged): a next step all the
                // same, not a bare «could not send»; a free job's use was released, nothing of his to ask for
                text += back.isEmpty() && !job.free() ? "\n" + texts.get(lang, Msg.UNSENT_ASK_SUPPORT, display) : back;
                LOG.log(System.Logger.Level.INFO, "{0}: result {1} of {2} could not be sent; none of the job reached "
                        + "user {3}: given back", display, Math.max(number, 1), urls.size(), Actor.mask(job.userId()));
            }
        }
        outbox.send(new Reply.SendText(job.chatId(), text, againOrHome(job)));
    }

    /**
     * A later file of the job that will not come ({@code number} of {@code count}), after an earlier one's notice told
     * him the others follow ({@link #othersFollowAsTold}): told in short, the promise not repeated. It was silent: he
     * learnt of the first file only, and that notice's /paysupport spoke of «this file». None of the job has come nor
     * may have (else it is not that case); missing are the files this send has missed so far, not every one up to
     * this one: a re-send of some of them sends those alone ({@code send}'s, with this one).
     */
    private void alsoMissing(Job job, int number, int count, UnsentResults.PresentSend send) {
        outbox.send(new Reply.SendText(job.chatId(), texts.get(job.language(), Msg.UNSENT_ALSO_MISSING,
                job.id().display(), title(job), number, count, Math.max(send.missedWith(number), 1)),
                Keyboard.NONE));
    }

    /**
     * Whether a file of the job gone at the provider or not sent, with others still to go after it, was told of
     * already: an earlier one told him that the others follow and that the job comes back should none arrive, and
     * saying it at each file repeated the promise ({@link #resultGone} did so at every gone file).
     *
     * @return the job's present send, when so ({@code failure}'s): {@link #alsoMissing} counts from it
     */
    private Optional<UnsentResults.PresentSend> othersFollowAsTold(Job job, UnsentResults.Failure failure) {
        return failure.gone() == UnsentResults.Gone.OTHERS_FOLLOW ? Optional.of(failure.send())
                .filter(send -> othersPromised(job, send)) : Optional.empty();
    }

    /**
     * Whether he was told, at a file of the job's present send ({@code send}) gone at the provider or not sent, that
     * the others follow ({@link #resultGone}, {@link #resultNotSent}). Only since that send began: the first file of a
     * re-send days after the first delivery's promise was told it "could not be sent either", pointed to a message
     * days old.
     */
    private boolean othersPromised(Job job, UnsentResults.PresentSend send) {
        String gone = AuditNote.RESULT_GONE_REST.with(job.id().display());
        String notSent = AuditNote.RESULT_NOT_SENT_REST.with(job.id().display());
        Optional<Instant> since = send.began();
        return stores.audit().byCorrelation(job.id().display()).stream()
                .filter(e -> since.filter(e.at()::isBefore).isEmpty())
                .anyMatch(e -> (e.action().equals("gen.result_gone") && e.detail().equals(gone))
                        || (e.action().equals(RESULT_NOT_SENT) && e.detail().equals(notSent)));
    }

    /**
     * What {@link #refundAfterCharge} would give back now, moving nothing: to the wallet and against Stars refunds'
     * losses; both zero when it would give nothing (unpaid, refunded already, nothing charged). An admin's
     * {@code /refund} confirmation shows it; the press reads it anew.
     */
    JobRefundParts refundPreview(Job job) {
        Ledger ledger = stores.ledger();
        if (deliveredUnpaid(job) || ledger.find(Ledger.refundId(job.holdId())).isPresent()
                || heldRefunds.givenBackAgainstLoss(job.holdId()).isPresent()) {
            return new JobRefundParts(0, 0);
        }
        List<String> holds = List.of(job.holdId(), chargedAgainId(job.holdId()));
        List<Transfer> posts = holds.stream().map(h -> ledger.find(Ledger.postId(h))).flatMap(Optional::stream)
                .toList();
        long charged = posts.stream().mapToLong(Transfer::amount).sum();
        if (charged <= 0) {
            return new JobRefundParts(0, 0);
        }
        long toWallet = Math.max(0, heldRefunds.leftForWallet(job.holdId(), holds, job.userId(),
                charged));
        return new JobRefundParts(toWallet, charged - toWallet);
    }

    /**
     * Gives a paid job's price back after its hold was posted: one transfer keyed by the hold
     * ({@link Ledger#refundId}), so whoever asks (an admin's {@code /refund}, a result gone at the provider) the money
     * comes back once; a transfer made now leaves its money-log line, naming {@code who} refunded it.
     */
    LedgerResult refundAfterCharge(Job job, String who) {
        if (deliveredUnpaid(job)) {
            // nothing was taken for it: a refund gave him money the shop never had from him
            return new LedgerResult.Rejected(LedgerResult.Reason.ALREADY_EXPIRED, job.holdId());
        }
        Ledger ledger = stores.ledger();
        String refundId = Ledger.refundId(job.holdId());
        // the user's turn before reading whether it was refunded (HeldStarsRefunds.takeUsersTurn): two refunds of the
        // job at the same moment, wholly against a loss, both read "not yet"; the second replayed the first's
        // reversal, wrote nothing new and answered Created, and the admin and the user were told twice
        heldRefunds.takeUsersTurn(job.userId());
        Optional<Transfer> done = ledger.find(refundId).or(() -> heldRefunds.givenBackAgainstLoss(job.holdId()));
        if (done.isPresent()) {
            return new LedgerResult.Exists(done.get());
        }
        // what was posted, never the price: a lesser result posted less and gave the rest back with the post
        List<String> holds = List.of(job.holdId(), chargedAgainId(job.holdId()));
        List<Transfer> posts = holds.stream().map(h -> ledger.find(Ledger.postId(h))).flatMap(Optional::stream)
                .toList();
        long charged = posts.stream().mapToLong(Transfer::amount).sum();
        if (charged <= 0) {
            return new LedgerResult.Rejected(LedgerResult.Reason.ALREADY_EXPIRED, job.holdId());
        }
        // what the user already has back in Stars goes against the shop's loss, only the rest to his wallet: that
        // part moved first, so that this transaction takes the wallet's row before any system account's, as a job
        // worker's post of his other hold does (HeldStarsRefunds.giveBackAgainstLoss: the other order deadlocked)
        java.util.concurrent.atomic.AtomicReference<LedgerResult> toWalletMoved =
                new java.util.concurrent.atomic.AtomicReference<>();
        long toWallet = heldRefunds.giveBackAgainstLoss(job.holdId(), holds, job.userId(), charged,
                left -> toWalletMoved.set(ledger.transfer(refundId, AccountId.REVENUE,
                        AccountId.wallet(job.userId()), left, TransferKind.REFUND)));
        if (toWallet <= 0) {
            LOG.log(System.Logger.Level.INFO, "{0}: refunded by {1} against the loss of a Stars refund of user {2}: "
                    + "nothing to his wallet", job.id().display(), who, Actor.mask(job.userId()));
            return heldRefunds.givenBackAgainstLoss(job.holdId()).<LedgerResult>map(LedgerResult.Created::new)
                    .orElseThrow();
        }
        LedgerResult r = toWalletMoved.get();
        if (r instanceof LedgerResult.Created) {
            MoneyLog.moved(stores, pricing, who + " refunded a finished generation", job.userId(), toWallet,
                    job.id().display());
        }
        return r;
    }

    /**
     * What a refund {@link #refundAfterCharge} answered put on the job's user's wallet: nothing when it all went
     * against a Stars refund's loss (he has that money back in Stars) or was refused.
     */
    static long refundedToWallet(Job job, LedgerResult r) {
        Optional<Transfer> t = r instanceof LedgerResult.Created c ? Optional.of(c.transfer())
                : r instanceof LedgerResult.Exists e ? Optional.of(e.transfer()) : Optional.empty();
        return t.filter(x -> x.credit().equals(AccountId.wallet(job.userId()))).map(Transfer::amount).orElse(0L);
    }

    /**
     * A file sent again on the user's asking (a result's original as a document, a history re-send by its URL) that
     * is gone at the provider ({@code Delivery.Gone}): nothing was charged for it, and the user is told rather than
     * left without an answer (its link, which the adapter sent before, led nowhere). In the reply's settle transaction.
     */
    void fileGone(long chatId) {
        String lang = stores.users().languageOf(chatId);
        outbox.send(new Reply.SendText(chatId, texts.get(lang, Msg.FILE_GONE), HomeButton.below(texts, lang)));
    }

    /**
     * A file sent again at the user's asking by its kept file id that the platform refused ({@code Delivery.Failed}:
     * Telegram's "wrong file identifier", an id it no longer takes): the same file goes by the provider's URL, with
     * the refused reply's caption, while the provider surely keeps it ({@link Effects#ORIGINAL_KEPT} from the result),
     * plain, so that a URL gone by then is answered as {@link #fileGone}; after that, or with no URL known, he is told
     * the file is gone. Before, the refusal was only logged and his press went unanswered. In the reply's settle
     * transaction, as {@link #fileGone}.
     */
    void fileIdRefused(long chatId, Outgoing.Follow.SentAgain again, Reply.SendMedia refused) {
        Optional<Job> job = stores.jobs().find(again.job());
        boolean kept = job.map(j -> !clock.instant().isAfter(j.succeededAt().orElse(j.createdAt())
                .plus(Effects.ORIGINAL_KEPT))).orElse(false);
        if (again.url().isEmpty() || !kept) {
            fileGone(chatId);
            return;
        }
        outbox.send(new Reply.SendMedia(chatId, refused.kind(), again.url().get(), refused.caption(),
                refused.keyboard(), refused.tooLarge()));
    }

    /**
     * The admins learn of a gone result in the chat they read, not only in a log line: the provider charged the shop
     * for it, and they claim it back by the task id. At most {@link #GONE_TOLD_EVERY} apart (an outage of the
     * provider's storage would gone every result): the alert says where the rest are.
     */
    private void tellAdminsOfGoneResult(Job job) {
        Instant now = clock.instant();
        Instant last = goneToldAt.get();
        if (last != null && now.isBefore(last.plus(GONE_TOLD_EVERY))) {
            return;
        }
        // a job delivered unpaid: «the money was given back» was false, nothing having been taken
        boolean unpaid = deliveredUnpaid(job);
        AuditEvent telling = new AuditEvent(now, "system", AdminAlerts.RESULT_GONE, job.id().display(),
                Optional.of("alert:result-gone"));
        // told an hour ago or earlier is not within the hour: the since is inclusive, and the store keeps microseconds
        if (AdminAlerts.sendFirst(stores, settings, outbox, telling, now.minus(GONE_TOLD_EVERY).plus(MICROSECOND),
                lang -> texts.get(lang, unpaid ? Msg.ADMIN_ALERT_RESULT_GONE_UNPAID : Msg.ADMIN_ALERT_RESULT_GONE,
                        job.id().display(), job.taskId().orElse("?"), GONE_TOLD_EVERY.toMinutes()))) {
            stores.transactions().afterCommit(() -> goneToldAt.set(now));
        }
    }

    /**
     * Under a delivered result: "again" and "menu", and under an image «📎 Файлом, без сжатия» (Telegram recompresses
     * a photo: a 4K picture arrives about 2560 pixels wide).
     */
    Keyboard underResult(Job job) {
        Keyboard kb = againOrHome(job);
        if (job.result().filter(r -> r.kind() == MediaKind.PHOTO).isEmpty()) {
            return kb;
        }
        return kb.plus(List.of(Button.callback(texts.get(job.language(), Msg.BUTTON_ORIGINAL),
                CallbackData.evergreen(CallbackAction.ORIGINAL, job.id().display()))));
    }

    /**
     * "Again" and "menu" under a finished job. The menu comes below the message (its job's number, what failed, the
     * money that came back stay in the chat), as «Again»'s order does: a plain «🏠 Меню» put the menu in its place.
     */
    Keyboard againOrHome(Job job) {
        String lang = job.language();
        return Keyboard.of(List.of(
                Button.callback(texts.get(lang, Msg.BUTTON_AGAIN),
                        CallbackData.evergreen(CallbackAction.AGAIN, job.id().display())),
                HomeButton.belowOf(texts, lang)));
    }

    /** Edits the job's status message, or sends one if there is none. */
    void status(Job job, String text, Keyboard kb) {
        outbox.status(job, text, kb);
    }

    /**
     * A job waiting for Kie's callback ({@link CallbackRescue#awaitCallback}): Kie did not confirm taking it; the
     * result comes if it did, and the money (or the free use) comes back at the deadline if not.
     */
    String awaitingProviderStatus(Job job) {
        return ProgressLine.awaitingTask(texts, job.language(), title(job), job,
                pricing.format(job.price(), job.language()));
    }

    /**
     * A delivered job's status: what it cost, or that it was free. The hold was posted when the result came
     * ({@link #complete}), so "charged" is already true when this is shown, and what it says is what the post took
     * ({@link JobCharge}): a lesser result charged less said the order's price.
     */
    String doneStatus(Job job) {
        String lang = job.language();
        return job.free() ? texts.get(lang, Msg.JOB_DONE_FREE, job.id().display(), title(job))
                : texts.get(lang, Msg.JOB_DONE, job.id().display(), title(job),
                        pricing.format(JobCharge.of(stores.ledger(), job), lang));
    }

    /**
     * A result's caption: the job, the model and, when the user described it, the description's start, so that
     * results read apart in the chat (several "gen_… · the same model" in a row do not).
     */
    String caption(Job job) {
        return caption(job, 1, 1);
    }

    /**
     * {@link #caption(Job)} of file {@code variant} (from 1) of a result of {@code variants} files: «вариант 1 из 2»
     * when there are several (a song's two versions came as two identical messages).
     */
    String caption(Job job, int variant, int variants) {
        String head = texts.get(job.language(), Msg.JOB_RESULT_CAPTION, job.id().display(), title(job));
        if (variants > 1) {
            head += " · " + texts.get(job.language(), Msg.JOB_RESULT_VARIANT, variant, variants);
        }
        String words = JobTitle.words(job);
        return words.isEmpty() ? head
                : head + "\n" + texts.get(job.language(), Msg.JOB_QUOTED, Snippet.of(words, CAPTION_PROMPT_CHARS_MAX));
    }

    /** Above a result's link when the file is too large for the messenger: why a link, and to save it soon. */
    Optional<String> tooLarge(String lang) {
        return Optional.of(texts.get(lang, Msg.JOB_RESULT_TOO_LARGE));
    }

    /** The model's title in the job's language; a phrase, not the id, once the model has left the catalog. */
    String title(Job job) {
        return JobTitle.of(catalog, texts, job.language(), job);
    }

    void audit(Job job, String action, String detail) {
        stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(job.userId()), action, detail,
                Optional.of(job.id().display())));
    }
}
