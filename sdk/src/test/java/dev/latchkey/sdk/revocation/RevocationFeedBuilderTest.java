package dev.latchkey.sdk.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RevocationFeedBuilderTest {
    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> RevocationFeed.builder().issuer("ftp://x").endpoint(URI.create("/relative"))
                .retention(Duration.ofMinutes(5)).reconnectBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("issuer must be an http(s) URL")
                .hasMessageContaining("credentials are required")
                .hasMessageContaining("endpoint must be an absolute")
                .hasMessageContaining("retention must cover")
                .hasMessageContaining("max must not be below min");
    }

    @Test
    void credentialsNeverShowTheirSecret() {
        assertThat(FeedCredentials.clientSecretBasic("api", "s3cr3t-value").toString()).contains("api").doesNotContain("s3cr3t");
        assertThat(FeedCredentials.clientSecretPost("api", "s3cr3t-value").toString()).doesNotContain("s3cr3t");
        assertThatThrownBy(() -> FeedCredentials.clientSecretBasic("api", "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnstartedOrClosedFeedRevokesNothingAndSaysItIsNotConnected() {
        RevocationFeed feed = RevocationFeed.builder().issuer("http://127.0.0.1:9")
                .credentials(FeedCredentials.clientSecretBasic("api", "secret")).build();
        assertThat(feed.isConnected()).isFalse();
        assertThat(feed.lastEventId()).isEmpty();
        assertThat(feed.lastActivity()).isEmpty();
        assertThat(feed.isRevoked(dev.latchkey.sdk.token.TestTokens.user("u", "s", 1, java.time.Instant.now()))).isFalse();
        feed.close();
    }
}
