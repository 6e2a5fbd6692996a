package dev.latchkey.core.authz.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One relation's definition: tokens, then a recursive descent over them. */
final class RelationExpression {
    private final List<String> tokens = new ArrayList<>();
    private final int line;
    private int pos;
    private List<TypeRestriction> direct;

    RelationExpression(String text, int line) {
        this.line = line;
        tokenize(text);
    }

    private void tokenize(String text) {
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')') {
                tokens.add(String.valueOf(c));
                i++;
            } else if (c == '[') {
                int end = text.indexOf(']', i);
                if (end < 0) {
                    throw ModelDsl.error(line, "'[' without ']'");
                }
                tokens.add(text.substring(i, end + 1));
                i = end + 1;
            } else {
                int j = i;
                while (j < text.length() && !Character.isWhitespace(text.charAt(j)) && "()[]".indexOf(text.charAt(j)) < 0) {
                    j++;
                }
                tokens.add(text.substring(i, j));
                i = j;
            }
        }
    }

    RelationDefinition definition(String name) {
        Rewrite r = relationDef();
        if (pos < tokens.size()) {
            throw ModelDsl.error(line, "unexpected '" + tokens.get(pos) + "' in the definition of '" + name + "'");
        }
        return new RelationDefinition(name, r, direct == null ? List.of() : direct);
    }

    private Rewrite relationDef() {
        Rewrite first = peek().startsWith("[") ? directAssignment() : grouping();
        String op = pos < tokens.size() ? tokens.get(pos) : null;
        if (op == null || op.equals(")")) {
            return first;
        }
        switch (op) {
            case "or", "and" -> {
                List<Rewrite> parts = new ArrayList<>(List.of(first));
                while (pos < tokens.size() && !tokens.get(pos).equals(")")) {
                    String next = tokens.get(pos);
                    if (!next.equals(op)) {
                        throw ModelDsl.error(line, "'" + op + "' and '" + next + "' are mixed; group them with parentheses");
                    }
                    pos++;
                    parts.add(grouping());
                }
                return op.equals("or") ? new Rewrite.Union(parts) : new Rewrite.Intersection(parts);
            }
            case "but" -> {
                pos++;
                if (!"not".equals(pos < tokens.size() ? tokens.get(pos) : null)) {
                    throw ModelDsl.error(line, "expected 'but not'");
                }
                pos++;
                Rewrite subtract = grouping();
                if (pos < tokens.size() && !tokens.get(pos).equals(")")) {
                    throw ModelDsl.error(line, "'but not' takes one operand; group the rest with parentheses");
                }
                return new Rewrite.Exclusion(first, subtract);
            }
            default -> throw ModelDsl.error(line, "unknown operator '" + op + "' (expected or, and, but not)");
        }
    }

    private Rewrite grouping() {
        String t = peek();
        if (t.equals("(")) {
            pos++;
            Rewrite inner = relationDef();
            if (!")".equals(pos < tokens.size() ? tokens.get(pos) : null)) {
                throw ModelDsl.error(line, "'(' without ')'");
            }
            pos++;
            return inner;
        }
        if (t.startsWith("[")) {
            throw ModelDsl.error(line, "the directly related types [ … ] come first in a definition");
        }
        if (t.equals(")") || t.equals("or") || t.equals("and") || t.equals("but") || t.equals("from")) {
            throw ModelDsl.error(line, "expected a relation name, found '" + t + "'");
        }
        pos++;
        if (pos < tokens.size() && tokens.get(pos).equals("from")) {
            pos++;
            String tupleset = pos < tokens.size() ? tokens.get(pos) : "";
            if (tupleset.isEmpty() || "()[]".contains(tupleset) || tupleset.equals("or") || tupleset.equals("and")) {
                throw ModelDsl.error(line, "expected a relation name after 'from'");
            }
            pos++;
            return new Rewrite.TupleToUserset(tupleset, t);
        }
        return new Rewrite.Computed(t);
    }

    private Rewrite directAssignment() {
        String t = tokens.get(pos++);
        if (direct != null) {
            throw ModelDsl.error(line, "a relation has one list of directly related types");
        }
        String inner = t.substring(1, t.length() - 1).strip();
        if (inner.isEmpty()) {
            throw ModelDsl.error(line, "the list of directly related types is empty");
        }
        List<TypeRestriction> out = new ArrayList<>();
        for (String part : inner.split(",")) {
            out.add(restriction(part.strip()));
        }
        direct = out;
        return new Rewrite.Direct();
    }

    private TypeRestriction restriction(String text) {
        String[] words = text.split("\\s+");
        Optional<String> condition = Optional.empty();
        if (words.length == 3 && words[1].equals("with")) {
            condition = Optional.of(words[2]);
        } else if (words.length != 1 || words[0].isEmpty()) {
            throw ModelDsl.error(line, "expected a type, type:*, type#relation, optionally 'with <condition>'; found '" + text + "'");
        }
        String w = words[0];
        if (w.endsWith(":*")) {
            return new TypeRestriction(w.substring(0, w.length() - 2), Optional.empty(), true, condition);
        }
        int hash = w.indexOf('#');
        if (hash > 0) {
            return new TypeRestriction(w.substring(0, hash), Optional.of(w.substring(hash + 1)), false, condition);
        }
        return new TypeRestriction(w, Optional.empty(), false, condition);
    }

    private String peek() {
        if (pos >= tokens.size()) {
            throw ModelDsl.error(line, "the definition ends too early");
        }
        return tokens.get(pos);
    }
}
