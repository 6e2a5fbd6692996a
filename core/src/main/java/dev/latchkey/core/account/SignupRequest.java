package dev.latchkey.core.account;

/** Input of a sign-up, already parsed but not yet validated. */
public record SignupRequest(String email, String password, String name) {
}
