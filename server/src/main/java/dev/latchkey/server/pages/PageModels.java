package dev.latchkey.server.pages;

import java.util.List;

/** What the hosted-page templates render. */
public final class PageModels {
    private PageModels() {
    }

    public record LoginForm(String csrf, String returnTo, String email, String error, String notice) {
    }

    public record SignupForm(String csrf, String returnTo, String email, String name, List<String> errors, int minLength) {
    }

    public record Account(String csrf, String email, String name, String userId, String sessionId) {
    }

    public record ErrorPage(String title, String message, String traceId) {
    }

    public record ConsentForm(String csrf, String clientId, String clientName, String requestUri, List<String> scopes,
                              String redirectHost) {
    }

    public record LogoutConfirm(String csrf, String idTokenHint, String clientId, String postLogoutRedirectUri, String state) {
    }

    public record Notice(String title, String message) {
    }
}
