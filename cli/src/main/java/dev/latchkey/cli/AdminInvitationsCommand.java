package dev.latchkey.cli;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.org.Organization;
import dev.latchkey.core.org.invite.Invitation;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code latchkey admin invitations …}: invitations into an organization ({@code /admin/v1/orgs/{id}/invitations},
 * docs/authorization.md#invitations). The invitation's link leaves only in the mail, which the server's outbox
 * delivers; the command never prints it.
 */
@Command(name = "invitations", description = "Invite people into an organization by e-mail, list and revoke invitations.",
        subcommands = {AdminInvitationsCommand.Create.class, AdminInvitationsCommand.ListInvitations.class, AdminInvitationsCommand.Revoke.class})
final class AdminInvitationsCommand {

    abstract static class InOrg {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Option(names = "--org", required = true, paramLabel = "ORG", description = "The organization: its id, slug or exact name.")
        String org;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    @Command(name = "create", description = "Invite an e-mail address with the roles given by --role; the link is mailed to it.")
    static final class Create extends InOrg implements Runnable {
        @Parameters(paramLabel = "EMAIL")
        String email;
        @Option(names = "--role", paramLabel = "ROLE", description = "A role the invitee gets on accepting (repeatable).")
        List<String> roles = List.of();

        @Override
        public void run() {
            OrgReference.run(options, org, (b, o) -> {
                Invitation i = b.invitations().create(o.id(), email, roles, RequestContext.SYSTEM);
                out().println(i.id());
                spec.commandLine().getErr().println("invited " + i.email() + " to " + o.slug() + " (roles "
                        + (i.roles().isEmpty() ? "none" : String.join(",", i.roles())) + "); the link is mailed to them and expires at "
                        + i.expiresAt());
            });
        }
    }

    @Command(name = "list", description = "List an organization's invitations by id, one page at a time.")
    static final class ListInvitations extends InOrg implements Runnable {
        @Mixin
        PageOptions page;

        @Override
        public void run() {
            int limit = page.limit();
            UUID after = page.after(UUID::fromString, "an invitation id");
            OrgReference.run(options, org, (b, o) -> {
                List<Invitation> invitations = b.invitations().list(o.id(), after, limit);
                Instant now = b.clock().instant();
                Table t = new Table("ID", "STATUS", "EXPIRES", "ROLES", "EMAIL");
                invitations.forEach(i -> t.row(i.id(), i.statusAt(now).wire(), i.expiresAt(),
                        i.roles().isEmpty() ? null : String.join(",", i.roles()), i.email()));
                t.print(out(), "invitation", "invitations");
                page.next(spec.commandLine().getErr(), invitations, Invitation::id);
            });
        }
    }

    @Command(name = "revoke", description = "Revoke a pending invitation: its link stops working.")
    static final class Revoke extends InOrg implements Runnable {
        @Parameters(paramLabel = "ID", description = "The invitation's id, as `latchkey admin invitations list` shows it.")
        String id;

        @Override
        public void run() {
            UUID inv = AdminServiceAccountsCommand.id("ID", id);
            OrgReference.run(options, org, (b, o) -> {
                b.invitations().revoke(o.id(), inv, RequestContext.SYSTEM);
                out().println("revoked invitation " + id);
            });
        }
    }
}
