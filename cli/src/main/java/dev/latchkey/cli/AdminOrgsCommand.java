package dev.latchkey.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.core.RequestContext;
import dev.latchkey.core.audit.AuditTrail;
import dev.latchkey.core.org.OrgCustomClaims;
import dev.latchkey.core.org.Organization;
import dev.latchkey.server.Backend;
import dev.latchkey.server.admin.OrgsAdminApi;
import java.io.PrintWriter;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code latchkey admin orgs …}: organizations (name, slug, custom claims), their members and their audit trail;
 * what {@code /admin/v1/orgs} does (docs/authorization.md). An organization is named by its id, its slug or its
 * exact name.
 */
@Command(name = "orgs", description = "Create, list, show, change and delete organizations; their members and audit trail.",
        subcommands = {AdminOrgsCommand.Create.class, AdminOrgsCommand.ListOrgs.class, AdminOrgsCommand.Show.class,
                AdminOrgsCommand.Update.class, AdminOrgsCommand.Delete.class, AdminOrgMembersCommand.class, AdminOrgsCommand.Audit.class})
final class AdminOrgsCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A command on one organization, named by the first parameter. */
    abstract static class OnOrg {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Parameters(index = "0", paramLabel = "ORG", description = "The organization: its id, slug or exact name.")
        String org;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    /** {@code --claims '{"plan":"pro"}'}: the custom claims as the admin API takes them ({@code {}} or {@code null}: none). */
    static OrgCustomClaims claims(String json) {
        if (json == null) {
            return null;
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new CliException("--claims is not JSON: " + e.getOriginalMessage());
        }
        if (node == null) {
            throw new CliException("--claims is empty; give a JSON object such as {\"plan\": \"pro\"}, or {} for none");
        }
        return OrgsAdminApi.claims(node);
    }

    static void print(PrintWriter out, Organization o) {
        String claims;
        try {
            claims = JSON.writeValueAsString(o.claims().values());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.println("id          " + o.id());
        out.println("name        " + o.name());
        out.println("slug        " + o.slug());
        out.println("claims      " + claims);
        out.println("created_at  " + o.createdAt());
    }

    @Command(name = "create", description = "Create an organization; without --slug it gets one from its name.")
    static final class Create implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Parameters(paramLabel = "NAME", description = "Its name (1-200 characters).")
        String name;
        @Option(names = "--slug", paramLabel = "SLUG", description = "Its slug: 1-63 lower-case letters, digits and hyphens, unique.")
        String slug;
        @Option(names = "--claims", paramLabel = "JSON", description = "Custom claims for its members' tokens (org_claims), "
                + "a JSON object of at most 10 strings, numbers or booleans, e.g. '{\"plan\":\"pro\"}'.")
        String claims;

        @Override
        public void run() {
            OrgCustomClaims c = claims(claims);
            try (Backend b = options.openBackend()) {
                AdminRolesCommand.run(() -> print(spec.commandLine().getOut(),
                        b.organizations().create(name, slug, c == null ? OrgCustomClaims.NONE : c, RequestContext.SYSTEM)));
            }
        }
    }

    @Command(name = "list", description = "List organizations by id, one page at a time.")
    static final class ListOrgs implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Mixin
        PageOptions page;

        @Override
        public void run() {
            int limit = page.limit();
            UUID after = page.after(UUID::fromString, "an organization id");
            try (Backend b = options.openBackend()) {
                List<Organization> orgs = b.orgs().list(after, limit);
                Table t = new Table("ID", "SLUG", "CREATED", "NAME");
                orgs.forEach(o -> t.row(o.id(), o.slug(), o.createdAt(), o.name()));
                t.print(spec.commandLine().getOut(), "organization", "organizations");
                page.next(spec.commandLine().getErr(), orgs, Organization::id);
            }
        }
    }

    @Command(name = "show", description = "Show an organization (by id, slug or exact name).")
    static final class Show extends OnOrg implements Runnable {
        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                print(out(), OrgReference.resolve(b, org));
            }
        }
    }

    @Command(name = "update", description = "Change an organization's name, slug or custom claims (what is given).")
    static final class Update extends OnOrg implements Runnable {
        @Option(names = "--name", paramLabel = "NAME")
        String name;
        @Option(names = "--slug", paramLabel = "SLUG", description = "A new slug (relying parties sending the old one get access_denied).")
        String slug;
        @Option(names = "--claims", paramLabel = "JSON", description = "The custom claims from now on (replacing them all; {} for none).")
        String claims;

        @Override
        public void run() {
            if (name == null && slug == null && claims == null) {
                throw new CliException("give at least one of --name, --slug and --claims");
            }
            OrgCustomClaims c = claims(claims);
            try (Backend b = options.openBackend()) {
                AdminRolesCommand.run(() -> print(out(), b.organizations().update(OrgReference.resolve(b, org).id(), name, slug, c,
                        RequestContext.SYSTEM)));
            }
        }
    }

    @Command(name = "delete", description = "Delete an organization with its memberships, roles, invitations, service accounts and the keys bound to it; "
            + "its members' sessions end.")
    static final class Delete extends OnOrg implements Runnable {
        @Override
        public void run() {
            OrgReference.run(options, org, (b, o) -> {
                b.organizations().delete(o.id(), RequestContext.SYSTEM);
                out().println("deleted organization " + o.id() + " (" + o.slug() + ")");
            });
        }
    }

    @Command(name = "audit", description = "The events about an organization, newest first, one page at a time.")
    static final class Audit extends OnOrg implements Runnable {
        @Mixin
        PageOptions page;

        @Override
        public void run() {
            int limit = page.limit();
            Long after = page.after(s -> {
                long p = Long.parseLong(s);
                if (p < 1) {
                    throw new IllegalArgumentException(s);
                }
                return p;
            }, "an event position (a positive number)");
            try (Backend b = options.openBackend()) {
                Organization o = OrgReference.resolve(b, org);
                List<AuditTrail.Entry> events = b.audit().ofOrg(o.id(), after, limit);
                Table t = new Table("POSITION", "AT", "TYPE", "USER", "DETAIL");
                events.forEach(e -> t.row(e.id(), e.event().at(), e.event().type().wireName(), e.event().userId(), e.event().detail()));
                t.print(out(), "event", "events");
                page.next(spec.commandLine().getErr(), events, AuditTrail.Entry::id);
            }
        }
    }
}
