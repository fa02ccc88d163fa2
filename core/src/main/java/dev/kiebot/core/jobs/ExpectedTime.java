package dev.kiebot.core.jobs;

import dev.kiebot.core.catalog.Category;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How long a job of a model usually takes, learnt from the shop's own history: the median of the model's last
 * {@value #SAMPLES} successful jobs (creation to result), or a default of its category until there are
 * {@value #MIN_SAMPLES}. The median, not the mean, so one stuck job does not move everybody's estimate.
 */
public final class ExpectedTime {
    /** Successful jobs of a model looked at. */
    public static final int SAMPLES = 20;
    /** Fewer successful jobs than this and the category's default is used. */
    public static final int MIN_SAMPLES = 5;

    private ExpectedTime() {
    }

    /**
     * The expected time of a new job of the model.
     *
     * @param recent   run times of the model's newest successful jobs (see {@link Jobs#runTimes})
     * @param category the model's category, for the default
     * @return the median of the newest {@value #SAMPLES}, or the category's default with fewer than
     *         {@value #MIN_SAMPLES}
     */
    public static Duration of(List<Duration> recent, Category category) {
        if (recent.size() < MIN_SAMPLES) {
            return defaultFor(category);
        }
        List<Duration> sorted = new ArrayList<>(recent.subList(0, Math.min(recent.size(), SAMPLES)));
        sorted.sort(null);
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : sorted.get(mid - 1).plus(sorted.get(mid)).dividedBy(2);
    }

    /**
     * What a new shop expects before it has history: pictures and speech are quick, video and songs are not.
     *
     * @param category the model's category
     * @return 30 s for images and speech, 3 minutes for video, 2 for music
     */
    public static Duration defaultFor(Category category) {
        return switch (category) {
            case IMAGE -> Duration.ofSeconds(30);
            case VIDEO -> Duration.ofMinutes(3);
            case AUDIO -> Duration.ofSeconds(30);
            case MUSIC -> Duration.ofMinutes(2);
        };
    }
}
