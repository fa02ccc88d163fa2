package dev.kiebot.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every package of production code, in every module, says what it is for in a {@code package-info.java} with its
 * javadoc (the convention of jdbi and Javalin): a newcomer reads it before the classes, and javadoc shows nothing
 * else for a package. The modules are the root {@code pom.xml}'s, profiles included (so {@code bench} too, which
 * only builds with {@code -Pbench}), and the modules' own {@code <modules>}; their {@code src/main/java} trees are
 * walked, so a new package or a new module needs no change here. Test sources are not required to have one.
 */
class PackageInfoTest {
    /** The repository's root, from the architecture module's directory, where Maven runs its tests. */
    private static final Path ROOT = Path.of("..");
    private static final Pattern COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
    private static final Pattern MODULE = Pattern.compile("<module>\\s*([^<]+?)\\s*</module>");
    private static final Pattern PACKAGE_LINE = Pattern.compile("(?m)^package\\s");
    private static final String WHAT_TO_WRITE = "add a package-info.java whose javadoc says, for a newcomer, what "
            + "the package is for, what lives there and what does not, and how it relates to its neighbours (why, "
            + "not what; a few sentences to a short paragraph, in English; in core and core-testing, for a partner, "
            + "and what to use first; see core/src/main/java/dev/kiebot/core/shop/package-info.java), and map a "
            + "package of core or app-runtime in ARCHITECTURE.md";

    @Test
    void everyProductionPackageSaysWhatItIsFor() throws IOException {
        List<Path> trees = sourceTrees();
        assertThat(trees).as("the modules' src/main/java trees, read from ../pom.xml (run from the architecture "
                + "module's directory)").contains(tree("core"), tree("app-runtime"), tree("bench"));
        List<String> problems = new ArrayList<>();
        for (Path tree : trees) {
            for (Path dir : packages(tree)) {
                Path info = dir.resolve("package-info.java");
                if (!Files.isRegularFile(info)) {
                    problems.add(shown(dir) + ": no package-info.java");
                } else if (!hasJavadoc(Files.readString(info))) {
                    problems.add(shown(info) + ": no javadoc before its package line");
                }
            }
        }
        assertThat(problems).as("packages that do not say what they are for: " + WHAT_TO_WRITE).isEmpty();
    }

    /** The {@code src/main/java} of every module that has one, modules of modules included, in the poms' order. */
    static List<Path> sourceTrees() throws IOException {
        List<Path> trees = new ArrayList<>();
        collect(ROOT.normalize(), trees);
        return trees;
    }

    private static void collect(Path module, List<Path> trees) throws IOException {
        Path sources = module.resolve("src/main/java");
        if (Files.isDirectory(sources)) {
            trees.add(sources);
        }
        Path pom = module.resolve("pom.xml");
        assertThat(pom).as("a module's pom").isRegularFile();
        Matcher m = MODULE.matcher(COMMENT.matcher(Files.readString(pom)).replaceAll(""));
        while (m.find()) {
            Path child = module.resolve(m.group(1)).normalize();
            assertThat(child).as("module %s of %s", m.group(1), pom).isDirectory();
            collect(child, trees);
        }
    }

    /** The directories of a source tree holding Java sources: its packages. */
    private static List<Path> packages(Path tree) throws IOException {
        try (Stream<Path> dirs = Files.walk(tree)) {
            return dirs.filter(Files::isDirectory).filter(PackageInfoTest::holdsJava).sorted().toList();
        }
    }

    private static boolean holdsJava(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".java") && Files.isRegularFile(f));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A javadoc comment before the package declaration: the package's documentation, not a stray comment after. */
    static boolean hasJavadoc(String source) {
        Matcher pkg = PACKAGE_LINE.matcher(source);
        int javadoc = source.indexOf("/**");
        return javadoc >= 0 && pkg.find() && javadoc < pkg.start();
    }

    private static Path tree(String module) {
        return ROOT.normalize().resolve(module).resolve("src/main/java");
    }

    /** A path as the repository names it ({@code app-runtime/src/main/java/...}). */
    private static String shown(Path p) {
        return ROOT.toAbsolutePath().normalize().relativize(p.toAbsolutePath().normalize()).toString();
    }
}
