package dev.latchkey.sdk.token;

import java.util.Objects;

/**
 * An access token was refused. The message is for logs: it names the reason and a short detail (which
 * claim, which {@code kid}), never the token or a signature; what it repeats of the token passes through
 * {@link Echo}, and the whole message is one line of bounded length. Rejections are expected on a resource server's
 * hot path, so this exception carries no stack trace.
 */
public final class TokenRejectedException extends Exception {
    private final RejectReason reason;

    public TokenRejectedException(RejectReason reason, String detail) {
        this(reason, detail, null);
    }

    public TokenRejectedException(RejectReason reason, String detail, Throwable cause) {
        super(Objects.requireNonNull(reason, "reason") + ": " + Echo.line(Objects.requireNonNull(detail, "detail")), cause,
                false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
