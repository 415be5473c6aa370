package io.defenderalertroutes.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One look at a tenant directory while the bundle runs: a bad file is set aside with its reason, and a file gone
 * between the listing and the reading (a swap in progress) is neither a tenant nor a mistake.
 */
class TenantDirectoryScanTest {

    @TempDir
    Path dir;

    @Test
    void aBadFileIsSetAsideAndAFileGoneWhileReadIsLeftForTheNextLook() throws Exception {
        Files.writeString(dir.resolve("contoso.properties"), "tenant-id=8f1c2d3e-0000-4000-8000-123456789abc\n");
        Files.writeString(dir.resolve("fabrikam.properties"), "defender.tenant-id=x\n");
        // listed, but its target is gone by the time it is read
        Files.createSymbolicLink(dir.resolve("northwind.properties"), dir.resolve("..2026_12_06_gone/northwind.properties"));

        TenantDirectory.Scan scan = TenantDirectory.scan(dir);

        assertEquals(List.of("contoso"), scan.files().stream().map(TenantDirectory.TenantFile::name).toList());
        assertEquals(Map.of("tenant-id", "8f1c2d3e-0000-4000-8000-123456789abc"), scan.files().get(0).keys());
        assertEquals(Set.of("fabrikam"), scan.unreadable().keySet());
        assertTrue(scan.unreadable().get("fabrikam").getMessage().contains("fabrikam.properties: defender.tenant-id: give "
                + "the key without its prefix"), scan.unreadable().get("fabrikam").getMessage());
        assertEquals(Set.of("northwind"), scan.vanished());
    }
}
