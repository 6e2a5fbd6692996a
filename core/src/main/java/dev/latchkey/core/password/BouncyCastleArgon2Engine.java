package dev.latchkey.core.password;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters.Builder;

/**
 * Bouncy Castle's pure-Java Argon2: the fallback where the native library cannot be loaded. Its
 * working memory is a Java array per call, so each concurrent hash needs m KiB of heap.
 */
public final class BouncyCastleArgon2Engine implements Argon2Engine {
    @Override
    public byte[] hash(Argon2Variant variant, int version, Argon2Parameters parameters, byte[] password, byte[] salt, int tagLength) {
        int type = switch (variant) {
            case ARGON2D -> org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_d;
            case ARGON2I -> org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_i;
            case ARGON2ID -> org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id;
        };
        if (version != VERSION_10 && version != VERSION_13) {
            throw new IllegalArgumentException("unknown argon2 version " + version);
        }
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Builder(type)
                .withVersion(version)
                .withMemoryAsKB(parameters.memoryKib())
                .withIterations(parameters.iterations())
                .withParallelism(parameters.parallelism())
                .withSalt(salt)
                .build());
        byte[] tag = new byte[tagLength];
        generator.generateBytes(password, tag);
        return tag;
    }

    @Override
    public String name() {
        return "Bouncy Castle (pure Java)";
    }
}
