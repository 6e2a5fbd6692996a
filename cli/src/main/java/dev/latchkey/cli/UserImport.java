package dev.latchkey.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStatus;
import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.id.UuidV7;
import dev.latchkey.core.password.HashFormat;
import java.io.IOException;
import java.io.Reader;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Imports users with their existing password hashes (bcrypt, PBKDF2-SHA256, scrypt, Argon2) from
 * JSON (an array of objects) or CSV (a header row). Such a password verifies as it is and is
 * re-hashed to the current Argon2id parameters at the user's first sign-in. Rows with a problem are
 * reported by number and skipped; existing e-mail addresses are skipped, never overwritten.
 */
final class UserImport {
    /** One user to import. */
    record Row(int line, String email, String passwordHash, String name, boolean emailVerified) {
    }

    /** What happened. */
    record Report(int imported, int skippedExisting, List<String> errors) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private UserImport() {
    }

    record JsonUser(String email, String password_hash, String name, Boolean email_verified) {
    }

    static List<Row> readJson(Reader in) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new CliException("the JSON import file must be an array of user objects");
            }
            int n = 0;
            while (p.nextToken() == JsonToken.START_OBJECT) {
                n++;
                try {
                    JsonUser u = JSON.readValue(p, JsonUser.class);
                    rows.add(new Row(n, u.email(), u.password_hash(), u.name(), Boolean.TRUE.equals(u.email_verified())));
                } catch (IOException e) {
                    throw new CliException("user #" + n + ": " + e.getMessage().lines().findFirst().orElse("invalid"));
                }
            }
        }
        return rows;
    }

    /** CSV (RFC 4180) with a header naming the columns email, password_hash, name, email_verified. */
    static List<Row> readCsv(Reader in) throws IOException {
        List<List<String>> records = Csv.parse(in);
        if (records.isEmpty()) {
            return List.of();
        }
        List<String> header = records.get(0).stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
        int email = header.indexOf("email");
        if (email < 0) {
            throw new CliException("the CSV header must have an 'email' column (and usually 'password_hash')");
        }
        for (String h : header) {
            if (!List.of("email", "password_hash", "name", "email_verified").contains(h)) {
                throw new CliException("unknown CSV column '" + h + "'");
            }
        }
        int hash = header.indexOf("password_hash");
        int name = header.indexOf("name");
        int verified = header.indexOf("email_verified");
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < records.size(); i++) {
            List<String> r = records.get(i);
            if (r.size() == 1 && r.get(0).isBlank()) {
                continue;
            }
            if (r.size() != header.size()) {
                throw new CliException("CSV line " + (i + 1) + ": expected " + header.size() + " fields, found " + r.size());
            }
            rows.add(new Row(i + 1, r.get(email), hash < 0 ? null : r.get(hash), name < 0 ? null : r.get(name),
                    verified >= 0 && "true".equalsIgnoreCase(r.get(verified).strip())));
        }
        return rows;
    }

    static Report run(List<Row> rows, UserStore users, Clock clock, boolean dryRun) {
        int imported = 0;
        int existing = 0;
        List<String> errors = new ArrayList<>();
        for (Row r : rows) {
            EmailAddress email;
            try {
                email = EmailAddress.parse(r.email());
            } catch (LatchkeyException e) {
                errors.add("#" + r.line() + ": invalid e-mail address");
                continue;
            }
            String hash = r.passwordHash() == null || r.passwordHash().isBlank() ? null : r.passwordHash().strip();
            if (hash != null && !HashFormat.isRecognized(hash)) {
                errors.add("#" + r.line() + " (" + email + "): password_hash is not a supported format "
                        + "(bcrypt $2a$/$2b$/$2y$, pbkdf2_sha256$…, $pbkdf2-sha256$…, $scrypt$…, $argon2i/d/id$…)");
                continue;
            }
            String name = r.name() == null || r.name().isBlank() ? null : r.name().strip();
            if (name != null && name.length() > 200) {
                errors.add("#" + r.line() + " (" + email + "): name longer than 200 characters");
                continue;
            }
            if (dryRun) {
                imported++;
                continue;
            }
            Instant now = clock.instant();
            User u = new User(UuidV7.next(clock), email, r.emailVerified(), name, hash, UserStatus.ACTIVE, 1, now, now);
            if (users.create(u)) {
                imported++;
            } else {
                existing++;
            }
        }
        return new Report(imported, existing, errors);
    }
}
