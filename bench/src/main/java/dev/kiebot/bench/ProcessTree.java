package dev.kiebot.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The processes of one bot: its JVM (the root), every descendant, and every process whose command line names
 * the bot's data dir (the embedded postmaster: {@code pg_ctl} starts it and exits, so it is re-parented away
 * from the JVM), with their descendants (the postgres backends and helpers). Read from {@code /proc}.
 */
final class ProcessTree {
    static final long CLOCK_TICKS_PER_SECOND = clockTicksPerSecond();
    private static final Path PROC = Path.of("/proc");
    /** /proc/[pid]/stat fields after "(comm) ": state=0, ppid=1, utime=11, stime=12, cutime=13, cstime=14. */
    private static final int PPID = 1;
    private static final int UTIME = 11;

    /** {@code cpuTicks} = utime + stime + cutime + cstime; {@code ownTicks} = utime + stime. */
    record Stat(long pid, long ppid, long cpuTicks, long ownTicks) {
    }

    private final long rootPid;
    private final String marker;
    private final long ownPid = ProcessHandle.current().pid();
    /** Whether a pid belongs to the tree, decided once per pid: sampling then reads only the members' files. */
    private final Map<Long, Boolean> membership = new HashMap<>();

    /** @param marker a string only the bot's own processes have on their command line: its data dir */
    ProcessTree(long rootPid, String marker) {
        this.rootPid = rootPid;
        this.marker = marker;
    }

    /**
     * Reads CPU and memory of every member now; PSS and distinct pages only when asked (both walk the page
     * tables).
     */
    synchronized TreeSample sample(boolean withPss) {
        long now = System.nanoTime();
        long cpu = 0;
        long rootCpu = 0;
        long rss = 0;
        long pss = withPss ? 0 : -1;
        int processes = 0;
        List<Long> members = members();
        for (long pid : members) {
            Stat s = readStat(pid);
            if (s == null) {
                continue;
            }
            processes++;
            cpu += s.cpuTicks();
            rootCpu += pid == rootPid ? s.cpuTicks() : 0;
            rss += Math.max(0, statusKb(pid, "status", "VmRSS:"));
            if (withPss) {
                long p = statusKb(pid, "smaps_rollup", "Pss:");
                pss = p < 0 || pss < 0 ? -1 : pss + p;
            }
        }
        long distinct = withPss ? ResidentPages.distinctKb(members) : -1;
        return new TreeSample(now, cpu, rootCpu, rss, pss, distinct, processes);
    }

    /** The pids of the tree now. */
    synchronized List<Long> pids() {
        return members();
    }

    /** The CPU ticks of this benchmark's own JVM, without its reaped children (the bots it measured). */
    static long ownCpuTicks() {
        Stat s = readStat(ProcessHandle.current().pid());
        return s == null ? 0 : s.ownTicks();
    }

    private List<Long> members() {
        Set<Long> present = listPids();
        membership.keySet().retainAll(present);
        List<Long> members = new ArrayList<>();
        for (long pid : present) {
            if (isMember(pid, present, 0)) {
                members.add(pid);
            }
        }
        return members;
    }

    /** The root, a descendant of a member, or a process naming the marker (the re-parented postmaster). */
    private boolean isMember(long pid, Set<Long> present, int depth) {
        Boolean known = membership.get(pid);
        if (known != null) {
            return known;
        }
        boolean member;
        if (pid == rootPid) {
            member = true;
        } else if (pid == ownPid || pid <= 1 || !present.contains(pid) || depth > 64) {
            member = false;
        } else {
            Stat s = readStat(pid);
            member = s != null && (isMember(s.ppid(), present, depth + 1) || commandLineHasMarker(pid));
        }
        if (present.contains(pid)) {
            membership.put(pid, member);
        }
        return member;
    }

    private static Set<Long> listPids() {
        String[] names = PROC.toFile().list();
        if (names == null) {
            throw new BenchFailure("cannot read /proc (the benchmark needs Linux)");
        }
        Set<Long> pids = new HashSet<>();
        for (String name : names) {
            if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
                pids.add(Long.parseLong(name));
            }
        }
        return pids;
    }

    private boolean commandLineHasMarker(long pid) {
        try {
            byte[] cmd = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
            return new String(cmd, StandardCharsets.UTF_8).contains(marker);
        } catch (IOException e) {
            return false;
        }
    }

    /** Null when the process is gone. */
    private static Stat readStat(long pid) {
        try {
            String line = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            return parseStat(pid, line);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The command name may contain spaces and parentheses: the fields start after the last ')'. */
    static Stat parseStat(long pid, String line) {
        String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
        long own = Long.parseLong(f[UTIME]) + Long.parseLong(f[UTIME + 1]);
        long children = Long.parseLong(f[UTIME + 2]) + Long.parseLong(f[UTIME + 3]);
        return new Stat(pid, Long.parseLong(f[PPID]), own + children, own);
    }

    /** A "Name:   123 kB" line of a /proc file in kB; 0 when the process is gone, -1 when unreadable. */
    private static long statusKb(long pid, String file, String name) {
        try {
            for (String line : Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve(file))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).replace("kB", "").strip());
                }
            }
            return 0;
        } catch (java.nio.file.NoSuchFileException e) {
            return 0;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long clockTicksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(5, TimeUnit.SECONDS) && out.matches("\\d+") ? Long.parseLong(out) : 100;
        } catch (IOException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
