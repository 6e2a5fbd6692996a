package dev.latchkey.testkit.memory;

import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.authn.PendingSignInStore;
import dev.latchkey.core.credential.passkey.PasskeyChallengeStore;
import dev.latchkey.core.credential.passkey.PasskeyStore;
import dev.latchkey.core.credential.recovery.RecoveryCodeStore;
import dev.latchkey.core.credential.totp.TotpStore;
import dev.latchkey.core.identity.IdentityStore;
import dev.latchkey.core.identity.ProviderStore;
import dev.latchkey.core.identity.UpstreamFlowStore;
import dev.latchkey.core.mail.MailOutbox;
import dev.latchkey.core.mail.MailTokenStore;
import dev.latchkey.testkit.contract.IdentityStoreContract;
import dev.latchkey.testkit.contract.MailOutboxContract;
import dev.latchkey.testkit.contract.MailTokenStoreContract;
import dev.latchkey.testkit.contract.PasskeyChallengeStoreContract;
import dev.latchkey.testkit.contract.PasskeyStoreContract;
import dev.latchkey.testkit.contract.PendingSignInStoreContract;
import dev.latchkey.testkit.contract.ProviderStoreContract;
import dev.latchkey.testkit.contract.RecoveryCodeStoreContract;
import dev.latchkey.testkit.contract.TotpStoreContract;
import dev.latchkey.testkit.contract.UpstreamFlowStoreContract;
import dev.latchkey.testkit.contract.UserProfileContract;
import org.junit.jupiter.api.Nested;

/** The in-memory stores pass the same contracts as the PostgreSQL ones. */
class MemoryStoresContractTest {
    @Nested
    class Roles extends dev.latchkey.testkit.contract.RoleStoreContract {
        final MemoryRoleStore roles = new MemoryRoleStore();

        @Override
        protected dev.latchkey.core.org.RoleStore roles() {
            return roles;
        }

        @Override
        protected java.util.UUID newOrg() {
            return java.util.UUID.randomUUID();
        }
    }

    @Nested
    class ServiceAccounts extends dev.latchkey.testkit.contract.ServiceAccountStoreContract {
        final MemoryServiceAccountStore accounts = new MemoryServiceAccountStore();

        @Override
        protected dev.latchkey.core.org.ServiceAccountStore accounts() {
            return accounts;
        }

        @Override
        protected java.util.UUID newOrg() {
            return java.util.UUID.randomUUID();
        }

        @Override
        protected int announcements(java.util.UUID accountId) {
            return (int) accounts.announced.stream().filter(accountId::equals).count();
        }
    }

    @Nested
    class MailTokens extends MailTokenStoreContract {
        final MemoryUserStore users = new MemoryUserStore();
        final MemoryMailTokenStore tokens = new MemoryMailTokenStore(users);

        @Override
        protected UserStore users() {
            return users;
        }

        @Override
        protected MailTokenStore tokens() {
            return tokens;
        }
    }

    @Nested
    class Outbox extends MailOutboxContract {
        final MemoryMailOutbox outbox = new MemoryMailOutbox();

        @Override
        protected MailOutbox outbox() {
            return outbox;
        }
    }

    @Nested
    class Identities extends IdentityStoreContract {
        final MemoryUserStore users = new MemoryUserStore();
        final MemoryIdentityStore identities = new MemoryIdentityStore(users);

        @Override
        protected UserStore users() {
            return users;
        }

        @Override
        protected IdentityStore identities() {
            return identities;
        }
    }

    @Nested
    class Profiles extends UserProfileContract {
        final MemoryUserStore users = new MemoryUserStore();

        @Override
        protected UserStore users() {
            return users;
        }
    }

    @Nested
    class UpstreamFlows extends UpstreamFlowStoreContract {
        final MemoryUserStore users = new MemoryUserStore();
        final MemoryUpstreamFlowStore flows = new MemoryUpstreamFlowStore();

        @Override
        protected UserStore users() {
            return users;
        }

        @Override
        protected UpstreamFlowStore flows() {
            return flows;
        }
    }

    @Nested
    class Providers extends ProviderStoreContract {
        final MemoryProviderStore store = new MemoryProviderStore();

        @Override
        protected ProviderStore store() {
            return store;
        }
    }

    @Nested
    class Passkeys extends PasskeyStoreContract {
        final MemoryUserStore users = new MemoryUserStore();
        final MemoryPasskeyStore passkeys = new MemoryPasskeyStore();

        @Override
        protected UserStore users() {
            return users;
        }

        @Override
        protected PasskeyStore passkeys() {
            return passkeys;
        }
    }

    @Nested
    class PasskeyChallenges extends PasskeyChallengeStoreContract {
        final MemoryUserStore users = new MemoryUserStore();
        final MemoryPasskeyChallengeStore challenges = new MemoryPasskeyChallengeStore();

        @Override
        protected UserStore users() {
            return users;
        }

        @Override
        protected PasskeyChallengeStore challenges() {
            return challenges;
        }
    }

    @Nested
    class Totp extends TotpStoreContract {
        final MemoryUserStore users = new MemoryUserStore();
        final MemoryTotpStore store = new MemoryTotpStore();

        @Override
        protected UserStore users() {
            return users;
        }

        @Override
        protected TotpStore store() {
            return store;
        }
    }

    @Nested
    class Recovery extends RecoveryCodeStoreContract {
        final MemoryUserStore users = new MemoryUserStore();
        final MemoryRecoveryCodeStore store = new MemoryRecoveryCodeStore();

        @Override
        protected UserStore users() {
            return users;
        }

        @Override
        protected RecoveryCodeStore store() {
            return store;
        }
    }

    @Nested
    class Challenges extends PendingSignInStoreContract {
        final MemoryUserStore users = new MemoryUserStore();
        final MemoryPendingSignInStore store = new MemoryPendingSignInStore();

        @Override
        protected UserStore users() {
            return users;
        }

        @Override
        protected PendingSignInStore store() {
            return store;
        }
    }
}
