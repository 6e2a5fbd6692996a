package dev.latchkey.core.identity;

import java.util.Objects;

/**
 * An upstream sign-in that failed at one {@link Step}. {@code detail} says what exactly, for the log;
 * the user sees only a short message ({@link FederatedSignIn.Outcome.Refused}).
 */
public final class UpstreamFailure extends Exception {
    /** Where the upstream round trip failed. */
    public enum Step {
        /** The provider's discovery document could not be fetched or is not for its issuer (OIDC Discovery §4.3). */
        DISCOVERY,
        /** The provider answered the authorization request with an error (RFC 6749 §4.1.2.1). */
        AUTHORIZATION,
        /** The code exchange failed or answered an error (RFC 6749 §5.2). */
        TOKEN_EXCHANGE,
        /** The ID token failed a check (OIDC Core §3.1.3.7). */
        ID_TOKEN,
        /** The userinfo or user endpoint failed (OIDC Core §5.3.2). */
        USERINFO,
        /** The e-mails endpoint failed. */
        EMAILS
    }

    private final Step step;
    private final String upstreamError;

    public UpstreamFailure(Step step, String detail) {
        this(step, detail, null);
    }

    public UpstreamFailure(Step step, String detail, String upstreamError) {
        super(detail);
        this.step = Objects.requireNonNull(step, "step");
        this.upstreamError = upstreamError;
    }

    public Step step() {
        return step;
    }

    /** The provider's OAuth error code, when it sent one (e.g. {@code access_denied}). */
    public String upstreamError() {
        return upstreamError;
    }
}
