package dev.kiebot.core.jobs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The address a job's task reports to: the shop's callback URL with the job named in it ({@link #PARAMETER}). A
 * callback names only the provider's task id, so a task whose id the shop never stored (the process killed, or its
 * database lost, between the provider's answer to createTask and the write of the id) found no job: refunded as cut
 * off mid-send while the provider made, and charged the shop for, its result. With the job in the address, the
 * callback says where to look. It is never believed for that: the job takes the task only when the provider, asked
 * with the shop's own key, keeps the task as made of the job's model with an address naming this job and its moment
 * of making ({@link TaskOrigin}, {@link #madeFor}).
 */
public final class CallbackUrl {
    /** The query parameter naming the job ({@link JobId#display()}), as a callback door reads it back. */
    public static final String PARAMETER = "job";

    private CallbackUrl() {
    }

    /**
     * The query parameter holding when the job was made (epoch milliseconds): job numbers start again on a new
     * database (a data directory deleted, a restore), and a task Kie made for an earlier {@code gen_12} must not be taken
     * by this one, a stranger's result delivered to this user. The door does not read it: the provider's record of
     * the address is what names it ({@link #madeFor}).
     */
    public static final String MADE_PARAMETER = "made";

    /**
     * Whether {@code address}, as the provider keeps it for a task, was made for {@code job}: it names the job and when
     * the job was made ({@link #forJob}), whatever base comes before. The base is not compared: the public URL may
     * have changed since the task was sent (a service renamed, a domain of its own, the callback token rotated) while
     * Kie's callback still reaches the shop, and a task read back with the shop's own key, of the job's model, naming
     * this job and its moment of making is this job's (a task of an earlier {@code gen_12} on a database since lost
     * names another moment).
     *
     * @param address the callback address the provider keeps for a task
     * @param job     the job that would take the task
     * @return true when the address's query names exactly this job and its moment of making
     */
    @SuppressWarnings("StringSplitter") // empty pairs (a&&b, a trailing &) are skipped below either way
    public static boolean madeFor(String address, Job job) {
        int query = address.indexOf('?');
        if (query < 0) {
            return false;
        }
        Map<String, List<String>> parameters = new HashMap<>();
        for (String pair : address.substring(query + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                parameters.computeIfAbsent(pair.substring(0, eq), k -> new ArrayList<>())
                        .add(pair.substring(eq + 1));
            }
        }
        return List.of(job.id().display()).equals(parameters.get(PARAMETER))
                && List.of(Long.toString(job.createdAt().toEpochMilli())).equals(parameters.get(MADE_PARAMETER));
    }

    /**
     * {@code base} with {@code ?job=gen_12&made=…} (or {@code &job=…} after a query it has) added.
     *
     * @param base the shop's callback URL ({@code Shop.Builder.callbackUrl})
     * @param job  the job the task is made for
     * @return the address the provider is given for the job's task
     */
    public static String forJob(String base, Job job) {
        String separator = base.endsWith("?") || base.endsWith("&") ? "" : base.contains("?") ? "&" : "?";
        return base + separator + PARAMETER + "=" + job.id().display() + "&" + MADE_PARAMETER + "="
                + job.createdAt().toEpochMilli();
    }
}
