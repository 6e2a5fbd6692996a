package dev.latchkey.gateway;

import java.util.Objects;

/** The gateway's one failure type: a {@link GatewayError} for the client, a detail for the log. */
public final class GatewayException extends RuntimeException {
    private final GatewayError error;

    public GatewayException(GatewayError error, String detail) {
        super(detail);
        this.error = Objects.requireNonNull(error, "error");
    }

    public GatewayException(GatewayError error, String detail, Throwable cause) {
        super(detail, cause);
        this.error = Objects.requireNonNull(error, "error");
    }

    public GatewayError error() {
        return error;
    }
}
