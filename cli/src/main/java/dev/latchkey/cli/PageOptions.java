package dev.latchkey.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * {@code --limit} and {@code --after} of a paged list command, as the admin API pages ({@code ?limit=&after=}): one
 * page per run; when it is full, stderr says how to get the next one.
 */
final class PageOptions {
    static final int MAX = 1000;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most this many (1-1000; default: 100).")
    int limit;

    @Option(names = "--after", paramLabel = "KEY", description = "Start after this one: the --after a full page printed on stderr.")
    String after;

    int limit() {
        if (limit < 1 || limit > MAX) {
            throw new CliException("--limit is 1 to " + MAX);
        }
        return limit;
    }

    /** {@code --after}, read by {@code parse} (which throws {@link IllegalArgumentException} for a malformed one); null when absent. */
    <K> K after(Function<String, K> parse, String what) {
        if (after == null) {
            return null;
        }
        try {
            return parse.apply(after.strip());
        } catch (IllegalArgumentException e) {
            throw new CliException("--after '" + after + "' is not " + what);
        }
    }

    /** On stderr, when {@code page} is full: how to list the next page. */
    <T> void next(PrintWriter err, List<T> page, Function<T, ?> key) {
        if (page.size() == limit) {
            err.println("more: repeat with --after " + key.apply(page.get(page.size() - 1)));
        }
    }
}
