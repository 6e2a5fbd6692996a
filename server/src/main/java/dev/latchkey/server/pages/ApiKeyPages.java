package dev.latchkey.server.pages;

import dev.latchkey.core.apikey.ApiKey;
import dev.latchkey.core.apikey.ApiKeyOwner;
import dev.latchkey.core.apikey.ApiKeys;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.org.OrgStore;
import dev.latchkey.core.session.Session;
import dev.latchkey.server.http.Endpoints;
import dev.latchkey.server.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The account's API keys, {@code /account/api-keys}: listed (never their text), made (the text shown once, on the
 * answer to the POST, {@code no-store}), revoked. Making a key is a sensitive action: a user with a second factor
 * must have completed it recently ({@code mfa.recent}), else the browser goes to {@code /account/confirm} and back.
 * A key may name one of the user's organizations and, within it, the permissions it is for (space-separated; none:
 * all of the user's there); its exchanged tokens carry the user's current permissions in that organization narrowed
 * to the key's, so a key never gives more than its owner has at the time.
 */
public final class ApiKeyPages implements Endpoints {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    static final String PATH = "/account/api-keys";

    private final ApiKeys keys;
    private final OrgStore orgs;
    private final HostedPages hosted;
    private final SignInPages signInPages;
    private final Pages pages;
    private final Forms forms;
    private final Requests requests;
    private final Clock clock;

    public ApiKeyPages(ApiKeys keys, OrgStore orgs, HostedPages hosted, SignInPages signInPages, Pages pages, Csrf csrf, Requests requests,
                       Clock clock) {
        this.keys = keys;
        this.orgs = orgs;
        this.hosted = hosted;
        this.signInPages = signInPages;
        this.pages = pages;
        this.forms = new Forms(requests, csrf);
        this.requests = requests;
        this.clock = clock;
    }

    @Override
    public void register(RoutesConfig r) {
        r.get(PATH, this::list);
        r.post(PATH, signInPages.page(this::create));
        r.post(PATH + "/revoke", signInPages.page(this::revoke));
    }

    void list(Context ctx) {
        Optional<Session> cur = hosted.currentSession(ctx);
        if (cur.isEmpty()) {
            ctx.redirect("/login?return_to=%2Faccount%2Fapi-keys", HttpStatus.FOUND);
            return;
        }
        render(ctx, 200, cur.get(), null, "revoked".equals(ctx.queryParam("done")) ? "The key was revoked." : null, null);
    }

    void create(Context ctx) {
        Optional<Session> cur = posted(ctx);
        if (cur.isEmpty()) {
            return;
        }
        if (!signInPages.mfa().map(m -> m.requireRecent(ctx, cur.get(), PATH)).orElse(true)) {
            return;
        }
        int days;
        try {
            days = Integer.parseInt(Forms.field(ctx, "expires_days", 4));
        } catch (NumberFormatException e) {
            days = 90;
        }
        try {
            String orgField = Forms.field(ctx, "org", 64).trim();
            UUID org = orgField.isEmpty() ? null : orgId(orgField);
            if (org == null && !orgField.isEmpty()) {
                render(ctx, 400, cur.get(), null, null, "Choose one of your organizations, or none.");
                return;
            }
            String permissionField = Forms.field(ctx, "permissions", 2000).trim();
            List<String> permissions = permissionField.isEmpty() ? null : List.of(permissionField.split("\\s+"));
            ApiKeys.Created c = keys.create(new ApiKeys.NewKey(new ApiKeyOwner.User(cur.get().userId()), Forms.field(ctx, "name", 100),
                    Forms.field(ctx, "scope", 400), permissions, org, Duration.ofDays(days)), requests.context(ctx));
            render(ctx, 201, cur.get(), c.text(), "Your new key is below.", null);
        } catch (LatchkeyException e) {
            if (e.code() == ErrorCode.NOT_A_MEMBER) {
                render(ctx, 400, cur.get(), null, null, "Choose one of your organizations, or none.");
                return;
            }
            if (e.code() != ErrorCode.VALIDATION_FAILED) {
                throw e;
            }
            render(ctx, 400, cur.get(), null, null, e.publicMessage());
        }
    }

    private static UUID orgId(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    void revoke(Context ctx) {
        Optional<Session> cur = posted(ctx);
        if (cur.isEmpty()) {
            return;
        }
        try {
            keys.revoke(new ApiKeyOwner.User(cur.get().userId()), UUID.fromString(Forms.field(ctx, "key", 64)), requests.context(ctx));
        } catch (IllegalArgumentException | LatchkeyException e) {
            render(ctx, 404, cur.get(), null, null, "No such active key.");
            return;
        }
        ctx.redirect(PATH + "?done=revoked", HttpStatus.SEE_OTHER);
    }

    private Optional<Session> posted(Context ctx) {
        Optional<Session> cur = hosted.currentSession(ctx);
        if (cur.isEmpty()) {
            ctx.redirect("/login?return_to=%2Faccount%2Fapi-keys", HttpStatus.SEE_OTHER);
            return Optional.empty();
        }
        if (!forms.valid(ctx)) {
            render(ctx, 403, cur.get(), null, null, "Your form expired. Please try again.");
            return Optional.empty();
        }
        return cur;
    }

    private void render(Context ctx, int status, Session cur, String createdKey, String notice, String error) {
        List<ApiKey> list = keys.list(new ApiKeyOwner.User(cur.userId()));
        List<ApiKeyPageModel.Org> mine = orgs.organizationsOf(cur.userId()).stream()
                .map(m -> new ApiKeyPageModel.Org(m.org().id().toString(), m.org().name(), m.org().slug())).toList();
        var now = clock.instant();
        List<ApiKeyPageModel.Item> items = list.stream().map(k -> new ApiKeyPageModel.Item(k.id().toString(), k.publicId(), k.name(),
                k.state(now), WHEN.format(k.createdAt()), k.lastUsedAt() == null ? "never" : WHEN.format(k.lastUsedAt()),
                k.expiresAt() == null ? "never" : WHEN.format(k.expiresAt()), k.usableAt(now), orgName(k, mine),
                k.permissions() == null ? null : String.join(" ", k.permissions()))).toList();
        ctx.header("Cache-Control", "no-store");
        pages.render(ctx, status, "api-keys.jte", new ApiKeyPageModel(forms.token(ctx), items, mine, createdKey, notice, error,
                keys.policy().env()));
    }

    /** The organization a key names, by the name the user knows it by (its id when the user left it since). */
    private static String orgName(ApiKey k, List<ApiKeyPageModel.Org> mine) {
        if (k.orgId() == null) {
            return null;
        }
        String id = k.orgId().toString();
        return mine.stream().filter(o -> o.id().equals(id)).map(ApiKeyPageModel.Org::name).findFirst().orElse(id);
    }
}
