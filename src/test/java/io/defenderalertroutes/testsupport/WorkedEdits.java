package io.defenderalertroutes.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's worked edits, applied as a user would: the YAML block that follows a marker
 * {@code <!-- worked-edit: NAME, after STEP-ID in FILE -->} is put into a copy of {@code routes/FILE} right after the
 * step with that id, at its indentation; {@code <!-- worked-edit: NAME, append to FILE -->} adds the block (routes)
 * at the end. The copy of the whole {@code routes/} directory is what the bundle then loads.
 */
public final class WorkedEdits {

    private static final Pattern MARKER = Pattern.compile(
            "<!-- worked-edit: ([a-z0-9-]+), (?:after ([a-z0-9-]+) in|append to) ([a-z0-9.-]+\\.yaml)");

    private WorkedEdits() {
    }

    /** A copy of the repository's {@code routes/} in {@code target} with the named edits of the README made. */
    public static Path routesWith(Path target, String... edits) throws IOException {
        Files.createDirectories(target);
        try (var files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        String readme = Files.readString(Path.of("README.md"));
        for (String edit : edits) {
            apply(readme, edit, target);
        }
        return target;
    }

    /** The pattern that loads the edited copy instead of the bundle's own routes. */
    public static String includePattern(Path routes) {
        return "file:" + routes.toAbsolutePath() + "/*.camel.yaml";
    }

    private static void apply(String readme, String edit, Path routes) throws IOException {
        Matcher marker = MARKER.matcher(readme);
        while (marker.find()) {
            if (!marker.group(1).equals(edit)) {
                continue;
            }
            int open = readme.indexOf("```yaml\n", marker.end());
            int close = readme.indexOf("```", open + 8);
            List<String> block = dedent(readme.substring(open + 8, close));
            Path file = routes.resolve(marker.group(3));
            List<String> lines = new ArrayList<>(Files.readAllLines(file));
            if (marker.group(2) == null) {
                lines.addAll(block);
            } else {
                insertAfter(lines, marker.group(2), block);
            }
            Files.write(file, lines);
            return;
        }
        throw new IllegalArgumentException("README.md has no worked edit named " + edit);
    }

    /** Puts {@code block} after the step whose {@code id:} is {@code stepId}, as a step of the same list. */
    private static void insertAfter(List<String> lines, String stepId, List<String> block) {
        int idLine = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().equals("id: " + stepId)) {
                idLine = i;
                break;
            }
        }
        if (idLine < 0) {
            throw new IllegalArgumentException("no step with id " + stepId);
        }
        int start = idLine;
        while (!lines.get(start).trim().startsWith("- ")) {
            start--;
        }
        int indent = lines.get(start).indexOf('-');
        int end = start + 1;
        while (end < lines.size() && (lines.get(end).isBlank() || indentOf(lines.get(end)) > indent)) {
            end++;
        }
        String pad = " ".repeat(indent);
        lines.addAll(end, block.stream().map(l -> l.isEmpty() ? l : pad + l).toList());
    }

    private static List<String> dedent(String text) {
        List<String> lines = text.lines().toList();
        int least = lines.stream().filter(l -> !l.isBlank()).mapToInt(WorkedEdits::indentOf).min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(least)).toList();
    }

    private static int indentOf(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
