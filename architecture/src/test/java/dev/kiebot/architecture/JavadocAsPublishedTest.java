package dev.kiebot.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.text.Msg;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnJre;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;

/**
 * The javadoc a partner reads is the JDK's javadoc tool's, not the compiler's: run over core's and core-testing's main
 * sources with every doclint check, as a published build would make it, it says nothing. The compile's doclint
 * (core/pom.xml) misses two things the tool checks: the serialized form, which publishes the private fields of a
 * public exception (ProviderException's two had no comment), and core's text package, which the compile leaves out
 * for {@link Msg}'s constants (documented by the bundles, on purpose) and with them every other member there
 * ({@code Msg.statement} and {@code Msg.key} lacked their tags). Here only those constants are let through.
 * About 10 s of CPU: the tool writes the pages to a temporary directory (the index, tree and help pages left out).
 * On JDK 17 only, as the compile fails on a doc warning only there (the parent pom's kiebot.docsFailOnWarning): each
 * newer javadoc adds rules of its own.
 */
@EnabledOnJre(JRE.JAVA_17)
class JavadocAsPublishedTest {
    /** The repository's root, from the architecture module's directory, where Maven runs its tests. */
    private static final Path ROOT = Path.of("..");
    private static final List<String> TREES = List.of("core/src/main/java", "core-testing/src/main/java");
    private static final Set<String> MSG_CONSTANTS =
            Arrays.stream(Msg.values()).map(Enum::name).collect(Collectors.toUnmodifiableSet());

    @Test
    void coresAndCoreTestingsJavadocHasNoWarningButMsgsConstants(@TempDir Path out) {
        List<Path> roots = TREES.stream().map(ROOT::resolve).toList();

        assertThat(findings(roots, "dev.kiebot.core", out)).as("the javadoc tool's warnings and errors over core's "
                + "and core-testing's main sources (a public or protected member, or a Serializable class's field, "
                + "without its comment or tags; a broken link; bad HTML)").isEmpty();
    }

    /** The check itself: a public exception's undocumented private field is a finding; a Msg constant is not. */
    @Test
    void anExceptionsUndocumentedSerializedFieldIsAFinding(@TempDir Path dir) throws IOException {
        Path src = dir.resolve("src");
        Path pkg = Files.createDirectories(src.resolve("dev/kiebot/core/sample"));
        Files.writeString(pkg.resolve("package-info.java"), "/** A sample. */\npackage dev.kiebot.core.sample;\n");
        Files.writeString(pkg.resolve("SampleException.java"), """
                package dev.kiebot.core.sample;

                /** A sample failure. */
                public final class SampleException extends Exception {
                    private static final long serialVersionUID = 1L;
                    private final int code;

                    /**
                     * A failure.
                     *
                     * @param code its code
                     */
                    public SampleException(int code) {
                        this.code = code;
                    }
                }
                """);

        assertThat(findings(List.of(src), "dev.kiebot.core.sample", dir.resolve("out")))
                .singleElement().asString().contains("SampleException.java:6").contains("no comment");
    }

    /**
     * What the javadoc tool reports over the packages under {@code subpackage} of {@code roots}, as
     * {@code file:line: message}, but for a missing comment on one of {@link Msg}'s constants.
     */
    private static List<String> findings(List<Path> roots, String subpackage, Path out) {
        DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("-Xdoclint:all", "-Xdoclint/package:dev.kiebot.core.*", "-quiet",
                "-Xmaxwarns", "100000", "-Xmaxerrs", "100000", "-encoding", "UTF-8", "--release", "17",
                "-notimestamp", "-nohelp", "-noindex", "-notree", "-nodeprecatedlist", "-nonavbar",
                "--no-platform-links", "-d", out.toString(),
                "-sourcepath", roots.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
                "-classpath", System.getProperty("java.class.path"), "-subpackages", subpackage);
        boolean ran = javadoc.getTask(null, null, diagnostics, null, options, null).call();
        List<String> found = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.NOTE || isMsgConstant(d)) {
                continue;
            }
            String file = d.getSource() == null ? "(no file)" : ROOT.toAbsolutePath().normalize()
                    .relativize(Path.of(d.getSource().toUri()).normalize()).toString();
            found.add(file + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT));
        }
        if (!ran && found.isEmpty()) {
            found.add("javadoc failed without a diagnostic");
        }
        return found;
    }

    /** A missing comment on a constant of {@link Msg}: its text is its key's in the bundles. */
    private static boolean isMsgConstant(Diagnostic<? extends JavaFileObject> d) {
        if (d.getSource() == null || !d.getSource().getName().endsWith("Msg.java")
                || !"no comment".equals(d.getMessage(Locale.ROOT)) || d.getPosition() < 0) {
            return false;
        }
        String source;
        try {
            source = d.getSource().getCharContent(true).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int end = (int) d.getPosition();
        while (end < source.length() && Character.isJavaIdentifierPart(source.charAt(end))) {
            end++;
        }
        return MSG_CONSTANTS.contains(source.substring((int) d.getPosition(), end));
    }
}
