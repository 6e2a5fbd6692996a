package dev.latchkey.core.authn;

/**
 * Authentication context class ({@code acr}, OIDC Core §2), derived from the completed steps:
 * one factor, or two distinct factors. Values are URNs of Latchkey's own, documented in docs/email.md.
 */
public enum Acr {
    ONE_FACTOR("urn:latchkey:acr:1fa"),
    MULTI_FACTOR("urn:latchkey:acr:mfa");

    private final String wireName;

    Acr(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The class a stored {@code amr} list stands for (what a token minter puts in {@code acr}). */
    public static Acr of(java.util.List<Amr> amr) {
        return amr.contains(Amr.MFA) ? MULTI_FACTOR : ONE_FACTOR;
    }
}
