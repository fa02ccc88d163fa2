package dev.kiebot.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Flyway migrations this build carries ({@code db/migration/V<version>__<name>.sql} on the class path), read
 * without Flyway: knowing the newest one is enough to tell whether a database needs migrating at all, and loading
 * and configuring Flyway costs a noticeable part of a restart.
 */
final class BundledMigrations {
    static final String LOCATION = "db/migration";
    private static final int FINGERPRINT_BYTES = 8;
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+(?:[._]\\d+)*)__[^/]+\\.sql");

    private BundledMigrations() {
    }

    /** The newest version on the class path, as Flyway writes it ({@code 6}, {@code 6.1}); empty when none. */
    static String newest() {
        return versions().stream().max(BundledMigrations::compare).orElse("");
    }

    /**
     * A digest of every migration's name and text, so that something made by running them (a {@link ClusterTemplate})
     * is used only by a build that carries exactly the same ones: an edited script gives another fingerprint.
     */
    static String fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String name : fileNames().stream().sorted().toList()) {
                digest.update((name + "\n").getBytes(StandardCharsets.UTF_8));
                try (InputStream in = BundledMigrations.class.getClassLoader()
                        .getResourceAsStream(LOCATION + "/" + name)) {
                    if (in == null) {
                        throw new IOException("cannot read " + LOCATION + "/" + name);
                    }
                    digest.update(in.readAllBytes());
                }
            }
            return HexFormat.of().formatHex(digest.digest(), 0, FINGERPRINT_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled migrations", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    static List<String> versions() {
        List<String> versions = new ArrayList<>();
        for (String name : fileNames()) {
            Matcher m = VERSIONED.matcher(name);
            if (m.matches()) {
                versions.add(m.group(1).replace('_', '.'));
            }
        }
        return versions;
    }

    /** The versioned scripts' file names, from every class path root that has the directory. */
    private static List<String> fileNames() {
        List<String> names = new ArrayList<>();
        try {
            Enumeration<URL> roots = BundledMigrations.class.getClassLoader().getResources(LOCATION);
            for (URL root : Collections.list(roots)) {
                for (String name : fileNames(root)) {
                    if (VERSIONED.matcher(name).matches()) {
                        names.add(name);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the bundled migrations", e);
        }
        return names;
    }

    private static List<String> fileNames(URL root) throws IOException {
        if (root.getProtocol().equals("jar")) {
            // the class loader's own (cached) JarFile: listing its entries opens nothing new; not closed here
            JarFile jar = ((JarURLConnection) root.openConnection()).getJarFile();
            String prefix = LOCATION + "/";
            List<String> names = new ArrayList<>();
            for (JarEntry e : Collections.list(jar.entries())) {
                if (e.getName().startsWith(prefix) && e.getName().indexOf('/', prefix.length()) < 0) {
                    names.add(e.getName().substring(prefix.length()));
                }
            }
            return names;
        }
        if (root.getProtocol().equals("file")) {
            try (Stream<Path> files = Files.list(Path.of(root.toURI()))) {
                return files.map(p -> p.getFileName().toString()).toList();
            } catch (URISyntaxException e) {
                throw new IOException(e);
            }
        }
        throw new IOException("migrations at an unsupported location: " + root.getProtocol());
    }

    /** Flyway's order of versions: numerically, part by part ({@code 9 < 10}, {@code 6 < 6.1}). */
    static int compare(String a, String b) {
        String[] x = a.isEmpty() ? new String[0] : a.split("\\.");
        String[] y = b.isEmpty() ? new String[0] : b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? Long.parseLong(x[i]) : 0;
            long q = i < y.length ? Long.parseLong(y[i]) : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    }
}
