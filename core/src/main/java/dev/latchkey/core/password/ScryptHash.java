package dev.latchkey.core.password;

import java.security.MessageDigest;
import java.util.Set;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * An imported scrypt hash (RFC 7914) in passlib's format {@code $scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>},
 * salt and hash in B64. Verified only. Ceilings keep one verification bounded: N ≤ 2^20, r ≤ 32,
 * p ≤ 16 and a working set 128·N·r of at most 1 GiB.
 */
record ScryptHash(int logN, int r, int p, byte[] salt, byte[] hash) implements StoredHash {
    static final int MAX_LOG_N = 20;
    static final int MAX_R = 32;
    static final int MAX_P = 16;
    static final long MAX_MEMORY = 1L << 30;
    private static final Set<String> KNOWN = Set.of("ln", "r", "p");

    ScryptHash {
        if (logN < 1 || logN > MAX_LOG_N) {
            throw new UnrecognizedHashException("scrypt ln must be 1.." + MAX_LOG_N + ", got " + logN);
        }
        if (r < 1 || r > MAX_R || p < 1 || p > MAX_P) {
            throw new UnrecognizedHashException("scrypt r must be 1.." + MAX_R + " and p 1.." + MAX_P);
        }
        if (128L * r * (1L << logN) > MAX_MEMORY) {
            throw new UnrecognizedHashException("scrypt would need more than 1 GiB (128·N·r)");
        }
        if (salt.length == 0 || salt.length > 256 || hash.length < 16 || hash.length > 64) {
            throw new UnrecognizedHashException("scrypt salt must be 1..256 bytes and hash 16..64 bytes");
        }
    }

    @Override
    public HashFormat format() {
        return HashFormat.SCRYPT;
    }

    @Override
    public boolean matches(byte[] password) {
        return MessageDigest.isEqual(SCrypt.generate(password, salt, 1 << logN, r, p, hash.length), hash);
    }

    static ScryptHash parse(String text) {
        PhcString phc = PhcString.parse(text);
        if (phc.version().isPresent() || !phc.params().stream().allMatch(x -> KNOWN.contains(x.name()))) {
            throw new UnrecognizedHashException("scrypt takes exactly the parameters ln, r and p");
        }
        byte[] salt = PhcBase64.decode(phc.salt()).orElseThrow(() -> new UnrecognizedHashException("scrypt salt is not base64"));
        byte[] hash = PhcBase64.decode(phc.hash()).orElseThrow(() -> new UnrecognizedHashException("scrypt hash is not base64"));
        return new ScryptHash(required(phc, "ln"), required(phc, "r"), required(phc, "p"), salt, hash);
    }

    private static int required(PhcString phc, String name) {
        return PhcString.parseInt(phc.param(name)
                .orElseThrow(() -> new UnrecognizedHashException("scrypt parameter '" + name + "' is missing")), "scrypt " + name);
    }

    @Override
    public String toString() {
        return "ScryptHash[ln=" + logN + ", r=" + r + ", p=" + p + "]";
    }
}
