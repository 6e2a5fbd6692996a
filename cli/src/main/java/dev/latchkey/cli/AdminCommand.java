package dev.latchkey.cli;

import picocli.CommandLine.Command;

/**
 * {@code latchkey admin …}: what the admin API ({@code /admin/v1}) does, straight on the database,
 * for bootstrapping and scripts. Running servers see client changes within 30 seconds (their
 * client cache); admin keys at once.
 */
@Command(name = "admin", description = "Administer OAuth clients, admin API keys, organizations, members, invitations, roles, "
        + "service accounts and API keys directly in the database.",
        subcommands = {AdminClientsCommand.class, AdminKeysCommand.class, AdminOrgsCommand.class, AdminInvitationsCommand.class,
                AdminRolesCommand.class, AdminServiceAccountsCommand.class, AdminApiKeysCommand.class})
final class AdminCommand {
}
