package dev.kiebot.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
}
