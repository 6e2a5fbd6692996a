package dev.latchkey.cli;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.User;
import dev.latchkey.core.org.Membership;
import dev.latchkey.core.org.Organization;
import dev.latchkey.server.Backend;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code latchkey admin orgs members …}: an organization's members and their roles ({@code /admin/v1/orgs/{id}/members}).
 * A role change reaches the member's next token (the revocation feed drops tokens with the old roles); a removal ends
 * the member's sessions.
 */
@Command(name = "members", description = "Add, list, change the roles of and remove an organization's members.",
        subcommands = {AdminOrgMembersCommand.Add.class, AdminOrgMembersCommand.ListMembers.class, AdminOrgMembersCommand.SetRoles.class,
                AdminOrgMembersCommand.Remove.class})
final class AdminOrgMembersCommand {

    /** A command on one member: {@code ORG USER}. */
    abstract static class OnMember extends AdminOrgsCommand.OnOrg {
        @Parameters(index = "1", paramLabel = "USER", description = "The user: id or e-mail address.")
        String user;
    }

    static String line(Organization o, User u, List<String> roles) {
        return u.email().value() + " (" + u.id() + ") in " + o.slug() + ": roles " + (roles.isEmpty() ? "(none)" : String.join(",", roles));
    }

    @Command(name = "add", description = "Make a user a member with the roles given by --role (or set the roles of a member).")
    static final class Add extends OnMember implements Runnable {
        @Option(names = "--role", paramLabel = "ROLE", description = "A role of the member (repeatable; none: a member without roles).")
        List<String> roles = List.of();

        @Override
        public void run() {
            OrgReference.run(options, org, (b, o) -> {
                User u = UserReference.resolve(b, user);
                out().println(line(o, u, b.memberships().set(o.id(), u.id(), roles, null, RequestContext.SYSTEM)));
            });
        }
    }

    @Command(name = "set-roles", description = "Replace an existing member's roles (refused for a user who is not a member).")
    static final class SetRoles extends OnMember implements Runnable {
        @Option(names = "--role", paramLabel = "ROLE", description = "The member's roles from now on (repeatable; none: no roles).")
        List<String> roles = List.of();

        @Override
        public void run() {
            OrgReference.run(options, org, (b, o) -> {
                User u = UserReference.resolve(b, user);
                if (!b.memberships().change(o.id(), u.id(), roles, null, RequestContext.SYSTEM)) {
                    throw new CliException(u.email().value() + " is not a member of " + o.slug()
                            + " (`latchkey admin orgs members add` adds one)");
                }
                out().println(line(o, u, roles));
            });
        }
    }

    @Command(name = "remove", description = "Remove a member; the user's sessions end at once.")
    static final class Remove extends OnMember implements Runnable {
        @Override
        public void run() {
            OrgReference.run(options, org, (b, o) -> {
                User u = UserReference.resolve(b, user);
                b.memberships().remove(o.id(), u.id(), null, RequestContext.SYSTEM);
                out().println("removed " + u.email().value() + " from " + o.slug());
            });
        }
    }

    @Command(name = "list", description = "List an organization's members by user id, one page at a time.")
    static final class ListMembers extends AdminOrgsCommand.OnOrg implements Runnable {
        @Mixin
        PageOptions page;

        @Override
        public void run() {
            int limit = page.limit();
            UUID after = page.after(UUID::fromString, "a user id");
            try (Backend b = options.openBackend()) {
                Organization o = OrgReference.resolve(b, org);
                List<Membership> members = b.orgs().members(o.id(), after, limit);
                Table t = new Table("USER_ID", "SINCE", "ROLES", "EMAIL");
                for (Membership m : members) {
                    t.row(m.userId(), m.createdAt(), m.roles().isEmpty() ? null : String.join(",", m.roles()),
                            b.users().findById(m.userId()).map(u -> u.email().value()).orElse(null));
                }
                t.print(out(), "member", "members");
                page.next(spec.commandLine().getErr(), members, Membership::userId);
            }
        }
    }
}
