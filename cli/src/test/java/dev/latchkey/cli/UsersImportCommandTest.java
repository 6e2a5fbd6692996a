package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.User;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code latchkey users import} with hashes from other systems, then the proof that counts: each
 * imported user signs in through the first-party API of a running server, and from then on their
 * password is stored as Argon2id (re-hashed transparently at that sign-in).
 */
class UsersImportCommandTest {
    // Vectors computed by other implementations; see core/src/test/resources/dev/latchkey/core/password/VECTORS.md
    static final String HORSE = "correct horse battery staple";
    static final String UNICODE = "pässwörd€ 🔑";
    static final Map<String, String> HORSE_HASHES = new LinkedHashMap<>();
    static final Map<String, String> UNICODE_HASHES = new LinkedHashMap<>();

    static {
        HORSE_HASHES.put("bcrypt-2b", "$2b$04$35xNieC8LU6uXzANI/5i2unYklpGCZt5zXOGmGUjElNOO7m0qG/YG");
        HORSE_HASHES.put("bcrypt-2a", "$2a$06$KBCwKxOzLha2MUDgW0PjXeDJygqaw1SiDVia26llPe4RgJVjlVHJG");
        HORSE_HASHES.put("bcrypt-2y", "$2y$04$35xNieC8LU6uXzANI/5i2unYklpGCZt5zXOGmGUjElNOO7m0qG/YG");
        HORSE_HASHES.put("django-pbkdf2", "pbkdf2_sha256$1000$Qx7bLk2mZp9w$ZZxEPgKg+h2RoqEeosmaWTxb5PBhelku55gVq++twek=");
        HORSE_HASHES.put("passlib-pbkdf2", "$pbkdf2-sha256$1000$AAECAwQFBgcICQoLDA0ODw$ppsXnjrdPB4KryJ6DrOqKqhkWrhv7PbKAMF1Eml8cZ4");
        HORSE_HASHES.put("scrypt", "$scrypt$ln=10,r=8,p=1$ZGVmZ2hpamtsbW5vcHFycw$CkD+NR84LFdnb+uZpThz1VP3cOF3wPL/2nEt/JcVI8k");
        HORSE_HASHES.put("argon2id", "$argon2id$v=19$m=64,t=1,p=1$bGF0Y2hrZXktc2FsdC0wMQ$5pz6gbt6gWEFrF1TYoaU9zg9/SuUNjSYe9yOYWE9FDY");
        HORSE_HASHES.put("argon2i", "$argon2i$v=19$m=128,t=2,p=1$bGF0Y2hrZXktc2FsdC0wMw$FhNSYFJxUnx/Q9kW8OohJTMpT9EFouQrUngUoYYRQqE");
        HORSE_HASHES.put("argon2d", "$argon2d$v=19$m=64,t=1,p=4$bGF0Y2hrZXktc2FsdC0wNA$bMsTXX38GbjhmXBIio973H4+sp/r1tQCwEuUQJm3l6U");
        UNICODE_HASHES.put("u-bcrypt", "$2b$05$pTM4eM2QB5FnuhWnMmbRu.eaDc2NpIjhCv6q1pqdxgjGPFHxTeBhi");
        UNICODE_HASHES.put("u-django-pbkdf2", "pbkdf2_sha256$1000$saltySalt12$HbZMMuF+/gU5xG87ZRt3g8wo4WJ32L8K4ZnqV3DjF+g=");
        UNICODE_HASHES.put("u-passlib-pbkdf2", "$pbkdf2-sha256$2000$..//..//..//..//..//AQ$hOg3eppeA54RTcXbhYXlgUshVLk6tIFmRy0JJ1BizCI");
        UNICODE_HASHES.put("u-scrypt", "$scrypt$ln=12,r=4,p=2$/v7+/v7+/v7+/v7+/v7+/g$m9l5AdFb6QDBU75JRMIy5vsAQv1RvCiYAKUbL/3dktY");
        UNICODE_HASHES.put("u-argon2id", "$argon2id$v=19$m=256,t=3,p=2$bGF0Y2hrZXktc2FsdC0wMg$ZNvLaYa2O4Sh6BhfQhptkATAqmI91RXP");
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    CliFixture fx;

    @BeforeEach
    void setUp() {
        fx = new CliFixture();
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    static String email(String label) {
        return label + "@import.example";
    }

    User stored(String label) {
        return fx.backend().users().findByEmail(EmailAddress.parse(email(label))).orElse(null);
    }

    @Test
    void jsonAndCsvImportsSignInAndAreRehashedToArgon2id(@TempDir Path dir) throws Exception {
        List<Map<String, Object>> users = new ArrayList<>();
        HORSE_HASHES.forEach((label, hash) -> users.add(Map.of("email", email(label), "password_hash", hash, "name", "User " + label,
                "email_verified", true)));
        users.add(Map.of("email", email("no-password")));
        Path json = dir.resolve("users.json");
        JSON.writeValue(json.toFile(), users);

        StringBuilder csv = new StringBuilder("email,password_hash,name,email_verified\r\n");
        // RFC 4180: fields with commas (scrypt and Argon2 parameters, the names) are quoted
        UNICODE_HASHES.forEach((label, hash) -> csv.append(email(label)).append(",\"").append(hash).append("\",\"Müller, ").append(label)
                .append("\",false\r\n"));
        csv.append(email("md5")).append(",5f4dcc3b5aa765d61d8327deb882cf99,Old Hash,false\r\n");
        Path csvFile = dir.resolve("users.csv");
        Files.writeString(csvFile, csv, StandardCharsets.UTF_8);

        CliFixture.Result dry = fx.run("users", "import", "--file", json.toString(), "--dry-run");
        assertThat(dry.out()).as(dry.toString()).contains("would import 10 users; 0 already existed (left unchanged); 0 rows with errors");
        assertThat(stored("bcrypt-2b")).isNull();

        CliFixture.Result imported = fx.run("users", "import", "--file", json.toString());
        assertThat(imported.code()).as(imported.toString()).isZero();
        assertThat(imported.out()).contains("imported 10 users; 0 already existed (left unchanged); 0 rows with errors");
        CliFixture.Result again = fx.run("users", "import", "--file", json.toString());
        assertThat(again.out()).as(again.toString()).contains("imported 0 users; 10 already existed (left unchanged); 0 rows with errors");

        // a row that cannot be imported is named, the others go in, and the exit code says so
        CliFixture.Result fromCsv = fx.run("users", "import", "--file", csvFile.toString());
        assertThat(fromCsv.code()).as(fromCsv.toString()).isEqualTo(2);
        assertThat(fromCsv.out()).as(fromCsv.toString()).contains("imported 5 users; 0 already existed (left unchanged); 1 rows with errors");
        assertThat(fromCsv.err()).as(fromCsv.toString()).contains("skipped #7 (md5@import.example): password_hash is not a supported format")
                .contains("latchkey: 1 rows were not imported");
        assertThat(stored("md5")).isNull();
        assertThat(stored("u-scrypt").name()).isEqualTo("Müller, u-scrypt");
        assertThat(stored("bcrypt-2a").passwordHash()).isEqualTo(HORSE_HASHES.get("bcrypt-2a"));   // kept as it came
        assertThat(stored("bcrypt-2a").emailVerified()).isTrue();
        assertThat(stored("no-password").hasPassword()).isFalse();

        String base = fx.startServer();
        Map<String, String> passwords = new LinkedHashMap<>();
        HORSE_HASHES.keySet().forEach(l -> passwords.put(l, HORSE));
        UNICODE_HASHES.keySet().forEach(l -> passwords.put(l, UNICODE));
        passwords.forEach((label, password) -> {
            String before = stored(label).passwordHash();
            assertThat(before).as(label).doesNotStartWith("$argon2id$v=19$m=256,t=1,p=1$");
            HttpResponse<String> login = login(base, email(label), password);
            assertThat(login.statusCode()).as(label + ": " + login.body()).isEqualTo(200);
            JsonNode me = me(base, tree(login.body()).get("access_token").asText());
            assertThat(me.get("email").asText()).isEqualTo(email(label));
            assertThat(me.get("id").asText()).isEqualTo(stored(label).id().toString());
            // re-hashed at that sign-in to the server's current Argon2id parameters, and still the same password
            String after = stored(label).passwordHash();
            assertThat(after).as(label).startsWith("$argon2id$v=19$m=256,t=1,p=1$").isNotEqualTo(before);
            assertThat(login(base, email(label), password).statusCode()).as(label + " again").isEqualTo(200);
            assertThat(stored(label).passwordHash()).as(label).isEqualTo(after);
        });
    }

    @Test
    void aWrongPasswordNeitherSignsInNorRehashes(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("one.json");
        JSON.writeValue(json.toFile(), List.of(Map.of("email", email("bcrypt-2b"), "password_hash", HORSE_HASHES.get("bcrypt-2b"))));
        assertThat(fx.run("users", "import", "--file", json.toString()).code()).isZero();
        String base = fx.startServer();
        assertThat(login(base, email("bcrypt-2b"), "correct horse battery stapler").statusCode()).isEqualTo(401);
        assertThat(stored("bcrypt-2b").passwordHash()).isEqualTo(HORSE_HASHES.get("bcrypt-2b"));
    }

    static HttpResponse<String> login(String base, String email, String password) {
        try {
            String body = JSON.writeValueAsString(Map.of("email", email, "password", password));
            return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/auth/login")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode me(String base, String accessToken) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/auth/me"))
                    .header("Authorization", "Bearer " + accessToken).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return tree(r.body());
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode tree(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError(body, e);
        }
    }
}
