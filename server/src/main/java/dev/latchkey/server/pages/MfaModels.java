package dev.latchkey.server.pages;

import java.util.List;

/** What the multi-factor page templates render. */
public final class MfaModels {
    private MfaModels() {
    }

    /** The second step of a sign-in: a code from the authenticator app, or a recovery code. */
    public record Challenge(String csrf, String challenge, String returnTo, boolean totp, boolean recovery, boolean passkey, String message,
                            String error) {
    }

    /**
     * Setting up an authenticator app: the QR code (inline SVG made here), the secret and key URI as
     * text, and the field for the first code. {@code challenge} is set during a sign-in that must enrol.
     */
    public record Enrol(String csrf, String action, String challenge, String returnTo, String secret, String uri, String qrSvg,
                        String error) {
    }

    /** Recovery codes, shown once. */
    public record RecoveryCodesShown(String title, String intro, List<String> codes, String continueTo) {
    }

    /** The account's second-factor page. */
    public record Account(String csrf, boolean totp, int recoveryRemaining, String notice, String error) {
    }

    /** After signing in with a recovery code: how many are left, and the way to new ones. */
    public record RecoveryUsed(int remaining, String continueTo) {
    }
}
