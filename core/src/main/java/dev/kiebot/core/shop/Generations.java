package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.FreeTier;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Button;
import dev.kiebot.core.conversation.CallbackData;
import dev.kiebot.core.conversation.Delivery;
import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.conversation.Keyboard;
import dev.kiebot.core.conversation.Messenger;
import dev.kiebot.core.conversation.Reply;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobDraft;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The money side of a generation's life: start (hold or free use), success (post), failure
 * (void, user told the money came back). The ledger decides races: whichever of post and void
 * wins there decides the job's outcome, so a job is paid for or refunded exactly once.
 */
public final class Generations {
    private static final System.Logger LOG = System.getLogger(Generations.class.getName());
    /** Attempts of a compare-and-set loop before giving up to the next worker pass. */
    private static final int CAS_ATTEMPTS = 8;

    private final Stores stores;
    private final Catalog catalog;
    private final Pricing pricing;
    private final FreeTier freeTier;
    private final Texts texts;
    private final ShopSettings settings;
    private final Clock clock;
    private final Messenger messenger;

    public Generations(Stores stores, Catalog catalog, Pricing pricing, FreeTier freeTier, Texts texts,
                       ShopSettings settings, Clock clock, Messenger messenger) {
        this.stores = stores;
        this.catalog = catalog;
        this.pricing = pricing;
        this.freeTier = freeTier;
        this.texts = texts;
        this.settings = settings;
        this.clock = clock;
        this.messenger = messenger;
    }

    /** What came of a start request. */
    public sealed interface Start {
        record Started(Job job) implements Start {
        }

        record Insufficient(long price, long balance) implements Start {
        }

        record FreeLimitReached() implements Start {
        }

        record UnknownModel() implements Start {
        }
    }

    private LocalDate day(Job job) {
        return job.createdAt().atZone(settings.zone()).toLocalDate();
    }

    /** Secures payment and queues the job. No job is created when the balance cannot cover it. */
    public Start start(User user, long chatId, Effect.StartJob e) {
        Optional<Model> model = catalog.model(e.modelId());
        if (model.isEmpty()) {
            return new Start.UnknownModel();
        }
        AccountId wallet = AccountId.wallet(user.id());
        Instant now = clock.instant();
        if (e.free()) {
            if (stores.freeUsage().used(user.id(), StoreContext.today(clock, settings)) >= freeLimit()) {
                return new Start.FreeLimitReached();
            }
        } else {
            long balance = stores.ledger().balance(wallet).available();
            if (balance < e.price()) {
                return new Start.Insufficient(e.price(), balance);
            }
        }
        Instant deadline = now.plus(settings.deadline(model.get().category()));
        Job job = stores.jobs().create(new JobDraft(user.id(), chatId, user.language(), e.modelId(), e.skuId(),
                e.values(), e.files(), e.price(), e.free(), now, deadline));
        audit(job, "gen.created", (e.free() ? "free" : "price " + e.price()) + " model " + e.modelId() + " sku "
                + e.skuId());
        if (e.free()) {
            if (!stores.freeUsage().tryUse(user.id(), day(job), freeLimit(), job.holdId())) {
                stores.jobs().update(job.failed("free.limit_reached"));
                return new Start.FreeLimitReached();
            }
        } else {
            LedgerResult r = stores.ledger().hold(job.holdId(), wallet, AccountId.REVENUE, e.price(),
                    TransferKind.GENERATION, deadline.plus(ShopSettings.HOLD_MARGIN));
            if (!r.succeeded()) {
                stores.jobs().update(job.failed("insufficient.funds"));
                audit(job, "gen.hold_rejected", r.toString());
                return new Start.Insufficient(e.price(), stores.ledger().balance(wallet).available());
            }
        }
        Job held = stores.jobs().update(job.held()).orElseThrow();
        return new Start.Started(held);
    }

    private int freeLimit() {
        return freeTier.dailyLimit();
    }

    /**
     * Records success: posts the hold (full price) and moves the job to SUCCEEDED.
     *
     * @return the job if this call made the transition; empty if another path got there first
     */
    public Optional<Job> complete(JobId id, JobResult result) {
        for (int i = 0; i < CAS_ATTEMPTS; i++) {
            Job current = stores.jobs().find(id).orElseThrow();
            if (current.state() != JobState.SUBMITTED && current.state() != JobState.RUNNING) {
                return Optional.empty();
            }
            if (!current.free()) {
                LedgerResult r = stores.ledger().post(Ledger.postId(current.holdId()), current.holdId(), current.price());
                if (!r.succeeded()) {
                    // voided or expired first: the user got the money back, so the job failed
                    audit(current, "gen.post_rejected", r.toString());
                    fail(id, "error.provider_timeout", "result arrived after refund");
                    return Optional.empty();
                }
            }
            Optional<Job> done = stores.jobs().update(current.succeeded(result));
            if (done.isPresent()) {
                audit(done.get(), "gen.succeeded", result.urls().size() + " result(s)");
                return done;
            }
        }
        return Optional.empty();
    }

    /**
     * Fails the job and returns the user's money (void the hold, or give the free use back), then
     * tells the user. Does nothing if the job already succeeded, was delivered or failed.
     *
     * @param reasonKey message key shown to the user
     * @param detail    for the audit trail
     * @return the failed job if this call failed it
     */
    public Optional<Job> fail(JobId id, String reasonKey, String detail) {
        for (int i = 0; i < CAS_ATTEMPTS; i++) {
            Job current = stores.jobs().find(id).orElseThrow();
            if (current.state().isTerminal() || current.state() == JobState.SUCCEEDED) {
                return Optional.empty();
            }
            if (current.free()) {
                stores.freeUsage().release(current.userId(), day(current), current.holdId());
            } else if (current.state().moneyHeld()) {
                LedgerResult r = stores.ledger().voidHold(Ledger.voidId(current.holdId()), current.holdId());
                if (r instanceof LedgerResult.Rejected rej && rej.reason() == LedgerResult.Reason.ALREADY_POSTED) {
                    return Optional.empty();
                }
            }
            Optional<Job> failed = stores.jobs().update(current.failed(reasonKey));
            if (failed.isPresent()) {
                audit(failed.get(), "gen.failed", reasonKey + " " + detail);
                LOG.log(System.Logger.Level.INFO, "{0} failed ({1}); user {2} refunded", id.display(), reasonKey,
                        Actor.mask(current.userId()));
                tellFailed(failed.get(), reasonKey, detail);
                return failed;
            }
        }
        return Optional.empty();
    }

    /** Cancels a job that has not been sent yet. @return false if it is too late */
    public boolean cancel(JobId id) {
        Job current = stores.jobs().find(id).orElseThrow();
        if (current.state() != JobState.HELD && current.state() != JobState.CREATED) {
            return false;
        }
        return fail(id, "job.cancelled", "cancelled by user").isPresent();
    }

    private void tellFailed(Job job, String reasonKey, String detail) {
        String lang = job.language();
        String title = title(job);
        String text;
        if (reasonKey.equals("job.cancelled")) {
            text = texts.get(lang, Msg.JOB_CANCELLED, job.id().display(), job.free() ? "🆓" : pricing.format(job.price()));
        } else {
            String reason = texts.get(lang, reasonKey, detail);
            text = texts.get(lang, Msg.JOB_FAILED, job.id().display(), title, reason) + "\n"
                    + (job.free() ? texts.get(lang, Msg.JOB_FREE_RELEASED)
                    : texts.get(lang, Msg.JOB_REFUNDED, pricing.format(job.price())));
        }
        Keyboard kb = Keyboard.of(List.of(
                Button.callback(texts.get(lang, Msg.BUTTON_AGAIN), CallbackData.evergreen("a", job.id().display())),
                Button.callback(texts.get(lang, Msg.MENU_HOME), CallbackData.evergreen("m", ""))));
        status(job, text, kb);
    }

    /** Edits the job's status message, or sends one if there is none. */
    public Delivery status(Job job, String text, Keyboard kb) {
        Reply r = job.statusMessageId().<Reply>map(m -> new Reply.EditText(job.chatId(), m, text, kb))
                .orElseGet(() -> new Reply.SendText(job.chatId(), text, kb));
        Delivery d = messenger.send(r);
        if (d instanceof Delivery.Blocked) {
            stores.users().setBlocked(job.userId(), true);
        }
        return d;
    }

    String title(Job job) {
        return catalog.model(job.modelId()).map(m -> m.title(job.language())).orElse(job.modelId());
    }

    void audit(Job job, String action, String detail) {
        stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(job.userId()), action, detail,
                Optional.of(job.id().display())));
    }
}
