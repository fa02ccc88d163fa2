package dev.kiebot.core.reports;

import java.util.List;

/**
 * The aggregates of the admin dashboard, in minor units where money.
 *
 * @param usersNewToday   users first seen since the start of today
 * @param usersActive24h  users seen in the last 24 hours
 * @param generations24h  generations started in the last 24 hours, by outcome
 * @param revenueToday    net revenue since the start of today (also 7 and 30 days back from now)
 * @param stars7d         Stars top-ups credited in the last 7 days
 * @param manual7d        card / SBP top-ups credited in the last 7 days (approved requests and admin top-ups)
 * @param external7d      payments the partner's own provider took ({@code ExternalTopUps}) credited in the last 7 days:
 *                        what came in, a refund taken back later not subtracted (as {@code stars7d} keeps a Stars
 *                        payment refunded; the wallets' balances show where the money went)
 * @param topModels7d     the 5 models with most generations in the last 7 days, most first
 * @param pendingManual   manual requests still waiting (REQUESTED or CLAIMED_PAID)
 * @param failing24h      the {@value #FAILING_MODELS} models whose generations started in the last 24 hours failed
 *                        most (refused at the start for want of money or free uses not counted), most first, ties by
 *                        model id: a model that stopped working shows here before users write about it
 */
public record DashboardFigures(long usersTotal, long usersNewToday, long usersActive24h, Outcomes generations24h,
                               long revenueToday, long revenue7d, long revenue30d, TopUpTotal stars7d,
                               TopUpTotal manual7d, TopUpTotal external7d, List<ModelCount> topModels7d,
                               long pendingManual, List<ModelFailures> failing24h) {
    public static final int TOP_MODELS = 5;
    public static final int FAILING_MODELS = 3;

    public DashboardFigures {
        topModels7d = List.copyOf(topModels7d);
        failing24h = List.copyOf(failing24h);
    }

    /**
     * Figures without the failing models: the constructor before {@code failing24h}, kept so that a store of yours
     * still compiles; {@code ShopFiguresContract} asks for them.
     */
    public DashboardFigures(long usersTotal, long usersNewToday, long usersActive24h, Outcomes generations24h,
                            long revenueToday, long revenue7d, long revenue30d, TopUpTotal stars7d,
                            TopUpTotal manual7d, TopUpTotal external7d, List<ModelCount> topModels7d,
                            long pendingManual) {
        this(usersTotal, usersNewToday, usersActive24h, generations24h, revenueToday, revenue7d, revenue30d, stars7d,
                manual7d, external7d, topModels7d, pendingManual, List.of());
    }

    /**
     * Figures of a shop without payments of its own provider ({@code external7d} none): the constructor before
     * {@code external7d}, kept so that a store of yours still compiles; {@code ShopFiguresContract} asks for them.
     */
    public DashboardFigures(long usersTotal, long usersNewToday, long usersActive24h, Outcomes generations24h,
                            long revenueToday, long revenue7d, long revenue30d, TopUpTotal stars7d,
                            TopUpTotal manual7d, List<ModelCount> topModels7d, long pendingManual) {
        this(usersTotal, usersNewToday, usersActive24h, generations24h, revenueToday, revenue7d, revenue30d, stars7d,
                manual7d, new TopUpTotal(0, 0), topModels7d, pendingManual, List.of());
    }

    /**
     * Generations by how they ended.
     *
     * @param refunded failed, with the money (or the free use) given back
     * @param running  not finished yet
     */
    public record Outcomes(long delivered, long refunded, long running) {
        /** Refunded among the finished ones, in percent (0 when none finished). */
        public double failureRatePercent() {
            long finished = delivered + refunded;
            return finished == 0 ? 0 : 100.0 * refunded / finished;
        }
    }

    /** How many top-ups and how much they credited. */
    public record TopUpTotal(long count, long amount) {
    }

    /** A model and how many of its generations the period counts: a line of {@code topModels7d}. */
    public record ModelCount(String modelId, long generations) {
    }

    /**
     * @param modelId the model
     * @param failed  its generations of the last 24 hours that failed (not those a person stopped:
     *                {@code ShopFigures.STOPPED})
     * @param reason  the failure key they had most often (ties: the first in code-point order)
     */
    public record ModelFailures(String modelId, long failed, String reason) {
    }
}
