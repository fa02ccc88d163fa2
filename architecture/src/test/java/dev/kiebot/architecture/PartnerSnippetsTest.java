package dev.kiebot.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a partner copies compiles against today's core: every {@code ```java} block of README, ARCHITECTURE.md and the
 * console shop's README, and every {@code <pre>{@code ...}</pre>} example in the javadoc of core and core-testing, is
 * compiled with the JDK's compiler against this module's test classpath (core, core-testing and the adapters). A
 * snippet that named a method since renamed ({@code WebhookRegistration.getMe}, gone for {@code whoAmI}) stood in
 * README for sessions: nothing read it but partners.
 *
 * <p>A snippet is a fragment, so each says how it is compiled, in an HTML comment right before it (invisible where
 * the document is rendered; in javadoc, inside the doc comment just before {@code <pre>}):
 * <pre>
 * &lt;!-- snippet: statements returning int     (or "statements": void; or "members": fields, methods, types)
 * import dev.kiebot.core.shop.Shop;            lines starting "import " go above the class the snippet is put in
 * Shop shop;                                   anything else is a member of that class: what the snippet uses and
 * abstract int retryLater();                   does not make (a field, an abstract method, a stand-in type)
 * --&gt;
 * &lt;!-- snippet: not compiled: why              a block meant not to compile, said so explicitly --&gt;
 * </pre>
 * The class is abstract, so a member may be an abstract method. "statements" puts the block in a method of the class
 * (declared {@code throws Exception}); "members" puts it in the class's body. A javadoc example also gets its file's
 * imports and its own package. A block without such a comment fails: say how it compiles, or that it does not.
 */
class PartnerSnippetsTest {
    /** The repository's root, from the architecture module's directory, where Maven runs its tests. */
    private static final Path ROOT = Path.of("..");
    private static final List<String> DOCUMENTS =
            List.of("README.md", "ARCHITECTURE.md", "examples/console-shop/README.md");
    /** The public javadoc a partner reads: core's and its test kit's. */
    private static final List<String> JAVADOC_TREES = List.of("core/src/main/java", "core-testing/src/main/java");

    /**
     * A java fence, indented too (a block in a list item) and with words after "java" (a title): one left out was
     * never read, and a wrong block in it passed.
     */
    private static final Pattern FENCE = Pattern.compile(
            "(?m)^[ \\t]*```[ \\t]*(?i:java)(?![\\w-])[^\\n]*\\n(.*?)^[ \\t]*```[ \\t]*$", Pattern.DOTALL);
    private static final Pattern DOC_COMMENT = Pattern.compile("/\\*\\*(.*?)\\*/", Pattern.DOTALL);
    /** A javadoc example, on lines of its own or on the line of {@code <pre>} (one left out passed unread). */
    private static final Pattern PRE_CODE =
            Pattern.compile("<pre>\\s*\\{@code[ \\t]*\\n?(.*?)}\\s*</pre>", Pattern.DOTALL);
    /** The marker, at the end of what comes before the block (blank space aside). */
    private static final Pattern MARKER =
            Pattern.compile("<!--\\s*snippet:\\s*([^\\n]*?)\\s*(?:\\n((?:(?!-->).)*))?-->\\s*$", Pattern.DOTALL);
    private static final Pattern KIND =
            Pattern.compile("statements(?:\\s+returning\\s+(.+))?|members|not compiled:\\s*\\S.*");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import\\s[^\\n]*;");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
    /** A type the marker declares as a stand-in. */
    private static final Pattern STAND_IN =
            Pattern.compile("(?<![\\w.])(?:class|interface|record|enum)\\s+([A-Za-z_]\\w*)");
    private static final Pattern IMPORTED = Pattern.compile("(?m)^import\\s+(static\\s+)?([\\w.]+?)(\\.\\*)?\\s*;");

    /** A block found in a document or a javadoc comment, with how it says it compiles. */
    record Snippet(String where, int firstLine, String marker, String code, String extraImports) {
    }

    @Test
    void everySnippetAPartnerCopiesCompilesAgainstTodaysCore(@TempDir Path out) throws IOException {
        List<Snippet> snippets = new ArrayList<>();
        for (String document : DOCUMENTS) {
            snippets.addAll(fromMarkdown(document, Files.readString(ROOT.resolve(document))));
        }
        for (String tree : JAVADOC_TREES) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(tree))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                    snippets.addAll(fromJavadoc(ROOT.relativize(file).toString(), Files.readString(file)));
                }
            }
        }
        assertThat(snippets.stream().filter(s -> s.where().equals("README.md")))
                .as("README's java blocks, found (the partner's section alone has six)").hasSizeGreaterThanOrEqualTo(6);
        assertThat(snippets.stream().filter(s -> s.where().endsWith(".java")))
                .as("javadoc examples found").isNotEmpty();

        assertThat(problems(snippets, out)).as("snippets a partner copies that do not compile against today's core "
                + "(fix the snippet, or the marker before it if it only lacks a declaration: see this test's javadoc)")
                .isEmpty();
    }

    /**
     * Every setting of {@code Shop.Builder} is named in README's "Embedding core in your own bot" ({@code .name}, as
     * a call or in prose), so that what a partner's shop does with a call left out is stated once where the partner
     * reads: {@code pollPolicy} (a status read every 5 s), {@code workerName} ("worker" in every process's leases) and
     * {@code personalDataRetention} (users' texts kept until /forget) were said in their javadoc alone.
     */
    @Test
    void everyBuilderSettingIsNamedInTheEmbeddingSection() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf("\n## Embedding `core` in your own bot");
        assertThat(start).as("README's embedding section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        List<String> settings = java.util.Arrays.stream(dev.kiebot.core.shop.Shop.Builder.class.getDeclaredMethods())
                .filter(m -> java.lang.reflect.Modifier.isPublic(m.getModifiers()))
                .filter(m -> m.getReturnType() == dev.kiebot.core.shop.Shop.Builder.class).map(m -> m.getName())
                .distinct().sorted().toList();
        assertThat(settings).as("Shop.Builder's settings, found").contains("pollPolicy", "workerName", "catalog");
        List<String> unnamed = settings.stream()
                .filter(name -> !Pattern.compile("\\." + name + "(?!\\w)").matcher(section).find()).toList();
        assertThat(unnamed).as("settings README's embedding section never names (\".name\"): say there what leaving "
                + "each out does").isEmpty();
    }

    /** The check itself: a snippet naming a method core does not have fails, and points at the document's line. */
    @Test
    void aSnippetNamingAMethodCoreDoesNotHaveFails(@TempDir Path out) {
        String document = """
                Build it:

                <!-- snippet: statements
                import dev.kiebot.core.shop.Shop;
                -->
                ```java
                Shop.Builder builder = Shop.builder();
                builder.noSuchSetting(3);
                ```
                """;
        List<String> problems = problems(fromMarkdown("GUIDE.md", document), out);

        assertThat(problems).singleElement().asString().contains("GUIDE.md:8").contains("noSuchSetting");
    }

    /** A stand-in in the marker named as a type the block uses hides it: the block compiled against the stand-in. */
    @Test
    void aMarkersStandInHidingACoreTypeFails(@TempDir Path out) {
        String document = """
                <!-- snippet: statements
                import dev.kiebot.core.shop.Shop;
                Shop shop;
                interface Shop { void noSuchSetting(int x); }
                -->
                ```java
                shop.noSuchSetting(3);
                ```
                """;

        assertThat(problems(fromMarkdown("GUIDE.md", document), out))
                .singleElement().asString().contains("GUIDE.md:7").contains("Shop (dev.kiebot.core.shop.Shop)");
    }

    /** A block in a list item is indented, and one may carry words after "java": both are read, not passed unread. */
    @Test
    void anIndentedBlockAndOneWithATitleAreRead(@TempDir Path out) {
        String document = """
                1. Build it:

                   ```java
                   int x = 1;
                   ```
                2. Then:

                ```java title="Then.java"
                int y = 2;
                ```
                """;

        assertThat(problems(fromMarkdown("GUIDE.md", document), out)).hasSize(2)
                .allSatisfy(p -> assertThat(p).contains("<!-- snippet:"));
    }

    /** A javadoc example on the line of its {@code <pre>} is read too. */
    @Test
    void aOneLineJavadocExampleIsRead(@TempDir Path out) {
        String source = """
                package dev.kiebot.core.shop;
                /**
                 * Build it:
                 * <!-- snippet: statements -->
                 * <pre>{@code Shop.builder().noSuchSetting(3);}</pre>
                 */
                final class Guide {
                }
                """;

        assertThat(problems(fromJavadoc("Guide.java", source), out))
                .singleElement().asString().contains("Guide.java:5").contains("noSuchSetting");
    }

    @Test
    void aBlockThatDoesNotSayHowItCompilesFails(@TempDir Path out) {
        String document = """
                ```java
                int x = 1;
                ```
                """;

        assertThat(problems(fromMarkdown("GUIDE.md", document), out))
                .singleElement().asString().contains("GUIDE.md:2").contains("<!-- snippet:");
    }

    static List<Snippet> fromMarkdown(String where, String text) {
        List<Snippet> found = new ArrayList<>();
        Matcher block = FENCE.matcher(text);
        int after = 0;
        while (block.find()) {
            found.add(new Snippet(where, lineOf(text, block.start(1)), text.substring(after, block.start()),
                    block.group(1), ""));
            after = block.end();
        }
        return found;
    }

    static List<Snippet> fromJavadoc(String where, String source) {
        List<Snippet> found = new ArrayList<>();
        Matcher doc = DOC_COMMENT.matcher(source);
        while (doc.find()) {
            List<String> lines = doc.group(1).lines().toList();
            String text = lines.stream().map(l -> l.replaceFirst("^\\s*\\*\\s?", "")).collect(Collectors.joining("\n"));
            Matcher pre = PRE_CODE.matcher(text);
            int after = 0;
            while (pre.find()) {
                int firstLine = lineOf(source, doc.start(1)) + lineOf(text, pre.start(1)) - 1;
                Matcher pkg = PACKAGE.matcher(source);
                String imports = IMPORT.matcher(source).results().map(r -> r.group())
                        .collect(Collectors.joining("\n"))
                        + (pkg.find() ? "\nimport " + pkg.group(1) + ".*;" : "");
                found.add(new Snippet(where, firstLine, text.substring(after, pre.start()), pre.group(1), imports));
                after = pre.end();
            }
        }
        return found;
    }

    /** Compiles every snippet that says it compiles, at once; one line per snippet that does not. */
    static List<String> problems(List<Snippet> snippets, Path out) {
        List<String> problems = new ArrayList<>();
        List<Unit> units = new ArrayList<>();
        for (Snippet snippet : snippets) {
            Matcher marker = MARKER.matcher(snippet.marker());
            String place = snippet.where() + ":" + snippet.firstLine();
            if (!marker.find()) {
                problems.add(place + ": a java block without a marker right before it saying how it compiles "
                        + "(<!-- snippet: statements ... -->, members, or not compiled: why)");
                continue;
            }
            String kind = marker.group(1).replaceFirst("\\s*\\([^)]*\\)$", "");
            Matcher k = KIND.matcher(kind);
            if (!k.matches()) {
                problems.add(place + ": an unknown kind of snippet \"" + kind + "\"");
                continue;
            }
            if (kind.startsWith("not compiled")) {
                continue;
            }
            String context = marker.group(2) == null ? "" : marker.group(2);
            String imports = snippet.extraImports() + "\n" + IMPORT.matcher(context).results().map(r -> r.group())
                    .collect(Collectors.joining("\n"));
            String members = IMPORT.matcher(context).replaceAll("");
            List<String> shadows = shadows(members, imports);
            if (!shadows.isEmpty()) {
                problems.add(place + ": the marker declares " + String.join(", ", shadows) + " as a stand-in, hiding "
                        + "the real type of that name the snippet would use: the block compiles against the stand-in");
                continue;
            }
            String name = "Snippet" + units.size();
            String head = "package snippets;\n" + imports + "\n@SuppressWarnings(\"unused\")\nabstract class " + name
                    + " {\n" + members + "\n"
                    + (kind.equals("members") ? "" : (k.group(1) == null ? "void" : k.group(1))
                            + " snippet() throws Exception {\n");
            String tail = kind.equals("members") ? "\n}\n" : "\n}\n}\n";
            units.add(new Unit(name, place, snippet, (int) head.lines().count(), head + snippet.code() + tail));
        }
        if (units.isEmpty()) {
            return problems;
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            boolean compiled = compiler.getTask(null, files, diagnostics,
                    List.of("-classpath", System.getProperty("java.class.path"), "-d", out.toString(), "-proc:none",
                            "-Xlint:deprecation,removal", "-Werror"),
                    null, units).call();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() != Diagnostic.Kind.ERROR && d.getKind() != Diagnostic.Kind.WARNING
                        && d.getKind() != Diagnostic.Kind.MANDATORY_WARNING) {
                    continue;
                }
                Unit unit = units.stream().filter(u -> u == d.getSource()).findFirst().orElse(null);
                if (unit == null) {
                    problems.add("(no snippet) " + d.getMessage(Locale.ROOT));
                    continue;
                }
                long line = d.getLineNumber() - unit.headLines();
                String where = line >= 1 && line <= unit.snippet().code().lines().count()
                        ? unit.snippet().where() + ":" + (unit.snippet().firstLine() + line - 1)
                        : unit.place() + " (in the marker's declarations)";
                problems.add(where + ": " + d.getMessage(Locale.ROOT).lines().collect(Collectors.joining(" ")));
            }
            if (!compiled && problems.isEmpty()) {
                problems.add("the compiler failed without saying where");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return problems;
    }

    /**
     * The types {@code members} declares that hide a type of the same name the snippet sees: one its imports name, one
     * of a package it imports whole, or one of {@code java.lang}. A member type wins over them all inside the class, so
     * {@code interface Shop { void noSuchSetting(int x); }} in a marker made any call on a shop compile.
     */
    static List<String> shadows(String members, String imports) {
        List<String> packages = new ArrayList<>(List.of("java.lang"));
        List<String> named = new ArrayList<>();
        for (Matcher i = IMPORTED.matcher(imports); i.find(); ) {
            if (i.group(1) != null) {
                continue;
            }
            if (i.group(3) != null) {
                packages.add(i.group(2));
            } else {
                named.add(i.group(2));
            }
        }
        List<String> found = new ArrayList<>();
        for (Matcher t = STAND_IN.matcher(members); t.find(); ) {
            String name = t.group(1);
            named.stream().filter(n -> n.equals(name) || n.endsWith("." + name)).findFirst()
                    .or(() -> packages.stream().map(p -> p + "." + name).filter(PartnerSnippetsTest::exists)
                            .findFirst())
                    .ifPresent(real -> found.add(name + " (" + real + ")"));
        }
        return found;
    }

    private static boolean exists(String className) {
        try {
            Class.forName(className, false, PartnerSnippetsTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static int lineOf(String text, int offset) {
        return (int) text.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
    }

    /** One snippet put in its class, as a source the compiler reads from memory. */
    private static final class Unit extends SimpleJavaFileObject {
        private final String place;
        private final Snippet snippet;
        private final int headLines;
        private final String source;

        Unit(String name, String place, Snippet snippet, int headLines, String source) {
            super(URI.create("string:///snippets/" + name + ".java"), Kind.SOURCE);
            this.place = place;
            this.snippet = snippet;
            this.headLines = headLines;
            this.source = source;
        }

        String place() {
            return place;
        }

        Snippet snippet() {
            return snippet;
        }

        int headLines() {
            return headLines;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source;
        }
    }
}
