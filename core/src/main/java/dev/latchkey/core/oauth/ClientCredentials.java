package dev.latchkey.core.oauth;

/** What a request presented to identify its client, as parsed from HTTP (RFC 6749 §2.3, RFC 7523 §2.2). */
public sealed interface ClientCredentials {
    /** HTTP Basic (client_secret_basic). */
    record Basic(String clientId, String secret) implements ClientCredentials {
        @Override
        public String toString() {
            return "Basic[" + clientId + "]";
        }
    }

    /** Form parameters client_id and client_secret (client_secret_post). */
    record Post(String clientId, String secret) implements ClientCredentials {
        @Override
        public String toString() {
            return "Post[" + clientId + "]";
        }
    }

    /** A JWT client assertion (private_key_jwt); {@code clientId} is the optional client_id parameter. */
    record Assertion(String assertion, String clientId) implements ClientCredentials {
        @Override
        public String toString() {
            return "Assertion[" + clientId + "]";
        }
    }

    /** Only a client_id: a public client. */
    record PublicId(String clientId) implements ClientCredentials {
    }

    /** Nothing at all. */
    record Absent() implements ClientCredentials {
    }
}
