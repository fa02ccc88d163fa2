package dev.kiebot.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The names the documents give as proof or as API exist: every test class README, ARCHITECTURE.md, the console shop's
 * README and CHANGELOG's unreleased section name, and every member a {@code `Class.member`} there names ({@code
 * `UnsentResultsTest.aJobOfOneFile…`}: «…» stands for any letters, so the name is a prefix; {@code `…aJobNoneOf…`}
 * after it is a method of the last class named in the paragraph). A test renamed or merged left README citing it for
 * sessions, and a reader who looks for the proof finds nothing. The sources are read as text (every {@code .java} of
 * the repository, build output aside; comments and strings left out), so a member is found where it is declared: in
 * its class's file or a type it extends, nested types included. A class named alone ({@code `LeftoverPostmaster`})
 * must exist too, but not in CHANGELOG, whose entries name classes since renamed as they were then. A class outside
 * the repository must be the JDK's ({@code Optional.empty}); a file name ({@code V29__….sql}) is not a class. Code
 * blocks are skipped: they show what a partner writes ({@code MongoContractsTest}). CHANGELOG names what a change
 * removed: a member, not a test, that the sentence says is gone ({@code `Msg.ASK_TEXT` is gone}, {@code Texts
 * removed: `Msg.ASK_TEXT`}) is not looked for.
 */
class DocumentedNamesTest {
    /** The repository's root, from the architecture module's directory, where Maven runs its tests. */
    private static final Path ROOT = Path.of("..");
    private static final List<String> DOCUMENTS =
            List.of("README.md", "ARCHITECTURE.md", "examples/console-shop/README.md");
    private static final String CHANGELOG = "CHANGELOG.md";
    /** Where a class outside the repository may come from: the documents name only these of the JDK. */
    private static final List<String> JDK_PACKAGES =
            List.of("java.lang.", "java.util.", "java.time.", "java.math.", "java.nio.file.", "java.util.concurrent.");
    private static final Set<String> FILE_SUFFIXES =
            Set.of("sql", "md", "java", "txt", "json", "yaml", "yml", "properties", "jar", "xml", "sh", "csv");

    /** A test class named anywhere; not a glob ({@code *EndToEndTest}), a file or a path's part. */
    private static final Pattern TEST_CLASS = Pattern.compile("(?<![\\w*…./-])([A-Z]\\w*Test)\\b(?!\\.java)");
    /** {@code `Class.member`}, {@code `Class.Nested.member…`}, {@code `Class.method()`}. */
    private static final Pattern MEMBER = Pattern.compile("`([A-Z]\\w*)((?:\\.[\\w…]+)+)(?:\\(\\))?`");
    /** A class named alone, {@code `LeftoverPostmaster`}: two humps at least, so no word or constant. */
    private static final Pattern BARE_TYPE = Pattern.compile("`([A-Z][a-z0-9]+[A-Z]\\w*)(?:\\(\\))?`");
    /** {@code `…aJobNoneOf…`}, {@code `….aSuccess…`} or {@code `aFreeResult…`}: a method of the class named before. */
    private static final Pattern MORE =
            Pattern.compile("`(?:…\\.?|\\.…)([a-z]\\w*[\\w…]*)`|`([a-z][a-z0-9]*[A-Z]\\w*…)`");
    private static final Pattern SOURCE_NOISE = Pattern.compile(
            "//[^\\n]*|/\\*.*?\\*/|\"\"\".*?\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])*'",
            Pattern.DOTALL);
    private static final Pattern TYPE = Pattern.compile("\\b(?:class|interface|enum|record)\\s+([A-Z]\\w*)");
    private static final Pattern SUPERTYPES =
            Pattern.compile("\\b(?:extends|implements)\\s+([\\w<>.,\\s?]+?)\\s*\\{");
    private static final Pattern WORD_BEFORE = Pattern.compile("(\\w+)\\s*$");
    private static final Set<String> NOT_A_TYPE = Set.of("return", "new", "throw", "else", "case", "yield", "assert");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");
    /** What may stand between a cited name and «is gone»: other names (masked), «and», commas, a parenthesis. */
    private static final Pattern REMOVED_AFTER = Pattern.compile(
            "^(?:[\\s,\\x00]|\\band\\b|\\([^)]*\\))*+(?:which\\s+)?(?:(?:is|are)\\s+gone|removed)\\b");
    private static final Pattern REMOVED_BEFORE = Pattern.compile("removed:(?:[\\s,\\x00]|\\band\\b)*+$");

    /** Simple type name (nested ones too) → the texts of the files declaring it, without comments and strings. */
    private static final Map<String, List<String>> TYPES = new HashMap<>();

    @BeforeAll
    static void readSources() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).filter(f -> !built(f)).toList()) {
                String code = SOURCE_NOISE.matcher(Files.readString(file)).replaceAll(m -> m.group().startsWith("/")
                        ? " " : "\"\"");
                Matcher m = TYPE.matcher(code);
                while (m.find()) {
                    TYPES.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(code);
                }
            }
        }
        assertThat(TYPES).as("the repository's sources, read from .. (run from the architecture module's directory)")
                .containsKeys("Shop", "DocumentedNamesTest", "StoresContract");
    }

    @Test
    void everyTestAndMemberTheDocumentsNameExists() throws IOException {
        List<String> stale = new ArrayList<>();
        for (String document : DOCUMENTS) {
            stale.addAll(staleIn(document, Files.readString(ROOT.resolve(document)), 0, true));
        }
        String changelog = Files.readString(ROOT.resolve(CHANGELOG));
        Matcher unreleased = Pattern.compile("(?m)^## .*\\(unreleased\\).*$").matcher(changelog);
        assertThat(unreleased.find()).as(CHANGELOG + " has a section «## … (unreleased)»").isTrue();
        int end = changelog.indexOf("\n## ", unreleased.end());
        String section = changelog.substring(unreleased.start(), end < 0 ? changelog.length() : end);
        int firstLine = (int) changelog.substring(0, unreleased.start()).lines().count();
        stale.addAll(staleIn(CHANGELOG, section, firstLine, false));
        assertThat(stale).as("names in the documents that the sources no longer have: find what the test or member is "
                + "called now (`git log -S<name>`) and name that, or say it without the name").isEmpty();
    }

    @Test
    void aRenamedTestOrMemberIsFound() {
        String doc = "Proved (`DocumentedNamesTest.everyTestAndMember…`, `…aRenamed…`, `…aTestNobodyWrote…`).\n"
                + "`Shop.Builder.refundCalls` and `Shop.Builder.refundsByPigeon`;\n"
                + "`NoSuchThingTest`, `ZonedClock.now`;\n"
                + "`PackageInfoTest` (`everyProduction…`, `aMethodItLacks…`) and `…sourceTrees`.\n"
                + "Texts removed: `Msg.NEVER_THERE` and `Msg.NOR_THIS` (`x.y`); `Msg.ALSO_NOT` is gone.\n"
                + "A file gone at Kie is told `Msg.NOT_THERE_EITHER`.\n"
                + "`Optional.empty`, `V29__x.sql`, `*EndToEndTest`;\n"
                + "`BigDecimal`, `LeftoverPostmaster`, `CatalogLoader`.\n"
                + "\n`…aLonelyMethod…`\n"
                + "```java\nclass MongoContractsTest {}\n```\n";
        assertThat(staleIn("doc.md", doc, 10, true)).containsExactlyInAnyOrder(
                "doc.md:11: `…aTestNobodyWrote…`: no member aTestNobodyWrote… in DocumentedNamesTest",
                "doc.md:12: `Shop.Builder.refundsByPigeon`: no member refundsByPigeon in Shop",
                "doc.md:13: NoSuchThingTest: no such test class",
                "doc.md:13: `ZonedClock.now`: no class ZonedClock in the repository or the JDK",
                "doc.md:14: `aMethodItLacks…`: no member aMethodItLacks… in PackageInfoTest",
                "doc.md:16: `Msg.NOT_THERE_EITHER`: no member NOT_THERE_EITHER in Msg",
                "doc.md:18: `CatalogLoader`: no class CatalogLoader in the repository or the JDK",
                "doc.md:20: `…aLonelyMethod…`: a method of which class? Name it before, in the paragraph");
    }

    /**
     * The stale names in {@code text}, each as «document:line: what», lines counted from {@code firstLine} + 1; a class
     * named alone too when {@code bareTypes} (not in CHANGELOG, whose entries name classes since renamed, as such).
     */
    private static List<String> staleIn(String document, String text, int firstLine, boolean bareTypes) {
        List<String> stale = new ArrayList<>();
        String lastTest = null;
        boolean code = false;
        int number = firstLine;
        for (String line : text.split("\n", -1)) {
            number++;
            if (line.startsWith("```")) {
                code = !code;
                continue;
            }
            if (code) {
                continue;
            }
            if (line.isBlank()) {
                lastTest = null;
            }
            String where = document + ":" + number + ": ";
            if (bareTypes) {
                for (MatchResult m : BARE_TYPE.matcher(line).results().toList()) {
                    String type = m.group(1);
                    if (!type.endsWith("Test") && !TYPES.containsKey(type) && !inJdk(type)) {
                        stale.add(where + m.group() + ": no class " + type + " in the repository or the JDK");
                    }
                }
            }
            for (Found found : found(line)) {
                MatchResult m = found.match();
                String cited = m.group();
                if (found.kind() == Kind.TEST) {
                    lastTest = m.group(1);
                    if (!TYPES.containsKey(lastTest)) {
                        stale.add(where + lastTest + ": no such test class");
                    }
                    continue;
                }
                String type;
                List<String> path;
                if (found.kind() == Kind.MORE) {
                    if (lastTest == null) {
                        stale.add(where + cited + ": a method of which class? Name it before, in the paragraph");
                        continue;
                    }
                    type = lastTest;
                    path = List.of(m.group(1) != null ? m.group(1) : m.group(2));
                } else {
                    type = m.group(1);
                    path = List.of(m.group(2).substring(1).split("\\."));
                    if (FILE_SUFFIXES.contains(path.get(path.size() - 1))) {
                        continue;
                    }
                }
                if (!TYPES.containsKey(type)) {
                    if (!type.endsWith("Test") && !inJdk(type)) {
                        stale.add(where + cited + ": no class " + type + " in the repository or the JDK");
                    }
                    continue;
                }
                if (!type.endsWith("Test") && saidRemoved(line, m.start(), m.end())) {
                    continue;
                }
                for (String name : path) {
                    if (!name.isEmpty() && !declares(TYPES.get(type), name, new HashSet<>())) {
                        stale.add(where + cited + ": no member " + name + " in " + type);
                    }
                }
            }
        }
        return stale;
    }

    private enum Kind { TEST, MEMBER, MORE }

    private record Found(Kind kind, MatchResult match) {}

    /** What {@code line} names, in the order it names it: a test class's name comes before its members. */
    private static List<Found> found(String line) {
        List<Found> found = new ArrayList<>();
        TEST_CLASS.matcher(line).results().forEach(r -> found.add(new Found(Kind.TEST, r)));
        MEMBER.matcher(line).results().forEach(r -> found.add(new Found(Kind.MEMBER, r)));
        MORE.matcher(line).results().forEach(r -> found.add(new Found(Kind.MORE, r)));
        found.sort(java.util.Comparator.comparingInt((Found f) -> f.match().start()).thenComparing(Found::kind));
        return found;
    }

    /**
     * Whether {@code line} says the member cited at {@code start}..{@code end} is no more: «`Msg.X` (`x.y`) is gone»,
     * «`Msg.X` and `Y` are gone», «`Msg.X`, which is gone», «`Msg.X`, removed», «Texts removed: `Msg.X` and `Msg.Y`».
     */
    private static boolean saidRemoved(String line, int start, int end) {
        String plain = CODE_SPAN.matcher(line).replaceAll(m -> "\0".repeat(m.group().length()));
        return REMOVED_AFTER.matcher(plain.substring(end)).find()
                || REMOVED_BEFORE.matcher(plain.substring(0, start)).find();
    }

    /**
     * Whether one of {@code codes} (or a type one extends) declares {@code name}: a method, field, constant, record
     * component, enum constant or nested type; «…» in it stands for any letters.
     */
    private static boolean declares(List<String> codes, String name, Set<String> seen) {
        String pattern = String.join("\\w*", name.split("…", -1));
        Pattern declared = Pattern.compile("[\\w>\\]?]\\s+(" + pattern + ")\\s*[(=;,)]");
        Pattern nested = Pattern.compile("\\b(?:class|interface|enum|record)\\s+" + pattern + "\\b");
        Pattern constant = Pattern.compile("(?m)(?:^|,)\\s*" + pattern + "\\s*[,;({}]");
        for (String code : codes) {
            if (!seen.add(code)) {
                continue;
            }
            Matcher m = declared.matcher(code);
            while (m.find()) {
                Matcher before = WORD_BEFORE.matcher(code.substring(Math.max(0, m.start() - 20), m.start() + 1));
                if (!before.find() || !NOT_A_TYPE.contains(before.group(1))) {
                    return true;
                }
            }
            if (nested.matcher(code).find() || constant.matcher(code).find()) {
                return true;
            }
            Matcher supers = SUPERTYPES.matcher(code);
            while (supers.find()) {
                for (String type : supers.group(1).replaceAll("<[^<>]*>", "").split("[^\\w]+")) {
                    if (TYPES.containsKey(type) && declares(TYPES.get(type), name, seen)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean inJdk(String type) {
        for (String pkg : JDK_PACKAGES) {
            try {
                Class.forName(pkg + type, false, ClassLoader.getPlatformClassLoader());
                return true;
            } catch (ClassNotFoundException e) {
                // another package
            }
        }
        return false;
    }

    /** Build output and the repository's own files: no sources. */
    private static boolean built(Path file) {
        for (Path part : ROOT.relativize(file)) {
            if (part.toString().equals("target") || part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
