package dev.latchkey.core.password;

import de.mkammerer.argon2.Argon2Advanced;
import de.mkammerer.argon2.Argon2Factory;
import de.mkammerer.argon2.Argon2Factory.Argon2Types;
import de.mkammerer.argon2.Argon2Version;

/**
 * The Argon2 reference implementation (libargon2, bundled in argon2-jvm, called through JNA). Its
 * working memory is allocated natively per call and freed on return: it does not count against the
 * Java heap but does count in the process's resident set.
 */
public final class NativeArgon2Engine implements Argon2Engine {
    private final Argon2Advanced argon2d = Argon2Factory.createAdvanced(Argon2Types.ARGON2d);
    private final Argon2Advanced argon2i = Argon2Factory.createAdvanced(Argon2Types.ARGON2i);
    private final Argon2Advanced argon2id = Argon2Factory.createAdvanced(Argon2Types.ARGON2id);
    private final BouncyCastleArgon2Engine forEmptyPasswords = new BouncyCastleArgon2Engine();

    @Override
    public byte[] hash(Argon2Variant variant, int version, Argon2Parameters parameters, byte[] password, byte[] salt, int tagLength) {
        if (password.length == 0) {
            // argon2-jvm cannot pass a zero-length buffer through JNA; RFC 9106 allows an empty password
            return forEmptyPasswords.hash(variant, version, parameters, password, salt, tagLength);
        }
        Argon2Advanced argon2 = switch (variant) {
            case ARGON2D -> argon2d;
            case ARGON2I -> argon2i;
            case ARGON2ID -> argon2id;
        };
        Argon2Version v = switch (version) {
            case VERSION_10 -> Argon2Version.V10;
            case VERSION_13 -> Argon2Version.V13;
            default -> throw new IllegalArgumentException("unknown argon2 version " + version);
        };
        return argon2.rawHashAdvanced(parameters.iterations(), parameters.memoryKib(), parameters.parallelism(),
                password, salt, null, null, tagLength, v);
    }

    @Override
    public String name() {
        return "argon2-jvm (native libargon2)";
    }
}
