package dev.kiebot.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
