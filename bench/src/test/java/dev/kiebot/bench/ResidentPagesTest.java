package dev.kiebot.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResidentPagesTest {

    @Test
    void aPageMappedByTwoMembersCountsOnce() throws Exception {
        long self = ProcessHandle.current().pid();
        long once = ResidentPages.distinctKb(List.of(self));
        assumeThat(once).as("pagemap names frames only to root").isPositive();

        long twice = ResidentPages.distinctKb(List.of(self, self));

        // the same process listed twice maps every page twice: a sum of RSS would double, distinct pages do not
        assertThat(twice).isBetween(once - 4_096, once + 4_096);
        assertThat(once).isLessThanOrEqualTo(vmRssKb(self) + 4_096);
    }

    private static long vmRssKb(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")))
                .findFirst().orElseThrow();
    }
}
