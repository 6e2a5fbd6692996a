package dev.latchkey.gateway.session;

/** What a session cookie resolves to. */
public sealed interface Resolution {
    /** A live session with a usable access token. */
    record Active(GatewaySession session) implements Resolution {
    }

    /** No cookie was sent. */
    record Anonymous() implements Resolution {
    }

    /** A cookie was sent but its session is gone (unknown, timed out, revoked or its refresh failed): clear it. */
    record Ended(String reason) implements Resolution {
    }
}
