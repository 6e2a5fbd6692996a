package dev.latchkey.testkit;

import com.google.gson.JsonObject;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;

/**
 * Chromium's WebAuthn virtual authenticator over the DevTools protocol (the {@code WebAuthn} domain), as the passkey
 * browser tests use it: a platform authenticator (CTAP2, internal transport) with discoverable credentials and user
 * verification that answers without a prompt. It works on {@code http://localhost}, not on an IP address.
 */
public final class VirtualAuthenticator {
    private VirtualAuthenticator() {
    }

    /** A DevTools session on {@code page} with the WebAuthn domain enabled (no browser UI); no authenticator yet. */
    public static CDPSession enable(BrowserContext ctx, Page page) {
        CDPSession cdp = ctx.newCDPSession(page);
        JsonObject enable = new JsonObject();
        enable.addProperty("enableUI", false);
        cdp.send("WebAuthn.enable", enable);
        return cdp;
    }

    /** Adds an authenticator to the session's page and returns its id ({@code authenticatorId}). */
    public static String add(CDPSession cdp) {
        JsonObject o = new JsonObject();
        o.addProperty("protocol", "ctap2");
        o.addProperty("transport", "internal");
        o.addProperty("hasResidentKey", true);
        o.addProperty("hasUserVerification", true);
        o.addProperty("isUserVerified", true);
        o.addProperty("automaticPresenceSimulation", true);
        JsonObject args = new JsonObject();
        args.add("options", o);
        return cdp.send("WebAuthn.addVirtualAuthenticator", args).get("authenticatorId").getAsString();
    }
}
