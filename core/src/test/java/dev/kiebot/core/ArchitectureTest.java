package dev.kiebot.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** core depends on the JDK only (checked on the bytecode and on the POM), and each of its packages says what it is for. */
class ArchitectureTest {
    private final JavaClasses core = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.kiebot.core");

    @Test
    void coreClassesUseOnlyTheJdkAndCore() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.kiebot.core..")
                .check(core);
    }

    @Test
    void theDomainDoesNotReachIntoTheApplicationLayer() {
        classes().that().resideInAnyPackage("dev.kiebot.core.catalog..", "dev.kiebot.core.ledger..",
                        "dev.kiebot.core.jobs..")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "dev.kiebot.core.catalog..", "dev.kiebot.core.ledger..",
                        "dev.kiebot.core.jobs..")
                .check(core);
    }

    @Test
    void everyPomDependencyIsTestScoped() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL).matcher(pom);
        int count = 0;
        while (m.find()) {
            assertThat(m.group(1)).as("core dependency %s", m.group(1)).contains("<scope>test</scope>");
            count++;
        }
        assertThat(count).isPositive();
    }

    /**
     * A partner meets core package by package: each says what it is for, its ports and its rules, in a
     * package-info.java (javadoc shows nothing else for a package).
     */
    @Test
    void everyPackageSaysWhatItIsFor() throws IOException {
        Path sources = Path.of("src/main/java/dev/kiebot/core");
        List<Path> packages;
        try (Stream<Path> dirs = Files.walk(sources)) {
            packages = dirs.filter(Files::isDirectory)
                    .filter(ArchitectureTest::hasJava)
                    .toList();
        }
        assertThat(packages).isNotEmpty();
        for (Path dir : packages) {
            Path info = dir.resolve("package-info.java");
            assertThat(info).as("%s has a package-info.java", sources.relativize(dir)).exists();
            assertThat(Files.readString(info)).as("%s says what it is for", info).contains("/**");
        }
    }

    private static boolean hasJava(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.toString().endsWith(".java"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
