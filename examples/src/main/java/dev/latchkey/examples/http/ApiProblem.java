package dev.latchkey.examples.http;

import java.util.Objects;

/**
 * A refusal the client caused, rendered as an RFC 9457 problem: {@code status}, a stable {@code code} and a
 * {@code detail} safe to show (never a stack trace or SQL).
 */
public final class ApiProblem extends RuntimeException {
    private final int status;
    private final String code;

    public ApiProblem(int status, String code, String detail) {
        super(Objects.requireNonNull(detail, "detail"), null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status " + status);
        }
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, "validation_failed", detail);
    }

    public static ApiProblem notFound() {
        return new ApiProblem(404, "not_found", "No such note.");
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }
}
