package dev.latchkey.server.config;

/** The configuration reference, generated from {@link Settings} (docs/configuration.md is this text). */
public final class ConfigReference {
    private ConfigReference() {
    }

    public static String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# Configuration reference\n\n");
        b.append("Generated from `Settings.java` by `latchkey config docs`; a test fails when this file and the code disagree.\n\n");
        b.append("Latchkey reads, in this order of precedence: environment variables (`LATCHKEY_…`), then an optional ")
                .append("properties file (`--config FILE` or `LATCHKEY_CONFIG`, keys as in the first column), then the defaults below. ")
                .append("Every value is validated at start-up and all problems are reported together; `latchkey config check` ")
                .append("does the same without starting. Durations are written `500ms`, `10s`, `5m`, `12h`, `30d`; rates `10/1m` ")
                .append("(requests per period); sizes `65536`, `64KiB`, `1MiB`.\n\n");
        b.append("`latchkey dev` changes two defaults: it listens on `127.0.0.1` and logs as text. It starts an embedded ")
                .append("PostgreSQL when `LATCHKEY_DATABASE_URL` is empty and keeps a generated master key in the data folder. ")
                .append("`latchkey server` requires `LATCHKEY_DATABASE_URL` and `LATCHKEY_MASTER_KEY` and an https public URL.\n\n");
        b.append("Running several nodes, what happens while Redis is unreachable, health checks, metrics and the management port, ")
                .append("graceful shutdown and the launcher's own variables (`LATCHKEY_HOME`, `LATCHKEY_JAVA`, `LATCHKEY_JAVA_OPTS`): ")
                .append("[operations.md](operations.md).\n\n");
        b.append("| key | environment variable | default | type | meaning |\n");
        b.append("|---|---|---|---|---|\n");
        for (Setting<?> s : Settings.ALL) {
            String def = s.defaultValue().isEmpty() ? "(empty)" : "`" + s.defaultValue() + "`";
            b.append("| `").append(s.key()).append("` | `").append(s.envName()).append("` | ").append(def).append(" | ")
                    .append(s.type().replace("|", "\\|")).append(" | ")
                    .append(s.description().replace("|", "\\|")).append(s.secret() ? " *Secret: never logged.*" : "").append(" |\n");
        }
        return b.toString();
    }
}
