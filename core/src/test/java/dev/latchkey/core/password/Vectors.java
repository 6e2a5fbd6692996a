package dev.latchkey.core.password;

/**
 * Hashes computed by independent implementations (see VECTORS.md in the test resources). Each
 * string is the stored hash of the password named in its constant.
 */
final class Vectors {
    static final String HORSE = "correct horse battery staple";
    static final String UNICODE = "pässwörd€ 🔑";
    static final String LONG = "x".repeat(72) + "tail-beyond-72-bytes";
    static final String LIGATURE = "ﬁnd me";

    // hashlib.pbkdf2_hmac
    static final String DJANGO_HORSE = "pbkdf2_sha256$1000$Qx7bLk2mZp9w$ZZxEPgKg+h2RoqEeosmaWTxb5PBhelku55gVq++twek=";
    static final String DJANGO_UNICODE = "pbkdf2_sha256$1000$saltySalt12$HbZMMuF+/gU5xG87ZRt3g8wo4WJ32L8K4ZnqV3DjF+g=";
    static final String DJANGO_HORSE_600K = "pbkdf2_sha256$600000$aB3dE5fG7hJ9kL1m$2JUHCmK/zwU8AEHzosltoqr+tITs8UXlieAutMd53GM=";
    static final String PASSLIB_PBKDF2_HORSE = "$pbkdf2-sha256$1000$AAECAwQFBgcICQoLDA0ODw$ppsXnjrdPB4KryJ6DrOqKqhkWrhv7PbKAMF1Eml8cZ4";
    static final String PASSLIB_PBKDF2_UNICODE = "$pbkdf2-sha256$2000$..//..//..//..//..//AQ$hOg3eppeA54RTcXbhYXlgUshVLk6tIFmRy0JJ1BizCI";
    // hashlib.scrypt
    static final String SCRYPT_HORSE = "$scrypt$ln=10,r=8,p=1$ZGVmZ2hpamtsbW5vcHFycw$CkD+NR84LFdnb+uZpThz1VP3cOF3wPL/2nEt/JcVI8k";
    static final String SCRYPT_UNICODE = "$scrypt$ln=12,r=4,p=2$/v7+/v7+/v7+/v7+/v7+/g$m9l5AdFb6QDBU75JRMIy5vsAQv1RvCiYAKUbL/3dktY";
    // bcryptjs ($2b$), hash-wasm ($2a$)
    static final String BCRYPT_2B_HORSE = "$2b$04$35xNieC8LU6uXzANI/5i2unYklpGCZt5zXOGmGUjElNOO7m0qG/YG";
    static final String BCRYPT_2B_UNICODE = "$2b$05$pTM4eM2QB5FnuhWnMmbRu.eaDc2NpIjhCv6q1pqdxgjGPFHxTeBhi";
    static final String BCRYPT_2B_LONG = "$2b$04$8Mii.llE4CMJZ7fFDatTpeoHnnFZ5bEG5U.3dovIVDjvY0OlYfOJq";
    static final String BCRYPT_2B_LIGATURE = "$2b$04$ivBNm9ZhEoOAEJgO2VWqCeV6Tilf3Yv.B.AleK8wXZgAQxC.wW65i";
    static final String BCRYPT_2A_HORSE = "$2a$06$KBCwKxOzLha2MUDgW0PjXeDJygqaw1SiDVia26llPe4RgJVjlVHJG";
    static final String BCRYPT_2Y_HORSE = "$2y$04$35xNieC8LU6uXzANI/5i2unYklpGCZt5zXOGmGUjElNOO7m0qG/YG";
    // hash-wasm
    static final String ARGON2ID_HORSE = "$argon2id$v=19$m=64,t=1,p=1$bGF0Y2hrZXktc2FsdC0wMQ$5pz6gbt6gWEFrF1TYoaU9zg9/SuUNjSYe9yOYWE9FDY";
    static final String ARGON2ID_UNICODE = "$argon2id$v=19$m=256,t=3,p=2$bGF0Y2hrZXktc2FsdC0wMg$ZNvLaYa2O4Sh6BhfQhptkATAqmI91RXP";
    static final String ARGON2I_HORSE = "$argon2i$v=19$m=128,t=2,p=1$bGF0Y2hrZXktc2FsdC0wMw$FhNSYFJxUnx/Q9kW8OohJTMpT9EFouQrUngUoYYRQqE";
    static final String ARGON2D_HORSE = "$argon2d$v=19$m=64,t=1,p=4$bGF0Y2hrZXktc2FsdC0wNA$bMsTXX38GbjhmXBIio973H4+sp/r1tQCwEuUQJm3l6U";
    static final String ARGON2ID_HORSE_OWASP = "$argon2id$v=19$m=19456,t=2,p=1$bGF0Y2hrZXktc2FsdC0wNQ$LsCpxq8LktavWAdVmhJ75n8sPtMOzq43o8XN+P3KFHU";
    // Debian's argon2 tool, version 1.0 (v=16); without "v=" a PHC string means version 1.0
    static final String ARGON2ID_V16_HORSE = "$argon2id$v=16$m=64,t=1,p=1$bGF0Y2hrZXktc2FsdC0wNg$QGiEJ8ruaxxyrqu9VZMrkg2dbw9rcYboFdwkOXMMvqU";
    static final String ARGON2D_NO_VERSION_HORSE = "$argon2d$m=64,t=2,p=1$bGF0Y2hrZXktc2FsdC0wNg$6vVtNiZgjR/go58I5CcKcjFwNOz2DnSgSo1uAFklYdQ";
    /** HMAC-SHA256(key 00..1f, HORSE) then Argon2id; keyid=azE is B64("k1"). */
    static final String ARGON2ID_PEPPERED_K1_HORSE =
            "$argon2id$v=19$m=64,t=1,p=1,keyid=azE$bGF0Y2hrZXktc2FsdC0wNw$PWDlEBOAQaBRzFim69JeLrb0zp5d8L/SB5mjAEpfi5I";
    static final byte[] PEPPER_K1_KEY = new byte[32];

    static {
        for (int i = 0; i < 32; i++) {
            PEPPER_K1_KEY[i] = (byte) i;
        }
    }

    private Vectors() {
    }

    /** The stored hash with one character of its final (hash) field changed, away from the end. */
    static String tamper(String stored) {
        int i = stored.length() - 10;
        char c = stored.charAt(i);
        return stored.substring(0, i) + (c == 'A' ? 'B' : 'A') + stored.substring(i + 1);
    }
}
