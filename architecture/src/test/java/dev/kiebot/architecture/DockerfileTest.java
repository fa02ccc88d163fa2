package dev.kiebot.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile's build stage copies the pom of every module the root {@code pom.xml} builds by default before it
 * fetches the dependencies: with one missing, Maven refuses the whole reactor ("Child module … does not exist"), the
 * step fetched nothing (its failure is ignored, it is only a cache), and every image build downloaded everything
 * again in the build step. A module added to {@code <modules>} and not to the Dockerfile fails here, not in a
 * slow, cache-less image build.
 */
class DockerfileTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
    private static final Pattern MODULE = Pattern.compile("<module>\\s*([^<]+?)\\s*</module>");

    @Test
    void theBuildStageCopiesThePomOfEveryModuleOfTheReactor() throws IOException {
        List<String> modules = defaultModules();
        assertThat(modules).as("the root pom's modules, read from ../pom.xml").contains("core", "core-testing",
                "examples/console-shop", "architecture");
        String build = buildStage();
        List<String> missing = new ArrayList<>();
        for (String module : modules) {
            if (!build.contains("COPY " + module + "/pom.xml " + module + "/\n")) {
                missing.add("COPY " + module + "/pom.xml " + module + "/");
            }
        }
        assertThat(missing).as("lines the Dockerfile's build stage lacks before its dependency:go-offline").isEmpty();
    }

    /** The root pom's {@code <modules>} outside its profiles: what {@code mvn package} builds in the image. */
    static List<String> defaultModules() throws IOException {
        String pom = COMMENT.matcher(Files.readString(ROOT.resolve("pom.xml"))).replaceAll("");
        int profiles = pom.indexOf("<profiles>");
        String main = profiles < 0 ? pom : pom.substring(0, profiles);
        List<String> modules = new ArrayList<>();
        Matcher m = MODULE.matcher(main);
        while (m.find()) {
            modules.add(m.group(1));
        }
        return modules;
    }

    /** The build stage up to the step that fetches the dependencies. */
    private static String buildStage() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        int goOffline = dockerfile.indexOf("dependency:go-offline");
        assertThat(goOffline).as("the Dockerfile fetches the dependencies in a step of their own").isPositive();
        return dockerfile.substring(0, goOffline);
    }
}
