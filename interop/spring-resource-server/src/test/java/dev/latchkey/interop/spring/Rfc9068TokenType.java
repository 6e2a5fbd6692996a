package dev.latchkey.interop.spring;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.JwkSetUriJwtDecoderBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one addition a Spring Boot 3.5 resource server needs next to {@code issuer-uri}: Spring Security 6.5
 * leaves the {@code typ} check to Nimbus, whose default accepts only {@code JWT} or no {@code typ}, so it
 * refuses every RFC 9068 access token ({@code typ: at+jwt}, §2.1) with "JOSE header typ (type) at+jwt not
 * allowed". This requires {@code at+jwt} instead, which is RFC 9068 §4's check and also stops ID tokens
 * ({@code typ: JWT}) from being accepted as access tokens. Boot still applies the issuer, timestamps and
 * JWKS from discovery.
 */
@Configuration(proxyBeanMethods = false)
public class Rfc9068TokenType {

    @Bean
    JwkSetUriJwtDecoderBuilderCustomizer acceptOnlyAccessTokens() {
        return builder -> builder.jwtProcessorCustomizer(processor -> processor.setJWSTypeVerifier(
                new DefaultJOSEObjectTypeVerifier<SecurityContext>(new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt"))));
    }
}
