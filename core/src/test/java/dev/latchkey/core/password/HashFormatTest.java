package dev.latchkey.core.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HashFormatTest {

    @Test
    void recognizesEverySupportedFormatWithItsShortName() {
        assertThat(HashFormat.recognize(Vectors.ARGON2ID_HORSE).map(HashFormat::shortName)).contains("argon2id");
        assertThat(HashFormat.recognize(Vectors.ARGON2I_HORSE).map(HashFormat::shortName)).contains("argon2i");
        assertThat(HashFormat.recognize(Vectors.ARGON2D_HORSE).map(HashFormat::shortName)).contains("argon2d");
        assertThat(HashFormat.recognize(Vectors.BCRYPT_2A_HORSE).map(HashFormat::shortName)).contains("bcrypt");
        assertThat(HashFormat.recognize(Vectors.BCRYPT_2B_HORSE).map(HashFormat::shortName)).contains("bcrypt");
        assertThat(HashFormat.recognize(Vectors.BCRYPT_2Y_HORSE).map(HashFormat::shortName)).contains("bcrypt");
        assertThat(HashFormat.recognize(Vectors.DJANGO_HORSE).map(HashFormat::shortName)).contains("django-pbkdf2-sha256");
        assertThat(HashFormat.recognize(Vectors.PASSLIB_PBKDF2_HORSE).map(HashFormat::shortName)).contains("pbkdf2-sha256");
        assertThat(HashFormat.recognize(Vectors.SCRYPT_HORSE).map(HashFormat::shortName)).contains("scrypt");
        assertThat(HashFormat.isRecognized(Vectors.ARGON2ID_PEPPERED_K1_HORSE)).isTrue();
        assertThat(HashFormat.isRecognized(new PasswordHashing(new Argon2Parameters(64, 1, 1)).hash("x"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "hunter2",
        "5f4dcc3b5aa765d61d8327deb882cf99",                        // unsalted MD5
        "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/",                      // md5crypt
        "$5$rounds=5000$salt$Gbi.qgQeA6R5J3NP0bo5Z6o5WaDD5cZ.Ru5gjqjF5aZ", // sha256crypt
        "$2x$04$35xNieC8LU6uXzANI/5i2unYklpGCZt5zXOGmGUjElNOO7m0qG/YG", // crypt_blowfish's buggy variant
        "$2b$04$35xNieC8LU6uXzANI/5i2unYklpGCZt5zXOGmGUjElNOO7m0qG/Y",  // one character short
        "$2b$4$35xNieC8LU6uXzANI/5i2unYklpGCZt5zXOGmGUjElNOO7m0qG/YG",  // one-digit cost
        "pbkdf2_sha1$1000$salt$ZZxEPgKg+h2RoqEeosmaWTxb5PBhelku55gVq++twek=",
        "pbkdf2_sha256$1000$salt",
        "pbkdf2_sha256$01000$Qx7bLk2mZp9w$ZZxEPgKg+h2RoqEeosmaWTxb5PBhelku55gVq++twek=",
        "pbkdf2_sha256$-1$Qx7bLk2mZp9w$ZZxEPgKg+h2RoqEeosmaWTxb5PBhelku55gVq++twek=",
        "pbkdf2_sha256$1000$Qx7bLk2mZp9w$not*base64",
        "pbkdf2_sha256$1000$Qx7bLk2mZp9w$c2hvcnQ=",                // a 5-byte hash
        "$argon2id$v=19$m=64,t=1,p=1$bGF0Y2hrZXktc2FsdC0wMQ",      // no hash
        "$argon2id$v=20$m=64,t=1,p=1$bGF0Y2hrZXktc2FsdC0wMQ$5pz6gbt6gWEFrF1TYoaU9zg9/SuUNjSYe9yOYWE9FDY",
        "$argon2id$v=19$m=64,t=1$bGF0Y2hrZXktc2FsdC0wMQ$5pz6gbt6gWEFrF1TYoaU9zg9/SuUNjSYe9yOYWE9FDY",
        "$argon2id$v=19$m=64,t=1,p=1,p=1$bGF0Y2hrZXktc2FsdC0wMQ$5pz6gbt6gWEFrF1TYoaU9zg9/SuUNjSYe9yOYWE9FDY",
        "$argon2id$v=19$m=64,t=1,p=1,data=YWQ$bGF0Y2hrZXktc2FsdC0wMQ$5pz6gbt6gWEFrF1TYoaU9zg9/SuUNjSYe9yOYWE9FDY",
        "$argon2id$v=19$m=4,t=1,p=1$bGF0Y2hrZXktc2FsdC0wMQ$5pz6gbt6gWEFrF1TYoaU9zg9/SuUNjSYe9yOYWE9FDY", // m < 8p
        "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$5pz6gbt6gWEFrF1TYoaU9zg9/SuUNjSYe9yOYWE9FDY",   // 4-byte salt
        "$argon2x$v=19$m=64,t=1,p=1$bGF0Y2hrZXktc2FsdC0wMQ$5pz6gbt6gWEFrF1TYoaU9zg9/SuUNjSYe9yOYWE9FDY",
        "$scrypt$ln=10,r=8$ZGVmZ2hpamtsbW5vcHFycw$CkD+NR84LFdnb+uZpThz1VP3cOF3wPL/2nEt/JcVI8k",
        "$scrypt$ln=10,r=8,p=1,x=1$ZGVmZ2hpamtsbW5vcHFycw$CkD+NR84LFdnb+uZpThz1VP3cOF3wPL/2nEt/JcVI8k",
        "$7$CU..../....salt$hash",                                 // libsodium scrypt
    })
    void rejectsWhatItCannotVerify(String text) {
        assertThat(HashFormat.isRecognized(text)).isFalse();
        assertThat(HashFormat.recognize(text)).isEmpty();
        assertThatThrownBy(() -> HashFormat.require(text)).isInstanceOf(UnrecognizedHashException.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "pbkdf2_sha256$10000001$Qx7bLk2mZp9w$ZZxEPgKg+h2RoqEeosmaWTxb5PBhelku55gVq++twek=          | pbkdf2 iterations",
        "$pbkdf2-sha256$9999999999$AAECAwQFBgcICQoLDA0ODw$ppsXnjrdPB4KryJ6DrOqKqhkWrhv7PbKAMF1Eml8cZ4 | out of range",
        "$scrypt$ln=21,r=8,p=1$ZGVmZ2hpamtsbW5vcHFycw$CkD+NR84LFdnb+uZpThz1VP3cOF3wPL/2nEt/JcVI8k    | scrypt ln",
        "$scrypt$ln=20,r=16,p=1$ZGVmZ2hpamtsbW5vcHFycw$CkD+NR84LFdnb+uZpThz1VP3cOF3wPL/2nEt/JcVI8k   | 1 GiB",
        "$scrypt$ln=10,r=8,p=17$ZGVmZ2hpamtsbW5vcHFycw$CkD+NR84LFdnb+uZpThz1VP3cOF3wPL/2nEt/JcVI8k   | scrypt r",
        "$argon2id$v=19$m=2097152,t=1,p=1$bGF0Y2hrZXktc2FsdC0wMQ$5pz6gbt6gWEFrF1TYoaU9zg9/SuUNjSYe9yOYWE9FDY | argon2 memory",
        "$argon2id$v=19$m=65536,t=100,p=1$bGF0Y2hrZXktc2FsdC0wMQ$5pz6gbt6gWEFrF1TYoaU9zg9/SuUNjSYe9yOYWE9FDY | argon2 iterations",
        "$argon2id$v=19$m=1048576,t=8,p=1$bGF0Y2hrZXktc2FsdC0wMQ$5pz6gbt6gWEFrF1TYoaU9zg9/SuUNjSYe9yOYWE9FDY | memory × iterations",
        "$argon2id$v=19$m=65536,t=1,p=255$bGF0Y2hrZXktc2FsdC0wMQ$5pz6gbt6gWEFrF1TYoaU9zg9/SuUNjSYe9yOYWE9FDY | argon2 parallelism",
        "$2b$17$35xNieC8LU6uXzANI/5i2unYklpGCZt5zXOGmGUjElNOO7m0qG/YG                                  | bcrypt cost",
        "$2b$31$35xNieC8LU6uXzANI/5i2unYklpGCZt5zXOGmGUjElNOO7m0qG/YG                                  | bcrypt cost",
        "$2b$03$35xNieC8LU6uXzANI/5i2unYklpGCZt5zXOGmGUjElNOO7m0qG/YG                                  | bcrypt cost",
    })
    void rejectsAbsurdParametersInsteadOfRunningThem(String text, String reason) {
        assertThat(HashFormat.isRecognized(text)).isFalse();
        assertThatThrownBy(() -> new PasswordHashing(new Argon2Parameters(64, 1, 1)).verify("x", text))
                .isInstanceOf(UnrecognizedHashException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void theMessageNeverEchoesTheHash() {
        String text = "pbkdf2_sha256$10000001$Qx7bLk2mZp9w$ZZxEPgKg+h2RoqEeosmaWTxb5PBhelku55gVq++twek=";
        assertThatThrownBy(() -> HashFormat.require(text)).message().doesNotContain("ZZxEPgKg", "Qx7bLk2mZp9w");
    }

    @Test
    void aHugeStringIsRejectedBeforeParsing() {
        assertThat(HashFormat.isRecognized("$argon2id$" + "A".repeat(100_000))).isFalse();
    }
}
