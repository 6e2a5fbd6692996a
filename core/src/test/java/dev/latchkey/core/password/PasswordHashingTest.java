package dev.latchkey.core.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PasswordHashingTest {
    private static final Argon2Parameters CHEAP = new Argon2Parameters(64, 1, 1);
    private static final Pepper K1 = new Pepper("k1", Vectors.PEPPER_K1_KEY);
    private static final Pepper K2 = new Pepper("k2", new byte[32]);

    private final PasswordHashing hashing = new PasswordHashing(CHEAP);

    @Test
    void hashIsAnArgon2idPhcStringWithA16ByteSaltAnd32ByteHash() {
        String hash = hashing.hash(Vectors.HORSE);
        // 16 bytes → 22 B64 characters, 32 bytes → 43
        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=64,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    }

    @Test
    void theRightPasswordMatchesWithoutRehashAndAWrongOneDoesNot() {
        String hash = hashing.hash(Vectors.HORSE);
        assertThat(hashing.verify(Vectors.HORSE, hash)).isEqualTo(new Verification.Match(false));
        assertThat(hashing.verify("correct horse battery stapler", hash)).isEqualTo(new Verification.Mismatch());
        assertThat(hashing.verify("", hash)).isInstanceOf(Verification.Mismatch.class);
    }

    @Test
    void eachHashHasItsOwnSalt() {
        assertThat(hashing.hash(Vectors.HORSE)).isNotEqualTo(hashing.hash(Vectors.HORSE));
    }

    @Test
    void aTamperedHashDoesNotMatch() {
        String hash = hashing.hash(Vectors.HORSE);
        assertThat(hashing.verify(Vectors.HORSE, Vectors.tamper(hash))).isInstanceOf(Verification.Mismatch.class);
    }

    @Test
    void verifiesAHashFromAnIndependentImplementation() {
        PasswordHashing current = new PasswordHashing(Argon2Parameters.OWASP);
        assertThat(current.verify(Vectors.HORSE, Vectors.ARGON2ID_HORSE_OWASP)).isEqualTo(new Verification.Match(false));
        assertThat(current.verify("Correct horse battery staple", Vectors.ARGON2ID_HORSE_OWASP)).isInstanceOf(Verification.Mismatch.class);
    }

    @Test
    void defaultsAreTheOwaspParameters() {
        PasswordHashing owasp = new PasswordHashing(Argon2Parameters.OWASP);
        String hash = owasp.hash(Vectors.UNICODE);
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(owasp.verify(Vectors.UNICODE, hash)).isEqualTo(new Verification.Match(false));
        owasp.verifyDummy(Vectors.UNICODE);
    }

    @Test
    void otherParametersAskForARehash() {
        String old = new PasswordHashing(new Argon2Parameters(32, 1, 1)).hash(Vectors.HORSE);
        assertThat(hashing.verify(Vectors.HORSE, old)).isEqualTo(new Verification.Match(true));
        assertThat(hashing.verify(Vectors.HORSE, Vectors.ARGON2ID_HORSE)).as("same parameters, other implementation")
                .isEqualTo(new Verification.Match(false));
        assertThat(hashing.verify(Vectors.HORSE, Vectors.ARGON2I_HORSE)).as("argon2i").isEqualTo(new Verification.Match(true));
        assertThat(hashing.verify(Vectors.HORSE, Vectors.ARGON2ID_V16_HORSE)).as("version 1.0").isEqualTo(new Verification.Match(true));
        assertThat(hashing.verify(Vectors.UNICODE, Vectors.ARGON2ID_UNICODE)).as("24-byte hash").isEqualTo(new Verification.Match(true));
    }

    @Test
    void passwordsAreNormalisedToNfkc() {
        String hash = hashing.hash("ﬁancé"); // U+FB01 ligature, precomposed é
        assertThat(hashing.verify("fiance\u0301", hash)).isEqualTo(new Verification.Match(false));
        assertThat(hashing.verify("fiancé", hash)).isEqualTo(new Verification.Match(false));
        assertThat(hashing.verify("fiance", hash)).isInstanceOf(Verification.Mismatch.class);
    }

    @Test
    void anImportedHashOfTheUnnormalisedPasswordStillVerifiesAndAsksForARehash() {
        // bcryptjs hashed the raw ligature; NFKC would turn it into "find me"
        assertThat(hashing.verify(Vectors.LIGATURE, Vectors.BCRYPT_2B_LIGATURE)).isEqualTo(new Verification.Match(true));
        assertThat(hashing.verify("find me", Vectors.BCRYPT_2B_LIGATURE)).isInstanceOf(Verification.Mismatch.class);
    }

    @Test
    void longPasswordsAreNotTruncated() {
        String a = "a".repeat(100) + "1";
        String b = "a".repeat(100) + "2";
        String hash = hashing.hash(a);
        assertThat(hashing.verify(a, hash)).isInstanceOf(Verification.Match.class);
        assertThat(hashing.verify(b, hash)).isInstanceOf(Verification.Mismatch.class);
    }

    @Test
    void aPepperedHashRecordsItsKeyIdAndNeedsThePepper() {
        PasswordHashing peppered = new PasswordHashing(CHEAP, Optional.of(K1), List.of());
        String hash = peppered.hash(Vectors.HORSE);
        assertThat(hash).startsWith("$argon2id$v=19$m=64,t=1,p=1,keyid=azE$");
        assertThat(peppered.verify(Vectors.HORSE, hash)).isEqualTo(new Verification.Match(false));
        assertThat(peppered.verify("wrong", hash)).isInstanceOf(Verification.Mismatch.class);
        assertThatThrownBy(() -> hashing.verify(Vectors.HORSE, hash))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'k1'");
    }

    @Test
    void thePepperIsHmacSha256OfThePassword() {
        PasswordHashing peppered = new PasswordHashing(CHEAP, Optional.of(K1), List.of());
        assertThat(peppered.verify(Vectors.HORSE, Vectors.ARGON2ID_PEPPERED_K1_HORSE)).isEqualTo(new Verification.Match(false));
    }

    @Test
    void pepperedAndUnpepperedHashesCoexist() {
        String plain = hashing.hash(Vectors.HORSE);
        PasswordHashing peppered = new PasswordHashing(CHEAP, Optional.of(K1), List.of());
        String withK1 = peppered.hash(Vectors.HORSE);

        assertThat(peppered.verify(Vectors.HORSE, plain)).as("unpeppered, now peppering").isEqualTo(new Verification.Match(true));
        assertThat(peppered.verify("wrong", plain)).isInstanceOf(Verification.Mismatch.class);

        PasswordHashing unpeppering = new PasswordHashing(CHEAP, Optional.empty(), List.of(K1));
        assertThat(unpeppering.verify(Vectors.HORSE, withK1)).as("pepper retired").isEqualTo(new Verification.Match(true));
        assertThat(unpeppering.verify(Vectors.HORSE, plain)).isEqualTo(new Verification.Match(false));
    }

    @Test
    void aRotatedPepperVerifiesOldHashesAndAsksForARehash() {
        String withK1 = new PasswordHashing(CHEAP, Optional.of(K1), List.of()).hash(Vectors.HORSE);
        PasswordHashing rotated = new PasswordHashing(CHEAP, Optional.of(K2), List.of(K1));
        assertThat(rotated.verify(Vectors.HORSE, withK1)).isEqualTo(new Verification.Match(true));
        assertThat(rotated.verify(Vectors.HORSE, rotated.hash(Vectors.HORSE))).isEqualTo(new Verification.Match(false));
    }

    @Test
    void aPepperWithTheSameIdButAnotherKeyDoesNotMatch() {
        String withK1 = new PasswordHashing(CHEAP, Optional.of(K1), List.of()).hash(Vectors.HORSE);
        PasswordHashing impostor = new PasswordHashing(CHEAP, Optional.of(new Pepper("k1", new byte[32])), List.of());
        assertThat(impostor.verify(Vectors.HORSE, withK1)).isInstanceOf(Verification.Mismatch.class);
    }

    @Test
    void duplicatePepperIdsAreRejected() {
        assertThatThrownBy(() -> new PasswordHashing(CHEAP, Optional.of(K1), List.of(new Pepper("k1", new byte[32]))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDummyHashCostsWhatARealOneCosts() {
        PasswordHashing peppered = new PasswordHashing(new Argon2Parameters(128, 2, 1), Optional.of(K1), List.of());
        Argon2Hash dummy = Argon2Hash.parse(peppered.dummyHash());
        assertThat(dummy.variant()).isEqualTo(Argon2Variant.ARGON2ID);
        assertThat(dummy.parameters()).isEqualTo(new Argon2Parameters(128, 2, 1));
        assertThat(dummy.pepperId()).contains("k1");
        peppered.verifyDummy(Vectors.HORSE);
        peppered.verifyDummy(Vectors.LIGATURE);
    }

    @Test
    void anUnrecognizedStoredHashIsAnErrorNotAMismatch() {
        assertThatThrownBy(() -> hashing.verify(Vectors.HORSE, "5f4dcc3b5aa765d61d8327deb882cf99"))
                .isInstanceOf(UnrecognizedHashException.class);
    }
}
