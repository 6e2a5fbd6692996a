package dev.latchkey.core.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes an Argon2 tag (RFC 9106 §3.2). Two implementations compute the same function: the
 * reference C library bundled in argon2-jvm (about 1.4× faster here and off the Java heap, see docs/benchmarks.md) and
 * Bouncy Castle's pure-Java one, used only where the native library cannot be loaded.
 */
public sealed interface Argon2Engine permits NativeArgon2Engine, BouncyCastleArgon2Engine {
    /** Argon2 version 1.0 ({@code v=16}); PHC strings without {@code v=} use it. */
    int VERSION_10 = 0x10;
    /** Argon2 version 1.3 ({@code v=19}), the version RFC 9106 specifies. */
    int VERSION_13 = 0x13;

    /**
     * @param version   {@link #VERSION_10} or {@link #VERSION_13}
     * @param tagLength output length in bytes, at least 4 (RFC 9106 §3.1)
     */
    byte[] hash(Argon2Variant variant, int version, Argon2Parameters parameters, byte[] password, byte[] salt, int tagLength);

    /** A short name for logs and benchmarks. */
    String name();

    /** The native engine when it loads and passes {@link #selfTest}; Bouncy Castle otherwise. */
    static Argon2Engine preferred() {
        return Preferred.ENGINE;
    }

    /** True when the engine reproduces an Argon2id tag computed by an independent implementation (hash-wasm). */
    static boolean selfTest(Argon2Engine engine) {
        byte[] expected = HexFormat.of().parseHex("f137f8e186a403a679ccd0606e5ab5dcdafe43c1640855ac8c6e33e9bd63eeb3");
        byte[] actual = engine.hash(Argon2Variant.ARGON2ID, VERSION_13, new Argon2Parameters(8, 1, 1),
                "password".getBytes(StandardCharsets.US_ASCII), "somesalt".getBytes(StandardCharsets.US_ASCII), 32);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Lazy holder: the choice is made once, on first use. */
    final class Preferred {
        private static final Logger LOG = LoggerFactory.getLogger(Argon2Engine.class);
        static final Argon2Engine ENGINE = choose();

        private Preferred() {
        }

        private static Argon2Engine choose() {
            try {
                Argon2Engine engine = new NativeArgon2Engine();
                if (selfTest(engine)) {
                    return engine;
                }
                LOG.warn("native libargon2 computed a wrong test vector; using Bouncy Castle's Argon2");
            } catch (LinkageError | RuntimeException e) {
                LOG.warn("native libargon2 is not available ({}); using Bouncy Castle's Argon2, which is slower", e.toString());
            }
            return new BouncyCastleArgon2Engine();
        }
    }
}
