package dev.latchkey.sdk.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import java.util.Objects;
import java.util.Set;

/**
 * One key of the issuer's JWK Set (RFC 7517 §5) as the verifier sees it: either usable for exactly the
 * algorithms its type and curve allow, or published but refused (so a token naming it is rejected without
 * refetching the set).
 */
sealed interface PublishedKey {
    String kid();

    /** A signature key with the only algorithms it may verify. */
    record Usable(String kid, Set<JWSAlgorithm> algorithms, JWSVerifier verifier) implements PublishedKey {
        public Usable {
            Objects.requireNonNull(kid, "kid");
            algorithms = Set.copyOf(algorithms);
            Objects.requireNonNull(verifier, "verifier");
        }
    }

    /** A key the verifier will not use, with the reason for logs. */
    record Refused(String kid, String why) implements PublishedKey {
        public Refused {
            Objects.requireNonNull(kid, "kid");
            Objects.requireNonNull(why, "why");
        }
    }
}
