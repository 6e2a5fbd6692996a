package dev.latchkey.server.pages;

import java.util.List;

/** What the hosted-page templates render. */
public final class PageModels {
    private PageModels() {
    }

    public record LoginForm(String csrf, String returnTo, String email, String error, String notice, SignInOptions options) {
    }

    /** Which sign-in methods the pages offer (mail-based ones only when mail is available). */
    public record SignInOptions(boolean magicLinks, boolean passwordReset, boolean mailAvailable, List<ProviderButton> providers) {
    }

    /** A "Sign in with …" button: {@code href} starts the upstream round trip and comes back to {@code returnTo}. */
    public record ProviderButton(String name, String label, String href) {
    }

    /** An upstream sign-in that could not finish: a short message and a way back. */
    public record Refusal(String title, String message, String backHref, String backLabel, String traceId) {
    }

    public record SignupForm(String csrf, String returnTo, String email, String name, List<String> errors, int minLength) {
    }

    public record Account(String csrf, String email, boolean emailVerified, String name, String userId, String sessionId,
                          String notice, String error, List<AccountSession> sessions, boolean hasPassword, boolean mailAvailable,
                          List<String> factors, List<LinkedIdentity> identities, int minLength, List<ProviderButton> linkable,
                          Passkeys passkeys) {
    }

    /**
     * The account page's passkeys: the list, and whether the sign-in is recent enough to add or remove
     * one (otherwise the page offers to sign in again).
     */
    public record Passkeys(String csrf, List<AccountPasskey> items, boolean recent, String reauthUrl) {
    }

    /** One passkey as the account page lists it; {@code lastWayIn}: removing it needs the confirmation box. */
    public record AccountPasskey(String id, String name, String createdAt, String lastUsed, String backup, boolean lastWayIn) {
    }

    public record AccountSession(String id, boolean current, String device, String kind, String lastUsed, String createdAt) {
    }

    public record LinkedIdentity(String provider, String label, String subject, String email, String linkedAt) {
    }

    /** A one-field form after a mailed link or a notice: the link's token rides along hidden. */
    public record MailForm(String csrf, String title, String message, String action, String hiddenName, String hiddenValue,
                           String returnTo, String button, String error) {
    }

    /** The new-password form of a reset link. */
    public record ResetForm(String csrf, String token, List<String> errors, int minLength) {
    }

    /** Asking for a mail: an e-mail field (forgot password, sign-in link). */
    public record EmailForm(String csrf, String title, String intro, String action, String returnTo, String email, String error,
                            String button) {
    }

    /** After a sign-in link was asked for: where to type the code. */
    public record CodeForm(String csrf, String email, String returnTo, String error) {
    }

    /** /dev/mail in latchkey dev. */
    public record DevMail(List<DevMailItem> mails) {
    }

    public record DevMailItem(String id, String to, String subject, String at, List<String> links, String code) {
    }

    public record ErrorPage(String title, String message, String traceId) {
    }

    public record ConsentForm(String csrf, String clientId, String clientName, String requestUri, List<String> scopes,
                              String redirectHost) {
    }

    public record LogoutConfirm(String csrf, String idTokenHint, String clientId, String postLogoutRedirectUri, String state) {
    }

    public record Notice(String title, String message) {
    }
}
