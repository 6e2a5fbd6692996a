package dev.latchkey.core.account;

/** Whether an account may sign in. */
public enum UserStatus {
    ACTIVE,
    DISABLED
}
