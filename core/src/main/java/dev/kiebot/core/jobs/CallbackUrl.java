package dev.kiebot.core.jobs;

/**
 * The address a job's task reports to: the shop's callback URL with the job named in it ({@link #PARAMETER}). A
 * callback names only the provider's task id, so a task whose id the shop never stored (the process killed, or its
 * database lost, between the provider's answer to createTask and the write of the id) found no job: refunded as cut
 * off mid-send while the provider made, and charged the shop for, its result. With the job in the address, the
 * callback says where to look. It is never believed for that: the job takes the task only when the provider, asked
 * with the shop's own key, keeps the task as made with exactly this address ({@link TaskOrigin}).
 */
public final class CallbackUrl {
    /** The query parameter naming the job ({@link JobId#display()}), as a callback door reads it back. */
    public static final String PARAMETER = "job";

    private CallbackUrl() {
    }

    /**
     * The query parameter holding when the job was made (epoch milliseconds): job numbers start again on a new
     * database (a data directory deleted, a restore), and a task Kie made for an earlier {@code gen_12} must not be taken
     * by this one, a stranger's result delivered to this user. The door does not read it: the whole address is what
     * the provider's record is compared with.
     */
    public static final String MADE_PARAMETER = "made";

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
