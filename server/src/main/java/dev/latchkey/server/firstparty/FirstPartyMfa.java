package dev.latchkey.server.firstparty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.AccountService;
import dev.latchkey.core.account.User;
import dev.latchkey.core.authn.Factor;
import dev.latchkey.core.authn.MfaChallenges;
import dev.latchkey.core.authn.MfaChallenges.Completion;
import dev.latchkey.core.authn.SignInOutcome;
import dev.latchkey.core.credential.totp.TotpEnrolment;
import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.server.MfaServices;
import dev.latchkey.server.http.Cookies;
import dev.latchkey.server.http.HttpApp;
import dev.latchkey.server.http.JsonBodies;
import dev.latchkey.server.http.JsonResponses;
import dev.latchkey.server.http.Problems;
import dev.latchkey.server.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The first-party API's second step (docs/mfa.md, "First-party API"). {@code POST /api/auth/login}
 * with a right password for a user with a second factor answers 401 {@code mfa_required} with a
 * short-lived, single-use {@code challenge} and the possible {@code factors}; {@code POST
 * /api/auth/mfa} with the challenge, a factor and its code (for {@code passkey}: the WebAuthn
 * assertion as {@code credential}, after {@code POST /api/auth/mfa/passkey/options}) answers the tokens. A user the policy
 * requires to enrol gets 403 {@code mfa_enrolment_required} instead, fetches a secret with {@code
 * POST /api/auth/mfa/enrol} and completes with its first code. The challenge is bound to the caller's
 * browser by an {@code HttpOnly} cookie on {@code /api/auth}.
 */
final class FirstPartyMfa {
    static final String BINDING_COOKIE = "lk_mfa";

    private final MfaServices mfa;
    private final AccountService accounts;
    private final JsonBodies bodies;
    private final JsonResponses json;
    private final Cookies cookies;
    private final Requests requests;
    private final String bindingCookie;
    private FirstPartyAuthApi api;

    FirstPartyMfa(MfaServices mfa, AccountService accounts, JsonBodies bodies, Cookies cookies, Requests requests) {
        this.mfa = mfa;
        this.accounts = accounts;
        this.bodies = bodies;
        this.json = new JsonResponses(bodies.mapper());
        this.cookies = cookies;
        this.requests = requests;
        this.bindingCookie = cookies.pathName(BINDING_COOKIE);
    }

    void attach(FirstPartyAuthApi firstParty) {
        this.api = firstParty;
    }

    record MfaBody(String challenge, String factor, String code, JsonNode credential) {
    }

    record EnrolBody(String challenge) {
    }

    record CodeBody(String code) {
    }

    void register(RoutesConfig r) {
        r.post(FirstPartyAuthApi.PATH + "/mfa", this::complete);
        r.post(FirstPartyAuthApi.PATH + "/mfa/enrol", this::enrol);
        r.post(FirstPartyAuthApi.PATH + "/mfa/passkey/options", this::passkeyOptions);
        r.get(FirstPartyAuthApi.PATH + "/mfa/factors", this::factors);
        r.post(FirstPartyAuthApi.PATH + "/mfa/totp", this::beginTotp);
        r.post(FirstPartyAuthApi.PATH + "/mfa/totp/confirm", this::confirmTotp);
        r.delete(FirstPartyAuthApi.PATH + "/mfa/totp", this::removeTotp);
        r.post(FirstPartyAuthApi.PATH + "/mfa/recovery-codes", this::regenerate);
    }

    // ---- a signed-in user's factors (Bearer); changes need a recent second factor when the user has one

    void factors(Context ctx) {
        BearerAuth.Caller caller = api.authenticated(ctx);
        json.write(ctx, 200, Map.of("totp", mfa.totp().enrolled(caller.userId()),
                "recovery_codes_remaining", mfa.recovery().remaining(caller.userId())));
    }

    void beginTotp(Context ctx) {
        BearerAuth.Caller caller = recent(ctx);
        TotpEnrolment e = mfa.totp().begin(accounts.get(caller.userId()));
        ctx.header("Cache-Control", "no-store");
        json.write(ctx, 200, Map.of("secret", e.secret(), "otpauth_uri", e.uri()));
    }

    void confirmTotp(Context ctx) {
        BearerAuth.Caller caller = recent(ctx);
        CodeBody body = bodies.read(ctx, CodeBody.class);
        JsonBodies.required(body.code(), "code");
        JsonBodies.bounded(body.code(), "code", 20);
        RequestContext rc = requests.context(ctx);
        dev.latchkey.core.credential.FactorCheck check = mfa.totp().confirmEnrolment(caller.userId(), body.code(), rc);
        if (!check.accepted()) {
            throw check.status() == dev.latchkey.core.credential.FactorCheck.Status.LOCKED
                    ? LatchkeyException.retryAfter(ErrorCode.ACCOUNT_LOCKED, check.retryAfterSeconds(), "totp enrolment locked")
                    : LatchkeyException.of(check.status().errorCode(), "totp enrolment: " + check.status());
        }
        ctx.header("Cache-Control", "no-store");
        json.write(ctx, 200, Map.of("recovery_codes", mfa.recovery().generate(caller.userId(), rc)));
    }

    void removeTotp(Context ctx) {
        BearerAuth.Caller caller = recent(ctx);
        mfa.totp().remove(caller.userId(), requests.context(ctx));
        if (!mfa.hasSecondFactor(caller.userId())) {
            mfa.recovery().removeAll(caller.userId());
        }
        ctx.status(204);
    }

    void regenerate(Context ctx) {
        BearerAuth.Caller caller = recent(ctx);
        if (!mfa.hasSecondFactor(caller.userId())) {
            throw LatchkeyException.of(ErrorCode.MFA_FACTOR_NOT_ENROLLED, "recovery codes without a standalone factor");
        }
        ctx.header("Cache-Control", "no-store");
        json.write(ctx, 200, Map.of("recovery_codes", mfa.recovery().generate(caller.userId(), requests.context(ctx))));
    }

    /** A caller whose session completed a second factor recently (or who has none): 403 recent_mfa_required otherwise. */
    private BearerAuth.Caller recent(Context ctx) {
        api.requireSameSite(ctx);
        BearerAuth.Caller caller = api.authenticated(ctx);
        requireRecent(caller);
        return caller;
    }

    /** Sensitive account changes (password, e-mail, factors) need a recent second factor when the user has one. */
    void requireRecent(BearerAuth.Caller caller) {
        if (!mfa.recentEnough(caller.session())) {
            throw LatchkeyException.of(ErrorCode.RECENT_MFA_REQUIRED, "sensitive change without a recent second factor");
        }
    }

    /** A second step is needed: 401 mfa_required (or 403 mfa_enrolment_required) with the challenge. */
    void stepNeeded(Context ctx, SignInOutcome.StepNeeded step) {
        String binding = RandomTokens.token();
        cookies.set(ctx, bindingCookie, binding, FirstPartyAuthApi.PATH, MfaChallenges.TTL.multipliedBy(2), Cookies.SameSite.STRICT);
        MfaChallenges.Challenge c = mfa.challenges().issue(step, binding);
        writeChallenge(ctx, c.enrolment() ? ErrorCode.MFA_ENROLMENT_REQUIRED : ErrorCode.MFA_REQUIRED, step.userMessage(), c);
    }

    void complete(Context ctx) {
        api.requireSameSite(ctx);
        RequestContext rc = requests.context(ctx);
        MfaBody body = bodies.read(ctx, MfaBody.class);
        JsonBodies.required(body.challenge(), "challenge");
        JsonBodies.required(body.factor(), "factor");
        JsonBodies.bounded(body.challenge(), "challenge", 64);
        Factor factor = Factor.fromWire(body.factor()).filter(f -> f == Factor.PASSKEY || !f.firstFactor()).orElseThrow(
                () -> LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED,
                        "\"factor\" must be one of the challenge's factors, e.g. \"totp\", \"recovery_code\" or \"passkey\".",
                        "unknown factor " + body.factor()));
        String binding = Cookies.read(ctx, bindingCookie);
        boolean enrolment = mfa.challenges().peek(body.challenge(), binding).map(MfaChallenges.View::enrolment).orElse(false);
        Completion done;
        if (factor == Factor.PASSKEY) {
            done = mfa.passkeys().complete(body.challenge(), binding, credential(body.credential()), rc);
        } else {
            JsonBodies.required(body.code(), "code");
            JsonBodies.bounded(body.code(), "code", 20);
            done = mfa.challenges().complete(body.challenge(), binding, factor, body.code(), rc);
        }
        switch (done) {
            case Completion.Retry retry -> writeChallenge(ctx, retry.check().status().errorCode(),
                    retry.check().status().errorCode().description(), retry.next());
            case Completion.Done d when d.outcome() instanceof SignInOutcome.SignedIn s -> {
                cookies.clear(ctx, bindingCookie, FirstPartyAuthApi.PATH, Cookies.SameSite.STRICT);
                Map<String, Object> extra = new LinkedHashMap<>();
                if (d.factor() == Factor.RECOVERY_CODE) {
                    int left = mfa.recovery().remaining(s.user().id());
                    extra.put("recovery_codes_remaining", left);
                    extra.put("message", "You signed in with a recovery code; " + left + " left. Generate new ones if you lost your authenticator.");
                } else if (enrolment) {
                    extra.put("recovery_codes", mfa.recovery().generate(s.user().id(), rc));
                }
                api.startSession(ctx, s.user(), s.authentication().storedAmr(), rc, extra);
            }
            case Completion.Done d -> throw ((SignInOutcome.Failed) d.outcome()).toException();
        }
    }

    /**
     * {@code POST /api/auth/mfa/passkey/options} {@code {"challenge": …}}: the WebAuthn request options
     * ({@code PublicKeyCredentialRequestOptionsJSON}, WebAuthn §5.5) for the user of a live challenge
     * that offers {@code passkey}; allowCredentials lists that user's passkeys. Spends nothing.
     */
    void passkeyOptions(Context ctx) {
        api.requireSameSite(ctx);
        EnrolBody body = bodies.read(ctx, EnrolBody.class);
        JsonBodies.required(body.challenge(), "challenge");
        JsonBodies.bounded(body.challenge(), "challenge", 64);
        ctx.header("Cache-Control", "no-store");
        json.write(ctx, 200, mfa.passkeys().options(body.challenge(), Cookies.read(ctx, bindingCookie)));
    }

    private String credential(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "Field 'credential' is required for the passkey factor.",
                    "passkey step without credential");
        }
        try {
            return bodies.mapper().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw LatchkeyException.wrap(ErrorCode.MALFORMED_REQUEST, "credential", e);
        }
    }

    /** The secret of an enrolment challenge (the policy requires a factor the user lacks). */
    void enrol(Context ctx) {
        api.requireSameSite(ctx);
        EnrolBody body = bodies.read(ctx, EnrolBody.class);
        JsonBodies.required(body.challenge(), "challenge");
        JsonBodies.bounded(body.challenge(), "challenge", 64);
        MfaChallenges.View view = mfa.challenges().peek(body.challenge(), Cookies.read(ctx, bindingCookie))
                .filter(MfaChallenges.View::enrolment)
                .orElseThrow(() -> LatchkeyException.of(ErrorCode.MFA_CHALLENGE_INVALID, "enrol without a live enrolment challenge"));
        User u = accounts.get(view.userId());
        TotpEnrolment e = mfa.totp().begin(u);
        ctx.header("Cache-Control", "no-store");
        json.write(ctx, 200, Map.of("secret", e.secret(), "otpauth_uri", e.uri()));
    }

    private void writeChallenge(Context ctx, ErrorCode code, String message, MfaChallenges.Challenge c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "urn:latchkey:problem:" + code.wireName());
        out.put("title", code.description());
        out.put("status", code.httpStatus());
        out.put("code", code.wireName());
        out.put("detail", message);
        out.put("mfa_required", true);
        out.put("enrolment_required", c.enrolment());
        out.put("challenge", c.token());
        out.put("factors", c.factors().stream().map(Factor::wireName).sorted().toList());
        out.put("expires_in", Math.max(1, Duration.between(Instant.now(), c.expiresAt()).toSeconds()));
        out.put("trace_id", HttpApp.trace(ctx).traceId());
        ctx.header("Cache-Control", "no-store");
        json.write(ctx, code.httpStatus(), out);
        ctx.contentType(Problems.CONTENT_TYPE);
    }
}
