package dev.kiebot.core.reports;

import java.util.List;

/**
 * The aggregates of the admin dashboard, in minor units where money.
 *
 * @param usersTotal      every stored user
 * @param usersNewToday   users first seen since the start of today
 * @param usersActive24h  users seen in the last 24 hours
 * @param generations24h  generations started in the last 24 hours, by outcome
 * @param revenueToday    net revenue since the start of today
 * @param revenue7d       net revenue in the last 7 days
 * @param revenue30d      net revenue in the last 30 days
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
    /** How many models {@code topModels7d} lists at most. */
    public static final int TOP_MODELS = 5;
    /** How many models {@code failing24h} lists at most. */
    public static final int FAILING_MODELS = 3;

    /**
     * Copies the lists.
     *
     * @param usersTotal     every stored user
     * @param usersNewToday  users first seen today
     * @param usersActive24h users seen in 24 hours
     * @param generations24h generations of 24 hours, by outcome
     * @param revenueToday   minor units
     * @param revenue7d      minor units
     * @param revenue30d     minor units
     * @param stars7d        Stars top-ups of 7 days
     * @param manual7d       card / SBP top-ups of 7 days
     * @param external7d     your provider's payments of 7 days
     * @param topModels7d    copied
     * @param pendingManual  open manual requests
     * @param failing24h     copied
     */
    public DashboardFigures {
        topModels7d = List.copyOf(topModels7d);
        failing24h = List.copyOf(failing24h);
    }

    /**
     * Figures without the failing models: the constructor before {@code failing24h}, kept so that a store of yours
     * still compiles; {@code ShopFiguresContract} asks for them.
     *
     * @param usersTotal     every stored user
     * @param usersNewToday  users first seen today
     * @param usersActive24h users seen in 24 hours
     * @param generations24h generations of 24 hours, by outcome
     * @param revenueToday   minor units
     * @param revenue7d      minor units
     * @param revenue30d     minor units
     * @param stars7d        Stars top-ups of 7 days
     * @param manual7d       card / SBP top-ups of 7 days
     * @param external7d     your provider's payments of 7 days
     * @param topModels7d    the most used models of 7 days
     * @param pendingManual  open manual requests
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
     *
     * @param usersTotal     every stored user
     * @param usersNewToday  users first seen today
     * @param usersActive24h users seen in 24 hours
     * @param generations24h generations of 24 hours, by outcome
     * @param revenueToday   minor units
     * @param revenue7d      minor units
     * @param revenue30d     minor units
     * @param stars7d        Stars top-ups of 7 days
     * @param manual7d       card / SBP top-ups of 7 days
     * @param topModels7d    the most used models of 7 days
     * @param pendingManual  open manual requests
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
     * @param delivered done and delivered
     * @param refunded  failed, with the money (or the free use) given back
     * @param running   not finished yet
     */
    public record Outcomes(long delivered, long refunded, long running) {
        /**
         * Refunded among the finished ones, in percent (0 when none finished).
         *
         * @return 0 to 100
         */
        public double failureRatePercent() {
            long finished = delivered + refunded;
            return finished == 0 ? 0 : 100.0 * refunded / finished;
        }
    }

    /**
     * How many top-ups and how much they credited.
     *
     * @param count  top-ups
     * @param amount what they credited, in minor units
     */
    public record TopUpTotal(long count, long amount) {
    }

    /**
     * A model and how many of its generations the period counts: a line of {@code topModels7d}.
     *
     * @param modelId     the model
     * @param generations its generations in the period
     */
    public record ModelCount(String modelId, long generations) {
    }

    /**
     * A model that failed often: a line of {@code failing24h}.
     *
     * @param modelId the model
     * @param failed  its generations of the last 24 hours that failed (not those a person stopped:
     *                {@code ShopFigures.STOPPED})
     * @param reason  the failure key they had most often (ties: the first in code-point order)
     */
    public record ModelFailures(String modelId, long failed, String reason) {
    }
}
