package io.hvprobe.unicorn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates the integer constants of C headers the way the compiler would for the simple forms Unicorn's headers
 * use: {@code enum { A = expr, B, ... }} (implicit values count up from the previous one) and
 * {@code #define NAME (expr)} with {@code + - << |}, parentheses, decimal/hex literals and earlier names.
 */
final class CHeaderConstants {
    private static final Pattern ENUM = Pattern.compile("\\benum\\s*\\w*\\s*\\{([^}]*)}");
    private static final Pattern DEFINE = Pattern.compile("(?m)^#define\\s+(\\w+)\\s+(\\(.*\\))\\s*$");

    private final Map<String, Long> values = new HashMap<>();

    /** Parses {@code headers} in order (later headers may refer to names of earlier ones). */
    static CHeaderConstants parse(Path... headers) throws IOException {
        CHeaderConstants c = new CHeaderConstants();
        for (Path header : headers) {
            c.add(Files.readString(header));
        }
        return c;
    }

    /** The value of {@code name}, or null if no enum or define declares it. */
    Long get(String name) {
        return values.get(name);
    }

    private void add(String text) {
        String code = text.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", "")
                .replace("\\\n", " ");
        Matcher e = ENUM.matcher(code);
        while (e.find()) {
            long next = 0;
            for (String entry : e.group(1).split(",")) {
                String item = entry.trim();
                if (item.isEmpty()) {
                    continue;
                }
                int eq = item.indexOf('=');
                String name = (eq < 0 ? item : item.substring(0, eq)).trim();
                long value = eq < 0 ? next : new Expr(item.substring(eq + 1)).parse();
                values.put(name, value);
                next = value + 1;
            }
        }
        Matcher d = DEFINE.matcher(code);
        while (d.find()) {
            try {
                values.put(d.group(1), new Expr(d.group(2)).parse());
            } catch (IllegalArgumentException notAnIntegerExpression) {
                // e.g. macros with parameters or casts; not constants we check
            }
        }
    }

    /** Recursive-descent evaluator with C precedence: {@code |} below {@code <<} below {@code + -}. */
    private final class Expr {
        private final String s;
        private int pos;

        Expr(String s) {
            this.s = s.trim();
        }

        long parse() {
            long v = or();
            skipSpace();
            if (pos != s.length()) {
                throw new IllegalArgumentException("cannot evaluate '" + s + "'");
            }
            return v;
        }

        private long or() {
            long v = shift();
            while (eat("|")) {
                v |= shift();
            }
            return v;
        }

        private long shift() {
            long v = sum();
            while (eat("<<")) {
                v <<= sum();
            }
            return v;
        }

        private long sum() {
            long v = unary();
            while (true) {
                if (eat("+")) {
                    v += unary();
                } else if (eat("-")) {
                    v -= unary();
                } else {
                    return v;
                }
            }
        }

        private long unary() {
            if (eat("-")) {
                return -unary();
            }
            if (eat("(")) {
                long v = or();
                if (!eat(")")) {
                    throw new IllegalArgumentException("missing ) in '" + s + "'");
                }
                return v;
            }
            skipSpace();
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            String token = s.substring(start, pos);
            if (token.isEmpty()) {
                throw new IllegalArgumentException("unexpected input in '" + s + "'");
            }
            if (Character.isDigit(token.charAt(0))) {
                String digits = token.replaceAll("[uUlL]+$", "");
                return digits.startsWith("0x") || digits.startsWith("0X")
                        ? Long.parseLong(digits.substring(2), 16) : Long.parseLong(digits);
            }
            Long known = values.get(token);
            if (known == null) {
                throw new IllegalArgumentException("unknown name " + token + " in '" + s + "'");
            }
            return known;
        }

        private boolean eat(String op) {
            skipSpace();
            if (s.startsWith(op, pos)) {
                pos += op.length();
                return true;
            }
            return false;
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }
    }
}
