package io.defenderalertroutes.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The global {@code defender.*} keys the bundle knows, to tell a key it reads from one nothing reads (a typo, or a key
 * no version of the bundle has), and to name the key a typo probably meant.
 * <p>
 * The catalogue is the bundle's own application.properties as its jar ships it: every key it documents, set or
 * commented out. Not the keys read at this start-up: many are read only when a feature is on ({@code defender.ha.kafka.*}
 * with {@code defender.ha=kafka}), and such a key given while its feature is off is known, not a typo. The file is also
 * the list a user reads, and the placeholders of the routes ({@code {{defender.state-dir}}}) are all documented in it
 * (a test keeps the two in step). Two kinds of key take a name or a number of the user's: a handler's own secrets,
 * documented for handler 2, stand for any handler number, and a sink of the user's own routes takes its failure
 * policy and its format under its own name ({@code defender.sink.siem.on-failure}, {@code defender.sink.siem.format}).
 * Per-tenant keys ({@code defender.tenant.<name>.*}) are not in it: each tenant's are judged by what that tenant read.
 */
final class KnownKeys {

    static final String ROOT = "defender.";
    static final String PER_TENANT = "defender.tenant.";
    private static final String VARIABLE_ROOT = Settings.envForm(ROOT);
    private static final Pattern DOCUMENTED = Pattern.compile("^#?(defender\\.[a-z0-9.-]+)=.*$");
    private static final Pattern NUMBER_SEGMENT = Pattern.compile("\\.[0-9]+\\.");
    /** Any sink's failure policy: the sink's name as {@code defender.sinks} allows it ({@code TenantParts}). */
    private static final String ANY_SINK_POLICY = "defender.sink.<sink>.on-failure";
    /** Any sink's format, named as its failure policy is. */
    private static final String ANY_SINK_FORMAT = "defender.sink.<sink>.format";
    private static final String ANY_SINK_KEEP_RAW = "defender.sink.<sink>.format.keep-raw";

    private final Set<String> keys;
    private final List<Pattern> shapes = new ArrayList<>();
    private final List<Pattern> variableShapes = new ArrayList<>();

    private KnownKeys(Collection<String> keys) {
        this.keys = new TreeSet<>(keys);
        shape(ANY_SINK_POLICY);
        shape(ANY_SINK_FORMAT);
        shape(ANY_SINK_KEEP_RAW);
        for (String key : keys) {
            Matcher number = NUMBER_SEGMENT.matcher(key);
            if (number.find()) {
                shape(number.replaceAll(".<n>."));
            }
        }
    }

    /** The keys documented in the bundle's application.properties. */
    static KnownKeys bundled() {
        return documentedIn(BundleDefaults.text());
    }

    /** The keys documented in the text of a properties file: each {@code defender.x=} line, commented out or not. */
    static KnownKeys documentedIn(String properties) {
        List<String> keys = new ArrayList<>();
        for (String line : properties.lines().toList()) {
            Matcher m = DOCUMENTED.matcher(line.strip());
            if (m.matches() && !m.group(1).startsWith(PER_TENANT)) {
                keys.add(m.group(1));
            }
        }
        return new KnownKeys(keys);
    }

    /** These keys and {@code more}: the keys the bundle read at this start-up, or old names it still accepts. */
    KnownKeys plus(Collection<String> more) {
        List<String> all = new ArrayList<>(keys);
        more.stream().filter(k -> k.startsWith(ROOT) && !k.startsWith(PER_TENANT)).forEach(all::add);
        return new KnownKeys(all);
    }

    Set<String> keys() {
        return java.util.Collections.unmodifiableSet(keys);
    }

    private void shape(String template) {
        shapes.add(Pattern.compile(regex(template, "[0-9]+", "[a-z0-9][a-z0-9-]*")));
        variableShapes.add(Pattern.compile(regex(Settings.envForm(template).replace("<N>", "<n>").replace("<SINK>",
                "<sink>"), "[0-9]+", "[A-Z0-9][A-Z0-9_]*")));
    }

    private static String regex(String template, String number, String name) {
        StringBuilder regex = new StringBuilder();
        for (String part : template.split("(?=<)|(?<=>)")) {
            regex.append(switch (part) {
                case "<n>" -> number;
                case "<sink>" -> name;
                default -> Pattern.quote(part);
            });
        }
        return regex.toString();
    }

    /** Whether a key given as a property ({@code defender.poll.interval}) is one the bundle knows. */
    boolean knows(String key) {
        return keys.contains(key) || shapes.stream().anyMatch(p -> p.matcher(key).matches());
    }

    /** Whether an environment variable ({@code DEFENDER_POLL_INTERVAL}) is a key the bundle knows. */
    boolean knowsVariable(String name) {
        return keys.stream().anyMatch(k -> Settings.envForm(k).equals(name))
                || variableShapes.stream().anyMatch(p -> p.matcher(name).matches());
    }

    /**
     * Whether an environment variable is the bundle's to judge. Other programs' variables may start with
     * {@code DEFENDER_} too ({@code DEFENDER_HOME}), and a variable cannot say which of its underscores were dots, so
     * one is taken for a key only where a key of the bundle could go on as it does: {@code DEFENDER_} and the first word
     * of a known key of two words or more ({@code DEFENDER_TRIGGER_SEVERTIY}, {@code DEFENDER_POLL_INTERVALL},
     * {@code DEFENDER_CLIENT_SCRET}). A one-word key has nothing after it ({@code DEFENDER_CLOUD_PROVIDER} is not
     * {@code defender.cloud}'s), and {@code DEFENDER_TENANT_*} is left to the tenants' check, which judges those of
     * the tenants named ({@code DEFENDER_TENANT_ID_FILE}, an orchestrator's, is no one's key).
     */
    boolean ownsVariable(String name) {
        if (!name.startsWith(VARIABLE_ROOT) || name.length() == VARIABLE_ROOT.length()) {
            return false;
        }
        String word = firstWord(name);
        return !word.equals("TENANT")
                && keys.stream().anyMatch(k -> Settings.envForm(k).startsWith(VARIABLE_ROOT + word + "_"));
    }

    private static String firstWord(String variable) {
        String rest = variable.substring(VARIABLE_ROOT.length());
        int end = rest.indexOf('_');
        return end < 0 ? rest : rest.substring(0, end);
    }

    /** The known key a mistyped key most probably meant, if one is close enough to say so. */
    Optional<String> closest(String key) {
        return closest(key, k -> k);
    }

    /** The known key (as a property) that a mistyped environment variable most probably meant, if one is close. */
    Optional<String> closestToVariable(String name) {
        return closest(name, Settings::envForm);
    }

    /**
     * By edit distance (a transposed pair counts as one edit), over the whole key, or over the start of a longer key
     * for a key cut short ({@code defender.poll.intervall} for {@code defender.poll.interval}) at one edit
     * more. A suggestion needs at most two edits, three in a key of 24 characters or more: further off, a guess
     * would mislead more than it helps.
     */
    private Optional<String> closest(String given, java.util.function.Function<String, String> spelling) {
        int allowed = given.length() >= 24 ? 3 : 2;
        String lower = given.toLowerCase(Locale.ROOT);
        record Candidate(String key, int score, int distance) {
        }
        return keys.stream()
                .map(k -> {
                    String known = spelling.apply(k).toLowerCase(Locale.ROOT);
                    int distance = distance(lower, known);
                    int shortened = known.length() > lower.length()
                            ? distance(lower, known.substring(0, lower.length())) + 1 : Integer.MAX_VALUE;
                    return new Candidate(k, Math.min(distance, shortened), distance);
                })
                .filter(c -> c.score() <= allowed)
                .min(Comparator.comparingInt(Candidate::score).thenComparingInt(Candidate::distance)
                        .thenComparing(Candidate::key))
                .map(Candidate::key);
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of two neighbours. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
