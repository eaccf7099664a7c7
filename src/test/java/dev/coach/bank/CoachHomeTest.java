package dev.coach.bank;

import dev.coach.testing.BankFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CoachHomeTest {
    @TempDir
    Path dir;

    @Test
    void configDirFollowsXdgConfigHome() {
        assertEquals(dir.resolve("coach"), CoachHome.configDir(Map.of("XDG_CONFIG_HOME", dir.toString())));
    }

    @Test
    void theUsersBankDirectoryIsLoadedAfterTheShippedOneAndBeforeExtraDirectories() throws Exception {
        Path home = BankFixtures.validBank(dir.resolve("home/bank")).getParent();
        Path config = dir.resolve("config/coach");
        Files.createDirectories(config.resolve("bank"));
        CoachHome h = new CoachHome(home, config);
        assertEquals(List.of(home.resolve("bank"), config.resolve("bank"), dir.resolve("extra")), h.bankDirectories(List.of(dir.resolve("extra"))));
    }

    @Test
    void noUserBankDirectoryMeansOnlyTheShippedOne() {
        CoachHome h = new CoachHome(dir, dir.resolve("nowhere"));
        assertEquals(List.of(dir.resolve("bank")), h.bankDirectories(List.of()));
    }

    @Test
    void aCheckoutIsFoundFromAnySubdirectoryWhenNothingElseNamesOne() throws Exception {
        BankFixtures.validBank(dir.resolve("checkout/bank"));
        Path deep = Files.createDirectories(dir.resolve("checkout/src/main"));
        String saved = System.getProperty("coach.home");
        System.clearProperty("coach.home");
        try {
            assertEquals(java.util.Optional.of(dir.resolve("checkout")), CoachHome.findHome(Map.of(), null, deep));
            Path other = BankFixtures.validBank(dir.resolve("other/bank")).getParent();
            assertEquals(java.util.Optional.of(other), CoachHome.findHome(Map.of("COACH_HOME", other.toString()), null, deep),
                    "COACH_HOME wins over the working directory");
            assertEquals(java.util.Optional.empty(), CoachHome.findHome(Map.of(), null, dir.resolve("elsewhere")));
        } finally {
            if (saved != null) {
                System.setProperty("coach.home", saved);
            }
        }
    }
}
