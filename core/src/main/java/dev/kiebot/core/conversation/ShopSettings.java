package dev.kiebot.core.conversation;

import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.intake.AdmissionPolicy;
import java.time.Duration;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Operator settings the conversation and storefront follow.
 *
 * @param adminIds      user ids (on Telegram: Telegram user ids) allowed to run admin commands (ADMIN_IDS)
 * @param support       where users get help (SUPPORT_TELEGRAM, e.g. {@code @helpdesk}); none by default, as any
 *                      account named here would be somebody's: /support and /help then send users to /paysupport,
 *                      whose messages reach the admins
 * @param supportText   optional extra support text (SUPPORT_TEXT)
 * @param welcomeBonus  minor units credited once to a new user (WELCOME_BALANCE_RUB)
 * @param starsPackages Stars amounts offered by /topup; empty: no Stars top-ups ({@link #withoutStars()}, a platform
 *                      without Telegram Stars)
 * @param starPrice     minor units credited per Star
 * @param zone          where a "day" of the free allowance starts and ends
 * @param deadlines     how long a job of each category may take before it fails and refunds
 * @param admission     the per-user inbound limit and repeated-press window (admins are never limited)
 * @param referral      what an inviter gets for a friend's first paid top-up ({@link ReferralBonus#none()}: no
 *                      invitations)
 */
public record ShopSettings(Set<Long> adminIds, Optional<String> support, Optional<String> supportText,
                           long welcomeBonus, List<Long> starsPackages, long starPrice, ZoneId zone,
                           Map<Category, Duration> deadlines, AdmissionPolicy admission, ReferralBonus referral) {
    /** Models listed on one page of a category. */
    public static final int PAGE_SIZE = 8;
    /** The ledger hold outlives the job deadline so the worker, not the sweeper, normally voids it. */
    public static final Duration HOLD_MARGIN = Duration.ofMinutes(10);

    /**
     * Checks every value, naming each wrong one and the {@code with} method that sets it.
     *
     * @param adminIds      never null ({@code Set.of()} for none); each more than 0 (a user's id); copied, in the
     *                      order given (admins are listed and alerted in it)
     * @param support       never null; a contact that names somebody, or empty
     * @param supportText   never null; empty for none
     * @param welcomeBonus  0 (none) or more minor units
     * @param starsPackages never null; each more than 0 Stars; empty for no Stars top-ups
     * @param starPrice     more than 0 minor units
     * @param zone          never null
     * @param deadlines     never null; each positive; a category left out gets 30 minutes
     * @param admission     never null
     * @param referral      never null: {@link ReferralBonus#none()} for no invitations
     * @throws NullPointerException     naming the value left null
     * @throws IllegalArgumentException naming every value out of its range
     */
    public ShopSettings {
        java.util.Objects.requireNonNull(adminIds, "adminIds: Set.of() for none, or withAdmins(ids)");
        java.util.Objects.requireNonNull(starsPackages, "starsPackages: e.g. withStars(List.of(50L, 100L), 150)");
        java.util.Objects.requireNonNull(deadlines, "deadlines: e.g. ShopSettings.defaults().deadlines()");
        // insertion order kept: admins are listed and alerted in the order the operator wrote them
        adminIds = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(adminIds));
        starsPackages = List.copyOf(starsPackages);
        deadlines = Map.copyOf(deadlines);
        java.util.Objects.requireNonNull(support, "support: Optional.empty() for none, or withSupport(contact, text)");
        java.util.Objects.requireNonNull(supportText, "supportText: Optional.empty() for none");
        java.util.Objects.requireNonNull(zone, "zone: e.g. withZone(ZoneId.of(\"Europe/Moscow\"))");
        java.util.Objects.requireNonNull(admission, "admission: e.g. AdmissionPolicy.defaults()");
        java.util.Objects.requireNonNull(referral, "referral: ReferralBonus.none() for no invitations");
        List<String> wrong = new java.util.ArrayList<>();
        List<Long> noUsers = adminIds.stream().filter(id -> id == null || id <= 0).toList();
        if (!noUsers.isEmpty()) {
            // no user has such an id (Telegram's and Discord's are positive; a group's chat id is negative and no
            // user): the operator believing himself an admin gets no alert, no ticket and a refused /admin
            wrong.add("an admin's id must be a user's id, more than 0 (on Telegram his user id, which /admin sent "
                    + "to the bot by anybody not an admin answers with), was " + noUsers
                    + ": set them with withAdmins(ids)");
        }
        if (welcomeBonus < 0) {
            wrong.add("the welcome bonus must be 0 (none) or more minor units, was " + welcomeBonus
                    + ": set it with withWelcomeBonus");
        }
        if (starPrice <= 0) {
            wrong.add("one Star must credit more than 0 minor units, was " + starPrice
                    + ": set it with withStars(packages, minorUnitsPerStar)");
        }
        if (starsPackages.stream().anyMatch(p -> p <= 0)) {
            wrong.add("each Stars package of /topup must be of more than 0 Stars, was " + starsPackages
                    + ": set them with withStars(packages, minorUnitsPerStar), or withoutStars() for none");
        }
        // a deadline of zero or less fails (and refunds) every job of its category before it is sent: a shop that
        // sells nothing there, with no error anywhere
        deadlines.forEach((category, deadline) -> {
            if (deadline.isNegative() || deadline.isZero()) {
                wrong.add("a job's deadline must be positive, was " + deadline + " for " + category
                        + ": set it with withDeadline(category, deadline)");
            }
        });
        if (support.isPresent() && support.get().isBlank()) {
            // "write to " and nothing: /support and /help would send users to nobody instead of /paysupport
            wrong.add("the support contact must name somebody (e.g. @helpdesk), was blank: set it with "
                    + "withSupport(contact, text), or leave it out (Optional.empty()) to send users to /paysupport");
        }
        if (!wrong.isEmpty()) {
            throw new IllegalArgumentException("ShopSettings: " + String.join("; ", wrong));
        }
    }

    /**
     * The settings of a shop without invitations (the constructor of versions before {@link ReferralBonus}).
     *
     * @param adminIds      user ids allowed the admin commands
     * @param support       a support contact, or empty
     * @param supportText   an extra support line, or empty
     * @param welcomeBonus  minor units credited once to a new user
     * @param starsPackages Stars amounts {@code /topup} offers
     * @param starPrice     minor units credited per Star
     * @param zone          the shop's day
     * @param deadlines     how long a job of each category may take
     * @param admission     the per-user inbound limit
     */
    public ShopSettings(Set<Long> adminIds, Optional<String> support, Optional<String> supportText, long welcomeBonus,
                        List<Long> starsPackages, long starPrice, ZoneId zone, Map<Category, Duration> deadlines,
                        AdmissionPolicy admission) {
        this(adminIds, support, supportText, welcomeBonus, starsPackages, starPrice, zone, deadlines, admission,
                ReferralBonus.none());
    }

    /**
     * kiebot's settings: no admins and no support contact, no welcome bonus, Stars packs of 50-1000 at 150 minor
     * units a Star (1.50 RUB: a shop in another currency sets its own with {@link #withStars}, and
     * {@code Shop.Builder.build} refuses these in another), days in Moscow time, images failing after 10 minutes and
     * other jobs after 30, {@link AdmissionPolicy#defaults()}. Start from these and change what differs.
     *
     * @return kiebot's settings, no invitations
     */
    public static ShopSettings defaults() {
        Map<Category, Duration> d = new EnumMap<>(Category.class);
        d.put(Category.IMAGE, Duration.ofMinutes(10));
        d.put(Category.VIDEO, Duration.ofMinutes(30));
        d.put(Category.AUDIO, Duration.ofMinutes(30));
        d.put(Category.MUSIC, Duration.ofMinutes(30));
        return new ShopSettings(Set.of(), Optional.empty(), Optional.empty(), 0, List.of(50L, 100L, 250L, 500L, 1000L),
                150, ZoneId.of("Europe/Moscow"), d, AdmissionPolicy.defaults());
    }

    /**
     * How long a job of this category may take before it fails and is refunded.
     *
     * @param c the model's category
     * @return its deadline; 30 minutes for a category without one
     */
    public Duration deadline(Category c) {
        return deadlines.getOrDefault(c, Duration.ofMinutes(30));
    }

    /**
     * These settings with these admins.
     *
     * @param ids the user ids allowed the admin commands and buttons, and told of payments and alerts; each more
     *            than 0
     * @return new settings; these are unchanged
     * @throws IllegalArgumentException naming the ids of 0 or less, which are no user's
     */
    public ShopSettings withAdmins(Set<Long> ids) {
        return new ShopSettings(ids, support, supportText, welcomeBonus, starsPackages, starPrice, zone, deadlines,
                admission, referral);
    }

    /**
     * These settings with a support contact, which {@code /support} and {@code /help} name; without one they send
     * users to {@code /paysupport}, whose messages reach the admins.
     *
     * @param contact where users get help, e.g. {@code @helpdesk}
     * @param text    an extra line under it, if any
     * @return new settings; these are unchanged
     * @throws IllegalArgumentException for a blank contact
     */
    public ShopSettings withSupport(String contact, Optional<String> text) {
        java.util.Objects.requireNonNull(contact, "withSupport: a contact such as @helpdesk; leave the call out for "
                + "none (users are sent to /paysupport)");
        return new ShopSettings(adminIds, Optional.of(contact), text, welcomeBonus, starsPackages, starPrice, zone,
                deadlines, admission, referral);
    }

    /**
     * These settings with a welcome bonus. Each new account gets it, and accounts cost nothing to make: cap how many a
     * day with {@code Shop.Builder.welcomeDailyTotal}.
     *
     * @param minorUnits credited once to each new user (0: none)
     * @return new settings; these are unchanged
     */
    public ShopSettings withWelcomeBonus(long minorUnits) {
        return new ShopSettings(adminIds, support, supportText, minorUnits, starsPackages, starPrice, zone, deadlines,
                admission, referral);
    }

    /**
     * These settings with the Stars packs {@code /topup} offers and what a Star credits. A shop whose pricing is not
     * in rubles sets this: the defaults' 150 minor units a Star are 1.50 RUB, and {@code Shop.builder().build()}
     * refuses them in another currency.
     *
     * @param packages          Stars amounts /topup offers
     * @param minorUnitsPerStar what one Star credits, in the pricing's minor units
     * @return new settings; these are unchanged
     * @throws IllegalArgumentException for no packages (call {@link #withoutStars()}), or a value of 0 or less
     */
    public ShopSettings withStars(List<Long> packages, long minorUnitsPerStar) {
        java.util.Objects.requireNonNull(packages, "withStars: the Stars amounts /topup offers, e.g. List.of(50L, 100L); "
                + "withoutStars() for none");
        if (packages.isEmpty()) {
            // an empty list here is more likely a list that failed to load than a decision: say it by name
            throw new IllegalArgumentException("withStars: no Stars packages given; to offer no Stars top-ups, call "
                    + "withoutStars()");
        }
        return new ShopSettings(adminIds, support, supportText, welcomeBonus, packages, minorUnitsPerStar, zone,
                deadlines, admission, referral);
    }

    /**
     * No Stars top-ups: {@code /topup} offers the card / SBP top-up when {@code ManualPayments} is on, and a payment
     * page of your own when given ({@code Shop.Builder.topUpLink}), and otherwise says that the balance cannot be
     * topped up in the chat and where to ask. For a platform without Telegram Stars
     * (where every Stars invoice would fail); a Telegram bot that sells digital goods must take Stars (Telegram's
     * terms for bot developers).
     *
     * @return new settings; these are unchanged
     */
    public ShopSettings withoutStars() {
        return new ShopSettings(adminIds, support, supportText, welcomeBonus, List.of(), starPrice, zone, deadlines,
                admission, referral);
    }

    /**
     * Whether {@code /topup} sells Stars packages.
     *
     * @return false after {@link #withoutStars()}
     */
    public boolean starsOffered() {
        return !starsPackages.isEmpty();
    }

    /**
     * These settings with another day.
     *
     * @param dayZone where a day of the free allowance starts and ends, and the zone times are shown in
     * @return new settings; these are unchanged
     */
    public ShopSettings withZone(ZoneId dayZone) {
        return new ShopSettings(adminIds, support, supportText, welcomeBonus, starsPackages, starPrice, dayZone,
                deadlines, admission, referral);
    }

    /**
     * The same settings with {@code category}'s jobs failing (and refunding) after {@code deadline}.
     *
     * @param category the models' category
     * @param deadline positive; the money stays held {@link #HOLD_MARGIN} longer
     * @return new settings; these are unchanged
     * @throws IllegalArgumentException for a deadline of zero or less
     */
    public ShopSettings withDeadline(Category category, Duration deadline) {
        java.util.Objects.requireNonNull(category, "withDeadline: the Category whose jobs the deadline is for, e.g. "
                + "Category.IMAGE");
        java.util.Objects.requireNonNull(deadline, "withDeadline: a positive Duration for " + category
                + ", e.g. Duration.ofMinutes(10)");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("withDeadline: a job's deadline must be positive, got " + deadline
                    + " for " + category);
        }
        Map<Category, Duration> d = new EnumMap<>(Category.class);
        d.putAll(deadlines);
        d.put(category, deadline);
        return new ShopSettings(adminIds, support, supportText, welcomeBonus, starsPackages, starPrice, zone, d,
                admission, referral);
    }

    /**
     * These settings with another inbound limit.
     *
     * @param policy how many updates a user may send a minute and at once, and how long a repeated press is ignored
     * @return new settings; these are unchanged
     */
    public ShopSettings withAdmission(AdmissionPolicy policy) {
        return new ShopSettings(adminIds, support, supportText, welcomeBonus, starsPackages, starPrice, zone,
                deadlines, policy, referral);
    }

    /**
     * These settings with invitations paying the inviter.
     *
     * @param percent       of a friend's first paid top-up the inviter gets (0: no invitations)
     * @param maxMinorUnits the most one friend earns him
     * @return new settings; these are unchanged
     * @throws IllegalArgumentException for values {@link ReferralBonus} refuses
     */
    public ShopSettings withReferralBonus(int percent, long maxMinorUnits) {
        return new ShopSettings(adminIds, support, supportText, welcomeBonus, starsPackages, starPrice, zone,
                deadlines, admission, new ReferralBonus(percent, maxMinorUnits));
    }

    /**
     * The policy for this user: admins are never rate-limited.
     *
     * @param userId the user whose update is being admitted
     * @return the settings' policy, or an unlimited one for an admin
     */
    public AdmissionPolicy admissionFor(long userId) {
        return adminIds.contains(userId) ? admission.unlimited() : admission;
    }
}
