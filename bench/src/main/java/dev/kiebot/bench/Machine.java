package dev.kiebot.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the figures were measured on: they only mean something next to this. */
record Machine(int cpus, String cpuModel, long memoryMb, String os, String childJava) {

    static Machine describe(Path java) {
        return new Machine(Runtime.getRuntime().availableProcessors(), firstValue("/proc/cpuinfo", "model name"),
                kbValue(firstValue("/proc/meminfo", "MemTotal")) / 1024,
                System.getProperty("os.name") + " " + System.getProperty("os.version"), javaVersion(java));
    }

    /** The 1, 5 and 15 minute load averages: the machine may be shared with other work. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpus", cpus);
        m.put("cpu_model", cpuModel);
        m.put("memory_mb", memoryMb);
        m.put("os", os);
        m.put("child_java", childJava);
        return m;
    }

    @Override
    public String toString() {
        return cpus + " CPUs (" + cpuModel + "), " + memoryMb + " MiB RAM, " + os + ", child JVM: " + childJava;
    }

    private static String firstValue(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            // reported as n/a
        }
        return "n/a";
    }

    private static long kbValue(String text) {
        String digits = text.replaceAll("[^0-9]", "");
        return digits.isEmpty() ? 0 : Long.parseLong(digits);
    }

    /** The first line of {@code java -version} (e.g. {@code openjdk version "17.0.15" 2025-04-15}). */
    private static String javaVersion(Path java) {
        try {
            Process p = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
            List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            p.waitFor(10, TimeUnit.SECONDS);
            return lines.isEmpty() ? "n/a" : lines.get(0);
        } catch (IOException e) {
            return "n/a (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "n/a";
        }
    }
}
