package dev.kiebot.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What a partner who embeds {@code core} can name: every public type, nested ones included, listed in
 * {@code core-public-types.txt}. A type made public, or no longer public, fails here until the list says so, so that
 * the change is a decision (documented in its package's {@code package-info.java} and in {@code CHANGELOG.md}, the
 * partners' list of changes), not a side effect of a runner's convenience. That every package, core's and the others', says what it
 * is for in a {@code package-info.java} is {@link PackageInfoTest}'s.
 */
class CorePublicSurfaceTest {
    private static final String LIST = "core-public-types.txt";
    /** The heading in the list above the types that are public for core's own packages, not for partners. */
    private static final String NOT_PARTNER_API = "Not partner API";

    @Test
    void corePublicTypesAreTheListedOnes() throws IOException {
        Set<String> actual = DependencyRulesTest.KIEBOT.stream()
                .filter(c -> c.getPackageName().startsWith("dev.kiebot.core"))
                .filter(c -> !c.getPackageName().startsWith("dev.kiebot.core.testing"))
                .filter(c -> !c.getSimpleName().equals("package-info") && !c.isAnonymousClass())
                .filter(CorePublicSurfaceTest::reachable)
                .map(c -> c.getName().substring("dev.kiebot.core.".length()))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> listed = listed();

        Set<String> madePublic = new TreeSet<>(actual);
        madePublic.removeAll(listed);
        Set<String> noLongerPublic = new TreeSet<>(listed);
        noLongerPublic.removeAll(actual);
        assertThat(madePublic).as("public in core but not in architecture/src/test/resources/" + LIST + ": a "
                + "partner could now name them. Needed by a partner: add them to the list, with javadoc saying what "
                + "they are for, and a line in CHANGELOG.md. Needed only by kiebot's "
                + "runtime: reach them through an existing entry (e.g. ShopWork.Parts), else say so in their "
                + "javadoc. Otherwise make them package-private").isEmpty();
        assertThat(noLongerPublic).as("listed in " + LIST + " but no longer public in core: a partner's code "
                + "naming them stops compiling. Remove them from the list and say so in "
                + "CHANGELOG.md").isEmpty();
    }

    /**
     * A type public only because another package of core uses it (the conversation the shop runs, the texts' shaping)
     * is listed under the list's "Not partner API" heading, and its package-info says so by name: a partner reading
     * the javadoc or the list must not take it for API he may build on.
     */
    @Test
    void typesThatAreNotPartnerApiAreSaidSoInTheirPackage() throws IOException {
        Set<String> internal = notPartnerApi();
        assertThat(internal).as("the types under " + LIST + "'s \"" + NOT_PARTNER_API + "\" heading")
                .contains("conversation.Conversation", "text.Snippet");
        List<String> unsaid = new ArrayList<>();
        for (String type : internal) {
            String pkg = type.substring(0, type.lastIndexOf('.'));
            String topLevel = type.substring(pkg.length() + 1).split("\\$")[0];
            String info = Files.readString(Path.of("../core/src/main/java/dev/kiebot/core", pkg.replace('.', '/'),
                    "package-info.java"));
            if (!notPartnerApiParagraph(info).contains("{@code " + topLevel + "}")) {
                unsaid.add(type);
            }
        }
        assertThat(unsaid).as("listed as not partner API, but their package-info.java does not say so by name (a "
                + "paragraph starting \"Not partner API:\" naming each top-level type)").isEmpty();
    }

    /**
     * The package-info's paragraph starting "Not partner API:", up to the next paragraph or the comment's end; empty
     * without one. A name elsewhere (the partner's paragraph explaining what a type does) does not say it is internal.
     */
    private static String notPartnerApiParagraph(String info) {
        int start = info.indexOf("<p>" + NOT_PARTNER_API + ":");
        if (start < 0) {
            return "";
        }
        int next = info.indexOf("<p>", start + 1);
        int end = info.indexOf("*/", start);
        return info.substring(start, next < 0 || next > end ? end : next);
    }

    /** The types listed after the list's "Not partner API" heading. */
    private static Set<String> notPartnerApi() throws IOException {
        try (InputStream in = CorePublicSurfaceTest.class.getResourceAsStream("/" + LIST)) {
            assertThat(in).as(LIST).isNotNull();
            Set<String> after = new TreeSet<>();
            boolean underHeading = false;
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip).toList()) {
                underHeading |= l.startsWith("# " + NOT_PARTNER_API);
                if (underHeading && !l.isEmpty() && !l.startsWith("#")) {
                    after.add(l);
                }
            }
            return after;
        }
    }

    /** Public, and so are the types it is nested in: a partner can name it. */
    private static boolean reachable(JavaClass c) {
        for (Optional<JavaClass> t = Optional.of(c); t.isPresent(); t = t.get().getEnclosingClass()) {
            if (!t.get().getModifiers().contains(JavaModifier.PUBLIC)) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> listed() throws IOException {
        try (InputStream in = CorePublicSurfaceTest.class.getResourceAsStream("/" + LIST)) {
            assertThat(in).as(LIST).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
