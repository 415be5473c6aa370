package io.defenderalertroutes.emulator;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The part of OData {@code $filter} that MDE's and Graph's alert lists understand: comparisons of one property with literals,
 * {@code in}, {@code and}, {@code or}, {@code not} and parentheses. Anything outside that is refused, because a
 * lenient emulator would let a client ship a filter the real service rejects.
 *
 * <p>Timestamps are compared as instants at their full 100 ns precision, never as text: {@code 20:33:59.2Z} and
 * {@code 20:33:59.2000000Z} are equal, and a seventh digit decides {@code gt}. Keywords are lower case as in the
 * OData grammar; {@code not} takes a parenthesised operand, since no alert property is Boolean.
 *
 * <p>Which properties may be named, and how their values compare, comes from a {@link FilterSchema}: MDE's
 * ({@link AlertField#SCHEMA}) or Graph's ({@link GraphAlertField#schema}).
 *
 * @param <T> the stored item the filter is tested on
 */
final class ODataFilter<T> {

    private static final Set<String> COMPARISONS = Set.of("eq", "ne", "gt", "ge", "lt", "le");
    private static final Pattern DATE_TIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,7})?)?(Z|[+-]\\d{2}:\\d{2})");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?\\d{1,18}");

    private final String text;
    private final Predicate<T> predicate;

    private ODataFilter(String text, Predicate<T> predicate) {
        this.text = text;
        this.predicate = predicate;
    }

    /** An MDE alert filter. @throws InvalidQueryException with MDE's "Invalid filter clause: ..." message */
    static ODataFilter<StoredAlert> parse(String text) {
        return parse(text, AlertField.SCHEMA);
    }

    /** @throws InvalidQueryException with an "Invalid filter clause: ..." message */
    static <T> ODataFilter<T> parse(String text, FilterSchema<T> schema) {
        if (text.isBlank()) {
            throw invalid("The filter is empty.");
        }
        Parser<T> parser = new Parser<>(text, tokenize(text), schema);
        Predicate<T> predicate = parser.expression();
        parser.expectEnd();
        return new ODataFilter<>(text, predicate);
    }

    boolean matches(T item) {
        return predicate.test(item);
    }

    @Override
    public String toString() {
        return text;
    }

    private static InvalidQueryException invalid(String detail) {
        return new InvalidQueryException("Invalid filter clause: " + detail);
    }

    private enum Kind { OPEN, CLOSE, COMMA, QUOTED, WORD, END }

    private record Token(Kind kind, String text, int position) {
        boolean isWord(String word) {
            return kind == Kind.WORD && text.equals(word);
        }
    }

    private static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')' || c == ',') {
                tokens.add(new Token(c == '(' ? Kind.OPEN : c == ')' ? Kind.CLOSE : Kind.COMMA, String.valueOf(c), i));
                i++;
            } else if (c == '\'') {
                int start = i;
                StringBuilder value = new StringBuilder();
                i++;
                while (true) {
                    if (i >= text.length()) {
                        throw invalid("Unterminated string literal at position " + start + " in '" + text + "'.");
                    }
                    char d = text.charAt(i);
                    if (d == '\'') {
                        if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                            value.append('\'');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    value.append(d);
                    i++;
                }
                tokens.add(new Token(Kind.QUOTED, value.toString(), start));
            } else {
                int start = i;
                while (i < text.length() && !Character.isWhitespace(text.charAt(i))
                        && "(),'".indexOf(text.charAt(i)) < 0) {
                    i++;
                }
                tokens.add(new Token(Kind.WORD, text.substring(start, i), start));
            }
        }
        tokens.add(new Token(Kind.END, "", text.length()));
        return tokens;
    }

    /** Recursive descent; precedence from loose to tight: or, and, not, comparison. */
    private static final class Parser<T> {
        private final String text;
        private final List<Token> tokens;
        private final FilterSchema<T> schema;
        private int next;

        Parser(String text, List<Token> tokens, FilterSchema<T> schema) {
            this.text = text;
            this.tokens = tokens;
            this.schema = schema;
        }

        Predicate<T> expression() {
            Predicate<T> left = conjunction();
            while (peek().isWord("or")) {
                advance();
                left = left.or(conjunction());
            }
            return left;
        }

        void expectEnd() {
            if (peek().kind() != Kind.END) {
                throw syntaxError(peek());
            }
        }

        private Predicate<T> conjunction() {
            Predicate<T> left = negation();
            while (peek().isWord("and")) {
                advance();
                left = left.and(negation());
            }
            return left;
        }

        private Predicate<T> negation() {
            if (peek().isWord("not")) {
                advance();
                Token operand = peek();
                if (operand.kind() != Kind.OPEN && !operand.isWord("not")) {
                    throw invalid("'not' needs a parenthesised condition, at position " + operand.position()
                            + " in '" + text + "'.");
                }
                return negation().negate();
            }
            return primary();
        }

        private Predicate<T> primary() {
            if (peek().kind() == Kind.OPEN) {
                advance();
                Predicate<T> inner = expression();
                expect(Kind.CLOSE);
                return inner;
            }
            return comparison();
        }

        private Predicate<T> comparison() {
            Token name = expect(Kind.WORD);
            FilterField field = schema.field(name.text());
            if (field == null) {
                throw invalid(schema.refusal(name.text()));
            }
            Token operator = expect(Kind.WORD);
            if (operator.text().equals("in")) {
                expect(Kind.OPEN);
                List<Object> candidates = new ArrayList<>();
                candidates.add(literal(field));
                while (peek().kind() == Kind.COMMA) {
                    advance();
                    candidates.add(literal(field));
                }
                expect(Kind.CLOSE);
                return item -> candidates.stream().anyMatch(c -> equal(field, schema.value(item, field), c));
            }
            if (!COMPARISONS.contains(operator.text())) {
                throw syntaxError(operator);
            }
            Object literal = literal(field);
            return item -> compare(field, operator.text(), schema.value(item, field), literal);
        }

        private Object literal(FilterField field) {
            Token token = advance();
            if (token.isWord("null")) {
                return null;
            }
            switch (field.type()) {
                case DATETIME:
                    if (token.kind() == Kind.WORD || token.kind() == Kind.QUOTED) {
                        return instant(token, field);
                    }
                    break;
                case NUMBER:
                    if (token.kind() == Kind.WORD && WHOLE_NUMBER.matcher(token.text()).matches()) {
                        return Long.parseLong(token.text());
                    }
                    break;
                default:
                    if (token.kind() == Kind.QUOTED) {
                        return token.text();
                    }
                    break;
            }
            if (token.kind() == Kind.WORD || token.kind() == Kind.QUOTED) {
                throw notALiteralOf(token, field);
            }
            throw syntaxError(token);
        }

        private Instant instant(Token token, FilterField field) {
            if (!DATE_TIME.matcher(token.text()).matches()) {
                throw notALiteralOf(token, field);
            }
            try {
                return OffsetDateTime.parse(token.text(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                throw notALiteralOf(token, field);
            }
        }

        private InvalidQueryException notALiteralOf(Token token, FilterField field) {
            return invalid("The value '" + token.text() + "' at position " + token.position()
                    + " is not a valid " + field.edmType() + " literal for '" + field.jsonName() + "'.");
        }

        private Token expect(Kind kind) {
            Token token = advance();
            if (token.kind() != kind) {
                throw syntaxError(token);
            }
            return token;
        }

        private Token peek() {
            return tokens.get(next);
        }

        private Token advance() {
            Token token = tokens.get(next);
            if (token.kind() != Kind.END) {
                next++;
            }
            return token;
        }

        private InvalidQueryException syntaxError(Token at) {
            return invalid("Syntax error at position " + at.position() + " in '" + text + "'.");
        }
    }

    private static boolean equal(FilterField field, Object value, Object literal) {
        if (value == null || literal == null) {
            return value == literal;
        }
        return field.compare(value, literal) == 0;
    }

    // As in OData, ordering against null is never true; only eq and ne can test for null.
    private static boolean compare(FilterField field, String operator, Object value, Object literal) {
        switch (operator) {
            case "eq":
                return equal(field, value, literal);
            case "ne":
                return !equal(field, value, literal);
            default:
                if (value == null || literal == null) {
                    return false;
                }
                int order = field.compare(value, literal);
                return switch (operator) {
                    case "gt" -> order > 0;
                    case "ge" -> order >= 0;
                    case "lt" -> order < 0;
                    default -> order <= 0;
                };
        }
    }
}
