package dev.kiebot.kie.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped catalog's Russian titles tell sibling models apart in one list (the screen crawler's review found
 * «Ideogram: герой с фото» beside «Ideogram: герой в фото», «Seedream 5 Lite» beside «Seedream Lite: по фото», «Kling
 * 3.0: быстрая» beside «Kling 3: быстро по фото»): a family writes its version one way, a variant named after its
 * version keeps the version, and two titles differ by more than a preposition.
 */
class SiblingTitlesTest {
    private static final Catalog CATALOG = KieCatalog.fromClasspath();
    /** A version in a title: «3», «3.0», «2.5», «V3» («02» is Hailuo's own name for its second version). */
    private static final Pattern VERSION = Pattern.compile("^V?\\d+(\\.\\d+)?\\+?$");

    private static List<String> titles() {
        return CATALOG.models().stream().map(m -> m.title("ru")).toList();
    }

    /** The title's name, before its colon: «Kling 3.0» of «Kling 3.0: быстрая». */
    private static String name(String title) {
        int colon = title.indexOf(':');
        return colon < 0 ? title : title.substring(0, colon);
    }

    @Test
    void aFamilyWritesItsVersionOneWay() {
        List<String> found = new ArrayList<>();
        for (String a : titles()) {
            for (String b : titles()) {
                String[] x = name(a).split(" ");
                String[] y = name(b).split(" ");
                // «Kling 3» and «Kling 3.0»: the same version, spelt two ways
                if (x.length >= 2 && y.length >= 2 && x[0].equals(y[0]) && x[1].matches("\\d+")
                        && y[1].equals(x[1] + ".0")) {
                    found.add("«" + a + "» / «" + b + "»");
                }
            }
        }
        assertThat(found).isEmpty();
    }

    /**
     * A word after the version names a variant of that version («Seedream 5 Lite»): a sibling with the word and no
     * version («Seedream Lite: по фото») reads as another model. A version at the end is a model's own name, its first
     * one having none («Nano Banana» and «Nano Banana 2»).
     */
    @Test
    void aVariantKeepsItsVersion() {
        List<String> found = new ArrayList<>();
        for (String a : titles()) {
            String[] words = name(a).split(" ");
            for (int i = 1; i < words.length - 1; i++) {
                if (VERSION.matcher(words[i]).matches()) {
                    List<String> without = new ArrayList<>(List.of(words));
                    without.remove(i);
                    String dropped = String.join(" ", without);
                    titles().stream().filter(b -> name(b).equals(dropped))
                            .forEach(b -> found.add("«" + b + "» beside «" + a + "»"));
                }
            }
        }
        assertThat(found).isEmpty();
    }

    /**
     * Two titles of one section that differ by a preposition alone («с фото» / «в фото») say nothing of the
     * difference.
     */
    @Test
    void noTwoTitlesOfASectionDifferByAPrepositionAlone() {
        List<String> found = new ArrayList<>();
        List<Model> models = CATALOG.models();
        for (Model a : models) {
            for (Model b : models) {
                if (a.category() != b.category() || a.id().compareTo(b.id()) >= 0) {
                    continue;
                }
                String[] x = a.title("ru").split(" ");
                String[] y = b.title("ru").split(" ");
                if (x.length != y.length) {
                    continue;
                }
                int differing = 0;
                boolean prepositionOnly = true;
                for (int i = 0; i < x.length; i++) {
                    if (!x[i].equals(y[i])) {
                        differing++;
                        // a word of one or two letters, not a number («Hailuo 02» / «Hailuo 23» are versions)
                        prepositionOnly &= x[i].length() <= 2 && y[i].length() <= 2 && !x[i].matches("\\d+")
                                && !y[i].matches("\\d+");
                    }
                }
                if (differing == 1 && prepositionOnly) {
                    found.add("«" + a.title("ru") + "» / «" + b.title("ru") + "»");
                }
            }
        }
        assertThat(found).isEmpty();
    }
}
