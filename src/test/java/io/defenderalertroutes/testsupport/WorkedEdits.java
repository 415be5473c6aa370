package io.defenderalertroutes.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The worked edits of {@code docs/reshaping.md}, applied as a user would: the YAML block that follows a marker
 * {@code <!-- worked-edit: NAME, after STEP-ID in FILE -->} is put into a copy of {@code routes/FILE} right after the
 * step with that id, at its indentation; {@code <!-- worked-edit: NAME, replace STEP-ID in FILE -->} takes the place
 * of that step; {@code <!-- worked-edit: NAME, append to FILE -->} adds the block (routes, beans) at the end, making
 * the file if the user saves a file of their own. An edit may have several markers, made in the page's order. The
 * copy of the whole {@code routes/} directory is what the bundle then loads.
 */
public final class WorkedEdits {

    /** The page that holds the worked edits, read as the user reads it. */
    public static final Path PAGE = Path.of("docs", "reshaping.md");

    private static final Pattern MARKER = Pattern.compile(
            "<!-- worked-edit: ([a-z0-9-]+), (?:(after|replace) ([a-z0-9-]+) in|append to) ([a-z0-9.-]+\\.yaml)");

    private WorkedEdits() {
    }

    /** A copy of the repository's {@code routes/} in {@code target} with the named edits of the page made. */
    public static Path routesWith(Path target, String... edits) throws IOException {
        Files.createDirectories(target);
        try (var files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        String page = Files.readString(PAGE);
        for (String edit : edits) {
            apply(page, edit, target);
        }
        return target;
    }

    /** The pattern that loads the edited copy instead of the bundle's own routes. */
    public static String includePattern(Path routes) {
        return "file:" + routes.toAbsolutePath() + "/*.camel.yaml";
    }

    private static void apply(String page, String edit, Path routes) throws IOException {
        Matcher marker = MARKER.matcher(page);
        boolean found = false;
        while (marker.find()) {
            if (!marker.group(1).equals(edit)) {
                continue;
            }
            found = true;
            List<String> block = dedent(blockAfter(page, marker.end(), "yaml"));
            Path file = routes.resolve(marker.group(4));
            List<String> lines = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file)) : new ArrayList<>();
            if (marker.group(2) == null) {
                lines.addAll(block);
            } else {
                insertAt(lines, marker.group(3), block, marker.group(2).equals("replace"));
            }
            Files.write(file, lines);
        }
        if (!found) {
            throw new IllegalArgumentException(PAGE + " has no worked edit named " + edit);
        }
    }

    /**
     * The first code block in {@code language} after the marker {@code <!-- NAME} (such as
     * {@code <!-- worked-edit-class: NAME -->}) in the page, as the user reads it.
     */
    public static String block(String marker, String language) throws IOException {
        String page = Files.readString(PAGE);
        int at = page.indexOf("<!-- " + marker);
        if (at < 0) {
            throw new IllegalArgumentException(PAGE + " has no marker " + marker);
        }
        return blockAfter(page, at, language);
    }

    private static String blockAfter(String page, int from, String language) {
        String fence = "```" + language + "\n";
        int open = page.indexOf(fence, from);
        int close = page.indexOf("```", open + fence.length());
        return page.substring(open + fence.length(), close);
    }

    /**
     * Puts {@code block} after the step whose {@code id:} is {@code stepId}, as a step of the same list, or in its
     * place.
     */
    private static void insertAt(List<String> lines, String stepId, List<String> block, boolean replace) {
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
        // the step ends at its last line that is not blank (blank lines and comments after it stay where they are)
        while (end > start + 1 && lines.get(end - 1).isBlank()) {
            end--;
        }
        String pad = " ".repeat(indent);
        List<String> padded = block.stream().map(l -> l.isEmpty() ? l : pad + l).toList();
        if (replace) {
            lines.subList(start, end).clear();
            lines.addAll(start, padded);
        } else {
            lines.addAll(end, padded);
        }
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
