package dev.latchkey.interop.spring;

import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A resource server as a Spring Boot user writes it: no security configuration at all. Boot's
 * auto-configuration protects every endpoint once {@code spring.security.oauth2.resourceserver.jwt.issuer-uri}
 * is set (discovery, JWKS, {@code iss} and time checks). No component scan, so each test names exactly
 * the configuration it runs with.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(NotesApplication.Notes.class)
public class NotesApplication {

    @RestController
    static class Notes {
        @GetMapping("/notes")
        Map<String, Object> notes(@AuthenticationPrincipal Jwt jwt) {
            return Map.of("sub", jwt.getSubject(), "client_id", String.valueOf(jwt.getClaimAsString("client_id")),
                    "scope", String.valueOf(jwt.getClaimAsString("scope")));
        }
    }
}
