package dev.latchkey.core.account;

import java.util.List;

/** The password policy as the account service sees it: every violation, each a human sentence. */
public interface PasswordRules {
    List<String> violations(String password, EmailAddress email);
}
