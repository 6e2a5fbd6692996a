package dev.latchkey.core.authz.model;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the OpenFGA modelling language, schema 1.1 ({@code model / schema 1.1 / type … / relations / define …},
 * {@code condition name(p: type) { cel }}). As in OpenFGA's grammar, one relation definition joins its parts with
 * one kind of operator ({@code or}, {@code and}, or a single {@code but not}); mixing needs parentheses. Modular
 * models ({@code module}, {@code extend type}) are not supported. Errors name the line.
 */
public final class ModelDsl {
    private static final Pattern TYPE = Pattern.compile("type\\s+(\\S+)");
    private static final Pattern DEFINE = Pattern.compile("define\\s+([^:\\s]+)\\s*:\\s*(.+)");
    private static final Pattern CONDITION = Pattern.compile("condition\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*\\((.*)\\)\\s*\\{(.*)", Pattern.DOTALL);

    private final String[] lines;
    private int at;

    private ModelDsl(String text) {
        this.lines = text.replace("\r\n", "\n").split("\n", -1);
    }

    /** The model the text describes, without an id. */
    public static AuthorizationModel parse(String text) {
        if (text == null || text.isBlank()) {
            throw error(0, "the model is empty");
        }
        return new ModelDsl(text).model();
    }

    private AuthorizationModel model() {
        String schema = null;
        boolean sawModel = false;
        Map<String, TypeDefinition> types = new LinkedHashMap<>();
        Map<String, ConditionDefinition> conditions = new LinkedHashMap<>();
        String type = null;
        Map<String, RelationDefinition> relations = null;
        boolean inRelations = false;
        for (at = 0; at < lines.length; at++) {
            String line = stripComment(lines[at]).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.equals("model")) {
                if (sawModel) {
                    throw error(at + 1, "'model' appears twice");
                }
                sawModel = true;
            } else if (line.startsWith("schema ") || line.equals("schema")) {
                if (!sawModel || schema != null) {
                    throw error(at + 1, "'schema' belongs once, right after 'model'");
                }
                schema = line.substring(6).strip();
                if (!schema.equals(AuthorizationModel.SCHEMA_1_1)) {
                    throw error(at + 1, "unsupported schema version '" + schema + "' (only 1.1 is supported)");
                }
            } else if (line.startsWith("module ") || line.startsWith("extend ")) {
                throw error(at + 1, "modular models (module, extend type) are not supported");
            } else if (line.startsWith("type ") || line.equals("type")) {
                requireHeader(schema);
                closeType(types, type, relations);
                Matcher m = TYPE.matcher(line);
                if (!m.matches()) {
                    throw error(at + 1, "expected 'type <name>'");
                }
                type = m.group(1);
                if (types.containsKey(type)) {
                    throw error(at + 1, "type '" + type + "' is defined twice");
                }
                relations = new LinkedHashMap<>();
                inRelations = false;
            } else if (line.equals("relations")) {
                if (type == null || inRelations) {
                    throw error(at + 1, "'relations' belongs once under a type");
                }
                inRelations = true;
            } else if (line.startsWith("define ")) {
                if (!inRelations) {
                    throw error(at + 1, "'define' belongs under a type's 'relations'");
                }
                Matcher m = DEFINE.matcher(line);
                if (!m.matches()) {
                    throw error(at + 1, "expected 'define <relation>: <definition>'");
                }
                String name = m.group(1);
                if (relations.containsKey(name)) {
                    throw error(at + 1, "relation '" + name + "' is defined twice on type '" + type + "'");
                }
                relations.put(name, new RelationExpression(m.group(2), at + 1).definition(name));
            } else if (line.startsWith("condition ")) {
                requireHeader(schema);
                closeType(types, type, relations);
                type = null;
                relations = null;
                inRelations = false;
                ConditionDefinition c = condition();
                if (conditions.containsKey(c.name())) {
                    throw error(at + 1, "condition '" + c.name() + "' is defined twice");
                }
                conditions.put(c.name(), c);
            } else {
                throw error(at + 1, "unexpected '" + abbreviate(line) + "'");
            }
        }
        requireHeader(schema);
        closeType(types, type, relations);
        return new AuthorizationModel("", schema, types, conditions);
    }

    private void requireHeader(String schema) {
        if (schema == null) {
            throw error(at + 1, "a model starts with 'model' and 'schema 1.1'");
        }
    }

    private static void closeType(Map<String, TypeDefinition> types, String type, Map<String, RelationDefinition> relations) {
        if (type != null) {
            types.put(type, new TypeDefinition(type, relations));
        }
    }

    /** {@code condition name(a: int, b: list<string>) { expression }}, over as many lines as it takes. */
    private ConditionDefinition condition() {
        int start = at;
        StringBuilder text = new StringBuilder(stripComment(lines[at]).strip());
        while (!balanced(text) && at + 1 < lines.length) {
            at++;
            text.append('\n').append(lines[at]);
        }
        Matcher m = CONDITION.matcher(text);
        if (!balanced(text) || !m.matches()) {
            throw error(start + 1, "expected 'condition <name>(<parameter>: <type>, …) { <expression> }'");
        }
        String body = m.group(3);
        int close = body.lastIndexOf('}');
        if (!body.substring(close + 1).isBlank()) {
            throw error(at + 1, "unexpected text after the condition's closing '}'");
        }
        String expression = body.substring(0, close).strip();
        if (expression.isEmpty()) {
            throw error(start + 1, "condition '" + m.group(1) + "' has no expression");
        }
        Map<String, ParamType> params = new LinkedHashMap<>();
        for (String p : splitTopLevel(m.group(2))) {
            String[] kv = p.split(":", 2);
            if (p.isBlank() || kv.length != 2 || kv[0].isBlank()) {
                throw error(start + 1, "condition parameters are written 'name: type'");
            }
            String name = kv[0].strip();
            if (params.put(name, paramType(kv[1].strip(), start + 1)) != null) {
                throw error(start + 1, "condition parameter '" + name + "' appears twice");
            }
        }
        return new ConditionDefinition(m.group(1), expression, params);
    }

    static ParamType paramType(String text, int line) {
        String t = text.strip();
        int lt = t.indexOf('<');
        try {
            if (lt < 0) {
                return ParamType.of(ParamType.Name.valueOf(t.toUpperCase(Locale.ROOT)));
            }
            if (!t.endsWith(">")) {
                throw new IllegalArgumentException();
            }
            ParamType.Name name = ParamType.Name.valueOf(t.substring(0, lt).strip().toUpperCase(Locale.ROOT));
            return new ParamType(name, List.of(paramType(t.substring(lt + 1, t.length() - 1), line)));
        } catch (IllegalArgumentException e) {
            throw error(line, "unknown parameter type '" + t + "'");
        }
    }

    private static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        StringBuilder cur = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '<') {
                depth++;
            } else if (c == '>') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (!cur.toString().isBlank() || !out.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }

    /** Braces balance (outside string literals) and at least one was opened. */
    private static boolean balanced(CharSequence s) {
        int depth = 0;
        boolean opened = false;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '{') {
                depth++;
                opened = true;
            } else if (c == '}') {
                depth--;
            }
        }
        return opened && depth == 0;
    }

    /** A {@code #} starts a comment at the start of a line or after white space ({@code group#member} is not one). */
    static String stripComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    static LatchkeyException error(int line, String message) {
        String where = line > 0 ? "line " + line + ": " : "";
        return LatchkeyException.withMessage(ErrorCode.FGA_INVALID_MODEL, "The model does not parse: " + where + message + ".",
                "dsl " + where + message);
    }
}
