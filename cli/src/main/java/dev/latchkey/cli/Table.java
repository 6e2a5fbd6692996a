package dev.latchkey.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a list command prints: a header and rows in columns as wide as their widest cell (the last one not padded,
 * so lines end with their text), then a count line ({@code 3 keys}). An absent (null) cell is {@code -}.
 */
final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... headers) {
        if (headers.length == 0) {
            throw new IllegalArgumentException("a table needs a column");
        }
        this.headers = List.of(headers);
    }

    Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        rows.add(Arrays.stream(cells).map(c -> c == null ? "-" : c.toString()).toList());
        return this;
    }

    /** The header, the rows and {@code <n> <one|many>}. */
    void print(PrintWriter out, String one, String many) {
        int[] width = new int[headers.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = headers.get(i).length();
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        line(out, headers, width);
        rows.forEach(r -> line(out, r, width));
        out.println(rows.size() + " " + (rows.size() == 1 ? one : many));
    }

    private static void line(PrintWriter out, List<String> cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            b.append(c);
            if (i < cells.size() - 1) {
                b.append(" ".repeat(width[i] - c.length() + 1));
            }
        }
        out.println(b);
    }
}
