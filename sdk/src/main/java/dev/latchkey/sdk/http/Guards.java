package dev.latchkey.sdk.http;

import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The guards of one route, run in order after authentication; the first refusal wins. */
public record Guards<R>(List<Guard<? super R>> all) {
    private static final Logger log = LoggerFactory.getLogger(Guards.class);

    public Guards {
        all = List.copyOf(all);
    }

    /** Empty when the request may proceed; an unauthenticated request is refused only if there is any guard. */
    public Optional<Refusal> check(Authentication authentication, R request, String realm) {
        if (all.isEmpty()) {
            return Optional.empty();
        }
        if (!(authentication instanceof Authentication.Authenticated authenticated)) {
            return Refusal.of(authentication, realm);
        }
        for (Guard<? super R> guard : all) {
            Optional<Denial> denial = guard.check(authenticated.token(), request);
            if (denial.isPresent()) {
                log.info("access denied to sub {}: {}", authenticated.token().subject(), denial.get());
                return Optional.of(Refusal.of(denial.get(), realm));
            }
        }
        return Optional.empty();
    }
}
