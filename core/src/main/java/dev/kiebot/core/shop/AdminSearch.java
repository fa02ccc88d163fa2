package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.catalog.Sku;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.OptionWords;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.conversation.TypedUserId;
import dev.kiebot.core.intake.Inbox;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Balance;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.ExternalPayment;
import dev.kiebot.core.payments.ExternalRefund;
import dev.kiebot.core.payments.HeldStarsRefund;
import dev.kiebot.core.payments.Invoice;
import dev.kiebot.core.payments.ManualTopUp;
import dev.kiebot.core.payments.StarsCharge;
import dev.kiebot.core.payments.UncreditedCharge;
import dev.kiebot.core.reports.UserActivity;
import dev.kiebot.core.support.SupportTicket;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Plural;
import dev.kiebot.core.text.ShownTime;
import dev.kiebot.core.text.Snippet;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * {@code /find} and {@code /users}: a job with its state history, prices, ledger transfers and correlation ids; a
 * user with balance, spending, last visit and last payments; a payment by its reference, charge id or (a partner's
 * own provider's) payment id.
 *
 * <p>An admin reads it answering a user's complaint: every fact is said in words first (the model's name and the
 * options as the user saw them, «баланс пользователя 42», «отправлена в Kie»), and the ids and keys an admin or a
 * developer searches by come after them.
 */
final class AdminSearch {
    static final int USERS_LISTED = 20;
    static final int SHOWN = 5;
    /** The newest transfers of an inviter's wallet looked at for the invitation bonuses taken back from it. */
    static final int REVERSALS_LOOKED_AT = 50;
    /** The newest transfers of {@link AccountId#EXTERNAL_CLEARING} whose providers a payment id is looked up under. */
    static final int PROVIDERS_FROM = 200;
    /** Characters of a /find text that found nothing quoted back to the admin: a pasted page is cut. */
    static final int QUERY_SHOWN_MAX = 64;

    private final Stores stores;
    private final Catalog catalog;
    private final Pricing pricing;
    private final Texts texts;
    private final ShopSettings settings;
    private final StarsRefundDesk refunds;
    private final PaySupport support;
    private final TransferWords transfers;

    AdminSearch(Stores stores, Catalog catalog, Pricing pricing, Texts texts, ShopSettings settings,
                StarsRefundDesk refunds, PaySupport support) {
        this.stores = stores;
        this.catalog = catalog;
        this.pricing = pricing;
        this.texts = texts;
        this.settings = settings;
        this.refunds = refunds;
        this.support = support;
        this.transfers = new TransferWords(stores, texts, pricing, settings);
    }

    /** An event's moment, to the second as the ledger's lines show it. */
    private String when(Instant at) {
        return TransferWords.when(at, settings.zone());
    }

    /** A person's dates (last visit, first start, a ban): to the minute, as the users' screens write dates. */
    private String minute(Instant at) {
        return ShownTime.minute(at, settings.zone());
    }

    /**
     * {@code /find <job id | Kie task id | user id | payment reference | charge id | payment id>}; anything else
     * searches users, and a text no user matches is said to have found nothing, with what /find takes.
     */
    String find(String lang, String asked) {
        String query = PaySupport.numberSigned(asked);
        Optional<JobId> jobId = query.startsWith("gen_") ? JobId.parse(query) : Optional.empty();
        if (jobId.isPresent()) {
            return stores.jobs().find(jobId.get()).map(j -> job(lang, j))
                    .orElseGet(() -> texts.get(lang, Msg.FIND_JOB_NOT_FOUND, jobId.get().display()));
        }
        if (query.matches("upd_\\d{1,19}")) {
            return failedUpdate(lang, query);
        }
        if (TypedUserId.hasItsForm(query)) {
            Optional<User> user = TypedUserId.read(query).flatMap(stores.users()::find);
            if (user.isPresent()) {
                return user(lang, user.get());
            }
            Optional<Job> job = JobId.parse(query).flatMap(stores.jobs()::find);
            if (job.isPresent()) {
                return job(lang, job.get());
            }
        }
        Optional<Job> byTask = stores.jobs().findByTaskId(query);
        if (byTask.isPresent()) {
            return job(lang, byTask.get());
        }
        Optional<ManualTopUp> manual = query.matches("#\\d{1,18}")
                ? stores.manualTopUps().find(Long.parseLong(query.substring(1)))
                : stores.manualTopUps().findByReference(query);
        if (manual.isPresent()) {
            return manual(lang, manual.get());
        }
        Optional<UncreditedCharge> uncredited = stores.payments().uncredited(query);
        if (uncredited.isPresent()) {
            return uncredited(lang, uncredited.get());
        }
        Optional<StarsCharge> charge = stores.payments().charge(query)
                .or(() -> stores.payments().invoice(query).flatMap(Invoice::paidChargeId)
                        .flatMap(stores.payments()::charge));
        if (charge.isPresent()) {
            return charge(lang, charge.get());
        }
        List<String> external = external(lang, query);
        if (!external.isEmpty()) {
            return String.join("\n\n", external);
        }
        if (!query.isBlank() && !stores.audit().byCorrelation("pay:" + query).isEmpty()) {
            return auditedOnly(lang, query);
        }
        List<User> found = stores.users().search(query, USERS_LISTED);
        if (found.isEmpty()) {
            // «Пользователей: всего 2, показано 0:» and nothing after it read as a list lost: the text matched nothing
            return texts.get(lang, Msg.FIND_NOTHING, Snippet.of(asked.strip(), QUERY_SHOWN_MAX));
        }
        return users(lang, found);
    }

    /**
     * A Stars payment no store keeps, only its audit lines (a shop on {@code Payments.none()}: a payment not credited
     * there, or given up with no answer, {@link Inbox#GIVEN_UP_KEPT_NOWHERE}): the lines are all there is to give the
     * Stars back by hand from. Before, the search went on to the users and found nothing.
     */
    private String auditedOnly(String lang, String chargeId) {
        StringBuilder sb = new StringBuilder(texts.get(lang, Msg.FIND_PAYMENT_AUDITED_ONLY, chargeId));
        sb.append("\n").append(texts.get(lang, Msg.FIND_HISTORY));
        history(lang, sb, e -> paymentDetail(lang, e), Optional.empty(), "pay:" + chargeId);
        return sb.toString();
    }

    /**
     * The code a user was given when his message could not be handled: when, who, and where the reason is. The code of
     * an update given up with no answer ({@link Inbox#GIVEN_UP}: its apology could not be stored) says so, and for a
     * Stars payment its amount and charge id: taken from the user, credited nowhere and kept nowhere else.
     */
    private String failedUpdate(String lang, String code) {
        List<AuditEvent> events = stores.audit().byCorrelation(code);
        // given up is the last word on it: an apology's line before it is one whose transaction failed
        return events.stream().filter(e -> e.action().equals(Inbox.GIVEN_UP)).findFirst()
                .map(e -> givenUp(lang, code, e))
                .or(() -> events.stream().filter(e -> e.action().equals(Storefront.HANDLING_FAILED)).findFirst()
                        .map(e -> texts.get(lang, Msg.FIND_UPDATE_FAILED, code, when(e.at()), e.detail(),
                                recordedUser(lang, e.detail()))))
                .orElseGet(() -> texts.get(lang, Msg.FIND_UPDATE_NOT_FOUND, code, Upkeep.EVENT_RETENTION.toDays()));
    }

    /** An update given up with no answer, as {@link Inbox#GIVEN_UP} recorded it: «42», or «42 ch-1 50 XTR». */
    private String givenUp(String lang, String code, AuditEvent e) {
        String[] given = e.detail().split(" ");
        int n = given.length;
        if (n < 4 || !given[n - 2].matches("\\d{1,18}")) {
            return texts.get(lang, Msg.FIND_UPDATE_GIVEN_UP, code, when(e.at()), given[0],
                    recordedUser(lang, given[0]));
        }
        String charge = String.join(" ", Arrays.asList(given).subList(1, n - 2));
        return texts.get(lang, Msg.FIND_UPDATE_GIVEN_UP_PAYMENT, code, when(e.at()), given[0],
                Long.parseLong(given[n - 2]), charge, recordedUser(lang, given[0]));
    }

    /**
     * The user a failed update's record names by his id, named as /find and /topup_user name him («User42 (ID 42)»,
     * one the shop does not know «ID 77»): «пользователя 42» asked the admin to remember whose it was, and read as a
     * count. A record that is no id is said as recorded.
     */
    private String recordedUser(String lang, String recorded) {
        if (!recorded.matches("-?\\d{1,18}")) {
            return recorded;
        }
        return named(texts, stores, lang, Long.parseLong(recorded));
    }

    private String job(String lang, Job j) {
        StringBuilder sb = new StringBuilder(jobLine(lang, j));
        options(lang, j).ifPresent(o -> sb.append("\n").append(texts.get(lang, Msg.FIND_OPTIONS, o)));
        // a job not sent to Kie yet has no task: «задача Kie —» read as a task lost, or its number left unsaid
        sb.append("\n").append(j.taskId()
                .map(task -> texts.get(lang, Msg.FIND_JOB_DETAIL, when(j.createdAt()), when(j.deadline()), task))
                .orElseGet(() -> texts.get(lang, Msg.FIND_JOB_DETAIL_UNSENT, when(j.createdAt()),
                        when(j.deadline()))));
        // only a job that failed has a failure to name: «сбой: —» on a running one read as a failure left unsaid
        j.failure().filter(key -> j.state() == JobState.FAILED).ifPresent(key -> sb.append(" · ").append(
                texts.get(lang, Msg.FIND_JOB_FAILURE, FailureWords.of(texts, lang, key, j.failureKind()))));
        // a job not sent yet keeps what its deadline tells should no try succeed (Job.failsAtDeadlineWith): shown as
        // a failure, an admin took a job still being tried (and likely sent) for one that failed
        j.failure().filter(key -> j.state() != JobState.FAILED).ifPresent(key -> sb.append("\n")
                .append(texts.get(lang, Msg.FIND_JOB_FAILS_AT_DEADLINE, failureWords(lang, key))));
        sb.append("\n").append(texts.get(lang, Msg.FIND_LEDGER));
        String again = Generations.chargedAgainId(j.holdId());
        List<String> ids = new ArrayList<>(List.of(j.holdId(), Ledger.postId(j.holdId()), Ledger.voidId(j.holdId()),
                Ledger.expireId(j.holdId()), again, Ledger.postId(again), Ledger.refundId(j.holdId())));
        // what its refund sent back against Stars refunds' losses (the user has it in Stars): no line said it
        JobRefundParts.againstLoss(stores.ledger(), j.holdId()).stream()
                .map(Transfer::id).forEach(ids::add);
        // what its hold owed of Stars refunds reported while it ran: given to the Stars at its void, or lost at its
        // post; no line said where a failed job's money went
        for (String hold : List.of(j.holdId(), again)) {
            stores.payments().heldRefundsOnHold(hold).forEach(o -> {
                ids.addAll(HeldStarsRefunds.back(o.chargeId(), hold).ids());
                ids.add(HeldStarsRefunds.lossId(o.chargeId(), hold));
            });
        }
        ledgerLines(lang, sb, ids);
        sb.append("\n").append(texts.get(lang, Msg.FIND_HISTORY));
        history(lang, sb, e -> jobDetail(lang, j, e), Optional.of(j.userId()), j.id().display());
        sb.append("\n").append(texts.get(lang, Msg.FIND_CORRELATION, j.id().display()
                + j.taskId().map(t -> ", " + t).orElse("")));
        sb.append("\n").append(keys(lang, j));
        return sb.toString();
    }

    /**
     * The model's catalog id (what {@code /pause} takes). Its variant is said in words once, under the job's line
     * («Выбрано: …»): this line said it again once it stopped naming the catalog's key of the options. A variant the
     * catalog no longer has is named here by its key: nothing else is left of it.
     */
    private String keys(String lang, Job j) {
        boolean listed = catalog.model(j.modelId()).flatMap(m -> m.sku(j.skuId())).isPresent();
        if (!listed) {
            return texts.get(lang, Msg.FIND_KEYS_GONE, j.modelId(), j.skuId());
        }
        return texts.get(lang, Msg.FIND_KEYS, j.modelId());
    }

    /**
     * The options that set the job's price as the user saw them on the confirmation («Разрешение: 2K»); none for a
     * model of one price, or once the model or its SKU has left the catalog (the keys line then names the SKU by its
     * key).
     */
    private Optional<String> options(String lang, Job j) {
        Optional<Model> model = catalog.model(j.modelId());
        Optional<Sku> sku = model.flatMap(m -> m.sku(j.skuId()));
        if (sku.isEmpty() || sku.get().options().isEmpty()) {
            return Optional.empty();
        }
        List<String> chosen = new ArrayList<>();
        for (InputField f : model.get().fields()) {
            String value = sku.get().options().get(f.name());
            if (value != null) {
                chosen.add(texts.get(lang, Msg.JOB_QUOTED,
                        f.labels().label(lang) + ": " + OptionWords.inSummary(texts, lang, f, value)));
            }
        }
        return Optional.of(String.join(", ", chosen));
    }

    private String failureWords(String lang, String key) {
        return FailureWords.of(texts, lang, key);
    }

    private void ledgerLines(String lang, StringBuilder sb, List<String> ids) {
        boolean any = false;
        Map<String, String> named = new HashMap<>();
        for (String id : ids) {
            Optional<Transfer> t = stores.ledger().find(id);
            if (t.isPresent()) {
                any = true;
                sb.append("\n  ").append(transfers.line(lang, t.get(), named));
            }
        }
        if (!any) {
            sb.append(" —");
        }
    }

    /**
     * What an event recorded, in the admin's words where the bot wrote it in a form it reads back ({@link AuditNote}:
     * «1 result(s)», «gen_12 Created», «refunded 50 XTR, debited 5000 (Refunded[])»); an action of no such form keeps
     * what it recorded.
     */
    private String eventDetail(String lang, AuditEvent e) {
        return AuditNote.knows(e.action())
                ? AuditNote.words(texts, pricing, lang, e.action(), e.detail()).orElse("") : e.detail();
    }

    /**
     * The audit events of every correlation given, oldest first: when, who and what in words, then what the system
     * recorded with it (task ids, Kie's own message), said by {@code details}. An action without words yet shows its
     * code. The page's own user ({@code subject}), whose full id it shows above, is named by it in these lines too:
     * the trail records him masked, and «пользователь 42» above read as someone else than «пользователь ***42» below.
     */
    private void history(String lang, StringBuilder sb, Function<AuditEvent, String> details, Optional<Long> subject,
                         String... correlations) {
        List<AuditEvent> events = Arrays.stream(correlations)
                .flatMap(c -> stores.audit().byCorrelation(c).stream())
                .sorted(Comparator.comparing(AuditEvent::at)).toList();
        if (events.isEmpty()) {
            sb.append(" —");
        }
        // the page's own user named once for all his lines, as every admin screen names him
        Optional<Named> own = events.isEmpty() ? Optional.empty()
                : subject.map(id -> new Named(Actor.mask(id), named(texts, stores, lang, id)));
        for (AuditEvent e : events) {
            String detail = details.apply(e);
            sb.append("\n  ").append(when(e.at())).append(" · ").append(actorWords(lang, e.actor(), own))
                    .append(" · ")
                    .append(actionWords(e.action()).map(m -> texts.get(lang, m)).orElse(e.action()))
                    .append(detail.isBlank() ? "" : " — " + detail);
        }
    }

    /**
     * What a job's own audit events recorded, in the admin's words: the events keep it in English for the log
     * («price 5.46 ₽ model edit/pro sku resolution=2K», «task task-2», «error.provider_failed internal error»), and
     * /find showed that to a Russian admin. Said from the job where it holds the same facts: an event recorded before
     * (its price in kopecks, «price 546») reads as a new one. A failure and a task to reconcile are read back from
     * what was recorded ({@link JobNote}); Kie's own message is shown as Kie's.
     */
    private String jobDetail(String lang, Job j, AuditEvent e) {
        if (!j.free() && AuditNote.refundMade(e.action(), e.detail())) {
            // «деньги вернулись на баланс» of a refund the user has back in Stars, in part or whole, was false
            JobRefundParts parts = JobRefundParts.of(stores.ledger(), j.holdId(), j.userId());
            if (parts.inStars() > 0) {
                return texts.get(lang, Msg.FIND_EVENT_REFUND_IN_STARS, parts.toAdmin(texts, pricing, lang));
            }
        }
        return switch (e.action()) {
            case "gen.created" -> j.free() ? texts.get(lang, Msg.FIND_CREATED_FREE, modelWords(lang, j))
                    : texts.get(lang, Msg.FIND_CREATED_PAID, pricing.format(j.price(), lang), modelWords(lang, j));
            case "gen.submitted" -> j.taskId().map(task -> texts.get(lang, Msg.FIND_SUBMITTED, task))
                    .orElse(e.detail());
            case "gen.failed" -> failed(lang, e.detail(), j.failureKind());
            case Generations.CHARGED_LESS -> chargedLess(lang, j, e);
            case "gen.reconcile", JobWorker.AWAITING_CALLBACK -> JobNote.reconcile(texts, lang, e.detail());
            case "gen.hold_rejected", "gen.post_rejected", "gen.delivered_unpaid" ->
                    LedgerRefusals.words(texts, lang, e.detail());
            // of a job delivered unpaid, or a free one, «деньги не возвращены» read as if it had been charged
            case "gen.result_gone", Generations.RESULT_NOT_SENT -> (j.free() || Generations.deliveredUnpaid(
                    stores.ledger(), j) ? AuditNote.unpaidWords(texts, lang, e.action(), e.detail(), j.free())
                    : Optional.<String>empty())
                    .orElseGet(() -> eventDetail(lang, e));
            default -> eventDetail(lang, e);
        };
    }

    /**
     * The model as the user saw it: «Редактор», not «edit/pro». The options he chose are said once, on the page's
     * «Выбрано: …» line: the creation's history line said them again. A model gone from the catalog is named by its
     * ids: nothing else is left of it.
     */
    private String modelWords(String lang, Job j) {
        return catalog.model(j.modelId()).map(m -> m.title(lang))
                .orElseGet(() -> texts.get(lang, Msg.FIND_MODEL_GONE, j.modelId(), j.skuId()));
    }

    /** A result charged less than the job's price: the amount posted and the amount given back. */
    private String chargedLess(String lang, Job j, AuditEvent e) {
        try {
            long charged = Long.parseLong(e.detail().strip());
            return texts.get(lang, Msg.FIND_CHARGED_LESS, pricing.format(charged, lang),
                    pricing.format(Math.max(0, j.price() - charged), lang));
        } catch (NumberFormatException notAnAmount) {
            return eventDetail(lang, e);
        }
    }

    /**
     * A failure as recorded, «error.provider_failed internal error»: its reason in words (by the provider's kind of
     * error, kept with the job, when it has one: {@link FailureWords#of(Texts, String, String, Optional)}), then what
     * came with it. A task Kie lost is said by its note alone: the kind («Kie не знает такой задачи») said the note's
     * fact («Kie не нашёл задачу») once more before it.
     */
    private String failed(String lang, String recorded, Optional<ErrorKind> kind) {
        int space = recorded.indexOf(' ');
        String key = space < 0 ? recorded : recorded.substring(0, space);
        String note = space < 0 ? "" : recorded.substring(space + 1).strip();
        if (kind.filter(ErrorKind.NOT_FOUND::equals).isPresent() && JobNote.KIE_LOST.wrote(note)) {
            return JobNote.failure(texts, lang, note);
        }
        return FailureWords.of(texts, lang, key, kind)
                + (note.isEmpty() ? "" : "; " + JobNote.failure(texts, lang, note));
    }

    /**
     * What a Stars payment's events recorded: a payment not credited says why in the admin's words
     * («no invoice with this payload; update 7» as recorded). Other events are read back as {@link #eventDetail}.
     */
    private String paymentDetail(String lang, AuditEvent e) {
        if (!e.action().equals(TopUps.ANOMALY)) {
            return eventDetail(lang, e);
        }
        return TopUps.ANOMALY_NOTE.read(e.detail())
                .map(v -> texts.get(lang, Msg.FIND_ANOMALY, UncreditedReason.Said.words(texts, lang, v.get(0)), v.get(1)))
                .orElseGet(() -> UncreditedReason.Said.words(texts, lang, e.detail()));
    }

    /** The page's own user as the trail records him (his masked id) and as the admin reads him. */
    private record Named(String recorded, String words) {
    }

    /**
     * «пользователь User42 (ID 42)» (the page's own user, recorded as his masked id, named as every admin screen names
     * him: the bare id read as someone else than the named user above), «пользователь ***42» (another), «администратор
     * Admin (ID 5550001)» (one of the shop's admins, recorded masked too), «бот»: a user's id not the page's stays
     * masked, as it was recorded.
     */
    private String actorWords(String lang, String actor, Optional<Named> subject) {
        if ("system".equals(actor)) {
            return texts.get(lang, Msg.FIND_ACTOR_SYSTEM);
        }
        if (actor.startsWith("admin:")) {
            return texts.get(lang, Msg.FIND_ACTOR_ADMIN, admin(lang, actor.substring("admin:".length())));
        }
        return texts.get(lang, Msg.FIND_ACTOR_USER, subject.filter(own -> own.recorded().equals(actor))
                .map(Named::words).orElse(actor));
    }

    /**
     * The admin the trail names by his masked id ({@code ***0001}), named as every admin screen names a person
     * ({@link #named}: «User1 (ID 1)»): the mask is for the log, and «администратор 1» under «User1 (ID 1)» read as
     * two people. The admins are the shop's own, so the one whose id it masks is known; an admin no longer among
     * them, or two sharing those digits, stay as recorded rather than be named wrong.
     */
    private String admin(String lang, String recorded) {
        List<Long> admins = settings.adminIds().stream().filter(id -> Actor.mask(id).equals(recorded)).toList();
        return admins.size() == 1 ? named(texts, stores, lang, admins.get(0)) : recorded;
    }

    /** What an audit action means, for the actions /find shows. */
    static Optional<Msg> actionWords(String action) {
        return Optional.ofNullable(switch (action) {
            case "gen.created" -> Msg.AUDIT_GEN_CREATED;
            case "gen.hold_rejected" -> Msg.AUDIT_GEN_HOLD_REJECTED;
            case "gen.post_rejected" -> Msg.AUDIT_GEN_POST_REJECTED;
            case "gen.submitted" -> Msg.AUDIT_GEN_SUBMITTED;
            case "gen.succeeded" -> Msg.AUDIT_GEN_SUCCEEDED;
            case "gen.charged_again" -> Msg.AUDIT_GEN_CHARGED_AGAIN;
            case Generations.CHARGED_LESS -> Msg.AUDIT_GEN_CHARGED_LESS;
            case "gen.delivered_unpaid" -> Msg.AUDIT_GEN_DELIVERED_UNPAID;
            case ResultDelivery.DELIVERED_LATE -> Msg.AUDIT_GEN_DELIVERED_LATE;
            case "gen.overcharged" -> Msg.AUDIT_GEN_OVERCHARGED;
            case "gen.delivered" -> Msg.AUDIT_GEN_DELIVERED;
            case "gen.result_gone" -> Msg.AUDIT_GEN_RESULT_GONE;
            case Generations.RESULT_NOT_SENT -> Msg.AUDIT_GEN_RESULT_NOT_SENT;
            case "gen.failed" -> Msg.AUDIT_GEN_FAILED;
            case "gen.reconcile" -> Msg.AUDIT_GEN_RECONCILE;
            case JobWorker.AWAITING_CALLBACK -> Msg.AUDIT_GEN_AWAITING_CALLBACK;
            case JobWorker.SENT_UNNAMED -> Msg.AUDIT_GEN_SENT_UNNAMED;
            case "refund.admin" -> Msg.AUDIT_REFUND_ADMIN;
            case "manual.requested" -> Msg.AUDIT_MANUAL_REQUESTED;
            case "manual.claimed_paid" -> Msg.AUDIT_MANUAL_CLAIMED_PAID;
            case "manual.receipt" -> Msg.AUDIT_MANUAL_RECEIPT;
            case "manual.approved" -> Msg.AUDIT_MANUAL_APPROVED;
            case "manual.declined" -> Msg.AUDIT_MANUAL_DECLINED;
            case "manual.expired" -> Msg.AUDIT_MANUAL_EXPIRED;
            case "topup.stars" -> Msg.AUDIT_TOPUP_STARS;
            case StarsReconciliation.CREDITED_BY_PACK -> Msg.AUDIT_TOPUP_STARS_BY_PACK;
            case "topup.manual" -> Msg.AUDIT_TOPUP_MANUAL;
            case ExternalTopUps.CREDITED -> Msg.AUDIT_TOPUP_EXTERNAL;
            case Referrals.CREDITED -> Msg.AUDIT_REFERRAL_CREDITED;
            case Referrals.REVERSED -> Msg.AUDIT_REFERRAL_REVERSED;
            case ExternalTopUps.UNKNOWN_USER -> Msg.AUDIT_TOPUP_EXTERNAL_UNKNOWN_USER;
            case ExternalTopUps.CONFLICT -> Msg.AUDIT_TOPUP_EXTERNAL_CONFLICT;
            case ExternalTopUps.REFUNDED -> Msg.AUDIT_TOPUP_EXTERNAL_REFUND;
            case ExternalTopUps.REFUND_UNKNOWN -> Msg.AUDIT_TOPUP_EXTERNAL_REFUND_UNKNOWN;
            case ExternalTopUps.REFUND_OTHER_USER -> Msg.AUDIT_TOPUP_EXTERNAL_REFUND_OTHER_USER;
            case ExternalTopUps.WRONG_CURRENCY -> Msg.AUDIT_TOPUP_EXTERNAL_WRONG_CURRENCY;
            case ExternalTopUps.REFUND_WRONG_CURRENCY -> Msg.AUDIT_TOPUP_EXTERNAL_REFUND_WRONG_CURRENCY;
            case TopUps.ANOMALY -> Msg.AUDIT_PAYMENT_ANOMALY;
            case Inbox.GIVEN_UP_KEPT_NOWHERE -> Msg.AUDIT_PAYMENT_KEPT_NOWHERE;
            case "refund.stars" -> Msg.AUDIT_REFUND_STARS;
            case "refund.stars_refused" -> Msg.AUDIT_REFUND_STARS_REFUSED;
            case "refund.stars_reported" -> Msg.AUDIT_REFUND_STARS_REPORTED;
            case "refund.stars_not_asked" -> Msg.AUDIT_REFUND_STARS_NOT_ASKED;
            case "refund.stars_failed" -> Msg.AUDIT_REFUND_STARS_FAILED;
            case "refund.stars_hold_lost" -> Msg.AUDIT_REFUND_STARS_HOLD_LOST;
            case "refund.stars_uncredited" -> Msg.AUDIT_REFUND_STARS_UNCREDITED;
            case "refund.stars_unknown" -> Msg.AUDIT_REFUND_STARS_UNKNOWN;
            case "refund.stars_unanswered" -> Msg.AUDIT_REFUND_STARS_UNANSWERED;
            case TopUps.LOSS_TOLD -> Msg.AUDIT_REFUND_STARS_LOSS;
            case "support.ticket" -> Msg.AUDIT_SUPPORT_TICKET;
            default -> null;
        });
    }

    String jobLine(String lang, Job j) {
        return jobLine(catalog, texts, pricing, stores.ledger(), lang, j, named(texts, stores, lang, j.userId()));
    }

    /**
     * A job as the admins see it in a list: its id, user by name and id («пользователь 42» asked the admin to look him up
     * with another /find before answering him), model by the name the user saw (its id once it has left the
     * catalog: support needs something to look for), state in words and what it cost him ({@link #moneyWords}).
     */
    static String jobLine(Catalog catalog, Texts texts, Pricing pricing, Ledger ledger, String lang, Job j,
                          String who) {
        String model = catalog.model(j.modelId()).map(m -> m.title(lang)).orElse(j.modelId());
        return texts.get(lang, Msg.ADMIN_JOB_LINE, j.id().display(), who, model,
                texts.get(lang, stateWords(j.state())), moneyWords(texts, pricing, ledger, lang, j));
    }

    /**
     * What a job cost its user, as his /history says it: what its charge took ({@link JobCharge}: a lesser result,
     * Veo's 720p when the 1080p paid for never came, is charged less than its price), «возвращено» with what came back
     * when it was refunded after its charge ({@link JobRefundParts}) or failed, «не списано» when the balance could not
     * pay for it, its price while it runs. The order's price on every line read as money taken: a lesser result's
     * 50,70 ₽ of 46,80 ₽ charged, a refunded one's as if kept.
     */
    static String moneyWords(Texts texts, Pricing pricing, Ledger ledger, String lang, Job j) {
        if (j.free()) {
            return texts.get(lang, Msg.ADMIN_FREE);
        }
        if (j.failure().filter(Msg.INSUFFICIENT_FUNDS.key()::equals).isPresent() && j.state() == JobState.FAILED) {
            return texts.get(lang, Msg.HISTORY_NOT_CHARGED); // the ledger refused its hold: nothing taken, nothing back
        }
        if (j.state() == JobState.FAILED) {
            return texts.get(lang, Msg.HISTORY_REFUNDED, pricing.format(j.price(), lang)); // its hold voided
        }
        if (j.state() != JobState.SUCCEEDED && j.state() != JobState.DELIVERED) {
            return pricing.format(j.price(), lang); // held while it runs
        }
        long charged = JobCharge.of(ledger, j);
        JobRefundParts back = JobRefundParts.of(ledger, j.holdId(), j.userId());
        return back.refunded() ? texts.get(lang, Msg.HISTORY_REFUNDED, pricing.format(back.total(), lang))
                : pricing.format(charged, lang);
    }

    /**
     * A job in a list of one user's (his /find page, his ticket): as {@link #jobLine} without the user, whom the page
     * names once above it («пользователь 42» on every line repeated it).
     */
    static String ownJobLine(Catalog catalog, Texts texts, Pricing pricing, Ledger ledger, String lang, Job j) {
        String model = catalog.model(j.modelId()).map(m -> m.title(lang)).orElse(j.modelId());
        return texts.get(lang, Msg.ADMIN_JOB_LINE_OF_USER, j.id().display(), model,
                texts.get(lang, stateWords(j.state())), moneyWords(texts, pricing, ledger, lang, j));
    }

    /** A job's state in the admin's words; exhaustive, so that a new state cannot reach an admin as its name. */
    static Msg stateWords(JobState state) {
        return switch (state) {
            case CREATED -> Msg.ADMIN_JOB_STATE_CREATED;
            case HELD -> Msg.ADMIN_JOB_STATE_HELD;
            case SUBMITTING -> Msg.ADMIN_JOB_STATE_SUBMITTING;
            case SUBMITTED -> Msg.ADMIN_JOB_STATE_SUBMITTED;
            case RUNNING -> Msg.ADMIN_JOB_STATE_RUNNING;
            case SUCCEEDED -> Msg.ADMIN_JOB_STATE_SUCCEEDED;
            case DELIVERED -> Msg.ADMIN_JOB_STATE_DELIVERED;
            case FAILED -> Msg.ADMIN_JOB_STATE_FAILED;
        };
    }

    /**
     * Who invited the user and whom he invited, with the bonuses that earned him: what an admin weighs before a
     * refund of the user's payment (a bonus his first top-up earned an inviter stays with the inviter).
     */
    private Optional<String> invitations(String lang, User u) {
        Optional<Long> inviter = stores.users().referrerOf(u.id());
        long invited = stores.users().countInvited(u.id());
        if (inviter.isEmpty() && invited == 0) {
            return Optional.empty();
        }
        // what the bonuses left him: those taken back (a friend refunded) count against them
        // added up by the store, not read: the wallet's whole history (the ledger is never purged)
        long earned = stores.ledger().postedNet(AccountId.wallet(u.id()),
                Set.of(TransferKind.REFERRAL_BONUS, TransferKind.REFERRAL_REVERSAL));
        List<String> parts = new ArrayList<>();
        inviter.ifPresent(id -> parts.add(texts.get(lang, Msg.FIND_INVITED_BY, byId(texts, lang, id),
                stores.ledger().find(Referrals.transferId(u.id())).map(t -> texts.get(lang, Msg.FIND_INVITER_PAID,
                        pricing.format(t.amount(), lang))).orElse(""))));
        if (invited > 0) {
            parts.add(texts.get(lang, Msg.FIND_INVITED, invited, pricing.format(earned, lang)));
        }
        return Optional.of(String.join(" · ", parts));
    }

    /**
     * The invitation bonuses taken back that concern the user, newest first, at most {@link #SHOWN}: from his wallet
     * (friends he invited), and his inviter's for him. Each says when, for which friend, from which inviter, how much
     * and why, as its audit line says: the friend's payment refunded, or an admin's {@code /debit_user} of the friend
     * (a line purged, why is left unsaid). The page said only what the bonuses left the inviter, and nothing on the
     * friend's: an admin weighing a refund or a debit of either could not see that one had taken a bonus back. Among
     * the newest transfers of the inviter's wallet ({@link #REVERSALS_LOOKED_AT}), as a user's online payments are.
     */
    private List<String> bonusesTakenBack(String lang, User u) {
        List<String> lines = new ArrayList<>();
        List<Long> inviters = new ArrayList<>(List.of(u.id()));
        stores.users().referrerOf(u.id()).ifPresent(inviters::add);
        for (long inviter : inviters) {
            AccountId wallet = AccountId.wallet(inviter);
            for (Transfer t : stores.ledger().recent(wallet, REVERSALS_LOOKED_AT)) {
                Optional<Long> friend = t.kind() == TransferKind.REFERRAL_REVERSAL && wallet.equals(t.debit())
                        ? Referrals.friendOfReversal(t.id()) : Optional.empty();
                if (friend.isPresent() && (inviter == u.id() || friend.get() == u.id()) && lines.size() < SHOWN) {
                    lines.add(bonusTakenBack(lang, t, friend.get(), inviter));
                }
            }
        }
        return lines;
    }

    /** A bonus taken back ({@code t}), and why, by its audit line (under its first try's id, as it was taken). */
    private String bonusTakenBack(String lang, Transfer t, long friend, long inviter) {
        Optional<String> recorded = stores.audit().byCorrelation(TakeBack.baseOf(t.id())).stream()
                .filter(e -> e.action().equals(Referrals.REVERSED)).map(AuditEvent::detail).findFirst();
        Msg why = recorded.filter(AuditNote.REFERRAL_DEBITED::reads).isPresent() ? Msg.FIND_REFERRAL_BACK_DEBIT
                : recorded.filter(AuditNote.REFERRAL_REVERSED::reads).isPresent() ? byRefund(t, friend)
                : Msg.FIND_REFERRAL_BACK;
        return texts.get(lang, why, when(t.createdAt()), byId(texts, lang, friend), byId(texts, lang, inviter),
                pricing.format(t.amount(), lang));
    }

    /**
     * Why a bonus whose audit line says the friend was refunded was taken back ({@code t}), by what had taken money of
     * the friend's by then: before the debit's own line (AuditNote.REFERRAL_DEBITED), an admin's {@code /debit_user}
     * was recorded so too, and read «другу вернули оплату», nothing having been refunded. A refund of part of his
     * payment took its part under its own id: a refund's. Refunds only: a refund; debits only: a debit; both, or
     * neither: why is left unsaid, as the line could be either.
     */
    private Msg byRefund(Transfer t, long friend) {
        if (t.id().contains(Referrals.PART)) {
            return Msg.FIND_REFERRAL_BACK_REFUND;
        }
        // asked of the ledger, not read from the friend's whole history on every such line (never purged)
        Set<TransferKind> taken = stores.ledger().postedDebitKinds(AccountId.wallet(friend), Set.of(
                TransferKind.STARS_REFUND, TransferKind.EXTERNAL_REFUND, TransferKind.DEBIT_MANUAL), t.createdAt());
        boolean refunded = taken.contains(TransferKind.STARS_REFUND) || taken.contains(TransferKind.EXTERNAL_REFUND);
        boolean debited = taken.contains(TransferKind.DEBIT_MANUAL);
        return refunded == debited ? Msg.FIND_REFERRAL_BACK
                : refunded ? Msg.FIND_REFERRAL_BACK_REFUND : Msg.FIND_REFERRAL_BACK_DEBIT;
    }

    /**
     * « · @name» after a user's name when he has a username; nothing when not: a bare «-» in its place read as a
     * username or a missing field. The lists of users and an admin's credit or debit name users alike.
     */
    static String handle(User u) {
        return u.username().map(n -> " · @" + n).orElse("");
    }

    /**
     * The user as the admins' confirmations name him, his name before his id («User42 · @fox (ID 42)»): the id alone
     * asked the admin to remember whose it was. «ID 42» for one the shop does not know: a bare number in a sentence
     * («пользователь 42») read as a count. A user without a name (one the reconciliation created for a payment) is
     * named as one the shop does not know, or by his @name: an empty name left «пользователь  (ID 77)».
     */
    static String named(Texts texts, Stores stores, String lang, long userId) {
        return named(texts, lang, stores.users().find(userId), userId);
    }

    /** As {@link #named(Texts, Stores, String, long)}, of a user read once for every admin's language. */
    static String named(Texts texts, String lang, Optional<User> user, long userId) {
        return user.map(u -> named(texts, lang, u)).orElseGet(() -> byId(texts, lang, userId));
    }

    /**
     * A user by his id alone, «ID 42», where his name is not at hand (the inviter and the friend of /find's invitation
     * lines, a friend in a bonus's ledger line): reading it would cost a query per line, and the bare «42» those lines
     * said read as a count.
     */
    static String byId(Texts texts, String lang, long userId) {
        return texts.get(lang, Msg.ADMIN_MONEY_WHO_UNKNOWN, Texts.id(userId));
    }

    private static String named(Texts texts, String lang, User u) {
        if (!u.firstName().isBlank()) {
            return texts.get(lang, Msg.ADMIN_MONEY_WHO, Texts.id(u.id()), u.firstName(), handle(u));
        }
        return u.username().map(n -> texts.get(lang, Msg.ADMIN_MONEY_WHO, Texts.id(u.id()), "@" + n, ""))
                .orElseGet(() -> byId(texts, lang, u.id()));
    }

    private String userLine(String lang, User u) {
        Balance b = stores.ledger().balance(AccountId.wallet(u.id()));
        UserActivity a = stores.figures().activity(u.id());
        return texts.get(lang, Msg.ADMIN_USER_LINE, Texts.id(u.id()), u.firstName(), handle(u),
                pricing.format(b.available(), lang)) + "\n   " + texts.get(lang, Msg.ADMIN_USER_ACTIVITY,
                pricing.format(b.debitsPending(), lang), pricing.format(a.spent(), lang),
                a.lastSeen().map(this::minute).orElse("—"), minute(u.createdAt()))
                + u.ban().map(ban -> "\n   " + texts.get(lang, Msg.ADMIN_USER_BANNED, minute(ban.since()),
                        ban.reason().map(r -> texts.get(lang, Msg.ADMIN_BAN_REASON, r)).orElse(""))).orElse("");
    }

    private String user(String lang, User u) {
        StringBuilder sb = new StringBuilder(userLine(lang, u));
        invitations(lang, u).ifPresent(line -> sb.append("\n   ").append(line));
        for (String line : bonusesTakenBack(lang, u)) {
            sb.append("\n   ").append(line);
        }
        List<String> jobs = new ArrayList<>();
        for (Job j : stores.jobs().recent(u.id(), SHOWN)) {
            jobs.add(ownJobLine(catalog, texts, pricing, stores.ledger(), lang, j));
        }
        section(lang, sb, Msg.TICKET_GENERATIONS, jobs);
        List<String> payments = new ArrayList<>();
        for (StarsRefundDesk.Listed p : refunds.payments(lang, u.id(), SHOWN)) {
            payments.add(p.line()); // those that credited nothing too
        }
        for (ManualTopUp m : stores.manualTopUps().recent(u.id(), SHOWN)) {
            payments.add(manualLine(lang, m));
        }
        Map<String, String> named = new HashMap<>();
        for (Transfer t : PaySupport.onlinePayments(stores, u.id())) {
            payments.add(transfers.line(lang, t, named)); // a partner's own provider's payments and refunds
        }
        section(lang, sb, Msg.TICKET_PAYMENTS, payments);
        List<String> tickets = new ArrayList<>();
        for (SupportTicket t : stores.supportTickets().recent(u.id(), SHOWN)) {
            tickets.add(support.line(lang, t, Optional.of(u)));
        }
        section(lang, sb, Msg.TICKET_SECTION, tickets);
        return sb.toString();
    }

    /**
     * A section of a user's page: its title and its lines, or «—» after the title when it has none, as the history
     * and the ledger say it: a bare «Обращения:» closing the page read as if its lines had been lost.
     */
    private void section(String lang, StringBuilder sb, Msg title, List<String> lines) {
        sb.append("\n").append(texts.get(lang, title));
        if (lines.isEmpty()) {
            sb.append(" —");
        }
        for (String line : lines) {
            sb.append("\n  ").append(line);
        }
    }

    private boolean refunded(StarsCharge c) {
        return StarsRefundAttempts.of(stores, c.chargeId()) instanceof StarsRefundAttempts.Status.Refunded;
    }

    private String manualLine(String lang, ManualTopUp m) {
        return texts.get(lang, Msg.TICKET_MANUAL_LINE, Texts.numbered(lang, m.id()), pricing.format(m.amount(), lang), m.reference(),
                texts.get(lang, ManualTopUpDesk.words(m.state())));
    }

    private String manual(String lang, ManualTopUp m) {
        StringBuilder sb = new StringBuilder(manualLine(lang, m));
        sb.append("\n").append(texts.get(lang, Msg.FIND_MANUAL_DETAIL, named(texts, stores, lang, m.userId()),
                when(m.createdAt()),
                when(m.expiresAt()), m.receipt().isPresent() ? "🧾" : "—", decision(lang, m)));
        sb.append("\n").append(texts.get(lang, Msg.FIND_LEDGER));
        ledgerLines(lang, sb, List.of(m.creditId()));
        sb.append("\n").append(texts.get(lang, Msg.FIND_HISTORY));
        history(lang, sb, e -> eventDetail(lang, e), Optional.of(m.userId()), "manual" + m.display());
        return sb.toString();
    }

    /**
     * Who decided the request and when; an open one has no decision yet, and one that expired was closed with none
     * (a time, no admin). It read «решение: —, —» for an open request, as if a decision had been lost. The admin is
     * named as the page's other lines name a user ({@link #named}): his bare id asked the reader whose it was.
     */
    private String decision(String lang, ManualTopUp m) {
        if (m.decidedAt().isEmpty()) {
            return texts.get(lang, Msg.FIND_MANUAL_UNDECIDED);
        }
        String at = when(m.decidedAt().get());
        return m.decidedBy()
                .map(admin -> texts.get(lang, Msg.FIND_MANUAL_DECIDED, named(texts, stores, lang, admin), at))
                .orElseGet(() -> texts.get(lang, Msg.FIND_MANUAL_CLOSED, at));
    }

    private String charge(String lang, StarsCharge c) {
        StringBuilder sb = new StringBuilder(refunds.chargeLine(lang, c, refunded(c)));
        sb.append("\n").append(texts.get(lang, Msg.FIND_CHARGE_DETAIL, named(texts, stores, lang, c.userId()),
                c.payload()));
        sb.append("\n").append(texts.get(lang, Msg.FIND_LEDGER));
        List<String> ids = new ArrayList<>(List.of(TopUps.creditId(c.chargeId())));
        ids.addAll(StarsRefundAttempts.reported(c.chargeId()).ids());
        ids.add(StarsRefundAttempts.lossId(c.chargeId()));
        // what each hold that ran at the report gave to the Stars or kept as the shop's loss, once it was resolved
        stores.payments().heldRefundsOfCharge(c.chargeId()).stream().map(HeldStarsRefund::holdId).distinct()
                .forEach(hold -> {
                    ids.addAll(HeldStarsRefunds.back(c.chargeId(), hold).ids());
                    ids.add(HeldStarsRefunds.lossId(c.chargeId(), hold));
                });
        for (int n = 1; n <= StarsRefundAttempts.ATTEMPTS_MAX; n++) {
            String hold = StarsRefundAttempts.holdId(c.chargeId(), n);
            ids.addAll(List.of(hold, Ledger.postId(hold), Ledger.voidId(hold), Ledger.expireId(hold)));
        }
        ledgerLines(lang, sb, ids);
        sb.append("\n").append(texts.get(lang, Msg.FIND_HISTORY));
        history(lang, sb, e -> paymentDetail(lang, e), Optional.of(c.userId()), c.chargeId());
        return sb.toString();
    }

    /** A Stars payment that credited nothing: who paid, for what, why it was not credited, and what followed. */
    private String uncredited(String lang, UncreditedCharge c) {
        StringBuilder sb = new StringBuilder(refunds.uncreditedLine(lang, c));
        sb.append("\n").append(texts.get(lang, Msg.FIND_UNCREDITED_DETAIL, named(texts, stores, lang, c.userId()),
                c.payload(),
                UncreditedReason.Said.words(texts, lang, c.reason())));
        sb.append("\n").append(texts.get(lang, Msg.FIND_HISTORY));
        // the anomaly's audit, then the refund's
        history(lang, sb, e -> paymentDetail(lang, e), Optional.of(c.userId()), "pay:" + c.chargeId(),
                c.chargeId());
        return sb.toString();
    }

    /**
     * A partner's payments with this payment id, one per provider that has it (an id is its provider's only: two may
     * share one), credited or only audited (refused). The user's statement shows the id without its provider, so the
     * id is looked up under each provider of the newest external transfers: a read of those and two exact look-ups a
     * provider, never a scan of every payment, on the path every search of a user by name takes too.
     */
    private List<String> external(String lang, String paymentId) {
        Set<String> providers = new TreeSet<>();
        for (Transfer t : stores.ledger().recent(AccountId.EXTERNAL_CLEARING, PROVIDERS_FROM)) {
            // external:<provider>:<payment> or external-refund:<provider>:<payment>: a provider has no ':'
            String[] parts = t.id().split(":", 3);
            if (parts.length == 3) {
                providers.add(parts[1]);
            }
        }
        List<String> found = new ArrayList<>();
        for (String provider : providers) {
            String creditId = ExternalPayment.creditId(provider, paymentId);
            Optional<Transfer> credit = stores.ledger().find(creditId);
            if (credit.isPresent() || !stores.audit().byCorrelation(creditId).isEmpty()) {
                found.add(external(lang, provider, paymentId, credit));
            }
        }
        return found;
    }

    /** The payment in words, its credit and refund in the ledger, and every report of it in the audit trail. */
    private String external(String lang, String provider, String paymentId, Optional<Transfer> credit) {
        StringBuilder sb = new StringBuilder(credit.map(t -> texts.get(lang, Msg.FIND_EXTERNAL, paymentId, provider,
                        pricing.format(t.amount(), lang), t.credit().walletOwner().flatMap(TypedUserId::read)
                                .map(id -> named(texts, stores, lang, id)).orElse(t.credit().value())))
                .orElseGet(() -> texts.get(lang, Msg.FIND_EXTERNAL_UNCREDITED, paymentId, provider)));
        sb.append("\n").append(texts.get(lang, Msg.FIND_LEDGER));
        ledgerLines(lang, sb, List.of(ExternalPayment.creditId(provider, paymentId),
                ExternalRefund.refundId(provider, paymentId)));
        sb.append("\n").append(texts.get(lang, Msg.FIND_HISTORY));
        // its reports may name another user than the one credited (a conflict, a refund for another): each stays as
        // recorded
        history(lang, sb, e -> eventDetail(lang, e), Optional.empty(),
                ExternalPayment.creditId(provider, paymentId)); // the refund's lines are under it too
        return sb.toString();
    }

    /**
     * {@code /users [query]}: the newest matching users with balance, spending and last visit, the user whose id the
     * query writes ({@code 042}: user 42, as {@code /find} reads it) first. A text no user matches
     * is said to have found nobody, with what /users searches, as /find says it: «Пользователей: всего 2, показано 0:»
     * and nothing after it read as a list lost.
     */
    String users(String lang, String query) {
        List<User> found = byIdFirst(query, stores.users().search(query, USERS_LISTED));
        if (found.isEmpty() && !query.isBlank()) {
            return texts.get(lang, Msg.ADMIN_USERS_NOTHING, Snippet.of(query.strip(), QUERY_SHOWN_MAX));
        }
        return users(lang, found);
    }

    /**
     * The user whose id {@code query} writes, as {@code /find} reads it ({@link TypedUserId}: {@code 042} is 42), first,
     * then the others {@code found}: a store's search matches the id's digits as written, so {@code /users 042} found
     * nobody where {@code /find 042} found user 42.
     */
    private List<User> byIdFirst(String query, List<User> found) {
        Optional<User> named = TypedUserId.read(query.strip()).flatMap(stores.users()::find);
        if (named.isEmpty()) {
            return found;
        }
        List<User> listed = new java.util.ArrayList<>(List.of(named.get()));
        found.stream().filter(u -> u.id() != named.get().id()).limit(USERS_LISTED - 1L).forEach(listed::add);
        return listed;
    }

    private String users(String lang, List<User> found) {
        StringBuilder sb = new StringBuilder(texts.get(lang, Msg.ADMIN_USERS_TITLE,
                Plural.number(lang, stores.users().count()), found.size()));
        for (User u : found) {
            sb.append("\n").append(userLine(lang, u));
        }
        return sb.toString();
    }
}
