package dev.vigil.notifier.routing;

import dev.vigil.model.Alert;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One route of the tree, shaped like Alertmanager's: matchers on the alert's labels (tenant, account, job, rule,
 * severity, source, status), exact or — with a leading {@code ~} — a regular expression; the receiver; whether to
 * go on to the next sibling after a match; how its alerts are grouped; and child routes. A grouping setting left
 * out is inherited from the parent route.
 *
 * @param groupBy       the labels whose values make a group (e.g. {@code [tenant, account]}); empty: one group
 * @param groupWait     how long a new group waits for more alerts before its first message; 0: no grouping
 * @param groupInterval how long a group waits before a message about alerts added since its last one
 */
public record Route(@DefaultValue Map<String, String> matchers, String receiver,
                    @DefaultValue("false") boolean continueMatching, @DefaultValue List<Route> routes,
                    List<String> groupBy, Duration groupWait, Duration groupInterval) {

    public Route {
        matchers = matchers == null ? Map.of() : Map.copyOf(matchers);
        routes = routes == null ? List.of() : List.copyOf(routes);
        groupBy = groupBy == null ? null : List.copyOf(groupBy);
    }

    /** This route's grouping: its own settings, the parent's where it has none. */
    public Grouping grouping(Grouping parent) {
        return new Grouping(groupBy != null ? groupBy : parent.by(), groupWait != null ? groupWait : parent.groupWait(),
                groupInterval != null ? groupInterval : parent.groupInterval());
    }

    /**
     * How the alerts of a route are gathered into one message per group (Alertmanager's {@code group_by},
     * {@code group_wait}, {@code group_interval}).
     */
    public record Grouping(List<String> by, Duration groupWait, Duration groupInterval) {

        /** No grouping: every alert is its own message, sent at once. */
        public static final Grouping NONE = new Grouping(List.of(), Duration.ZERO, Duration.ofMinutes(5));

        public boolean enabled() {
            return groupWait.toMillis() > 0;
        }

        /** The group an alert belongs to for one receiver, e.g. {@code owners{account="4000001",tenant="stoney"}}. */
        public String key(String receiver, Alert alert) {
            Map<String, String> labels = labels(alert);
            StringBuilder key = new StringBuilder(receiver).append('{');
            by.stream().map(l -> l.toLowerCase(Locale.ROOT)).distinct().sorted().forEach(label -> key
                    .append(key.charAt(key.length() - 1) == '{' ? "" : ",")
                    .append(label).append("=\"").append(labels.getOrDefault(label, "")).append('"'));
            return key.append('}').toString();
        }
    }

    public boolean matches(Alert alert) {
        return matches(matchers, alert);
    }

    /**
     * Whether every matcher selects the alert's labels: exact (case-insensitive) or, with a leading {@code ~}, a
     * regular expression matching the whole value (RE2 syntax, as Alertmanager's {@code =~}; linear time, so no
     * pattern can stall a thread). A pattern that does not compile matches nothing: it can never stop the pipeline.
     */
    public static boolean matches(Map<String, String> matchers, Alert alert) {
        Map<String, String> labels = labels(alert);
        for (Map.Entry<String, String> matcher : matchers.entrySet()) {
            String value = labels.getOrDefault(matcher.getKey().toLowerCase(Locale.ROOT), "");
            String expected = matcher.getValue();
            boolean ok = expected.startsWith("~") ? pattern(expected.substring(1))
                    .map(p -> p.matcher(value).matches()).orElse(false) : expected.equalsIgnoreCase(value);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The labels an alert has, which matchers may name. */
    public static final java.util.Set<String> LABELS = java.util.Set.of("tenant", "account", "job", "rule", "severity",
            "source", "status", "check");

    private static final Map<String, java.util.Optional<com.google.re2j.Pattern>> PATTERNS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The largest a pattern may grow once its counted repetitions are written out ({@link #expansion}): RE2 matches in
     * linear time, but compiles {@code (a{1000}){1000}} (15 characters) to a program of a million instructions, and
     * every match allocates in proportion. Alertmanager's Go RE2 refuses such a pattern as "expression too large".
     */
    public static final long MAX_EXPANSION = 20_000;

    /** A matcher's compiled pattern (kept), or empty when it does not compile or is too large. */
    static java.util.Optional<com.google.re2j.Pattern> pattern(String regex) {
        if (PATTERNS.size() > 2_000) {
            PATTERNS.clear();
        }
        return PATTERNS.computeIfAbsent(regex, r -> {
            if (expansion(r) > MAX_EXPANSION) {
                return java.util.Optional.empty();
            }
            try {
                return java.util.Optional.of(com.google.re2j.Pattern.compile(r));
            } catch (com.google.re2j.PatternSyntaxException e) {
                return java.util.Optional.empty();
            }
        });
    }

    /**
     * Why a set of matchers cannot be used, or {@code null} when it can: at most 20, each naming a label in
     * {@link #LABELS}, each value at most 1,000 characters, each {@code ~} pattern valid RE2.
     */
    public static String invalid(Map<String, String> matchers) {
        if (matchers.size() > 20) {
            return "At most 20 matchers.";
        }
        for (Map.Entry<String, String> matcher : matchers.entrySet()) {
            String label = matcher.getKey() == null ? "" : matcher.getKey().toLowerCase(Locale.ROOT);
            if (!LABELS.contains(label)) {
                return "Unknown label '" + dev.vigil.model.Text.line(String.valueOf(matcher.getKey()), 40)
                        + "': matchers name one of " + new java.util.TreeSet<>(LABELS) + ".";
            }
            String value = matcher.getValue();
            if (value == null || value.length() > 1_000) {
                return "The value of '" + label + "' must be given, in at most 1,000 characters.";
            }
            if (value.startsWith("~")) {
                if (expansion(value.substring(1)) > MAX_EXPANSION) {
                    return "The pattern of '" + label + "' is too large: its counted repetitions ({n}, {n,m}) would "
                            + "expand it past " + MAX_EXPANSION + " characters.";
                }
                try {
                    com.google.re2j.Pattern.compile(value.substring(1));
                } catch (com.google.re2j.PatternSyntaxException e) {
                    return "The pattern of '" + label + "' is not a valid regular expression (RE2 syntax): "
                            + dev.vigil.model.Text.line(e.getDescription(), 200) + ".";
                }
            }
        }
        return null;
    }

    /**
     * An upper bound of the size of {@code regex}'s RE2 program: every atom (a character, an escape, a character class)
     * counts 1, a group the sum of what it holds, and a counted repetition ({@code {n}}, {@code {n,}}, {@code {n,m}})
     * multiplies what it repeats by {@code m} (or {@code n + 1}), nested repetitions multiplying again:
     * {@code [0-9a-f]{8}-[0-9a-f]{4}} is 13, {@code (a{1000}){1000}} a million. {@code \\Q…\\E} (whose text a
     * reader must not take for syntax) counts as too large.
     */
    static long expansion(String regex) {
        if (regex.contains("\\Q")) {
            return Long.MAX_VALUE;
        }
        java.util.ArrayDeque<long[]> frames = new java.util.ArrayDeque<>(); // {total, last atom}
        long[] frame = {0, 0};
        int i = 0;
        int n = regex.length();
        while (i < n) {
            char c = regex.charAt(i);
            long atom = -1;
            if (c == '\\') {
                i += 2;
                if (i <= n && i - 1 < n && "pPx".indexOf(regex.charAt(i - 1)) >= 0 && i < n && regex.charAt(i) == '{') {
                    int close = regex.indexOf('}', i);
                    i = close < 0 ? n : close + 1; // \p{Greek}, \x{41}
                }
                atom = 1;
            } else if (c == '[') {
                i++;
                if (i < n && regex.charAt(i) == '^') {
                    i++;
                }
                if (i < n && regex.charAt(i) == ']') {
                    i++; // a ']' first in a class is itself
                }
                while (i < n && regex.charAt(i) != ']') {
                    if (regex.charAt(i) == '[' && i + 1 < n && regex.charAt(i + 1) == ':') {
                        int close = regex.indexOf(":]", i + 2);
                        i = close < 0 ? i + 1 : close + 2; // [:alpha:]
                    } else {
                        i += regex.charAt(i) == '\\' ? 2 : 1;
                    }
                }
                i++;
                atom = 1;
            } else if (c == '(') {
                frames.push(frame);
                frame = new long[] {0, 0};
                i++;
            } else if (c == ')') {
                long group = frame[0];
                frame = frames.isEmpty() ? new long[] {0, 0} : frames.pop();
                atom = Math.max(1, group);
                i++;
            } else if (c == '{' && REPETITION.matcher(regex).region(i, n).lookingAt()) {
                java.util.regex.Matcher m = REPETITION.matcher(regex).region(i, n);
                m.lookingAt();
                long low = Long.parseLong(m.group(1));
                long bound = Math.max(1, m.group(3) != null ? Long.parseLong(m.group(3)) : m.group(2) != null ? low + 1 : low);
                long repeated = times(frame[1], bound);
                frame[0] = plus(frame[0], repeated - frame[1]);
                frame[1] = repeated;
                i = m.end();
            } else {
                atom = 1; // a character, or * + ? | . ^ $ (counted, which only raises the bound)
                i++;
            }
            if (atom >= 0) {
                frame[0] = plus(frame[0], atom);
                frame[1] = atom;
            }
        }
        while (!frames.isEmpty()) {
            long group = frame[0];
            frame = frames.pop();
            frame[0] = plus(frame[0], group);
        }
        return frame[0];
    }

    private static long plus(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static final java.util.regex.Pattern REPETITION = java.util.regex.Pattern.compile("\\{(\\d{1,4})(,(\\d{1,4})?)?}");

    private static long times(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    public static Map<String, String> labels(Alert alert) {
        return Map.of("tenant", alert.job().tenant(), "account", alert.job().account(), "job", alert.job().job(),
                "rule", alert.rule(), "severity", String.valueOf(alert.severity()).toLowerCase(Locale.ROOT),
                "source", alert.source() == null ? "" : alert.source().name().toLowerCase(Locale.ROOT),
                "status", alert.status().name().toLowerCase(Locale.ROOT), "check", alert.check());
    }
}
