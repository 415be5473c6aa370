package io.defenderalertroutes.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * What the README and docs/ promise about themselves: a short README that maps every page of docs/, the one test
 * command that .ci/run runs, links that lead somewhere, and no machine's absolute path in any page.
 */
class DocsTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)\\s]*)?\\)");
    /** Paths of a developer's or CI machine; container paths (/app, /run/secrets, /opt/kafka) are the image's. */
    private static final Pattern MACHINE_PATH = Pattern.compile("(?<![\\w.:/])/(work|home|Users|root|tmp|var/folders)/"
            + "|[A-Z]:\\\\(Users|work)");
    /** Written by the branch that moves the Java packages; linked from here, not written here. */

    private static List<Path> pages() throws Exception {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md"), Path.of("CHANGELOG.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    @Test
    void theReadmeIsShortAndMapsEveryPageOfDocs() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.lines().count() <= 200, "README.md lines: " + readme.lines().count());
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            for (Path page : docs.filter(p -> p.toString().endsWith(".md")).toList()) {
                assertTrue(readme.contains("](docs/" + page.getFileName() + ")"), "README.md links " + page);
            }
        }
    }

    @Test
    void ciRunsExactlyTheTestCommandTheReadmeGives() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher command = Pattern.compile("Run the tests[^`]*```sh\n([^\n]+)\n```").matcher(readme);
        assertTrue(command.find(), "README.md gives the test command");
        String ci = Files.readString(Path.of(".ci/run"));
        List<String> commands = ci.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertEquals(command.group(1).trim(), commands.get(commands.size() - 1), ".ci/run ends with the README's command");
        assertEquals("mvn -B verify", command.group(1).trim());
    }

    @Test
    void everyRelativeLinkLeadsToAFileAndEveryPageStartsWithATitleAndASummary() throws Exception {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            String text = Files.readString(page);
            Matcher link = LINK.matcher(text);
            while (link.find()) {
                String target = link.group(1);
                if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("mailto:")) {
                    continue;
                }
                Path resolved = page.resolveSibling(target).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(page + " -> " + target);
                }
            }
            if (page.getParent() != null) {
                List<String> lines = text.lines().toList();
                assertTrue(lines.get(0).startsWith("# "), page + " starts with its title");
                assertTrue(lines.get(1).isEmpty() && !lines.get(2).isBlank() && !lines.get(2).startsWith("#"),
                        page + " starts with a summary paragraph");
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void noPageShowsAMachinesAbsolutePath() throws Exception {
        List<String> found = new ArrayList<>();
        for (Path page : pages()) {
            List<String> lines = Files.readAllLines(page);
            for (int i = 0; i < lines.size(); i++) {
                if (MACHINE_PATH.matcher(lines.get(i)).find()) {
                    found.add(page + ":" + (i + 1) + ": " + lines.get(i));
                }
            }
        }
        assertEquals(List.of(), found);
    }
}
