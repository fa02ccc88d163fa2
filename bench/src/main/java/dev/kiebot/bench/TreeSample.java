package dev.kiebot.bench;

/**
 * One reading of a process tree from {@code /proc}.
 *
 * @param cpuTicks     utime + stime + cutime + cstime summed over the tree, in clock ticks; the children's
 *                     times keep the sum growing when a member exits and its parent (a member) reaps it
 * @param rootCpuTicks the same for the child JVM alone
 * @param rssKb        sum of VmRSS (shared pages count once per process)
 * @param pssKb        sum of Pss from smaps_rollup (shared pages split between sharers); -1 when unreadable
 * @param distinctKb   resident pages of the tree, each physical page once ({@link ResidentPages}); -1 when not
 *                     read or hidden from this reader
 */
record TreeSample(long atNanos, long cpuTicks, long rootCpuTicks, long rssKb, long pssKb, long distinctKb,
                  int processes) {

    double cpuSecondsSince(TreeSample earlier) {
        return (cpuTicks - earlier.cpuTicks) / (double) ProcessTree.CLOCK_TICKS_PER_SECOND;
    }

    double rootCpuSecondsSince(TreeSample earlier) {
        return (rootCpuTicks - earlier.rootCpuTicks) / (double) ProcessTree.CLOCK_TICKS_PER_SECOND;
    }

    double secondsSince(TreeSample earlier) {
        return (atNanos - earlier.atNanos) / 1e9;
    }

    double cpuSeconds() {
        return cpuTicks / (double) ProcessTree.CLOCK_TICKS_PER_SECOND;
    }
}
