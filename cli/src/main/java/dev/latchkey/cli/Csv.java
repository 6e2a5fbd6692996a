package dev.latchkey.cli;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/** A small RFC 4180 reader: comma-separated, double-quoted fields with "" escapes, CRLF or LF. */
final class Csv {
    private Csv() {
    }

    static List<List<String>> parse(Reader source) throws IOException {
        Reader in = source.markSupported() ? source : new java.io.BufferedReader(source);
        List<List<String>> out = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean afterQuote = false;
        int line = 1;
        int c;
        while ((c = in.read()) != -1) {
            char ch = (char) c;
            if (quoted) {
                if (ch == '"') {
                    in.mark(1);
                    int next = in.read();
                    if (next == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        afterQuote = true;
                        if (next == -1) {
                            break;
                        }
                        ch = (char) next;
                        // fall through to the unquoted handling of the character after the closing quote
                    }
                    if (next == '"') {
                        continue;
                    }
                } else {
                    if (ch == '\n') {
                        line++;
                    }
                    field.append(ch);
                    continue;
                }
            }
            if (ch == ',') {
                record.add(field.toString());
                field.setLength(0);
                afterQuote = false;
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r') {
                    in.mark(1);
                    if (in.read() != '\n') {
                        in.reset();
                    }
                }
                record.add(field.toString());
                field.setLength(0);
                out.add(record);
                record = new ArrayList<>();
                afterQuote = false;
                line++;
            } else if (ch == '"' && field.isEmpty() && !afterQuote) {
                quoted = true;
            } else if (afterQuote) {
                throw new CliException("CSV line " + line + ": text after a closing quote");
            } else {
                field.append(ch);
            }
        }
        if (quoted) {
            throw new CliException("CSV line " + line + ": unterminated quoted field");
        }
        if (!field.isEmpty() || !record.isEmpty()) {
            record.add(field.toString());
            out.add(record);
        }
        return out;
    }
}
