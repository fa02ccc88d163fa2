package dev.kiebot.core.shop;

import dev.kiebot.core.catalog.FreeTier;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.conversation.Context;
import dev.kiebot.core.conversation.Invitation;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.ExpectedTime;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Balance;
import dev.kiebot.core.ledger.Statement;
import dev.kiebot.core.ledger.StatementLine;
import dev.kiebot.core.payments.ManualTopUp;
import dev.kiebot.core.users.User;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The conversation's facts, read from the stores when first asked and then kept: one context
 * serves one update, and screens may ask for the balance more than once.
 */
final class StoreContext implements Context {
    private final User user;
    private Balance wallet;
    private Integer freeUsed;
    private boolean givenOutToAll;
    /** Read once per update: a press of a paused card's button asks twice (the press, then the card). */
    private java.util.Set<String> paused;
    /** Read once per update: a photo at the menu asks twice (whether it is a receipt, then the menu's answer's line). */
    private List<ManualTopUp> openManualTopUps;
    private final Stores stores;
    private final ShopSettings settings;
    private final FreeTier freeTier;
    private final Clock clock;

    private final Optional<Long> welcomeBonus;
    /** Found while the user was known or created ({@code Referrals.arrived}): the code is looked up once. */
    private final Invitation invitation;
    /** Read only when asked: the returning user's /start asks, no other update. */
    private final Supplier<Set<JobId>> unsentListed;

    StoreContext(User user, Stores stores, ShopSettings settings, FreeTier freeTier, Clock clock,
                 Optional<Long> welcomeBonus, Invitation invitation) {
        this(user, stores, settings, freeTier, clock, welcomeBonus, invitation, Set::of);
    }

    /** @param unsentListed the results to be listed after the answer, at a return ({@code UnsentResults.listed}) */
    StoreContext(User user, Stores stores, ShopSettings settings, FreeTier freeTier, Clock clock,
                 Optional<Long> welcomeBonus, Invitation invitation, Supplier<Set<JobId>> unsentListed) {
        this.user = user;
        this.unsentListed = unsentListed;
        this.welcomeBonus = welcomeBonus;
        this.invitation = invitation;
        this.stores = stores;
        this.settings = settings;
        this.freeTier = freeTier;
        this.clock = clock;
    }

    static LocalDate today(Clock clock, ShopSettings settings) {
        return clock.instant().atZone(settings.zone()).toLocalDate();
    }

    @Override
    public User user() {
        return user;
    }

    private Balance wallet() {
        if (wallet == null) {
            wallet = stores.ledger().balance(AccountId.wallet(user.id()));
        }
        return wallet;
    }

    @Override
    public long balance() {
        return wallet().available();
    }

    @Override
    public long reserved() {
        return wallet().debitsPending();
    }

    @Override
    public List<StatementLine> statement(int limit) {
        AccountId account = AccountId.wallet(user.id());
        return Statement.of(account, stores.ledger().recent(account, limit * Statement.TRANSFERS_PER_LINE), limit);
    }

    @Override
    public int freeUsedToday() {
        if (freeUsed == null) {
            LocalDate today = today(clock, settings);
            int own = stores.freeUsage().used(user.id(), today);
            // the whole shop's uses are read only with a cap and when the user has some left
            freeUsed = freeTier.usedToday(own, () -> stores.freeUsage().usedByAll(today));
            givenOutToAll = freeUsed != own;
        }
        return freeUsed;
    }

    @Override
    public boolean freeGivenOutToAll() {
        freeUsedToday();
        return givenOutToAll;
    }

    @Override
    public Optional<Long> welcomeBonus() {
        return welcomeBonus;
    }

    @Override
    public Invitation invitation() {
        return invitation;
    }

    @Override
    public Set<JobId> unsentListed() {
        return unsentListed.get();
    }

    @Override
    public boolean admin() {
        return settings.adminIds().contains(user.id());
    }

    @Override
    public Optional<User> otherUser(long userId) {
        return stores.users().find(userId);
    }

    @Override
    public Optional<Job> job(JobId id) {
        return stores.jobs().find(id);
    }

    @Override
    public List<Job> recentJobs(int limit) {
        return stores.jobs().recent(user.id(), limit);
    }

    @Override
    public List<Job> unfinishedJobs(int limit) {
        return stores.jobs().unfinished(user.id(), limit);
    }

    @Override
    public boolean refundedAfterCharge(Job job) {
        // a refund made wholly against a Stars refund's loss has no refund:<hold>: its line showed the price as paid
        return !job.free() && (job.state() == JobState.SUCCEEDED || job.state() == JobState.DELIVERED)
                && (stores.ledger().find(Ledger.refundId(job.holdId())).isPresent() || refundedInStars(job) > 0);
    }

    @Override
    public long refundedInStars(Job job) {
        if (job.free()) {
            return 0;
        }
        if (job.state() == JobState.FAILED) {
            // its hold was voided: what it owed of a Stars refund reported while it ran went to the Stars
            // (stars-held:<charge>:<hold>), not to the balance «возвращено» implied
            long held = stores.ledger().find(job.holdId()).map(dev.kiebot.core.ledger.Transfer::amount).orElse(0L);
            return JobRefundParts.ofVoid(stores, job.holdId(), held).inStars();
        }
        return JobRefundParts.of(stores.ledger(), job.holdId(), job.userId()).inStars();
    }

    @Override
    public long charged(Job job) {
        return JobCharge.of(stores.ledger(), job);
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public Duration expectedTime(Model model) {
        return ExpectedTime.of(stores.jobs().runTimes(model.id(), ExpectedTime.SAMPLES), model.category());
    }

    @Override
    public boolean paused(String modelId) {
        if (paused == null) {
            paused = stores.pausedModels().all().keySet();
        }
        return paused.contains(modelId);
    }

    @Override
    public List<String> mostDelivered(Instant since, int limit) {
        return stores.jobs().mostDelivered(since, limit);
    }

    @Override
    public List<ManualTopUp> openManualTopUps() {
        if (openManualTopUps == null) {
            openManualTopUps = stores.manualTopUps().open(user.id(), clock.instant());
        }
        return openManualTopUps;
    }
}
