package dev.latchkey.store.sql;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Accepts a database URL the way operators write it — {@code jdbc:postgresql://…} or libpq's
 * {@code postgresql://user:password@host:port/db?…} (also {@code postgres://}) — and gives the JDBC
 * URL plus the user and password to connect with.
 */
public record PostgresUrl(String jdbcUrl, String user, String password) {

    public static PostgresUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("the database URL is empty");
        }
        String u = url.strip();
        if (u.startsWith("jdbc:postgresql:")) {
            return new PostgresUrl(u, null, null);
        }
        if (!u.startsWith("postgresql://") && !u.startsWith("postgres://")) {
            throw new IllegalArgumentException("the database URL must start with postgresql:// or jdbc:postgresql://");
        }
        URI uri;
        try {
            uri = URI.create(u);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the database URL is malformed");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the database URL has no host");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : null;
        }
        String db = uri.getRawPath() == null || uri.getRawPath().length() <= 1 ? "postgres" : uri.getRawPath().substring(1);
        String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "/" + db
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new PostgresUrl(jdbc, user, password);
    }

    @Override
    public String toString() {
        return "PostgresUrl[" + jdbcUrl.replaceAll("password=[^&]*", "password=***") + ", user=" + user + "]";
    }
}
