package dev.latchkey.core.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * An Argon2 hash in the PHC string format, e.g. {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<tag>}
 * (RFC 9106; the Argon2 section of phc-sf-spec). A missing {@code v=} means version 1.0 (0x10).
 * {@code keyid} names the {@link Pepper} the password was passed through; {@code data}
 * (associated data) is not supported.
 *
 * @param pepperId the pepper id decoded from {@code keyid}, if any
 */
record Argon2Hash(Argon2Variant variant, int version, Argon2Parameters parameters, Optional<String> pepperId,
                  byte[] salt, byte[] tag) implements StoredHash {
    static final int MIN_SALT = 8;
    static final int MAX_SALT = 64;
    static final int MIN_TAG = 4;
    static final int MAX_TAG = 128;
    private static final Set<String> KNOWN = Set.of("m", "t", "p", "keyid");

    Argon2Hash {
        if (version != Argon2Engine.VERSION_10 && version != Argon2Engine.VERSION_13) {
            throw new UnrecognizedHashException("argon2 version must be 16 or 19");
        }
        if (salt.length < MIN_SALT || salt.length > MAX_SALT) {
            throw new UnrecognizedHashException("argon2 salt must be " + MIN_SALT + ".." + MAX_SALT + " bytes");
        }
        if (tag.length < MIN_TAG || tag.length > MAX_TAG) {
            throw new UnrecognizedHashException("argon2 hash must be " + MIN_TAG + ".." + MAX_TAG + " bytes");
        }
    }

    @Override
    public HashFormat format() {
        return variant.format();
    }

    @Override
    public boolean matches(byte[] password) {
        byte[] actual = Argon2Engine.preferred().hash(variant, version, parameters, password, salt, tag.length);
        return MessageDigest.isEqual(actual, tag);
    }

    static Argon2Hash parse(String text) {
        PhcString phc = PhcString.parse(text);
        Argon2Variant variant = Argon2Variant.ofPhcId(phc.id())
                .orElseThrow(() -> new UnrecognizedHashException("unknown argon2 variant"));
        for (PhcString.Param p : phc.params()) {
            if (!KNOWN.contains(p.name())) {
                throw new UnrecognizedHashException("unsupported argon2 parameter '" + p.name() + "'");
            }
        }
        Argon2Parameters parameters;
        try {
            parameters = new Argon2Parameters(required(phc, "m"), required(phc, "t"), required(phc, "p"));
        } catch (IllegalArgumentException e) {
            throw new UnrecognizedHashException(e.getMessage());
        }
        Optional<String> pepperId = phc.param("keyid").map(Argon2Hash::decodeKeyId);
        byte[] salt = PhcBase64.decode(phc.salt()).orElseThrow(() -> new UnrecognizedHashException("argon2 salt is not base64"));
        byte[] tag = PhcBase64.decode(phc.hash()).orElseThrow(() -> new UnrecognizedHashException("argon2 hash is not base64"));
        return new Argon2Hash(variant, phc.version().orElse(Argon2Engine.VERSION_10), parameters, pepperId, salt, tag);
    }

    private static int required(PhcString phc, String name) {
        return PhcString.parseInt(phc.param(name)
                .orElseThrow(() -> new UnrecognizedHashException("argon2 parameter '" + name + "' is missing")), "argon2 " + name);
    }

    private static String decodeKeyId(String b64) {
        byte[] id = PhcBase64.decode(b64).orElseThrow(() -> new UnrecognizedHashException("argon2 keyid is not base64"));
        if (id.length > 8) {
            throw new UnrecognizedHashException("argon2 keyid is at most 8 bytes");
        }
        return new String(id, StandardCharsets.US_ASCII);
    }

    /** The PHC string, parameters in the order m, t, p, keyid. */
    String toPhc() {
        List<PhcString.Param> params = new ArrayList<>(List.of(
                new PhcString.Param("m", Integer.toString(parameters.memoryKib())),
                new PhcString.Param("t", Integer.toString(parameters.iterations())),
                new PhcString.Param("p", Integer.toString(parameters.parallelism()))));
        pepperId.ifPresent(id -> params.add(new PhcString.Param("keyid",
                PhcBase64.encode(id.getBytes(StandardCharsets.US_ASCII)))));
        return new PhcString(variant.phcId(), OptionalInt.of(version), params,
                PhcBase64.encode(salt), PhcBase64.encode(tag)).format();
    }

    @Override
    public String toString() {
        return "Argon2Hash[" + variant.phcId() + ", v=" + version + ", " + parameters
                + pepperId.map(id -> ", pepper=" + id).orElse("") + "]";
    }
}
