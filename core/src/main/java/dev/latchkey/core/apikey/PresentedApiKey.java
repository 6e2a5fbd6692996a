package dev.latchkey.core.apikey;

import dev.latchkey.core.crypto.RandomTokens;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An API key's text, {@code lk_<env>_<id>_<secret>}: {@code env} lower-case letters (the server's
 * {@code api_keys.env}, e.g. {@code live} or {@code test}, so a test key is visibly one and refused by a live
 * server), {@code id} 16 base62 characters (public: listed, logged), {@code secret} 43 base62 characters
 * (256 bits). Base62 has no underscore, so the parts split unambiguously and a double click selects the whole
 * key. {@code toString} never shows the secret.
 */
public record PresentedApiKey(String env, String publicId, String secret) {
    public static final String PREFIX = "lk_";
    static final int ID_LENGTH = 16;
    static final int SECRET_LENGTH = 43;
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final Pattern FORM = Pattern.compile("lk_([a-z]{1,16})_([0-9A-Za-z]{" + ID_LENGTH + "})_([0-9A-Za-z]{" + SECRET_LENGTH + "})");
    private static final Pattern ENV = Pattern.compile("[a-z]{1,16}");

    /** Whether {@code text} is meant as an API key (starts with {@code lk_}), well-formed or not. */
    public static boolean looksLikeApiKey(String text) {
        return text != null && text.startsWith(PREFIX);
    }

    /** The parts of a well-formed key; empty otherwise. */
    public static Optional<PresentedApiKey> parse(String text) {
        if (text == null || text.length() > 100) {
            return Optional.empty();
        }
        Matcher m = FORM.matcher(text);
        return m.matches() ? Optional.of(new PresentedApiKey(m.group(1), m.group(2), m.group(3))) : Optional.empty();
    }

    /** A new key for {@code env}, from the system's strong random source. */
    public static PresentedApiKey generate(String env) {
        if (!validEnv(env)) {
            throw new IllegalArgumentException("an API key environment is 1-16 lower-case letters: " + env);
        }
        return new PresentedApiKey(env, base62(ID_LENGTH), base62(SECRET_LENGTH));
    }

    public static boolean validEnv(String env) {
        return env != null && ENV.matcher(env).matches();
    }

    /** The key's text, to show once. */
    public String text() {
        return PREFIX + env + "_" + publicId + "_" + secret;
    }

    private static String base62(int n) {
        SecureRandom r = RandomTokens.random();
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(BASE62.charAt(r.nextInt(BASE62.length())));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "PresentedApiKey[" + env + "/" + publicId + "]";
    }
}
