package dev.latchkey.server.config;

import dev.latchkey.core.authz.engine.Limits;
import java.time.Duration;
import java.util.List;

/** Reads and validates the {@code relations.*} settings, the engine's limits (part of {@link ConfigLoader}). */
final class RelationSettings {
    private RelationSettings() {
    }

    static Limits read(MailSettings.Reader r, List<String> problems) {
        int depth = bounded(r, Settings.RELATIONS_MAX_DEPTH, 1, 100, problems, Limits.DEFAULTS.maxDepth());
        int dispatches = bounded(r, Settings.RELATIONS_MAX_DISPATCHES, 1, 1_000_000, problems, Limits.DEFAULTS.maxDispatches());
        int listDispatches = bounded(r, Settings.RELATIONS_MAX_LIST_DISPATCHES, 1, 10_000_000, problems, Limits.DEFAULTS.maxListDispatches());
        int listResults = bounded(r, Settings.RELATIONS_MAX_LIST_RESULTS, 1, 100_000, problems, Limits.DEFAULTS.maxListResults());
        Duration deadline = r.get(Settings.RELATIONS_DEADLINE);
        if (deadline == null) {
            deadline = Limits.DEFAULTS.deadline();
        } else if (deadline.compareTo(Duration.ofMillis(1)) < 0 || deadline.compareTo(Duration.ofSeconds(60)) > 0) {
            problems.add(Settings.RELATIONS_DEADLINE.envName() + ": must be between 1ms and 60s");
            deadline = Limits.DEFAULTS.deadline();
        }
        Limits d = Limits.DEFAULTS;
        return new Limits(depth, dispatches, listDispatches, deadline, listResults, d.maxBatchChecks(), d.maxWrites(), d.maxContextual());
    }

    private static int bounded(MailSettings.Reader r, Setting<Integer> s, int min, int max, List<String> problems, int fallback) {
        Integer v = r.get(s);
        if (v == null) {
            return fallback;
        }
        if (v < min || v > max) {
            problems.add(s.envName() + ": must be between " + min + " and " + max);
            return fallback;
        }
        return v;
    }
}
